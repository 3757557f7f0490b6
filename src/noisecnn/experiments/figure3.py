"""E2 — Figure 3: trajectories of perturbed GD and SGD from the spurious point
(k = 100, a*_j = ∓0.1), run mean with spread, epoch boundaries marked."""

from __future__ import annotations

import numpy as np

from .. import plotting
from ..config import algorithms
from ..provenance import code_version
from ..simulate import Algorithm
from .common import load_cell, problem, run_shard

EXPERIMENT = "figure3"


def _run(cfg: dict, experiment: str, alg: Algorithm, scale: float, runs: int, stride: int, label: str, out,
         threads, extra_meta=None):
    k = cfg["figure3"]["k"]
    prob = problem(cfg, k, 0, teacher="pm", scale=scale)
    return run_shard(cfg, experiment=experiment, cell=f"k{k}-pm", label=label, problem=prob, algorithm=alg,
                     runs=runs, shard_size=runs, shard=0, out=out, threads=threads, stride=stride,
                     extra_meta=extra_meta)


def run(cfg: dict, label: str, out, threads: int | None = None):
    """One algorithm of Figure 3 at the paper's stated settings."""
    f3 = cfg["figure3"]
    return _run(cfg, EXPERIMENT, algorithms(f3)[label], cfg["teacher_scale"], f3["runs"], f3["stride"], label,
                out, threads)


def escape_setting(cfg: dict, label: str, choice: dict | None) -> tuple[Algorithm, float]:
    """Figure 3's algorithm with the changes of the chosen escaping sweep point."""
    spec = dict(cfg["figure3"]["algorithms"][label])
    scale = cfg["teacher_scale"]
    for knob, value in (choice or {}).get("changes", {}).items():
        if knob == "teacher_scale":
            scale = float(value)
        else:
            spec[knob] = value
    return Algorithm.from_dict(spec), scale


def run_escape(cfg: dict, label: str, choice: dict | None, out, threads: int | None = None):
    """Figure 3 again at the nearest swept setting where ``label`` escapes (if any)."""
    alg, scale = escape_setting(cfg, label, choice)
    fe = cfg["figure3_escape"]
    return _run(cfg, "figure3_escape", alg, scale, fe["runs"], fe["stride"], label, out, threads,
                extra_meta={"escape_choice": choice})


def describe_changes(choice: dict | None) -> str:
    if not choice:
        return "no swept setting escapes: paper's settings"
    names = {"teacher_scale": "‖a*‖", "rho_w": "ρ_w", "phase1_iters": "Phase-I iterations",
             "gamma_eta": "γ_η", "iters_per_epoch": "iterations per epoch"}
    return ", ".join(f"{names.get(k, k.replace('_', ' '))} = {v:g}" if isinstance(v, (int, float))
                     else f"{names.get(k, k)} = {v}" for k, v in choice["changes"].items()) or "paper's settings"


def plot(paths: dict, pdf, png, name: str = "figure3", title: str | None = None, subtitles: dict | None = None):
    """Rows = algorithms, columns = (aᵀa*, φ); mean over runs with the min–max band.

    The schedule (for the epoch marks) is read from each result file's own record."""
    import matplotlib.pyplot as plt

    labels = list(paths)
    with plotting.style():
        fig = plt.figure(figsize=(plotting.TEXT, 1.8 * len(labels) + 0.3), layout="constrained")
        rows = np.atleast_1d(fig.subfigures(len(labels), 1))
        axes = np.array([row.subplots(1, 2) for row in rows])
        for i, label in enumerate(labels):
            arrays, meta = load_cell([paths[label]])
            alg = Algorithm.from_dict(meta["config"]["algorithm"])
            scale = meta["config"]["problem"]["scale"]
            traj = arrays["traj"]
            stride = int(arrays["stride"])
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
                for start in alg.epoch_starts()[1:]:
                    ax.axvline(start, color="0.6", linewidth=0.4, linestyle=":")
                if q == 0:
                    ax.axhline(0.0, color="0.3", linewidth=0.5)
                else:
                    ax.axhline(np.pi / 2, color="0.3", linewidth=0.5)
                    ax.set_ylim(-0.05, np.pi + 0.05)
                    ax.set_yticks([0, np.pi / 2, np.pi], ["0", r"$\pi/2$", r"$\pi$"])
                ax.set_ylabel(ylabel)
                if i == len(labels) - 1:
                    ax.set_xlabel("iteration")
                if i == 0 and j == 0:
                    ax.legend(loc="best")
            # one title per row, across both panels
            sub = (subtitles or {}).get(label)
            head = f"{plotting.ALGO_LABEL.get(alg.name, label)}"
            if sub:  # the change that makes it escape names the setting
                head += f": {sub}"
            else:
                head += f": {alg.epochs} epochs × {alg.iters_per_epoch} iterations"
                head += f", ‖a*‖ = {scale:g}" if scale != 1 else ""
            rows[i].suptitle(head, fontsize=plt.rcParams["axes.titlesize"])
        if title:
            fig.suptitle(title)
        plotting.save(fig, pdf, png, meta={"figure": name, **code_version()})
