"""Success over r per m; where the failed runs stop; alignment of the successful runs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import plotting
from ...outcomes import Tolerances
from .aggregate import successes


def plot_success(df: pd.DataFrame, pdf, png) -> None:
    import matplotlib.pyplot as plt

    ks = sorted(df["k"].unique())
    labels = list(dict.fromkeys(df["label"]))
    ms = sorted(df["m"].unique())
    colors = plotting.colors(len(ms))
    with plotting.style():
        fig, axes = plt.subplots(len(labels), len(ks), figsize=(plotting.TEXT, 1.9 * len(labels) + 0.5),
                                 constrained_layout=True, squeeze=False, sharey=True)
        for i, lab in enumerate(labels):
            for j, k in enumerate(ks):
                ax = axes[i, j]
                sub = df[(df["label"] == lab) & (df["k"] == k)]
                for c, m in zip(colors, ms):
                    s = sub[sub["m"] == m].sort_values("r")
                    ax.errorbar(s["r"], s["success"], yerr=[s["success"] - s["success_lo"],
                                                            s["success_hi"] - s["success"]],
                                marker="o", ms=2.5, lw=0.9, capsize=0, color=c, label=f"m = {m}")
                name = plotting.ALGO_LABEL.get(sub["algorithm"].iloc[0], lab) if len(sub) else lab
                init = sub["init"].iloc[0] if len(sub) else ""
                ax.set_title(f"{name} ({init} init), k = {k}")
                ax.set_ylim(-0.03, 1.03)
                if i == len(labels) - 1:
                    ax.set_xlabel("r")
                if j == 0:
                    ax.set_ylabel("success rate")
        handles, names = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncol=len(ms))
        plotting.save(fig, pdf, png, name="overparam_success")


TYPE_COLOR = {"saddle": plotting.OKABE_ITO[1], "saddle (degenerate)": plotting.OKABE_ITO[4],
              "strict local minimum": plotting.OKABE_ITO[0], "minimum (degenerate)": plotting.OKABE_ITO[2],
              "not stationary": "0.5"}


def plot_catalogue(cat: pd.DataFrame, pdf, png) -> None:
    import matplotlib.pyplot as plt

    with plotting.style():
        fig, axes = plt.subplots(1, 2, figsize=(plotting.TEXT, 2.6), constrained_layout=True)
        if cat.empty:
            for ax in axes:
                ax.text(0.5, 0.5, "no failed runs", ha="center", va="center", transform=ax.transAxes)
        else:
            labels = [f"{a}/{b}/{c}/{d}" for a, b, c, d in
                      zip(cat["near_wstar"], cat["near_minus_wstar"], cat["elsewhere"], cat["zero_weight"])]
            pivot = cat.assign(sig=labels).groupby(["m", "sig"])["fraction_of_runs"].mean().unstack(fill_value=0)
            bottom = np.zeros(len(pivot))
            cols = plotting.colors(pivot.shape[1], "viridis")
            for c, sig in zip(cols, pivot.columns):
                axes[0].bar([str(m) for m in pivot.index], pivot[sig], bottom=bottom, color=c, label=sig, width=0.7)
                bottom += pivot[sig].to_numpy()
            axes[0].set_xlabel("m")
            axes[0].set_ylabel("fraction of runs (mean over k, r)")
            axes[0].set_title("failed GD runs by cluster")
            axes[0].legend(title="filters at w* / −w* / else / off", loc="upper right")
            types = [t for t in TYPE_COLOR if t in set(cat["type"])] + sorted(set(cat["type"]) - set(TYPE_COLOR))
            for row, t in enumerate(types):
                sub = cat[cat["type"] == t]
                axes[1].scatter(sub["median_rel_loss"], np.full(len(sub), row), s=10 + 60 * sub["fraction_of_runs"],
                                color=TYPE_COLOR.get(t, "k"), alpha=0.85, edgecolor="none")
            axes[1].set_yticks(range(len(types)), types)
            axes[1].set_ylim(-0.6, len(types) - 0.4)
            plotting.log_axis(axes[1], "x")
            axes[1].set_xlabel(r"median final loss / $\|a^*\|^2$ of the cluster")
            axes[1].set_title("the stationary point each cluster reaches")
        plotting.save(fig, pdf, png, name="overparam_stationary")


def plot_alignment(loaded: dict, tolerances: dict, pdf, png) -> None:
    """Successful runs: each filter's angle to w* and its share of the teacher's output weights."""
    import matplotlib.pyplot as plt

    tol = Tolerances.from_dict(tolerances)
    ms = sorted({job["m"] for _, job in loaded.values()})
    colors = plotting.colors(len(ms))
    with plotting.style():
        fig, axes = plt.subplots(1, 2, figsize=(plotting.TEXT, 2.4), constrained_layout=True)
        for c, m in zip(colors, ms):
            phis, shares = [], []
            for arrays, job in loaded.values():
                if job["m"] == m:
                    ok = successes(arrays, tol)
                    phis.append(arrays["filter_phi"][ok].ravel())
                    shares.append(arrays["filter_share"][ok].ravel())
            phi, share = np.concatenate(phis), np.concatenate(shares)
            if phi.size == 0:
                continue
            axes[0].hist(phi, bins=np.linspace(0, math.pi, 61), histtype="step", density=True, color=c,
                         label=f"m = {m}")
            sel = slice(None, None, max(1, phi.size // 4000))
            axes[1].scatter(phi[sel], share[sel], s=2, color=c, alpha=0.5, label=f"m = {m}")
        for ax in axes:
            ax.set_xlabel(r"filter angle to $w^*$")
            ax.set_xticks([0, math.pi / 2, math.pi], ["0", r"$\pi/2$", r"$\pi$"])
        axes[0].set_ylabel("density (successful runs)")
        axes[0].set_yscale("log")
        axes[0].legend()
        axes[1].set_ylabel(r"share $a_i^\top a^*/\|a^*\|^2$")
        axes[1].axhline(0, color="0.3", lw=0.5)
        plotting.save(fig, pdf, png, name="overparam_alignment")
