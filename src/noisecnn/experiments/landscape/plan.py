"""The landscapes' one simulation (GD trajectories) and the parameters of the rest."""

from __future__ import annotations

from ...config import algorithm
from ...shards import ShardKey
from ..common import problem, simulation_job

EXPERIMENT = "landscape"


def trajectory_jobs(cfg: dict) -> dict[str, dict]:
    """GD from random starts on Figure 3's teacher, drawn on the 2-D landscape."""
    tr = cfg["landscape"]["trajectories"]
    k = cfg["figure3"]["k"]
    alg = algorithm(cfg, tr["algorithm"], "landscape.trajectories.algorithm")
    cell = f"k{k}-pm"
    job = simulation_job(cfg, experiment=EXPERIMENT, label=alg["algorithm"], cell=cell,
                         problem=problem(cfg, k, 0, teacher="pm"), algorithm=alg, run_start=0, n_runs=tr["runs"],
                         stride=tr["stride"])
    return {ShardKey(EXPERIMENT, alg["algorithm"], cell).path(): job}


def compute_params(cfg: dict) -> dict:
    """Everything the landscape computation depends on."""
    ls = cfg["landscape"]
    return {"rho_w": ls["rho_w"], "cells": ls["cells"], "n_phi": ls["n_phi"], "mc_samples": ls["mc_samples"],
            "n_phi_2d": ls["n_phi_2d"], "n_t": ls["n_t"], "two_filter": ls["two_filter"], "p": cfg["p"],
            "teacher_scale": cfg["teacher_scale"], "seed": cfg["seed"], "k_2d": cfg["figure3"]["k"]}
