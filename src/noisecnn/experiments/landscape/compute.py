"""G_ρ(φ) by Monte Carlo for every ρ, the smoothed profiles ℓ_ρ(φ) of each cell, and whether
the smoothed objective keeps its spurious minimum at φ = π."""

from __future__ import annotations

import math

import numpy as np

from ... import smoothing
from ...shards import fmt_r


def compute(params: dict) -> dict:
    phis = np.linspace(0.0, math.pi, params["n_phi"])
    rhos = np.array(sorted(params["rho_w"], reverse=True), float)
    G = np.empty((rhos.size, phis.size))
    se = np.empty_like(G)
    for i, rho in enumerate(rhos):
        G[i], se[i] = smoothing.smoothed_G(phis, rho, params["p"], n=params["mc_samples"],
                                           seed=int(params["seed"]) + i)
    data = {"phis": phis, "rhos": rhos, "G": G, "G_se": se}
    for k, r in params["cells"]:
        astar = smoothing.representative_astar(k, r, params["teacher_scale"])
        data[f"profile_k{k}_r{fmt_r(r)}"] = np.array([smoothing.profile(G[i], astar) for i in range(rhos.size)])
        data[f"criticalG_k{k}_r{fmt_r(r)}"] = np.float64(smoothing.critical_G(astar))
    return data


def spurious_table(params: dict, data: dict) -> list[dict]:
    """Per cell and ρ: G_ρ(π) ± s.e. against the critical G; does the smoothed spurious
    minimum at φ = π survive (4 standard errors either way, else 'uncertain')?"""
    rows = []
    for k, r in params["cells"]:
        gc = float(data[f"criticalG_k{k}_r{fmt_r(r)}"])
        for i, rho in enumerate(data["rhos"]):
            gpi, s = float(data["G"][i, -1]), float(data["G_se"][i, -1])
            verdict = "yes" if gpi + 4 * s < gc else ("no" if gpi - 4 * s > gc else "uncertain")
            rows.append({"k": k, "r": r, "rho": float(rho), "G_pi": gpi, "G_pi_se": s, "G_crit": gc,
                         "spurious_min": verdict})
    return rows
