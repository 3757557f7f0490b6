"""Predicted escape times from the reduced model, for every measured grid point, and the
readings of the paper's settings (Phase-I length, SGD across k)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import reduced
from ...shards import cell_id
from ..sensitivity.sweeps import point_id
from .aggregate import quantile


def _phis(n: int) -> np.ndarray:
    return np.linspace(math.pi / 2 - 0.05, math.pi, n)


def predict(params: dict, memo: dict | None = None) -> tuple[pd.DataFrame, dict]:
    """(table of predictions, chains by (label, point id, cell)) for the whole grid.  ``memo``:
    perturbed GD's Monte-Carlo moments by (φ grid, ρ_w, p, n, seed), shared with
    :func:`readings.phase1` (see :func:`reduced.pgd_chain`)."""
    mp = params["model"]
    p = params["p"]
    rows, chains = [], {}
    moments_cache: dict = {}
    memo = {} if memo is None else memo
    for label in ("pgd", "sgd"):
        budget = params["budget"][label]
        for i, entry in enumerate(params["grid"][label]):
            alg, scale = entry["algorithm"], entry["teacher_scale"]
            for k, r in params["cells"]:
                astar = reduced.teacher(k, r, scale)
                seed = int(params["seed"]) + 17 * i + k
                if label == "pgd":
                    chain = reduced.pgd_chain(_phis(mp["n_phi"]), astar, alg["rho_w"], alg["rho_a"], alg["eta0"], p,
                                              n=mp["mc_samples"], seed=int(params["seed"]), memo=memo)
                else:
                    # the moments depend on η too: a's stationary fluctuation around its optimum
                    # (reduced.stationary_cov_a) grows with the step size
                    key = (k, r, scale, alg["batch"], alg["eta0"])
                    if key not in moments_cache:
                        moments_cache[key] = reduced.sgd_chain(_phis(mp["n_phi_sgd"]), astar, alg["eta0"],
                                                               alg["batch"], p, n=mp["sgd_samples"], seed=seed)
                    chain = {**moments_cache[key], "eta": alg["eta0"]}
                hits = reduced.simulate_chain(chain, mp["paths"], budget, seed=seed)
                chains[(label, point_id(entry["point"]), cell_id(k, r))] = chain
                rows.append({"label": label, "point": point_id(entry["point"]), "k": k, "r": r,
                             "pred_median": quantile(hits, 0.5), "pred_q95": quantile(hits, 0.95),
                             "pred_escaped": float(np.mean(np.isfinite(hits))),
                             "pred_mean": reduced.mean_first_passage(chain),
                             "alpha_at_pi": float(chain["alpha"][-1])})
    return pd.DataFrame(rows), chains
