"""Table 1's jobs: one per (algorithm label, k, r, shard)."""

from __future__ import annotations

from ...config import algorithms
from ...shards import cell_id
from ..common import problem, sharded

EXPERIMENT = "table1"


def shard_jobs(cfg: dict) -> dict[str, dict]:
    """{shard path: job} of every Table 1 shard, in the paper's order."""
    t1 = cfg["table1"]
    out = {}
    for label, alg in algorithms(cfg, "table1").items():
        for k in t1["k"]:
            for r in t1["r"]:
                out.update(sharded(cfg, experiment=EXPERIMENT, label=label, cell=cell_id(k, r), runs=t1["runs"],
                                   shard_size=t1["shard_size"], problem=problem(cfg, k, r), algorithm=alg,
                                   save_states=t1["save_states"]))
    return out
