"""Run one simulation job and write its shard (the one place a job meets the kernels)."""

from __future__ import annotations

import numpy as np

from .. import backend as _backend
from .. import shards
from ..simulate import Result, simulate
from ..specs import Algorithm, Problem, kernel_version


def check_kernel_version(job: dict) -> None:
    """The job was planned against the kernels that will run it."""
    if job["kernel_version"] != kernel_version():
        raise RuntimeError(f"job planned for kernel code {job['kernel_version']} but the installed kernels are "
                           f"{kernel_version()}: the sources changed since the workflow was planned; rerun it")


def run_simulation(job: dict, out, threads: int | None, save_states: bool = False) -> Result:
    """Simulate a one-filter job and write the shard (trajectories only when stride > 0)."""
    check_kernel_version(job)
    be = _backend.resolve(job["backend"])
    res = simulate(Problem.from_dict(job["problem"]), Algorithm.from_dict(job["algorithm"]), seed=job["seed"],
                   experiment=job["experiment"], cell=job["cell"], label=job["label"], n_runs=job["n_runs"],
                   run_start=job["run_start"], stride=job["stride"], threads=threads, backend=be,
                   stop_at_basin=job.get("stop_at_basin", False))
    arrays = {k: v for k, v in res.arrays().items()
              if k not in ("final_w", "final_a", "wstar", "astar", "run_start", "stride")}
    if job["stride"] == 0:
        arrays.pop("traj")
    if save_states:
        arrays["final_w"] = res.final_w
        arrays["final_a"] = res.final_a
    shards.write(out, arrays, job, {"run": {"backend": be, "threads": res.meta["threads"]}})
    return res
