"""Every experiment's simulation jobs, from a validated config (pure: the workflow calls it at
parse time).  To add an experiment, add its plan here and its rules in workflow/rules/."""

from __future__ import annotations

from ..specs import Algorithm, runs_in_lockstep
from .escape_times import plan as escape_times
from .figure3 import plan as figure3
from .landscape import plan as landscape
from .overparam import plan as overparam
from .sensitivity import plan as sensitivity
from .table1 import plan as table1


def all_jobs(cfg: dict) -> dict[str, dict[str, dict]]:
    """{experiment: {shard path: job}}."""
    return {"table1": table1.shard_jobs(cfg), "figure3": figure3.run_jobs(cfg),
            "figure3_escape": figure3.run_jobs(cfg, figure3.ESCAPE), "sensitivity": sensitivity.point_jobs(cfg),
            "overparam": overparam.shard_jobs(cfg), "landscape": landscape.trajectory_jobs(cfg),
            "escape": escape_times.jobs(cfg)}


def cost_plan(jobs: dict[str, dict[str, dict]]) -> list[dict]:
    """What the performance projection needs of each simulation job (only what its cost
    depends on: a change of, say, a step size leaves the projection alone)."""
    out = []
    for experiment, by_path in jobs.items():
        for job in by_path.values():
            alg = Algorithm.from_dict(job["algorithm"])
            lockstep = runs_in_lockstep(alg.name, alg.sampler, job.get("stride", 0), job.get("stop_at_basin", False),
                                        job.get("m"))
            out.append({"experiment": experiment, "algorithm": alg.name, "k": job["problem"]["k"], "m": job.get("m"),
                        "runs": job["n_runs"], "iterations": alg.iterations, "batch": alg.batch,
                        "lockstep": lockstep})
    return out
