"""Verdict logic, Wilson intervals, sweep bookkeeping and the LaTeX writers."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from noisecnn import latex
from noisecnn.experiments.reproduction import compare as reproduction
from noisecnn.experiments.sensitivity import escape
from noisecnn.experiments.sensitivity import sweeps as sw
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
        "label": ["gd", "gd", "pgd"], "algorithm": ["gd", "gd", "pgd"], "k": [25, 25, 25], "r": [0.0, 1.0, 0.0],
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
PAPER = {"pgd": {"algorithm": "pgd", "epochs": 20, "iters_per_epoch": 400, "rho_w": 36.0, "rho_a": 1.0,
                 "gamma_rho": 0.4, "gamma_eta": 0.8},
         "gd": {"algorithm": "gd", "init": "random", "iters_per_epoch": 100}}
SWEEPS = [{"name": "scale", "base": "pgd", "knobs": {"teacher_scale": [1.0, 3.0, 10.0]}},
          {"name": "map", "base": "pgd", "knobs": {"rho_w": [9.0, 36.0], "phase1_iters": [400, 6400]}}]


def test_points_and_ids():
    """Knobs in sorted order: a point's id does not depend on the YAML key order."""
    pts = sw.points(SWEEPS[1])
    assert len(pts) == 4 and pts[1] == {"phase1_iters": 400, "rho_w": 36.0}
    assert sw.point_id(pts[1]) == "phase1_iters-400_rho_w-36"
    flipped = {"name": "map", "base": "pgd", "knobs": {"phase1_iters": [400, 6400], "rho_w": [9.0, 36.0]}}
    assert [sw.point_id(p) for p in sw.points(flipped)] == [sw.point_id(p) for p in pts]
    spec, scale = sw.setting(PAPER, SWEEPS[1], {"rho_w": 9.0, "phase1_iters": 6400}, 1.0)
    assert spec["rho_w"] == 9.0 and spec["phase1_iters"] == 6400 and scale == 1.0
    spec, scale = sw.setting(PAPER, SWEEPS[0], {"teacher_scale": 3.0}, 1.0)
    assert scale == 3.0 and spec["rho_w"] == 36.0
    # exact ids: values that print alike under %g still get distinct ids
    assert sw.point_id({"eta0": 0.1}) != sw.point_id({"eta0": 0.10000001})


def _escape_shards(fractions, n=200):
    """Fake sweep shards at the escape cell whose runs leave the basin in the given fractions;
    ``fractions``: [(sweep name, point, fraction)]."""
    from noisecnn import shards
    from noisecnn.experiments.common import problem, simulation_job

    cfg = {"seed": 1, "backend": "cpu", "p": 6, "teacher_scale": 1.0}
    expected = {}
    for name, point, frac in fractions:
        sweep = next(s for s in SWEEPS if s["name"] == name)
        spec, scale = sw.setting(PAPER, sweep, point, 1.0)
        job = simulation_job(cfg, experiment="sensitivity", label="pgd", cell="k100-r0",
                             problem=problem(cfg, 100, 0, scale=scale), algorithm=spec, run_start=0, n_runs=n,
                             sweep=name, point=point)
        path = shards.ShardKey("sensitivity", f"{name}/{sw.point_id(point)}", "k100-r0").path()
        phi = np.where(np.arange(n) < round(frac * n), 0.05, 3.0)
        shards.write(path, {"phi": phi}, job)
        expected[path] = job
    return expected


def test_escape_choice(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fr = [("scale", {"teacher_scale": v}, f) for v, f in ((1.0, 0.0), (3.0, 0.95), (10.0, 1.0))]
    fr += [("map", {"phase1_iters": p, "rho_w": r}, f) for p, r, f in
           ((400, 9.0, 0.0), (6400, 9.0, 0.97), (400, 36.0, 0.0), (6400, 36.0, 0.99))]
    params = {"base": "pgd", "sweeps": SWEEPS, "paper_algorithm": PAPER["pgd"], "teacher_scale": 1.0,
              "threshold": 0.9}
    expected = _escape_shards(fr)
    choice = escape.choice(list(expected), expected, params)
    # one knob changed beats two; among one-knob changes the smaller relative change wins:
    # ‖a*‖ 1 → 3 (log 3) against Phase I 400 → 6400 at the paper's ρ_w (log 16)
    assert (choice["sweep"], choice["point"]) == ("scale", "teacher_scale-3")
    assert choice["changes"] == {"teacher_scale": 3.0} and choice["escaped"] == pytest.approx(0.95)
    assert choice["escaped_lo"] < 0.95 < choice["escaped_hi"]
    # nothing reaches the threshold: no choice
    assert escape.choice(list(expected), expected, {**params, "threshold": 1.01}) is None


def test_sweep_config_errors_name_the_key():
    from noisecnn import config as nc_config

    for knobs, key in (({"learning_rate": [0.1]}, "sensitivity.sweeps.x.knobs"),
                       ({"rho_w": [-1.0]}, "sensitivity.sweeps.x.knobs"),
                       ({"eta0": [0.1, 0.1]}, "sensitivity.sweeps.0.knobs.eta0")):
        cfg = nc_config.read_yaml(nc_config.DEFAULT)
        cfg["sensitivity"]["sweeps"] = [{"name": "x", "base": "pgd", "knobs": knobs}]
        with pytest.raises(nc_config.ConfigError, match=key):
            nc_config.validate(cfg)


# ------------------------------------------------------------------ LaTeX
def test_macro_names_have_no_digits():
    assert latex.macro_name("TableOne", "gd", "k", 100, "r", "25") == "TableOneGdKOneHundredRTwentyFive"
    assert latex.number_word(81) == "EightyOne" and latex.number_word(1000) == "OneThousand"
    with pytest.raises(ValueError):
        latex.macros_tex({"Bad1": "x"})


def test_macros_file_compiles_to_the_values(tmp_path):
    """The one macro writer, checked by TeX itself when latex is available."""
    import shutil
    import subprocess

    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed")
    latex.write_macros(tmp_path / "m.tex", {"Answer": "42", "TableOneGdKOneHundredRTwentyFive": latex.rate(0.9)})
    doc = tmp_path / "t.tex"
    doc.write_text("\\documentclass{article}\\input{m}\\begin{document}\n"
                   "\\typeout{VALUE=\\Answer/\\TableOneGdKOneHundredRTwentyFive}\\end{document}\n")
    out = subprocess.run(["pdflatex", "-interaction=nonstopmode", "t.tex"], cwd=tmp_path, capture_output=True,
                         text=True)
    assert "VALUE=42/0.90" in out.stdout


@pytest.mark.parametrize("median, verdict", [(350.0, "long enough"), (400.0, "long enough"), (401.0, "too short"),
                                             (math.inf, "too short")])
def test_escape_macros_read_the_paper_setting_from_the_measurement(median, verdict):
    """The abstract's reading of the paper's Phase I follows the measured median (inf: censored)."""
    from noisecnn.experiments.escape_times import tables

    df = pd.DataFrame([{"label": "pgd", "k": 100, "r": 0, "rho_w": 36.0, "teacher_scale": 1.0, "median": median,
                        "pred_median": 500.0, "escaped": 0.5, "budget": 2000}])
    cell = {"k": 100, "r": 0, "rho_w": 36.0, "teacher_scale": 1.0, "phase1": 400}
    m = tables.macros(df, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), cell, {})
    assert verdict in m["EscapePaperVerdict"]
    assert m["EscapePaperMeasured"] == ("$>$2000" if math.isinf(median) else f"{median:.0f}")


def test_rate_label_marks_exact_and_rounded_rates_apart():
    from noisecnn.plotting import rate_label

    assert [rate_label(v) for v in (0.0, 1.0, 0.61, 0.999, 0.004)] == ["0", "1", ".61", "1.00", ".00"]
