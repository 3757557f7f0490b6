"""Stationary points of the m-filter population loss (SPEC §2, E3): the Riemannian gradient
and Hessian on (S^{p−1})^m × R^{m×k}, Newton's method towards a stationary point, snapping
filters onto ±w*, and the classification of a stationary point (minimum, saddle,
degenerate).  NumPy on top of the closed-form gradient :func:`noisecnn.multi.grad`.
"""

from __future__ import annotations

import math

import numpy as np

from . import multi
from .closed_form import g as g_angle


def tangent_basis(w):
    """Orthonormal basis (columns) of the tangent space of the sphere at w."""
    p = w.shape[0]
    q, _ = np.linalg.qr(np.column_stack([w, np.eye(p)]))
    return q[:, 1:p]


class Chart:
    """Coordinates v around (W, A): v ↦ (normalise(w_i + B_i v_i), A + v_a)."""

    def __init__(self, W, A):
        self.W = np.array(W, float)
        self.A = np.array(A, float)
        self.m, self.p = self.W.shape
        self.k = self.A.shape[1]
        self.bases = [tangent_basis(self.W[i]) for i in range(self.m)]
        self.dim_w = self.m * (self.p - 1)
        self.dim = self.dim_w + self.m * self.k

    def point(self, v):
        q = self.p - 1
        Wv = np.array([self.W[i] + self.bases[i] @ v[i * q:(i + 1) * q] for i in range(self.m)])
        return Wv / np.linalg.norm(Wv, axis=1, keepdims=True), self.A + v[self.dim_w:].reshape(self.m, self.k)

    def grad(self, v, wstar, astar):
        """Gradient of the pull-back v ↦ L(point(v)) (weight-normalised reading: exact chain rule)."""
        q = self.p - 1
        Wv = np.array([self.W[i] + self.bases[i] @ v[i * q:(i + 1) * q] for i in range(self.m)])
        _, GA, GW = multi.grad(Wv, self.A + v[self.dim_w:].reshape(self.m, self.k), wstar, astar,
                               reading="weightnorm")
        return np.concatenate([np.concatenate([self.bases[i].T @ GW[i] for i in range(self.m)]), GA.ravel()])

    def hessian(self, wstar, astar, h: float = 1e-5):
        """The Hessian at v = 0: the filter columns by central differences of :meth:`grad`, the
        output-weight block in closed form (the loss is quadratic in A: block (i, i') is
        [(g(θ_ii') − 1) I + 11ᵀ]/2π, SPEC §2), the rest by symmetry.  m(p − 1) gradient pairs
        instead of m(p − 1 + k)."""
        H = np.empty((self.dim, self.dim))
        for j in range(self.dim_w):
            e = np.zeros(self.dim)
            e[j] = h
            H[:, j] = (self.grad(e, wstar, astar) - self.grad(-e, wstar, astar)) / (2 * h)
        H[:self.dim_w, :self.dim_w] = 0.5 * (H[:self.dim_w, :self.dim_w] + H[:self.dim_w, :self.dim_w].T)
        H[:self.dim_w, self.dim_w:] = H[self.dim_w:, :self.dim_w].T
        k, ones = self.k, np.ones((self.k, self.k))
        c = np.clip(self.W @ self.W.T, -1.0, 1.0)
        gm = g_angle(np.arccos(c))
        for i in range(self.m):
            for i2 in range(self.m):
                H[self.dim_w + i * k:self.dim_w + (i + 1) * k, self.dim_w + i2 * k:self.dim_w + (i2 + 1) * k] = (
                    ((gm[i, i2] - 1.0) * np.eye(k) + ones) / (2 * np.pi))
        return H


def loss(W, A, wstar, astar) -> float:
    return float(multi.grad(W, A, wstar, astar)[0])


def riemannian_grad_norm(W, A, wstar, astar) -> float:
    _, GA, GW = multi.grad(W, A, wstar, astar)
    GWt = GW - np.sum(GW * W, axis=1, keepdims=True) * W
    return float(np.sqrt(np.sum(GA**2) + np.sum(GWt**2)))


def optimal_A(W, A0, wstar, astar):
    """The output weights closest to A0 that minimise the loss for fixed unit filters W
    (least-squares correction of the normal equations; the exact minimiser set when
    filters coincide)."""
    m, _ = W.shape
    k = astar.size
    S = astar.sum()
    ones = np.ones((k, k))
    H = np.empty((m * k, m * k))
    rhs = np.empty(m * k)
    for i in range(m):
        ci = float(np.clip(W[i] @ wstar, -1, 1))
        rhs[i * k:(i + 1) * k] = (float(g_angle(np.arccos(ci))) - 1) * astar + S
        for j in range(m):
            cij = float(np.clip(W[i] @ W[j], -1, 1))
            H[i * k:(i + 1) * k, j * k:(j + 1) * k] = (float(g_angle(np.arccos(cij))) - 1) * np.eye(k) + ones
    a0 = np.asarray(A0, float).ravel()
    delta = np.linalg.lstsq(H, rhs - H @ a0, rcond=None)[0]
    return (a0 + delta).reshape(m, k)


def snap(W, A, wstar, astar, near: float):
    """Move filters within ``near`` of ±w* exactly onto ±w* and re-optimise the output
    weights: the candidate limit point of a slowly converging (degenerate) run.
    Returns (W, A, all filters snapped?)."""
    Ws = np.array(W, float)
    phi = np.arccos(np.clip(Ws @ wstar, -1, 1))
    all_snapped = True
    for i in range(Ws.shape[0]):
        if phi[i] < near:
            Ws[i] = wstar
        elif phi[i] > math.pi - near:
            Ws[i] = -wstar
        else:
            all_snapped = False
    return Ws, optimal_A(Ws, A, wstar, astar), all_snapped


def newton(W, A, wstar, astar, steps: int, grad_tol: float):
    """Newton's method for a stationary point (not only a minimum) in tangent coordinates:
    δ = −H⁺g (least squares: degenerate directions are flat), halved until the gradient
    norm drops.  Stops when the relative gradient norm is below ``grad_tol``, when no step
    helps, or after ``steps`` steps.  Returns (W, A, steps taken)."""
    W, A = np.array(W, float), np.array(A, float)
    a_norm = math.sqrt(float(np.sum(np.asarray(astar) ** 2)))
    for step in range(steps):
        chart = Chart(W, A)
        g0 = chart.grad(np.zeros(chart.dim), wstar, astar)
        n0 = float(np.linalg.norm(g0))
        if n0 / a_norm < grad_tol:
            return W, A, step
        delta = -np.linalg.lstsq(chart.hessian(wstar, astar), g0, rcond=1e-9)[0]
        t = 1.0
        while t > 1e-6:
            Wn, An = chart.point(t * delta)
            if np.linalg.norm(Chart(Wn, An).grad(np.zeros(chart.dim), wstar, astar)) < n0:
                W, A = Wn, An
                break
            t *= 0.5
        else:
            return W, A, step + 1
    return W, A, steps


def refine(W, A, wstar, astar, near: float, grad_tol: float, steps: int):
    """The stationary point a final state converges to: snapped onto ±w* when every filter
    is near ±w* (GD approaches these degenerate points only sublinearly), then Newton.
    Returns (W, A, snapped?, Newton steps)."""
    Ws, As, ok = snap(W, A, wstar, astar, near)
    if not ok:
        Ws, As = np.array(W, float), np.array(A, float)
    Ws, As, n = newton(Ws, As, wstar, astar, steps, grad_tol)
    return Ws, As, ok, n


def classify(W, A, wstar, astar, grad_tol: float, hess_tol: float, probe: float = 1e-2, n_random: int = 8,
             seed: int = 0) -> tuple[str, float, float]:
    """(type, relative Riemannian gradient norm, smallest Hessian eigenvalue).

    The spurious points of this model are degenerate (the loss moves only like (π − φ)³
    along w), so a zero eigenvalue is resolved by probing the loss along the Hessian's
    null directions (and random combinations of them): any decrease proves a saddle."""
    a2 = float(np.sum(np.asarray(astar) ** 2))
    gnorm = riemannian_grad_norm(W, A, wstar, astar) / math.sqrt(a2)
    chart = Chart(W, A)
    lam, vec = np.linalg.eigh(chart.hessian(wstar, astar))
    lam_min = float(lam[0])
    if gnorm >= grad_tol:
        return "not stationary", gnorm, lam_min
    if lam_min < -hess_tol:
        return "saddle", gnorm, lam_min
    null = vec[:, np.abs(lam) <= hess_tol]
    if null.shape[1] == 0:
        return "strict local minimum", gnorm, lam_min
    base = loss(*chart.point(np.zeros(chart.dim)), wstar, astar)
    rng = np.random.default_rng(seed)
    dirs = [null[:, j] for j in range(null.shape[1])]
    dirs += [null @ _unit(rng.standard_normal(null.shape[1])) for _ in range(n_random)]
    for d in dirs:
        for sgn in (1.0, -1.0):
            if loss(*chart.point(sgn * probe * d), wstar, astar) < base - 1e-13 * max(1.0, abs(base)):
                return "saddle (degenerate)", gnorm, lam_min
    return "minimum (degenerate)", gnorm, lam_min


def _unit(v):
    return v / np.linalg.norm(v)
