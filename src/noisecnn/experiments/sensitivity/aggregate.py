"""Sweep shards -> results/sensitivity.csv; Table 1 under every tolerance pair."""

from __future__ import annotations

import itertools

import pandas as pd

from ... import shards
from ...io import write_csv
from ...outcomes import Tolerances, classify, summarize
from . import sweeps as sw


def aggregate(paths, expected: dict, tolerances: dict, order: list[str], out_csv=None) -> pd.DataFrame:
    """One row per (sweep, point, k, r); ``order``: the sweep names in config order."""
    tol = Tolerances.from_dict(tolerances)
    rows = []
    for _key, (arrays, job) in shards.load(paths, expected).items():
        s = summarize(classify(arrays["phi"], arrays["a_rel"], arrays["status"], tol), arrays["phi"])
        row = {"sweep": job["sweep"], "base": job["label"], "point": sw.point_id(job["point"]),
               "k": job["problem"]["k"], "r": job["problem"]["r"], **s}
        for knob, value in job["point"].items():
            row[f"knob_{knob}"] = value
        rows.append(row)
    df = pd.DataFrame(rows)
    df["_o"] = df["sweep"].map({n: i for i, n in enumerate(order)})
    df = df.sort_values(["_o", "point", "k", "r"], kind="stable").drop(columns="_o").reset_index(drop=True)
    if out_csv is not None:
        write_csv(out_csv, df)
    return df


def tolerance_sweep(paths, expected: dict, tolerances: dict, grid: dict, out_csv=None) -> pd.DataFrame:
    """Table 1's stored runs re-classified under every (phi, a_rel) pair of ``grid``."""
    loaded = shards.load(paths, expected)
    rows = []
    for phi_tol, a_tol in itertools.product(grid["phi"], grid["a_rel"]):
        tol = Tolerances.from_dict({**tolerances, "phi": phi_tol, "a_rel": a_tol})
        for (_exp, label, _cell), (arrays, job) in loaded.items():
            s = summarize(classify(arrays["phi"], arrays["a_rel"], arrays["status"], tol), arrays["phi"])
            rows.append({"tol_phi": phi_tol, "tol_a_rel": a_tol, "label": label, "k": job["problem"]["k"],
                         "r": job["problem"]["r"], "success": s["success"], "success_lo": s["success_lo"],
                         "success_hi": s["success_hi"], "n": s["n"]})
    df = pd.DataFrame(rows)
    if out_csv is not None:
        write_csv(out_csv, df)
    return df
