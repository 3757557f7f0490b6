"""Simulation shards: where they live, what they hold, and the proof that they hold it.

A *shard* is one simulation job's output: the runs ``run_start … run_start + n_runs − 1`` of
one cell of one experiment, in ``results/<experiment>/<group>/<cell>/shard<NNN>.npz``.  Its
*job* is the dict of everything the result depends on (experiment, label, cell, problem,
full algorithm settings, seed, run range, stride, backend, kernel-code version); the
workflow passes it to the simulation rule as ``params`` and to the aggregating rule as the
expectation, and the shard stores it.  :func:`read` refuses a file it cannot read and
:func:`verify` a shard whose stored job differs from the expected one, naming the file
and the field.

Pure Python and NumPy: the workflow plans paths with :class:`ShardKey` at parse time.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np


class ShardError(ValueError):
    """A shard that cannot be read, or that is not what it should be; the message names the file."""


# ---------------------------------------------------------------------------- cells and keys
def fmt_r(r) -> str:
    """r as it appears in ids and paths: 0 -> '0', 2.5 -> '2.5'."""
    return f"{float(r):g}"


def cell_id(k, r, m: int | None = None) -> str:
    """The cell's id, used in stream keys and as its directory: 'k25-r0', 'm2-k25-r0'."""
    return (f"m{int(m)}-" if m is not None else "") + f"k{int(k)}-r{fmt_r(r)}"


_CELL = re.compile(r"^(?:m(?P<m>\d+)-)?k(?P<k>\d+)-r(?P<r>\d+(?:\.\d+)?)$")


def parse_cell(cid: str) -> dict:
    """'m2-k25-r0' -> {'m': 2, 'k': 25, 'r': 0.0} (no 'm' for one-filter cells)."""
    mt = _CELL.match(cid)
    if not mt:
        raise ValueError(f"not a cell id: {cid!r}")
    out = {"k": int(mt["k"]), "r": float(mt["r"])}
    if mt["m"] is not None:
        out["m"] = int(mt["m"])
    return out


@dataclass(frozen=True)
class ShardKey:
    """``results/<experiment>/<group>/<cell>/shard<NNN>.npz``; ``group`` is the algorithm's
    label, or ``<sweep>/<point>`` for a sensitivity sweep point."""

    experiment: str
    group: str
    cell: str
    shard: int = 0
    root: str = "results"

    PATTERN = "{root}/{experiment}/{group}/{cell}/shard{shard}.npz"

    def path(self) -> str:
        return f"{self.root}/{self.experiment}/{self.group}/{self.cell}/shard{self.shard:03d}.npz"

    @classmethod
    def from_wildcards(cls, experiment: str, wildcards) -> "ShardKey":
        """The key of a rule's output from its wildcards (label, or sweep and point; cell; shard)."""
        group = wildcards.label if "label" in wildcards.keys() else f"{wildcards.sweep}/{wildcards.point}"
        return cls(experiment, group, wildcards.cell, int(wildcards.shard))

    @classmethod
    def parse(cls, path: str | Path, root: str = "results") -> "ShardKey":
        parts = Path(path).parts
        rparts = Path(root).parts
        if parts[:len(rparts)] != rparts or len(parts) < len(rparts) + 4:
            raise ValueError(f"not a shard path under {root}/: {path}")
        rest = parts[len(rparts):]
        mt = re.fullmatch(r"shard(\d+)\.npz", rest[-1])
        if not mt:
            raise ValueError(f"not a shard file name: {path}")
        return cls(experiment=rest[0], group="/".join(rest[1:-2]), cell=rest[-2], shard=int(mt[1]), root=root)


def shard_ranges(runs: int, shard_size: int) -> list[tuple[int, int]]:
    """(first run, number of runs) of every shard: shard s holds runs s·size … (a run's shard
    depends only on its index, so adding runs adds shards and leaves the others alone)."""
    return [(s, min(shard_size, runs - s)) for s in range(0, runs, shard_size)]


# ---------------------------------------------------------------------------- reading and writing
def write(path: str | Path, arrays: dict, job: dict, extra: dict | None = None) -> None:
    """Arrays plus their job and provenance, atomically."""
    from .io import save_npz
    from .provenance import stamp

    save_npz(path, arrays, {"job": job, **stamp(), **(extra or {})})


def read(path: str | Path, fields=None) -> tuple[dict, dict]:
    """(arrays, meta) of a shard (only the arrays named in ``fields``, if given); a file that is
    not a readable shard raises ShardError naming it."""
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files if k != "__meta__" and (fields is None or k in fields)}
            meta = json.loads(str(z["__meta__"]))
    except FileNotFoundError:
        raise ShardError(f"{path}: missing") from None
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, json.JSONDecodeError) as exc:
        raise ShardError(f"{path}: not a readable shard ({type(exc).__name__}: {exc}); delete it and rerun "
                         f"to recompute it") from None
    if "job" not in meta:
        raise ShardError(f"{path}: holds no job record (made by an older version?); delete it and rerun")
    return arrays, meta


def _diff(stored, expected, prefix: str = "") -> list[str]:
    """Fields of ``expected`` (recursively) whose stored value differs."""
    if isinstance(expected, dict) and isinstance(stored, dict):
        out = []
        for key, value in expected.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key not in stored:
                out.append(f"{name}: missing (expected {value!r})")
            else:
                out += _diff(stored[key], value, name)
        return out
    same = stored == expected or (isinstance(stored, float) and isinstance(expected, float)
                                  and np.isnan(stored) and np.isnan(expected))
    return [] if same else [f"{prefix}: stored {stored!r}, expected {expected!r}"]


def verify(path: str | Path, meta: dict, expected: dict) -> None:
    """Raise ShardError unless the shard's stored job agrees with ``expected`` on every field
    ``expected`` has."""
    diffs = _diff(meta.get("job", {}), expected)
    if diffs:
        raise ShardError(f"{path}: this shard is not what the workflow asked for: " + "; ".join(diffs[:5])
                         + ("; ..." if len(diffs) > 5 else "") + ". Delete it and rerun to recompute it.")


def load(paths, expected: dict[str, dict], fields=None) -> dict[tuple[str, str, str], tuple[dict, dict]]:
    """Read and verify every shard, then concatenate each cell's shards in run order.

    Returns {(experiment, group, cell): (arrays, job of its first shard)}; per-run arrays are
    concatenated, and the shards must tile the cell's run range without gap or overlap."""
    groups: dict[tuple[str, str], list] = {}
    for path in paths:
        path = str(path)
        if path not in expected:
            raise ShardError(f"{path}: not one of the shards this step expects")
        arrays, meta = read(path, fields)
        verify(path, meta, expected[path])
        key = ShardKey.parse(path)
        groups.setdefault((key.experiment, key.group, key.cell), []).append((path, arrays, meta["job"]))
    out = {}
    for gc, parts in groups.items():
        parts.sort(key=lambda x: x[2]["run_start"])
        pos = parts[0][2]["run_start"]
        for path, arrays, job in parts:
            if job["run_start"] != pos:
                raise ShardError(f"{path}: starts at run {job['run_start']}, expected {pos} (a gap or an overlap)")
            pos += job["n_runs"]
        arrays = {}
        for name in parts[0][1]:
            vals = [p[1][name] for p in parts]
            arrays[name] = np.concatenate(vals) if vals[0].ndim > 0 else vals[0]
        out[gc] = (arrays, parts[0][2])
    return out
