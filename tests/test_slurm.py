"""The cluster path on a real SLURM: a single-node cluster (tests/slurm_cluster.py) runs the
quick workflow through --workflow-profile profiles/slurm; Table 1 comes out byte-identical
to a local run, a failing job is an error, and a job no node can hold is refused before
anything is submitted."""

import time

import pytest

import slurm_cluster
from test_workflow import QUICK, make_workdir, smk

WHY = slurm_cluster.unavailable()
pytestmark = [pytest.mark.slurm, pytest.mark.slow,
              pytest.mark.skipif(WHY is not None, reason=WHY or "")]


def on_cluster(cluster, cpus: int) -> list[str]:
    """The profile with the two settings a user makes (partition; this test cluster has no
    accounts) and the cap of threads to the node's CPUs.  --default-resources takes every
    word after it, so it goes last on the command line."""
    return ["--workflow-profile", "profiles/slurm", "--slurm-no-account", "--max-threads", str(cpus),
            "--default-resources", f"slurm_partition={cluster.partition}", "runtime=20", "mem_mb=1000"]


def test_quick_workflow_on_a_single_node_slurm(tmp_path, monkeypatch):
    with slurm_cluster.Cluster(tmp_path / "cluster") as cluster:
        monkeypatch.setenv("SLURM_CONF", str(cluster.conf))
        wd = make_workdir(tmp_path / "slurm")
        args = on_cluster(cluster, cluster.cpus)
        # a job no node can hold is refused before anything is submitted, naming the rule
        too_many = str(cluster.cpus + 2)
        proc = smk(wd, "results/table1/gd/k25-r0/shard000.npz", *QUICK, "--config", f"threads={too_many}",
                   *on_cluster(cluster, cluster.cpus + 2), check=False, timeout=300)
        text = proc.stdout + proc.stderr
        assert proc.returncode != 0 and "SLURM: rule table1_shard asks for" in text, text[-2000:]
        assert not (wd / "results").exists()
        t0 = time.time()
        run = smk(wd, "paper/main.pdf", *QUICK, *args, timeout=1800)
        elapsed = time.time() - t0
        # the same Table 1 as a local run, to the byte
        local = make_workdir(tmp_path / "local")
        smk(local, "--cores", "2", "results/table1.csv", *QUICK)
        assert (wd / "results/table1.csv").read_bytes() == (local / "results/table1.csv").read_bytes()
        assert (wd / "paper/main.pdf").stat().st_size > 0
        # every simulation ran as a SLURM job (the plugin deletes the logs of jobs that
        # succeeded, so count the submissions)
        text = run.stdout + run.stderr
        submitted = text.count("has been submitted with SLURM jobid")
        assert submitted > 20 and "slurm_logs/rule_table1_shard/" in text, text[-2000:]
        # a failing job is an error, promptly (not a silent wait)
        shard = wd / "results/table1/gd/k25-r0/shard000.npz"
        shard.write_bytes(b"not a shard")
        t1 = time.time()
        proc = smk(wd, "results/table1.csv", "--forcerun", "table1_aggregate", *QUICK, *args, check=False,
                   timeout=600)
        assert proc.returncode != 0 and "table1_aggregate" in proc.stdout + proc.stderr
        assert time.time() - t1 < 300
        assert "k25-r0/shard000.npz" in (wd / "logs/table1_aggregate.log").read_text()
        print(f"SLURM: cluster up in {cluster.startup_seconds:.1f} s; quick workflow to paper/main.pdf in "
              f"{elapsed:.0f} s ({submitted} SLURM jobs)")
