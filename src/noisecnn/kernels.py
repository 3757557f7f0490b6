"""Numba kernels: one per algorithm, N independent runs with ``prange`` over runs.

Every run owns two random streams (SPEC §8):

* the *teacher* stream ``(teacher_key, run)`` draws w* and a*; it does not depend on
  the algorithm, so GD, perturbed GD and SGD of one cell see the same teachers;
* the *algorithm* stream ``(algo_key, run)`` draws the initialisation and all noise.

Kernels differ only in where they evaluate the gradient (at the iterate, at a
perturbed point) and how they draw noise (none, uniform balls, mini-batches); the
math lives in :mod:`noisecnn.closed_form` and :mod:`noisecnn.rng`.

Per run the kernels write the final (w, a), the teacher, the scalars
``(φ_T, ‖a_T − a*‖/‖a*‖, L_T, a_Tᵀa*)``, a status (0 finished, 1 diverged), and,
when ``stride > 0``, the observables (aᵀa*, φ, L) every ``stride`` iterations.
"""

from __future__ import annotations

import contextlib
import math

import numba
import numpy as np
from numba import prange

from ._jit import jit
from .closed_form import INV2PI, PI, apply_step, observe, pop_grad, rel_error, spurious_a_nb, w_grad
from .rng import fill_normals, seed_state, uniform_ball, unit_vector
from .specs import (
    INIT_SPURIOUS,
    INITS,
    LITERAL,
    PROJECTED,
    READINGS,
    SAMPLER_REDUCED,
    SAMPLERS,
    TEACHER_RANDOM,
    TEACHERS,
    WEIGHTNORM,
    Algorithm,
    Problem,
    _require,
    is_int,
)

N_SCALARS = 5  # phi, a_rel, loss, a·a*, first iteration with φ < π/2 (NaN: never)
N_OBS = 3  # a·a*, phi, loss
STATUS_OK, STATUS_DIVERGED = 0, 1
OUTPUTS = ("out_w", "out_a", "out_wstar", "out_astar", "out_sc", "out_status", "traj")

@contextlib.contextmanager
def numba_threads(threads: int | None):
    """Run with ``threads`` numba threads (capped at NUMBA_NUM_THREADS), then restore."""
    if threads is None:
        yield numba.get_num_threads()
        return
    _require(is_int(threads) and threads >= 1, "threads", "must be an integer >= 1", threads)
    old = numba.get_num_threads()
    n = min(int(threads), numba.config.NUMBA_NUM_THREADS)
    numba.set_num_threads(n)
    try:
        yield n
    finally:
        numba.set_num_threads(old)


# ---------------------------------------------------------------------------
# argument packs: what a kernel needs of a (Problem, Algorithm), in two small arrays
# ---------------------------------------------------------------------------
# integer pack
I_TEACHER, I_INIT, I_EPOCHS, I_ITERS, I_ITERS0, I_READING, I_BATCH, I_SAMPLER, I_STRIDE, I_STOP = range(10)
# real pack
F_R, F_SCALE, F_ETA0, F_GAMMA_ETA, F_RHO_W, F_RHO_A, F_GAMMA_RHO, F_RADIUS_A = range(8)


def pack(problem: Problem, algorithm: Algorithm, stride: int, stop_at_basin: bool = False
         ) -> tuple[np.ndarray, np.ndarray]:
    """(ints, reals): the kernels' argument packs, shared by the CPU and GPU backends.

    GD runs one epoch of all its iterations.  Plain SGD is perturbed SGD without noise:
    ρ = 0 (then no noise is drawn) and no projection of a (radius ∞).  ``stop_at_basin``:
    a run stops at the first iteration with φ < π/2 (the basin boundary, SPEC §5)."""
    a = algorithm
    gd, sgd = a.name == "gd", a.name == "sgd"
    ints = np.array([TEACHERS.index(problem.teacher), INITS.index(a.init),
                     1 if gd else a.epochs, a.iterations if gd else a.iters_per_epoch,
                     a.iterations if gd else a.iters0, READINGS.index(a.reading), a.batch,
                     SAMPLERS.index(a.sampler), stride, int(stop_at_basin)], np.int64)
    reals = np.array([problem.r, problem.scale, a.eta0, a.gamma_eta, 0.0 if sgd else a.rho_w,
                      0.0 if sgd else a.rho_a, 1.0 if sgd else a.gamma_rho, np.inf if sgd else a.radius_a],
                     np.float64)
    return ints, reals


# ---------------------------------------------------------------------------
# per-run set-up
# ---------------------------------------------------------------------------
@jit()
def draw_teacher(st, k, r, scale, teacher_kind, wstar, astar):
    """w* ~ unif(S^{p−1}); a* from SPEC §3 (random v ⟂ 1) or Figure 3's ±s/√k."""
    unit_vector(st, wstar, 0, wstar.shape[0])
    if teacher_kind == TEACHER_RANDOM:
        fill_normals(st, astar, 0, k)
        m = 0.0
        for j in range(k):
            m += astar[j]
        m /= k
        n2 = 0.0
        for j in range(k):
            astar[j] -= m
            n2 += astar[j] * astar[j]
        c1 = scale * math.sqrt(r) / k
        c2 = scale * math.sqrt(max(0.0, 1.0 - r / k)) / math.sqrt(n2)
        for j in range(k):
            astar[j] = c1 + c2 * astar[j]
    else:
        h = scale / math.sqrt(k)
        for j in range(k):
            astar[j] = -h if j < k // 2 else h


@jit()
def init_state(st, init_kind, wstar, astar, w, a, tmp):
    """SPURIOUS: (−w*, ã).  RANDOM (Du et al.): w ~ unif(S), a ~ unif(B(|1ᵀa*|/√k))."""
    k = a.shape[0]
    if init_kind == INIT_SPURIOUS:
        for i in range(w.shape[0]):
            w[i] = -wstar[i]
        spurious_a_nb(astar, a)
    else:
        unit_vector(st, w, 0, w.shape[0])
        s = 0.0
        for j in range(k):
            s += astar[j]
        uniform_ball(st, a, 0, k, abs(s) / math.sqrt(k), tmp)


@jit()
def setup_run(keys, run, ints, reals, st, wstar, astar, w, a, tmp):
    """Teacher from the run's teacher stream keys[0], initial state from its algorithm stream keys[1]."""
    seed_state(keys[0], run, st)
    draw_teacher(st, a.shape[0], reals[F_R], reals[F_SCALE], ints[I_TEACHER], wstar, astar)
    seed_state(keys[1], run, st)
    init_state(st, ints[I_INIT], wstar, astar, w, a, tmp)


@jit()
def teacher_sums(astar):
    s = 0.0
    s2 = 0.0
    for j in range(astar.shape[0]):
        s += astar[j]
        s2 += astar[j] * astar[j]
    return s, s2


@jit()
def record(traj, i, slot, w, a, wstar, astar, s, s2):
    if slot < traj.shape[1]:
        ab, phi, lo = observe(w, a, wstar, astar, s, s2)
        traj[i, slot, 0] = ab
        traj[i, slot, 1] = phi
        traj[i, slot, 2] = lo


@jit()
def crossed(w, wstar):
    """φ < π/2: the filter is on the global optimum's side of the basin boundary."""
    d = 0.0
    for q in range(w.shape[0]):
        d += w[q] * wstar[q]
    return d > 0.0


@jit()
def finish_run(i, status, w, a, wstar, astar, s, s2, out, slot, hit):
    """Store the final state and ``hit`` (the first iteration with φ < π/2, or −1: NaN); a
    diverged run gets NaN scalars and NaN trajectory tail."""
    out_w, out_a, out_wstar, out_astar, out_sc, out_status, traj = out
    for q in range(w.shape[0]):
        out_w[i, q] = w[q]
        out_wstar[i, q] = wstar[q]
    for j in range(a.shape[0]):
        out_a[i, j] = a[j]
        out_astar[i, j] = astar[j]
    out_status[i] = status
    if status == STATUS_OK:
        ab, phi, lo = observe(w, a, wstar, astar, s, s2)
        out_sc[i, 0] = phi
        out_sc[i, 1] = rel_error(a, astar, s2)
        out_sc[i, 2] = lo
        out_sc[i, 3] = ab
    else:
        for q in range(out_sc.shape[1]):
            out_sc[i, q] = np.nan
        for t in range(slot, traj.shape[1]):
            for q in range(traj.shape[2]):
                traj[i, t, q] = np.nan
    out_sc[i, 4] = hit if hit >= 0 else np.nan


@jit()
def perturb(st, w, a, xi, eps, u, b, rho_w, rho_a, scratch):
    """(u, b) = (w + ξ, a + ε) with ξ ~ unif(B_p(ρ_w)), ε ~ unif(B_k(ρ_a)): p + k + 4 normals."""
    uniform_ball(st, xi, 0, xi.shape[0], rho_w, scratch)
    uniform_ball(st, eps, 0, eps.shape[0], rho_a, scratch)
    for i in range(w.shape[0]):
        u[i] = w[i] + xi[i]
    for j in range(a.shape[0]):
        b[j] = a[j] + eps[j]


@jit()
def pgd_step(st, w, a, wstar, astar, sum_astar, rho_w, rho_a, reading, eta, xi, u, z, tmp, gw):
    """One perturbed-GD step, fused: the same draws, in the same order, and the same
    update as ``perturb`` + ``pop_grad`` + ``apply_step``, in three passes over the k
    output weights instead of seven (the noise ε enters only through a few sums).
    ``z`` receives the k normals of ε; returns ∠(w + ξ, w*)."""
    p = w.shape[0]
    k = a.shape[0]
    uniform_ball(st, xi, 0, p, rho_w, tmp)
    for q in range(p):
        u[q] = w[q] + xi[q]
    fill_normals(st, z, 0, k)  # ε = ρ_a z / ‖(z, z_k, z_k+1)‖, as uniform_ball draws it
    fill_normals(st, tmp, 0, 2)
    zz = tmp[0] * tmp[0] + tmp[1] * tmp[1]
    sz = 0.0
    za = 0.0
    zs = 0.0
    sa = 0.0
    aa = 0.0
    a2 = 0.0
    for j in range(k):
        zj = z[j]
        zz += zj * zj
        sz += zj
        za += zj * a[j]
        zs += zj * astar[j]
        sa += a[j]
        aa += a[j] * astar[j]
        a2 += a[j] * a[j]
    c = rho_a / math.sqrt(zz)
    sb = sa + c * sz  # 1ᵀ(a + ε)
    bb = aa + c * zs  # (a + ε)ᵀa*
    nu2 = 0.0
    uw = 0.0
    for q in range(p):
        nu2 += u[q] * u[q]
        uw += u[q] * wstar[q]
    nu = math.sqrt(nu2)
    cs = min(1.0, max(-1.0, uw / nu))
    phi = math.acos(cs)
    gg = math.sqrt(max(0.0, 1.0 - cs * cs)) + (PI - phi) * cs
    if reading == LITERAL:
        n1 = nu
        n2 = nu2
    else:
        n1 = 1.0
        n2 = 1.0
    bsq = a2 + 2.0 * c * za + c * c * (zz - tmp[0] * tmp[0] - tmp[1] * tmp[1])  # ‖a + ε‖² (literal only)
    w_grad(u, wstar, nu, cs, phi, gg, bb, sb, bsq, sum_astar, reading, gw)
    # a ← a − η g_a with g_a = [n2((π−1)(a + c z) + sb) − n1((g−1)a* + S*)] / 2π
    lin = n2 * sb - n1 * sum_astar
    fa = eta * INV2PI * n2 * (PI - 1.0)
    fz = fa * c
    fs = eta * INV2PI * n1 * (gg - 1.0)
    fl = eta * INV2PI * lin
    for j in range(k):
        a[j] -= fa * a[j] + fz * z[j] - fs * astar[j] + fl
    d = 0.0
    for q in range(p):
        d += w[q] * gw[q]
    n2w = 0.0
    for q in range(p):
        w[q] -= eta * (gw[q] - d * w[q])
        n2w += w[q] * w[q]
    inv = 1.0 / math.sqrt(n2w)
    for q in range(p):
        w[q] *= inv
    return phi if math.isfinite(a[0]) else np.nan


@jit()
def project_ball(a, radius):
    n2 = 0.0
    for j in range(a.shape[0]):
        n2 += a[j] * a[j]
    if n2 > radius * radius:
        c = radius / math.sqrt(n2)
        for j in range(a.shape[0]):
            a[j] *= c


# ---------------------------------------------------------------------------
# stochastic (mini-batch) gradient: naive and exact reduced samplers
# ---------------------------------------------------------------------------
@jit()
def complement_unit(uhat, out):
    """A unit vector ⟂ uhat (deterministic): the least-aligned axis, orthogonalised."""
    p = uhat.shape[0]
    best = 0
    for i in range(1, p):
        if abs(uhat[i]) < abs(uhat[best]):
            best = i
    d = uhat[best]
    n2 = 0.0
    for i in range(p):
        out[i] = -d * uhat[i]
    out[best] += 1.0
    for i in range(p):
        n2 += out[i] * out[i]
    inv = 1.0 / math.sqrt(n2)
    for i in range(p):
        out[i] *= inv


@jit()
def sgd_grad(u, b, wstar, astar, reading, sampler, batch, st, zbuf, uhat, e2, gvec, ga, gw):
    """Mini-batch gradient of ½(f(Z;u,b) − y)² over ``batch`` fresh inputs.

    The readings act as in :func:`closed_form.pop_grad`.  Samplers:

    * NAIVE draws every patch Z_j ∈ R^p (p·k normals per input);
    * REDUCED (exact, SPEC §4) draws per patch only x_j = Z_jᵀû and y_j = Z_jᵀe₂
      (e₂ ⟂ û in span{û, w*}); the rest of Σ_ij c_ij Z_ij, orthogonal to both, is
      one Gaussian vector with variance Σ c_ij² for the whole batch
      (2k normals per input + p per step).

    ``zbuf`` needs p·k + 2k + p entries.  Writes ga (k), gw (p).
    """
    p = u.shape[0]
    k = b.shape[0]
    nu2 = 0.0
    for i in range(p):
        nu2 += u[i] * u[i]
    nu = math.sqrt(nu2)
    c = 0.0
    for i in range(p):
        uhat[i] = u[i] / nu
        c += uhat[i] * wstar[i]
    c = min(1.0, max(-1.0, c))
    s = math.sqrt(max(0.0, 1.0 - c * c))
    scale_f = nu if reading == LITERAL else 1.0
    for j in range(k):
        ga[j] = 0.0
    for i in range(p):
        gvec[i] = 0.0
    if sampler == SAMPLER_REDUCED:
        if s > 1e-12:
            for i in range(p):
                e2[i] = (wstar[i] - c * uhat[i]) / s
        else:
            complement_unit(uhat, e2)
        sx = 0.0
        sy = 0.0
        sc2 = 0.0
        k2 = k - k % 2
        for _ in range(batch):
            fill_normals(st, zbuf, 0, 2 * k)
            # one pass over the patches, branch-free (the signs of x_j are coin flips): with
            # c_j = res·b_j·1[x_j > 0], Σc_j x_j = res·f, Σc_j y_j = res·Σb_j 1[x_j>0] y_j and
            # Σc_j² = res²·Σb_j² 1[x_j>0]; two interleaved partial sums per quantity, added
            # in a fixed order (no re-association is allowed, see _jit)
            f0 = 0.0
            f1 = 0.0
            y0 = 0.0
            y1 = 0.0
            g0 = 0.0
            g1 = 0.0
            h0 = 0.0
            h1 = 0.0
            for j in range(0, k2, 2):
                x0 = zbuf[j]
                x1 = zbuf[j + 1]
                v0 = zbuf[k + j]
                v1 = zbuf[k + j + 1]
                o0 = 1.0 if x0 > 0.0 else 0.0
                o1 = 1.0 if x1 > 0.0 else 0.0
                bo0 = b[j] * o0
                bo1 = b[j + 1] * o1
                f0 += bo0 * x0
                f1 += bo1 * x1
                y0 += astar[j] * max(c * x0 + s * v0, 0.0)
                y1 += astar[j + 1] * max(c * x1 + s * v1, 0.0)
                g0 += bo0 * v0
                g1 += bo1 * v1
                h0 += bo0 * bo0
                h1 += bo1 * bo1
            for j in range(k2, k):
                x0 = zbuf[j]
                v0 = zbuf[k + j]
                bo0 = b[j] * (1.0 if x0 > 0.0 else 0.0)
                f0 += bo0 * x0
                y0 += astar[j] * max(c * x0 + s * v0, 0.0)
                g0 += bo0 * v0
                h0 += bo0 * bo0
            f = f0 + f1
            res = scale_f * f - (y0 + y1)
            sx += res * f
            sy += res * (g0 + g1)
            sc2 += res * res * (h0 + h1)
            rs = res * scale_f
            for j in range(k):
                ga[j] += rs * max(zbuf[j], 0.0)
        fill_normals(st, zbuf, 0, p)
        d1 = 0.0
        d2 = 0.0
        for i in range(p):
            d1 += zbuf[i] * uhat[i]
            d2 += zbuf[i] * e2[i]
        sq = math.sqrt(sc2)
        for i in range(p):
            perp = zbuf[i] - d1 * uhat[i] - d2 * e2[i]
            gvec[i] = sx * uhat[i] + sy * e2[i] + sq * perp
    else:
        xo = p * k
        for _ in range(batch):
            fill_normals(st, zbuf, 0, p * k)
            f = 0.0
            y = 0.0
            for j in range(k):
                x = 0.0
                xs = 0.0
                for i in range(p):
                    z = zbuf[j * p + i]
                    x += z * uhat[i]
                    xs += z * wstar[i]
                zbuf[xo + j] = x
                if x > 0.0:
                    f += b[j] * x
                if xs > 0.0:
                    y += astar[j] * xs
            res = scale_f * f - y
            rs = res * scale_f
            for j in range(k):
                x = zbuf[xo + j]
                if x > 0.0:
                    cj = res * b[j]
                    for i in range(p):
                        gvec[i] += cj * zbuf[j * p + i]
                    ga[j] += rs * x
    inv_m = 1.0 / batch
    for j in range(k):
        ga[j] *= inv_m
    if reading == LITERAL:
        for i in range(p):
            gw[i] = gvec[i] * inv_m
    else:
        d = 0.0
        for i in range(p):
            d += gvec[i] * uhat[i]
        f = inv_m / nu if reading == WEIGHTNORM else inv_m
        for i in range(p):
            gw[i] = (gvec[i] - d * uhat[i]) * f


# ---------------------------------------------------------------------------
# per-run work arrays: one pool per run, fixed offsets
# ---------------------------------------------------------------------------
# Every run's float work arrays are views at fixed offsets into one pool, so every run
# executes the same code on the same relative layout whatever the thread count or shard
# size.  The GPU backend passes column views of device arrays as pools and calls the same
# per-run bodies.  The layout is defined once, here: N_P vectors of length p, N_K of
# length k, a 2-entry scratch and the SGD buffer.
N_P, N_K = 8, 5


@jit()
def zbuf_size(p, k):
    return p * k + 2 * k + p


@jit()
def pool_size(p, k):
    return N_P * p + N_K * k + 2 + zbuf_size(p, k)


@jit()
def split_pool(pool, p, k):
    """(wstar, w, xi, u, gw, uhat, e2, gvec | astar, a, eps, b, ga | tmp, zbuf), in pool order."""
    q = N_P * p
    o = q + N_K * k
    return (pool[0:p], pool[p:2 * p], pool[2 * p:3 * p], pool[3 * p:4 * p], pool[4 * p:5 * p],
            pool[5 * p:6 * p], pool[6 * p:7 * p], pool[7 * p:q],
            pool[q:q + k], pool[q + k:q + 2 * k], pool[q + 2 * k:q + 3 * k], pool[q + 3 * k:q + 4 * k],
            pool[q + 4 * k:o], pool[o:o + 2], pool[o + 2:o + 2 + zbuf_size(p, k)])


# ---------------------------------------------------------------------------
# per-run bodies (no allocation: shared by the CPU and the GPU kernels)
# ---------------------------------------------------------------------------
@jit()
def gd_run(i, run, keys, ints, reals, st, pool, out):
    """One run of gradient descent with exact population gradients (Du et al. setting)."""
    p = out[0].shape[1]
    k = out[1].shape[1]
    wstar, w, xi, u, gw, uhat, e2, gvec, astar, a, eps, b, ga, tmp, zbuf = split_pool(pool, p, k)
    setup_run(keys, run, ints, reals, st, wstar, astar, w, a, tmp)
    s, s2 = teacher_sums(astar)
    iters = ints[I_ITERS]
    eta = reals[F_ETA0]
    stride = ints[I_STRIDE]
    traj = out[6]
    status = STATUS_OK
    slot = 0
    hit = 0 if crossed(w, wstar) else -1
    t = 0
    while t < iters and not (ints[I_STOP] != 0 and hit >= 0):
        if stride > 0 and t % stride == 0:
            record(traj, i, slot, w, a, wstar, astar, s, s2)
            slot += 1
        phi = pop_grad(w, a, wstar, astar, s, PROJECTED, ga, gw)
        if not (math.isfinite(phi) and math.isfinite(ga[0])):
            status = STATUS_DIVERGED
            break
        apply_step(w, a, ga, gw, eta)
        t += 1
        if hit < 0 and crossed(w, wstar):
            hit = t
    if status == STATUS_OK and stride > 0 and t % stride == 0:
        record(traj, i, slot, w, a, wstar, astar, s, s2)
        slot += 1
    finish_run(i, status, w, a, wstar, astar, s, s2, out, slot, hit)


@jit()
def pgd_run(i, run, keys, ints, reals, st, pool, out):
    """One run of perturbed GD (Algorithm 1) with epoch-wise step-size and noise annealing.
    Epoch 0 (Phase I, the largest noise) runs ``iters0`` iterations, the others ``iters``."""
    p = out[0].shape[1]
    k = out[1].shape[1]
    wstar, w, xi, u, gw, uhat, e2, gvec, astar, a, eps, b, ga, tmp, zbuf = split_pool(pool, p, k)
    setup_run(keys, run, ints, reals, st, wstar, astar, w, a, tmp)
    s, s2 = teacher_sums(astar)
    stride = ints[I_STRIDE]
    reading = ints[I_READING]
    traj = out[6]
    status = STATUS_OK
    slot = 0
    t = 0
    hit = 0 if crossed(w, wstar) else -1
    stop = ints[I_STOP] != 0
    for ep in range(ints[I_EPOCHS]):
        eta = reals[F_ETA0] * reals[F_GAMMA_ETA]**ep
        rho_w = reals[F_RHO_W] * reals[F_GAMMA_RHO]**ep
        rho_a = reals[F_RHO_A] * reals[F_GAMMA_RHO]**ep
        for _ in range(ints[I_ITERS0] if ep == 0 else ints[I_ITERS]):
            if stop and hit >= 0:
                break
            if stride > 0 and t % stride == 0:
                record(traj, i, slot, w, a, wstar, astar, s, s2)
                slot += 1
            phi = pgd_step(st, w, a, wstar, astar, s, rho_w, rho_a, reading, eta, xi, u, eps, tmp, gw)
            if not math.isfinite(phi):
                status = STATUS_DIVERGED
                break
            t += 1
            if hit < 0 and crossed(w, wstar):
                hit = t
        if status != STATUS_OK or (stop and hit >= 0):
            break
    if status == STATUS_OK and stride > 0 and t % stride == 0:
        record(traj, i, slot, w, a, wstar, astar, s, s2)
        slot += 1
    finish_run(i, status, w, a, wstar, astar, s, s2, out, slot, hit)


@jit()
def psgd_run(i, run, keys, ints, reals, st, pool, out):
    """One run of (perturbed) mini-batch SGD.  Plain SGD is the case ρ_w = ρ_a = 0 with
    no projection (radius_a = inf): then no noise is drawn at all."""
    p = out[0].shape[1]
    k = out[1].shape[1]
    wstar, w, xi, u, gw, uhat, e2, gvec, astar, a, eps, b, ga, tmp, zbuf = split_pool(pool, p, k)
    setup_run(keys, run, ints, reals, st, wstar, astar, w, a, tmp)
    s, s2 = teacher_sums(astar)
    stride = ints[I_STRIDE]
    reading = ints[I_READING]
    batch = ints[I_BATCH]
    sampler = ints[I_SAMPLER]
    radius_a = reals[F_RADIUS_A]
    noisy = reals[F_RHO_W] > 0.0 or reals[F_RHO_A] > 0.0
    traj = out[6]
    status = STATUS_OK
    slot = 0
    t = 0
    hit = 0 if crossed(w, wstar) else -1
    stop = ints[I_STOP] != 0
    for ep in range(ints[I_EPOCHS]):
        eta = reals[F_ETA0] * reals[F_GAMMA_ETA]**ep
        rho_w = reals[F_RHO_W] * reals[F_GAMMA_RHO]**ep
        rho_a = reals[F_RHO_A] * reals[F_GAMMA_RHO]**ep
        for _ in range(ints[I_ITERS0] if ep == 0 else ints[I_ITERS]):
            if stop and hit >= 0:
                break
            if stride > 0 and t % stride == 0:
                record(traj, i, slot, w, a, wstar, astar, s, s2)
                slot += 1
            if noisy:
                perturb(st, w, a, xi, eps, u, b, rho_w, rho_a, tmp)
                sgd_grad(u, b, wstar, astar, reading, sampler, batch, st, zbuf, uhat, e2, gvec, ga, gw)
            else:
                sgd_grad(w, a, wstar, astar, PROJECTED, sampler, batch, st, zbuf, uhat, e2, gvec, ga, gw)
            if not (math.isfinite(gw[0]) and math.isfinite(ga[0])):
                status = STATUS_DIVERGED
                break
            apply_step(w, a, ga, gw, eta)
            if noisy:
                project_ball(a, radius_a)
            t += 1
            if hit < 0 and crossed(w, wstar):
                hit = t
        if status != STATUS_OK or (stop and hit >= 0):
            break
    if status == STATUS_OK and stride > 0 and t % stride == 0:
        record(traj, i, slot, w, a, wstar, astar, s, s2)
        slot += 1
    finish_run(i, status, w, a, wstar, astar, s, s2, out, slot, hit)


# ---------------------------------------------------------------------------
# CPU kernels: prange over runs, one pool per run; all four take the same arguments
# ---------------------------------------------------------------------------
@jit(parallel=True)
def gd_kernel(keys, run0, ints, reals, out):
    """Gradient descent with exact population gradients (Du et al. setting)."""
    n, p = out[0].shape
    k = out[1].shape[1]
    for i in prange(n):
        st = np.empty(4, np.uint64)
        pool = np.empty(pool_size(p, k))
        gd_run(i, run0 + i, keys, ints, reals, st, pool, out)


@jit(parallel=True)
def pgd_kernel(keys, run0, ints, reals, out):
    """Perturbed GD (Algorithm 1) with epoch-wise step-size and noise annealing."""
    n, p = out[0].shape
    k = out[1].shape[1]
    for i in prange(n):
        st = np.empty(4, np.uint64)
        pool = np.empty(pool_size(p, k))
        pgd_run(i, run0 + i, keys, ints, reals, st, pool, out)


@jit(parallel=True)
def psgd_kernel(keys, run0, ints, reals, out):
    """(Perturbed) mini-batch SGD on fresh Gaussian inputs (Section 4): the SGD gradient at
    (w+ξ, a+ε), a projected on B(R); plain SGD when the noise radii are 0."""
    n, p = out[0].shape
    k = out[1].shape[1]
    for i in prange(n):
        st = np.empty(4, np.uint64)
        pool = np.empty(pool_size(p, k))
        psgd_run(i, run0 + i, keys, ints, reals, st, pool, out)


KERNELS = {"gd": gd_kernel, "pgd": pgd_kernel, "sgd": psgd_kernel, "psgd": psgd_kernel}


# ---------------------------------------------------------------------------
# helpers exposed for tests
# ---------------------------------------------------------------------------
@jit()
def sgd_grad_draws(u, b, wstar, astar, reading, sampler, batch, key, n_draws):
    """``n_draws`` independent mini-batch gradients at a fixed (u, b): rows [g_a, g_w]."""
    p = u.shape[0]
    k = b.shape[0]
    out = np.empty((n_draws, k + p))
    st = np.empty(4, np.uint64)
    seed_state(key, 0, st)
    zbuf = np.empty(zbuf_size(p, k))
    uhat = np.empty(p)
    e2 = np.empty(p)
    gvec = np.empty(p)
    ga = np.empty(k)
    gw = np.empty(p)
    for d in range(n_draws):
        sgd_grad(u, b, wstar, astar, reading, sampler, batch, st, zbuf, uhat, e2, gvec, ga, gw)
        out[d, :k] = ga
        out[d, k:] = gw
    return out


@jit()
def draw_teachers(tkey, run0, n, p, k, r, scale, teacher_kind):
    """The teachers the kernels use for runs run0 .. run0+n−1 (for checks and analysis)."""
    ws = np.empty((n, p))
    As = np.empty((n, k))
    st = np.empty(4, np.uint64)
    for i in range(n):
        seed_state(tkey, run0 + i, st)
        draw_teacher(st, k, r, scale, teacher_kind, ws[i], As[i])
    return ws, As

