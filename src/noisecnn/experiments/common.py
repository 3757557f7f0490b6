"""Shared pieces of the experiments: shards, cell ids, saving a shard, loading cells."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import backend as _backend
from ..io import load_npz, save_npz
from ..provenance import stamp
from ..simulate import Algorithm, Problem, Result, simulate


def fmt_r(r) -> str:
    return f"{float(r):g}"


def cell_id(k, r) -> str:
    return f"k{int(k)}-r{fmt_r(r)}"


def n_shards(runs: int, shard_size: int) -> int:
    return -(-int(runs) // int(shard_size))


def shard_range(runs: int, shard_size: int, shard: int) -> tuple[int, int]:
    """(first run, number of runs) of shard ``shard``."""
    start = shard * shard_size
    if not 0 <= start < runs:
        raise ValueError(f"shard {shard} out of range for {runs} runs in shards of {shard_size}")
    return start, min(shard_size, runs - start)


def problem(cfg: dict, k, r, teacher: str = "random", scale: float | None = None) -> Problem:
    return Problem(k=int(k), r=float(r), p=int(cfg["p"]), scale=float(scale or cfg["teacher_scale"]),
                   teacher=teacher)


def run_shard(cfg: dict, *, experiment: str, cell: str, label: str, problem: Problem, algorithm: Algorithm,
              runs: int, shard_size: int, shard: int, out: str | Path, threads: int | None,
              stride: int = 0, save_states: bool = False, extra_meta: dict | None = None) -> Result:
    """Simulate one shard of one cell and write it atomically with its provenance."""
    start, n = shard_range(runs, shard_size, shard)
    be = _backend.resolve(cfg.get("backend", "cpu"))
    res = simulate(problem, algorithm, seed=int(cfg["seed"]), experiment=experiment, cell=cell, label=label,
                   n_runs=n, run_start=start, stride=stride, threads=threads, backend=be)
    arrays = {k: v for k, v in res.arrays().items() if k not in ("final_w", "final_a", "wstar", "astar")}
    if stride == 0:
        arrays.pop("traj")
    if save_states:
        arrays["final_w"] = res.final_w.astype(np.float32)
        arrays["final_a"] = res.final_a.astype(np.float32)
    meta = stamp({"seed": cfg["seed"], **res.meta, "runs": runs, "shard_size": shard_size, "shard": shard,
                  "backend": be, **(extra_meta or {})})
    save_npz(out, arrays, meta)
    return res


def load_cell(paths) -> tuple[dict, dict]:
    """Concatenate the shards of one cell (ordered by first run); returns (arrays, meta)."""
    parts = [load_npz(p) for p in paths]
    parts.sort(key=lambda x: int(x[0]["run_start"]))
    arrays = {}
    for key in parts[0][0]:
        if key in ("run_start", "stride"):
            arrays[key] = parts[0][0][key]
        else:
            arrays[key] = np.concatenate([p[0][key] for p in parts])
    starts = [int(p[0]["run_start"]) for p in parts]
    sizes = [p[0]["phi"].shape[0] for p in parts]
    if starts != list(np.cumsum([0] + sizes[:-1]) + starts[0]):
        raise ValueError(f"shards of a cell do not tile the run range: starts {starts}, sizes {sizes}")
    return arrays, parts[0][1]
