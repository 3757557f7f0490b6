"""E5 — sensitivity sweeps over every choice the paper leaves unstated (SPEC §4-6).

A sweep starts from one of the paper's algorithms (config ``paper_algorithms``) and
varies one or two *knobs*: any algorithm setting, or ``teacher_scale`` (‖a*‖).  Each
(sweep, point, cell) is one job; all points of a sweep share the cell's random streams
(common random numbers), so differences between points are not sampling noise of the
streams.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from .. import latex, plotting
from ..config import ConfigError
from ..io import write_csv
from ..outcomes import Tolerances, classify, summarize
from ..provenance import code_version
from ..simulate import Algorithm
from .common import cell_id, fmt_r, load_cell, problem, run_shard

EXPERIMENT = "sensitivity"
PROBLEM_KNOBS = ("teacher_scale",)


def _fmt_value(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def sweeps(cfg: dict) -> dict[str, dict]:
    """The sweeps by name, in config order (config: a list, so that an override file
    replaces the whole list instead of merging into it)."""
    return {sw["name"]: sw for sw in cfg["sensitivity"]["sweeps"]}


def points(sweep: dict) -> list[dict]:
    """Cartesian product of the knob values, in config order."""
    names = list(sweep["knobs"])
    return [dict(zip(names, vals)) for vals in itertools.product(*(sweep["knobs"][n] for n in names))]


def point_id(point: dict) -> str:
    """File-system safe id, e.g. 'rho_w-36_phase1_iters-6400'."""
    return "_".join(f"{k}-{_fmt_value(v)}" for k, v in point.items())


def parse_point(sweep: dict, pid: str) -> dict:
    for pt in points(sweep):
        if point_id(pt) == pid:
            return pt
    raise ValueError(f"no point {pid!r} in sweep")


def setting(cfg: dict, sweep_name: str, point: dict) -> tuple[Algorithm, float]:
    """(algorithm, teacher scale) of one sweep point."""
    sweep = sweeps(cfg)[sweep_name]
    spec = dict(cfg["paper_algorithms"][sweep["base"]])
    scale = cfg["teacher_scale"]
    for knob, value in point.items():
        if knob == "teacher_scale":
            scale = float(value)
        else:
            spec[knob] = value
    return Algorithm.from_dict(spec), scale


def cells(cfg: dict) -> list[tuple[int, float]]:
    return [(int(k), float(r)) for k, r in cfg["sensitivity"]["cells"]]


def all_jobs(cfg: dict) -> list[tuple[str, str, int, float]]:
    out = []
    for name, sweep in sweeps(cfg).items():
        for pt in points(sweep):
            for k, r in cells(cfg):
                out.append((name, point_id(pt), k, r))
    return out


def run(cfg: dict, sweep_name: str, pid: str, k: int, r: float, out, threads=None):
    sec = cfg["sensitivity"]
    sweep = sweeps(cfg)[sweep_name]
    pt = parse_point(sweep, pid)
    alg, scale = setting(cfg, sweep_name, pt)
    return run_shard(cfg, experiment=EXPERIMENT, cell=cell_id(k, r), label=sweep["base"],
                     problem=problem(cfg, k, r, scale=scale), algorithm=alg, runs=sec["runs"],
                     shard_size=sec["runs"], shard=0, out=out, threads=threads,
                     extra_meta={"sweep": sweep_name, "point": pt})


def aggregate(cfg: dict, paths: dict, out_csv=None) -> pd.DataFrame:
    """``paths``: {(sweep, point id, k, r): path} -> one row per (sweep, point, cell)."""
    tol = Tolerances.from_dict(cfg["tolerances"])
    rows = []
    for (name, pid, k, r), path in paths.items():
        sweep = sweeps(cfg)[name]
        pt = parse_point(sweep, pid)
        arrays, _ = load_cell([path])
        codes = classify(arrays["phi"], arrays["a_rel"], arrays["status"], tol)
        s = summarize(codes, arrays["phi"])
        row = {"sweep": name, "base": sweep["base"], "point": pid, "k": int(k), "r": float(r), **s}
        for knob in sweep["knobs"]:
            row[f"knob_{knob}"] = pt[knob]
        rows.append(row)
    df = pd.DataFrame(rows)
    order = {n: i for i, n in enumerate(sweeps(cfg))}
    df["_o"] = df["sweep"].map(order)
    df = df.sort_values(["_o", "point", "k", "r"], kind="stable").drop(columns="_o").reset_index(drop=True)
    if out_csv is not None:
        write_csv(out_csv, df)
    return df


def tolerance_sweep(cfg: dict, shard_paths: dict, out_csv=None) -> pd.DataFrame:
    """Table 1's stored runs re-classified under every (phi, a_rel) tolerance pair."""
    ts = cfg["sensitivity"]["tolerances"]
    loaded = {key: load_cell(paths)[0] for key, paths in shard_paths.items()}
    rows = []
    for phi_tol, a_tol in itertools.product(ts["phi"], ts["a_rel"]):
        tol = Tolerances.from_dict({**cfg["tolerances"], "phi": phi_tol, "a_rel": a_tol})
        for (label, k, r), arrays in loaded.items():
            codes = classify(arrays["phi"], arrays["a_rel"], arrays["status"], tol)
            s = summarize(codes, arrays["phi"])
            rows.append({"tol_phi": phi_tol, "tol_a_rel": a_tol, "algorithm": label, "k": int(k), "r": float(r),
                         "success": s["success"], "success_lo": s["success_lo"], "success_hi": s["success_hi"],
                         "n": s["n"]})
    df = pd.DataFrame(rows)
    if out_csv is not None:
        write_csv(out_csv, df)
    return df


# ---------------------------------------------------------------------------- output
def _cell_label(k, r) -> str:
    return f"k={k}, r={fmt_r(r)}"


def plot_sweep(df: pd.DataFrame, cfg: dict, name: str, pdf, png) -> None:
    import matplotlib.pyplot as plt

    sweep = sweeps(cfg)[name]
    knobs = list(sweep["knobs"])
    sub = df[df["sweep"] == name]
    cl = cells(cfg)
    base = plotting.ALGO_LABEL.get(cfg["paper_algorithms"][sweep["base"]]["algorithm"], sweep["base"])
    with plotting.style():
        if len(knobs) == 1:
            fig, ax = plt.subplots(figsize=(plotting.COLUMN, 2.3), constrained_layout=True)
            vals = sweep["knobs"][knobs[0]]
            x = np.arange(len(vals))
            colors = plt.get_cmap("tab10")
            for i, (k, r) in enumerate(cl):
                s = sub[(sub["k"] == k) & (sub["r"] == r)].set_index(f"knob_{knobs[0]}").reindex(vals)
                off = (i - (len(cl) - 1) / 2) * 0.06
                ax.errorbar(x + off, s["success"], yerr=[s["success"] - s["success_lo"], s["success_hi"] - s["success"]],
                            marker="o", ms=3, lw=0.8, capsize=0, color=colors(i), label=_cell_label(k, r))
            ax.set_xticks(x, [_fmt_value(v) for v in vals])
            ax.set_xlabel(knobs[0].replace("_", " "))
            ax.set_ylabel("success rate")
            ax.set_ylim(-0.03, 1.03)
            ax.set_title(f"{base}: {knobs[0].replace('_', ' ')}")
            ax.legend(fontsize=6)
        else:
            k1, k2 = knobs[:2]
            v1, v2 = sweep["knobs"][k1], sweep["knobs"][k2]
            fig, axes = plt.subplots(1, len(cl), figsize=(plotting.TEXT, 2.0), constrained_layout=True,
                                     squeeze=False)
            for ax, (k, r) in zip(axes[0], cl):
                s = sub[(sub["k"] == k) & (sub["r"] == r)]
                mat = s.pivot(index=f"knob_{k1}", columns=f"knob_{k2}", values="success").reindex(index=v1, columns=v2)
                im = ax.imshow(mat.to_numpy(float), vmin=0, vmax=1, cmap="viridis", aspect="auto", origin="lower")
                for (a, b), v in np.ndenumerate(mat.to_numpy(float)):
                    if math.isfinite(v):
                        ax.text(b, a, f"{v:.2f}", ha="center", va="center", fontsize=5,
                                color="black" if v > 0.6 else "white")
                ax.set_xticks(range(len(v2)), [_fmt_value(v) for v in v2], rotation=45)
                ax.set_yticks(range(len(v1)), [_fmt_value(v) for v in v1])
                ax.set_xlabel(k2.replace("_", " "))
                ax.set_title(_cell_label(k, r))
            axes[0, 0].set_ylabel(k1.replace("_", " "))
            fig.colorbar(im, ax=axes[0, :], shrink=0.9, label="success rate")
            fig.suptitle(f"{base}: {k1.replace('_', ' ')} × {k2.replace('_', ' ')}")
        plotting.save(fig, pdf, png, meta={"figure": f"sensitivity_{name}", **code_version()})


def plot_tolerances(tdf: pd.DataFrame, pdf, png) -> None:
    """Success of every Table-1 cell under each tolerance pair against the default."""
    import matplotlib.pyplot as plt

    labels = list(dict.fromkeys(tdf["algorithm"]))
    pairs = list(dict.fromkeys(zip(tdf["tol_phi"], tdf["tol_a_rel"])))
    with plotting.style():
        fig, axes = plt.subplots(1, len(labels), figsize=(plotting.TEXT, 2.2), constrained_layout=True,
                                 sharey=True, squeeze=False)
        for ax, lab in zip(axes[0], labels):
            sub = tdf[tdf["algorithm"] == lab]
            mat = np.array([sub[(sub["tol_phi"] == p) & (sub["tol_a_rel"] == a)].sort_values(["k", "r"])["success"]
                            for p, a in pairs])
            ax.boxplot(mat.T, positions=range(len(pairs)), widths=0.6, showfliers=True,
                       flierprops={"ms": 1.5}, medianprops={"color": "k"})
            ax.set_xticks(range(len(pairs)), [f"{p:g}/{a:g}" for p, a in pairs], rotation=90, fontsize=5)
            ax.set_title(plotting.ALGO_LABEL.get(lab, lab))
            ax.set_xlabel(r"tolerance $\phi$ / $\|a-a^*\|/\|a^*\|$")
        axes[0, 0].set_ylabel("success rate over the Table 1 cells")
        plotting.save(fig, pdf, png, meta={"figure": "sensitivity_tolerances", **code_version()})


def write_tex(df: pd.DataFrame, tdf: pd.DataFrame, cfg: dict, path) -> None:
    cl = cells(cfg)
    header = ["sweep", "setting"] + [f"${_cell_label(k, r).replace('=', '=')}$".replace(", ", ",\\ ")
                                     for k, r in cl]
    rows, mids = [], set()
    for name, sweep in sweeps(cfg).items():
        if rows:
            mids.add(len(rows))
        base = plotting.ALGO_LABEL.get(cfg["paper_algorithms"][sweep["base"]]["algorithm"], sweep["base"])
        for j, pt in enumerate(points(sweep)):
            pid = point_id(pt)
            s = df[(df["sweep"] == name) & (df["point"] == pid)]
            cells_ = []
            for k, r in cl:
                c = s[(s["k"] == k) & (s["r"] == r)]
                cells_.append(f"{c['success'].iloc[0]:.2f}" if len(c) else "--")
            desc = ", ".join(f"{latex.escape(kk)}={latex.escape(_fmt_value(v))}" for kk, v in pt.items())
            rows.append([latex.escape(base) if j == 0 else "", desc] + cells_)
    body = latex.tabular("ll" + "c" * len(cl), header, rows, mids)
    # tolerance summary: range of each algorithm's mean success over the tolerance grid
    trows = []
    for lab, sub in tdf.groupby("algorithm", sort=False):
        means = sub.groupby(["tol_phi", "tol_a_rel"])["success"].mean()
        trows.append([latex.escape(plotting.ALGO_LABEL.get(lab, lab)), f"{means.min():.3f}", f"{means.max():.3f}"])
    tbody = latex.tabular("lcc", ["Table 1 column", "min mean success", "max mean success"], trows)
    n = int(df["n"].max())
    caption = (f"Sensitivity of the success rate to the choices the paper leaves unstated ({n} runs per point; "
               f"every other setting as in Table~1). Bottom: Table~1's mean success per column under every "
               f"success tolerance of the grid ($\\phi$ tolerance $\\times$ relative $a$ tolerance).")
    from ..io import write_text

    cv = code_version()
    write_text(path, f"% Generated by the noisecnn workflow: do not edit. code {cv['git_commit'][:12]}\n" + "\n".join([
        "\\begin{table*}[tbp]", "\\centering", "\\scriptsize", body, "\\par\\medskip", tbody,
        f"\\caption{{{caption}}}", "\\label{tab:sensitivity}", "\\end{table*}", ""]))


# ---------------------------------------------------------------------------- config
def check(cfg: dict) -> None:
    sec = cfg.get("sensitivity")
    if sec is None:
        return
    fields = set(Algorithm.__dataclass_fields__) - {"name"}
    for k, r in sec["cells"]:
        if r > k:
            raise ConfigError(f"sensitivity.cells: r = {r} exceeds k = {k}")
    fk, fr = sec["escape_cell"]
    if [fk, fr] not in [list(c) for c in sec["cells"]]:
        raise ConfigError(f"sensitivity.escape_cell: {[fk, fr]} is not one of sensitivity.cells")
    names = [sw["name"] for sw in sec["sweeps"]]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ConfigError(f"sensitivity.sweeps: duplicate name(s) {sorted(dup)}")
    for name, sweep in sweeps(cfg).items():
        key = f"sensitivity.sweeps.{name}"
        if sweep["base"] not in cfg["paper_algorithms"]:
            raise ConfigError(f"{key}.base: {sweep['base']!r} is not in paper_algorithms")
        for knob in sweep["knobs"]:
            if knob not in fields and knob not in PROBLEM_KNOBS:
                raise ConfigError(f"{key}.knobs.{knob}: not an algorithm setting or teacher_scale")
        if len(sweep["knobs"]) > 2:
            raise ConfigError(f"{key}.knobs: at most two knobs per sweep")
        for pt in points(sweep):
            try:
                alg, scale = setting(cfg, name, pt)
                for k, r in sec["cells"]:
                    problem(cfg, k, r, scale=scale)
            except ValueError as exc:
                raise ConfigError(f"{key}.knobs: {exc}") from None



# ---------------------------------------------------------------------------- escape
def escape_point(df: pd.DataFrame, cfg: dict, base: str) -> dict | None:
    """The sweep point nearest the paper's stated settings at which ``base`` escapes:
    success >= escape_threshold at the escape cell (Figure 3's k = 100, r = 0).

    Nearest = fewest knobs changed from the paper's values, then the smallest total
    |log(value / paper value)| over numeric knobs.  None if no swept point escapes.
    """
    sec = cfg["sensitivity"]
    k, r = sec["escape_cell"]
    paper_spec = dict(cfg["paper_algorithms"][base])
    paper_alg = Algorithm.from_dict(paper_spec)
    reference = {f: getattr(paper_alg, f) for f in Algorithm.__dataclass_fields__}
    reference["teacher_scale"] = cfg["teacher_scale"]
    reference["phase1_iters"] = paper_alg.iters0
    best = None
    for name, sweep in sweeps(cfg).items():
        if sweep["base"] != base:
            continue
        sub = df[(df["sweep"] == name) & (df["k"] == k) & (df["r"] == r)]
        for pt in points(sweep):
            row = sub[sub["point"] == point_id(pt)]
            if row.empty or row["success"].iloc[0] < sec["escape_threshold"]:
                continue
            changed = {kn: v for kn, v in pt.items() if v != reference.get(kn)}
            dist = 0.0
            for kn, v in changed.items():
                ref = reference.get(kn)
                if isinstance(v, (int, float)) and isinstance(ref, (int, float)) and v > 0 and ref > 0:
                    dist += abs(math.log(v / ref))
                else:
                    dist += 1.0
            key = (len(changed), dist, -row["success"].iloc[0])
            if best is None or key < best[0]:
                best = (key, {"sweep": name, "point": point_id(pt), "changes": changed,
                              "success": float(row["success"].iloc[0]),
                              "success_lo": float(row["success_lo"].iloc[0]),
                              "success_hi": float(row["success_hi"].iloc[0]), "k": k, "r": r})
    return None if best is None else best[1]


def write_figures_tex(cfg: dict, path) -> None:
    """The figure environments for every sweep figure (the sweeps come from config)."""
    from ..io import write_text

    out = ["% Generated by the noisecnn workflow: do not edit."]
    names = list(sweeps(cfg))
    for name in names + ["tolerances"]:
        sw = sweeps(cfg).get(name)
        two = sw is not None and len(sw["knobs"]) == 2
        env = "figure*" if (two or name == "tolerances") else "figure"
        width = "\\textwidth" if env == "figure*" else "\\columnwidth"
        what = (f"the {latex.escape(sw['base'])} sweep over " + ", ".join(latex.escape(k) for k in sw["knobs"])
                if sw else "Table~1 under every success tolerance")
        out += [f"\\begin{{{env}}}[tbp]", "\\centering", f"\\includegraphics[width={width}]{{sensitivity_{name}.pdf}}",
                f"\\caption{{Sensitivity: {what}.}}", f"\\label{{fig:sensitivity-{name.replace('_', '-')}}}",
                f"\\end{{{env}}}", ""]
    write_text(path, "\n".join(out))
