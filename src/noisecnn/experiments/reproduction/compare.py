"""The paper's Table 1 beside ours: a verdict per cell and per column."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...io import write_csv

# The paper prints two decimals: a published 0.50 stands for any rate in [0.495, 0.505).
PAPER_ROUNDING = 0.005


def verdict(paper_value: float, lo: float, hi: float, rounding: float = PAPER_ROUNDING) -> str:
    """'consistent' iff our 95 % Wilson interval [lo, hi] meets the set of rates that
    round to the published value; otherwise 'not consistent'."""
    if paper_value is None or not np.isfinite(paper_value):
        return "no paper value"
    p_lo, p_hi = paper_value - rounding, paper_value + rounding
    return "consistent" if (lo <= p_hi and hi >= p_lo) else "not consistent"


def compare(table1: pd.DataFrame) -> pd.DataFrame:
    """One row per (algorithm, k, r): paper, ours, interval, difference, verdict."""
    df = table1[table1["paper"].notna()].copy()
    df["ours"] = df["success"]
    df["difference"] = df["ours"] - df["paper"]
    df["verdict"] = [verdict(p, lo, hi) for p, lo, hi in zip(df["paper"], df["success_lo"], df["success_hi"])]
    cols = ["label", "algorithm", "k", "r", "n", "paper", "ours", "success_lo", "success_hi", "difference",
            "verdict", "frac_spurious", "frac_unconverged", "frac_diverged", "frac_phi_below_half_pi",
            "spurious_is_min"]
    return df[cols].reset_index(drop=True)


def column_summary(rep: pd.DataFrame) -> pd.DataFrame:
    """Per algorithm: cells consistent out of all, largest and mean |difference|."""
    rows = []
    for label, sub in rep.groupby("label", sort=False):
        n_ok = int((sub["verdict"] == "consistent").sum())
        rows.append({"label": label, "algorithm": sub["algorithm"].iloc[0], "cells": len(sub), "consistent": n_ok,
                     "not_consistent": len(sub) - n_ok, "max_abs_difference": float(sub["difference"].abs().max()),
                     "mean_difference": float(sub["difference"].mean()),
                     "column_verdict": "reproduces" if n_ok == len(sub) else
                     ("partly reproduces" if n_ok >= len(sub) / 2 else "does not reproduce")})
    return pd.DataFrame(rows)


def write(rep: pd.DataFrame, out_csv) -> None:
    write_csv(out_csv, rep)
