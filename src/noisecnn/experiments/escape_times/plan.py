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


def work(params: dict) -> dict[str, float]:
    """What rule escape_model computes, counted without computing it (for the projection of
    its cost, benchmarks/suite.py): ``sgd_samples`` and ``sgd_sample_patches`` (Σ mini-batch
    gradients of :func:`reduced.sgd_moments`, and Σ of them × batch × k: the patches drawn),
    ``pgd_sample_angles`` (Σ ξ samples × φ grid points of :func:`reduced.perturbed_moments` and
    of :func:`smoothing.smoothed_G`, once per noise level: the memo) and ``path_steps`` (Σ
    paths × budget of :func:`reduced.simulate_chain`: an upper bound, a path stops when it
    escapes).  Counted over :func:`model.predict`, :func:`readings.phase1` and
    :func:`readings.sgd_across_k` as they run (tests/test_projection.py checks it call by
    call)."""
    mp = params["model"]
    out = {"sgd_samples": 0.0, "sgd_sample_patches": 0.0, "pgd_sample_angles": 0.0, "path_steps": 0.0}
    per_phi = max(500, mp["sgd_samples"] // 4) + mp["sgd_samples"]  # sgd_chain: two calls per φ

    def sgd(batch, k):
        out["sgd_samples"] += mp["n_phi_sgd"] * per_phi
        out["sgd_sample_patches"] += mp["n_phi_sgd"] * per_phi * batch * k

    levels, sgd_keys = set(), set()
    for label in ("pgd", "sgd"):
        for entry in params["grid"][label]:
            alg = entry["algorithm"]
            for k, r in params["cells"]:
                key = (k, r, entry["teacher_scale"], alg["batch"], alg["eta0"])
                if label == "pgd":
                    levels.add(float(alg["rho_w"]))
                elif key not in sgd_keys:  # predict's moments cache
                    sgd_keys.add(key)
                    sgd(alg["batch"], k)
                out["path_steps"] += mp["paths"] * params["budget"][label]
    sweep = params["phase1"]
    if sweep is not None:
        for rho in set(sweep["knobs"]["rho_w"]):
            levels.add(float(rho))
            out["path_steps"] += mp["paths"] * max(sweep["knobs"]["phase1_iters"])
    paper = params["paper"]["sgd"]
    for k in params["table1_k"]:
        sgd(paper["batch"], k)
        out["path_steps"] += mp["paths"] * paper["iters_per_epoch"]
    # perturbed_moments and smoothed_G, once per noise level (ρ_w = 0: closed forms)
    out["pgd_sample_angles"] = 2.0 * mp["mc_samples"] * mp["n_phi"] * sum(1 for rho in levels if rho > 0)
    return out
