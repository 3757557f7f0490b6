"""E2 — Figure 3: trajectories of perturbed GD and SGD from the spurious point
(k = 100, a*_j = ∓0.1), run mean with spread, epoch boundaries marked."""

from __future__ import annotations

import numpy as np

from .. import plotting
from ..config import algorithms
from ..provenance import code_version
from .common import load_cell, problem, run_shard

EXPERIMENT = "figure3"


def cell(cfg_section: dict) -> str:
    return f"k{cfg_section['k']}-pm"


def run(cfg: dict, label: str, out, threads: int | None = None, section: str = "figure3",
        overrides: dict | None = None):
    """One algorithm of a Figure-3 style experiment (``section`` names its config block)."""
    f3 = cfg[section]
    alg = algorithms(f3)[label]
    scale = (overrides or {}).get("teacher_scale")
    prob = problem(cfg, f3["k"], 0, teacher="pm", scale=scale)
    return run_shard(cfg, experiment=section, cell=cell(f3), label=label, problem=prob, algorithm=alg,
                     runs=f3["runs"], shard_size=f3["runs"], shard=0, out=out, threads=threads,
                     stride=f3["stride"])


def plot(cfg: dict, paths: dict, pdf, png, section: str = "figure3", title: str | None = None) -> None:
    """2×2 panels: rows = algorithms, columns = (aᵀa*, φ); mean over runs with min–max band."""
    import matplotlib.pyplot as plt

    f3 = cfg[section]
    algs = algorithms(f3)
    labels = [lab for lab in f3["algorithms"] if lab in paths]
    with plotting.style():
        fig, axes = plt.subplots(len(labels), 2, figsize=(plotting.TEXT, 1.7 * len(labels) + 0.3),
                                 constrained_layout=True, squeeze=False)
        for i, label in enumerate(labels):
            arrays, _ = load_cell([paths[label]])
            traj = arrays["traj"]
            stride = int(arrays["stride"])
            alg = algs[label]
            t = np.arange(traj.shape[1]) * stride
            color = plotting.ALGO_COLOR.get(alg.name, "C0")
            for j, (q, ylabel) in enumerate([(0, r"$a_t^\top a^*$"), (1, r"$\phi_t$")]):
                ax = axes[i, j]
                y = traj[:, :, q]
                with np.errstate(all="ignore"):
                    mean = np.nanmean(y, axis=0)
                    lo = np.nanmin(y, axis=0)
                    hi = np.nanmax(y, axis=0)
                ax.fill_between(t, lo, hi, color=color, alpha=0.25, linewidth=0, label="min–max over runs")
                ax.plot(t, mean, color=color, label=f"mean of {traj.shape[0]} runs")
                for e in range(1, alg.epochs):
                    ax.axvline(e * alg.iters_per_epoch, color="0.6", linewidth=0.4, linestyle=":")
                if q == 0:
                    ax.axhline(0.0, color="0.3", linewidth=0.5)
                else:
                    ax.axhline(np.pi / 2, color="0.3", linewidth=0.5)
                    ax.set_ylim(-0.05, np.pi + 0.05)
                    ax.set_yticks([0, np.pi / 2, np.pi], ["0", r"$\pi/2$", r"$\pi$"])
                ax.set_ylabel(ylabel)
                ax.set_title(f"{plotting.ALGO_LABEL.get(alg.name, label)} ({alg.epochs} epochs × "
                             f"{alg.iters_per_epoch} iterations)")
                if i == len(labels) - 1:
                    ax.set_xlabel("iteration")
                if i == 0 and j == 0:
                    ax.legend(loc="best")
        if title:
            fig.suptitle(title)
        plotting.save(fig, pdf, png, meta={"figure": section, **code_version()})
