"""The Snakemake workflow: config validation, an end-to-end run of the quick profile
through every rule (LaTeX included), rerun semantics, resumption, lint and format."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from noisecnn import config as nc_config
from noisecnn.io import load_npz
from noisecnn.provenance import sha256

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake"]


def make_workdir(tmp: Path, copy_config: bool = False) -> Path:
    """A work directory that shares the repository's sources (symlinks) but not its outputs."""
    tmp.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "workflow", "src", "environment.yml", "profiles"):
        (tmp / name).symlink_to(ROOT / name)
    if copy_config:
        shutil.copytree(ROOT / "config", tmp / "config")
    else:
        (tmp / "config").symlink_to(ROOT / "config")
    (tmp / "paper").mkdir()
    (tmp / "paper" / "main.tex").symlink_to(ROOT / "paper" / "main.tex")
    return tmp


def smk(workdir: Path, *args, check=True, timeout=900) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    # the rules' tools (python, jupyter) come from the environment running the tests,
    # activated or not
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run(SNAKEMAKE + list(args), cwd=workdir, capture_output=True, text=True, timeout=timeout,
                          env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc


def planned_jobs(proc: subprocess.CompletedProcess) -> dict[str, int]:
    """Rule -> job count from a dry run's 'Job stats' table."""
    text = proc.stdout + proc.stderr
    if "Nothing to be done" in text:
        return {}
    m = re.search(r"Job stats:\s*\n.*?\n[-\s]+\n(.*?)\ntotal", text, re.S)
    assert m, text[-3000:]
    out = {}
    for line in m.group(1).splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[parts[0]] = int(parts[1])
    return out


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data))
    return path


# ---------------------------------------------------------------- config validation
BAD_OVERRIDES = [
    ({"table1": {"r": [0, 30]}}, "table1.r"),
    ({"table1": {"algorithms": {"pgd": {"rho_w": -1.0}}}}, "rho_w"),
    ({"table1": {"algorithms": {"pgd": {"algorithm": "adam"}}}}, "algorithm"),
    ({"table1": {"algorithms": {"pgd": {"reading": "exact"}}}}, "reading"),
    ({"table1": {"algorithms": {"pgd": {"learning_rate": 0.1}}}}, "learning_rate"),
    ({"tolerances": {"phi": -0.1}}, "tolerances.phi"),
    ({"table1": {"runs": 0}}, "table1.runs"),
    ({"figure3": {"k": 99}}, "figure3.k"),
    ({"backend": "tpu"}, "backend"),
]


@pytest.mark.parametrize("override,key", BAD_OVERRIDES)
def test_config_check_names_the_key(override, key):
    with open(ROOT / "config" / "config.yaml") as fh:
        cfg = nc_config.deep_merge(yaml.safe_load(fh), override)
    with pytest.raises(nc_config.ConfigError, match=re.escape(key)):
        nc_config.validate(cfg)


def test_default_and_quick_configs_are_valid():
    nc_config.load()
    nc_config.load(ROOT / "config" / "quick.yaml")


@pytest.mark.slow
@pytest.mark.parametrize("override,key", [BAD_OVERRIDES[0], BAD_OVERRIDES[1], BAD_OVERRIDES[2]])
def test_snakemake_refuses_bad_config_before_any_job(tmp_path, override, key):
    wd = make_workdir(tmp_path)
    bad = write_yaml(tmp_path / "bad.yaml", override)
    proc = smk(wd, "--cores", "1", "--configfile", str(bad), check=False)
    assert proc.returncode != 0
    assert key in proc.stdout + proc.stderr
    assert not (wd / "results").exists()


@pytest.mark.slow
def test_snakemake_refuses_missing_key(tmp_path):
    wd = make_workdir(tmp_path, copy_config=True)
    cfg = yaml.safe_load((wd / "config" / "config.yaml").read_text())
    del cfg["tolerances"]["phi"]
    write_yaml(wd / "config" / "config.yaml", cfg)
    proc = smk(wd, "-n", check=False)
    assert proc.returncode != 0
    assert "phi" in proc.stdout + proc.stderr


# ---------------------------------------------------------------- end to end
@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    wd = make_workdir(tmp_path_factory.mktemp("e2e"))
    smk(wd, "--cores", "2", "--configfile", "config/quick.yaml")
    return wd


@pytest.mark.slow
def test_quick_run_produces_every_output(quick_run):
    wd = quick_run
    for rel in ("results/table1.csv", "paper/tables/table1.tex", "figures/table1_heatmap.pdf",
                "figures/table1_heatmap.png", "figures/figure3.pdf", "figures/figure3.png", "paper/macros.tex",
                "results/provenance.json", "paper/tables/provenance.tex", "paper/main.pdf", "results/explore.html",
                "results/reproduction.csv", "paper/tables/reproduction.tex", "paper/reproduction.tex",
                "results/sensitivity.csv", "paper/tables/sensitivity.tex", "figures/figure3_escape.pdf",
                "results/overparam.csv", "paper/tables/overparam.tex", "paper/tables/overparam_stationary.tex",
                "figures/overparam_success.pdf", "figures/landscape_profile.pdf", "figures/landscape_2d.pdf",
                "figures/landscape_two_filter.pdf"):
        assert (wd / rel).stat().st_size > 0, rel
    assert (wd / "paper" / "main.pdf").read_bytes()[:5] == b"%PDF-"
    # the table has every cell of the quick grid, with intervals around the estimates
    import pandas as pd

    df = pd.read_csv(wd / "results" / "table1.csv")
    assert len(df) == 3 * 2 * 2
    assert np.all((df["success_lo"] <= df["success"]) & (df["success"] <= df["success_hi"]))
    fr = df[["frac_global", "frac_spurious", "frac_unconverged", "frac_diverged"]].sum(axis=1)
    np.testing.assert_allclose(fr, 1.0)
    # every number the text quotes is a defined macro
    macros = (wd / "paper" / "macros.tex").read_text()
    assert "\\newcommand{\\TableOneGdKOneHundredRNine}" in macros
    # every macro the hand-written main.tex and the generated account use is defined
    used = set(re.findall(r"\\([A-Z][A-Za-z]+)", (ROOT / "paper" / "main.tex").read_text()
                          + (wd / "paper" / "reproduction.tex").read_text()))
    defined = set(re.findall(r"\\newcommand\{\\([A-Za-z]+)\}", macros))
    assert not (used - defined), used - defined
    # the executed notebook re-ran a cell and printed its success rate
    assert "Wilson interval" in (wd / "results" / "explore.html").read_text()
    assert "nc@tableone@gd-k100-r9\\endcsname" in macros
    # provenance: every product listed with its correct hash, config and code version
    man = json.loads((wd / "results" / "provenance.json").read_text())
    listed = {f["path"]: f for f in man["outputs"]}
    assert "figures/figure3.pdf" in listed and "results/table1.csv" in listed
    for path, f in listed.items():
        assert f["sha256"] == sha256(wd / path), path
    assert man["config"]["table1"]["runs"] == 40 and man["code"]["git_commit"]
    # each shard records the config and code version that made it, and the thread count
    arrays, meta = load_npz(wd / "results/table1/pgd/k25_r0/shard000.npz")
    assert meta["code"]["package"] and meta["config"]["algorithm"]["rho_w"] == 36.0
    assert meta["config"]["threads"] == 2


@pytest.mark.slow
def test_rerun_semantics(quick_run, tmp_path):
    wd = quick_run
    assert planned_jobs(smk(wd, "-n", "--configfile", "config/quick.yaml")) == {}
    # one parameter of Figure 3's SGD: only that job and what depends on it
    quick = yaml.safe_load((ROOT / "config" / "quick.yaml").read_text())
    changed = nc_config.deep_merge(quick, {"figure3": {"algorithms": {"sgd": {"eta0": 0.05}}}})
    jobs = planned_jobs(smk(wd, "-n", "--configfile", str(write_yaml(tmp_path / "c1.yaml", changed))))
    assert jobs.get("figure3_run") == 1 and "figure3_plot" in jobs and "paper_pdf" in jobs
    assert not any(r.startswith("table1") for r in jobs)
    # one parameter of Table 1's perturbed GD: its 4 cells x 2 shards, not GD or SGD
    changed = nc_config.deep_merge(quick, {"table1": {"algorithms": {"pgd": {"gamma_rho": 0.5}}}})
    jobs = planned_jobs(smk(wd, "-n", "--configfile", str(write_yaml(tmp_path / "c2.yaml", changed))))
    assert jobs.get("table1_shard") == 8 and "figure3_run" not in jobs
    # a success tolerance: no simulation at all, only the aggregation downstream
    changed = nc_config.deep_merge(quick, {"tolerances": {"a_rel": 0.2}})
    jobs = planned_jobs(smk(wd, "-n", "--configfile", str(write_yaml(tmp_path / "c3.yaml", changed))))
    assert "table1_aggregate" in jobs and "table1_shard" not in jobs and "figure3_run" not in jobs


@pytest.mark.slow
def test_lost_shard_is_recomputed_alone_and_bit_identical(quick_run):
    """A shard lost before aggregation is recomputed alone (here with 1 thread) and comes
    out bit-identical to the one computed with 2 threads."""
    wd = quick_run
    shard = wd / "results/table1/sgd/k100_r9/shard001.npz"
    before, meta_before = load_npz(shard)
    shard.unlink()
    (wd / "results/table1.csv").unlink()
    jobs = planned_jobs(smk(wd, "-n", "--configfile", "config/quick.yaml"))
    assert jobs.get("table1_shard") == 1 and "figure3_run" not in jobs and "sensitivity_point" not in jobs
    smk(wd, "--cores", "1", "--configfile", "config/quick.yaml")
    after, meta_after = load_npz(shard)
    assert meta_after["config"]["threads"] == 1 and meta_before["config"]["threads"] == 2
    for key in before:
        assert before[key].tobytes() == after[key].tobytes(), key


@pytest.mark.slow
def test_killed_run_loses_nothing(tmp_path):
    """Kill the workflow mid-way: no partial file is left, and the rerun keeps every
    finished shard and computes only the rest."""
    import signal
    import time

    wd = make_workdir(tmp_path)
    target = ["results/table1.csv", "--configfile", "config/quick.yaml"]  # (--configfile takes many values)
    proc = subprocess.Popen(SNAKEMAKE + target + ["--cores", "1"], cwd=wd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 600
    while len(list((wd / "results").glob("table1/*/*/*.npz"))) < 3 and time.time() < deadline:
        assert proc.poll() is None, "snakemake ended before it could be interrupted"
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the harshest interruption: no clean-up at all
    proc.wait()
    done = {p: p.stat().st_mtime_ns for p in (wd / "results").glob("table1/*/*/*.npz")}
    before = {p: load_npz(p)[0] for p in done}  # whatever has an output's name is complete (atomic writes)
    assert 3 <= len(done) < 24
    smk(wd, *target, "--unlock")  # a killed Snakemake leaves its lock (README: "Interrupted runs")
    smk(wd, *target, "--cores", "2")
    # the rerun keeps the shards whose jobs had finished; the one job in flight at the kill
    # (its file renamed into place, its completion not yet recorded) is redone, identically
    redone = [p for p, mtime in done.items() if p.stat().st_mtime_ns != mtime]
    assert len(redone) <= 1, redone
    for p in redone:
        after = load_npz(p)[0]
        assert all(before[p][key].tobytes() == after[key].tobytes() for key in after)
    assert len(list((wd / "results").glob("table1/*/*/*.npz"))) == 24
    assert (wd / "results" / "table1.csv").exists()


@pytest.mark.slow
def test_report_renders(quick_run):
    smk(quick_run, "--configfile", "config/quick.yaml", "--report", "report.zip")
    assert (quick_run / "report.zip").stat().st_size > 10_000


def test_lint_is_clean():
    proc = smk(ROOT, "--lint", check=False)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "Lints for" not in text, text[-3000:]


def test_snakefmt_is_clean():
    proc = subprocess.run([sys.executable, "-m", "snakefmt", "--check", "Snakefile", "workflow"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
