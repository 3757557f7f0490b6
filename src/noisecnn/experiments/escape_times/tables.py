"""The escape-time tables (measured beside predicted, with the ratio) and their macros."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import latex
from ...latex import macro_name, rate
from ...shards import fmt_r


def _t(x) -> str:
    return "$>$B" if not math.isfinite(x) else f"{x:.0f}"


def write_tex(df: pd.DataFrame, path) -> None:
    """Rows (algorithm, cell, first knob), columns the second knob; cells 'measured / predicted'."""
    blocks = []
    for label, (rk, ck) in (("pgd", ("rho_w", "teacher_scale")), ("sgd", ("eta0", "batch"))):
        sub = df[df["label"] == label]
        if sub.empty:
            continue
        cols = sorted(sub[f"knob_{ck}"].unique())
        header = ["$k$", "$r$", latex.escape(rk.replace("_", " "))] + [f"{ck.replace('_', ' ')} $={c:g}$" for c in cols]
        rows, mids = [], set()
        for (k, r), cell in sub.groupby(["k", "r"]):
            if rows:
                mids.add(len(rows))
            for i, rv in enumerate(sorted(cell[f"knob_{rk}"].unique())):
                row = [str(k) if i == 0 else "", fmt_r(r) if i == 0 else "", f"{rv:g}"]
                for c in cols:
                    m = cell[(cell[f"knob_{rk}"] == rv) & (cell[f"knob_{ck}"] == c)]
                    row.append(f"{_t(m['median'].iloc[0])} / {_t(m['pred_median'].iloc[0])}" if len(m) else "")
                rows.append(row)
        blocks.append(latex.tabular("rrr" + "c" * len(cols), header, rows, mids))
    caption = ("Median escape time from the spurious point (first iteration with $\\phi_t<\\pi/2$, constant step size "
               "and noise), measured / predicted by the reduced model; top: perturbed GD over $\\rho_w$ and "
               "$\\|a^*\\|$, bottom: SGD over $\\eta$ and the batch size. $>$B: not within the budget.")
    latex.write_table(path, "\\scriptsize\n" + "\n\\par\\medskip\n".join(blocks), caption,
                      "tab:escape")


def macros(df: pd.DataFrame, phase1: pd.DataFrame, sgd_k: pd.DataFrame, scaling: pd.DataFrame,
           paper_cell: dict, loss_rise: dict) -> dict[str, str]:
    out = {}
    for label, v in loss_rise.items():
        out[macro_name("EscapeLossRise", label)] = f"{v:.0f}"
    inside = df[np.isfinite(df["median"])]
    ratio = inside["pred_median"] / inside["median"]
    within = np.isfinite(ratio) & (ratio <= 1.5) & (ratio >= 1 / 1.5)
    out["EscapeGridPoints"] = str(len(df))
    out["EscapeInside"] = str(len(inside))
    out["EscapeWithin"] = str(int(within.sum()))
    out["EscapeMedianRatio"] = f"{np.nanmedian(ratio):.2f}" if len(inside) else "n/a"
    for label in ("pgd", "sgd"):
        sub = inside[inside["label"] == label]
        r = sub["pred_median"] / sub["median"]
        w = np.isfinite(r) & (r <= 1.5) & (r >= 1 / 1.5)
        out[macro_name("Escape", label, "Inside")] = str(len(sub))
        out[macro_name("Escape", label, "Within")] = str(int(w.sum()))
    # the paper's setting (ρ_w, ‖a*‖ of paper_cell at its cell)
    row = df[(df["label"] == "pgd") & (df["k"] == paper_cell["k"]) & (df["r"] == paper_cell["r"])
             & (df["rho_w"] == paper_cell["rho_w"]) & (df["teacher_scale"] == paper_cell["teacher_scale"])]
    if len(row):
        row = row.iloc[0]
        out.update({"EscapePaperK": str(paper_cell["k"]), "EscapePaperR": fmt_r(paper_cell["r"]),
                    "EscapePaperRho": f"{paper_cell['rho_w']:g}", "EscapePaperPhaseOne": str(paper_cell["phase1"]),
                    "EscapePaperMeasured": _t(row["median"]).replace("$>$B", f"$>${int(row['budget'])}"),
                    "EscapePaperPredicted": _t(row["pred_median"]).replace("$>$B", f"$>${int(row['budget'])}"),
                    "EscapePaperEscaped": rate(row["escaped"]), "EscapePaperBudget": str(int(row["budget"])),
                    # the reading of the measurement, for the abstract
                    "EscapePaperVerdict": ("the paper's Phase~I is long enough for the median run"
                                           if row["median"] <= paper_cell["phase1"]
                                           else "the paper's Phase~I is too short for the median run")})
    if len(phase1):
        q = phase1.groupby("rho_w")["predicted_q95"].first()
        for rho, v in q.items():
            out[macro_name("EscapePhaseOneNinetyFive", "rho", int(rho))] = _t(v).replace("$>$B", "beyond the sweep")
        if "measured" in phase1:
            d = (phase1["predicted"] - phase1["measured"]).abs()
            out["EscapePhaseOneMaxDiff"] = rate(d.max())
    if len(sgd_k):
        for row in sgd_k.itertuples():
            out[macro_name("EscapeSgdK", int(row.k), "Predicted")] = rate(row.predicted)
            if hasattr(row, "measured") and math.isfinite(row.measured):
                out[macro_name("EscapeSgdK", int(row.k), "Measured")] = rate(row.measured)
        out["EscapeSgdFirstEpoch"] = str(int(sgd_k["first_epoch"].iloc[0]))
    if len(scaling):
        g = scaling[(scaling["r"] == 0)]
        if len(g):
            out["EscapeGammaMin"] = f"{g['gamma'].min():.1f}"
            out["EscapeGammaMax"] = f"{g['gamma'].max():.1f}"
    return out


def discussion(df: pd.DataFrame) -> str:
    """Where the reduced model holds and where it breaks, read off the table (LaTeX)."""
    inside = df[np.isfinite(df["median"])].copy()
    inside["ratio"] = inside["pred_median"] / inside["median"]
    bad = inside[~((inside["ratio"] <= 1.5) & (inside["ratio"] >= 1 / 1.5))]
    cens = df[~np.isfinite(df["median"])]
    agree_cens = int(np.sum(~np.isfinite(cens["pred_median"])))
    parts = [f"Where the measured median lies beyond the budget ({len(cens)} grid points), the model "
             f"also predicts no escape within it at {agree_cens}."]
    if len(bad):
        fast = bad[bad["median"] < 100]
        slow = bad[bad["median"] >= 100]
        if len(fast):
            parts.append(f"{len(fast)} of the {len(bad)} points outside the factor-1.5 band escape within "
                         f"{int(fast['median'].max())} iterations (median ratio "
                         f"{np.median(fast['ratio']):.2f}): there the filter leaves at once, often where the "
                         f"spurious point is a saddle, and a few iterations of the output weights' relaxation, "
                         f"which the model assumes done, are a large part of the time.")
        if len(slow):
            worst = slow.iloc[np.argmax(np.abs(np.log(slow["ratio"])))]
            parts.append(f"The other {len(slow)} have median ratios between {slow['ratio'].min():.2f} and "
                         f"{slow['ratio'].max():.2f}; the largest miss is "
                         f"{'perturbed GD' if worst['label'] == 'pgd' else 'SGD'} at $k={int(worst['k'])}$, "
                         f"$r={worst['r']:g}$, {latex.escape(worst['point'].replace('_', ' '))} "
                         f"(measured {worst['median']:.0f}, predicted {worst['pred_median']:.0f}).")
    return "\\paragraph{Where the model holds.} " + " ".join(parts) + "\n"
