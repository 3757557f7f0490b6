"""Escape-time shards -> one row per (algorithm, grid point, cell): the escaped fraction within
the budget, the median escape time with a distribution-free 95 % interval, quartiles."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ... import shards
from ...outcomes import wilson


def survival(hits: np.ndarray, budget: int, times: np.ndarray) -> np.ndarray:
    """Kaplan-Meier estimate S(t) = P(T > t): every run is censored at the same budget, so it
    is the fraction of runs not yet escaped at t (t ≤ budget)."""
    h = np.where(np.isfinite(hits), hits, np.inf)
    return np.array([(h > t).mean() for t in times])


def quantile(hits: np.ndarray, q: float) -> float:
    """The q-quantile of the escape time (the ⌈qn⌉-th order statistic); inf when censored."""
    h = np.sort(np.where(np.isfinite(hits), hits, np.inf))
    return float(h[max(0, math.ceil(q * h.size) - 1)])


def median_interval(hits: np.ndarray) -> tuple[float, float]:
    """Distribution-free 95 % interval for the median: order statistics of ranks
    n/2 ∓ 1.96 √n / 2 (normal approximation to Binomial(n, 1/2)); inf where censored."""
    h = np.sort(np.where(np.isfinite(hits), hits, np.inf))
    n = h.size
    lo = max(1, math.floor(n / 2 - 0.98 * math.sqrt(n)))
    hi = min(n, math.ceil(n / 2 + 0.98 * math.sqrt(n)) + 1)
    return float(h[lo - 1]), float(h[hi - 1])


def aggregate(paths, expected: dict, out_csv=None) -> tuple[pd.DataFrame, dict]:
    """(table, {(label, point id, cell): hits}) of the escape-time shards."""
    from ..sensitivity.sweeps import point_id

    rows, hits_by = [], {}
    for (_exp, group, cell), (arrays, job) in shards.load(paths, expected, ("basin_iter", "status")).items():
        label = job["label"]
        budget = job["algorithm"]["iters_per_epoch"]
        hits = np.where(arrays["status"] == 0, arrays["basin_iter"], np.nan)
        hits[arrays["status"] != 0] = np.nan
        n = hits.size
        esc = int(np.sum(np.isfinite(hits)))
        lo, hi = median_interval(hits)
        flo, fhi = wilson(esc, n)
        pid = point_id(job["point"])
        hits_by[(label, pid, cell)] = hits
        rows.append({"label": label, "point": pid, **{f"knob_{k}": v for k, v in job["point"].items()},
                     "k": job["problem"]["k"], "r": job["problem"]["r"], "teacher_scale": job["problem"]["scale"],
                     "eta0": job["algorithm"]["eta0"], "rho_w": job["algorithm"]["rho_w"],
                     "batch": job["algorithm"]["batch"], "budget": budget, "n": n,
                     "diverged": int(np.sum(arrays["status"] != 0)), "escaped": esc / n, "escaped_lo": float(flo),
                     "escaped_hi": float(fhi), "censored": 1 - esc / n, "median": quantile(hits, 0.5),
                     "median_lo": lo, "median_hi": hi, "q25": quantile(hits, 0.25), "q75": quantile(hits, 0.75),
                     "q95": quantile(hits, 0.95)})
    df = pd.DataFrame(rows).sort_values(["label", "k", "r", "point"]).reset_index(drop=True)
    if out_csv is not None:
        from ...io import write_csv

        write_csv(out_csv, df)
    return df, hits_by
