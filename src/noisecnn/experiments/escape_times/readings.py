"""The paper's settings read through the reduced model: its Phase I against the escape time,
the Phase-I length needed for 95 % escape against the pgd_phase1 sweep, SGD across k
against Table 1, and the scaling of the escape time with ρ_w and k."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import reduced
from .aggregate import quantile
from .model import _phis


def phase1(params: dict, memo: dict | None = None) -> pd.DataFrame:
    """Per ρ_w of the pgd_phase1 sweep and Phase-I length L: the predicted probability to
    escape within L iterations (constant ρ_w, the paper's η₀ and ρ_a, ‖a*‖ of the config).
    ``memo``: as in :func:`model.predict`."""
    sweep = params["phase1"]
    if sweep is None:
        return pd.DataFrame(columns=["rho_w", "phase1_iters", "predicted", "predicted_q95"])
    mp, paper = params["model"], params["paper"]["pgd"]
    k, r = params["escape_cell"]
    astar = reduced.teacher(k, r, params["teacher_scale"])
    lengths = sorted(sweep["knobs"]["phase1_iters"])
    rows = []
    for rho in sorted(sweep["knobs"]["rho_w"]):
        chain = reduced.pgd_chain(_phis(mp["n_phi"]), astar, rho, paper["rho_a"], paper["eta0"], params["p"],
                                  n=mp["mc_samples"], seed=int(params["seed"]), memo=memo)
        hits = reduced.simulate_chain(chain, mp["paths"], max(lengths), seed=int(params["seed"]))
        q95 = quantile(hits, 0.95)
        for L in lengths:
            rows.append({"rho_w": rho, "phase1_iters": L, "predicted": float(np.mean(hits <= L)),
                         "predicted_q95": q95})
    return pd.DataFrame(rows)


def join_phase1(pred: pd.DataFrame, sens: pd.DataFrame, sweep_name: str | None, cell) -> pd.DataFrame:
    """The prediction beside the sweep's measured escaping fraction (φ_T < π/2) at the cell."""
    k, r = cell
    out = pred.copy()
    out["measured"] = [float(m["frac_phi_below_half_pi"].iloc[0]) if len(m) else float("nan") for m in (
        sens[(sens["sweep"] == sweep_name) & (sens["k"] == k) & (sens["r"] == r) & (sens["knob_rho_w"] == rho)
             & (sens["knob_phase1_iters"] == L)] for rho, L in zip(pred["rho_w"], pred["phase1_iters"]))]
    return out


def sgd_across_k(params: dict) -> pd.DataFrame:
    """SGD at the paper's first epoch (η₀, batch, its iterations) from the spurious point, r = 0,
    over Table 1's k: the predicted probability to escape within the first epoch."""
    mp, paper = params["model"], params["paper"]["sgd"]
    rows = []
    for k in params["table1_k"]:
        astar = reduced.teacher(k, 0.0, params["teacher_scale"])
        chain = reduced.sgd_chain(_phis(mp["n_phi_sgd"]), astar, paper["eta0"], paper["batch"], params["p"],
                                  n=mp["sgd_samples"], seed=int(params["seed"]) + k)
        hits = reduced.simulate_chain(chain, mp["paths"], paper["iters_per_epoch"], seed=int(params["seed"]) + k)
        rows.append({"k": k, "first_epoch": paper["iters_per_epoch"], "predicted": float(np.mean(np.isfinite(hits))),
                     "pred_median": quantile(hits, 0.5)})
    return pd.DataFrame(rows)


def join_sgd_k(pred: pd.DataFrame, table1: pd.DataFrame) -> pd.DataFrame:
    """The prediction beside Table 1's SGD escaping fraction (φ_T < π/2) at r = 0."""
    out = pred.copy()
    out["measured"] = [float(m["frac_phi_below_half_pi"].iloc[0]) if len(m) else float("nan") for m in (
        table1[(table1["algorithm"] == "sgd") & (table1["k"] == k) & (table1["r"] == 0)] for k in pred["k"])]
    return out


def scaling(df: pd.DataFrame) -> pd.DataFrame:
    """Per cell and ‖a*‖: the exponent γ of median escape time ∝ ρ_w^{−γ} (least squares in
    log-log over the grid points escaped within the budget), and the k ratio at equal ρ_w."""
    rows = []
    pgd = df[df["label"] == "pgd"]
    for (k, r, s), sub in pgd.groupby(["k", "r", "teacher_scale"]):
        ok = sub[np.isfinite(sub["median"]) & (sub["median"] > 0)]
        if len(ok) >= 2:
            slope = np.polyfit(np.log(ok["rho_w"]), np.log(ok["median"]), 1)[0]
            rows.append({"k": k, "r": r, "teacher_scale": s, "gamma": -float(slope), "points": len(ok)})
    return pd.DataFrame(rows)


def loss_rise(runs: dict) -> dict[str, float]:
    """Figure 3's SGD runs (k = 100, from the spurious point): the median over runs of the
    largest population loss of the first epoch, relative to the loss at the spurious point.
    Far above 1, the output weights are far from their optimum: the small-noise reduction
    (a relaxed to its optimum) does not describe SGD there."""
    out = {}
    for label, (arrays, job) in runs.items():
        if job["algorithm"]["algorithm"] != "sgd":
            continue
        first = max(1, job["algorithm"]["iters_per_epoch"] // job["stride"])
        loss = arrays["traj"][:, :first + 1, 2]
        out[label] = float(np.median(np.nanmax(loss, axis=1) / loss[:, 0]))
    return out
