"""Kernels: SGD samplers, determinism, GD's exact 1/2, divergence handling, bad input."""

import math

import numpy as np
import pytest
from scipy import stats

from noisecnn import specs
from noisecnn import closed_form as cf
from noisecnn import kernels as K
from noisecnn.rng import stream_key
from noisecnn.simulate import Algorithm, Problem, simulate

SMALL = {
    "gd": Algorithm("gd", init="random", iters_per_epoch=300),
    "pgd": Algorithm("pgd", epochs=3, iters_per_epoch=100, gamma_eta=0.8, rho_w=36, rho_a=1, gamma_rho=0.4),
    "sgd": Algorithm("sgd", epochs=2, iters_per_epoch=100, gamma_eta=0.4),
    "psgd": Algorithm("psgd", epochs=2, iters_per_epoch=100, gamma_eta=0.4, rho_w=2.0, rho_a=0.2, radius_a=3.0),
}


def unit(v):
    return v / np.linalg.norm(v)


# ---------------------------------------------------------------- SGD samplers
def _draws(u, b, wstar, astar, reading, sampler, n, seed):
    return K.sgd_grad_draws(u, b, wstar, astar, specs.READINGS.index(reading), specs.SAMPLERS.index(sampler), 1,
                            stream_key(seed, "sampler", sampler), n)


def _cov_z(x, y):
    """z-scores of the differences of the covariance entries of two samples."""
    def parts(s):
        c = s - s.mean(0)
        prods = c[:, :, None] * c[:, None, :]
        return prods.mean(0), prods.var(0) / s.shape[0]
    cx, vx = parts(x)
    cy, vy = parts(y)
    return (cx - cy) / np.sqrt(vx + vy + 1e-300)


@pytest.mark.parametrize("reading,unit_u", [("projected", True), ("projected", False),
                                            ("weightnorm", False), ("literal", False)])
def test_reduced_sampler_matches_naive_and_closed_form(rng, reading, unit_u):
    p, k, n = 4, 5, 60_000
    wstar = unit(rng.standard_normal(p))
    astar = rng.standard_normal(k) / math.sqrt(k)
    u = unit(rng.standard_normal(p)) * (1.0 if unit_u else 1.7)
    b = rng.standard_normal(k) / math.sqrt(k)
    red = _draws(u, b, wstar, astar, reading, "reduced", n, 1)
    nai = _draws(u, b, wstar, astar, reading, "naive", n, 2)
    se = np.sqrt(red.var(0) / n + nai.var(0) / n)
    assert np.abs((red.mean(0) - nai.mean(0)) / se).max() < 4.5
    assert np.abs(_cov_z(red, nai)).max() < 5.0
    # both are unbiased for the closed-form population gradient (independent check)
    ga, gw = np.empty(k), np.empty(p)
    cf.pop_grad(u, b, wstar, astar, astar.sum(), specs.READINGS.index(reading), ga, gw)
    exact = np.concatenate([ga, gw])
    for s in (red, nai):
        assert np.abs((s.mean(0) - exact) / (s.std(0) / math.sqrt(n))).max() < 4.5


def test_reduced_sampler_at_the_spurious_point(rng):
    """u = −w* exactly: e₂ is arbitrary; the stochastic gradient still has mean 0."""
    p, k, n = 6, 7, 60_000
    wstar = unit(rng.standard_normal(p))
    astar = rng.standard_normal(k) / math.sqrt(k)
    at = cf.spurious_a(astar)
    red = _draws(-wstar, at, wstar, astar, "projected", "reduced", n, 3)
    nai = _draws(-wstar, at, wstar, astar, "projected", "naive", n, 4)
    for s in (red, nai):
        assert np.abs(s.mean(0) / (s.std(0) / math.sqrt(n) + 1e-300)).max() < 4.5
    assert np.abs(_cov_z(red, nai)).max() < 5.0


# ---------------------------------------------------------------- teachers
@pytest.mark.parametrize("k,r", [(25, 0), (25, 9), (100, 25), (36, 36)])
def test_kernel_teachers(k, r):
    ws, As = K.draw_teachers(stream_key(1, "t", "c"), 0, 50, 6, k, float(r), 1.3, specs.TEACHER_RANDOM)
    np.testing.assert_allclose(np.linalg.norm(ws, axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(As, axis=1), 1.3, atol=1e-12)
    np.testing.assert_allclose(As.sum(1) ** 2 / (As**2).sum(1), r, atol=1e-9)
    # w* is uniform on the sphere: its first coordinate has the right law (p = 6)
    ws, _ = K.draw_teachers(stream_key(2, "t", "c"), 0, 20_000, 6, k, float(r), 1.0, specs.TEACHER_RANDOM)
    x = ws[:, 0]
    beta = stats.beta(2.5, 2.5)  # (1 + x)/2 ~ Beta((p−1)/2, (p−1)/2)
    assert stats.kstest((1 + x) / 2, beta.cdf).pvalue > 1e-3


def test_pm_teacher():
    _, As = K.draw_teachers(stream_key(1, "t", "c"), 0, 3, 6, 100, 0.0, 1.0, specs.TEACHER_PM)
    # ∓‖a*‖/√k exactly (one rounding: 1/√100 = 0.1)
    np.testing.assert_array_equal(As[:, :50], -0.1)
    np.testing.assert_array_equal(As[:, 50:], 0.1)


# ---------------------------------------------------------------- determinism
@pytest.mark.parametrize("k", [9, 25])
@pytest.mark.parametrize("name", sorted(SMALL))
def test_bit_identical_across_threads_and_shards(name, k):
    """Same runs, bit for bit, with 1 or 2 threads, in one call or in shards, whatever the
    allocator did in between (heap churn changes where the work arrays land, which once
    changed the vectorised code path and the rounding)."""
    from noisecnn.simulate import Result

    alg = SMALL[name]
    prob = Problem(k=k, r=1.0)
    kw = dict(seed=5, experiment="det", cell=f"k{k}-r1")
    rng = np.random.default_rng(k)
    junk = []

    def churn():
        junk.extend(np.empty(int(n)) for n in rng.integers(1, 400, 50))
        del junk[: int(rng.integers(0, len(junk)))]

    runs = []
    for threads, shards in [(1, ((0, 12),)), (2, ((0, 12),)), (2, ((0, 5), (5, 1), (6, 6))), (1, ((0, 7), (7, 5))),
                            (2, ((0, 12),))]:
        parts = []
        for start, n in shards:
            churn()
            parts.append(simulate(prob, alg, n_runs=n, run_start=start, threads=threads, stride=50, **kw))
        runs.append(Result.concat(parts))
    ref = runs[0]
    for other in runs[1:]:
        for key, arr in ref.arrays().items():
            assert np.asarray(arr).tobytes() == np.asarray(other.arrays()[key]).tobytes(), key
    # different runs differ (streams are really per run)
    assert len(set(ref.phi.round(12))) == 12


def test_runs_do_not_depend_on_labels_of_other_runs():
    alg = SMALL["pgd"]
    a = simulate(Problem(k=9, r=1.0), alg, seed=5, experiment="e", cell="c", n_runs=4)
    b = simulate(Problem(k=9, r=1.0), alg, seed=6, experiment="e", cell="c", n_runs=4)
    c = simulate(Problem(k=9, r=1.0), alg, seed=5, experiment="e", cell="d", n_runs=4)
    assert not np.array_equal(a.phi, b.phi) and not np.array_equal(a.phi, c.phi)


def test_algorithms_of_a_cell_share_teachers():
    kw = dict(seed=3, experiment="e", cell="k9-r1", n_runs=6)
    res = [simulate(Problem(k=9, r=1.0), SMALL[n], **kw) for n in ("gd", "pgd", "sgd")]
    for r in res[1:]:
        assert np.array_equal(r.wstar, res[0].wstar) and np.array_equal(r.astar, res[0].astar)


# ---------------------------------------------------------------- science checks
@pytest.mark.slow
def test_gd_random_init_r0_succeeds_half_the_time():
    """r = 0 ⇒ a₀ = 0 and GD succeeds iff φ₀ < π/2: probability exactly 1/2 (SPEC §3)."""
    n = 1000
    res = simulate(Problem(k=25, r=0.0), Algorithm("gd", init="random", iters_per_epoch=20000),
                   seed=11, experiment="test", cell="k25-r0", n_runs=n)
    codes = res.outcomes()
    succ = int(np.sum(codes == 0))
    lo, hi = stats.binom.interval(0.99, n, 0.5)
    assert lo <= succ <= hi, succ
    # every run ends at one of the two stationary points
    assert np.all((codes == 0) | (codes == 1))


def test_gd_converges_and_trajectory_is_recorded():
    res = simulate(Problem(k=25, r=16.0), Algorithm("gd", init="random", iters_per_epoch=5000),
                   seed=2, experiment="test", cell="c", n_runs=20, stride=1000)
    assert res.traj.shape == (20, 6, 3)
    assert np.all(res.outcomes() == 0)  # r above the threshold: GD always succeeds
    # loss decreases along the recorded trajectory and ends near zero
    assert np.all(np.diff(res.traj[:, :, 2], axis=1) <= 1e-12)
    assert np.all(res.loss < 1e-10)
    np.testing.assert_allclose(res.traj[:, -1, 1], res.phi)


def test_spurious_start_stays_for_gd():
    res = simulate(Problem(k=25, r=1.0), Algorithm("gd", init="spurious", iters_per_epoch=500),
                   seed=2, experiment="test", cell="c", n_runs=5)
    assert np.all(res.outcomes() == 1)
    np.testing.assert_allclose(res.phi, math.pi)


def test_literal_reading_diverges_without_crashing():
    alg = Algorithm("pgd", epochs=2, iters_per_epoch=200, rho_w=36, rho_a=1, gamma_rho=0.4, reading="literal")
    res = simulate(Problem(k=25, r=0.0), alg, seed=1, experiment="test", cell="c", n_runs=8, stride=10)
    codes = res.outcomes()
    assert np.all(codes == 3)  # diverged, recorded as such
    assert np.all(np.isnan(res.phi)) and np.all(np.isnan(res.traj[:, -1, :]))
    # a mixed sweep continues: a small-noise literal run finishes
    ok = simulate(Problem(k=25, r=0.0), Algorithm("pgd", epochs=1, iters_per_epoch=200, rho_w=0.01,
                  reading="literal"), seed=1, experiment="test", cell="c", n_runs=4)
    assert np.all(ok.status == 0)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("ctor,kwargs,name", [
    (Problem, dict(k=25, r=26), "r"),
    (Problem, dict(k=25, r=-1), "r"),
    (Problem, dict(k=25, p=1), "p"),
    (Problem, dict(k=1), "k"),
    (Problem, dict(k=25, scale=0.0), "scale"),
    (Problem, dict(k=25, teacher="gauss"), "teacher"),
    (Problem, dict(k=24, r=1, teacher="pm"), "r"),
    (Algorithm, dict(name="adam"), "algorithm"),
    (Algorithm, dict(name="pgd", rho_w=-1.0), "rho_w"),
    (Algorithm, dict(name="pgd", rho_a=-0.1), "rho_a"),
    (Algorithm, dict(name="pgd", reading="exact"), "reading"),
    (Algorithm, dict(name="sgd", sampler="fast"), "sampler"),
    (Algorithm, dict(name="sgd", batch=0), "batch"),
    (Algorithm, dict(name="gd", eta0=-0.1), "eta0"),
    (Algorithm, dict(name="gd", init="zero"), "init"),
])
def test_bad_arguments_name_the_argument(ctor, kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        ctor(**kwargs)


def test_bad_simulate_arguments():
    with pytest.raises(ValueError, match="^n_runs"):
        simulate(Problem(k=5), SMALL["gd"], seed=1, experiment="e", cell="c", n_runs=0)
    with pytest.raises(ValueError, match="^threads"):
        simulate(Problem(k=5), SMALL["gd"], seed=1, experiment="e", cell="c", n_runs=1, threads=0)
    with pytest.raises(ValueError, match="unknown algorithm setting"):
        Algorithm.from_dict({"algorithm": "gd", "lr": 0.1})


@pytest.mark.parametrize("reading", specs.READINGS)
def test_fused_pgd_step_is_perturb_then_gradient_then_step(rng, reading):
    """The kernels' fused perturbed-GD step equals the reference composition
    (draw the perturbation, closed-form gradient at the perturbed point, sphere step)."""
    from noisecnn.rng import seed_state

    p, k = 6, 11
    wstar = unit(rng.standard_normal(p))
    astar = rng.standard_normal(k) / math.sqrt(k)
    for rho_w, rho_a in ((36.0, 1.0), (0.5, 0.2)):
        w0 = unit(rng.standard_normal(p))
        a0 = rng.standard_normal(k) / math.sqrt(k)
        st1, st2 = np.empty(4, np.uint64), np.empty(4, np.uint64)
        seed_state(stream_key(1, "fused"), 3, st1)
        st2[:] = st1
        code = specs.READINGS.index(reading)
        # reference
        w1, a1 = w0.copy(), a0.copy()
        xi, eps, u, b, tmp = np.empty(p), np.empty(k), np.empty(p), np.empty(k), np.empty(2)
        ga, gw = np.empty(k), np.empty(p)
        K.perturb(st1, w1, a1, xi, eps, u, b, rho_w, rho_a, tmp)
        phi1 = cf.pop_grad(u, b, wstar, astar, astar.sum(), code, ga, gw)
        cf.apply_step(w1, a1, ga, gw, 0.1)
        # fused
        w2, a2 = w0.copy(), a0.copy()
        z, gw2 = np.empty(k), np.empty(p)
        phi2 = K.pgd_step(st2, w2, a2, wstar, astar, astar.sum(), rho_w, rho_a, code, 0.1, xi, u, z, tmp, gw2)
        assert phi1 == pytest.approx(phi2, abs=1e-13)
        np.testing.assert_allclose(w2, w1, rtol=1e-11, atol=1e-12)
        np.testing.assert_allclose(a2, a1, rtol=1e-11, atol=1e-12)
        assert np.array_equal(st1, st2)  # the same draws


# ---------------------------------------------------------------- start-up cost of a job
def test_a_simulation_job_does_not_import_scipy_linalg_yet_jitted_linear_algebra_still_works(tmp_path):
    """numba's BLAS probe imports scipy.linalg (0.2 s of every job's start-up); noisecnn._jit
    answers it with 'no BLAS' for numba.np.arraymath only.  A fresh process that runs a kernel
    (compiled, then loaded from the cache) must not import scipy.linalg; numba's own linear
    algebra, which checks for BLAS when it compiles, must still work afterwards."""
    import subprocess
    import sys
    import textwrap

    probe = textwrap.dedent("""
        import sys
        import numpy as np
        from noisecnn.simulate import Algorithm, Problem, simulate
        simulate(Problem(k=9, r=1.0), Algorithm("sgd", epochs=1, iters_per_epoch=5), seed=1, experiment="x",
                 cell="c", n_runs=2, threads=1)
        print("scipy.linalg" in sys.modules)
        from numba import njit
        a = np.arange(6.0).reshape(2, 3)
        print(np.array_equal(njit(lambda x, y: np.dot(x, y))(a, a.T), a @ a.T))
    """)
    env = dict(__import__("os").environ, NUMBA_CACHE_DIR=str(tmp_path))
    for _ in ("compile", "load from cache"):
        proc = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert proc.stdout.split() == ["False", "True"], proc.stdout
