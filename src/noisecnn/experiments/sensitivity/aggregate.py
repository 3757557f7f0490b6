"""Sweep shards -> results/sensitivity.csv; Table 1 under every tolerance pair."""

from __future__ import annotations

import itertools

import pandas as pd

from ... import shards
from ...io import write_csv
from ...outcomes import Tolerances, classify, summarize
from . import sweeps as sw


def aggregate(paths, expected: dict, tolerances: dict, order: list[str], members: list[dict],
              out_csv=None) -> pd.DataFrame:
    """One row per (sweep, point, k, r); ``order``: the sweep names in config order;
    ``members``: every sweep point on every cell with the shard holding its runs (plan.members:
    points that are the same simulation share one)."""
    tol = Tolerances.from_dict(tolerances)
    loaded = shards.load(paths, expected)
    rows = []
    for mem in members:
        key = shards.ShardKey.parse(mem["path"])
        if mem["path"] not in expected or (key.experiment, key.group, key.cell) not in loaded:
            raise shards.ShardError(f"{mem['path']}: not one of the shards this step expects "
                                    f"(for {mem['sweep']} {sw.point_id(mem['point'])} {mem['cell']})")
        arrays, job = loaded[(key.experiment, key.group, key.cell)]
        if job["cell"] != mem["cell"]:
            raise shards.ShardError(f"{mem['path']}: holds cell {job['cell']}, expected {mem['cell']}")
        s = summarize(classify(arrays["phi"], arrays["a_rel"], arrays["status"], tol), arrays["phi"])
        row = {"sweep": mem["sweep"], "base": job["label"], "point": sw.point_id(mem["point"]),
               "k": job["problem"]["k"], "r": job["problem"]["r"], **s}
        for knob, value in mem["point"].items():
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
