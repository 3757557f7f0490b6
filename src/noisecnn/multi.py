"""The over-parameterized student: m filters against the one-filter teacher (SPEC §2, E3).

f(Z; W, A) = Σ_i a_iᵀσ(Zᵀw_i), each w_i on the unit sphere.  With the bilinear form
K(b,u; c,v) = ‖u‖‖v‖/2π [(g(θ_uv) − 1) bᵀc + (1ᵀb)(1ᵀc)] the population loss is

    L = ½ [ Σ_{i,i'} K(a_i,w_i; a_i',w_i') − 2 Σ_i K(a_i,w_i; a*,w*) + K(a*,w*; a*,w*) ].

For m = 1 everything here reduces to :mod:`noisecnn.closed_form` and the kernels consume
the random streams in the same order as the one-filter kernels, so the m = 1 study
reproduces them for the same seeds.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from ._jit import jit
from .closed_form import INV2PI, PI, spurious_a_nb
from .kernels import (
    F_ETA0,
    F_GAMMA_ETA,
    F_GAMMA_RHO,
    F_R,
    F_RHO_A,
    F_RHO_W,
    F_SCALE,
    I_EPOCHS,
    I_INIT,
    I_ITERS,
    I_ITERS0,
    I_READING,
    I_TEACHER,
    STATUS_DIVERGED,
    STATUS_OK,
    draw_teacher,
    teacher_sums,
)
from .rng import fill_normals, seed_state, uniform_ball, unit_vector
from .specs import INIT_SPURIOUS, LITERAL, PROJECTED, READINGS, WEIGHTNORM


@jit(inline="always")
def _filter_geometry(U, wstar, nrm, uh, cstar, pcos, pth, pg):
    """‖u_i‖, û_i (flat: [i * p + q]), cos θ(û_i, w*) and, once per pair, cos θ_ii', θ_ii'
    and g(θ_ii') (flat (m, m) tables: a reshape costs numba about 20 ns per call)."""
    m, p = U.shape
    for i in range(m):
        n2 = 0.0
        for q in range(p):
            n2 += U[i, q] * U[i, q]
        nrm[i] = math.sqrt(n2)
        c = 0.0
        for q in range(p):
            uh[i * p + q] = U[i, q] / nrm[i]
            c += uh[i * p + q] * wstar[q]
        cstar[i] = min(1.0, max(-1.0, c))
    # θ_ii' = θ_i'i: û_iᵀû_i' and û_i'ᵀû_i are the same products in the same order, so the same bits
    for i in range(m):
        pcos[i * m + i] = 1.0
        pth[i * m + i] = 0.0
        pg[i * m + i] = PI
        for i2 in range(i + 1, m):
            c = 0.0
            for q in range(p):
                c += uh[i * p + q] * uh[i2 * p + q]
            c = min(1.0, max(-1.0, c))
            th = math.acos(c)
            gg = math.sqrt(max(0.0, 1.0 - c * c)) + (PI - th) * c
            pcos[i * m + i2] = c
            pcos[i2 * m + i] = c
            pth[i * m + i2] = th
            pth[i2 * m + i] = th
            pg[i * m + i2] = gg
            pg[i2 * m + i] = gg


@jit(inline="always")
def _wsum4(X, i, v):
    """Σ_j X[i, j] v[j] as four interleaved partial sums, added in a fixed order (no
    re-association is allowed, see _jit): independent chains of additions instead of one
    long chain whose every addition waits for the previous one."""
    k = X.shape[1]
    k4 = k - k % 4
    s0 = 0.0
    s1 = 0.0
    s2 = 0.0
    s3 = 0.0
    for j in range(0, k4, 4):
        s0 += X[i, j] * v[j]
        s1 += X[i, j + 1] * v[j + 1]
        s2 += X[i, j + 2] * v[j + 2]
        s3 += X[i, j + 3] * v[j + 3]
    for j in range(k4, k):
        s0 += X[i, j] * v[j]
    return (s0 + s1) + (s2 + s3)


@jit(inline="always")
def _rowdot4(X, i, Y, i2):
    """X[i]ᵀY[i2] in the same way as :func:`_wsum4`."""
    k = X.shape[1]
    k4 = k - k % 4
    d0 = 0.0
    d1 = 0.0
    d2 = 0.0
    d3 = 0.0
    for j in range(0, k4, 4):
        d0 += X[i, j] * Y[i2, j]
        d1 += X[i, j + 1] * Y[i2, j + 1]
        d2 += X[i, j + 2] * Y[i2, j + 2]
        d3 += X[i, j + 3] * Y[i2, j + 3]
    for j in range(k4, k):
        d0 += X[i, j] * Y[i2, j]
    return (d0 + d1) + (d2 + d3)


@jit(inline="always")
def _output_sums(B, one, star, sb, bstar, gram):
    """1ᵀb_i, b_iᵀa* and b_iᵀb_i' from the rows of B in an orthonormal frame of their span:
    ``one`` and ``star`` are 1 and a* in that frame (the identity frame: 1 and a* themselves;
    1.0 · x is x, so the same bits as summing B's entries)."""
    m = B.shape[0]
    for i in range(m):
        sb[i] = _wsum4(B, i, one)
        bstar[i] = _wsum4(B, i, star)
    for i in range(m):
        for i2 in range(i, m):
            d = _rowdot4(B, i, B, i2)
            gram[i * m + i2] = d
            gram[i2 * m + i] = d


@jit(inline="always")
def _grad_terms(nrm, uh, cstar, pcos, pth, pg, sb, bstar, gram, wstar, sum_astar, reading, GW, coef):
    """The loss without its constant ½K(a*, w*; a*, w*) term, G_W, and the a-gradient as a
    combination of the rows b_i', a* and 1: g_{a_i} = [Σ_i' coef[i, i'] b_i' + coef[i, m] a*
    + coef[i, m + 1] 1] / 2π (``coef`` flat, m + 2 per row), so that it can be applied to the
    rows themselves or to their coordinates in a frame (:func:`_combine`)."""
    m, p = GW.shape
    d = m + 2
    lit = reading == LITERAL
    loss = 0.0
    for i in range(m):
        ni = nrm[i] if lit else 1.0
        # Σ_i' n_i n_i' [(g_ii' − 1) b_i' + (1ᵀb_i') 1] − n_i [(g_i* − 1) a* + S* 1]
        theta_s = math.acos(cstar[i])
        g_s = math.sqrt(max(0.0, 1.0 - cstar[i] * cstar[i])) + (PI - theta_s) * cstar[i]
        lin = -ni * sum_astar
        coef[i * d + m] = -ni * (g_s - 1.0)
        for q in range(p):
            GW[i, q] = 0.0
        rad = 0.0  # ∂L/∂n_i (literal reading)
        for i2 in range(m):
            n2_ = nrm[i2] if lit else 1.0
            c = pcos[i * m + i2]
            th = pth[i * m + i2]
            gg = pg[i * m + i2]
            f = ni * n2_
            lin += f * sb[i2]
            coef[i * d + i2] = f * (gg - 1.0)
            kval = (gg - 1.0) * gram[i * m + i2] + sb[i] * sb[i2]
            rad += n2_ * kval
            loss += 0.5 * f * kval
            if i2 != i:
                cw = f * gram[i * m + i2] * (PI - th)
                for q in range(p):
                    GW[i, q] += cw * (uh[i2 * p + q] - c * uh[i * p + q])
        coef[i * d + m + 1] = lin
        kstar = (g_s - 1.0) * bstar[i] + sb[i] * sum_astar
        rad -= kstar
        loss -= ni * kstar
        cw = -ni * bstar[i] * (PI - theta_s)
        for q in range(p):
            GW[i, q] = INV2PI * (GW[i, q] + cw * (wstar[q] - cstar[i] * uh[i * p + q]))
        if lit:
            for q in range(p):
                GW[i, q] = GW[i, q] / nrm[i] + INV2PI * rad * uh[i * p + q]
        elif reading == WEIGHTNORM:
            for q in range(p):
                GW[i, q] /= nrm[i]
    return loss


@jit(inline="always")
def _combine(coef, B, star, one, GA):
    """GA[i] = [coef[i, m] a* + Σ_i' coef[i, i'] b_i' + coef[i, m + 1] 1] / 2π, entry by entry
    in that order (see _grad_terms)."""
    m, k = GA.shape
    d = m + 2
    for i in range(m):
        cs = coef[i * d + m]
        for j in range(k):
            GA[i, j] = cs * star[j]
        for i2 in range(m):
            f = coef[i * d + i2]
            for j in range(k):
                GA[i, j] += f * B[i2, j]
        lin = coef[i * d + m + 1]
        for j in range(k):
            GA[i, j] = INV2PI * (GA[i, j] + lin * one[j])


@jit(inline="always")
def _teacher_term(astar, sum_astar):
    """½K(a*, w*; a*, w*)·2π = ½[(π − 1)‖a*‖² + (1ᵀa*)²]."""
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    a3 = 0.0
    k = astar.shape[0]
    k4 = k - k % 4
    for j in range(0, k4, 4):
        a0 += astar[j] * astar[j]
        a1 += astar[j + 1] * astar[j + 1]
        a2 += astar[j + 2] * astar[j + 2]
        a3 += astar[j + 3] * astar[j + 3]
    for j in range(k4, k):
        a0 += astar[j] * astar[j]
    aa = (a0 + a1) + (a2 + a3)
    return 0.5 * ((PI - 1.0) * aa + sum_astar * sum_astar)


@jit(inline="always")
def _grad_in_frame(U, B, one, star, wstar, sum_astar, teacher, reading, GA, GW, work):
    """multi_grad with the output weights given by their coordinates B in an orthonormal frame
    in which 1 and a* have the coordinates ``one`` and ``star``; GA receives the a-gradient's
    coordinates.  ``teacher``: :func:`_teacher_term`.  In the identity frame (B the weights,
    ``one`` all ones, ``star`` a*) this is multi_grad, bit for bit."""
    m, p = U.shape
    nrm = work[0:m]
    sb = work[m:2 * m]
    cstar = work[2 * m:3 * m]
    bstar = work[3 * m:4 * m]
    gram = work[4 * m:4 * m + m * m]
    uh = work[4 * m + m * m:4 * m + m * m + m * p]
    o = 4 * m + m * m + m * p
    pcos = work[o:o + m * m]
    pth = work[o + m * m:o + 2 * m * m]
    pg = work[o + 2 * m * m:o + 3 * m * m]
    coef = work[o + 3 * m * m:o + 3 * m * m + m * (m + 2)]
    _filter_geometry(U, wstar, nrm, uh, cstar, pcos, pth, pg)
    _output_sums(B, one, star, sb, bstar, gram)
    loss = _grad_terms(nrm, uh, cstar, pcos, pth, pg, sb, bstar, gram, wstar, sum_astar, reading, GW, coef)
    _combine(coef, B, star, one, GA)
    return (loss + teacher) * INV2PI


@jit()
def multi_grad(U, B, wstar, astar, sum_astar, reading, GA, GW, work):
    """Gradient of the m-filter loss at (U, B) (rows: filters), readings as in
    :func:`closed_form.pop_grad`.  ``work`` needs multi_work_size(m, p, k) entries.
    Returns the loss at the evaluation point (for the unit-filter readings: at Û)."""
    m, p = U.shape
    k = B.shape[1]
    one = work[multi_work_size(m, p, 0):multi_work_size(m, p, k)]
    for j in range(k):
        one[j] = 1.0
    return _grad_in_frame(U, B, one, astar, wstar, sum_astar, _teacher_term(astar, sum_astar), reading,
                          GA, GW, work)


@jit()
def ball_from(z, o, d, rho, out):
    """out <- rho z[o:o+d] / ‖z[o:o+d+2]‖: rng.uniform_ball's arithmetic on normals already drawn."""
    nrm2 = z[o + d] * z[o + d] + z[o + d + 1] * z[o + d + 1]
    for j in range(d):
        nrm2 += z[o + j] * z[o + j]
    scale = rho / math.sqrt(nrm2)
    for j in range(d):
        out[j] = z[o + j] * scale


@jit()
def perturb_filters(st, W, A, rho_w, rho_a, U, Bm, z):
    """U = W + Ξ, Bm = A + E: per filter ξ_i ~ unif(B_p(ρ_w)), ε_i ~ unif(B_k(ρ_a)).  The same
    draws in the same order as rng.uniform_ball called filter by filter (p + 2, then k + 2
    normals each), so the same bits, from one fill of m(p + k + 4) normals per step."""
    m, p = W.shape
    k = A.shape[1]
    fill_normals(st, z, 0, m * (p + k + 4))
    for f in range(m):
        o = f * (p + k + 4)
        ball_from(z, o, p, rho_w, U[f])
        ball_from(z, o + p + 2, k, rho_a, Bm[f])
        for q in range(p):
            U[f, q] += W[f, q]
        for j in range(k):
            Bm[f, j] += A[f, j]


@jit()
def multi_step(W, A, GA, GW, eta):
    """Every a_i ← a_i − η g_{a_i};  every w_i ← normalise(w_i − η (I − w_iw_iᵀ) g_{w_i})."""
    m, p = W.shape
    for i in range(m):
        for j in range(A.shape[1]):
            A[i, j] -= eta * GA[i, j]
        d = 0.0
        for q in range(p):
            d += W[i, q] * GW[i, q]
        n2 = 0.0
        for q in range(p):
            W[i, q] -= eta * (GW[i, q] - d * W[i, q])
            n2 += W[i, q] * W[i, q]
        inv = 1.0 / math.sqrt(n2)
        for q in range(p):
            W[i, q] *= inv


@jit()
def multi_setup(keys, run, ints, reals, st, wstar, astar, W, A, tmp):
    """Teacher as in the one-filter kernels; init: SPURIOUS = every w_i = −w*, a_i = ã/m;
    RANDOM = per filter w_i ~ unif(S), a_i ~ unif(B(|1ᵀa*|/√k)) (same stream order as m = 1)."""
    m, p = W.shape
    k = A.shape[1]
    seed_state(keys[0], run, st)
    draw_teacher(st, k, reals[F_R], reals[F_SCALE], ints[I_TEACHER], wstar, astar)
    seed_state(keys[1], run, st)
    s = 0.0
    for j in range(k):
        s += astar[j]
    if ints[I_INIT] == INIT_SPURIOUS:
        for i in range(m):
            for q in range(p):
                W[i, q] = -wstar[q]
            spurious_a_nb(astar, A[i])
            for j in range(k):
                A[i, j] /= m
    else:
        for i in range(m):
            unit_vector(st, W[i], 0, p)
            uniform_ball(st, A[i], 0, k, abs(s) / math.sqrt(k), tmp)


# GD stops once the relative Riemannian gradient norm is below this: the iterate is then a
# stationary point to rounding (every remaining step would move it by less than 1e-14).
STATIONARY = 1e-13


@jit()
def tangent_grad_sq(W, GA, GW):
    """‖∇_A L‖² + Σ_i ‖(I − w_iw_iᵀ)∇_{w_i} L‖²."""
    m, p = W.shape
    k = GA.shape[1]
    k4 = k - k % 4
    t = 0.0
    for i in range(m):
        t0 = 0.0  # four partial sums, added in a fixed order (see multi_grad)
        t1 = 0.0
        t2 = 0.0
        t3 = 0.0
        for j in range(0, k4, 4):
            t0 += GA[i, j] * GA[i, j]
            t1 += GA[i, j + 1] * GA[i, j + 1]
            t2 += GA[i, j + 2] * GA[i, j + 2]
            t3 += GA[i, j + 3] * GA[i, j + 3]
        for j in range(k4, k):
            t0 += GA[i, j] * GA[i, j]
        t += (t0 + t1) + (t2 + t3)
        d = 0.0
        for q in range(p):
            d += W[i, q] * GW[i, q]
        for q in range(p):
            x = GW[i, q] - d * W[i, q]
            t += x * x
    return t


@jit()
def multi_finish(i, status, W, A, wstar, astar, loss, steps, out):
    out_W, out_A, out_wstar, out_astar, out_loss, out_status, out_steps = out
    out_steps[i] = steps
    out_W[i] = W
    out_A[i] = A
    out_wstar[i] = wstar
    out_astar[i] = astar
    out_status[i] = status
    out_loss[i] = loss if status == STATUS_OK else np.nan


# One run's work arrays, at fixed offsets of one pool (see kernels.split_pool): the layout
# is defined once by the sizes below.
@jit()
def multi_work_size(m, p, k):
    """multi_grad's scratch: 4m + 4m² + m·p entries, the a-gradient's m(m + 2) coefficients,
    and k ones."""
    return 4 * m + 4 * m * m + m * p + m * (m + 2) + k


@jit()
def multi_pool_size(m, p, k):
    return 3 * m * p + 3 * m * k + multi_work_size(m, p, k) + p + k + 2


@jit()
def multi_split(pool, m, p, k):
    """(W, GW, U | A, GA, Bm | work | wstar, astar, tmp), in pool order."""
    mp, mk = m * p, m * k
    o = 3 * mp + 3 * mk
    nw = multi_work_size(m, p, k)
    return (pool[0:mp].reshape((m, p)), pool[mp:2 * mp].reshape((m, p)), pool[2 * mp:3 * mp].reshape((m, p)),
            pool[3 * mp:3 * mp + mk].reshape((m, k)), pool[3 * mp + mk:3 * mp + 2 * mk].reshape((m, k)),
            pool[3 * mp + 2 * mk:o].reshape((m, k)), pool[o:o + nw], pool[o + nw:o + nw + p],
            pool[o + nw + p:o + nw + p + k], pool[o + nw + p + k:o + nw + p + k + 2])


@jit()
def output_frame(A, astar, Q):
    """Orthonormal rows Q[0:d] spanning {a_1, …, a_m, a*, 1} (modified Gram-Schmidt; a vector
    whose remainder is below 1e-9 of its norm adds no row); returns d.  ``Q`` is (m + 2, k)."""
    m, k = A.shape
    d = 0
    for v in range(m + 2):
        for j in range(k):
            Q[d, j] = A[v, j] if v < m else (astar[j] if v == m else 1.0)
        n0 = math.sqrt(_rowdot4(Q, d, Q, d))
        for c in range(d):
            h = _rowdot4(Q, d, Q, c)
            for j in range(k):
                Q[d, j] -= h * Q[c, j]
        n1 = math.sqrt(_rowdot4(Q, d, Q, d))
        if n1 > 1e-9 * n0:
            for j in range(k):
                Q[d, j] /= n1
            d += 1
    return d


@jit()
def to_frame(X, Q, d, C):
    """C[:, :d] = X Q[:d]ᵀ: the coordinates of X's rows."""
    for i in range(X.shape[0]):
        for c in range(d):
            C[i, c] = _rowdot4(X, i, Q, c)


@jit()
def from_frame(C, Q, d, X):
    """X = C[:, :d] Q[:d]."""
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            X[i, j] = 0.0
        for c in range(d):
            h = C[i, c]
            for j in range(X.shape[1]):
                X[i, j] += h * Q[c, j]


@jit(parallel=True)
def mgd_kernel(keys, run0, ints, reals, out):
    """GD for the m-filter student with exact population gradients.

    GD's a-gradient is a combination of the rows a_i', a* and 1 (multi._grad_terms), so every
    iterate's a_i stays in their initial span, a space of dimension d <= m + 2 (k is 25-100).
    GD therefore runs on the coordinates of the a_i in an orthonormal frame of that span: the
    same iteration in exact arithmetic, with every k-length sum (1ᵀa_i, a_iᵀa*, a_iᵀa_i' and
    the a-gradient) replaced by a d-length one; the final a_i and loss are computed in full."""
    n, m, p = out[0].shape
    k = out[1].shape[2]
    for i in prange(n):
        st = np.empty(4, np.uint64)
        pool = np.empty(multi_pool_size(m, p, k))
        W, GW, U, A, GA, Bm, work, wstar, astar, tmp = multi_split(pool, m, p, k)
        multi_setup(keys, run0 + i, ints, reals, st, wstar, astar, W, A, tmp)
        s, s2 = teacher_sums(astar)
        fpool = np.empty((m + 2) * k + 2 * m * (m + 2) + 2 * (m + 2))
        Q = fpool[0:(m + 2) * k].reshape((m + 2, k))
        d = output_frame(A, astar, Q)
        o = (m + 2) * k
        C = fpool[o:o + m * d].reshape((m, d))
        GC = fpool[o + m * d:o + 2 * m * d].reshape((m, d))
        one = fpool[o + 2 * m * d:o + 2 * m * d + d]
        star = fpool[o + 2 * m * d + d:o + 2 * m * d + 2 * d]
        for c in range(d):
            one[c] = 0.0
            for j in range(k):
                one[c] += Q[c, j]
        to_frame(astar.reshape((1, k)), Q, d, star.reshape((1, d)))
        to_frame(A, Q, d, C)
        teacher = _teacher_term(astar, s)
        eta = reals[F_ETA0]
        status = STATUS_OK
        tol = STATIONARY * STATIONARY * s2
        t = 0
        while t < ints[I_ITERS]:
            lo = _grad_in_frame(W, C, one, star, wstar, s, teacher, PROJECTED, GC, GW, work)
            if not (math.isfinite(lo) and math.isfinite(GC[0, 0])):
                status = STATUS_DIVERGED
                break
            if tangent_grad_sq(W, GC, GW) < tol:
                break
            multi_step(W, C, GC, GW, eta)
            t += 1
        from_frame(C, Q, d, A)
        lo = multi_grad(W, A, wstar, astar, s, PROJECTED, GA, GW, work)
        multi_finish(i, status, W, A, wstar, astar, lo, t, out)


@jit(parallel=True)
def mpgd_kernel(keys, run0, ints, reals, out):
    """Perturbed GD for the m-filter student: independent ξ_i, ε_i per filter."""
    n, m, p = out[0].shape
    k = out[1].shape[2]
    for i in prange(n):
        st = np.empty(4, np.uint64)
        pool = np.empty(multi_pool_size(m, p, k))
        W, GW, U, A, GA, Bm, work, wstar, astar, tmp = multi_split(pool, m, p, k)
        znoise = np.empty(m * (p + k + 4))
        multi_setup(keys, run0 + i, ints, reals, st, wstar, astar, W, A, tmp)
        s, s2 = teacher_sums(astar)
        reading = ints[I_READING]
        status = STATUS_OK
        for ep in range(ints[I_EPOCHS]):
            eta = reals[F_ETA0] * reals[F_GAMMA_ETA]**ep
            rho_w = reals[F_RHO_W] * reals[F_GAMMA_RHO]**ep
            rho_a = reals[F_RHO_A] * reals[F_GAMMA_RHO]**ep
            for _ in range(ints[I_ITERS0] if ep == 0 else ints[I_ITERS]):
                perturb_filters(st, W, A, rho_w, rho_a, U, Bm, znoise)
                lo = multi_grad(U, Bm, wstar, astar, s, reading, GA, GW, work)
                if not (math.isfinite(lo) and math.isfinite(GA[0, 0])):
                    status = STATUS_DIVERGED
                    break
                multi_step(W, A, GA, GW, eta)
            if status != STATUS_OK:
                break
        lo = multi_grad(W, A, wstar, astar, s, PROJECTED, GA, GW, work)
        multi_finish(i, status, W, A, wstar, astar, lo, ints[I_ITERS0] + (ints[I_EPOCHS] - 1) * ints[I_ITERS], out)


MULTI_KERNELS = {"gd": mgd_kernel, "pgd": mpgd_kernel}



@jit()
def gd_continue(W, A, wstar, astar, eta, iters):
    """Continue GD in place from (W, A) for ``iters`` steps (used to polish a final state)."""
    m, p = W.shape
    k = A.shape[1]
    pool = np.empty(multi_pool_size(m, p, k))
    _, GW, _, _, GA, _, work, _, _, _ = multi_split(pool, m, p, k)
    s = 0.0
    for j in range(k):
        s += astar[j]
    for _ in range(iters):
        multi_grad(W, A, wstar, astar, s, PROJECTED, GA, GW, work)
        multi_step(W, A, GA, GW, eta)


# ---------------------------------------------------------------------------- Python API
def grad(W, A, wstar, astar, reading: str = "projected"):
    """(loss, G_A, G_W) at (W, A) — NumPy convenience wrapper of :func:`multi_grad`."""
    W = np.ascontiguousarray(np.atleast_2d(W), dtype=float)
    A = np.ascontiguousarray(np.atleast_2d(A), dtype=float)
    m, p = W.shape
    GA = np.empty_like(A)
    GW = np.empty_like(W)
    work = np.empty(multi_work_size(m, p, A.shape[1]))
    lo = multi_grad(W, A, np.asarray(wstar, float), np.asarray(astar, float), float(np.sum(astar)),
                    READINGS.index(reading), GA, GW, work)
    return lo, GA, GW
