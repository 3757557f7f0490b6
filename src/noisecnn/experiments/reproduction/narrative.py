"""The reproduction account (LaTeX) and the macros it quotes: every number is a macro."""

from __future__ import annotations

import pandas as pd

from ... import latex, plotting
from ...latex import rate
from ...shards import fmt_r


def sweep_influence(sens: pd.DataFrame) -> pd.DataFrame:
    """Per sweep: spread (max − min success over its points), averaged over the cells."""
    rows = []
    for name, sub in sens.groupby("sweep", sort=False):
        spread = sub.groupby(["k", "r"])["success"].agg(lambda s: s.max() - s.min())
        rows.append({"sweep": name, "base": sub["base"].iloc[0], "mean_spread": float(spread.mean()),
                     "max_spread": float(spread.max())})
    return pd.DataFrame(rows).sort_values("mean_spread", ascending=False).reset_index(drop=True)


KNOB_TEX = {"teacher_scale": "$\\|a^*\\|$", "rho_w": "$\\rho_w$", "phase1_iters": "Phase-I length",
            "iters_per_epoch": "iterations per epoch", "gamma_eta": "$\\gamma_\\eta$", "reading": "gradient reading",
            "batch": "batch size", "rho_a": "$\\rho_a$", "eta0": "$\\eta_0$"}


def knob_text(changes: dict) -> str:
    parts = []
    for k, v in changes.items():
        name = KNOB_TEX.get(k, latex.escape(k))
        parts.append(f"{name} $= {v:g}$" if isinstance(v, (int, float)) else f"{name} = \\texttt{{{latex.escape(v)}}}")
    return ", ".join(parts)


def narrative(rep: pd.DataFrame, summary: pd.DataFrame, sens: pd.DataFrame, tol: pd.DataFrame, escapes: dict,
              params: dict) -> tuple[dict[str, str], dict]:
    """``params``: settings (label -> algorithm settings of Table 1), names (sweep base ->
    algorithm), escape_cell, escape_threshold.  Returns ({"reproduction": LaTeX,
    "sensitivity": LaTeX, "abstract": LaTeX}, macros)."""
    M: dict[str, str] = {}
    name = lambda *p: latex.macro_name("Repro", *p)  # noqa: E731
    m = lambda *p: "\\" + name(*p) + "{}"  # noqa: E731
    lab = {s.label: plotting.ALGO_LABEL.get(s.algorithm, s.label) for s in summary.itertuples()}
    for s in summary.itertuples():
        sub = rep[rep["label"] == s.label]
        M[name(s.label, "Consistent")] = str(s.consistent)
        M[name(s.label, "Cells")] = str(s.cells)
        M[name(s.label, "MaxDiff")] = rate(s.max_abs_difference)
        M[name(s.label, "Verdict")] = s.column_verdict
        M[name(s.label, "Min")] = rate(sub["ours"].min())
        M[name(s.label, "Max")] = rate(sub["ours"].max())
        M[name(s.label, "Basin")] = rate((1 - sub["frac_phi_below_half_pi"]).mean())
        M[name(s.label, "Unconverged")] = rate(sub["frac_unconverged"].mean())
    settings = params["settings"]
    setting = []
    for label, spec in settings.items():
        if spec["algorithm"] == "pgd":
            M[name(label, "Reading")] = spec["reading"]
            setting.append(f"for {lab.get(label, label)} the gradient at an off-sphere point is read as "
                           f"\\texttt{{{m(label, 'Reading')}}}")
        elif spec["algorithm"] == "gd":
            M[name(label, "Iters")] = str(spec["epochs"] * spec["iters_per_epoch"])
            setting.append(f"{lab.get(label, label)} runs {m(label, 'Iters')} iterations")
        elif spec["algorithm"] == "sgd":
            M[name(label, "Epochs")] = str(spec["epochs"])
            M[name(label, "EpochIters")] = str(spec["iters_per_epoch"])
            M[name(label, "Gamma")] = f"{spec['gamma_eta']:g}"
            setting.append(f"{lab.get(label, label)} runs {m(label, 'Epochs')} epochs of {m(label, 'EpochIters')} "
                           f"iterations with step decay {m(label, 'Gamma')} (Figure~3's schedule)")
    setting.append("$\\|a^*\\|=\\TeacherScale$")
    paras = ["\\paragraph{Setting.} Every choice the paper leaves unstated takes its documented default: "
             + "; ".join(setting) + ". A cell is `consistent' when our 95\\,\\% Wilson interval meets the rates "
             "that round to the published value (Table~\\ref{tab:reproduction})."]
    col = [f"{lab[s.label]}: {m(s.label, 'Verdict')} ({m(s.label, 'Consistent')} of {m(s.label, 'Cells')} cells "
           f"consistent, largest difference {m(s.label, 'MaxDiff')}, our rates from {m(s.label, 'Min')} to "
           f"{m(s.label, 'Max')})" for s in summary.itertuples()]
    paras.append("\\paragraph{What reproduces, what does not.} Column by column: " + "; ".join(col) + ".")
    fails = [s for s in summary.itertuples() if s.column_verdict != "reproduces"]
    if fails:
        paras.append("Where a column does not reproduce, the runs have not escaped: " + "; ".join(
            f"for {lab[s.label]} a fraction {m(s.label, 'Basin')} of the runs (mean over the cells) end with "
            f"$\\phi_T\\ge\\pi/2$, in the spurious basin, and {m(s.label, 'Unconverged')} are `unconverged'"
            for s in fails) + ".")
    reproduction_paras, paras = paras, []
    rng = []
    for label, sub in tol.groupby("label", sort=False):
        means = sub.groupby(["tol_phi", "tol_a_rel"])["success"].mean()
        M[name(label, "TolMin")] = rate(means.min())
        M[name(label, "TolMax")] = rate(means.max())
        rng.append(f"{lab.get(label, label)} from {m(label, 'TolMin')} to {m(label, 'TolMax')}")
    for key, col in (("TolPhi", "tol_phi"), ("TolARel", "tol_a_rel")):
        M[name(key, "Min")] = f"{tol[col].min():g}"
        M[name(key, "Max")] = f"{tol[col].max():g}"
    paras.append(f"\\paragraph{{Success tolerances.}} Re-classifying the same runs with $\\phi$ tolerances from "
                 f"{m('TolPhi', 'Min')} to {m('TolPhi', 'Max')} and relative $a$ tolerances from "
                 f"{m('TolARel', 'Min')} to {m('TolARel', 'Max')} moves the mean success of each column within: "
                 + "; ".join(rng) + ".")
    infl = sweep_influence(sens)
    top = infl.iloc[0]
    M[name("TopSweep")] = latex.escape(top["sweep"]).replace("\\_", "\\_\\allowbreak{}")
    M[name("TopSweepSpread")] = rate(top["mean_spread"])
    M[name("SensRuns")] = str(int(sens["n"].max()))
    paras.append(f"\\paragraph{{Which unstated choice matters most.}} Over the sweeps ({m('SensRuns')} runs per "
                 f"point, Table~\\ref{{tab:sensitivity}}), the success rate moves most along the sweep "
                 f"\\texttt{{{m('TopSweep')}}}: by {m('TopSweepSpread')} on average over the swept cells.")
    ek, er = params["escape_cell"]
    M[name("EscapeK")] = str(ek)
    M[name("EscapeR")] = fmt_r(er)
    M[name("EscapeThreshold")] = rate(params["escape_threshold"])
    esc = []
    for base, choice in escapes.items():
        b = plotting.ALGO_LABEL.get(params["names"][base], base)
        if choice is None:
            M[name(base, "Escape")] = "none"
            esc.append(f"for {b}, none of the swept settings reaches the threshold")
            continue
        M[name(base, "EscapeChange")] = knob_text(choice["changes"]) or "the paper's settings"
        M[name(base, "EscapeFraction")] = rate(choice["escaped"])
        M[name(base, "EscapeLo")] = rate(choice["escaped_lo"])
        M[name(base, "EscapeHi")] = rate(choice["escaped_hi"])
        row = sens[(sens["sweep"] == choice["sweep"]) & (sens["point"] == choice["point"]) & (sens["k"] == ek)
                   & (sens["r"] == er)]
        M[name(base, "EscapeSuccess")] = rate(row["success"].iloc[0]) if len(row) else "n/a"
        esc.append(f"for {b}, {m(base, 'EscapeChange')}: {m(base, 'EscapeFraction')} of the runs leave the basin "
                   f"(95\\,\\% interval [{m(base, 'EscapeLo')}, {m(base, 'EscapeHi')}]) and a fraction "
                   f"{m(base, 'EscapeSuccess')} succeed")
    paras.append(f"\\paragraph{{The smallest change under which the claims hold.}} Taking `escapes' to mean that "
                 f"at least {m('EscapeThreshold')} of the runs at Figure~3's cell ($k={m('EscapeK')}$, "
                 f"$r={m('EscapeR')}$) end outside the spurious basin ($\\phi_T<\\pi/2$), the swept setting nearest "
                 f"the paper's (fewest knobs changed, then the smallest relative change) is: " + "; ".join(esc)
                 + ". Figure~\\ref{fig:figure3-escape} repeats Figure~3 at these settings.")
    abstract = []
    for s_ in summary.itertuples():
        abstract.append(f"{lab[s_.label]} {m(s_.label, 'Verdict')} ({m(s_.label, 'Consistent')} of "
                        f"{m(s_.label, 'Cells')} cells consistent)")
    restore = []
    for base, choice in escapes.items():
        b = plotting.ALGO_LABEL.get(params["names"][base], base)
        restore.append(f"for {b} no swept setting does" if choice is None else
                       f"for {b}, {m(base, 'EscapeChange')}")
    text = {"reproduction": "\n\n".join(reproduction_paras) + "\n", "sensitivity": "\n\n".join(paras) + "\n",
            "abstract": ("Measured over the paper's grid, " + "; ".join(abstract) + ". The smallest swept change "
                         "under which the runs leave the spurious basin at Figure~3's cell: " + "; ".join(restore)
                         + ".\n")}
    return text, M
