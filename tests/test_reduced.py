"""The reduced model of the escape (noisecnn.reduced) against the kernels' own gradients:
one-step moments at fixed points, the output weights' feedback identity, the exact step map,
the mini-batch moments of an independent sampler, and the first-passage formula."""

import math

import numpy as np
import pytest

from noisecnn import closed_form as cf
from noisecnn import kernels as K
from noisecnn import reduced, specs
from noisecnn.rng import seed_state, stream_key
from noisecnn.smoothing import smoothed_G


def frame(phi, p=6):
    """w = e₁, w* at angle φ in the (e₁, e₂) plane, e = e₂ (tangent at w towards w*)."""
    w, wstar, e = np.zeros(p), np.zeros(p), np.zeros(p)
    w[0] = 1.0
    wstar[0], wstar[1] = math.cos(phi), math.sin(phi)
    e[1] = 1.0
    return w, wstar, e


def kernel_draws(phi, a, astar, rho_w, rho_a, n, seed):
    """The kernels' perturbed gradients at (w, a): v = tangential w-gradient at the perturbed
    point (projected reading), the a-gradient, and the perturbation (ε, θ) itself."""
    p, k = 6, astar.size
    w, wstar, e = frame(phi, p)
    st = np.empty(4, np.uint64)
    seed_state(stream_key(seed, "reduced"), 0, st)
    xi, eps, u, b, tmp = np.empty(p), np.empty(k), np.empty(p), np.empty(k), np.empty(2)
    ga, gw = np.empty(k), np.empty(p)
    out = {"ve": np.empty(n), "vperp2": np.empty(n), "ga": np.empty((n, k)), "eps": np.empty((n, k)),
           "g": np.empty(n)}
    for i in range(n):
        K.perturb(st, w, a, xi, eps, u, b, rho_w, rho_a, tmp)
        theta = cf.pop_grad(u, b, wstar, astar, astar.sum(), specs.PROJECTED, ga, gw)
        v = gw - (gw @ w) * w
        out["ve"][i] = v @ e
        out["vperp2"][i] = v @ v - (v @ e) ** 2
        out["ga"][i] = ga
        out["eps"][i] = eps
        out["g"][i] = cf.g(theta)
    return out


@pytest.mark.parametrize("phi,rho_w", [(2.8, 36.0), (2.0, 9.0), (math.pi - 1e-3, 16.0)])
def test_perturbed_gd_one_step_moments_match_the_kernels_gradients(phi, rho_w):
    k, rho_a, n = 12, 1.0, 40_000
    astar = reduced.teacher(k, 0.0, 1.0)
    G, _ = smoothed_G([phi], rho_w, 6, n=200_000, seed=3)
    a = cf.optimal_a(G[0], astar)
    chain = reduced.pgd_chain([phi], astar, rho_w, rho_a, 0.1, 6, n=400_000, seed=5)
    d = kernel_draws(phi, a, astar, rho_w, rho_a, n, seed=1)
    se = d["ve"].std() / math.sqrt(n)
    mom = {"ce2": chain["var_ce"] + chain["ce"] ** 2, "ce": chain["ce"]}
    assert abs(d["ve"].mean() - chain["mu_e"][0]) < 5 * se + 2e-4 * abs(d["ve"]).mean()
    # one-step variance of v_e (without the feedback of the output weights): (α² + s_ε²) Var c_e
    s_eps2 = rho_a**2 * (astar @ astar) / (k + 2)
    one_step = (chain["alpha"][0] ** 2 + s_eps2) * (mom["ce2"][0] - mom["ce"][0] ** 2) + s_eps2 * mom["ce"][0] ** 2
    assert d["ve"].var() == pytest.approx(one_step, rel=0.05)
    assert d["vperp2"].mean() == pytest.approx(chain["B"][0], rel=0.05)


def test_the_output_weights_respond_to_their_gradient_noise_as_derived():
    """The kernels' a-gradient at the perturbed point has noise n = [Mε − (g(θ) − G) a*]/2π
    around its mean, so its cumulative effect on β = aᵀa* is −a*ᵀH⁻¹n = −a*ᵀε + (g − G) q
    (q = a*ᵀM⁻¹a*): checked draw by draw."""
    k, phi, rho_w = 9, 2.6, 36.0
    astar = reduced.teacher(k, 4.0, 1.3)
    a = cf.optimal_a(1.0, astar)
    d = kernel_draws(phi, a, astar, rho_w, 0.7, 200, seed=2)
    M = (math.pi - 1) * np.eye(k) + np.ones((k, k))
    q = astar @ np.linalg.solve(M, astar)
    G = d["g"].mean()
    mean_gradient = (M @ a - ((G - 1) * astar + astar.sum())) / (2 * math.pi)
    n = d["ga"] - mean_gradient
    lhs = -(n @ (2 * math.pi * np.linalg.solve(M, astar)))  # −a*ᵀH⁻¹n, H = M/2π
    np.testing.assert_allclose(lhs, -(d["eps"] @ astar) + (d["g"] - G) * q, rtol=1e-9, atol=1e-12)


def test_step_map_is_the_kernels_sphere_step(rng):
    """Equation (R1): the distance from the pole after w ← normalise(w − η v) (closed_form.apply_step)."""
    for _ in range(20):
        phi = rng.uniform(0.2, math.pi - 0.01)
        w, wstar, e = frame(phi)
        v = rng.standard_normal(6)
        v -= (v @ w) * w
        eta = rng.uniform(0.01, 0.3)
        w2 = w.copy()
        a = np.zeros(3)
        cf.apply_step(w2, a, np.zeros(3), v, eta)
        y = math.pi - phi
        ve = v @ e
        c = (math.cos(y) + eta * ve * math.sin(y)) / math.sqrt(1 + eta**2 * (v @ v))
        assert math.acos(np.clip(-(wstar @ w2), -1, 1)) == pytest.approx(math.acos(c), abs=1e-12)


@pytest.mark.parametrize("phi", [2.9, 2.2])
def test_sgd_moments_of_the_independent_sampler_match_the_kernel(phi, rng):
    """reduced.sgd_moments (NumPy, every patch drawn) against the kernel's reduced sampler."""
    k, batch, n = 10, 4, 60_000
    astar = reduced.teacher(k, 0.0, 1.0)
    w, wstar, e = frame(phi)
    a = cf.optimal_a(float(cf.g(phi)), astar)
    m = reduced.sgd_moments(w, a, wstar, astar, batch, n, rng)
    draws = K.sgd_grad_draws(w, a, wstar, astar, specs.PROJECTED, specs.SAMPLER_REDUCED, batch,
                             stream_key(4, "sgd-moments"), n)
    gw = draws[:, k:]
    gw = gw - np.outer(gw @ w, w)
    ve = gw @ e
    se = math.hypot(ve.std(), math.sqrt(m["var_e_raw"])) / math.sqrt(n)
    assert abs(ve.mean() - m["mu_e"]) < 5 * se
    assert ve.var() == pytest.approx(m["var_e_raw"], rel=0.05)
    assert (np.sum(gw**2, axis=1) - ve**2).mean() == pytest.approx(m["B"], rel=0.05)


def test_first_passage_formula_against_the_simulated_chain():
    """A chain with a constant push towards w* and small noise: the mean first-passage time of
    the backward equation, the simulated chain and the deterministic time (π/2)/(η|μ_e|) agree."""
    phis = np.linspace(math.pi / 2 - 0.05, math.pi, 200)
    # β = aᵀa* held at 1 (no relaxation: λ = 0), v_e = β c_e with c_e = −0.05
    chain = {"phi": phis, "mu_e": np.full_like(phis, -0.05), "ce": np.full_like(phis, -0.05),
             "sigma2_e": np.full_like(phis, 1e-4), "B": np.full_like(phis, 1e-4), "G": np.ones_like(phis),
             "alpha": np.ones_like(phis), "eta": 0.1, "a1": 1.0, "a2": 0.0, "x0": 1.0, "y0": 0.0, "lam1": 0.0,
             "lam0": 0.0, "sum_astar": 0.0, "k": 4}
    det = (math.pi / 2) / (0.1 * 0.05)
    hits = reduced.simulate_chain(chain, 400, 2000, seed=1)
    assert np.all(np.isfinite(hits))
    assert np.mean(hits) == pytest.approx(det, rel=0.03)
    assert reduced.mean_first_passage(chain) == pytest.approx(det, rel=0.03)


def test_stationary_covariance_of_the_output_weights(rng):
    """The closed-form stationary covariance against iterating Σ ← (I − ηH)Σ(I − ηH) + η²Q."""
    k, eta = 7, 0.3
    X = rng.standard_normal((k, k))
    Q = X @ X.T
    H = ((math.pi - 1) * np.eye(k) + np.ones((k, k))) / (2 * math.pi)
    S = np.zeros((k, k))
    T = np.eye(k) - eta * H
    for _ in range(5000):
        S = T @ S @ T + eta**2 * Q
    np.testing.assert_allclose(reduced.stationary_cov_a(Q, eta, k), S, rtol=1e-8, atol=1e-12)


def _chain_reference(chain, paths, budget, seed):
    """The reduced chain written as plain vectorised NumPy (all running paths per step, the
    law (R2) from reduced._law, G by np.interp): the reference for the compiled loop."""
    rng = np.random.default_rng(seed)
    phis, eta = chain["phi"], chain["eta"]
    y = np.zeros(paths)
    x1 = np.full(paths, chain["x0"])
    x2 = np.full(paths, chain["y0"])
    hit = np.full(paths, np.nan)
    alive = np.ones(paths, bool)
    for t in range(1, budget + 1):
        idx = np.flatnonzero(alive)
        if idx.size == 0:
            break
        phi = math.pi - y[idx]
        sel = np.clip(np.rint(np.interp(phi, phis, np.arange(phis.size))).astype(int), 0, phis.size - 1)
        beta = x1[idx] * chain["a1"] + x2[idx] * chain["a2"]
        mu, s2, B = reduced._law(chain, beta, sel)
        ve = mu + np.sqrt(s2) * rng.standard_normal(idx.size)
        c = (np.cos(y[idx]) + eta * ve * np.sin(y[idx])) / np.sqrt(1 + eta**2 * (ve**2 + B))
        G = np.interp(phi, phis, chain["G"])
        x1[idx] -= eta * (chain["lam1"] * x1[idx] - ((G - 1) * chain["a1"] + chain["sum_astar"] * math.sqrt(chain["k"]))
                          / (2 * math.pi))
        x2[idx] -= eta * (chain["lam0"] * x2[idx] - (G - 1) * chain["a2"] / (2 * math.pi))
        y[idx] = np.arccos(np.clip(c, -1.0, 1.0))
        out = y[idx] > math.pi / 2
        hit[idx[out]] = t
        alive[idx[out]] = False
    return hit


@pytest.mark.parametrize("label", ["pgd", "sgd"])
def test_compiled_chain_against_a_vectorised_numpy_chain(label):
    """simulate_chain (a compiled loop over paths, the same normals from NumPy's generator)
    against the chain written in vectorised NumPy: the same escape iteration for (nearly)
    every path; the arithmetic differs only in rounding (libm vs NumPy's trigonometry, the
    order of a few products), which can move a path that crosses π/2 by a hair."""
    phis = np.linspace(math.pi / 2 - 0.05, math.pi, 41 if label == "pgd" else 13)
    astar = reduced.teacher(25, 4, 1.0)
    if label == "pgd":
        chain = reduced.pgd_chain(phis, astar, 36.0, 1.0, 0.1, 6, n=4000, seed=3)
        budget = 20000
    else:  # a large step and batch 1: escapes within the budget
        chain = reduced.sgd_chain(phis, astar, 0.4, 1, 6, n=400, seed=2)
        budget = 6000
    ref = _chain_reference(chain, 300, budget, seed=5)
    got = reduced.simulate_chain(chain, 300, budget, seed=5)
    assert np.isfinite(ref).mean() > 0.5  # enough escapes to compare
    same = (ref == got) | (np.isnan(ref) & np.isnan(got))
    assert same.mean() >= 0.99, same.mean()
