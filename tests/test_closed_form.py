"""Closed forms (SPEC §2-3) against Monte Carlo and finite differences."""

import math

import numpy as np
import pytest

from noisecnn import specs
from noisecnn import closed_form as cf


def mc_loss(W, A, wstar, astar, rng, n=200_000, chunk=20_000):
    """Monte-Carlo estimate (mean, standard error) of ½E(f(Z;W,A) − f(Z;w*,a*))²."""
    W = np.atleast_2d(W)
    A = np.atleast_2d(A)
    p, k = wstar.shape[0], astar.shape[0]
    vals = []
    for _ in range(n // chunk):
        Z = rng.standard_normal((chunk, k, p))  # Z[:, j] is patch j
        f = sum(np.maximum(Z @ W[i], 0.0) @ A[i] for i in range(W.shape[0]))
        y = np.maximum(Z @ wstar, 0.0) @ astar
        vals.append(0.5 * (f - y) ** 2)
    v = np.concatenate(vals)
    return v.mean(), v.std(ddof=1) / math.sqrt(v.size)


def unit(v):
    return v / np.linalg.norm(v)


def random_point(rng, p, k, m=1, unit_filters=True):
    wstar = unit(rng.standard_normal(p))
    astar = rng.standard_normal(k) / math.sqrt(k)
    W = rng.standard_normal((m, p))
    if unit_filters:
        W /= np.linalg.norm(W, axis=1, keepdims=True)
    else:
        W *= rng.uniform(0.5, 2.0, (m, 1)) / np.linalg.norm(W, axis=1, keepdims=True)
    A = rng.standard_normal((m, k)) / math.sqrt(k)
    return W, A, wstar, astar


def test_g_endpoints_and_expectation(rng):
    assert cf.g(0.0) == pytest.approx(math.pi)
    assert cf.g(math.pi) == pytest.approx(0.0, abs=1e-15)
    # E σ(zᵀu)σ(zᵀv) = g(θ)/2π by Monte Carlo
    u, v = unit(rng.standard_normal(6)), unit(rng.standard_normal(6))
    z = rng.standard_normal((2_000_000, 6))
    prod = np.maximum(z @ u, 0) * np.maximum(z @ v, 0)
    se = prod.std() / math.sqrt(prod.size)
    assert abs(prod.mean() - cf.g(cf.angle(u, v)) / (2 * math.pi)) < 4 * se


@pytest.mark.parametrize("m,unit_filters", [(1, True), (1, False), (2, True), (2, False)])
def test_loss_matches_monte_carlo(rng, m, unit_filters):
    for _ in range(2):
        W, A, wstar, astar = random_point(rng, p=6, k=8, m=m, unit_filters=unit_filters)
        mean, se = mc_loss(W, A, wstar, astar, rng)
        assert abs(cf.loss_multi(W, A, wstar, astar) - mean) < 4.5 * se, (mean, se)


def test_unit_closed_form_agrees_with_bilinear_form(rng):
    W, A, wstar, astar = random_point(rng, p=6, k=9)
    phi = cf.angle(W[0], wstar)
    assert cf.loss_unit(phi, A[0], astar) == pytest.approx(cf.loss(W[0], A[0], wstar, astar), rel=1e-12)


def test_njit_loss_matches_numpy(rng):
    W, A, wstar, astar = random_point(rng, p=6, k=9)
    s, s2 = astar.sum(), astar @ astar
    assert cf.pop_loss(W[0], A[0], wstar, astar, s, s2) == pytest.approx(
        cf.loss(W[0], A[0], wstar, astar), rel=1e-12)


def fd_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


@pytest.mark.parametrize("reading", specs.READINGS)
def test_pop_grad_matches_finite_differences(rng, reading):
    code = specs.READINGS.index(reading)
    for _ in range(3):
        p, k = 6, 7
        wstar = unit(rng.standard_normal(p))
        astar = rng.standard_normal(k)
        u = rng.standard_normal(p) * rng.uniform(0.3, 3.0)  # off the sphere
        b = rng.standard_normal(k)
        ga, gw = np.empty(k), np.empty(p)
        cf.pop_grad(u, b, wstar, astar, astar.sum(), code, ga, gw)
        uhat = unit(u)
        if reading == "literal":
            ref_a = fd_grad(lambda x: cf.loss(u, x, wstar, astar), b)
            ref_w = fd_grad(lambda x: cf.loss(x, b, wstar, astar), u)
        else:
            ref_a = fd_grad(lambda x: cf.loss(uhat, x, wstar, astar), b)
            if reading == "weightnorm":
                ref_w = fd_grad(lambda x: cf.loss(unit(x), b, wstar, astar), u)
            else:  # Riemannian gradient of L(·, b) at û
                e = fd_grad(lambda x: cf.loss(unit(x), b, wstar, astar), uhat)
                ref_w = e - (e @ uhat) * uhat
        np.testing.assert_allclose(ga, ref_a, rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(gw, ref_w, rtol=1e-6, atol=1e-8)


def test_readings_coincide_on_the_sphere(rng):
    p, k = 6, 5
    wstar, astar = unit(rng.standard_normal(p)), rng.standard_normal(k)
    u, b = unit(rng.standard_normal(p)), rng.standard_normal(k)
    outs = []
    for code in range(3):
        ga, gw = np.empty(k), np.empty(p)
        cf.pop_grad(u, b, wstar, astar, astar.sum(), code, ga, gw)
        outs.append(np.concatenate([ga, gw - (gw @ u) * u]))
    np.testing.assert_allclose(outs[0], outs[1], atol=1e-12)
    np.testing.assert_allclose(outs[0], outs[2], atol=1e-12)


@pytest.mark.parametrize("k,r", [(25, 0.0), (25, 4.0), (100, 25.0), (36, 16.0)])
def test_teacher_and_spurious_point(rng, k, r):
    v = rng.standard_normal(k)
    v -= v.mean()
    v /= np.linalg.norm(v)
    astar = cf.teacher_astar(k, r, 1.7, v)
    assert np.linalg.norm(astar) == pytest.approx(1.7)
    assert cf.ratio_r(astar) == pytest.approx(r, abs=1e-9)
    wstar = unit(rng.standard_normal(6))
    at = cf.spurious_a(astar)
    # ã solves the normal equations ((π−1)I + 11ᵀ) ã = (11ᵀ − I) a*
    M = (math.pi - 1) * np.eye(k) + np.ones((k, k))
    np.testing.assert_allclose(M @ at, (np.ones((k, k)) - np.eye(k)) @ astar, atol=1e-12)
    # stationary: closed-form gradient vanishes ...
    ga, gw = np.empty(k), np.empty(6)
    cf.pop_grad(-wstar, at, wstar, astar, astar.sum(), specs.PROJECTED, ga, gw)
    assert np.abs(ga).max() < 1e-13 and np.abs(gw).max() < 1e-13
    # ... and so does the finite-difference gradient of the loss (a and tangent w directions)
    assert np.abs(fd_grad(lambda x: cf.loss(-wstar, x, wstar, astar), at)).max() < 1e-7
    e = fd_grad(lambda x: cf.loss(unit(x), at, wstar, astar), -wstar)
    assert np.abs(e - (e @ wstar) * wstar).max() < 1e-7


@pytest.mark.parametrize("k", [25, 36, 49, 64, 81, 100])
def test_spurious_sign_changes_exactly_at_threshold(rng, k):
    rc = cf.spurious_threshold(k)
    v = rng.standard_normal(k)
    v -= v.mean()
    v /= np.linalg.norm(v)
    below = cf.teacher_astar(k, rc * (1 - 1e-9), 1.0, v)
    above = cf.teacher_astar(k, rc * (1 + 1e-9), 1.0, v)
    assert cf.spurious_a(below) @ below < 0 < cf.spurious_a(above) @ above


def test_spurious_is_local_min_below_threshold_saddle_above(rng):
    """Loss along w rotating away from −w* (a re-optimised): rises iff ãᵀa* < 0."""
    k, p = 25, 6
    v = rng.standard_normal(k)
    v -= v.mean()
    v /= np.linalg.norm(v)
    wstar = unit(rng.standard_normal(p))
    perp = rng.standard_normal(p)
    perp = unit(perp - (perp @ wstar) * wstar)
    for r, rises in [(4.0, True), (16.0, False)]:
        astar = cf.teacher_astar(k, r, 1.0, v)
        at = cf.spurious_a(astar)
        base = cf.loss(-wstar, at, wstar, astar)
        d = 0.05
        w = -math.cos(d) * wstar + math.sin(d) * perp
        assert (cf.loss(w, at, wstar, astar) > base) == rises


def test_optimal_a_solves_normal_equations(rng):
    k = 11
    astar = rng.standard_normal(k)
    for G in (0.0, 1.0, 2.2, math.pi):
        a = cf.optimal_a(G, astar)
        M = (math.pi - 1) * np.eye(k) + np.ones((k, k))
        np.testing.assert_allclose(M @ a, (G - 1) * astar + astar.sum(), atol=1e-12)
    np.testing.assert_allclose(cf.optimal_a(math.pi, astar), astar, atol=1e-12)
    np.testing.assert_allclose(cf.optimal_a(0.0, astar), cf.spurious_a(astar), atol=1e-12)
