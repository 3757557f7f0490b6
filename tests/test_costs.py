"""The cost table (rule `costs`) from Snakemake's benchmark files and the jobs' log lines,
checked against sums done by hand on a small synthetic run."""

import pandas as pd
import pytest

from noisecnn.experiments.bundle import costs, summary

HEADER = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"


def _bench(path, wall, cpu, rss):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + f"{wall}\t0:00:00\t{rss}\t1\t1\t1\t0\t0\t50\t{cpu}\n")


@pytest.fixture
def run(tmp_path):
    b = tmp_path / "logs" / "benchmarks"
    _bench(b / "shard" / "a.tsv", 10.0, 9.0, 100.0)
    _bench(b / "shard" / "b.tsv", 30.0, 28.0, 150.0)
    _bench(b / "bench.tsv", 5.0, 9.5, 80.0)
    (b / "empty.tsv").write_text(HEADER)  # a job that wrote no measurement: ignored
    logs = tmp_path / "logs"
    (logs / "shard").mkdir()
    (logs / "shard" / "a.log").write_text("hello\n[noisecnn] rule=shard threads=1 wall=10.0s\n")
    (logs / "bench.log").write_text("[noisecnn] rule=bench threads=2 wall=5.0s\n")
    return tmp_path


def test_cost_table_sums_each_rules_jobs_and_weights_wall_by_threads(run):
    jobs = costs.read_benchmarks(run / "logs" / "benchmarks")
    assert sorted(jobs["rule"]) == ["bench", "shard", "shard"]
    threads = costs.rule_threads(run / "logs")
    assert threads == {"shard": 1, "bench": 2}
    df = costs.costs(jobs, threads, machine_cores=2).set_index("rule")
    assert df.loc["shard", "jobs"] == 2 and df.loc["shard", "wall_s"] == 40.0
    assert df.loc["shard", "core_s"] == 40.0 and df.loc["bench", "core_s"] == 10.0  # 5 s × 2 threads
    assert df.loc["shard", "cpu_s"] == 37.0 and df.loc["shard", "max_rss_mb"] == 150.0
    assert df.loc["shard", "median_job_s"] == 20.0
    assert df["share"].sum() == pytest.approx(1.0) and df.loc["shard", "share"] == pytest.approx(0.8)
    assert list(df.index) == ["shard", "bench"]  # most expensive first
    assert (df["machine_cores"] == 2).all()


def test_peak_threads_counts_the_jobs_that_overlapped():
    # shard a: 0-10 s (1 thread), bench: 8-13 s (2 threads), shard b: 12-42 s (1 thread)
    jobs = pd.DataFrame({"rule": ["shard", "bench", "shard"], "wall_s": [10.0, 5.0, 30.0],
                         "end": [1000.0, 1003.0, 1032.0], "threads": [1, 2, 1]})
    assert costs.peak_threads(jobs) == 3  # 8-10 s: a and bench
    # one after the other, each started as the last one's benchmark file was written (its wall
    # time then reaches 0.2 s back into the last one's): never 2
    serial = pd.DataFrame({"wall_s": [10.0, 5.0, 30.0], "end": [10.0, 14.8, 44.6], "threads": [1, 1, 1]})
    assert costs.peak_threads(serial, slack_s=0.0) == 2  # without the slack, the 0.2 s overlaps count
    assert costs.peak_threads(serial) == 1
    assert costs.peak_threads(serial.assign(end=[10.0, 10.0, 10.0])) == 3  # all at once


def test_summary_says_when_jobs_shared_the_cores():
    df = pd.DataFrame({"rule": ["x"], "core_s": [1.0]})
    assert summary.shared_cores(df) == ""  # a cost table without the concurrency (older runs)
    assert summary.shared_cores(df.assign(peak_threads=2, machine_cores=2)) == ""
    note = summary.shared_cores(df.assign(peak_threads=8, machine_cores=2))
    assert "8 job threads ran at once on 2 cores" in note and "4-fold" in note
