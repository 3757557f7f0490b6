"""Helpers for the Snakemake scripts (kept here so the scripts stay thin)."""

from __future__ import annotations

import contextlib
import sys
import time
import traceback
from pathlib import Path


def job_log(snakemake):
    """:func:`log_to` the job's log, naming its rule and threads (read back by rule costs)."""
    return log_to(snakemake.log[0], rule=snakemake.rule, threads=snakemake.threads)


@contextlib.contextmanager
def log_to(path: str | Path | None, rule: str | None = None, threads: int | None = None):
    """Send stdout and stderr of a rule's script to its log file, with the traceback of any
    exception (written before the streams are restored, so the log explains a failed job);
    the last line records the rule, its threads and the wall time."""
    if not path:
        yield
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh, contextlib.redirect_stdout(fh), contextlib.redirect_stderr(fh):
        t0 = time.perf_counter()
        try:
            yield
        except BaseException:
            traceback.print_exc(file=fh)
            fh.flush()
            raise
        finally:
            print(f"[noisecnn] rule={rule} threads={threads} wall={time.perf_counter() - t0:.2f}s", file=fh)
    sys.stdout.flush()
