"""Table 1 as a booktabs table, and the macros the text quotes."""

from __future__ import annotations

import pandas as pd

from ... import latex, plotting
from ...latex import macro_name, rate
from ...shards import fmt_r


def _cell_text(ours: float, paper_value) -> str:
    return f"{rate(ours)} ({rate(paper_value)})" if pd.notna(paper_value) else rate(ours)


def write_tex(df: pd.DataFrame, path, p: int, teacher_scale: float) -> None:
    """Rows (k, algorithm), columns r; cells 'ours (paper)'."""
    rs = sorted(df["r"].unique())
    ks = sorted(df["k"].unique())
    labels = list(dict.fromkeys(df["label"]))
    header = ["$k$", "algorithm"] + [f"$r={fmt_r(r)}$" for r in rs]
    rows, mids = [], set()
    for k in ks:
        if rows:
            mids.add(len(rows))
        for j, label in enumerate(labels):
            sub = df[(df["k"] == k) & (df["label"] == label)].set_index("r")
            cells = [_cell_text(sub.loc[r, "success"], sub.loc[r, "paper"]) for r in rs]
            name = plotting.ALGO_LABEL.get(sub["algorithm"].iloc[0], label)
            rows.append([str(k) if j == 0 else "", latex.escape(name)] + cells)
    runs = int(df["n"].max())
    body = latex.tabular("ll" + "c" * len(rs), header, rows, mids)
    caption = (f"Success rate (fraction of runs ending at the global optimum, SPEC~\\S5) with $p={p}$, "
               f"$\\|a^*\\|={teacher_scale:g}$; ours, with the paper's Table~1 value in parentheses; {runs} runs "
               f"per cell. Wilson intervals and the other outcome fractions are in \\texttt{{results/table1.csv}}.")
    latex.write_table(path, body, caption, "tab:table1")


def example_cell(df: pd.DataFrame) -> pd.Series:
    """The cell the text quotes: GD (else the first column) at the largest k and r the config has."""
    sub = df[df["algorithm"] == "gd"] if (df["algorithm"] == "gd").any() else df[df["label"] == df["label"].iloc[0]]
    return sub.sort_values(["k", "r"]).iloc[-1]


def macros(df: pd.DataFrame) -> dict[str, str]:
    out = {"TableOneRuns": str(int(df["n"].max()))}
    for row in df.itertuples():
        key = macro_name("TableOne", row.label, "k", int(row.k), "r", fmt_r(row.r))
        out[key] = rate(row.success)
        out[key + "Lo"] = rate(row.success_lo)
        out[key + "Hi"] = rate(row.success_hi)
        if pd.notna(row.paper):
            out[key + "Paper"] = rate(row.paper)
    for label, sub in df.groupby("label", sort=False):
        out[macro_name("TableOne", label, "Min")] = rate(sub["success"].min())
        out[macro_name("TableOne", label, "Max")] = rate(sub["success"].max())
    ex = example_cell(df)
    out.update({"TableOneExampleAlgorithm": plotting.ALGO_LABEL.get(ex["algorithm"], ex["label"]),
                "TableOneExampleK": str(int(ex["k"])), "TableOneExampleR": fmt_r(ex["r"]),
                "TableOneExampleOurs": rate(ex["success"]), "TableOneExampleLo": rate(ex["success_lo"]),
                "TableOneExampleHi": rate(ex["success_hi"]),
                "TableOneExamplePaper": rate(ex["paper"]) if pd.notna(ex["paper"]) else "none"})
    return out
