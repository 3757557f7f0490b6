"""Ours (with 95 % intervals) against r for every k, the paper's values as dashes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import plotting
from ...shards import fmt_r


def plot(rep: pd.DataFrame, pdf, png) -> None:
    import matplotlib.pyplot as plt

    labels = list(dict.fromkeys(rep["label"]))
    ks = sorted(rep["k"].unique())
    colors = plotting.colors(len(ks))
    with plotting.style():
        fig, axes = plt.subplots(1, len(labels), figsize=(plotting.TEXT, 2.7), constrained_layout=True,
                                 sharey=True, squeeze=False)
        for ax, lab in zip(axes[0], labels):
            sub = rep[rep["label"] == lab]
            offsets = np.linspace(-0.25, 0.25, len(ks))
            rs = sorted(sub["r"].unique())
            x_of = {r: i for i, r in enumerate(rs)}
            for c, off, k in zip(colors, offsets, ks):
                s = sub[sub["k"] == k].sort_values("r")
                x = np.array([x_of[r] for r in s["r"]]) + off
                ax.errorbar(x, s["ours"], yerr=[s["ours"] - s["success_lo"], s["success_hi"] - s["ours"]],
                            fmt="o", ms=2.5, color=c, lw=0.8, capsize=0, label=f"k = {k}")
                ax.plot(x, s["paper"], linestyle="none", marker="_", ms=6, color=c, mew=1.0)
            ax.set_xticks(range(len(rs)), [fmt_r(r) for r in rs])
            ax.set_xlabel("r")
            ax.set_title(plotting.ALGO_LABEL.get(sub["algorithm"].iloc[0], lab))
            ax.set_ylim(-0.03, 1.03)
        axes[0, 0].set_ylabel("success rate")
        handles, names = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncol=len(ks),
                   title="dots: ours with 95 % Wilson interval; dashes: the paper's value")
        plotting.save(fig, pdf, png, name="reproduction")
