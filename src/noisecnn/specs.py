"""What a simulation is, in plain Python: the teacher problem, the training algorithm, the
code tables the kernels use, and the version of the compiled code.

Nothing here imports numba, so the workflow can check a configuration and plan its jobs
without loading a single kernel.  :mod:`noisecnn.kernels` turns a (Problem, Algorithm)
pair into the kernels' argument packs.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path

# ---------------------------------------------------------------------------- code tables
# The integer code of a choice is its index in the table (the kernels compare codes).
ALGORITHMS = ("gd", "pgd", "sgd", "psgd")
READINGS = ("projected", "weightnorm", "literal")  # the gradient at an off-sphere point (SPEC §4)
PROJECTED, WEIGHTNORM, LITERAL = range(3)
TEACHERS = ("random", "pm")  # SPEC §3: random v ⟂ 1, or Figure 3's ±s/√k
TEACHER_RANDOM, TEACHER_PM = range(2)
INITS = ("random", "spurious")  # Du et al.'s random start, or exactly the spurious point
INIT_RANDOM, INIT_SPURIOUS = range(2)
SAMPLERS = ("reduced", "naive")  # SGD: the exact reduced sampler, or every patch drawn
SAMPLER_REDUCED, SAMPLER_NAIVE = range(2)

# The sources of every compiled (numba-cached) function: results depend on these files
# only, so they define the kernel-code version stored in every shard, and the numba cache
# is purged when they change (numba itself checks only each function's own file).
KERNEL_SOURCES = ("_jit.py", "rng.py", "closed_form.py", "kernels.py", "_lanes_gen.py", "lanes.py", "multi.py")
PACKAGE = Path(__file__).resolve().parent


def kernel_version() -> str:
    """SHA-256 (first 16 hex digits) of the compiled sources: the kernel-code version."""
    h = hashlib.sha256()
    for name in KERNEL_SOURCES:
        h.update(name.encode() + b"\0" + (PACKAGE / name).read_bytes())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------------------- validation
def _require(cond: bool, name: str, msg: str, value) -> None:
    if not cond:
        raise ValueError(f"{name} {msg}, got {value!r}")


def is_int(x) -> bool:
    """An integer (not a bool, not an integral float such as 30.0)."""
    import numbers

    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def is_num(x) -> bool:
    """A finite real number (not a bool)."""
    import numbers

    return isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(x)


# ---------------------------------------------------------------------------- problem
@dataclass(frozen=True)
class Problem:
    """Teacher and dimensions: p, k, r = (1ᵀa*)²/‖a*‖², ‖a*‖ = scale (SPEC §3)."""

    k: int
    r: float = 0.0
    p: int = 6
    scale: float = 1.0
    teacher: str = "random"

    def __post_init__(self):
        _require(is_int(self.p) and self.p >= 2, "p", "must be an integer >= 2", self.p)
        _require(is_int(self.k) and self.k >= 2, "k", "must be an integer >= 2", self.k)
        _require(is_num(self.r) and 0 <= self.r <= self.k, "r", f"must satisfy 0 <= r <= k = {self.k}", self.r)
        _require(is_num(self.scale) and self.scale > 0, "scale", "(‖a*‖) must be a positive number", self.scale)
        _require(self.teacher in TEACHERS, "teacher", f"must be one of {TEACHERS}", self.teacher)
        if self.teacher == "pm":
            _require(self.k % 2 == 0, "k", "must be even for the ±s/√k teacher", self.k)
            _require(self.r == 0, "r", "must be 0 for the ±s/√k teacher", self.r)

    def to_dict(self) -> dict:
        return {"k": int(self.k), "r": float(self.r), "p": int(self.p), "scale": float(self.scale),
                "teacher": self.teacher}

    @classmethod
    def from_dict(cls, d: dict) -> "Problem":
        return cls(**d)


# ---------------------------------------------------------------------------- algorithm
@dataclass(frozen=True)
class Algorithm:
    """One training algorithm with its schedule (SPEC §4).

    Epoch s (0-based) uses η_s = eta0·gamma_eta^s and ρ_s = ρ_0·gamma_rho^s; epoch 0 (Phase I)
    runs ``phase1_iters`` iterations (default ``iters_per_epoch``).
    """

    name: str
    init: str = "spurious"
    epochs: int = 1
    iters_per_epoch: int = 1000
    eta0: float = 0.1
    gamma_eta: float = 1.0
    rho_w: float = 0.0
    rho_a: float = 0.0
    gamma_rho: float = 1.0
    reading: str = "projected"
    batch: int = 4
    sampler: str = "reduced"
    radius_a: float = 10.0
    phase1_iters: int | None = None

    def __post_init__(self):
        _require(self.name in ALGORITHMS, "algorithm", f"must be one of {ALGORITHMS}", self.name)
        _require(self.init in INITS, "init", f"must be one of {INITS}", self.init)
        for n in ("epochs", "iters_per_epoch", "batch"):
            v = getattr(self, n)
            _require(is_int(v) and v >= 1, n, "must be an integer >= 1", v)
        for n in ("eta0", "gamma_eta", "gamma_rho", "radius_a"):
            v = getattr(self, n)
            _require(is_num(v) and v > 0, n, "must be a positive number", v)
        for n in ("rho_w", "rho_a"):
            v = getattr(self, n)
            _require(is_num(v) and v >= 0, n, "(noise radius) must be a non-negative number", v)
        _require(self.reading in READINGS, "reading", f"must be one of {READINGS}", self.reading)
        _require(self.sampler in SAMPLERS, "sampler", f"must be one of {SAMPLERS}", self.sampler)
        if self.phase1_iters is not None:
            _require(is_int(self.phase1_iters) and self.phase1_iters >= 1, "phase1_iters",
                     "must be an integer >= 1 (or null)", self.phase1_iters)
            _require(self.name in ("pgd", "psgd"), "phase1_iters", "applies to pgd and psgd only", self.name)

    @property
    def iters0(self) -> int:
        return self.phase1_iters if self.phase1_iters is not None else self.iters_per_epoch

    @property
    def iterations(self) -> int:
        return self.iters0 + (self.epochs - 1) * self.iters_per_epoch

    def epoch_starts(self) -> list[int]:
        """Iteration index at which each epoch starts."""
        return [0] + [self.iters0 + e * self.iters_per_epoch for e in range(self.epochs - 1)]

    def to_dict(self) -> dict:
        """Every setting, under the config's key names (``algorithm`` for the name)."""
        d = asdict(self)
        d["algorithm"] = d.pop("name")
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Algorithm":
        d = dict(d)
        if "algorithm" in d:
            d["name"] = d.pop("algorithm")
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown algorithm setting(s) {sorted(unknown)}; known: {sorted(known - {'name'})}")
        return cls(**d)


SETTINGS = tuple(f.name for f in fields(Algorithm) if f.name != "name")  # the knobs of an algorithm


def resolve_algorithm(paper_algorithms: dict, entry: dict) -> dict:
    """The full settings of an experiment's algorithm entry: ``{base: <name>, **overrides}``
    is ``paper_algorithms[name]`` with the overrides applied; an entry without ``base``
    is complete in itself.  Returns every setting (``Algorithm.to_dict``), defaults filled."""
    entry = dict(entry)
    base = entry.pop("base", None)
    if base is not None:
        if base not in paper_algorithms:
            raise ValueError(f"base: {base!r} is not one of paper_algorithms {sorted(paper_algorithms)}")
        entry = {**paper_algorithms[base], **entry}
    return Algorithm.from_dict(entry).to_dict()


def runs_in_lockstep(name: str, sampler: str = "reduced", stride: int = 0, stop_at_basin: bool = False,
                     m: int | None = None) -> bool:
    """Whether a shard runs in a lock-step kernel (noisecnn.lanes: the one-run kernels' bits, 8
    runs per vector instruction): the one-filter perturbed GD and plain SGD with the reduced
    sampler when no trajectory is recorded and runs do not stop at the basin boundary, and the
    m-filter (``m`` given) perturbed GD.  Pure Python: the cost projection uses it at parse time."""
    if m is not None:
        return name == "pgd"
    return stride == 0 and not stop_at_basin and (name == "pgd" or (name == "sgd" and sampler == "reduced"))
