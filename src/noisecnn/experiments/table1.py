"""E1 — Table 1: success rates of perturbed GD / GD / SGD over the (k, r) grid."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import closed_form as cf
from .. import latex, paper, plotting
from ..config import algorithms
from ..io import write_csv
from ..outcomes import CLASSES, Tolerances, classify, summarize
from ..provenance import code_version
from .common import cell_id, fmt_r, load_cell, problem, run_shard

EXPERIMENT = "table1"


def cells(cfg: dict):
    """(label, k, r) of every cell, in the paper's order."""
    t1 = cfg["table1"]
    return [(label, k, r) for label in t1["algorithms"] for k in t1["k"] for r in t1["r"]]


def group_shards(paths) -> dict:
    """{(label, k, r): [shard paths]} from results/table1/{label}/k{k}_r{r}/shard{s}.npz."""
    from collections import defaultdict
    from pathlib import Path

    groups = defaultdict(list)
    for path in paths:
        p = Path(path)
        k, r = p.parent.name[1:].split("_r")
        groups[(p.parent.parent.name, int(k), float(r))].append(str(path))
    return dict(groups)


def run(cfg: dict, label: str, k, r, shard: int, out, threads: int | None = None):
    t1 = cfg["table1"]
    alg = algorithms(t1)[label]
    return run_shard(cfg, experiment=EXPERIMENT, cell=cell_id(k, r), label=label, problem=problem(cfg, k, r),
                     algorithm=alg, runs=t1["runs"], shard_size=t1["shard_size"], shard=shard, out=out,
                     threads=threads, save_states=t1.get("save_states", False))


def summarize_cell(arrays: dict, tol: Tolerances) -> dict:
    codes = classify(arrays["phi"], arrays["a_rel"], arrays["status"], tol)
    out = summarize(codes, arrays["phi"])
    fin = np.isfinite(arrays["phi"])
    out["median_phi"] = float(np.median(arrays["phi"][fin])) if fin.any() else float("nan")
    return out


def aggregate(cfg: dict, shard_paths: dict, out_csv=None) -> pd.DataFrame:
    """``shard_paths``: {(label, k, r): [paths]} -> one row per cell."""
    tol = Tolerances.from_dict(cfg["tolerances"])
    algs = cfg["table1"]["algorithms"]
    rows = []
    for (label, k, r), paths in shard_paths.items():
        arrays, _ = load_cell(paths)
        s = summarize_cell(arrays, tol)
        kind = algs[label]["algorithm"]
        thr = cf.spurious_threshold(k)
        rows.append({"algorithm": label, "kind": kind, "k": int(k), "r": float(r),
                     "paper": paper.table1(kind, int(k), float(r)), "threshold_r": thr,
                     "spurious_is_min": float(r) < thr, **s})
    df = pd.DataFrame(rows)
    order = {a: i for i, a in enumerate(algs)}
    df = df.sort_values(["algorithm", "k", "r"], key=lambda c: c.map(order) if c.name == "algorithm" else c)
    df = df.reset_index(drop=True)
    if out_csv is not None:
        write_csv(out_csv, df)
    return df


def _cell_text(ours: float, paper_value) -> str:
    return f"{ours:.2f} ({paper_value:.2f})" if paper_value is not None else f"{ours:.2f}"


def write_tex(df: pd.DataFrame, cfg: dict, path) -> None:
    """Booktabs table: rows (k, algorithm), columns r; cells 'ours (paper)'."""
    rs = sorted(df["r"].unique())
    ks = sorted(df["k"].unique())
    labels = list(cfg["table1"]["algorithms"])
    header = ["$k$", "algorithm"] + [f"$r={fmt_r(r)}$" for r in rs]
    rows, mids = [], set()
    for k in ks:
        mids.add(len(rows)) if rows else None
        for j, label in enumerate(labels):
            sub = df[(df["k"] == k) & (df["algorithm"] == label)].set_index("r")
            cells_ = [_cell_text(sub.loc[r, "success"], sub.loc[r, "paper"] if pd.notna(sub.loc[r, "paper"]) else None)
                      for r in rs]
            kind = sub["kind"].iloc[0]
            rows.append([str(k) if j == 0 else "", latex.escape(plotting.ALGO_LABEL.get(kind, label))] + cells_)
    n = int(df["n"].iloc[0]) if df["n"].nunique() == 1 else None
    runs = f"{n} runs per cell" if n else "runs per cell vary"
    body = latex.tabular("ll" + "c" * len(rs), header, rows, mids)
    cv = code_version()
    caption = (f"Success rate (fraction of runs ending at the global optimum, SPEC~\\S5) with $p={cfg['p']}$, "
               f"$\\|a^*\\|={cfg['teacher_scale']:g}$; ours, with the paper's Table~1 value in parentheses; "
               f"{runs}. Wilson intervals and the other outcome fractions are in \\texttt{{results/table1.csv}}.")
    latex.write_table(path, body, caption, "tab:table1", provenance=f"code {cv['git_commit'][:12]}")


def plot_heatmap(df: pd.DataFrame, cfg: dict, pdf, png) -> None:
    """Ours / paper / difference for every algorithm (rows) over the (k, r) grid."""
    import matplotlib.pyplot as plt

    labels = list(cfg["table1"]["algorithms"])
    ks = sorted(df["k"].unique())
    rs = sorted(df["r"].unique())
    with plotting.style():
        fig, axes = plt.subplots(len(labels), 3, figsize=(plotting.TEXT, 1.45 * len(labels) + 0.6),
                                 constrained_layout=True, squeeze=False)
        images = {}
        for i, label in enumerate(labels):
            sub = df[df["algorithm"] == label]
            grid = lambda col: sub.pivot(index="k", columns="r", values=col).reindex(index=ks, columns=rs)  # noqa
            ours = grid("success").to_numpy(float)
            pap = grid("paper").to_numpy(float)
            kind = sub["kind"].iloc[0]
            for j, (mat, title, cmap, vmin) in enumerate([
                (ours, "ours", "viridis", 0), (pap, "paper", "viridis", 0), (ours - pap, "ours − paper", "RdBu", -1)]):
                ax = axes[i, j]
                im = images[j] = ax.imshow(mat, cmap=cmap, vmin=vmin, vmax=1, aspect="auto")
                for (a, b), v in np.ndenumerate(mat):
                    if math.isfinite(v):
                        rgb = im.cmap(im.norm(v))[:3]
                        light = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 0.5
                        ax.text(b, a, f"{v:.2f}", ha="center", va="center", fontsize=5.5,
                                color="black" if light else "white")
                ax.set_xticks(range(len(rs)), [fmt_r(r) for r in rs])
                ax.set_yticks(range(len(ks)), [str(k) for k in ks])
                ax.set_title(f"{plotting.ALGO_LABEL.get(kind, label)}: {title}")
                if j == 0:
                    ax.set_ylabel("k")
                if i == len(labels) - 1:
                    ax.set_xlabel("r")
        fig.colorbar(images[1], ax=axes[:, :2], location="bottom", shrink=0.5, aspect=40, label="success rate")
        fig.colorbar(images[2], ax=axes[:, 2], location="bottom", shrink=0.9, aspect=20, label="difference")
        plotting.save(fig, pdf, png, meta={"figure": "table1_heatmap", **code_version()})


def class_columns() -> list[str]:
    return [f"frac_{c}" for c in CLASSES]
