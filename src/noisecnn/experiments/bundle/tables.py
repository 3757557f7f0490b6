"""General macros and the provenance table."""

from __future__ import annotations

from ... import latex
from ...io import write_json
from ...provenance import code_version, manifest


def general_macros(params: dict) -> dict[str, str]:
    """``params``: seed, p, teacher_scale, tolerances."""
    cv = code_version()
    tol = params["tolerances"]
    return {"Seed": str(params["seed"]), "FilterDim": str(params["p"]), "TeacherScale": f"{params['teacher_scale']:g}",
            "GitCommit": cv["git_commit"][:12] + ("+" if cv["git_dirty"] else ""), "PackageVersion": cv["package"],
            "KernelVersion": cv["kernels"], "TolPhi": f"{tol['phi']:g}", "TolARel": f"{tol['a_rel']:g}",
            "TolSpurious": f"{tol['spurious']:g}"}


def write_provenance(made_by: dict, config: dict, out_json, out_tex) -> None:
    """``made_by``: {output path: {"rule": ..., "script": ...}}."""
    man = manifest(made_by, config)
    write_json(out_json, man)
    rows = [[f"\\texttt{{{latex.escape(f['path'])}}}", f"\\texttt{{{f['sha256'][:12]}}}",
             f"\\texttt{{{latex.escape(f['rule'])}}}"] for f in man["outputs"]]
    body = latex.tabular("lll", ["output", "SHA-256 (prefix)", "rule"], rows)
    c, env = man["code"], man["environment"]
    soft = ", ".join(f"{k} {env[k]}" for k in ("python", "numpy", "numba", "snakemake", "matplotlib") if env.get(k))
    caption = (f"Provenance: every generated output with its hash and the rule that made it; code "
               f"\\texttt{{{c['git_commit'][:12]}}}{' (uncommitted changes)' if c['git_dirty'] else ''}, "
               f"package {c['package']}, kernels \\texttt{{{c['kernels']}}}; {latex.escape(soft)}. The full "
               f"manifest with the configuration is \\texttt{{results/provenance.json}}.")
    latex.write_table(out_tex, "\\footnotesize\n" + body, caption, "tab:provenance", wide=True)
