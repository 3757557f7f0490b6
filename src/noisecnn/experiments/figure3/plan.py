"""Figure 3's jobs: one per algorithm, at the stated settings and at the escaping setting."""

from __future__ import annotations

from ...config import algorithms
from ...shards import ShardKey
from ..common import problem, simulation_job

EXPERIMENT = "figure3"
ESCAPE = "figure3_escape"


def cell(cfg: dict) -> str:
    return f"k{cfg['figure3']['k']}-pm"


def run_jobs(cfg: dict, experiment: str = EXPERIMENT) -> dict[str, dict]:
    """{path: job}; the escape variant (``experiment=ESCAPE``) is the stated setting before the
    change that makes it escape, which its run applies (``escape_base`` names the sweep base)."""
    f3 = cfg["figure3"]
    sec = cfg["figure3"] if experiment == EXPERIMENT else cfg["figure3_escape"]
    out = {}
    for label, alg in algorithms(cfg, "figure3").items():
        job = simulation_job(cfg, experiment=experiment, label=label, cell=cell(cfg),
                             problem=problem(cfg, f3["k"], 0, teacher="pm"), algorithm=alg, run_start=0,
                             n_runs=sec["runs"], stride=sec["stride"])
        if experiment == ESCAPE:
            job["escape_base"] = f3["algorithms"][label]["base"]
        out[ShardKey(experiment, label, cell(cfg)).path()] = job
    return out


def escape_expectation(job: dict) -> dict:
    """What an escape run's shard must match: everything but the settings its choice changed."""
    return {k: v for k, v in job.items() if k not in ("algorithm", "problem")}
