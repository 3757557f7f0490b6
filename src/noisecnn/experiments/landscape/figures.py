"""The landscapes' figures: profiles, the 2-D landscape with trajectories, the two-filter slice."""

from __future__ import annotations

import math

import numpy as np

from ... import closed_form as cf
from ... import plotting, smoothing
from ...shards import fmt_r

PI_TICKS = ([0, math.pi / 2, math.pi], ["0", r"$\pi/2$", r"$\pi$"])


def plot_profiles(params: dict, data: dict, pdf, png) -> None:
    import matplotlib.pyplot as plt

    cells = params["cells"]
    rhos, phis = data["rhos"], data["phis"]
    colors = plotting.colors(rhos.size, "magma")
    with plotting.style():
        fig, axes = plt.subplots(2, len(cells) + 1, figsize=(plotting.TEXT, 4.0), constrained_layout=True)
        ax = axes[0, 0]
        for c, rho, G, se in zip(colors, rhos, data["G"], data["G_se"]):
            ax.plot(phis, G, color=c, label=f"ρ_w = {rho:g}")
            ax.fill_between(phis, G - 2 * se, G + 2 * se, color=c, alpha=0.3, lw=0)
        ax.axhline(1.0, color="0.4", lw=0.5, ls=":")
        ax.set_xlabel(r"$\phi$")
        ax.set_ylabel(r"$G_\rho(\phi)$")
        ax.set_xticks(*PI_TICKS)
        handles, names = ax.get_legend_handles_labels()
        axes[1, 0].axis("off")
        axes[1, 0].legend(handles, names, loc="upper center", title="noise level")
        axes[1, 0].text(0.5, 0.0, "bottom row: above 0 means\na local minimum at φ = π", ha="center",
                        va="bottom", transform=axes[1, 0].transAxes)
        sel = phis >= 0.75 * math.pi
        for j, (k, r) in enumerate(cells, start=1):
            prof = data[f"profile_k{k}_r{fmt_r(r)}"]
            top, bottom = axes[0, j], axes[1, j]
            for c, pr in zip(colors, prof):
                span = max(pr.max() - pr.min(), 1e-300)
                top.plot(phis, (pr - pr.min()) / span, color=c)
                bottom.plot(phis[sel], (pr[sel] - pr[-1]) / span, color=c)
            top.set_title(f"k = {k}, r = {fmt_r(r)}")
            top.set_ylabel(r"$\ell_\rho(\phi)$, scaled to [0, 1]")
            top.set_xticks(*PI_TICKS)
            top.set_xlabel(r"$\phi$")
            bottom.axhline(0, color="0.4", lw=0.5)
            bottom.set_ylabel(r"$\ell_\rho(\phi)-\ell_\rho(\pi)$, scaled")
            bottom.set_xlabel(r"$\phi$ near the spurious end")
            bottom.set_xticks([0.75 * math.pi, math.pi], [r"$3\pi/4$", r"$\pi$"])
            bottom.ticklabel_format(axis="y", style="sci", scilimits=(-2, 2))
        plotting.save(fig, pdf, png, name="landscape_profile")


def plot_2d(params: dict, data: dict, runs: dict, gd: tuple, pdf, png) -> None:
    """Loss minimised over a at fixed (φ, aᵀa*), for ρ_w = 0 and the largest ρ_w, with the mean
    trajectory of each algorithm of Figure 3 (solid: stated settings; dashed: escaping
    setting) and the GD runs from random starts.  ``runs``: {name: (arrays, job)}."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    astar = cf.pm_astar(params["k_2d"], params["teacher_scale"])
    s2 = astar @ astar
    phis = np.linspace(0, math.pi, params["n_phi_2d"])
    ts = np.linspace(-0.6 * s2, 1.1 * s2, params["n_t"])
    rho_max = float(data["rhos"][0])
    gd_arrays, _ = gd
    with plotting.style():
        fig, axes = plt.subplots(1, 2, figsize=(plotting.TEXT, 2.9), constrained_layout=True, sharey=True)
        for ax, (title, G) in zip(axes, [(r"loss ($\rho_w=0$)", smoothing.smoothed_G(phis, 0.0, params["p"])[0]),
                                          (rf"smoothed loss ($\rho_w={rho_max:g}$)",
                                           np.interp(phis, data["phis"], data["G"][0]))]):
            Z = np.array([smoothing.constrained_min(Gv, ts, astar) for Gv in G]).T
            Zl = np.log10(Z - Z.min() + 1e-4 * (Z.max() - Z.min()))
            cs = ax.contourf(phis, ts, Zl, levels=20, cmap="Greys_r")
            ax.contour(phis, ts, Zl, levels=10, colors="0.35", linewidths=0.2)
            tr = gd_arrays["traj"]
            for j in range(tr.shape[0]):
                ax.plot(tr[j, :, 1], tr[j, :, 0], color=plotting.ALGO_COLOR["gd"], lw=0.7)
                ax.plot(tr[j, -1, 1], tr[j, -1, 0], "o", ms=2.5, color=plotting.ALGO_COLOR["gd"])
            for name, (arrays, job) in runs.items():
                color = plotting.ALGO_COLOR.get(job["algorithm"]["algorithm"], "C4")
                with np.errstate(all="ignore"):
                    mean = np.nanmean(arrays["traj"], axis=0)
                ax.plot(mean[:, 1], mean[:, 0], color=color, lw=1.3, ls="--" if "escape" in name else "-")
                ax.plot(mean[-1, 1], mean[-1, 0], "s", ms=3, color=color)
            ax.set_xlabel(r"$\phi=\angle(w,w^*)$")
            ax.set_xticks(*PI_TICKS)
            ax.set_title(title)
            ax.set_xlim(0, math.pi)
            ax.set_ylim(ts[0], ts[-1])
        axes[0].set_ylabel(r"$a^\top a^*$")
        fig.colorbar(cs, ax=axes, shrink=0.8, label=r"$\log_{10}$(loss − min)")
        kinds = list(dict.fromkeys(job["algorithm"]["algorithm"] for _, job in runs.values()))
        handles = [Line2D([], [], color=plotting.ALGO_COLOR["gd"], lw=0.7, label="GD, random starts")]
        handles += [Line2D([], [], color=plotting.ALGO_COLOR.get(k, "C4"), lw=1.3,
                           label=f"{plotting.ALGO_LABEL.get(k, k)}, run mean") for k in kinds]
        handles += [Line2D([], [], color="0.3", lw=1.3, ls="--", label="at the escaping setting")]
        fig.legend(handles=handles, loc="outside lower center", ncol=len(handles))
        plotting.save(fig, pdf, png, name="landscape_2d")


def plot_two_filter(params: dict, pdf, png) -> np.ndarray:
    """Two filters in one plane through w* (signed angles φ₁, φ₂), output weights optimal."""
    import matplotlib.pyplot as plt

    tf = params["two_filter"]
    astar = smoothing.representative_astar(tf["k"], tf["r"], params["teacher_scale"])
    ang = np.linspace(-math.pi, math.pi, tf["n_angle"])
    Z = smoothing.two_filter_slice(ang, ang, astar) / (astar @ astar)
    with plotting.style():
        fig, ax = plt.subplots(figsize=(plotting.COLUMN, 3.0), constrained_layout=True)
        im = ax.imshow(np.log10(Z + 1e-6), origin="lower", extent=[-math.pi, math.pi, -math.pi, math.pi],
                       cmap=plotting.SEQUENTIAL, aspect="equal", interpolation="bilinear")
        ax.contour(ang, ang, np.log10(Z + 1e-6), levels=12, colors="w", linewidths=0.25)
        # strict local minima of the grid with positive loss (ties along the diagonal, where both
        # filters coincide and the loss is flat, are not minima of the slice)
        mins = [(ang[j], ang[i]) for i in range(1, Z.shape[0] - 1) for j in range(1, Z.shape[1] - 1)
                if Z[i, j] > 1e-8 and np.sum(Z[i - 1:i + 2, j - 1:j + 2] <= Z[i, j]) == 1]
        if mins:
            x, y = zip(*mins)
            ax.plot(x, y, "x", color=plotting.OKABE_ITO[1], ms=4, mew=1.0, label="local minimum (loss > 0)")
            ax.legend(loc="upper left", frameon=True)
        ticks = [-math.pi, 0, math.pi]
        ax.set_xticks(ticks, [r"$-\pi$", "0", r"$\pi$"])
        ax.set_yticks(ticks, [r"$-\pi$", "0", r"$\pi$"])
        ax.set_xlabel(r"filter 1: signed angle to $w^*$")
        ax.set_ylabel(r"filter 2: signed angle to $w^*$")
        ax.set_title(f"two filters, k = {tf['k']}, r = {fmt_r(tf['r'])}")
        fig.colorbar(im, ax=ax, label=r"$\log_{10}(\min_a L/\|a^*\|^2)$")
        plotting.save(fig, pdf, png, name="landscape_two_filter")
    return Z
