"""One shard of the m-filter study: final states of every run, and per-filter summaries."""

from __future__ import annotations

import numpy as np

from ... import shards
from ...simulate import keys, simulate_multi
from ...specs import Algorithm, Problem
from ..runner import check_kernel_version


def filter_summaries(W, A, wstar, astar):
    """Per run and filter: angle to w*, share a_iᵀa*/‖a*‖², ‖a_i‖/‖a*‖."""
    c = np.clip(np.einsum("nmp,np->nm", W, wstar), -1.0, 1.0)
    a2 = np.sum(astar**2, axis=1)
    share = np.einsum("nmk,nk->nm", A, astar) / a2[:, None]
    norm = np.linalg.norm(A, axis=2) / np.sqrt(a2)[:, None]
    return np.arccos(c), share, norm


def run(job: dict, out, threads: int | None = None) -> dict:
    check_kernel_version(job)
    if job["backend"] == "cuda":
        raise RuntimeError("the m-filter study has no CUDA kernels: set backend to cpu or auto")
    res = simulate_multi(Problem.from_dict(job["problem"]), Algorithm.from_dict(job["algorithm"]), job["m"],
                         keys=keys(job["seed"], job["experiment"], job["cell"], job["label"]),
                         run_start=job["run_start"], n_runs=job["n_runs"], threads=threads)
    phi, share, norm = filter_summaries(res["W"], res["A"], res["wstar"], res["astar"])
    arrays = {"loss": res["loss"], "status": res["status"], "astar_sq": np.sum(res["astar"] ** 2, axis=1),
              "filter_phi": phi, "filter_share": share, "filter_norm": norm, "W": res["W"], "A": res["A"],
              "wstar": res["wstar"], "astar": res["astar"], "steps": res["steps"],
              "run": np.arange(job["run_start"], job["run_start"] + job["n_runs"])}
    shards.write(out, arrays, job, {"run": {"backend": "cpu", "threads": threads}})
    return res
