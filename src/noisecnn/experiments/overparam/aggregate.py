"""The m-filter shards -> results/overparam.csv (success per label, m, k, r), alignment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...io import write_csv
from ...outcomes import GLOBAL, Tolerances, classify_multi, summarize


def successes(arrays: dict, tol: Tolerances) -> np.ndarray:
    return classify_multi(arrays["loss"], arrays["status"], arrays["astar_sq"], tol) == GLOBAL


def aggregate(loaded: dict, tolerances: dict, out_csv=None) -> pd.DataFrame:
    """``loaded``: shards.load's {(label, cell): (arrays, job)}."""
    tol = Tolerances.from_dict(tolerances)
    rows = []
    for (_exp, label, _cell), (arrays, job) in loaded.items():
        codes = classify_multi(arrays["loss"], arrays["status"], arrays["astar_sq"], tol)
        # the 'basin' here: is any filter within π/2 of w*?
        s = summarize(codes, np.nanmin(arrays["filter_phi"], axis=1))
        rows.append({"label": label, "algorithm": job["algorithm"]["algorithm"], "init": job["algorithm"]["init"],
                     "m": job["m"], "k": job["problem"]["k"], "r": job["problem"]["r"], **s,
                     "median_loss": float(np.nanmedian(arrays["loss"]))})
    df = pd.DataFrame(rows).sort_values(["label", "m", "k", "r"]).reset_index(drop=True)
    if out_csv is not None:
        write_csv(out_csv, df)
    return df


def alignment(loaded: dict, tolerances: dict, near: float, zero: float) -> dict[int, float]:
    """Per m: the fraction of weighted filters of successful runs within ``near`` of w*."""
    tol = Tolerances.from_dict(tolerances)
    counts: dict[int, list[int]] = {}
    for _key, (arrays, job) in loaded.items():
        ok = successes(arrays, tol)
        on = arrays["filter_norm"][ok] >= zero
        c = counts.setdefault(job["m"], [0, 0])
        c[0] += int(np.sum(on & (arrays["filter_phi"][ok] < near)))
        c[1] += int(np.sum(on))
    return {m: (a / t if t else float("nan")) for m, (a, t) in sorted(counts.items())}
