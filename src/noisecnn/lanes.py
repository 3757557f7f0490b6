"""SGD and perturbed GD with L runs advanced in lock-step: the same bits, several runs per
vector instruction.

Both are bound by their normal draws (SGD: 8k + p per iteration at batch 4; perturbed GD:
p + k + 4) and by loops over the k patches or output weights, and neither vectorises within a
run: the ziggurat branches per draw, and the sums must be added in their written order (no
re-association, see _jit).  Across runs they do: run l of a group of L is lane l of every
buffer (value i of lane l at ``Z[i * L + l]``), and the generated straight-line code in
:mod:`noisecnn._lanes_gen` does each lane's scalar operations in its own written order, which
LLVM's SLP vectoriser packs into one instruction for the L lanes:

* ``lockstep_fill`` draws one normal of every lane's own stream per step, exactly as
  :func:`rng.fill_normals` would for that run (a lane that misses its layer's rectangle is
  finished on the spot by :func:`rng.finish_lane`);
* SGD: ``lane_batch`` is :func:`kernels.sgd_grad`'s loop over the patches, per lane; the
  filter's frame, the perpendicular noise, the w-gradient and the step on the sphere
  (``lane_frame``, ``lane_w_grad``, ``lane_w_step``) are the rest of kernels.sgd_grad (reduced
  sampler, projected reading), the w-part of closed_form.apply_step and kernels.crossed
  written out per lane, operation for operation (the frame's rare fallback, w* ∥ û, calls
  kernels.complement_unit as sgd_grad does);
* perturbed GD: ``lane_pgd_u``, ``lane_pgd_sums``, ``lane_pgd_w`` and ``lane_pgd_a_step`` are
  :func:`kernels.pgd_step` (ξ, the seven sums over the output weights, closed_form.w_grad for
  every reading, the step of a), and its step of w is SGD's ``lane_w_step``; only φ = acos
  is taken lane by lane.

Each run therefore computes exactly what :func:`kernels.psgd_run` or :func:`kernels.pgd_run`
computes for it, whatever group, thread or shard it falls in (tests/test_lanes.py compares
every output array bit for bit).

Used when no trajectory is recorded and runs do not stop at the basin boundary (Table 1, the
sweeps), for plain SGD with the reduced sampler and for perturbed GD; otherwise the one-run
kernels.  A group's lanes past the shard's last run compute a run that is not stored.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from ._jit import jit
from ._lanes_gen import (
    L,
    lane_ball_add,
    lane_ball_norm,
    lane_batch,
    lane_combine,
    lane_dot4,
    lane_geometry,
    lane_grad_terms,
    lane_frame,
    lane_pgd_a_step,
    lane_pgd_sums,
    lane_pgd_u,
    lane_pgd_w,
    lane_w_grad,
    lane_w_step,
    lockstep_fill,
)
from .closed_form import INV2PI
from .kernels import (
    F_ETA0,
    F_GAMMA_ETA,
    F_GAMMA_RHO,
    F_RHO_A,
    F_RHO_W,
    I_BATCH,
    I_EPOCHS,
    I_ITERS,
    I_ITERS0,
    I_READING,
    STATUS_DIVERGED,
    STATUS_OK,
    complement_unit,
    crossed,
    finish_run,
    setup_run,
    teacher_sums,
)
from .multi import (
    _teacher_term,
    multi_finish,
    multi_grad,
    multi_setup,
    multi_work_size,
)
from .specs import PROJECTED


@jit()
def _lane_in(X, l, x):
    """Lane l of the lane-minor array X <- x."""
    for j in range(x.shape[0]):
        X[j * L + l] = x[j]


@jit()
def _lane_out(X, l, x):
    """x <- lane l of the lane-minor array X."""
    for j in range(x.shape[0]):
        x[j] = X[j * L + l]


@jit()
def _finish_lane_run(i, status, l, W, WS, A, S, s, s2, hit, w, ws, a, astar, out):
    """kernels.finish_run for lane l (its state gathered from the lane-minor arrays)."""
    _lane_out(W, l, w)
    _lane_out(WS, l, ws)
    _lane_out(A, l, a)
    _lane_out(S, l, astar)
    finish_run(i, status, w, a, ws, astar, s, s2, out, 0, hit)


@jit()
def _setup_group(g, run0, n, keys, ints, reals, W, WS, A, S, ST, s, s2, hit, live, w, ws, a, astar, st, tmp):
    """kernels.setup_run for every lane of group g: its w, w*, a, a* and stream state into the
    lane-minor arrays, its teacher sums, whether it starts across the basin boundary (hit 0,
    else −1) and whether it is stored (index < n).  w, ws, a, astar, st, tmp: one run's scratch."""
    for l in range(L):
        setup_run(keys, run0 + g * L + l, ints, reals, st, ws, astar, w, a, tmp)
        s[l], s2[l] = teacher_sums(astar)
        _lane_in(W, l, w)
        _lane_in(WS, l, ws)
        _lane_in(A, l, a)
        _lane_in(S, l, astar)
        for q in range(4):
            ST[q * L + l] = st[q]
        hit[l] = 0 if crossed(w, ws) else -1
        live[l] = g * L + l < n


@jit()
def _sgd_group(g, run0, n, keys, ints, reals, out):
    """Runs run0 + g·L + l (l < L) of plain SGD in lock-step; stores those with index < n."""
    p = out[0].shape[1]
    k = out[1].shape[1]
    # lane-minor: filter, w*, û, e2, w-gradient (p, L); a, a*, a-gradient (k, L); normals
    W, WS, UH, E2, GW = np.empty(p * L), np.empty(p * L), np.empty(p * L), np.empty(p * L), np.empty(p * L)
    A, S, GA = np.empty(k * L), np.empty(k * L), np.empty(k * L)
    Z = np.empty(max(2 * k, p) * L)
    ST = np.empty(4 * L, np.uint64)
    C, SN, D = np.empty(L), np.empty(L), np.empty(L)
    ACC = np.empty(3 * L + 1)
    s, s2 = np.empty(L), np.empty(L)
    hit = np.empty(L, np.int64)
    live = np.empty(L, np.bool_)
    # one run's vectors (set-up, the rare frame fallback, the final state)
    w, ws, h, e = np.empty(p), np.empty(p), np.empty(p), np.empty(p)
    a, astar = np.empty(k), np.empty(k)
    st = np.empty(4, np.uint64)
    tmp = np.empty(2)
    _setup_group(g, run0, n, keys, ints, reals, W, WS, A, S, ST, s, s2, hit, live, w, ws, a, astar, st, tmp)
    batch = ints[I_BATCH]
    inv_m = 1.0 / batch
    t = 0
    for ep in range(ints[I_EPOCHS]):
        eta = reals[F_ETA0] * reals[F_GAMMA_ETA]**ep
        for _ in range(ints[I_ITERS0] if ep == 0 else ints[I_ITERS]):
            lane_frame(W, WS, UH, E2, p, C, SN)
            for l in range(L):
                if not SN[l] > 1e-12:  # w* ∥ û: sgd_grad's other choice of e2
                    _lane_out(UH, l, h)
                    complement_unit(h, e)
                    _lane_in(E2, l, e)
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
            lane_w_grad(Z, UH, E2, ACC, p, inv_m, GW)
            for l in range(L):
                if live[l] and not (math.isfinite(GW[l]) and math.isfinite(GA[l])):
                    _finish_lane_run(g * L + l, STATUS_DIVERGED, l, W, WS, A, S, s[l], s2[l], hit[l], w, ws, a,
                                     astar, out)
                    live[l] = False
            for i in range(k * L):
                A[i] -= eta * GA[i]
            lane_w_step(W, GW, WS, p, eta, D)
            t += 1
            any_live = False
            for l in range(L):
                if live[l]:
                    any_live = True
                    if hit[l] < 0 and D[l] > 0.0:
                        hit[l] = t
            if not any_live:
                return
    for l in range(L):
        if live[l]:
            _finish_lane_run(g * L + l, STATUS_OK, l, W, WS, A, S, s[l], s2[l], hit[l], w, ws, a, astar, out)


@jit(parallel=True)
def sgd_lanes_kernel(keys, run0, ints, reals, out):
    """Plain SGD, reduced sampler, no trajectory, no stop: kernels.psgd_kernel's results for
    these runs, computed L runs at a time (prange over groups)."""
    n = out[0].shape[0]
    for g in prange((n + L - 1) // L):
        _sgd_group(g, run0, n, keys, ints, reals, out)


@jit()
def _pgd_group(g, run0, n, keys, ints, reals, out):
    """Runs run0 + g·L + l (l < L) of perturbed GD in lock-step; stores those with index < n.

    kernels.pgd_step per lane: the p + k + 4 normals of a step (ξ's p + 2, then ε's k + 2) in one
    lock-step fill; then lane_pgd_u (ξ, u, cos φ), φ = acos per lane, lane_pgd_sums (the seven
    sums over the k output weights), lane_pgd_w (the w-gradient and a's step coefficients),
    lane_pgd_a_step and the step of w on the sphere (lane_w_step, SGD's: the same operations)."""
    p = out[0].shape[1]
    k = out[1].shape[1]
    oz = p + 2  # rows of ε's k normals in Z
    W, WS, U, GW = np.empty(p * L), np.empty(p * L), np.empty(p * L), np.empty(p * L)
    A, S, Z = np.empty(k * L), np.empty(k * L), np.empty((p + k + 4) * L)
    ST = np.empty(4 * L, np.uint64)
    ACC, F = np.empty(7 * L), np.empty(4 * L + 1)
    NU, NU2, CS, PHI, D = np.empty(L), np.empty(L), np.empty(L), np.empty(L), np.empty(L)
    s, s2 = np.empty(L), np.empty(L)
    hit = np.empty(L, np.int64)
    live = np.empty(L, np.bool_)
    w, ws, a, astar = np.empty(p), np.empty(p), np.empty(k), np.empty(k)
    st = np.empty(4, np.uint64)
    tmp = np.empty(2)
    _setup_group(g, run0, n, keys, ints, reals, W, WS, A, S, ST, s, s2, hit, live, w, ws, a, astar, st, tmp)
    reading = ints[I_READING]
    t = 0
    for ep in range(ints[I_EPOCHS]):
        eta = reals[F_ETA0] * reals[F_GAMMA_ETA]**ep
        rho_w = reals[F_RHO_W] * reals[F_GAMMA_RHO]**ep
        rho_a = reals[F_RHO_A] * reals[F_GAMMA_RHO]**ep
        for _ in range(ints[I_ITERS0] if ep == 0 else ints[I_ITERS]):
            lockstep_fill(ST, Z, p + k + 4)
            lane_pgd_u(Z, W, WS, p, k, rho_w, U, ACC, NU, NU2, CS)
            for l in range(L):
                PHI[l] = math.acos(CS[l])
            lane_pgd_sums(Z, oz, A, S, k, ACC)
            lane_pgd_w(Z, U, WS, p, k, ACC, NU, NU2, CS, PHI, s, reading, eta, rho_a, GW, F)
            lane_pgd_a_step(Z, oz, A, S, F, k)
            lane_w_step(W, GW, WS, p, eta, D)
            t += 1
            any_live = False
            for l in range(L):
                if not live[l]:
                    continue
                if not (math.isfinite(PHI[l]) and math.isfinite(A[l])):  # pgd_step's NaN: diverged
                    _finish_lane_run(g * L + l, STATUS_DIVERGED, l, W, WS, A, S, s[l], s2[l], hit[l], w, ws, a,
                                     astar, out)
                    live[l] = False
                    continue
                any_live = True
                if hit[l] < 0 and D[l] > 0.0:
                    hit[l] = t
            if not any_live:
                return
    for l in range(L):
        if live[l]:
            _finish_lane_run(g * L + l, STATUS_OK, l, W, WS, A, S, s[l], s2[l], hit[l], w, ws, a, astar, out)


@jit(parallel=True)
def pgd_lanes_kernel(keys, run0, ints, reals, out):
    """Perturbed GD, no trajectory, no stop: kernels.pgd_kernel's results for these runs,
    computed L runs at a time (prange over groups)."""
    n = out[0].shape[0]
    for g in prange((n + L - 1) // L):
        _pgd_group(g, run0, n, keys, ints, reals, out)


@jit()
def _mpgd_group(g, run0, n, keys, ints, reals, out):
    """Runs run0 + g·L + l (l < L) of the m-filter perturbed GD (multi.mpgd_kernel) in lock-step;
    stores those with index < n.

    Per step and filter: its p + k + 4 normals in one lock-step fill (multi.perturb_filters draws
    them filter by filter too), ξ_i per lane and ε_i in the generated code (lane_ball_norm,
    lane_ball_add).  Then multi_grad lane by lane: the k-length sums of _output_sums (1ᵀb_i,
    b_iᵀa*, b_iᵀb_i'; lane_dot4), the filters' geometry (lane_geometry), the gradient's terms
    (lane_grad_terms) and the a-gradient (lane_combine); the step of A entry by entry and of
    each w_i as SGD's (lane_w_step: multi_step's operations)."""
    _, m, p = out[0].shape
    k = out[1].shape[2]
    mk, mp, mm = m * k, m * p, m * m
    step = p + k + 4  # normals per filter and step: ξ_i's p + 2, then ε_i's k + 2
    A, B, GA = np.empty(mk * L), np.empty(mk * L), np.empty(mk * L)
    W, U, GW, UH = np.empty(mp * L), np.empty(mp * L), np.empty(mp * L), np.empty(mp * L)
    S, ONE, Z, WS = np.empty(k * L), np.ones(k * L), np.empty(step * L), np.empty(p * L)
    ST = np.empty(4 * L, np.uint64)
    ACC, SC, LOSS, TEA, D = np.empty(L), np.empty(L), np.empty(L), np.empty(L), np.empty(L)
    SB, BS, NRM, CST = np.empty(m * L), np.empty(m * L), np.empty(m * L), np.empty(m * L)
    GR, PCOS, PTH, PG = np.empty(mm * L), np.empty(mm * L), np.empty(mm * L), np.empty(mm * L)
    COEF = np.empty(m * (m + 2) * L)
    s = np.empty(L)
    live = np.empty(L, np.bool_)
    # one run's arrays: set-up and the final state
    w, a, ga, gw = np.empty((m, p)), np.empty((m, k)), np.empty((m, k)), np.empty((m, p))
    ws, astar = np.empty(p), np.empty(k)
    work = np.empty(multi_work_size(m, p, k))
    st = np.empty(4, np.uint64)
    tmp = np.empty(2)
    for l in range(L):
        multi_setup(keys, run0 + g * L + l, ints, reals, st, ws, astar, w, a, tmp)
        s[l] = teacher_sums(astar)[0]
        TEA[l] = _teacher_term(astar, s[l])
        _lane_in(W, l, w.ravel())
        _lane_in(A, l, a.ravel())
        _lane_in(WS, l, ws)
        _lane_in(S, l, astar)
        for q in range(4):
            ST[q * L + l] = st[q]
        live[l] = g * L + l < n
    reading = ints[I_READING]
    for ep in range(ints[I_EPOCHS]):
        eta = reals[F_ETA0] * reals[F_GAMMA_ETA]**ep
        rho_w = reals[F_RHO_W] * reals[F_GAMMA_RHO]**ep
        rho_a = reals[F_RHO_A] * reals[F_GAMMA_RHO]**ep
        for _ in range(ints[I_ITERS0] if ep == 0 else ints[I_ITERS]):
            for f in range(m):  # multi.perturb_filters: U = W + Ξ, B = A + E (its draws, filter by filter)
                lockstep_fill(ST, Z, step)
                for l in range(L):
                    x0 = Z[p * L + l]
                    x1 = Z[(p + 1) * L + l]
                    nrm2 = x0 * x0 + x1 * x1
                    for q in range(p):
                        nrm2 += Z[q * L + l] * Z[q * L + l]
                    scale = rho_w / math.sqrt(nrm2)
                    for q in range(p):
                        o = (f * p + q) * L + l
                        U[o] = Z[q * L + l] * scale + W[o]
                lane_ball_norm(Z, p + 2, k, ACC)
                for l in range(L):
                    SC[l] = rho_a / math.sqrt(ACC[l])
                lane_ball_add(Z, p + 2, k, SC, A, B, f * k)
            for i in range(m):  # multi._output_sums
                lane_dot4(B, i * k, ONE, 0, k, SB, i * L)
                lane_dot4(B, i * k, S, 0, k, BS, i * L)
                for i2 in range(i, m):
                    lane_dot4(B, i * k, B, i2 * k, k, GR, (i * m + i2) * L)
                    for l in range(L):
                        GR[(i2 * m + i) * L + l] = GR[(i * m + i2) * L + l]
            lane_geometry(U, WS, m, p, NRM, UH, CST, PCOS, PTH, PG)
            lane_grad_terms(NRM, UH, CST, PCOS, PTH, PG, SB, BS, GR, WS, s, reading, m, p, GW, COEF, LOSS)
            lane_combine(COEF, m, B, S, k, GA)
            any_live = False
            for l in range(L):
                if live[l] and not (math.isfinite((LOSS[l] + TEA[l]) * INV2PI) and math.isfinite(GA[l])):
                    # mpgd_kernel keeps the state before this step
                    _finish_multi_lane(g * L + l, STATUS_DIVERGED, l, W, WS, A, S, s[l], ints, w, ws, a, astar, ga,
                                       gw, work, out)
                    live[l] = False
                any_live = any_live or live[l]
            if not any_live:
                return
            for x in range(mk * L):  # multi.multi_step: a ← a − η g_a entry by entry, each w_i as SGD's
                A[x] -= eta * GA[x]
            for f in range(m):
                lane_w_step(W[f * p * L:], GW[f * p * L:], WS, p, eta, D)
    for l in range(L):
        if live[l]:
            _finish_multi_lane(g * L + l, STATUS_OK, l, W, WS, A, S, s[l], ints, w, ws, a, astar, ga, gw, work, out)


@jit()
def _finish_multi_lane(i, status, l, W, WS, A, S, s, ints, w, ws, a, astar, ga, gw, work, out):
    """mpgd_kernel's end for lane l: the loss at the final state (PROJECTED), multi_finish."""
    _lane_out(W, l, w.ravel())
    _lane_out(A, l, a.ravel())
    _lane_out(WS, l, ws)
    _lane_out(S, l, astar)
    lo = multi_grad(w, a, ws, astar, s, PROJECTED, ga, gw, work)
    multi_finish(i, status, w, a, ws, astar, lo, ints[I_ITERS0] + (ints[I_EPOCHS] - 1) * ints[I_ITERS], out)


@jit(parallel=True)
def mpgd_lanes_kernel(keys, run0, ints, reals, out):
    """Perturbed GD for the m-filter student: multi.mpgd_kernel's results for these runs,
    computed L runs at a time (prange over groups)."""
    n = out[0].shape[0]
    for g in prange((n + L - 1) // L):
        _mpgd_group(g, run0, n, keys, ints, reals, out)
