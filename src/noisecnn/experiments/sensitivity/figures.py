"""One figure per base algorithm, its sweeps as small multiples; Table 1 under every tolerance."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import plotting
from ...shards import fmt_r
from . import sweeps as sw

KNOB_LABEL = {"teacher_scale": "‖a*‖", "rho_w": "ρ_w (Phase I)", "phase1_iters": "Phase-I iterations",
              "iters_per_epoch": "iterations per epoch", "gamma_eta": "γ_η", "reading": "gradient reading",
              "batch": "batch size", "eta0": "η₀", "rho_a": "ρ_a"}


def knob_label(knob: str) -> str:
    return KNOB_LABEL.get(knob, knob.replace("_", " "))


def cell_label(k, r) -> str:
    return f"k = {k}, r = {fmt_r(r)}"


def plot_base(df: pd.DataFrame, sweeps: list[dict], cells: list, base: str, algorithm: str, pdf, png) -> None:
    """Rows = the sweeps of one base algorithm.  One knob: success against the knob, a line
    per cell; two knobs: a heatmap per cell."""
    import matplotlib.pyplot as plt

    ncell = len(cells)
    colors = plotting.OKABE_ITO
    heights = [1.75 if len(s["knobs"]) == 1 else 1.6 for s in sweeps]
    with plotting.style():
        fig = plt.figure(figsize=(plotting.TEXT, sum(heights) + 0.45), layout="constrained")
        subs = np.atleast_1d(fig.subfigures(len(sweeps), 1, height_ratios=heights))
        im = None
        for sub_fig, sweep in zip(subs, sweeps):
            d = df[df["sweep"] == sweep["name"]]
            names = sw.knobs(sweep)
            if len(names) == 1:
                ax = sub_fig.subplots(1, 1)
                vals = sweep["knobs"][names[0]]
                x = np.arange(len(vals))
                for i, (k, r) in enumerate(cells):
                    s = d[(d["k"] == k) & (d["r"] == r)].set_index("point").reindex(
                        [sw.point_id({names[0]: v}) for v in vals])
                    off = (i - (ncell - 1) / 2) * 0.05
                    ax.errorbar(x + off, s["success"], yerr=[s["success"] - s["success_lo"],
                                                             s["success_hi"] - s["success"]],
                                marker="o", ms=3, lw=1.0, capsize=0, color=colors[i % len(colors)],
                                label=cell_label(k, r))
                ax.set_xticks(x, [sw.format_value(v) for v in vals])
                ax.set_xlabel(knob_label(names[0]))
                ax.set_ylabel("success rate")
                ax.set_ylim(-0.04, 1.04)
                ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
            else:
                k1, k2 = names
                v1, v2 = sweep["knobs"][k1], sweep["knobs"][k2]
                axes = np.atleast_1d(sub_fig.subplots(1, ncell, sharey=True))
                for ax, (k, r) in zip(axes, cells):
                    mat = np.full((len(v1), len(v2)), np.nan)
                    for a, x1 in enumerate(v1):
                        for b, x2 in enumerate(v2):
                            row = d[(d["k"] == k) & (d["r"] == r) & (d["point"] == sw.point_id({k1: x1, k2: x2}))]
                            if len(row):
                                mat[a, b] = row["success"].iloc[0]
                    im = ax.imshow(mat, vmin=0, vmax=1, cmap=plotting.SEQUENTIAL, aspect="auto", origin="lower")
                    for (a, b), v in np.ndenumerate(mat):
                        if math.isfinite(v):
                            ax.text(b, a, plotting.rate_label(v), ha="center", va="center", fontsize=plotting.MIN_FONT,
                                    color=plotting.text_color(im, v))
                    ax.set_xticks(range(len(v2)), [sw.format_value(v) for v in v2])
                    ax.set_yticks(range(len(v1)), [sw.format_value(v) for v in v1])
                    ax.set_xlabel(knob_label(k2))
                    ax.set_title(cell_label(k, r))
                axes[0].set_ylabel(knob_label(k1))
                sub_fig.colorbar(im, ax=axes, shrink=0.9, label="success rate")
            sub_fig.suptitle(f"sweep {sweep['name'].replace('_', ' ')}", fontsize=plt.rcParams["axes.titlesize"])
        fig.suptitle(f"{plotting.ALGO_LABEL.get(algorithm, algorithm)}: success rate over the swept settings "
                     f"(95 % Wilson intervals)")
        plotting.save(fig, pdf, png, name=f"sensitivity_{base}")


def plot_tolerances(tdf: pd.DataFrame, names: dict, pdf, png) -> None:
    """Per Table-1 column: the success of its cells under each (φ, a) tolerance pair.
    ``names``: label -> algorithm name."""
    import matplotlib.pyplot as plt

    labels = list(dict.fromkeys(tdf["label"]))
    pairs = list(dict.fromkeys(zip(tdf["tol_phi"], tdf["tol_a_rel"])))
    with plotting.style():
        fig, axes = plt.subplots(1, len(labels), figsize=(plotting.TEXT, 2.5), constrained_layout=True,
                                 sharey=True, squeeze=False)
        for ax, lab in zip(axes[0], labels):
            sub = tdf[tdf["label"] == lab]
            mat = np.array([sub[(sub["tol_phi"] == p) & (sub["tol_a_rel"] == a)].sort_values(["k", "r"])["success"]
                            for p, a in pairs])
            ax.boxplot(mat.T, positions=range(len(pairs)), widths=0.6, showfliers=True,
                       flierprops={"ms": 2}, medianprops={"color": "k"})
            ax.set_xticks(range(len(pairs)), [f"{p:g}/{a:g}" for p, a in pairs], rotation=90)
            ax.set_title(plotting.ALGO_LABEL.get(names.get(lab, lab), lab))
            ax.set_xlabel("tolerance on φ / on ‖a − a*‖/‖a*‖")
        axes[0, 0].set_ylabel("success rate (Table 1 cells)")
        plotting.save(fig, pdf, png, name="sensitivity_tolerances")
