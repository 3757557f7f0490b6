"""A single-node SLURM cluster for the tests: munged, slurmctld and slurmd started as this
process's own children from a minimal configuration in a temporary folder, and stopped by PID.

Needs root and Debian's packages ``slurmctld slurmd slurm-client munge`` (.ci/run installs
them); :func:`unavailable` says why a cluster cannot be started here.

The configuration is also written to the system's default place, ``/etc/slurm/slurm.conf``
(and removed afterwards): Snakemake's job-step executor drops every ``SLURM_*`` variable,
``SLURM_CONF`` included, before it calls ``srun`` inside a job, so a cluster configured only
through ``SLURM_CONF`` fails at the first job, exactly as a real cluster would without its
system configuration.  On a machine with a SLURM configuration of its own the tests skip
rather than touch it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

BINARIES = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scancel")
SYSTEM_CONF = Path("/etc/slurm/slurm.conf")
MARK = "# noisecnn test cluster (tests/slurm_cluster.py); removed when the tests end\n"


def _system_conf_is_ours() -> bool:
    return not SYSTEM_CONF.exists() or SYSTEM_CONF.read_text(errors="replace").startswith(MARK)


def unavailable() -> str | None:
    missing = [b for b in BINARIES if shutil.which(b) is None]
    if missing:
        return f"SLURM not installed ({', '.join(missing)} missing; apt-get install slurmctld slurmd slurm-client munge)"
    if os.geteuid() != 0:
        return "the test cluster's daemons need root"
    if not _system_conf_is_ours():
        return f"this machine has a SLURM configuration of its own ({SYSTEM_CONF}); the test cluster leaves it alone"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """``with Cluster(folder) as c:`` — ``c.env`` points the SLURM clients at it."""

    def __init__(self, root: Path, partition: str = "test"):
        self.root = Path(root)
        self.partition = partition
        self.procs: list[subprocess.Popen] = []

    def _configure(self) -> None:
        r = self.root
        for d in ("state", "spool", "munge"):
            (r / d).mkdir(parents=True, exist_ok=True)
        os.chmod(r / "munge", 0o700)
        key = r / "munge" / "munge.key"
        key.write_bytes(os.urandom(1024))
        os.chmod(key, 0o400)
        node = subprocess.run(["slurmd", "-C"], capture_output=True, text=True, check=True).stdout.splitlines()[0]
        host = node.split()[0].split("=")[1]
        fields = dict(f.split("=", 1) for f in node.split() if "=" in f)
        self.cpus = int(fields["CPUs"])
        self.conf = r / "slurm.conf"
        self.conf.write_text(MARK + "\n".join([
            "ClusterName=noisecnn-test",
            f"SlurmctldHost={host}(127.0.0.1)",
            "SlurmUser=root", "SlurmdUser=root",
            "AuthType=auth/munge", "CredType=cred/munge", f"AuthInfo=socket={r / 'munge' / 'munge.sock'}",
            "ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none",
            "SelectType=select/cons_tres", "SelectTypeParameters=CR_Core_Memory",
            "SchedulerType=sched/backfill", "MpiDefault=none", "ReturnToService=2",
            "AccountingStorageType=accounting_storage/none", "JobAcctGatherType=jobacct_gather/none",
            "JobCompType=jobcomp/none",
            "MinJobAge=300",  # squeue keeps a finished job for 5 min: the status command sees it end
            f"StateSaveLocation={r / 'state'}", f"SlurmdSpoolDir={r / 'spool'}",
            f"SlurmctldPidFile={r / 'slurmctld.pid'}", f"SlurmdPidFile={r / 'slurmd.pid'}",
            f"SlurmctldPort={_free_port()}", f"SlurmdPort={_free_port()}",
            f"SlurmctldLogFile={r / 'slurmctld.log'}", f"SlurmdLogFile={r / 'slurmd.log'}",
            f"NodeName={host} NodeAddr=127.0.0.1 CPUs={self.cpus} RealMemory={int(fields.get('RealMemory', 4000))} "
            "State=UNKNOWN",
            f"PartitionName={self.partition} Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
        ]) + "\n")
        SYSTEM_CONF.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.conf, SYSTEM_CONF)
        self.env = dict(os.environ, SLURM_CONF=str(self.conf))

    def _start(self, *cmd) -> None:
        log = open(self.root / f"{Path(cmd[0]).name}.out", "w")
        self.procs.append(subprocess.Popen(list(cmd), env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                           start_new_session=True))

    def __enter__(self) -> "Cluster":
        t0 = time.time()
        self._configure()
        m = self.root / "munge"
        self._start("munged", "-F", "--force", f"--key-file={m / 'munge.key'}", f"--socket={m / 'munge.sock'}",
                    f"--pid-file={m / 'munged.pid'}", f"--log-file={m / 'munged.log'}", f"--seed-file={m / 'seed'}")
        self._wait(lambda: (m / "munge.sock").exists(), "munged")
        self._start("slurmctld", "-D", "-i", "-f", str(self.conf))
        self._start("slurmd", "-D", "-f", str(self.conf))
        self._wait(self._idle, "an idle node")
        self.startup_seconds = time.time() - t0
        return self

    def _idle(self) -> bool:
        out = subprocess.run(["sinfo", "-h", "-o", "%t"], env=self.env, capture_output=True, text=True)
        return out.returncode == 0 and "idle" in out.stdout

    def _wait(self, ready, what: str, timeout: float = 90.0) -> None:
        t0 = time.time()
        while not ready():
            for p in self.procs:
                if p.poll() is not None:
                    raise RuntimeError(f"{p.args[0]} exited with {p.returncode} while waiting for {what}: "
                                       + self.logs())
            if time.time() - t0 > timeout:
                raise RuntimeError(f"no {what} after {timeout:.0f} s: " + self.logs())
            time.sleep(0.5)

    def logs(self) -> str:
        return "\n".join(f"--- {f.name}\n{f.read_text(errors='replace')[-1500:]}"
                         for f in sorted(self.root.glob("*.log")) + sorted(self.root.glob("*.out")))

    def __exit__(self, *exc) -> None:
        subprocess.run(["scancel", "--user", "root"], env=self.env, capture_output=True)
        for p in reversed(self.procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        if SYSTEM_CONF.exists() and _system_conf_is_ours():
            SYSTEM_CONF.unlink()
