"""The Snakemake workflow: strict config, one definition per algorithm, an end-to-end run of
the quick configuration through every rule (LaTeX included), the rerun table, shards that
prove what they hold, resumption, lint and format."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml

from noisecnn import config as nc_config
from noisecnn import shards
from noisecnn.experiments import plan
from noisecnn.provenance import sha256

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
QUICK = ["--configfile", "config/quick.yaml"]


def make_workdir(tmp: Path, copy_config: bool = False) -> Path:
    """A work directory that shares the repository's sources (symlinks) but not its outputs."""
    tmp.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "workflow", "src", "environment.yml", "profiles", "benchmarks"):
        (tmp / name).symlink_to(ROOT / name)
    if copy_config:
        shutil.copytree(ROOT / "config", tmp / "config")
    else:
        (tmp / "config").symlink_to(ROOT / "config")
    (tmp / "paper").mkdir()
    for name in ("main.tex", "escape.tex"):
        (tmp / "paper" / name).symlink_to(ROOT / "paper" / name)
    return tmp


def smk(workdir: Path, *args, check=True, timeout=1200) -> subprocess.CompletedProcess:
    env = dict(os.environ, NOISECNN_STRICT_FIGURES="1")  # a figure that would not print fails the run
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
    return {p[0]: int(p[1]) for p in (line.split() for line in m.group(1).splitlines()) if len(p) == 2}


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data))
    return path


def default_config() -> dict:
    return nc_config.read_yaml(nc_config.DEFAULT)


# ---------------------------------------------------------------- strict config
BAD = [
    ({"tabel1": {"runs": 10}}, "tabel1: unknown key"),
    ({"table1": {"run": 10}}, "table1.run: unknown key"),
    ({"paper_algorithms": {"pgd": {"learning_rate": 0.1}}}, "paper_algorithms.pgd.learning_rate: unknown key"),
    ({"table1": {"algorithms": {"pgd": {"base": "pgd", "lr": 0.1}}}}, "table1.algorithms.pgd.lr: unknown key"),
    ({"table1": {"algorithms": {"pgd": {"base": "adam"}}}}, "table1.algorithms.pgd: base"),
    ({"table1": {"r": [0, 30]}}, "table1.r: r = 30 exceeds k = 25"),
    ({"table1": {"runs": 30.0}}, "table1.runs: 30.0 is not of type 'integer'"),
    ({"table1": {"runs": 0}}, "table1.runs"),
    ({"table1": {"k": [25, 36, 25]}}, "table1.k: duplicate"),
    ({"table1": {"r": [0, 1, 1.0]}}, "table1.r: duplicate"),
    ({"overparam": {"m": [1, 2, 2]}}, "overparam.m: duplicate"),
    ({"sensitivity": {"escape_threshold": float("nan")}}, "sensitivity.escape_threshold: nan is not a finite"),
    ({"tolerances": {"phi": float("nan")}}, "tolerances.phi: nan is not a finite"),
    ({"teacher_scale": float("inf")}, "teacher_scale: inf is not a finite"),
    ({"tolerances": {"phi": -0.1}}, "tolerances.phi"),
    ({"paper_algorithms": {"pgd": {"rho_w": -1.0}}}, "paper_algorithms.pgd.rho_w"),
    ({"paper_algorithms": {"pgd": {"reading": "exact"}}}, "paper_algorithms.pgd.reading"),
    ({"figure3": {"k": 99}}, "figure3.k"),
    ({"backend": "tpu"}, "backend"),
    ({"sensitivity": {"sweeps": [{"name": "x", "base": "pgd", "knobs": {"rho_w": [36.0, 36]}}]}},
     "sensitivity.sweeps.0.knobs.rho_w: duplicate"),
    ({"sensitivity": {"sweeps": [{"name": "x", "base": "pgd", "knobs": {"rho_w": [1.0]}},
                                 {"name": "x", "base": "gd", "knobs": {"eta0": [1.0]}}]}},
     "sensitivity.sweeps: duplicate name 'x'"),
    ({"sensitivity": {"escape_cell": [36, 0]}}, "sensitivity.escape_cell: [36, 0] is not one of"),
]


@pytest.mark.parametrize("override,message", BAD, ids=[b[1].split(":")[0] for b in BAD])
def test_bad_config_is_rejected_naming_the_key(override, message):
    cfg = nc_config.deep_merge(default_config(), override)
    with pytest.raises(nc_config.ConfigError, match=re.escape(message)):
        nc_config.validate(cfg)


def test_cuda_without_a_gpu_is_rejected_before_any_job():
    from noisecnn import backend

    if backend.cuda_usable()[0]:
        pytest.skip("a GPU is usable here")
    with pytest.raises(nc_config.ConfigError, match="^backend: 'cuda' needs a usable GPU"):
        nc_config.validate(nc_config.deep_merge(default_config(), {"backend": "cuda"}))


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("table1:\n  runs: 10\n  k: [25, 36\n  r: [0]\n")
    with pytest.raises(nc_config.ConfigError, match=re.escape(str(bad)) + r":4:\d+: YAML syntax error"):
        nc_config.load(bad)


def test_default_and_quick_configs_are_valid_and_defaults_are_filled():
    cfg = nc_config.load()
    nc_config.load(ROOT / "config" / "quick.yaml")
    minimal = nc_config.validate({"paper_algorithms": default_config()["paper_algorithms"]})
    assert minimal["table1"]["runs"] == cfg["table1"]["runs"] and minimal["seed"] == cfg["seed"]


def test_schema_documents_every_key():
    """Every property of the schema has a description or is a reference to a documented one,
    and every leaf has a default (the paper algorithms themselves excepted)."""
    schema = yaml.safe_load((ROOT / "workflow" / "schemas" / "config.schema.yaml").read_text())

    def walk(node, path):
        for name, sub in node.get("properties", {}).items():
            key = f"{path}.{name}".lstrip(".")
            assert "description" in sub or "$ref" in sub, key
            assert "default" in sub or key == "paper_algorithms", key
            walk(sub, key)

    walk(schema, "")


# ---------------------------------------------------------------- one definition per algorithm
def test_config_has_no_yaml_anchors_and_quick_states_each_override_once():
    for name in ("config.yaml", "quick.yaml"):
        text = (ROOT / "config" / name).read_text()
        assert not re.search(r"[&*][a-z]", re.sub(r"#.*", "", text)), name
    quick = yaml.safe_load((ROOT / "config" / "quick.yaml").read_text())
    # the shortened schedules are stated once, under paper_algorithms
    assert "algorithms" not in quick.get("table1", {}) and "algorithms" not in quick.get("overparam", {})


def test_an_override_of_a_paper_algorithm_reaches_every_experiment(tmp_path):
    """The defect: YAML anchors were resolved inside config.yaml, so overriding
    paper_algorithms.gd.eta0 left Table 1's GD untouched."""
    over = write_yaml(tmp_path / "o.yaml", {"paper_algorithms": {"gd": {"eta0": 0.05}}})
    jobs = plan.all_jobs(nc_config.load(ROOT / "config" / "quick.yaml", over))
    gd = [j for exp in jobs.values() for j in exp.values() if j["algorithm"]["algorithm"] == "gd"]
    assert {j["experiment"] for j in gd} == {"table1", "sensitivity", "overparam", "landscape"}
    for j in gd:
        eta = j["algorithm"]["eta0"] * (j["m"] if j["experiment"] == "overparam" else 1)
        assert eta == pytest.approx(0.05) or (j["experiment"] == "sensitivity" and "eta0" in j["point"]), j


def test_shard_jobs_hold_their_own_run_range():
    cfg = nc_config.load(ROOT / "config" / "quick.yaml")
    jobs = plan.all_jobs(cfg)["table1"]
    assert all(set(j) >= {"run_start", "n_runs"} and "runs" not in j for j in jobs.values())
    more = plan.all_jobs(nc_config.deep_merge(cfg, {"table1": {"runs": 60}}))["table1"]
    assert set(jobs) < set(more) and all(more[p] == j for p, j in jobs.items())


def test_scripts_get_the_config_only_through_params():
    for path in list((ROOT / "workflow" / "scripts").glob("*.py")) + [ROOT / "workflow" / "notebooks" /
                                                                       "explore.ipynb", ROOT / "benchmarks" / "run.py"]:
        text = path.read_text()
        assert "snakemake.config" not in text and "config.yaml" not in text, path
    for path in (ROOT / "src" / "noisecnn").rglob("*.py"):
        assert "snakemake.config" not in path.read_text(), path


CORE = ("specs", "closed_form", "rng", "kernels", "lanes", "multi", "gpu", "simulate", "outcomes", "stationary",
        "smoothing")


def test_the_config_check_and_the_plans_import_no_numba():
    code = ("import sys; import noisecnn.config as c; import noisecnn.experiments.plan as p; "
            "p.all_jobs(c.load()); bad = [m for m in sys.modules if m.split('.')[0] in "
            "('numba', 'pandas', 'matplotlib')]; assert not bad, bad")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_the_core_imports_no_experiment_and_no_workflow_library():
    code = ("import sys; " + "; ".join(f"import noisecnn.{m}" for m in CORE)
            + "; bad = [m for m in sys.modules if m.split('.')[0] in ('pandas', 'matplotlib', 'snakemake') "
              "or m.startswith('noisecnn.experiments') or m == 'noisecnn.config']; assert not bad, bad")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]


def _imports(path: Path, package: str) -> set[str]:
    """The noisecnn modules a file imports anywhere (module level or inside functions)."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            if base.startswith("noisecnn"):
                for alias in node.names:
                    cand = f"{base}.{alias.name}"
                    found.add(cand if (ROOT / "src" / Path(*cand.split("."))).with_suffix(".py").exists()
                              or (ROOT / "src" / Path(*cand.split("."))).is_dir() else base)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("noisecnn")}
    return found


def test_no_import_cycles():
    """Not even through imports inside functions (config <-> experiments, gpu <-> simulate, ...)."""
    src = ROOT / "src"
    graph = {}
    for path in (src / "noisecnn").rglob("*.py"):
        rel = path.relative_to(src).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        package = name if rel.name == "__init__" else ".".join(rel.parts[:-1])
        graph[name] = {m for m in _imports(path, package) if m != name and not name.startswith(m + ".")}
    state: dict[str, int] = {}

    def visit(node, stack):
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(nxt):] + [nxt]))
            if nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])


# ---------------------------------------------------------------- snakemake refuses bad input early
@pytest.mark.slow
def test_snakemake_refuses_bad_config_before_any_job(tmp_path):
    wd = make_workdir(tmp_path / "wd")
    bad = write_yaml(tmp_path / "bad.yaml", {"tabel1": {"runs": 3}})
    proc = smk(wd, "--cores", "1", "--configfile", str(bad), check=False)
    assert proc.returncode != 0 and "tabel1: unknown key" in proc.stdout + proc.stderr
    assert not (wd / "results").exists()


@pytest.mark.slow
def test_snakemake_names_the_line_of_a_yaml_error_and_runs_from_any_directory(tmp_path):
    wd = make_workdir(tmp_path / "wd", copy_config=True)
    text = (wd / "config" / "config.yaml").read_text()
    (wd / "config" / "config.yaml").write_text(text.replace("p: 6 ", "p: [6 ", 1))
    proc = smk(wd, "-n", check=False)
    assert proc.returncode != 0
    assert re.search(r"config/config.yaml:\d+:\d+: YAML syntax error", proc.stdout + proc.stderr)
    # the workflow's own config is found relative to the Snakefile, from any directory
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = smk(elsewhere, "-n", "-s", str(ROOT / "Snakefile"), "--configfile", str(ROOT / "config" / "quick.yaml"))
    assert "table1_shard" in proc.stdout


# ---------------------------------------------------------------- end to end
@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    wd = make_workdir(tmp_path_factory.mktemp("e2e"))
    smk(wd, "--cores", "2", *QUICK)
    return wd


@pytest.mark.slow
def test_quick_run_produces_every_output(quick_run):
    wd = quick_run
    for rel in ("results/table1.csv", "paper/tables/table1.tex", "figures/table1_heatmap.pdf",
                "figures/table1_heatmap.png", "figures/figure3.pdf", "figures/figure3.png", "paper/macros/table1.tex",
                "results/provenance.json", "paper/tables/provenance.tex", "paper/main.pdf", "results/explore.html",
                "results/reproduction.csv", "paper/tables/reproduction.tex", "paper/text/reproduction.tex",
                "results/sensitivity.csv", "paper/tables/sensitivity.tex", "figures/figure3_escape.pdf",
                "results/overparam.csv", "paper/tables/overparam.tex", "paper/tables/overparam_stationary.tex",
                "figures/overparam_success.pdf", "figures/landscape_profile.pdf", "figures/landscape_2d.pdf",
                "figures/landscape_two_filter.pdf", "results/costs.csv", "results/summary.md"):
        assert (wd / rel).stat().st_size > 0, rel
    assert (wd / "paper" / "main.pdf").read_bytes()[:5] == b"%PDF-"
    import pandas as pd

    df = pd.read_csv(wd / "results" / "table1.csv")
    assert len(df) == 3 * 2 * 2 and list(df.columns[:2]) == ["label", "algorithm"]
    assert np.all((df["success_lo"] <= df["success"]) & (df["success"] <= df["success_hi"]))
    fr = df[["frac_global", "frac_spurious", "frac_unconverged", "frac_diverged"]].sum(axis=1)
    np.testing.assert_allclose(fr, 1.0)
    # every macro the text uses is defined, and none is defined twice
    defined = []
    for f in (wd / "paper" / "macros").glob("*.tex"):
        defined += re.findall(r"\\newcommand\{\\([A-Za-z]+)\}", f.read_text())
    assert len(defined) == len(set(defined))
    text = "".join(p.read_text() for p in [ROOT / "paper" / "main.tex", ROOT / "paper" / "escape.tex",
                                           *(wd / "paper" / "text").glob("*.tex")])
    used = set(re.findall(r"\\([A-Z][A-Za-z]+)", text))
    assert not (used - set(defined)), used - set(defined)
    assert "Wilson interval" in (wd / "results" / "explore.html").read_text()
    # provenance: every product with its correct hash and the rule that made it
    man = json.loads((wd / "results" / "provenance.json").read_text())
    listed = {f["path"]: f for f in man["outputs"]}
    assert listed["results/sensitivity_tolerances.csv"]["rule"] == "sensitivity_tolerances"
    assert listed["figures/figure3.pdf"]["rule"] == "figure3_report"
    for path, f in listed.items():
        assert f["sha256"] == sha256(wd / path), path
    assert man["config"]["table1"]["runs"] == 40 and man["code"]["git_commit"]
    assert {"python", "numpy", "numba", "snakemake", "matplotlib"} <= set(man["environment"])
    # each shard records its job and what made it
    arrays, meta = shards.read(wd / "results/table1/pgd/k25-r0/shard000.npz")
    assert meta["job"]["algorithm"]["rho_w"] == 36.0 and meta["job"]["n_runs"] == 20
    assert meta["code"]["kernels"] == meta["job"]["kernel_version"] and meta["run"]["threads"] == 2


# The rerun table (README, "Change a parameter"): a single-key override -> what runs again.
AGGREGATION = {"table1_aggregate", "table1_report", "figure3_report", "sensitivity_aggregate",
               "sensitivity_tolerances", "sensitivity_report", "reproduction", "narrative", "overparam_aggregate",
               "overparam_catalogue", "escape_report", "bundle_macros", "explore", "provenance", "paper_pdf", "costs",
               "summary", "all"}
BUNDLE = {"provenance": 1, "paper_pdf": 1, "costs": 1, "summary": 1, "all": 1}
RERUN_TABLE = [
    ("nothing", {}, {}),
    ("threads", {"threads": 1}, {"projection": 1, **BUNDLE}),  # the projection uses the thread count
    ("tolerances.phi", {"tolerances": {"phi": 0.2}}, {r: 1 for r in AGGREGATION}),
    ("tolerances.overparam_loss", {"tolerances": {"overparam_loss": 0.01}}, {r: 1 for r in AGGREGATION}),
    ("paper_algorithms.gd.eta0", {"paper_algorithms": {"gd": {"eta0": 0.05}}},
     {"table1_shard": 8, "sensitivity_point": 4, "overparam_shard": 4, "landscape_trajectories": 1,
      "sensitivity_escape": 1, "landscape": 1, "explore_params": 1,
      **{r: 1 for r in AGGREGATION - {"figure3_report", "bundle_macros"}}}),
    ("table1.runs 40 -> 60", {"table1": {"runs": 60}},
     {"table1_shard": 12, "projection": 1, "table1_aggregate": 1, "table1_report": 1, "sensitivity_tolerances": 1,
      "sensitivity_report": 1, "reproduction": 1, "narrative": 1, "explore": 1, "escape_report": 1, **BUNDLE}),
    ("figure3.algorithms.sgd.eta0", {"figure3": {"algorithms": {"sgd": {"base": "sgd", "eta0": 0.05}}}},
     {"figure3_run": 1, "figure3_escape_run": 1, "figure3_report": 1, "landscape": 1, "escape_report": 1,
      **BUNDLE}),
    ("overparam.catalogue.near", {"overparam": {"catalogue": {"near": 0.3}}},
     {"overparam_aggregate": 1, "overparam_catalogue": 1, **BUNDLE}),
]


@pytest.mark.slow
def test_rerun_table(quick_run, tmp_path):
    """Each single-key override plans exactly the jobs that depend on it: a tolerance no
    simulation, the thread count only the projection, more runs only the new shards."""
    assert planned_jobs(smk(quick_run, "-n", *QUICK)) == {}
    for name, override, expected in RERUN_TABLE:
        over = write_yaml(tmp_path / f"{len(name)}.yaml", override)
        got = planned_jobs(smk(quick_run, "-n", "--configfile", "config/quick.yaml", str(over)))
        assert got == expected, (name, got)


@pytest.mark.slow
def test_lost_shard_is_recomputed_alone_and_bit_identical(quick_run):
    """A shard lost before aggregation is recomputed alone (here with 1 thread) and comes
    out bit-identical to the one computed with 2 threads."""
    wd = quick_run
    shard = wd / "results/table1/sgd/k100-r9/shard001.npz"
    before, meta_before = shards.read(shard)
    shard.unlink()
    (wd / "results/table1.csv").unlink()
    jobs = planned_jobs(smk(wd, "-n", "results/table1.csv", *QUICK))
    assert jobs == {"table1_shard": 1, "table1_aggregate": 1}, jobs
    smk(wd, "--cores", "1", "results/table1.csv", *QUICK)
    after, meta_after = shards.read(shard)
    assert meta_after["run"]["threads"] == 1 and meta_before["run"]["threads"] == 2
    for key in before:
        assert before[key].tobytes() == after[key].tobytes(), key


@pytest.mark.slow
def test_aggregate_refuses_a_shard_that_is_not_what_it_asked_for(quick_run):
    """Another cell's valid shard copied in its place, a truncated file, garbage bytes: the
    aggregate stops naming the file (and the field), and the job's log holds the traceback."""
    wd = quick_run
    target = wd / "results/table1/gd/k25-r0/shard000.npz"
    saved = target.read_bytes()
    try:
        for content, message in (
                ((wd / "results/table1/gd/k25-r9/shard000.npz").read_bytes(),
                 r"results/table1/gd/k25-r0/shard000.npz: this shard is not what the workflow asked for: "
                 r"cell: stored 'k25-r9', expected 'k25-r0'"),
                (saved[: len(saved) // 2], r"results/table1/gd/k25-r0/shard000.npz: not a readable shard"),
                (b"\x00garbage" * 100, r"results/table1/gd/k25-r0/shard000.npz: not a readable shard")):
            target.write_bytes(content)
            proc = smk(wd, "--cores", "1", "--force", "results/table1.csv", *QUICK, check=False)
            assert proc.returncode != 0
            log = (wd / "logs" / "table1_aggregate.log").read_text()
            assert re.search(message, log), log[-2000:]
            assert "Traceback (most recent call last)" in log and "ShardError" in log
    finally:
        target.write_bytes(saved)
        smk(wd, "--cores", "1", "--force", "results/table1.csv", *QUICK)


@pytest.mark.slow
def test_killed_run_loses_nothing(tmp_path):
    """Kill the workflow mid-way: no partial file is left, and the rerun keeps every
    finished shard and computes only the rest."""
    import signal
    import time

    wd = make_workdir(tmp_path)
    target = ["results/table1.csv", *QUICK]
    proc = subprocess.Popen(SNAKEMAKE + target + ["--cores", "1"], cwd=wd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 600
    while len(list((wd / "results").glob("table1/*/*/*.npz"))) < 3 and time.time() < deadline:
        assert proc.poll() is None, "snakemake ended before it could be interrupted"
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the harshest interruption: no clean-up at all
    proc.wait()
    done = {p: p.stat().st_mtime_ns for p in (wd / "results").glob("table1/*/*/*.npz")}
    before = {p: shards.read(p)[0] for p in done}  # whatever has an output's name is complete (atomic writes)
    assert 3 <= len(done) < 24
    smk(wd, *target, "--unlock")  # a killed Snakemake leaves its lock (README: "Interrupted runs")
    smk(wd, *target, "--cores", "2")
    # the rerun keeps the shards whose jobs had finished; the one job in flight at the kill
    # (its file renamed into place, its completion not yet recorded) is redone, identically
    redone = [p for p, mtime in done.items() if p.stat().st_mtime_ns != mtime]
    assert len(redone) <= 1, redone
    for p in redone:
        after = shards.read(p)[0]
        assert all(before[p][key].tobytes() == after[key].tobytes() for key in after)
    assert len(list((wd / "results").glob("table1/*/*/*.npz"))) == 24
    assert (wd / "results" / "table1.csv").exists()


@pytest.mark.slow
def test_report_renders(quick_run):
    smk(quick_run, *QUICK, "--report", "report.zip")
    with zipfile.ZipFile(quick_run / "report.zip") as z:
        names = {Path(n).name for n in z.namelist()}
        html = z.read(next(n for n in z.namelist() if n.endswith("report.html"))).decode()
    # every experiment's figures and its tables as data, each with its caption
    for f in ("table1_heatmap.pdf", "table1.csv", "reproduction.csv", "reproduction.pdf", "sensitivity.csv",
              "figure3.pdf", "overparam.csv", "overparam_stationary.csv", "escape.csv", "escape_prediction.pdf",
              "costs.csv", "costs.pdf", "scaling.pdf", "landscape_profile.pdf"):
        assert f in names, (f, sorted(names))
    for caption in ("95 % Wilson interval", "escaped fraction", "benchmark files", "runs per"):
        assert caption in html, caption


def test_lint_is_clean():
    proc = smk(ROOT, "--lint", check=False)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "Lints for" not in text, text[-3000:]


def test_snakefmt_is_clean():
    proc = subprocess.run([sys.executable, "-m", "snakefmt", "--check", "Snakefile", "workflow"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
