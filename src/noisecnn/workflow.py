"""Helpers for the Snakemake scripts (kept here so the scripts stay thin)."""

from __future__ import annotations

import contextlib
import sys
import time
import traceback
from pathlib import Path


@contextlib.contextmanager
def log_to(path: str | Path | None):
    """Send stdout and stderr of a rule's script to its log file, with the traceback of any
    exception (written before the streams are restored, so the log explains a failed job)."""
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
            print(f"[noisecnn] wall time {time.perf_counter() - t0:.2f} s", file=fh)
    sys.stdout.flush()
