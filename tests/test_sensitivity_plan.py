"""The sweeps' job plan: a point that repeats another sweep's simulation reads that point's
shard instead of computing the same runs again, and the aggregate still reports every point."""

import numpy as np
import pytest

from noisecnn import config as nc_config
from noisecnn import shards
from noisecnn.experiments.common import problem, simulation_job
from noisecnn.experiments.runner import run_simulation
from noisecnn.experiments.sensitivity import aggregate, plan
from noisecnn.experiments.sensitivity import sweeps as sw
from noisecnn.specs import Algorithm


def _own_job(cfg, mem):
    """The job the point would have had on its own (its own sweep and point)."""
    sweep = next(s for s in cfg["sensitivity"]["sweeps"] if s["name"] == mem["sweep"])
    spec, scale = sw.setting(cfg["paper_algorithms"], sweep, mem["point"], cfg["teacher_scale"])
    k, r = (int(x) for x in mem["cell"][1:].split("-r"))
    return simulation_job(cfg, experiment="sensitivity", label=sweep["base"], cell=mem["cell"],
                          problem=problem(cfg, k, r, scale=scale), algorithm=Algorithm.from_dict(spec).to_dict(),
                          run_start=0, n_runs=cfg["sensitivity"]["runs"], sweep=mem["sweep"], point=mem["point"])


def test_paper_sweeps_compute_each_paper_setting_once():
    cfg = nc_config.load()
    jobs, members = plan.point_jobs(cfg), plan.members(cfg)
    assert len(members) == sum(len(sw.points(s)) for s in cfg["sensitivity"]["sweeps"]) * len(
        cfg["sensitivity"]["cells"])
    assert {m["path"] for m in members} == set(jobs)
    shared = {(m["sweep"], sw.point_id(m["point"])) for m in members
              if not m["path"].startswith(f"results/sensitivity/{m['sweep']}/")}
    # the paper's perturbed GD and SGD appear in three sweeps each: computed in the first
    assert shared == {("pgd_scale", "teacher_scale-1"), ("pgd_phase1", "phase1_iters-400_rho_w-36"),
                      ("sgd_scale", "teacher_scale-1"), ("sgd_batch", "batch-4")}
    assert len(jobs) == len(members) - 4 * len(cfg["sensitivity"]["cells"])
    # a point is shared only with a job that differs from its own in nothing but its name
    for m in members:
        own, got = _own_job(cfg, m), jobs[m["path"]]
        differ = {key for key in own if own[key] != got[key]}
        assert differ <= {"sweep", "point", "algorithm"}, (m, differ)
        if "algorithm" in differ:  # an explicit Phase-I length equal to the epoch length
            a, b = own["algorithm"], got["algorithm"]
            assert {key for key in a if a[key] != b[key]} == {"phase1_iters"}
            assert Algorithm.from_dict(a).iters0 == Algorithm.from_dict(b).iters0


def test_a_shared_point_is_bit_identical_to_its_own_simulation_and_aggregated_under_its_name(tmp_path,
                                                                                            monkeypatch):
    """Run the shared point's own job separately: same arrays as the shard it reads (so sharing
    loses nothing), and the aggregate has a row for it with its own sweep and knobs."""
    monkeypatch.chdir(tmp_path)
    cfg = nc_config.load()
    cfg["paper_algorithms"]["pgd"].update(epochs=2, iters_per_epoch=30)
    cfg["sensitivity"].update(runs=6, cells=[[25, 0]], sweeps=[
        {"name": "pgd_reading", "base": "pgd", "knobs": {"reading": ["projected", "weightnorm"]}},
        {"name": "pgd_phase1", "base": "pgd", "knobs": {"rho_w": [9.0, 36.0], "phase1_iters": [30, 60]}}])
    jobs, members = plan.point_jobs(cfg), plan.members(cfg)
    assert len(members) == 6 and len(jobs) == 5
    for path, job in jobs.items():
        run_simulation(job, path, threads=1)
    (alias,) = [m for m in members if m["sweep"] == "pgd_phase1" and m["path"] not in
                {p for p in jobs if p.startswith("results/sensitivity/pgd_phase1/")}]
    assert alias["point"] == {"phase1_iters": 30, "rho_w": 36.0}
    run_simulation(_own_job(cfg, alias), tmp_path / "own.npz", threads=1)
    own, _ = shards.read(tmp_path / "own.npz")
    shared, _ = shards.read(alias["path"])
    assert own.keys() == shared.keys()
    for key in own:
        assert own[key].tobytes() == shared[key].tobytes(), key

    df = aggregate.aggregate(list(jobs), jobs, cfg["tolerances"], ["pgd_reading", "pgd_phase1"], members)
    assert len(df) == 6
    row = df[(df.sweep == "pgd_phase1") & (df.point == "phase1_iters-30_rho_w-36")].iloc[0]
    base = df[(df.sweep == "pgd_reading") & (df.point == "reading-projected")].iloc[0]
    assert row.knob_rho_w == 36.0 and row.knob_phase1_iters == 30
    assert row.success == base.success and row.n == base.n == 6
    # a member whose shard the step was not given is refused, naming it
    with pytest.raises(shards.ShardError, match="not one of the shards this step expects"):
        aggregate.aggregate(list(jobs), jobs, cfg["tolerances"], ["pgd_reading", "pgd_phase1"],
                            members + [{**alias, "path": "results/sensitivity/x/y/k25-r0/shard000.npz"}])
    assert np.isfinite(df.success).all()
