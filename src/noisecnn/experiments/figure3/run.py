"""One Figure 3 run (all its runs in one shard), at the stated or at the escaping setting."""

from __future__ import annotations

import copy

from ..runner import run_simulation
from ..sensitivity.sweeps import apply


def run(job: dict, out, threads: int | None = None):
    return run_simulation(job, out, threads)


def apply_choice(job: dict, choice: dict | None) -> dict:
    """The job with the escaping sweep point's changes applied (teacher_scale to the problem,
    the other knobs to the algorithm); unchanged when no swept setting escapes."""
    job = copy.deepcopy(job)
    job["escape_choice"] = choice
    job["algorithm"], job["problem"]["scale"] = apply(job["algorithm"], job["problem"]["scale"],
                                                      (choice or {}).get("changes", {}))
    return job


def run_escape(job: dict, choice: dict | None, out, threads: int | None = None):
    return run_simulation(apply_choice(job, choice), out, threads)
