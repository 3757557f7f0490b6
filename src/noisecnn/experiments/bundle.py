"""The LaTeX bundle: macros of every quoted number and the provenance table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import latex
from ..io import write_json, write_text
from ..outcomes import Tolerances, classify
from ..provenance import code_version, manifest
from .common import fmt_r, load_cell


def general_macros(cfg: dict) -> dict[str, str]:
    cv = code_version()
    return {
        "Seed": str(cfg["seed"]),
        "FilterDim": str(cfg["p"]),
        "TeacherScale": f"{cfg['teacher_scale']:g}",
        "GitCommit": cv["git_commit"][:12] + ("+" if cv["git_dirty"] else ""),
        "PackageVersion": cv["package"],
        "TolPhi": f"{cfg['tolerances']['phi']:g}",
        "TolARel": f"{cfg['tolerances']['a_rel']:g}",
        "TolSpurious": f"{cfg['tolerances']['spurious']:g}",
    }


def table1_macros(df: pd.DataFrame) -> tuple[dict, dict]:
    named, keyed = {}, {"tableone": {}, "tableonelo": {}, "tableonehi": {}, "tableonepaper": {}}
    for row in df.itertuples():
        key = f"{row.algorithm}-k{row.k}-r{fmt_r(row.r)}"
        keyed["tableone"][key] = f"{row.success:.2f}"
        keyed["tableonelo"][key] = f"{row.success_lo:.2f}"
        keyed["tableonehi"][key] = f"{row.success_hi:.2f}"
        if pd.notna(row.paper):
            keyed["tableonepaper"][key] = f"{row.paper:.2f}"
        named[latex.macro_name("TableOne", row.algorithm, "k", int(row.k), "r", fmt_r(row.r))] = f"{row.success:.2f}"
    named["TableOneRuns"] = str(int(df["n"].max()))
    for label, sub in df.groupby("algorithm", sort=False):
        named[latex.macro_name("TableOne", label, "Min")] = f"{sub['success'].min():.2f}"
        named[latex.macro_name("TableOne", label, "Max")] = f"{sub['success'].max():.2f}"
        named[latex.macro_name("TableOne", label, "Mean")] = f"{sub['success'].mean():.2f}"
    return named, keyed


def figure3_macros(cfg: dict, paths: dict, section: str = "figure3", prefix: str = "FigureThree") -> dict:
    tol = Tolerances.from_dict(cfg["tolerances"])
    named = {}
    for label, path in paths.items():
        arrays, _ = load_cell([path])
        codes = classify(arrays["phi"], arrays["a_rel"], arrays["status"], tol)
        n = codes.size
        named[latex.macro_name(prefix, label, "Runs")] = str(n)
        named[latex.macro_name(prefix, label, "Global")] = str(int(np.sum(codes == 0)))
        with np.errstate(all="ignore"):
            named[latex.macro_name(prefix, label, "FinalPhi")] = f"{np.nanmean(arrays['phi']):.2f}"
            named[latex.macro_name(prefix, label, "FinalADot")] = f"{np.nanmean(arrays['a_dot']):.3f}"
    return named


def write_macros(path, cfg: dict, parts: list[tuple[dict, dict]]) -> None:
    named = general_macros(cfg)
    keyed: dict = {}
    for n, k in parts:
        clash = set(named) & set(n)
        if clash:
            raise ValueError(f"macro defined twice: {sorted(clash)}")
        named.update(n)
        for fam, table in k.items():
            keyed.setdefault(fam, {}).update(table)
    cv = code_version()
    write_text(path, latex.macros_tex(named, keyed, header=f"% code {cv['git_commit']} dirty={cv['git_dirty']}"))


def write_provenance(made_by: dict, cfg: dict, out_json, out_tex) -> None:
    man = manifest(made_by, cfg)
    write_json(out_json, man)
    rows = [[f"\\texttt{{{latex.escape(f['path'])}}}", f"\\texttt{{{f['sha256'][:12]}}}",
             latex.escape(f["made_by"].replace("workflow/scripts/", ""))] for f in man["outputs"]]
    body = latex.tabular("lll", ["output", "SHA-256 (prefix)", "made by"], rows)
    c = man["code"]
    caption = (f"Provenance: every generated output with its hash and the rule that made it; code "
               f"\\texttt{{{c['git_commit'][:12]}}}{' (uncommitted changes)' if c['git_dirty'] else ''}, "
               f"package {c['package']}. The full manifest with the configuration is "
               f"\\texttt{{results/provenance.json}}.")
    latex.write_table(out_tex, "\\footnotesize\n" + body, caption, "tab:provenance", wide=True)

