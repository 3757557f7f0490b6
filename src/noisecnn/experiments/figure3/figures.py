"""Figure 3: per algorithm (rows), the run mean of aᵀa* and φ with the min–max band."""

from __future__ import annotations

import numpy as np

from ... import plotting
from ...specs import Algorithm

KNOB_NAMES = {"teacher_scale": "‖a*‖", "rho_w": "ρ_w", "phase1_iters": "Phase-I iterations", "gamma_eta": "γ_η",
              "iters_per_epoch": "iterations per epoch", "batch": "batch size", "reading": "reading"}


def describe_changes(choice: dict | None) -> str:
    if not choice:
        return "no swept setting escapes: the paper's settings"
    parts = [f"{KNOB_NAMES.get(k, k.replace('_', ' '))} = {v:g}" if isinstance(v, (int, float))
             else f"{KNOB_NAMES.get(k, k)} = {v}" for k, v in choice["changes"].items()]
    return ", ".join(parts) or "the paper's settings"


def plot(runs: dict, pdf, png, name: str = "figure3", title: str | None = None, subtitles: dict | None = None):
    """``runs``: {label: (arrays, job)} in row order."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    labels = list(runs)
    with plotting.style():
        fig = plt.figure(figsize=(plotting.TEXT, 1.9 * len(labels) + (0.35 if title else 0.1)), layout="constrained")
        rows = np.atleast_1d(fig.subfigures(len(labels), 1))
        for i, label in enumerate(labels):
            arrays, job = runs[label]
            axes = rows[i].subplots(1, 2)
            alg = Algorithm.from_dict(job["algorithm"])
            traj = arrays["traj"]
            t = np.arange(traj.shape[1]) * job["stride"]
            color = plotting.ALGO_COLOR.get(alg.name, "C0")
            for j, (q, ylabel) in enumerate([(0, r"$a_t^\top a^*$"), (1, r"$\phi_t$")]):
                ax = axes[j]
                y = traj[:, :, q]
                with np.errstate(all="ignore"):
                    mean, lo, hi = np.nanmean(y, axis=0), np.nanmin(y, axis=0), np.nanmax(y, axis=0)
                ax.fill_between(t, lo, hi, color=color, alpha=0.25, linewidth=0, label="min–max over runs")
                ax.plot(t, mean, color=color, label=f"mean of {traj.shape[0]} runs")
                for start in alg.epoch_starts()[1:]:
                    ax.axvline(start, color="0.6", linewidth=0.4, linestyle=":")
                if q == 0:
                    ax.axhline(0.0, color="0.3", linewidth=0.5)
                else:
                    ax.axhline(np.pi / 2, color="0.3", linewidth=0.5)
                    ax.set_ylim(-0.05, np.pi + 0.05)
                    ax.set_yticks([0, np.pi / 2, np.pi], ["0", r"$\pi/2$", r"$\pi$"])
                ax.set_ylabel(ylabel)
                ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
                ax.ticklabel_format(axis="x", style="plain")
                ax.set_xlabel("iteration")
                if i == 0 and j == 0:
                    ax.legend(loc="best")
            sub = (subtitles or {}).get(label)
            head = plotting.ALGO_LABEL.get(alg.name, label)
            if sub:
                head += f": {sub}"
            else:
                head += f": {alg.epochs} epochs × {alg.iters_per_epoch} iterations"
                scale = job["problem"]["scale"]
                head += f", ‖a*‖ = {scale:g}" if scale != 1 else ""
            rows[i].suptitle(head, fontsize=plt.rcParams["axes.titlesize"])
        if title:
            fig.suptitle(title)
        plotting.save(fig, pdf, png, name=name)
