"""Small helpers for the Snakemake scripts (kept here so the scripts stay thin)."""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path


@contextlib.contextmanager
def log_to(path: str | Path | None):
    """Send stdout and stderr of a rule's script to its log file; time the block."""
    if not path:
        yield
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh, contextlib.redirect_stdout(fh), contextlib.redirect_stderr(fh):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            print(f"[noisecnn] wall time {time.perf_counter() - t0:.2f} s", file=fh)


def run_spec(cfg: dict, section: str, label: str, **extra) -> dict:
    """Everything a simulation job's result depends on: used as the rule's ``params`` so
    that changing one of these values reruns exactly the jobs that depend on it."""
    sec = cfg[section]
    return {"seed": cfg["seed"], "p": cfg["p"], "teacher_scale": cfg["teacher_scale"],
            "backend": cfg["backend"], "algorithm": sec["algorithms"][label],
            **{k: v for k, v in sec.items() if k != "algorithms" and not isinstance(v, (dict, list))}, **extra}


def compile_all() -> dict:
    """Compile (and cache) every kernel once, so concurrent jobs only read the cache."""
    from .simulate import Algorithm, Problem, simulate

    times = {}
    prob = Problem(k=4, r=1.0)
    for alg in (Algorithm("gd", init="random", iters_per_epoch=2),
                Algorithm("pgd", iters_per_epoch=2, rho_w=1.0, rho_a=1.0),
                Algorithm("sgd", iters_per_epoch=2),
                Algorithm("psgd", iters_per_epoch=2, rho_w=1.0, rho_a=1.0)):
        t0 = time.perf_counter()
        simulate(prob, alg, seed=0, experiment="compile", cell="c", n_runs=2, stride=1, threads=1)
        times[alg.name] = round(time.perf_counter() - t0, 3)
    from .experiments.overparam import simulate_multi

    for alg in (Algorithm("gd", init="random", iters_per_epoch=2), Algorithm("pgd", iters_per_epoch=2, rho_w=1.0)):
        t0 = time.perf_counter()
        simulate_multi(prob, alg, 2, seed=0, experiment="compile", cell="c", label=alg.name, n_runs=2, threads=1)
        times[f"multi_{alg.name}"] = round(time.perf_counter() - t0, 3)
    return times
