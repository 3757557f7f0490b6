"""What every experiment's plan and run share: the job of a simulation shard and running it.

A *job* is the dict of everything one simulation's result depends on; a rule passes it
as ``params``, the shard stores it, the aggregate checks it (:mod:`noisecnn.shards`).
"""

from __future__ import annotations

from ..shards import ShardKey, shard_ranges
from ..specs import kernel_version


def simulation_job(cfg: dict, *, experiment: str, label: str, cell: str, problem: dict, algorithm: dict,
                   run_start: int, n_runs: int, stride: int = 0, **extra) -> dict:
    """The job of one simulation shard (pure: no kernel is loaded)."""
    return {"experiment": experiment, "label": label, "cell": cell, "problem": problem, "algorithm": algorithm,
            "seed": cfg["seed"], "run_start": int(run_start), "n_runs": int(n_runs), "stride": int(stride),
            "backend": cfg["backend"], "kernel_version": kernel_version(), **extra}


def problem(cfg: dict, k, r, teacher: str = "random", scale: float | None = None) -> dict:
    """A Problem as a dict (pure)."""
    return {"k": int(k), "r": float(r), "p": int(cfg["p"]),
            "scale": float(cfg["teacher_scale"] if scale is None else scale), "teacher": teacher}


def sharded(cfg: dict, *, experiment: str, label: str, cell: str, runs: int, shard_size: int, **job) -> dict:
    """{shard path: job} for a cell whose runs are split into shards."""
    out = {}
    for s, (start, n) in enumerate(shard_ranges(runs, shard_size)):
        out[ShardKey(experiment, label, cell, s).path()] = simulation_job(
            cfg, experiment=experiment, label=label, cell=cell, run_start=start, n_runs=n, **job)
    return out
