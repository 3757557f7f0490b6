"""E4 — the computed counterparts of the paper's Figures 1-2 (figures and numbers)."""

from __future__ import annotations

import math

import numpy as np

from .. import closed_form as cf
from .. import landscape as L
from .. import latex, plotting
from ..io import load_npz, save_npz
from ..provenance import code_version, stamp
from ..simulate import Algorithm, simulate
from .common import fmt_r, problem


def representative_astar(cfg: dict, k: int, r: float) -> np.ndarray:
    """The profile depends on a* only through (k, r, ‖a*‖): any such a* will do."""
    if r == 0 and k % 2 == 0:
        return cf.pm_astar(k, cfg["teacher_scale"])
    v = np.cos(np.arange(k) * 2.0)
    v = v - v.mean()
    return cf.teacher_astar(k, r, cfg["teacher_scale"], v / np.linalg.norm(v))


def critical_G(astar) -> float:
    """G at which the optimal a turns from aᵀa* < 0 to > 0 (the smoothed spurious
    minimum at φ = π exists iff G_ρ(π) is below it)."""
    a0 = cf.optimal_a(0.0, astar) @ astar
    a1 = cf.optimal_a(1.0, astar) @ astar
    return float(-a0 / (a1 - a0))


def compute(cfg: dict, out) -> dict:
    sec = cfg["landscape"]
    phis = np.linspace(0.0, math.pi, sec["n_phi"])
    rhos = np.array(sorted(sec["rho_w"], reverse=True), float)
    G = np.empty((rhos.size, phis.size))
    se = np.empty_like(G)
    for i, rho in enumerate(rhos):
        G[i], se[i] = L.smoothed_G(phis, rho, cfg["p"], n=sec["mc_samples"], seed=int(cfg["seed"]) + i)
    arrays = {"phis": phis, "rhos": rhos, "G": G, "G_se": se}
    for k, r in sec["cells"]:
        astar = representative_astar(cfg, k, r)
        arrays[f"profile_k{k}_r{fmt_r(r)}"] = np.array([L.profile(G[i], astar) for i in range(rhos.size)])
        arrays[f"criticalG_k{k}_r{fmt_r(r)}"] = np.float64(critical_G(astar))
    save_npz(out, arrays, stamp({"landscape": sec, "p": cfg["p"], "teacher_scale": cfg["teacher_scale"]}))
    return arrays


def spurious_table(cfg: dict, data: dict) -> list[dict]:
    """Per cell and ρ: G_ρ(π) ± s.e. against the critical G; does the smoothed spurious
    minimum at φ = π survive?"""
    rows = []
    for k, r in cfg["landscape"]["cells"]:
        gc = float(data[f"criticalG_k{k}_r{fmt_r(r)}"])
        for i, rho in enumerate(data["rhos"]):
            gpi, s = float(data["G"][i, -1]), float(data["G_se"][i, -1])
            verdict = "yes" if gpi + 4 * s < gc else ("no" if gpi - 4 * s > gc else "uncertain")
            rows.append({"k": k, "r": r, "rho": float(rho), "G_pi": gpi, "G_pi_se": s, "G_crit": gc,
                         "spurious_min": verdict})
    return rows


def macros(cfg: dict, data: dict) -> dict:
    out = {}
    for row in spurious_table(cfg, data):
        if row["rho"] == max(cfg["landscape"]["rho_w"]):
            key = latex.macro_name("Landscape", "k", row["k"], "r", fmt_r(row["r"]))
            out[key + "GPi"] = f"{row['G_pi']:.3f}"
            out[key + "GPiSe"] = f"{row['G_pi_se']:.3f}"
            out[key + "GCrit"] = f"{row['G_crit']:.3f}"
            out[key + "SpuriousAtMaxRho"] = row["spurious_min"]
    out["LandscapeMaxRho"] = f"{max(cfg['landscape']['rho_w']):g}"
    return out


def plot_profiles(cfg: dict, data: dict, pdf, png) -> None:
    import matplotlib.pyplot as plt

    cells = cfg["landscape"]["cells"]
    rhos, phis = data["rhos"], data["phis"]
    colors = plt.get_cmap("magma")(np.linspace(0.1, 0.85, rhos.size))
    with plotting.style():
        fig, axes = plt.subplots(2, len(cells) + 1, figsize=(plotting.TEXT, 3.8), constrained_layout=True)
        ax = axes[0, 0]
        for c, rho, G, se in zip(colors, rhos, data["G"], data["G_se"]):
            ax.plot(phis, G, color=c, label=f"ρ_w = {rho:g}")
            ax.fill_between(phis, G - 2 * se, G + 2 * se, color=c, alpha=0.3, lw=0)
        ax.axhline(1.0, color="0.4", lw=0.5, ls=":")
        ax.set_xlabel(r"$\phi$")
        ax.set_ylabel(r"$G_\rho(\phi)$")
        ax.set_xticks([0, math.pi / 2, math.pi], ["0", r"$\pi/2$", r"$\pi$"])
        handles, names = ax.get_legend_handles_labels()
        axes[1, 0].axis("off")
        axes[1, 0].legend(handles, names, loc="center", title=r"noise level $\rho_w$")
        axes[1, 0].text(0.5, 0.02, "bottom row: a curve above 0\nmeans a local minimum at φ = π",
                        ha="center", va="bottom", fontsize=6, transform=axes[1, 0].transAxes)
        sel = phis >= 0.75 * math.pi
        for j, (k, r) in enumerate(cells, start=1):
            prof = data[f"profile_k{k}_r{fmt_r(r)}"]
            top, bottom = axes[0, j], axes[1, j]
            for c, pr in zip(colors, prof):
                span = max(pr.max() - pr.min(), 1e-300)
                top.plot(phis, (pr - pr.min()) / span, color=c)
                bottom.plot(phis[sel], (pr[sel] - pr[-1]) / span, color=c)
            top.set_title(f"k = {k}, r = {fmt_r(r)}")
            top.set_ylabel(r"$\ell_\rho(\phi)$, rescaled to [0, 1]")
            top.set_xticks([0, math.pi / 2, math.pi], ["0", r"$\pi/2$", r"$\pi$"])
            bottom.axhline(0, color="0.4", lw=0.5)
            bottom.set_ylabel(r"$(\ell_\rho(\phi)-\ell_\rho(\pi))$ / range")
            bottom.set_xlabel(r"$\phi$ (zoom on the spurious end)")
            bottom.set_xticks([0.75 * math.pi, math.pi], [r"$3\pi/4$", r"$\pi$"])
        plotting.save(fig, pdf, png, meta={"figure": "landscape_profile", **code_version()})


def gd_trajectories(cfg: dict, threads=None):
    sec = cfg["landscape"]
    k = cfg["figure3"]["k"]
    alg = Algorithm.from_dict({**cfg["paper_algorithms"]["gd"], "iters_per_epoch": sec["gd_iters"]})
    res = simulate(problem(cfg, k, 0, teacher="pm"), alg, seed=int(cfg["seed"]), experiment="landscape",
                   cell=f"k{k}-pm", n_runs=sec["gd_runs"], stride=sec["stride"], threads=threads)
    return res.traj


def plot_2d(cfg: dict, data: dict, traj_paths: dict, pdf, png, threads=None) -> None:
    """Loss minimised over a at fixed (φ, aᵀa*), for ρ_w = 0 and the largest ρ_w, with the
    kernels' trajectories (Figure 3's runs, GD from random starts) overlaid."""
    import matplotlib.pyplot as plt

    sec = cfg["landscape"]
    k = cfg["figure3"]["k"]
    astar = cf.pm_astar(k, cfg["teacher_scale"])
    s2 = astar @ astar
    phis = np.linspace(0, math.pi, sec["n_phi_2d"])
    ts = np.linspace(-0.6 * s2, 1.1 * s2, sec["n_t"])
    rho_max = float(data["rhos"][0])
    gd = gd_trajectories(cfg, threads)
    with plotting.style():
        fig, axes = plt.subplots(1, 2, figsize=(plotting.TEXT, 2.6), constrained_layout=True, sharey=True)
        for ax, (title, G) in zip(axes, [(r"loss ($\rho_w=0$)", L.smoothed_G(phis, 0.0, cfg["p"])[0]),
                                          (rf"smoothed loss ($\rho_w={rho_max:g}$)",
                                           np.interp(phis, data["phis"], data["G"][0]))]):
            Z = np.array([L.constrained_min(Gv, ts, astar) for Gv in G]).T
            Zl = np.log10(Z - Z.min() + 1e-4 * (Z.max() - Z.min()))
            cs = ax.contourf(phis, ts, Zl, levels=20, cmap="Greys_r")
            ax.contour(phis, ts, Zl, levels=20, colors="0.3", linewidths=0.2)
            for j in range(gd.shape[0]):
                ax.plot(gd[j, :, 1], gd[j, :, 0], color=plotting.ALGO_COLOR["gd"], lw=0.6,
                        label="GD (random init)" if j == 0 else None)
                ax.plot(gd[j, -1, 1], gd[j, -1, 0], "o", ms=2, color=plotting.ALGO_COLOR["gd"])
            for name, path in traj_paths.items():
                arrays, meta = load_npz(path)
                tr = arrays["traj"]
                kind = meta["config"]["algorithm"]["name"]
                lab = plotting.ALGO_LABEL.get(kind, kind) + (" (escaping setting)" if "escape" in name else "")
                color = plotting.ALGO_COLOR.get(kind, "C4")
                for j in range(min(tr.shape[0], 3)):
                    ax.plot(tr[j, :, 1], tr[j, :, 0], color=color, lw=0.5, alpha=0.8,
                            ls="--" if "escape" in name else "-", label=lab if j == 0 else None)
            ax.set_xlabel(r"$\phi=\angle(w,w^*)$")
            ax.set_xticks([0, math.pi / 2, math.pi], ["0", r"$\pi/2$", r"$\pi$"])
            ax.set_title(title)
            ax.set_xlim(0, math.pi)
            ax.set_ylim(ts[0], ts[-1])
        axes[0].set_ylabel(r"$a^\top a^*$")
        fig.colorbar(cs, ax=axes, shrink=0.8, label=r"$\log_{10}$(loss − min)")
        handles, names = axes[0].get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncol=4, fontsize=6)
        plotting.save(fig, pdf, png, meta={"figure": "landscape_2d", **code_version()})


def plot_two_filter(cfg: dict, pdf, png) -> np.ndarray:
    """Two filters in one plane through w* (angles φ₁, φ₂), output weights optimal."""
    import matplotlib.pyplot as plt

    sec = cfg["landscape"]["two_filter"]
    astar = representative_astar(cfg, sec["k"], sec["r"])
    ang = np.linspace(-math.pi, math.pi, sec["n_angle"])
    Z = L.two_filter_slice(ang, ang, astar) / (astar @ astar)
    with plotting.style():
        fig, ax = plt.subplots(figsize=(plotting.COLUMN, 2.8), constrained_layout=True)
        im = ax.imshow(np.log10(Z + 1e-6), origin="lower", extent=[-math.pi, math.pi, -math.pi, math.pi],
                       cmap="viridis", aspect="equal")
        ax.contour(ang, ang, np.log10(Z + 1e-6), levels=15, colors="w", linewidths=0.2)
        # local minima of the grid (including the boundary wrap)
        mins = []
        for i in range(1, Z.shape[0] - 1):
            for j in range(1, Z.shape[1] - 1):
                nb = Z[i - 1:i + 2, j - 1:j + 2]
                if Z[i, j] <= nb.min() and Z[i, j] > 1e-8:
                    mins.append((ang[j], ang[i]))
        if mins:
            x, y = zip(*mins)
            ax.plot(x, y, "rx", ms=3, mew=0.8, label="local minima of the slice (loss > 0)")
            ax.legend(loc="upper center", fontsize=5, bbox_to_anchor=(0.5, -0.2))
        ticks = [-math.pi, 0, math.pi]
        ax.set_xticks(ticks, [r"$-\pi$", "0", r"$\pi$"])
        ax.set_yticks(ticks, [r"$-\pi$", "0", r"$\pi$"])
        ax.set_xlabel(r"filter 1: signed angle to $w^*$")
        ax.set_ylabel(r"filter 2: signed angle to $w^*$")
        ax.set_title(f"two filters, k = {sec['k']}, r = {fmt_r(sec['r'])}")
        fig.colorbar(im, ax=ax, label=r"$\log_{10}(\min_a L/\|a^*\|^2)$")
        plotting.save(fig, pdf, png, meta={"figure": "landscape_two_filter", **code_version()})
    return Z
