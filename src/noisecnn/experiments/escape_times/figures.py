"""Survival curves of the escape time, and predicted against measured medians."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import plotting
from ...shards import fmt_r
from .aggregate import survival


def plot_survival(df: pd.DataFrame, hits: dict, label: str, color_knob: str, panel_knob: str, pdf, png) -> None:
    """One panel per (cell, value of ``panel_knob``), one curve per value of ``color_knob``."""
    import matplotlib.pyplot as plt

    sub = df[df["label"] == label]
    cells = sorted(set(zip(sub["k"], sub["r"])))
    panels = sorted(sub[f"knob_{panel_knob}"].unique())
    colours = sorted(sub[f"knob_{color_knob}"].unique())
    cmap = plotting.colors(len(colours))
    budget = int(sub["budget"].max())
    t = np.unique(np.geomspace(1, budget, 60).astype(int))
    with plotting.style():
        fig, axes = plt.subplots(len(cells), len(panels), figsize=(plotting.TEXT, 1.25 * len(cells) + 0.8),
                                 layout="constrained", sharex=True, sharey=True, squeeze=False)
        for i, (k, r) in enumerate(cells):
            for j, pv in enumerate(panels):
                ax = axes[i, j]
                for c, cv in zip(cmap, colours):
                    row = sub[(sub["k"] == k) & (sub["r"] == r) & (sub[f"knob_{panel_knob}"] == pv)
                              & (sub[f"knob_{color_knob}"] == cv)]
                    if row.empty:
                        continue
                    h = hits[(label, row["point"].iloc[0], f"k{k}-r{fmt_r(r)}")]
                    ax.step(t, survival(h, budget, t), where="post", color=c, lw=1.0, label=f"{cv:g}")
                ax.set_xscale("log")
                ax.set_ylim(-0.03, 1.03)
                if i == 0:
                    ax.set_title(f"{panel_knob.replace('_', ' ')} = {pv:g}")
                if j == 0:
                    ax.set_ylabel(f"k={k}, r={fmt_r(r)}\nnot escaped")
                if i == len(cells) - 1:
                    ax.set_xlabel("iteration")
        handles, names = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncol=len(colours),
                   title=f"{color_knob.replace('_', ' ')}")
        fig.suptitle(f"{plotting.ALGO_LABEL.get(label, label)} from the spurious point: runs not yet escaped "
                     f"(budget {budget})")
        plotting.save(fig, pdf, png, name=f"escape_survival_{label}")


def plot_prediction(df: pd.DataFrame, pdf, png) -> None:
    """Predicted against measured median escape time (log-log), censored points at the budget."""
    import matplotlib.pyplot as plt

    with plotting.style():
        fig, ax = plt.subplots(figsize=(plotting.COLUMN, 3.1), layout="constrained")
        top = float(np.nanmax(np.r_[df["budget"].max() * 2]))
        for label, marker in (("pgd", "o"), ("sgd", "s")):
            sub = df[df["label"] == label]
            if sub.empty:
                continue
            meas = np.where(np.isfinite(sub["median"]), sub["median"], sub["budget"] * 1.4)
            pred = np.where(np.isfinite(sub["pred_median"]), sub["pred_median"], sub["budget"] * 1.4)
            inside = np.isfinite(sub["median"])
            ax.scatter(meas[inside], pred[inside], marker=marker, s=14, color=plotting.ALGO_COLOR[label],
                       label=f"{plotting.ALGO_LABEL[label]}")
            ax.scatter(meas[~inside], pred[~inside], marker=marker, s=14, facecolor="none",
                       edgecolor=plotting.ALGO_COLOR[label], label=f"{plotting.ALGO_LABEL[label]}, censored")
        x = np.geomspace(1, top, 10)
        ax.plot(x, x, color="0.3", lw=0.6)
        ax.fill_between(x, x / 1.5, x * 1.5, color="0.85", lw=0, label="within a factor 1.5")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("measured median escape time")
        ax.set_ylabel("predicted median (reduced model)")
        ax.legend(loc="upper left")
        plotting.save(fig, pdf, png, name="escape_prediction")


def plot_phase1(reading: pd.DataFrame, pdf, png) -> None:
    """The paper's Phase I: predicted probability to escape within L iterations against the
    measured escaping fraction of the pgd_phase1 sweep, per ρ_w."""
    import matplotlib.pyplot as plt

    with plotting.style():
        fig, ax = plt.subplots(figsize=(plotting.COLUMN, 2.6), layout="constrained")
        rhos = sorted(reading["rho_w"].unique())
        for c, rho in zip(plotting.colors(len(rhos)), rhos):
            s = reading[reading["rho_w"] == rho].sort_values("phase1_iters")
            ax.plot(s["phase1_iters"], s["predicted"], color=c, lw=1.0, label=f"ρ_w = {rho:g}")
            if "measured" in s:
                ax.plot(s["phase1_iters"], s["measured"], "o", color=c, ms=3)
        ax.set_xscale("log")
        ax.set_ylim(-0.03, 1.03)
        ax.set_xlabel("Phase-I iterations")
        ax.set_ylabel("escaped within Phase I")
        ax.legend(loc="upper left", title="lines: predicted; dots: measured")
        plotting.save(fig, pdf, png, name="escape_phase1")
