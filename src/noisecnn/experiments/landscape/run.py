"""The GD trajectories of the 2-D landscape."""

from ..runner import run_simulation


def run(job: dict, out, threads: int | None = None):
    return run_simulation(job, out, threads)
