"""The numbers the text quotes about the landscapes."""

from __future__ import annotations

from ...latex import macro_name
from ...shards import fmt_r
from .compute import spurious_table


def macros(params: dict, data: dict) -> dict[str, str]:
    """At the largest ρ, per cell: G_ρ(π), its s.e., the critical G and the verdict; and the
    first cell's values under cell-free names for the text."""
    out = {"LandscapeMaxRho": f"{max(params['rho_w']):g}"}
    rho_max = max(params["rho_w"])
    first = True
    for row in spurious_table(params, data):
        if row["rho"] != rho_max:
            continue
        vals = {"GPi": f"{row['G_pi']:.3f}", "GPiSe": f"{row['G_pi_se']:.3f}", "GCrit": f"{row['G_crit']:.3f}",
                "SpuriousAtMaxRho": row["spurious_min"]}
        key = macro_name("Landscape", "k", row["k"], "r", fmt_r(row["r"]))
        out.update({key + n: v for n, v in vals.items()})
        if first:
            out.update({"LandscapeExample" + n: v for n, v in vals.items()})
            out["LandscapeExampleK"] = str(row["k"])
            out["LandscapeExampleR"] = fmt_r(row["r"])
            first = False
    return out
