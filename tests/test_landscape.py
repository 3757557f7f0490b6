"""E4 landscapes (noisecnn.smoothing): ρ = 0 agrees with the closed form, G_ρ and the smoothed objective agree
with direct Monte Carlo, the two-filter slice agrees with the m-filter loss."""

import math

import numpy as np
import pytest

from noisecnn import closed_form as cf
from noisecnn import smoothing as L


def unit(v):
    return v / np.linalg.norm(v)


def teacher(rng, k, r):
    v = rng.standard_normal(k)
    return cf.teacher_astar(k, r, 1.0, unit(v - v.mean()))


def test_rho_zero_is_the_closed_form(rng):
    phis = np.linspace(0, math.pi, 13)
    G, se = L.smoothed_G(phis, 0.0, 6)
    np.testing.assert_allclose(G, cf.g(phis))
    np.testing.assert_array_equal(se, 0)
    astar = teacher(rng, 25, 4.0)
    prof = L.profile(G, astar)
    for phi, val in zip(phis, prof):
        # the profile is the loss at the optimal a, which no other a beats
        a_opt = cf.optimal_a(cf.g(phi), astar)
        assert val == pytest.approx(cf.loss_unit(phi, a_opt, astar), rel=1e-12, abs=1e-15)
        for _ in range(3):
            assert cf.loss_unit(phi, a_opt + 0.05 * rng.standard_normal(25), astar) > val
    assert prof[0] == pytest.approx(0.0, abs=1e-14)  # the global optimum
    # the spurious point: a local minimum of the profile at φ = π for r below the threshold
    assert prof[-1] < prof[-2]


@pytest.mark.parametrize("rho_w,rho_a", [(1.0, 0.0), (5.76, 0.4), (36.0, 1.0)])
def test_smoothed_objective_matches_direct_monte_carlo(rng, rho_w, rho_a):
    k, p = 12, 6
    astar = teacher(rng, k, 1.0)
    a = rng.standard_normal(k) / math.sqrt(k)
    for phi in (0.4, 2.0, math.pi):
        G, se_g = L.smoothed_G([phi], rho_w, p, n=400_000, seed=1)
        formula = L.smoothed_loss(G[0], a, astar, rho_a)
        mc, se = L.smoothed_loss_mc(phi, a, astar, rho_w, rho_a, p, 400_000, rng)
        # the formula inherits G's Monte-Carlo error through the aᵀa* term
        se_formula = se_g[0] * abs(a @ astar) / (2 * math.pi)
        assert abs(formula - mc) < 5 * math.hypot(se, se_formula), (phi, formula, mc, se)


def test_smoothing_monotone_and_bounded():
    phis = np.linspace(0, math.pi, 41)
    G36, se = L.smoothed_G(phis, 36.0, 6, n=200_000)
    assert se.max() < 2e-3
    assert np.all(np.diff(G36) < 5 * se.max())  # still decreasing in φ, only flatter
    assert G36.max() - G36.min() < 0.3 and G36.min() > 0.9  # nearly flat, the paper's 'smoother'
    G0, _ = L.smoothed_G(phis, 0.0, 6)
    assert G0.max() - G0.min() == pytest.approx(math.pi)


def test_constrained_min_is_the_profile_at_the_optimal_t(rng):
    k = 10
    astar = teacher(rng, k, 0.0)
    for phi in (0.3, 2.5):
        G = float(cf.g(phi))
        a_opt = cf.optimal_a(G, astar)
        t = np.linspace(-1, 1, 41)
        vals = L.constrained_min(G, t, astar)
        assert vals.min() >= L.profile(G, astar)[0] - 1e-12
        assert L.constrained_min(G, [a_opt @ astar], astar)[0] == pytest.approx(L.profile(G, astar)[0], rel=1e-10)


def test_two_filter_slice_matches_m_filter_loss(rng):
    from noisecnn import multi

    k = 6
    astar = teacher(rng, k, 1.0)
    wstar = np.zeros(6)
    wstar[0] = 1.0
    e = np.zeros(6)
    e[1] = 1.0
    phi1, phi2 = [0.7], [-2.0]
    val = L.two_filter_slice(phi1, phi2, astar)[0, 0]
    W = np.array([math.cos(phi1[0]) * wstar + math.sin(phi1[0]) * e, math.cos(phi2[0]) * wstar + math.sin(phi2[0]) * e])
    # minimise the m-filter closed form over A by gradient descent: reaches the same value
    A = np.zeros((2, k))
    for _ in range(4000):
        lo, GA, _ = multi.grad(W, A, wstar, astar)
        A -= 0.1 * GA
    assert lo == pytest.approx(val, rel=1e-6, abs=1e-10)
    # both filters at w*: zero loss
    assert L.two_filter_slice([0.0], [0.0], astar)[0, 0] == pytest.approx(0.0, abs=1e-12)
