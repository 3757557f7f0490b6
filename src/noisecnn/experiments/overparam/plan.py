"""The over-parameterized study's jobs: one per (label, m, k, r, shard)."""

from __future__ import annotations

from ...config import algorithms
from ...shards import cell_id
from ..common import problem, sharded

EXPERIMENT = "overparam"


def scaled(alg: dict, m: int, step_scale: str) -> dict:
    """The algorithm with the step size for m filters.

    With the filters aligned the output-weight Hessian's largest eigenvalue is
    m(k + π − 1)/2π, m times the one-filter value, so a fixed η diverges as m grows (η = 0.1
    already does for m = 2 at k = 100).  ``inverse_m`` (default) uses η₀/m, which keeps
    η·λ_max at its one-filter value; ``none`` keeps η₀."""
    return {**alg, "eta0": alg["eta0"] / m} if step_scale == "inverse_m" else dict(alg)


def shard_jobs(cfg: dict) -> dict[str, dict]:
    op = cfg["overparam"]
    out = {}
    for label, alg in algorithms(cfg, "overparam").items():
        for m in op["m"]:
            for k in op["k"]:
                for r in op["r"]:
                    out.update(sharded(cfg, experiment=EXPERIMENT, label=label, cell=cell_id(k, r, m=m),
                                       runs=op["runs"], shard_size=op["shard_size"], problem=problem(cfg, k, r),
                                       algorithm=scaled(alg, m, op["step_scale"]), m=int(m)))
    return out
