"""Noise smoothing of the population landscape (E4; the paper's Figures 1-2 are cartoons).

Under the ``projected`` reading the noise-smoothed objective (the paper's eq. 4) is

    E_{ξ,ε} L(û, a + ε),   û = (w + ξ)/‖w + ξ‖,  ξ ~ unif(B_p(ρ_w)),  ε ~ unif(B_k(ρ_a)),

which depends on w only through φ = ∠(w, w*) via G_ρ(φ) = E_ξ g(∠(w + ξ, w*)):

    (1/4π) [ (π−1)(‖a‖² + ‖a*‖²) + (1ᵀa − 1ᵀa*)² − 2 (G_ρ(φ) − 1) aᵀa* ] + c(ρ_a),

with c(ρ_a) = ρ_a² k π / (4π (k+2)) from E‖ε‖² = E(1ᵀε)² = ρ_a² k/(k+2).  Minimising the
quadratic in a gives the profile ℓ_ρ(φ).  G_ρ is estimated by Monte Carlo with common
random numbers over the φ grid; its standard error is returned with it.
"""

from __future__ import annotations

import math

import numpy as np

from .closed_form import PI, g, optimal_a


def smoothed_G(phis, rho: float, p: int, n: int = 400_000, seed: int = 0, chunk: int = 50_000):
    """(G_ρ(φ), standard error) on the grid ``phis``; exact g(φ) (error 0) for ρ = 0.

    Only the components of ξ along w and along the direction of w* ⟂ w, and the norm of
    the rest, enter the angle: (1 + x₁, x₂, t).  ξ is drawn uniformly in the p-ball as the
    first p coordinates of a uniform point on S^{p+1}."""
    phis = np.asarray(phis, float)
    if rho == 0:
        return g(phis), np.zeros_like(phis)
    rng = np.random.default_rng(seed)
    s1 = np.zeros_like(phis)
    s2 = np.zeros_like(phis)
    cos_p, sin_p = np.cos(phis), np.sin(phis)
    done = 0
    while done < n:
        m = min(chunk, n - done)
        z = rng.standard_normal((m, p + 2))
        xi = rho * z[:, :p] / np.linalg.norm(z, axis=1, keepdims=True)
        a = 1.0 + xi[:, 0]
        b = xi[:, 1]
        nrm = np.sqrt(a * a + b * b + np.sum(xi[:, 2:] ** 2, axis=1))
        c = np.clip((np.outer(a, cos_p) + np.outer(b, sin_p)) / nrm[:, None], -1.0, 1.0)
        th = np.arccos(c)
        gv = np.sqrt(np.maximum(0.0, 1.0 - c * c)) + (PI - th) * c
        s1 += gv.sum(axis=0)
        s2 += (gv * gv).sum(axis=0)
        done += m
    mean = s1 / n
    var = np.maximum(0.0, s2 / n - mean**2)
    return mean, np.sqrt(var / n)


def smoothed_loss(G, a, astar, rho_a: float = 0.0):
    """The smoothed objective at angle-function value G (G = g(φ) for ρ_w = 0)."""
    a = np.asarray(a, float)
    astar = np.asarray(astar, float)
    k = astar.shape[-1]
    noise = rho_a**2 * k * PI / (4 * PI * (k + 2))
    return (1 / (4 * PI)) * ((PI - 1) * (a @ a + astar @ astar) + (a.sum() - astar.sum()) ** 2
                             - 2 * (G - 1) * (a @ astar)) + noise


def profile(G, astar, rho_a: float = 0.0):
    """ℓ(φ) = min_a of the smoothed objective, for each value of G = G_ρ(φ)."""
    G = np.atleast_1d(np.asarray(G, float))
    return np.array([smoothed_loss(x, optimal_a(x, astar), astar, rho_a) for x in G])


def smoothed_loss_mc(phi: float, a, astar, rho_w: float, rho_a: float, p: int, n: int, rng):
    """Direct Monte Carlo (mean, s.e.) of E_{ξ,ε} L(û, a + ε): an independent check of
    :func:`smoothed_G` and :func:`smoothed_loss`."""
    a = np.asarray(a, float)
    astar = np.asarray(astar, float)
    k = astar.size
    wstar = np.zeros(p)
    wstar[0] = 1.0
    w = np.zeros(p)
    w[0], w[1] = math.cos(phi), math.sin(phi)
    z = rng.standard_normal((n, p + 2))
    xi = rho_w * z[:, :p] / np.linalg.norm(z, axis=1, keepdims=True)
    ze = rng.standard_normal((n, k + 2))
    eps = rho_a * ze[:, :k] / np.linalg.norm(ze, axis=1, keepdims=True)
    u = w + xi
    c = np.clip(u[:, 0] / np.linalg.norm(u, axis=1), -1.0, 1.0)
    b = a + eps
    vals = (1 / (4 * PI)) * ((PI - 1) * (np.sum(b * b, axis=1) + astar @ astar) + (b.sum(axis=1) - astar.sum()) ** 2
                             - 2 * (g(np.arccos(c)) - 1) * (b @ astar))
    return vals.mean(), vals.std(ddof=1) / math.sqrt(n)


def constrained_min(G, t, astar):
    """min over a with aᵀa* = t of the smoothed objective (ρ_a = 0), for scalar G and a
    vector of t: the 2-D landscape over (φ, aᵀa*)."""
    astar = np.asarray(astar, float)
    k = astar.size
    M = (PI - 1) * np.eye(k) + np.ones((k, k))
    Minv = np.linalg.inv(M)
    b = (G - 1) * astar + astar.sum()
    x0 = Minv @ b
    y = Minv @ astar
    lam = (np.asarray(t, float) - astar @ x0) / (astar @ y)
    out = []
    for la in np.atleast_1d(lam):
        a = x0 + la * y
        out.append(smoothed_loss(G, a, astar))
    return np.array(out)


def two_filter_slice(phi1, phi2, astar):
    """min over (a₁, a₂) of the two-filter loss with w_i = cos φ_i w* + sin φ_i e (one plane).

    Returns an array of shape (len(phi1), len(phi2))."""
    astar = np.asarray(astar, float)
    k = astar.size
    S = astar.sum()
    P = (PI - 1) * np.eye(k) + np.ones((k, k))
    kstar = astar @ P @ astar
    out = np.empty((len(phi1), len(phi2)))
    for i, a1 in enumerate(phi1):
        for j, a2 in enumerate(phi2):
            th12 = abs(a1 - a2)
            th12 = min(th12, 2 * PI - th12)
            g12 = float(g(th12))
            Q = (g12 - 1) * np.eye(k) + np.ones((k, k))
            H = np.block([[P, Q], [Q, P]])
            rhs = np.concatenate([(float(g(abs(a1) if abs(a1) <= PI else 2 * PI - abs(a1))) - 1) * astar + S,
                                  (float(g(abs(a2) if abs(a2) <= PI else 2 * PI - abs(a2))) - 1) * astar + S])
            sol = np.linalg.lstsq(H, rhs, rcond=None)[0]
            out[i, j] = (kstar - rhs @ sol) / (4 * PI)
    return out


def representative_astar(k: int, r: float, scale: float) -> np.ndarray:
    """A teacher with the given (k, r, ‖a*‖): the profile depends on a* only through them
    (Figure 3's ±s/√k teacher when r = 0 and k is even)."""
    from .closed_form import pm_astar, teacher_astar

    if r == 0 and k % 2 == 0:
        return pm_astar(k, scale)
    v = np.cos(np.arange(k) * 2.0)
    v = v - v.mean()
    return teacher_astar(k, r, scale, v / np.linalg.norm(v))


def critical_G(astar) -> float:
    """G at which the optimal a turns from aᵀa* < 0 to > 0: the smoothed objective keeps a
    local minimum at φ = π iff G_ρ(π) is below it."""
    a0 = optimal_a(0.0, astar) @ astar
    a1 = optimal_a(1.0, astar) @ astar
    return float(-a0 / (a1 - a0))
