"""Per-run random streams for the Numba kernels (SPEC §8).

Generator: xoshiro256++ (Blackman & Vigna), 256 bits of state per run, seeded by
SplitMix64 from a 64-bit *stream key* and the run index.  The stream key is a
hash of (global seed, experiment, cell, role) computed once in Python
(:func:`stream_key`), so every run owns a stream that depends only on its own
labels: results do not depend on thread count, job count or shard size.

Normal transform: a 1024-layer ziggurat (Marsaglia & Tsang 2000) using one 64-bit
draw per normal on its fast path (10 bits layer, 1 bit sign, 52 bits abscissa).  With 1024
layers 0.43 % of draws miss their layer's rectangle (256 layers: 1.5 %); a miss is what costs
in the lock-step generator (noisecnn.lanes), so four times as many layers (24 KB of tables,
still in L1) made it 1.8x faster (benchmarks/suite.py, README).

Everything here is plain scalar code on a ``uint64[4]`` state array so that the
same functions compile for the CPU (``@njit``) and, through numba-cuda, for the
GPU.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
from numba import float64, uint64

from ._jit import jit

# ---------------------------------------------------------------------------
# ziggurat tables
# ---------------------------------------------------------------------------
ZIG_BITS = 10  # bits of a draw that pick the layer
ZIG_LAYERS = 1 << ZIG_BITS
ZIG_MASK = ZIG_LAYERS - 1
# start of the tail and area of every layer: the R for which the layers close (the top layer
# has area V too), V = R f(R) + ∫_R^∞ f; tests/test_rng.py recomputes both (scipy root finder)
ZIG_R = 4.038849846109504
ZIG_V = 0.0012263246463530893


def _zig_tables():
    f = lambda x: math.exp(-0.5 * x * x)  # noqa: E731
    n = ZIG_LAYERS
    xs = np.zeros(n + 1)
    xs[0] = ZIG_V / f(ZIG_R)  # virtual width of the base layer (rectangle + tail)
    xs[1] = ZIG_R
    for i in range(1, n - 1):
        xs[i + 1] = math.sqrt(-2.0 * math.log(ZIG_V / xs[i] + f(xs[i])))
    xs[n] = 0.0
    two52 = 2.0**52
    ki = np.zeros(n, np.uint64)
    wi = np.zeros(n)
    fi = np.zeros(n + 1)
    for i in range(n):
        inner = xs[i + 1] if i > 0 else ZIG_R
        ki[i] = np.uint64(int(inner / xs[i] * two52))
        wi[i] = xs[i] / two52
    for i in range(1, n + 1):
        fi[i] = f(xs[i])
    fi[n] = 1.0
    return ki, wi, fi


ZIG_K, ZIG_W, ZIG_F = _zig_tables()

_INV53 = 1.0 / 9007199254740992.0  # 2**-53


# ---------------------------------------------------------------------------
# stream keys (Python side)
# ---------------------------------------------------------------------------
def stream_key(seed: int, *labels) -> np.uint64:
    """64-bit key of a random stream: a BLAKE2b hash of the seed and labels."""
    text = "\x1f".join([str(int(seed))] + [str(x) for x in labels])
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return np.uint64(int.from_bytes(digest, "little"))


# ---------------------------------------------------------------------------
# generator core
# ---------------------------------------------------------------------------
@jit(inline="always")
def _rotl(x, k):
    return (x << uint64(k)) | (x >> uint64(64 - k))


@jit(inline="always")
def _xoshiro(s0, s1, s2, s3):
    """One xoshiro256++ step on unpacked state: returns (output, new state)."""
    r = _rotl(s0 + s3, 23) + s0
    t = s1 << uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    return r, s0, s1, s2, s3


@jit()
def _splitmix(x):
    x = x + uint64(0x9E3779B97F4A7C15)
    z = x
    z = (z ^ (z >> uint64(30))) * uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> uint64(27))) * uint64(0x94D049BB133111EB)
    return z ^ (z >> uint64(31)), x


@jit()
def seed_state(key, run, state):
    """Seed ``state`` (uint64[4]) for run ``run`` of the stream ``key``."""
    x = uint64(key) ^ (uint64(run) * uint64(0xD1342543DE82EF95))
    # one extra round so that neighbouring runs start far apart
    z, x = _splitmix(x)
    x ^= z
    for i in range(4):
        z, x = _splitmix(x)
        state[i] = z
    if state[0] == 0 and state[1] == 0 and state[2] == 0 and state[3] == 0:
        state[0] = uint64(1)  # pragma: no cover - probability 2**-256


@jit()
def next_u64(state):
    r, s0, s1, s2, s3 = _xoshiro(state[0], state[1], state[2], state[3])
    state[0] = s0
    state[1] = s1
    state[2] = s2
    state[3] = s3
    return r


@jit()
def next_double(state):
    """Uniform on (0, 1): 53 random bits, offset by half a step (never 0 or 1)."""
    return (float64(next_u64(state) >> uint64(11)) + 0.5) * _INV53


@jit()
def slow_normal(r, s0, s1, s2, s3):
    """The normal of a 64-bit draw ``r`` that missed its ziggurat layer's rectangle, and the
    state after it: the tail beyond R (Marsaglia's method) for the base layer, else the wedge
    test under the density, drawing again from the state (s0..s3, just after r) until a draw
    is accepted: :func:`fill_normals`' slow path (0.43 % of draws), for the lock-step generator
    (:func:`finish_lane`)."""
    while True:
        idx = r & uint64(ZIG_MASK)
        r >>= uint64(ZIG_BITS)
        neg = (r & uint64(1)) != 0
        rabs = (r >> uint64(1)) & uint64(0x000FFFFFFFFFFFFF)
        x = float64(rabs) * ZIG_W[idx]
        if rabs < ZIG_K[idx]:  # a redraw inside its rectangle
            break
        if idx == 0:  # tail beyond R (Marsaglia's method)
            while True:
                r, s0, s1, s2, s3 = _xoshiro(s0, s1, s2, s3)
                u1 = (float64(r >> uint64(11)) + 0.5) * _INV53
                r, s0, s1, s2, s3 = _xoshiro(s0, s1, s2, s3)
                u2 = (float64(r >> uint64(11)) + 0.5) * _INV53
                xx = -math.log(u1) / ZIG_R
                yy = -math.log(u2)
                if yy + yy > xx * xx:
                    break
            x = ZIG_R + xx
            break
        # wedge: accept under the density, else draw again
        r, s0, s1, s2, s3 = _xoshiro(s0, s1, s2, s3)
        u = float64(r >> uint64(11)) * _INV53
        fa = ZIG_F[idx]
        if fa + u * (ZIG_F[idx + 1] - fa) < math.exp(-0.5 * x * x):
            break
        r, s0, s1, s2, s3 = _xoshiro(s0, s1, s2, s3)
    return (-x if neg else x), s0, s1, s2, s3


@jit()
def fill_normals(state, out, start, n):
    """Write ``n`` standard normals into ``out[start:start+n]`` (ziggurat).

    The slow path (tail and wedge) is written out here and again in :func:`slow_normal`: as a
    call from this loop it cost perturbed GD 9-17 % (measured); tests/test_lanes.py checks that
    the two give every stream the same normals."""
    s0 = state[0]
    s1 = state[1]
    s2 = state[2]
    s3 = state[3]
    i = start
    stop = start + n
    while i < stop:
        r, s0, s1, s2, s3 = _xoshiro(s0, s1, s2, s3)
        idx = r & uint64(ZIG_MASK)
        r >>= uint64(ZIG_BITS)
        neg = (r & uint64(1)) != 0
        rabs = (r >> uint64(1)) & uint64(0x000FFFFFFFFFFFFF)
        x = float64(rabs) * ZIG_W[idx]
        if rabs < ZIG_K[idx]:  # inside the layer's rectangle: 99.57 % of draws
            out[i] = -x if neg else x
            i += 1
            continue
        if idx == 0:  # tail beyond R (Marsaglia's method)
            while True:
                r, s0, s1, s2, s3 = _xoshiro(s0, s1, s2, s3)
                u1 = (float64(r >> uint64(11)) + 0.5) * _INV53
                r, s0, s1, s2, s3 = _xoshiro(s0, s1, s2, s3)
                u2 = (float64(r >> uint64(11)) + 0.5) * _INV53
                xx = -math.log(u1) / ZIG_R
                yy = -math.log(u2)
                if yy + yy > xx * xx:
                    break
            x = ZIG_R + xx
            out[i] = -x if neg else x
            i += 1
        else:  # wedge: accept under the density
            r, s0, s1, s2, s3 = _xoshiro(s0, s1, s2, s3)
            u = float64(r >> uint64(11)) * _INV53
            fa = ZIG_F[idx]
            if fa + u * (ZIG_F[idx + 1] - fa) < math.exp(-0.5 * x * x):
                out[i] = -x if neg else x
                i += 1
    state[0] = s0
    state[1] = s1
    state[2] = s2
    state[3] = s3


@jit()
def finish_lane(st, lane, nlanes, r):
    """Lane ``lane`` of ``nlanes`` lock-step streams (word j of lane l at st[j * nlanes + l])
    drew ``r``, which missed its ziggurat layer's rectangle: :func:`slow_normal` on that lane's
    state, as :func:`fill_normals` would, so the lane's normals stay its own stream."""
    x, s0, s1, s2, s3 = slow_normal(r, st[lane], st[nlanes + lane], st[2 * nlanes + lane], st[3 * nlanes + lane])
    st[lane] = s0
    st[nlanes + lane] = s1
    st[2 * nlanes + lane] = s2
    st[3 * nlanes + lane] = s3
    return x


@jit()
def normal(state, buf1):
    """One standard normal (uses a length-1 scratch buffer)."""
    fill_normals(state, buf1, 0, 1)
    return buf1[0]


@jit()
def uniform_ball(state, out, start, d, rho, scratch):
    """``out[start:start+d]`` <- a uniform draw from the d-ball of radius rho.

    The first d coordinates of a uniform point on S^{d+1} are uniform in B^d
    (Voelker, Gosmann & Stewart 2017): d + 2 normals, no power or extra uniform.
    ``scratch`` needs 2 entries.
    """
    fill_normals(state, out, start, d)
    fill_normals(state, scratch, 0, 2)
    nrm2 = scratch[0] * scratch[0] + scratch[1] * scratch[1]
    for j in range(start, start + d):
        nrm2 += out[j] * out[j]
    scale = rho / math.sqrt(nrm2)
    for j in range(start, start + d):
        out[j] *= scale


@jit()
def unit_vector(state, out, start, d):
    """``out[start:start+d]`` <- a uniform draw from the unit sphere S^{d-1}."""
    fill_normals(state, out, start, d)
    nrm2 = 0.0
    for j in range(start, start + d):
        nrm2 += out[j] * out[j]
    inv = 1.0 / math.sqrt(nrm2)
    for j in range(start, start + d):
        out[j] *= inv


# ---------------------------------------------------------------------------
# whole-stream helpers used by tests and benchmarks
# ---------------------------------------------------------------------------
@jit()
def stream_normals(key, run, n):
    st = np.empty(4, np.uint64)
    seed_state(key, run, st)
    out = np.empty(n)
    fill_normals(st, out, 0, n)
    return out


@jit()
def stream_uniforms(key, run, n):
    st = np.empty(4, np.uint64)
    seed_state(key, run, st)
    out = np.empty(n)
    for i in range(n):
        out[i] = next_double(st)
    return out


@jit()
def stream_balls(key, run, n, d, rho):
    st = np.empty(4, np.uint64)
    seed_state(key, run, st)
    out = np.empty((n, d))
    buf = np.empty(d)
    scratch = np.empty(2)
    for i in range(n):
        uniform_ball(st, buf, 0, d, rho, scratch)
        out[i, :] = buf
    return out
