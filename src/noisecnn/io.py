"""Atomic output writing: a file either exists complete or not at all, so an
interrupted workflow loses nothing and a rerun continues where it stopped."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np

_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(path: str | Path):
    """Yield a hidden temporary path beside ``path`` (``.name.XXXX.part``); rename on success.

    Writers must not infer the format from the temporary name (ours pass file handles or
    an explicit format).  After a hard kill a stale ``.part`` file may remain; it never
    carries an output's name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; give the file normal permissions
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(path: str | Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text)


def write_json(path: str | Path, obj) -> None:
    write_text(path, json.dumps(obj, indent=2, sort_keys=True, default=_json_default) + "\n")


def _json_default(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o)}")


def save_npz(path: str | Path, arrays: dict, meta: dict) -> None:
    """Arrays plus a JSON ``meta`` record (config, code version) in one .npz file."""
    payload = dict(arrays)
    payload["__meta__"] = np.array(json.dumps(meta, sort_keys=True, default=_json_default))
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **payload)


def write_csv(path: str | Path, df) -> None:
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, float_format="%.6g")
