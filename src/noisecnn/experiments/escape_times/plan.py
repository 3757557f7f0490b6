"""E6's jobs: one per (algorithm, grid point, cell), each stopping its runs at the basin boundary."""

from __future__ import annotations

import itertools

from ...config import algorithm
from ...shards import ShardKey, cell_id
from ..common import problem, simulation_job

EXPERIMENT = "escape"


def points(cfg: dict, label: str) -> list[dict]:
    """The grid of ``label`` (pgd: rho_w × teacher_scale; sgd: eta0 × batch), knobs sorted."""
    grid = cfg["escape"][label]["grid"]
    names = sorted(grid)
    return [dict(zip(names, vals)) for vals in itertools.product(*(grid[n] for n in names))]


def point_id(point: dict) -> str:
    from ..sensitivity.sweeps import point_id as pid

    return pid(point)


def constant(cfg: dict, label: str, point: dict) -> tuple[dict, float]:
    """(algorithm, ‖a*‖) of a grid point: the paper's algorithm with the point's knobs, one
    epoch of ``budget`` iterations (constant step size and noise), no Phase-I change."""
    sec = cfg["escape"]
    alg = algorithm(cfg, {"base": sec[label]["base"]}, f"escape.{label}.base")
    alg.update(epochs=1, iters_per_epoch=sec[label]["budget"], phase1_iters=None)
    scale = cfg["teacher_scale"]
    for knob, value in point.items():
        if knob == "teacher_scale":
            scale = float(value)
        else:
            alg[knob] = value
    return alg, scale


def jobs(cfg: dict) -> dict[str, dict]:
    sec = cfg["escape"]
    out = {}
    for label in ("pgd", "sgd"):
        for pt in points(cfg, label):
            alg, scale = constant(cfg, label, pt)
            for k, r in sec["cells"]:
                cell = cell_id(k, r)
                path = ShardKey(EXPERIMENT, f"{label}/{point_id(pt)}", cell).path()
                out[path] = simulation_job(cfg, experiment=EXPERIMENT, label=label, cell=cell,
                                           problem=problem(cfg, k, r, scale=scale), algorithm=alg, run_start=0,
                                           n_runs=sec[label]["runs"], stop_at_basin=True, point=pt)
    return out


def model_params(cfg: dict) -> dict:
    """What the predictions depend on."""
    sec = cfg["escape"]
    return {"cells": sec["cells"], "p": cfg["p"], "model": sec["model"], "seed": cfg["seed"],
            "escape_cell": cfg["sensitivity"]["escape_cell"],
            "teacher_scale": cfg["teacher_scale"], "table1_k": cfg["table1"]["k"],
            "grid": {label: [{"point": pt, "algorithm": constant(cfg, label, pt)[0],
                              "teacher_scale": constant(cfg, label, pt)[1]} for pt in points(cfg, label)]
                     for label in ("pgd", "sgd")},
            "budget": {label: sec[label]["budget"] for label in ("pgd", "sgd")},
            "paper": {"pgd": algorithm(cfg, {"base": sec["pgd"]["base"]}, "escape.pgd.base"),
                      "sgd": algorithm(cfg, {"base": sec["sgd"]["base"]}, "escape.sgd.base")},
            "phase1": next((s for s in cfg["sensitivity"]["sweeps"] if set(s["knobs"]) == {"rho_w", "phase1_iters"}),
                           None)}
