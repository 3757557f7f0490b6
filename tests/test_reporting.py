"""Verdict logic, Wilson intervals, sweep bookkeeping and the LaTeX writers."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from noisecnn import latex
from noisecnn.experiments import reproduction, sensitivity
from noisecnn.outcomes import DIVERGED, GLOBAL, SPURIOUS, UNCONVERGED, Tolerances, classify, summarize, wilson


# ------------------------------------------------------------------ Wilson interval
@pytest.mark.parametrize("s,n", [(0, 1000), (3, 1000), (500, 1000), (997, 1000), (1000, 1000), (7, 20)])
def test_wilson_solves_the_score_equation(s, n):
    """The Wilson bounds are the p with |p̂ − p| = z·sqrt(p(1−p)/n) (solved independently)."""
    z = stats.norm.ppf(0.975)
    lo, hi = wilson(s, n)
    f = lambda p: (s / n - p) ** 2 - z * z * p * (1 - p) / n  # noqa: E731
    phat = s / n
    ref_lo = 0.0 if s == 0 else optimize.brentq(f, 1e-15, phat - 1e-13)
    ref_hi = 1.0 if s == n else optimize.brentq(f, phat + 1e-13, 1 - 1e-15)
    assert lo == pytest.approx(ref_lo, abs=1e-9) and hi == pytest.approx(ref_hi, abs=1e-9)


def test_wilson_coverage_by_simulation():
    """≈95 % of intervals from Binomial(200, 0.3) draws cover 0.3."""
    rng = np.random.default_rng(3)
    draws = rng.binomial(200, 0.3, size=20_000)
    lo, hi = wilson(draws, 200)
    cover = np.mean((lo <= 0.3) & (0.3 <= hi))
    assert 0.935 < cover < 0.965


# ------------------------------------------------------------------ classification
def test_classify_each_class():
    tol = Tolerances()
    phi = np.array([0.05, 0.05, math.pi - 0.05, 2.0, np.nan, 0.3])
    arel = np.array([0.05, 0.5, 1.0, 0.5, np.nan, 0.01])
    status = np.array([0, 0, 0, 0, 1, 0])
    assert list(classify(phi, arel, status, tol)) == [GLOBAL, UNCONVERGED, SPURIOUS, UNCONVERGED, DIVERGED,
                                                      UNCONVERGED]
    s = summarize(classify(phi, arel, status, tol), phi)
    assert s["global"] == 1 and s["diverged"] == 1 and s["frac_phi_below_half_pi"] == pytest.approx(3 / 6)


# ------------------------------------------------------------------ verdicts
def test_verdict_interval_covering_the_paper_value():
    lo, hi = wilson(510, 1000)  # ~[0.479, 0.541]
    assert reproduction.verdict(0.50, lo, hi) == "consistent"


def test_verdict_interval_missing_the_paper_value():
    lo, hi = wilson(0, 1000)  # [0, 0.0038]
    assert reproduction.verdict(1.00, lo, hi) == "not consistent"
    lo, hi = wilson(600, 1000)
    assert reproduction.verdict(0.50, lo, hi) == "not consistent"


def test_verdict_respects_the_papers_rounding():
    """A published 1.00 stands for any rate >= 0.995: 996/1000 is consistent with it."""
    lo, hi = wilson(996, 1000)
    assert hi < 1.0 and reproduction.verdict(1.00, lo, hi) == "consistent"
    assert reproduction.verdict(1.00, 0.90, 0.99) == "not consistent"
    assert reproduction.verdict(float("nan"), 0.0, 1.0) == "no paper value"


def test_compare_and_column_summary():
    t1 = pd.DataFrame({
        "algorithm": ["gd", "gd", "pgd"], "kind": ["gd", "gd", "pgd"], "k": [25, 25, 25], "r": [0.0, 1.0, 0.0],
        "n": [1000] * 3, "paper": [0.50, 0.55, 1.00], "success": [0.51, 0.40, 0.0],
        "success_lo": [0.479, 0.37, 0.0], "success_hi": [0.541, 0.43, 0.004], "frac_spurious": [0.49, 0.6, 1.0],
        "frac_unconverged": [0, 0, 0], "frac_diverged": [0, 0, 0], "frac_phi_below_half_pi": [0.51, 0.4, 0.0],
        "spurious_is_min": [True] * 3})
    rep = reproduction.compare(t1)
    assert list(rep["verdict"]) == ["consistent", "not consistent", "not consistent"]
    summ = reproduction.column_summary(rep).set_index("algorithm")
    assert summ.loc["gd", "consistent"] == 1 and summ.loc["gd", "column_verdict"] == "partly reproduces"
    assert summ.loc["pgd", "column_verdict"] == "does not reproduce"
    assert summ.loc["pgd", "max_abs_difference"] == pytest.approx(1.0)


# ------------------------------------------------------------------ sweeps
CFG = {
    "teacher_scale": 1.0, "p": 6, "tolerances": {"phi": 0.1, "a_rel": 0.1, "spurious": 0.1, "overparam_loss": 1e-3},
    "paper_algorithms": {"pgd": {"algorithm": "pgd", "epochs": 20, "iters_per_epoch": 400, "rho_w": 36.0,
                                 "rho_a": 1.0, "gamma_rho": 0.4, "gamma_eta": 0.8},
                         "gd": {"algorithm": "gd", "init": "random", "iters_per_epoch": 100}},
    "sensitivity": {"runs": 10, "cells": [[25, 0], [100, 0]], "escape_cell": [100, 0], "escape_threshold": 0.9,
                    "sweeps": [{"name": "scale", "base": "pgd", "knobs": {"teacher_scale": [1.0, 3.0, 10.0]}},
                               {"name": "map", "base": "pgd", "knobs": {"rho_w": [9.0, 36.0],
                                                                        "phase1_iters": [400, 6400]}}],
                    "tolerances": {"phi": [0.1], "a_rel": [0.1]}},
}


def test_points_and_ids_round_trip():
    sw = sensitivity.sweeps(CFG)["map"]
    pts = sensitivity.points(sw)
    assert len(pts) == 4 and pts[1] == {"rho_w": 9.0, "phase1_iters": 6400}
    for pt in pts:
        assert sensitivity.parse_point(sw, sensitivity.point_id(pt)) == pt
    alg, scale = sensitivity.setting(CFG, "map", pts[1])
    assert alg.rho_w == 9.0 and alg.iters0 == 6400 and alg.iterations == 6400 + 19 * 400 and scale == 1.0
    alg, scale = sensitivity.setting(CFG, "scale", {"teacher_scale": 3.0})
    assert scale == 3.0 and alg.rho_w == 36.0
    assert len(sensitivity.all_jobs(CFG)) == (3 + 4) * 2


def _sens_rows(success_by_point):
    rows = []
    for (sweep, pid), succ in success_by_point.items():
        lo, hi = wilson(round(succ * 200), 200)
        rows.append({"sweep": sweep, "base": "pgd", "point": pid, "k": 100, "r": 0.0, "success": succ,
                     "success_lo": float(lo), "success_hi": float(hi), "n": 200})
    return pd.DataFrame(rows)


def test_escape_point_prefers_the_smallest_change():
    df = _sens_rows({("scale", "teacher_scale-1"): 0.0, ("scale", "teacher_scale-3"): 0.95,
                     ("scale", "teacher_scale-10"): 1.0, ("map", "rho_w-9_phase1_iters-400"): 0.0,
                     ("map", "rho_w-9_phase1_iters-6400"): 0.97, ("map", "rho_w-36_phase1_iters-400"): 0.0,
                     ("map", "rho_w-36_phase1_iters-6400"): 0.99})
    choice = sensitivity.escape_point(df, CFG, "pgd")
    # one knob changed beats two; among one-knob changes the smaller relative change wins
    candidates = {("scale", "teacher_scale-3"): math.log(3), ("map", "rho_w-36_phase1_iters-6400"): math.log(16)}
    best = min(candidates, key=candidates.get)
    assert (choice["sweep"], choice["point"]) == best
    assert choice["changes"] == {"teacher_scale": 3.0}


def test_escape_point_none_when_nothing_escapes():
    df = _sens_rows({("scale", "teacher_scale-1"): 0.1, ("scale", "teacher_scale-3"): 0.5})
    assert sensitivity.escape_point(df, CFG, "pgd") is None


def test_sweep_config_errors_name_the_key():
    from noisecnn.config import ConfigError

    bad = {**CFG, "sensitivity": {**CFG["sensitivity"], "sweeps": [
        {"name": "x", "base": "pgd", "knobs": {"learning_rate": [0.1]}}]}}
    with pytest.raises(ConfigError, match="sensitivity.sweeps.x.knobs.learning_rate"):
        sensitivity.check(bad)
    bad = {**CFG, "sensitivity": {**CFG["sensitivity"], "sweeps": [
        {"name": "x", "base": "pgd", "knobs": {"rho_w": [-1.0]}}]}}
    with pytest.raises(ConfigError, match="sensitivity.sweeps.x.knobs.*rho_w"):
        sensitivity.check(bad)


# ------------------------------------------------------------------ LaTeX
def test_macro_names_have_no_digits():
    assert latex.macro_name("TableOne", "gd", "k", 100, "r", "25") == "TableOneGdKOneHundredRTwentyFive"
    assert latex.number_word(81) == "EightyOne" and latex.number_word(1000) == "OneThousand"
    with pytest.raises(ValueError):
        latex.macros_tex({"Bad1": "x"}, {})


def test_macros_file_compiles_to_the_values(tmp_path):
    """The keyed-macro mechanism, checked by TeX itself when latex is available."""
    import shutil
    import subprocess

    text = latex.macros_tex({"Answer": "42"}, {"tableone": {"gd-k100-r25": "0.90"}})
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed")
    doc = tmp_path / "t.tex"
    doc.write_text("\\documentclass{article}\\begin{document}\n" + text +
                   "\\typeout{VALUE=\\Answer/\\tableone{gd-k100-r25}/\\tableone{gd-k7-r3}}\\end{document}\n")
    out = subprocess.run(["pdflatex", "-interaction=nonstopmode", "t.tex"], cwd=tmp_path, capture_output=True,
                         text=True)
    assert "VALUE=42/0.90/--" in out.stdout  # a key the configuration lacks reads as a dash
