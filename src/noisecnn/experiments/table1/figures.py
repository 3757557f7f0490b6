"""Table 1 as heatmaps: ours, the paper's, and the difference, per algorithm."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import plotting
from ...shards import fmt_r


def plot_heatmap(df: pd.DataFrame, pdf, png) -> None:
    import matplotlib.pyplot as plt

    labels = list(dict.fromkeys(df["label"]))
    ks = sorted(df["k"].unique())
    rs = sorted(df["r"].unique())
    with plotting.style():
        fig, axes = plt.subplots(len(labels), 3, figsize=(plotting.TEXT, 1.45 * len(labels) + 0.6),
                                 constrained_layout=True, squeeze=False)
        images = {}
        for i, label in enumerate(labels):
            sub = df[df["label"] == label]
            grid = lambda col: sub.pivot(index="k", columns="r", values=col).reindex(index=ks, columns=rs)  # noqa
            ours = grid("success").to_numpy(float)
            pap = grid("paper").to_numpy(float)
            name = plotting.ALGO_LABEL.get(sub["algorithm"].iloc[0], label)
            for j, (mat, title, cmap, vmin) in enumerate([
                    (ours, "ours", plotting.SEQUENTIAL, 0), (pap, "paper", plotting.SEQUENTIAL, 0),
                    (ours - pap, "ours − paper", plotting.DIVERGING, -1)]):
                ax = axes[i, j]
                im = images[j] = ax.imshow(mat, cmap=cmap, vmin=vmin, vmax=1, aspect="auto")
                for (a, b), v in np.ndenumerate(mat):
                    if math.isfinite(v):
                        ax.text(b, a, f"{v:.2f}", ha="center", va="center", fontsize=plotting.MIN_FONT,
                                color=plotting.text_color(im, v))
                ax.set_xticks(range(len(rs)), [fmt_r(r) for r in rs])
                ax.set_yticks(range(len(ks)), [str(k) for k in ks])
                ax.set_title(f"{name}: {title}")
                if j == 0:
                    ax.set_ylabel("k")
                if i == len(labels) - 1:
                    ax.set_xlabel("r")
        fig.colorbar(images[1], ax=axes[:, :2], location="bottom", shrink=0.5, aspect=40, label="success rate")
        fig.colorbar(images[2], ax=axes[:, 2], location="bottom", shrink=0.9, aspect=20, label="difference")
        plotting.save(fig, pdf, png, name="table1_heatmap")
