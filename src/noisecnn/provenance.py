"""Which code and config made an output: recorded in every output and in a manifest."""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import platform
import subprocess
from pathlib import Path

from . import __version__

ROOT = Path(__file__).resolve().parents[2]


@functools.lru_cache(maxsize=1)
def code_version() -> dict:
    """Package version and git commit of the working tree (with a dirty flag)."""
    out = {"package": __version__, "git_commit": "unknown", "git_dirty": None}
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                                capture_output=True, text=True, timeout=10, check=True).stdout
        out["git_commit"] = commit
        out["git_dirty"] = bool(status.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return out


def environment() -> dict:
    import numba
    import numpy

    return {"python": platform.python_version(), "numpy": numpy.__version__, "numba": numba.__version__,
            "machine": platform.machine(), "system": platform.system()}


def stamp(config_part: dict | None = None) -> dict:
    """The record stored inside each output."""
    return {"code": code_version(), "config": config_part,
            "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}


def sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest(outputs: dict[str, str], config: dict) -> dict:
    """Every output with its hash and the workflow rule/script that made it."""
    files = []
    for path, maker in sorted(outputs.items()):
        p = Path(path)
        files.append({"path": str(path), "sha256": sha256(p), "bytes": p.stat().st_size, "made_by": maker})
    return {"code": code_version(), "environment": environment(), "config": config, "outputs": files,
            "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
