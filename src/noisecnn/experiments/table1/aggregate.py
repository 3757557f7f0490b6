"""Table 1's shards -> one row per (label, k, r): every outcome fraction, the Wilson
interval of the success rate, the basin split and the paper's value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import closed_form as cf
from ... import paper, shards
from ...io import write_csv
from ...outcomes import Tolerances, classify, summarize


def summarize_cell(arrays: dict, tol: Tolerances) -> dict:
    codes = classify(arrays["phi"], arrays["a_rel"], arrays["status"], tol)
    out = summarize(codes, arrays["phi"])
    fin = np.isfinite(arrays["phi"])
    out["median_phi"] = float(np.median(arrays["phi"][fin])) if fin.any() else float("nan")
    return out


def aggregate(paths, expected: dict, tolerances: dict, out_csv=None) -> pd.DataFrame:
    """``expected``: {shard path: job} (the aggregate refuses a shard that differs)."""
    tol = Tolerances.from_dict(tolerances)
    rows = []
    for (_exp, label, _cell), (arrays, job) in shards.load(paths, expected).items():
        k, r = job["problem"]["k"], job["problem"]["r"]
        kind = job["algorithm"]["algorithm"]
        thr = cf.spurious_threshold(k)
        rows.append({"label": label, "algorithm": kind, "k": k, "r": r, "paper": paper.table1(kind, k, r),
                     "threshold_r": thr, "spurious_is_min": r < thr, **summarize_cell(arrays, tol)})
    order = {lab: i for i, lab in enumerate(dict.fromkeys(job["label"] for job in expected.values()))}
    df = pd.DataFrame(rows)
    df = df.sort_values(["label", "k", "r"], key=lambda c: c.map(order) if c.name == "label" else c)
    df = df.reset_index(drop=True)
    if out_csv is not None:
        write_csv(out_csv, df)
    return df
