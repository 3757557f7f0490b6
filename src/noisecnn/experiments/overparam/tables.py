"""The success table, the catalogue table and the macros of the over-parameterized study."""

from __future__ import annotations

import pandas as pd

from ... import latex, plotting
from ...latex import macro_name, rate
from ...shards import fmt_r


def write_success_tex(df: pd.DataFrame, path, tol_loss: float) -> None:
    labels = list(dict.fromkeys(df["label"]))
    ks = sorted(df["k"].unique())
    rs = sorted(df["r"].unique())
    header = ["algorithm", "$k$", "$m$"] + [f"$r={fmt_r(r)}$" for r in rs]
    rows, mids = [], set()
    for lab in labels:
        for k in ks:
            if rows:
                mids.add(len(rows))
            sub = df[(df["label"] == lab) & (df["k"] == k)]
            for i, m in enumerate(sorted(sub["m"].unique())):
                s = sub[sub["m"] == m].set_index("r")
                name = plotting.ALGO_LABEL.get(s["algorithm"].iloc[0], lab)
                rows.append([latex.escape(name) if i == 0 else "", str(k) if i == 0 else "", str(m)]
                            + [rate(s.loc[r, "success"]) if r in s.index else "" for r in rs])
    body = latex.tabular("llr" + "c" * len(rs), header, rows, mids)
    caption = (f"Over-parameterized student: success rate (final loss $<{tol_loss:g}\\,\\|a^*\\|^2$) of GD from "
               f"random initialisation and of perturbed GD from the spurious configuration, for $m$ student "
               f"filters against a one-filter teacher, step size $\\eta_0/m$ ({int(df['n'].max())} runs per cell; "
               f"Wilson intervals and the diverged fractions in \\texttt{{results/overparam.csv}}).")
    latex.write_table(path, body, caption, "tab:overparam")


def write_catalogue_tex(cat: pd.DataFrame, path, newton_steps: int, top: int = 40) -> None:
    if cat.empty:
        body = "\\begin{tabular}{l}\\toprule no failed runs \\\\ \\bottomrule\\end{tabular}"
    else:
        c = cat.sort_values("count", ascending=False).head(top).sort_values(["label", "m", "k", "r", "count"],
                                                                            ascending=[True, True, True, True, False])
        rows = [[str(row.m), str(row.k), fmt_r(row.r),
                 f"{row.near_wstar}/{row.near_minus_wstar}/{row.elsewhere}/{row.zero_weight}", str(row.count),
                 f"{row.median_rel_loss:.3g}", f"{row.median_share_near_minus:+.2f}", f"{row.final_grad_norm:.1e}",
                 f"{row.max_grad_norm:.1e}" + ("" if row.snapped else "$^\\dagger$"), f"{row.min_hessian_eig:+.1e}",
                 str(row.newton_steps), latex.escape(row.type)] for row in c.itertuples()]
        body = latex.tabular("rrrcrrrrrrrl", ["$m$", "$k$", "$r$", "$w^*$/$-w^*$/else/off", "runs",
                                              "$L/\\|a^*\\|^2$", "share at $-w^*$", "final $\\|\\mathrm{grad}\\|$",
                                              "$\\|\\mathrm{grad}\\|$", "$\\lambda_{\\min}$", "Newton", "type"], rows)
    caption = ("Where GD stops when it fails: final states clustered by the number of filters near $w^*$ / near "
               "$-w^*$ / elsewhere / with no output weight; median loss; the output-weight share "
               "$\\sum a_i^\\top a^*/\\|a^*\\|^2$ of the filters at $-w^*$. Each cluster's representatives are taken "
               "to their stationary point: filters near $\\pm w^*$ are snapped onto it with optimal output weights "
               "(GD approaches these degenerate points only sublinearly), then Newton's method on the closed form "
               f"(column Newton: steps taken, at most {newton_steps}). $\\|\\mathrm{{grad}}\\|$ is the relative "
               "Riemannian gradient norm there, $\\lambda_{\\min}$ the smallest Riemannian-Hessian eigenvalue; zero "
               "eigenvalues are resolved by probing the loss along their directions. $^\\dagger$: some filter is "
               "neither near $w^*$ nor $-w^*$ (not snapped). `not stationary': the gradient is still above the "
               "tolerance after the Newton steps.")
    latex.write_table(path, "\\scriptsize\n" + body, caption, "tab:overparam-stationary")


def macros(df: pd.DataFrame, alignment: dict, tol_loss: float) -> dict[str, str]:
    out = {"OverparamTolerance": f"{tol_loss:g}"}
    for row in df.itertuples():
        out[macro_name("Overparam", row.label, "m", row.m, "k", row.k, "r", fmt_r(row.r))] = rate(row.success)
    for m, frac in alignment.items():
        out[macro_name("OverparamAligned", "m", m)] = rate(frac)
    gd = df[df["algorithm"] == "gd"]
    if len(gd):  # the cell the text quotes: the largest k at the smallest r
        k, r = gd["k"].max(), gd["r"].min()
        ex = gd[(gd["k"] == k) & (gd["r"] == r)].sort_values("m")
        out["OverparamExampleK"] = str(int(k))
        out["OverparamExampleR"] = fmt_r(r)
        out["OverparamExampleRates"] = ", ".join(f"{rate(s)} ($m={m}$)" for m, s in zip(ex["m"], ex["success"]))
    if alignment:
        m_max = max(alignment)
        out["OverparamAlignedM"] = str(m_max)
        out["OverparamAlignedFraction"] = rate(alignment[m_max])
    return out
