"""Which code, software and config made an output: stored in every shard and in a manifest."""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from . import __version__
from .specs import kernel_version

ROOT = Path(__file__).resolve().parents[2]
SOFTWARE = ("numpy", "numba", "llvmlite", "snakemake", "matplotlib", "pandas", "scipy", "jsonschema", "pyyaml")


@functools.lru_cache(maxsize=1)
def code_version() -> dict:
    """Package version, kernel-code version and git commit of the working tree (dirty flag)."""
    out = {"package": __version__, "kernels": kernel_version(), "git_commit": "unknown", "git_dirty": None}
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


@functools.lru_cache(maxsize=1)
def environment() -> dict:
    """Python, the machine, and the versions of the packages that made the numbers."""
    out = {"python": platform.python_version(), "machine": platform.machine(), "system": platform.system()}
    for name in SOFTWARE:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def stamp() -> dict:
    """The record stored inside each output beside its job."""
    return {"code": code_version(), "environment": environment(), "created": now()}


def sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest(made_by: dict[str, dict], config: dict) -> dict:
    """Every output with its hash and the rule (and script) that made it."""
    files = []
    for path, maker in sorted(made_by.items()):
        p = Path(path)
        files.append({"path": str(path), "sha256": sha256(p), "bytes": p.stat().st_size, **maker})
    return {"code": code_version(), "environment": environment(), "config": config, "outputs": files,
            "created": now()}
