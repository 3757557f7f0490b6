"""Closed forms of the population landscape (SPEC §2-3).

Two layers:

* NumPy functions (``loss``, ``loss_multi``, ``teacher``, ``spurious_a`` ...) that
  accept arbitrary (also non-unit) filters; they are the reference the tests check
  against Monte Carlo and finite differences, and what the landscape figures use.
* ``@njit`` building blocks (``pop_grad``, ``apply_step``, ``pop_loss`` ...) shared by
  every kernel; each is a small pure function on 1-D arrays.

Notation: ``g(θ) = sin θ + (π − θ) cos θ``; for unit u, v at angle θ,
``E σ(zᵀu) σ(zᵀv) = g(θ)/2π``; the bilinear form is
``K(b,u; c,v) = ‖u‖‖v‖/(2π) [ (g(θ) − 1) bᵀc + (1ᵀb)(1ᵀc) ]``.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import jit
from .specs import LITERAL, WEIGHTNORM

PI = math.pi
INV2PI = 1.0 / (2.0 * PI)


# ---------------------------------------------------------------------------
# NumPy reference layer
# ---------------------------------------------------------------------------
def g(theta):
    theta = np.asarray(theta, dtype=float)
    return np.sin(theta) + (PI - theta) * np.cos(theta)


def angle(u, v):
    u = np.asarray(u, float)
    v = np.asarray(v, float)
    c = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.arccos(np.clip(c, -1.0, 1.0))


def bilinear(b, u, c, v):
    """K(b,u; c,v) = E[(bᵀσ(Zᵀu)) (cᵀσ(Zᵀv))] for arbitrary (non-zero) u, v."""
    nu = np.linalg.norm(u)
    nv = np.linalg.norm(v)
    th = angle(u, v)
    return nu * nv * INV2PI * ((g(th) - 1.0) * np.dot(b, c) + np.sum(b) * np.sum(c))


def loss_multi(W, A, wstar, astar):
    """Population loss of the m-filter student f = Σ_i a_iᵀσ(Zᵀw_i) (rows of W, A).

    Filters need not be unit vectors (the unnormalised network)."""
    W = np.atleast_2d(np.asarray(W, float))
    A = np.atleast_2d(np.asarray(A, float))
    m = W.shape[0]
    total = bilinear(astar, wstar, astar, wstar)
    for i in range(m):
        total -= 2.0 * bilinear(A[i], W[i], astar, wstar)
        for j in range(m):
            total += bilinear(A[i], W[i], A[j], W[j])
    return 0.5 * total


def loss(w, a, wstar, astar):
    """Population loss of the one-filter student (w may be off the sphere)."""
    return loss_multi(np.asarray(w)[None, :], np.asarray(a)[None, :], wstar, astar)


def loss_unit(phi, a, astar):
    """SPEC §2 closed form for a unit filter at angle φ to w*."""
    a = np.asarray(a, float)
    astar = np.asarray(astar, float)
    return (1.0 / (4 * PI)) * (
        (PI - 1) * (a @ a + astar @ astar)
        + (a.sum() - astar.sum()) ** 2
        - 2 * (g(phi) - 1) * (a @ astar)
    )


def teacher_astar(k, r, scale, v):
    """a* = s((√r/k)1 + √(1 − r/k) v) for a unit v ⟂ 1 (SPEC §3)."""
    v = np.asarray(v, float)
    return scale * (math.sqrt(r) / k * np.ones(k) + math.sqrt(max(0.0, 1.0 - r / k)) * v)


def pm_astar(k, scale=1.0):
    """Figure 3's explicit teacher: −s/√k on the first half, +s/√k on the second."""
    a = np.full(k, scale / math.sqrt(k))
    a[: k // 2] *= -1.0
    return a


def ratio_r(astar):
    """r = (1ᵀa*)² / ‖a*‖²."""
    astar = np.asarray(astar, float)
    return astar.sum() ** 2 / (astar @ astar)


def spurious_a(astar):
    """ã = ((π−1)I + 11ᵀ)⁻¹ (11ᵀ − I) a* = (1/(π−1)) [π(1ᵀa*)/(k+π−1) 1 − a*]."""
    astar = np.asarray(astar, float)
    k = astar.shape[-1]
    s = astar.sum(axis=-1, keepdims=True)
    return (PI * s / (k + PI - 1) - astar) / (PI - 1)


def spurious_threshold(k):
    """(w = −w*, ã) is a local minimum iff r < (k + π − 1)/π (SPEC §3)."""
    return (k + PI - 1) / PI


def optimal_a(G, astar):
    """argmin_a of the loss (or its noise-smoothed version) when E g(·) = G.

    Solves ((π−1)I + 11ᵀ) a = ((G−1)I + 11ᵀ) a* by Sherman-Morrison."""
    astar = np.asarray(astar, float)
    k = astar.shape[-1]
    rhs = (G - 1.0) * astar + astar.sum()
    return (rhs - rhs.sum() / (k + PI - 1)) / (PI - 1)


# ---------------------------------------------------------------------------
# njit building blocks shared by the kernels
# ---------------------------------------------------------------------------
@jit()
def g_cos(c):
    """(θ, g(θ)) from c = cos θ ∈ [−1, 1] without sin/cos calls."""
    theta = math.acos(c)
    return theta, math.sqrt(max(0.0, 1.0 - c * c)) + (PI - theta) * c


@jit()
def cos_angle(u, v):
    """cos ∠(u, v), clipped to [−1, 1]."""
    uv = 0.0
    uu = 0.0
    vv = 0.0
    for i in range(u.shape[0]):
        uv += u[i] * v[i]
        uu += u[i] * u[i]
        vv += v[i] * v[i]
    c = uv / math.sqrt(uu * vv)
    return min(1.0, max(-1.0, c))


@jit()
def w_grad(u, wstar, nu, c, phi, gg, bb, sb, bsq, sum_astar, reading, gw):
    """The w-part of :func:`pop_grad` from the sums it needs: ‖u‖, cos φ, φ, g(φ), bᵀa*,
    1ᵀb and (literal reading only) ‖b‖²."""
    p = u.shape[0]
    coef = -INV2PI * bb * (PI - phi)  # multiplies (w* − cos φ û)
    if reading == LITERAL:
        q = (PI - 1.0) * bsq + sb * sb
        rad = INV2PI * (nu * q - ((gg - 1.0) * bb + sb * sum_astar))
        for i in range(p):
            uh = u[i] / nu
            gw[i] = rad * uh + coef * (wstar[i] - c * uh)
    else:
        if reading == WEIGHTNORM:
            coef = coef / nu
        for i in range(p):
            gw[i] = coef * (wstar[i] - c * u[i] / nu)


@jit()
def pop_grad(u, b, wstar, astar, sum_astar, reading, ga, gw):
    """Population gradient of the one-filter loss evaluated at (u, b).

    ``u`` may be off the sphere; ``reading`` picks what "the gradient at u" means:

    * PROJECTED: ∇_a L(û, b) and the Riemannian gradient of L(·, b) at û;
    * WEIGHTNORM: ∇ of L(u/‖u‖, b) w.r.t. (u, b) (Riemannian gradient / ‖u‖);
    * LITERAL: ∇ of the unnormalised network's loss L(u, b) (Euclidean).

    For a unit u the three coincide. Writes ``ga`` (k) and ``gw`` (p); returns ∠(u, w*).
    """
    p = u.shape[0]
    k = b.shape[0]
    nu2 = 0.0
    uw = 0.0
    for i in range(p):
        nu2 += u[i] * u[i]
        uw += u[i] * wstar[i]
    nu = math.sqrt(nu2)
    c = min(1.0, max(-1.0, uw / nu))
    phi, gg = g_cos(c)
    sb = 0.0
    bb = 0.0
    for j in range(k):
        sb += b[j]
        bb += b[j] * astar[j]
    if reading == LITERAL:
        n1 = nu
        n2 = nu2
    else:
        n1 = 1.0
        n2 = 1.0
    lin = n2 * sb - n1 * sum_astar
    for j in range(k):
        ga[j] = INV2PI * (n2 * (PI - 1.0) * b[j] - n1 * (gg - 1.0) * astar[j] + lin)
    bsq = 0.0
    if reading == LITERAL:
        for j in range(k):
            bsq += b[j] * b[j]
    w_grad(u, wstar, nu, c, phi, gg, bb, sb, bsq, sum_astar, reading, gw)
    return phi


@jit()
def apply_step(w, a, ga, gw, eta):
    """a ← a − η g_a;  w ← normalise(w − η (I − wwᵀ) g_w)."""
    for j in range(a.shape[0]):
        a[j] -= eta * ga[j]
    d = 0.0
    for i in range(w.shape[0]):
        d += w[i] * gw[i]
    n2 = 0.0
    for i in range(w.shape[0]):
        w[i] -= eta * (gw[i] - d * w[i])
        n2 += w[i] * w[i]
    inv = 1.0 / math.sqrt(n2)
    for i in range(w.shape[0]):
        w[i] *= inv


@jit()
def pop_loss(w, a, wstar, astar, sum_astar, astar_sq):
    """Closed-form loss at a unit filter w (SPEC §2)."""
    phi, gg = g_cos(cos_angle(w, wstar))
    aa = 0.0
    sa = 0.0
    ab = 0.0
    for j in range(a.shape[0]):
        aa += a[j] * a[j]
        sa += a[j]
        ab += a[j] * astar[j]
    d = sa - sum_astar
    return (1.0 / (4.0 * PI)) * ((PI - 1.0) * (aa + astar_sq) + d * d - 2.0 * (gg - 1.0) * ab)


@jit()
def observe(w, a, wstar, astar, sum_astar, astar_sq):
    """(aᵀa*, φ, loss) at a unit filter — the trajectory observables."""
    ab = 0.0
    for j in range(a.shape[0]):
        ab += a[j] * astar[j]
    phi = math.acos(cos_angle(w, wstar))
    return ab, phi, pop_loss(w, a, wstar, astar, sum_astar, astar_sq)


@jit()
def rel_error(a, astar, astar_sq):
    d2 = 0.0
    for j in range(a.shape[0]):
        e = a[j] - astar[j]
        d2 += e * e
    return math.sqrt(d2 / astar_sq)


@jit()
def spurious_a_nb(astar, out):
    k = astar.shape[0]
    s = 0.0
    for j in range(k):
        s += astar[j]
    c = PI * s / (k + PI - 1.0)
    for j in range(k):
        out[j] = (c - astar[j]) / (PI - 1.0)
