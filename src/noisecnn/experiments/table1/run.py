"""One Table 1 shard."""

from ..runner import run_simulation


def run(job: dict, out, threads: int | None = None):
    return run_simulation(job, out, threads, save_states=job["save_states"])
