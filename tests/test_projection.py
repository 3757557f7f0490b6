"""The benchmarks' projection of a workflow's wall time (benchmarks/suite.py): which measured
per-core costs it uses, and its arithmetic, on a synthetic benchmark."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import suite  # noqa: E402


def bench(machine_cores=2):
    # ns per run-iteration per core: 1 thread (an idle neighbour) cheaper than 2 (busy)
    kernels = [{"algorithm": a, "k": k, "threads": t, "ns_per_run_iter_per_core": base * k * (1.0 if t == 1 else 1.2)}
               for a, base in (("gd", 1.0), ("pgd", 4.0), ("sgd", 30.0)) for k in (25, 100) for t in (1, 2)]
    multi = [{"algorithm": a, "m": m, "k": k, "threads": t, "ns_per_run_iter_per_core": 10.0 * m * m * (t + 1)}
             for a in ("gd", "pgd") for m in (1, 8) for k in (25, 100) for t in (1, 2)]
    escape = {"sgd_samples": 1e-6, "sgd_sample_patches": 1e-8, "pgd_sample_angles": 2e-8, "path_steps": 3e-8}
    return {"machine": {"cores": machine_cores}, "kernels": kernels, "multi": multi, "escape_model": escape,
            "job_fixed": {"seconds": 0.3}}


PLAN = [{"experiment": "table1", "algorithm": "sgd", "k": 49, "m": None, "runs": 1000, "iterations": 40_000, "batch": 4},
        {"experiment": "overparam", "algorithm": "gd", "k": 100, "m": 8, "runs": 1000, "iterations": 20_000, "batch": 4}]


@pytest.mark.parametrize("cores, busy", [(1, 1), (2, 2), (8, 2)])
def test_costs_are_those_measured_with_every_used_core_busy(cores, busy):
    b = bench()
    assert suite.busy_threads(b, cores) == busy
    p = suite.project(b, PLAN, cores, threads=1, job_fixed_s=0.5)
    sgd = 30.0 * 49 * (1.0 if busy == 1 else 1.2) * 1000 * 40_000 * 1e-9
    multi = 10.0 * 64 * (busy + 1) * 1000 * 20_000 * 1e-9
    assert p["core_seconds"]["table1/sgd"] == pytest.approx(sgd)
    assert p["core_seconds"]["overparam/gd"] == pytest.approx(multi)
    assert p["projected_compute_s"] == pytest.approx((sgd + multi) / busy)
    assert p["projected_overhead_s"] == pytest.approx(2 * 0.5 / busy)
    assert p["projected_wall_s"] == pytest.approx((sgd + multi + 1.0) / busy)
    # the bracket's other end: every core as fast as alone (one-thread costs)
    idle = 30.0 * 49 * 1000 * 40_000 * 1e-9 + 10.0 * 64 * 2 * 1000 * 20_000 * 1e-9
    assert p["projected_wall_s_idle"] == pytest.approx((idle + 1.0) / busy)
    assert p["projected_wall_s_idle"] <= p["projected_wall_s"]


def test_compiling_the_kernels_joins_the_projection():
    """Compiling the kernels (the compile jobs' own seconds) runs no simulation kernel: it is
    added as core-seconds beside the kernels', in both ends of the bracket."""
    b = bench()
    base = suite.project(b, PLAN, 8, threads=1, job_fixed_s=0.5)
    p = suite.project(b, PLAN, 8, threads=1, job_fixed_s=0.5, compile_s=60.0)
    assert p["one_off_core_seconds"] == {"compile_kernels": 60.0}
    assert p["projected_one_off_s"] == pytest.approx(60.0 / 2)
    assert p["projected_wall_s"] == pytest.approx(base["projected_wall_s"] + 30.0)
    assert p["projected_wall_s_idle"] == pytest.approx(base["projected_wall_s_idle"] + 30.0)
    assert p["projected_compute_s"] == pytest.approx(base["projected_compute_s"])
    assert base["one_off_core_seconds"] == {} and base["projected_one_off_s"] == 0.0


def test_the_measured_fixed_cost_and_the_escape_model_join_the_projection():
    """By default each simulation job costs the fixed seconds the benchmark measured; the escape
    model's counted work × its measured unit costs is a one-off job, in both ends of the bracket."""
    b = bench()
    base = suite.project(b, PLAN, 8)
    assert base["job_fixed_s"] == 0.3 and base["projected_overhead_s"] == pytest.approx(2 * 0.3 / 2)
    work = {"sgd_samples": 1e6, "sgd_sample_patches": 4e8, "pgd_sample_angles": 1e8, "path_steps": 2e9}
    p = suite.project(b, PLAN, 8, escape_work=work)
    model = 1e6 * 1e-6 + 4e8 * 1e-8 + 1e8 * 2e-8 + 2e9 * 3e-8
    assert p["one_off_core_seconds"] == pytest.approx({"escape_model": model})
    assert p["projected_wall_s"] == pytest.approx(base["projected_wall_s"] + model / 2)
    assert p["projected_wall_s_idle"] == pytest.approx(base["projected_wall_s_idle"] + model / 2)


def test_jobs_outside_the_lock_step_kernels_use_the_one_run_costs():
    """Figure 3 (trajectories) and the escape runs (stop at the basin) run the one-run kernels;
    their measured costs are used when the benchmark has them, else the lock-step ones."""
    b = bench()
    for r in b["kernels"]:
        if r["algorithm"] in ("pgd", "sgd"):
            r["one_run_ns_per_run_iter_per_core"] = 2.5 * r["ns_per_run_iter_per_core"]
    job = {"experiment": "escape", "algorithm": "pgd", "k": 100, "m": None, "runs": 100, "iterations": 1000, "batch": 4}
    lock = suite.project(b, [{**job, "lockstep": True}], 2)["core_seconds"]["escape/pgd"]
    one = suite.project(b, [{**job, "lockstep": False}], 2)["core_seconds"]["escape/pgd"]
    assert lock == pytest.approx(4.0 * 100 * 1.2 * 100 * 1000 * 1e-9)
    assert one == pytest.approx(2.5 * lock)
    for r in b["kernels"]:
        r.pop("one_run_ns_per_run_iter_per_core", None)  # an older benchmark
    assert suite.project(b, [{**job, "lockstep": False}], 2)["core_seconds"]["escape/pgd"] == pytest.approx(lock)


def test_the_cost_plan_marks_the_jobs_that_run_in_lock_step():
    from noisecnn import config
    from noisecnn.experiments.plan import all_jobs, cost_plan

    plan = cost_plan(all_jobs(config.load()))
    lock = {(j["experiment"], j["algorithm"], j["lockstep"]) for j in plan}
    assert ("table1", "sgd", True) in lock and ("table1", "pgd", True) in lock
    assert ("overparam", "pgd", True) in lock and ("overparam", "gd", False) in lock
    assert ("figure3", "sgd", False) in lock and ("escape", "pgd", False) in lock
    assert not any(e in ("figure3", "escape") and f for e, _, f in lock)


def test_unmeasured_thread_counts_fall_back():
    b = bench(machine_cores=4)  # measured 1 and 2 threads only: 4 busy cores use the 2-thread costs
    assert suite.busy_threads(b, 8) == 2
    b["multi"] = [r for r in b["multi"] if r["threads"] == 1]  # an older benchmark: m-filter costs at 1 thread
    p = suite.project(b, PLAN, 8, threads=2, job_fixed_s=0.5)
    assert p["core_seconds"]["overparam/gd"] == pytest.approx(10.0 * 64 * 2 * 1000 * 20_000 * 1e-9)
    assert p["projected_overhead_s"] == pytest.approx(2 * 0.5 * 2 / 4)


def test_numpy_multi_reference_computes_the_closed_form_loss_and_gradient():
    """The m-filter kernels' NumPy reference (the denominator of their speed ratio) is the same
    algorithm: its loss is closed_form.loss_multi, its gradient the finite differences of it."""
    from noisecnn.closed_form import loss_multi

    rng = np.random.default_rng(7)
    n, m, p, k = 3, 4, 6, 9
    U = rng.standard_normal((n, m, p))
    U /= np.linalg.norm(U, axis=2, keepdims=True)
    B = 0.3 * rng.standard_normal((n, m, k))
    ws, As = suite._teachers(rng, n, p, k)
    lo, GB, GU = suite.numpy_multi_grad(U, B, ws, As)
    h = 1e-6
    for r in range(n):
        assert lo[r] == pytest.approx(loss_multi(U[r], B[r], ws[r], As[r]), rel=1e-12)
        for i in range(m):
            for j in range(k):
                E = np.zeros_like(B[r])
                E[i, j] = h
                fd = (loss_multi(U[r], B[r] + E, ws[r], As[r]) - loss_multi(U[r], B[r] - E, ws[r], As[r])) / (2 * h)
                assert GB[r, i, j] == pytest.approx(fd, abs=1e-8)
            # Riemannian gradient: along every tangent direction t of the sphere at u_i
            assert abs(GU[r, i] @ U[r, i]) < 1e-12
            for _ in range(3):
                t = rng.standard_normal(p)
                t -= (t @ U[r, i]) * U[r, i]
                V = U[r].copy()

                def at(s):
                    V[i] = np.cos(s) * U[r, i] + np.sin(s) * t / np.linalg.norm(t)
                    return loss_multi(V, B[r], ws[r], As[r])

                fd = (at(h) - at(-h)) / (2 * h)
                assert GU[r, i] @ t / np.linalg.norm(t) == pytest.approx(fd, abs=1e-8)


def test_the_escape_models_work_is_counted_call_by_call(monkeypatch):
    """escape_times.model.work counts what rule escape_model computes: run the model (the
    quick configuration, smaller still) with every costly function wrapped to count what it
    was asked for, and compare."""
    from noisecnn import config, reduced
    from noisecnn.experiments.escape_times import model, plan, readings

    cfg = config.load(Path(__file__).resolve().parents[1] / "config" / "quick.yaml")
    params = plan.model_params(cfg)
    params["model"] = {**params["model"], "mc_samples": 3000, "sgd_samples": 200, "paths": 20}
    seen = {"sgd_samples": 0, "sgd_sample_patches": 0, "pgd_sample_angles": 0, "path_steps": 0}

    def counting(name, fn, count):
        def wrapped(*a, **kw):
            for key, v in count(*a, **kw).items():
                seen[key] += v
            return fn(*a, **kw)
        monkeypatch.setattr(reduced, name, wrapped)

    counting("sgd_moments", reduced.sgd_moments, lambda w, a, wstar, astar, batch, n, rng, cov_a=None: {
        "sgd_samples": n, "sgd_sample_patches": n * batch * a.size})
    counting("perturbed_moments", reduced.perturbed_moments, lambda phis, rho_w, p, n, seed: {
        "pgd_sample_angles": n * len(phis)})
    counting("smoothed_G", reduced.smoothed_G, lambda phis, rho, p, n, seed: {
        "pgd_sample_angles": n * len(phis) if rho > 0 else 0})
    counting("simulate_chain", reduced.simulate_chain, lambda chain, paths, budget, seed=0: {
        "path_steps": paths * budget})
    memo = {}
    model.predict(params, memo)
    readings.phase1(params, memo)
    readings.sgd_across_k(params)
    assert params["phase1"] is not None and all(seen.values())
    assert plan.work(params) == pytest.approx(seen)
