"""Plain mini-batch SGD with L runs advanced in lock-step: the same bits, several runs per
vector instruction.

SGD is bound by its normal draws (8k + p per iteration at batch 4) and by the loop over
the patches, and neither vectorises within a run: the ziggurat branches per draw, and the
sums must be added in their written order (no re-association, see _jit).  Across runs
they do: run l of a group of L is lane l of every buffer (value i of lane l at
``Z[i * L + l]``), and the generated straight-line code in :mod:`noisecnn._lanes_gen` does
each lane's scalar operations in its own written order, which LLVM's SLP vectoriser packs
into one instruction for the L lanes:

* ``lockstep_fill`` draws one normal of every lane's own stream per step, exactly as
  :func:`rng.fill_normals` would for that run (a lane that misses its layer's rectangle is
  finished on the spot by :func:`rng.finish_lane`);
* ``lane_batch`` is :func:`kernels.sgd_grad`'s loop over the patches, per lane.

Everything of dimension p (the filter, its frame, the perpendicular noise, the step on the
sphere) is done per lane with the very functions the one-run kernel calls.  Each run
therefore computes exactly what :func:`kernels.psgd_run` computes for it, whatever group,
thread or shard it falls in (tests/test_lanes.py compares every output array bit for bit).

Used for plain SGD with the reduced sampler when no trajectory is recorded and runs do not
stop at the basin boundary (Table 1, the sweeps); otherwise :func:`kernels.psgd_kernel`.
A group's lanes past the shard's last run compute a run that is not stored.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from ._jit import jit
from ._lanes_gen import L, lane_batch, lockstep_fill
from .closed_form import apply_w_step
from .kernels import (
    F_ETA0,
    F_GAMMA_ETA,
    I_BATCH,
    I_EPOCHS,
    I_ITERS,
    I_ITERS0,
    PROJECTED,
    STATUS_DIVERGED,
    STATUS_OK,
    crossed,
    finish_run,
    reduced_e2,
    reduced_gvec,
    setup_run,
    sgd_frame,
    sgd_w_grad,
    teacher_sums,
)

# per-lane vectors of length p: wstar, w, uhat, e2, gvec, gw, z
N_LANE_P = 7


@jit()
def _lane_out(A, l, a):
    """a <- lane l of the lane-minor (k, L) array A."""
    for j in range(a.shape[0]):
        a[j] = A[j * L + l]


@jit()
def _sgd_group(g, run0, n, keys, ints, reals, out):
    """Runs run0 + g·L + l (l < L) of plain SGD in lock-step; stores those with index < n."""
    p = out[0].shape[1]
    k = out[1].shape[1]
    VP = np.empty((L, N_LANE_P, p))
    AST = np.empty((L, k))  # per lane: a* (for set-up and the final observables)
    AL = np.empty((L, k))  # per lane: a (set-up, and the state stored at the end)
    A = np.empty(k * L)  # lane-minor a, a*, gradient
    S = np.empty(k * L)
    GA = np.empty(k * L)
    Z = np.empty(max(2 * k, p) * L)
    ST = np.empty(4 * L, np.uint64)
    st = np.empty(4, np.uint64)
    tmp = np.empty(2)
    C = np.empty(L)
    SN = np.empty(L)
    NU = np.empty(L)
    ACC = np.empty(3 * L + 1)
    s = np.empty(L)
    s2 = np.empty(L)
    hit = np.empty(L, np.int64)
    live = np.empty(L, np.bool_)
    for l in range(L):
        wstar, w = VP[l, 0], VP[l, 1]
        setup_run(keys, run0 + g * L + l, ints, reals, st, wstar, AST[l], w, AL[l], tmp)
        s[l], s2[l] = teacher_sums(AST[l])
        for j in range(k):
            A[j * L + l] = AL[l, j]
            S[j * L + l] = AST[l, j]
        for q in range(4):
            ST[q * L + l] = st[q]
        hit[l] = 0 if crossed(w, wstar) else -1
        live[l] = g * L + l < n
    batch = ints[I_BATCH]
    inv_m = 1.0 / batch
    t = 0
    for ep in range(ints[I_EPOCHS]):
        eta = reals[F_ETA0] * reals[F_GAMMA_ETA]**ep
        for _ in range(ints[I_ITERS0] if ep == 0 else ints[I_ITERS]):
            for l in range(L):
                nu, C[l], SN[l] = sgd_frame(VP[l, 1], VP[l, 0], VP[l, 2])
                NU[l] = nu
                reduced_e2(VP[l, 2], VP[l, 0], C[l], SN[l], VP[l, 3])
            for i in range(k * L):
                GA[i] = 0.0
            for i in range(3 * L):
                ACC[i] = 0.0
            for _b in range(batch):
                lockstep_fill(ST, Z, 2 * k)
                lane_batch(Z, A, S, C, SN, 1.0, k, ACC, GA)
            lockstep_fill(ST, Z, p)
            for i in range(k * L):
                GA[i] *= inv_m
            for l in range(L):
                zl = VP[l, 6]
                for q in range(p):
                    zl[q] = Z[q * L + l]
                reduced_gvec(zl, VP[l, 2], VP[l, 3], ACC[l], ACC[L + l], ACC[2 * L + l], VP[l, 4])
                sgd_w_grad(VP[l, 4], VP[l, 2], NU[l], PROJECTED, inv_m, VP[l, 5])
                if live[l] and not (math.isfinite(VP[l, 5, 0]) and math.isfinite(GA[l])):
                    _lane_out(A, l, AL[l])
                    finish_run(g * L + l, STATUS_DIVERGED, VP[l, 1], AL[l], VP[l, 0], AST[l], s[l], s2[l], out,
                               0, hit[l])
                    live[l] = False
            for i in range(k * L):
                A[i] -= eta * GA[i]
            t += 1
            any_live = False
            for l in range(L):
                apply_w_step(VP[l, 1], VP[l, 5], eta)
                if live[l]:
                    any_live = True
                    if hit[l] < 0 and crossed(VP[l, 1], VP[l, 0]):
                        hit[l] = t
            if not any_live:
                return
    for l in range(L):
        if live[l]:
            _lane_out(A, l, AL[l])
            finish_run(g * L + l, STATUS_OK, VP[l, 1], AL[l], VP[l, 0], AST[l], s[l], s2[l], out, 0, hit[l])


@jit(parallel=True)
def sgd_lanes_kernel(keys, run0, ints, reals, out):
    """Plain SGD, reduced sampler, no trajectory, no stop: kernels.psgd_kernel's results for
    these runs, computed L runs at a time (prange over groups)."""
    n = out[0].shape[0]
    for g in prange((n + L - 1) // L):
        _sgd_group(g, run0, n, keys, ints, reals, out)
