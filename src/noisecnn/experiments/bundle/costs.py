"""What every rule of the last run cost, from Snakemake's own benchmark files
(``logs/benchmarks/<rule>[/<job>].tsv``): jobs, wall and CPU seconds, peak memory."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ... import plotting
from ...io import write_csv


def read_benchmarks(root: str | Path = "logs/benchmarks") -> pd.DataFrame:
    """One row per job: rule, job, wall s, CPU s, max RSS (MB), and when it ended (the
    benchmark file's modification time, s since the epoch: Snakemake writes it as the job ends)."""
    rows = []
    root = Path(root)
    for path in sorted(root.rglob("*.tsv")):
        rel = path.relative_to(root)
        rule = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        df = pd.read_csv(path, sep="\t")
        if df.empty:
            continue
        last = df.iloc[-1]
        rows.append({"rule": rule, "job": str(rel.with_suffix("")), "wall_s": float(last["s"]),
                     "cpu_s": float(last["cpu_time"]) if "cpu_time" in df else float("nan"),
                     "max_rss_mb": float(last["max_rss"]) if "max_rss" in df else float("nan"),
                     "end": path.stat().st_mtime})
    return pd.DataFrame(rows, columns=["rule", "job", "wall_s", "cpu_s", "max_rss_mb", "end"])


def rule_threads(root: str | Path = "logs") -> dict[str, int]:
    """The threads each rule's jobs ran with, from the last line of their logs
    (``[noisecnn] rule=... threads=...``, written by noisecnn.workflow.log_to)."""
    out: dict[str, int] = {}
    for path in Path(root).rglob("*.log"):
        lines = path.read_text(errors="replace").splitlines()
        m = re.match(r"\[noisecnn\] rule=(\S+) threads=(\d+)", lines[-1]) if lines else None
        if m:
            out[m[1]] = max(out.get(m[1], 0), int(m[2]))
    return out


def peak_threads(jobs: pd.DataFrame, slack_s: float = 0.5) -> int:
    """The most job threads that ran at once, from each job's interval [end − wall, end]
    (``slack_s`` trimmed from its start: the next job starts as the last one's file is written)."""
    if jobs.empty or "end" not in jobs:
        return 0
    events = sorted([(e, -t) for e, t in zip(jobs["end"], jobs["threads"])]
                    + [(e - w + min(slack_s, w / 2), t) for e, w, t in zip(jobs["end"], jobs["wall_s"], jobs["threads"])])
    running = peak = 0
    for _, dt in events:  # at equal times an end (negative) comes before a start
        running += dt
        peak = max(peak, running)
    return int(peak)


def costs(jobs: pd.DataFrame, threads: dict[str, int], out_csv=None, machine_cores: int | None = None) -> pd.DataFrame:
    """Per rule: jobs, Σ wall s, Σ wall × threads (core-seconds reserved), Σ CPU s, max RSS.
    ``threads``: per rule, as its jobs ran (rules without a script log: 1).  Every row also
    records the most job threads that ran at once (:func:`peak_threads`) and ``machine_cores``:
    when the first exceeds the second (--cores above the machine's cores), jobs shared cores and
    their wall times include the waiting (the summary says so)."""
    jobs = jobs.assign(threads=jobs["rule"].map(lambda r: int(threads.get(r, 1))))
    jobs["core_s"] = jobs["wall_s"] * jobs["threads"]
    df = (jobs.groupby("rule").agg(jobs=("job", "size"), threads=("threads", "max"), wall_s=("wall_s", "sum"),
                                   core_s=("core_s", "sum"), cpu_s=("cpu_s", "sum"),
                                   max_rss_mb=("max_rss_mb", "max"), median_job_s=("wall_s", "median"))
          .sort_values("core_s", ascending=False).reset_index())
    df["share"] = df["core_s"] / df["core_s"].sum()
    df["peak_threads"] = peak_threads(jobs)
    if machine_cores is not None:
        df["machine_cores"] = int(machine_cores)
    if out_csv is not None:
        write_csv(out_csv, df)
    return df


def plot(df: pd.DataFrame, pdf, png) -> None:
    import matplotlib.pyplot as plt

    with plotting.style():
        fig, ax = plt.subplots(figsize=(plotting.COLUMN, 0.22 * len(df) + 0.8), constrained_layout=True)
        y = range(len(df))[::-1]
        ax.barh(list(y), df["core_s"] / 60, color=plotting.OKABE_ITO[0], label="reserved (wall × threads)")
        ax.barh(list(y), df["cpu_s"] / 60, color=plotting.OKABE_ITO[4], height=0.4, label="CPU time")
        ax.set_yticks(list(y), [f"{r} ({n})" for r, n in zip(df["rule"], df["jobs"])])
        ax.set_xlabel("core-minutes")
        # a tick label at the axis' right end would overhang the figure (constrained layout
        # does not make room for it): end the axis half a tick step after the last tick
        from matplotlib.ticker import MaxNLocator

        top = max(float(df["core_s"].max()), float(df["cpu_s"].max()), 1e-3) / 60
        ticks = MaxNLocator(nbins=5).tick_values(0.0, top)
        ticks = ticks[ticks >= 0.0]
        ax.set_xticks(ticks)
        ax.set_xlim(0.0, ticks[-1] + 0.5 * (ticks[1] - ticks[0]))
        ax.legend(loc="lower right")
        plotting.save(fig, pdf, png, name="costs")
