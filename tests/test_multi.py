"""The m-filter student: closed form vs finite differences, m = 1 vs the one-filter
code, and the stationary-point checks of the catalogue."""

import math

import numpy as np
import pytest

from noisecnn import specs
from noisecnn import closed_form as cf
from noisecnn import multi
from noisecnn import stationary as st
from noisecnn.kernels import pack
from noisecnn.simulate import Algorithm, Problem, keys, simulate, simulate_multi


def unit(v):
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def point(rng, m, p=6, k=7, off_sphere=False):
    wstar = unit(rng.standard_normal(p))
    astar = rng.standard_normal(k) / math.sqrt(k)
    W = unit(rng.standard_normal((m, p)))
    if off_sphere:
        W *= rng.uniform(0.4, 2.5, (m, 1))
    A = rng.standard_normal((m, k)) / math.sqrt(k)
    return W, A, wstar, astar


def fd(f, X, h=1e-6):
    G = np.zeros_like(X)
    for idx in np.ndindex(X.shape):
        E = np.zeros_like(X)
        E[idx] = h
        G[idx] = (f(X + E) - f(X - E)) / (2 * h)
    return G


@pytest.mark.parametrize("m", [1, 2, 3])
@pytest.mark.parametrize("reading", specs.READINGS)
def test_multi_grad_matches_finite_differences(rng, m, reading):
    W, A, wstar, astar = point(rng, m, off_sphere=True)
    lo, GA, GW = multi.grad(W, A, wstar, astar, reading)
    if reading == "literal":
        assert lo == pytest.approx(cf.loss_multi(W, A, wstar, astar), rel=1e-12)
        ref_A = fd(lambda X: cf.loss_multi(W, X, wstar, astar), A)
        ref_W = fd(lambda X: cf.loss_multi(X, A, wstar, astar), W)
    else:
        Wh = unit(W)
        assert lo == pytest.approx(cf.loss_multi(Wh, A, wstar, astar), rel=1e-12)
        ref_A = fd(lambda X: cf.loss_multi(Wh, X, wstar, astar), A)
        if reading == "weightnorm":
            ref_W = fd(lambda X: cf.loss_multi(unit(X), A, wstar, astar), W)
        else:
            E = fd(lambda X: cf.loss_multi(unit(X), A, wstar, astar), Wh)
            ref_W = E - np.sum(E * Wh, axis=1, keepdims=True) * Wh
    np.testing.assert_allclose(GA, ref_A, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(GW, ref_W, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("reading", specs.READINGS)
def test_one_filter_multi_grad_is_pop_grad(rng, reading):
    W, A, wstar, astar = point(rng, 1, off_sphere=True)
    _, GA, GW = multi.grad(W, A, wstar, astar, reading)
    ga, gw = np.empty(A.shape[1]), np.empty(W.shape[1])
    cf.pop_grad(W[0], A[0], wstar, astar, astar.sum(), specs.READINGS.index(reading), ga, gw)
    np.testing.assert_allclose(GA[0], ga, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(GW[0], gw, rtol=1e-12, atol=1e-14)


def test_m1_kernels_reproduce_the_single_filter_kernels():
    prob = Problem(k=25, r=4.0)
    for alg in (Algorithm("gd", init="random", iters_per_epoch=3000),
                Algorithm("pgd", epochs=4, iters_per_epoch=300, gamma_eta=0.8, rho_w=36.0, rho_a=1.0,
                          gamma_rho=0.4)):
        one = simulate(prob, alg, seed=4, experiment="eq", cell="c", label=alg.name, n_runs=40)
        mul = simulate_multi(prob, alg, 1, keys=keys(4, "eq", "c", alg.name), run_start=0, n_runs=40)
        np.testing.assert_array_equal(one.wstar, mul["wstar"])
        np.testing.assert_array_equal(one.astar, mul["astar"])
        np.testing.assert_allclose(mul["W"][:, 0], one.final_w, atol=1e-7)
        np.testing.assert_allclose(mul["A"][:, 0], one.final_a, atol=1e-7)
        np.testing.assert_allclose(mul["loss"], one.loss, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("m, k", [(1, 7), (3, 9), (4, 25)])
def test_gd_in_the_output_frame_follows_gd_on_the_full_weights(m, k):
    """The GD kernel runs on the coordinates of the a_i in a frame of span{a_i(0), a*, 1}; the
    reference here is plain GD on the full (W, A), step by step in Python with the k-space
    gradient (multi.grad), from the kernel's own starting point (the kernel's own set-up)."""
    prob = Problem(k=k, r=4.0)
    ks = np.asarray(keys(5, "frame", "c", "gd"), np.uint64)
    steps = 150
    alg = Algorithm("gd", init="random", iters_per_epoch=steps, eta0=0.1 / m)
    got = simulate_multi(prob, alg, m, keys=ks, run_start=0, n_runs=3)
    ints, reals = pack(prob, alg, 0)
    for r in range(3):
        W, A = np.empty((m, 6)), np.empty((m, k))
        wstar, astar = np.empty(6), np.empty(k)
        multi.multi_setup(ks, r, ints, reals, np.empty(4, np.uint64), wstar, astar, W, A, np.empty(2))
        for _ in range(steps):
            _, GA, GW = multi.grad(W, A, wstar, astar)
            A -= 0.1 / m * GA
            W -= 0.1 / m * (GW - np.sum(W * GW, axis=1, keepdims=True) * W)
            W = unit(W)
        assert got["steps"][r] == steps
        np.testing.assert_allclose(got["A"][r], A, rtol=0, atol=1e-12)
        np.testing.assert_allclose(got["W"][r], W, rtol=0, atol=1e-12)
        assert got["loss"][r] == pytest.approx(multi.grad(W, A, wstar, astar)[0], rel=1e-10)


def test_output_frame_is_orthonormal_and_drops_dependent_vectors(rng):
    k = 8
    astar = rng.standard_normal(k)
    A = np.stack([rng.standard_normal(k), 2.0 * astar, np.ones(k) + astar])  # rank 3 with a* and 1
    Q = np.empty((5, k))
    d = multi.output_frame(A, astar, Q)
    assert d == 3
    np.testing.assert_allclose(Q[:d] @ Q[:d].T, np.eye(d), atol=1e-14)
    for v in (*A, astar, np.ones(k)):  # every spanning vector is reproduced by its coordinates
        np.testing.assert_allclose(Q[:d].T @ (Q[:d] @ v), v, atol=1e-13)


def test_spurious_configuration_is_stationary(rng):
    k = 9
    wstar = unit(rng.standard_normal(6))
    v = rng.standard_normal(k)
    v = unit(v - v.mean())
    astar = cf.teacher_astar(k, 1.0, 1.0, v)
    for m in (1, 2, 4):
        W = np.tile(-wstar, (m, 1))
        A = np.tile(cf.spurious_a(astar) / m, (m, 1))
        assert st.riemannian_grad_norm(W, A, wstar, astar) < 1e-12


def test_stationary_point_checks(rng):
    k = 9
    wstar = unit(rng.standard_normal(6))
    v = rng.standard_normal(k)
    v = unit(v - v.mean())
    # a non-stationary point is flagged
    W, A, _, _ = point(rng, 2, k=k)
    astar = cf.teacher_astar(k, 1.0, 1.0, v)
    assert st.riemannian_grad_norm(W, A, wstar, astar) > 1e-3
    kind, g, lam = st.classify(W, A, wstar, astar, 1e-6, 1e-6)
    assert kind == "not stationary" and g > 1e-3
    # the global optimum is a strict local minimum
    kind, g, lam = st.classify(wstar[None, :], astar[None, :], wstar, astar, 1e-6, 1e-6)
    assert kind == "strict local minimum" and lam > 1e-3
    # the spurious point: a zero Hessian eigenvalue along w (the loss moves like (π − φ)³),
    # a saddle above the threshold r > (k+π−1)/π, a minimum below it (SPEC §3)
    high = cf.teacher_astar(k, 8.0, 1.0, v)
    assert 8.0 > cf.spurious_threshold(k) > 1.0
    kind, g, lam = st.classify(-wstar[None, :], cf.spurious_a(high)[None, :], wstar, high, 1e-6, 1e-6)
    assert kind == "saddle (degenerate)" and abs(lam) < 1e-6 and g < 1e-12
    low = cf.teacher_astar(k, 1.0, 1.0, v)
    kind, g, lam = st.classify(-wstar[None, :], cf.spurious_a(low)[None, :], wstar, low, 1e-6, 1e-6)
    assert kind == "minimum (degenerate)" and abs(lam) < 1e-6


def test_bad_m_and_algorithm():
    with pytest.raises(ValueError, match="^m "):
        simulate_multi(Problem(k=5), Algorithm("gd"), 0, keys=keys(1, "e", "c", "gd"), run_start=0, n_runs=1)
    with pytest.raises(ValueError, match="^algorithm"):
        simulate_multi(Problem(k=5), Algorithm("sgd"), 2, keys=keys(1, "e", "c", "s"), run_start=0, n_runs=1)


def test_snap_recovers_the_exact_stationary_point(rng):
    """A run that stopped near the degenerate spurious configuration snaps onto it."""
    k = 9
    wstar = unit(rng.standard_normal(6))
    v = rng.standard_normal(k)
    astar = cf.teacher_astar(k, 1.0, 1.0, unit(v - v.mean()))
    W = np.tile(-wstar, (2, 1)) + 0.05 * rng.standard_normal((2, 6))
    W = unit(W)
    A = np.tile(cf.spurious_a(astar) / 2, (2, 1)) + 0.01 * rng.standard_normal((2, k))
    assert st.riemannian_grad_norm(W, A, wstar, astar) > 1e-4
    Ws, As, ok = st.snap(W, A, wstar, astar, near=0.2)
    assert ok and np.allclose(Ws, -wstar)
    assert st.riemannian_grad_norm(Ws, As, wstar, astar) < 1e-12
    np.testing.assert_allclose(As.sum(axis=0), cf.spurious_a(astar), atol=1e-10)
    # duplicating the spurious filter with the weights split evenly leaves a stationary point
    # with a direction of negative curvature: the two filters moving apart lower the loss by
    # (θ²/4) a₁ᵀa₂ to second order (the cross term (g(θ₁₂) − 1) a₁ᵀa₂ / 2π)
    even = np.tile(cf.spurious_a(astar) / 2, (2, 1))
    kind, g, lam = st.classify(-np.tile(wstar, (2, 1)), even, wstar, astar, 1e-8, 1e-6)
    assert kind == "saddle" and g < 1e-12
    at = cf.spurious_a(astar)
    assert lam == pytest.approx(-(at @ at) / 4, rel=1e-4)  # the antisymmetric w-direction


def test_newton_reaches_the_stationary_point_gd_converges_to(rng):
    """Newton's method on the closed form lands on the point long GD converges to, and says
    'not stationary' when it is given no step; the inputs are left alone."""
    k = 9
    wstar = unit(rng.standard_normal(6))
    v = rng.standard_normal(k)
    astar = cf.teacher_astar(k, 1.0, 1.0, unit(v - v.mean()))
    W = unit(wstar + 0.3 * rng.standard_normal(6))[None, :]
    A = astar[None, :] + 0.1 * rng.standard_normal((1, k))
    W0, A0 = W.copy(), A.copy()
    g0 = st.riemannian_grad_norm(W, A, wstar, astar)
    assert g0 > 1e-3
    Wn, An, steps = st.newton(W, A, wstar, astar, 30, 1e-10)
    assert 0 < steps < 30 and st.riemannian_grad_norm(Wn, An, wstar, astar) < 1e-10
    np.testing.assert_array_equal(W, W0)
    np.testing.assert_array_equal(A, A0)
    # an independent route to the same point: many plain GD steps
    Wg, Ag = W.copy(), A.copy()
    multi.gd_continue(Wg, Ag, wstar, astar, 0.1, 20_000)
    np.testing.assert_allclose(Wn, Wg, atol=1e-7)
    np.testing.assert_allclose(An, Ag, atol=1e-7)
    assert st.classify(Wn, An, wstar, astar, 1e-8, 1e-6)[0] == "strict local minimum"
    Wq, Aq, steps = st.newton(W, A, wstar, astar, 0, 1e-10)
    assert steps == 0 and st.classify(Wq, Aq, wstar, astar, 1e-8, 1e-6)[0] == "not stationary"


def test_newton_finds_a_saddle_too(rng):
    """Newton seeks a zero of the gradient, not a minimum: started beside the symmetric saddle
    of two coincident filters at −w* (weights split evenly), it returns to it."""
    k = 9
    wstar = unit(rng.standard_normal(6))
    v = rng.standard_normal(k)
    astar = cf.teacher_astar(k, 1.0, 1.0, unit(v - v.mean()))
    W = np.tile(-wstar, (2, 1))
    A = np.tile(cf.spurious_a(astar) / 2, (2, 1)) + 1e-3 * rng.standard_normal((2, k))
    Wn, An, _ = st.newton(W, A, wstar, astar, 30, 1e-10)
    assert st.riemannian_grad_norm(Wn, An, wstar, astar) < 1e-10
    assert st.classify(Wn, An, wstar, astar, 1e-8, 1e-6)[0] == "saddle"


@pytest.mark.parametrize("m", [1, 2, 3])
def test_hessian_matches_finite_differences_of_the_gradient(rng, m):
    """The Hessian's closed-form output-weight block (and the symmetric filter/weight blocks)
    against central differences of the closed-form gradient in every coordinate."""
    W, A, wstar, astar = point(rng, m, k=5)
    chart = st.Chart(W, A)
    H = chart.hessian(wstar, astar)
    h = 1e-5
    full = np.empty_like(H)
    for j in range(chart.dim):
        e = np.zeros(chart.dim)
        e[j] = h
        full[:, j] = (chart.grad(e, wstar, astar) - chart.grad(-e, wstar, astar)) / (2 * h)
    np.testing.assert_allclose(H, 0.5 * (full + full.T), atol=1e-7)
    np.testing.assert_allclose(H, H.T, atol=0)
