"""One grid point on one cell: runs from the spurious point, each stopped at φ < π/2."""

from ..runner import run_simulation


def run(job: dict, out, threads: int | None = None):
    return run_simulation(job, out, threads)
