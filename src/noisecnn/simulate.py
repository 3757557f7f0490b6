"""Python entry point to the kernels: validated problem / algorithm specs, sharding,
thread control and the result container."""

from __future__ import annotations

import contextlib
import math
from dataclasses import asdict, dataclass, field, fields

import numba
import numpy as np

from . import kernels as K
from .closed_form import READINGS, TEACHERS
from .outcomes import Tolerances, classify, summarize
from .rng import stream_key

ALGORITHMS = ("gd", "pgd", "sgd", "psgd")


def _require(cond: bool, name: str, msg: str, value) -> None:
    if not cond:
        raise ValueError(f"{name} {msg}, got {value!r}")


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _is_num(x) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool) and math.isfinite(x)


@dataclass(frozen=True)
class Problem:
    """Teacher and dimensions: p, k, r = (1ᵀa*)²/‖a*‖², ‖a*‖ = scale (SPEC §3)."""

    k: int
    r: float = 0.0
    p: int = 6
    scale: float = 1.0
    teacher: str = "random"

    def __post_init__(self):
        _require(_is_int(self.p) and self.p >= 2, "p", "must be an integer >= 2", self.p)
        _require(_is_int(self.k) and self.k >= 2, "k", "must be an integer >= 2", self.k)
        _require(_is_num(self.r) and 0 <= self.r <= self.k, "r", f"must satisfy 0 <= r <= k = {self.k}", self.r)
        _require(_is_num(self.scale) and self.scale > 0, "scale", "(‖a*‖) must be a positive number", self.scale)
        _require(self.teacher in TEACHERS, "teacher", f"must be one of {TEACHERS}", self.teacher)
        if self.teacher == "pm":
            _require(self.k % 2 == 0, "k", "must be even for the ±s/√k teacher", self.k)
            _require(self.r == 0, "r", "must be 0 for the ±s/√k teacher", self.r)


@dataclass(frozen=True)
class Algorithm:
    """One training algorithm with its schedule (SPEC §4).

    Epoch s (0-based) uses η_s = eta0·gamma_eta^s and ρ_s = ρ_0·gamma_rho^s.
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
    phase1_iters: int | None = None  # length of epoch 0 (Phase I); default iters_per_epoch

    def __post_init__(self):
        _require(self.name in ALGORITHMS, "algorithm", f"must be one of {ALGORITHMS}", self.name)
        _require(self.init in K.INITS, "init", f"must be one of {K.INITS}", self.init)
        for n in ("epochs", "iters_per_epoch", "batch"):
            v = getattr(self, n)
            _require(_is_int(v) and v >= 1, n, "must be an integer >= 1", v)
        for n in ("eta0", "gamma_eta", "gamma_rho", "radius_a"):
            v = getattr(self, n)
            _require(_is_num(v) and v > 0, n, "must be a positive number", v)
        for n in ("rho_w", "rho_a"):
            v = getattr(self, n)
            _require(_is_num(v) and v >= 0, n, "(noise radius) must be a non-negative number", v)
        _require(self.reading in READINGS, "reading", f"must be one of {READINGS}", self.reading)
        _require(self.sampler in K.SAMPLERS, "sampler", f"must be one of {K.SAMPLERS}", self.sampler)
        if self.phase1_iters is not None:
            _require(_is_int(self.phase1_iters) and self.phase1_iters >= 1, "phase1_iters",
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

    @classmethod
    def from_dict(cls, d: dict) -> "Algorithm":
        d = dict(d)
        if "algorithm" in d:
            d["name"] = d.pop("algorithm")
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown algorithm setting(s) {sorted(unknown)}; known: {sorted(known)}")
        return cls(**d)


@dataclass
class Result:
    """Per-run outputs of one shard of one cell."""

    run_start: int
    final_w: np.ndarray
    final_a: np.ndarray
    wstar: np.ndarray
    astar: np.ndarray
    phi: np.ndarray
    a_rel: np.ndarray
    loss: np.ndarray
    a_dot: np.ndarray
    status: np.ndarray
    traj: np.ndarray  # (n, n_records, 3): a·a*, φ, loss
    stride: int = 0
    meta: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.phi.shape[0]

    def outcomes(self, tol: Tolerances = Tolerances()) -> np.ndarray:
        return classify(self.phi, self.a_rel, self.status, tol)

    def summary(self, tol: Tolerances = Tolerances()) -> dict:
        return summarize(self.outcomes(tol), self.phi)

    def arrays(self) -> dict:
        return {
            "run_start": np.int64(self.run_start),
            "final_w": self.final_w,
            "final_a": self.final_a,
            "wstar": self.wstar,
            "astar": self.astar,
            "phi": self.phi,
            "a_rel": self.a_rel,
            "loss": self.loss,
            "a_dot": self.a_dot,
            "status": self.status,
            "traj": self.traj,
            "stride": np.int64(self.stride),
        }

    @classmethod
    def concat(cls, parts: list["Result"]) -> "Result":
        parts = sorted(parts, key=lambda r: r.run_start)
        cat = lambda name: np.concatenate([getattr(p, name) for p in parts])  # noqa: E731
        return cls(
            run_start=parts[0].run_start,
            final_w=cat("final_w"),
            final_a=cat("final_a"),
            wstar=cat("wstar"),
            astar=cat("astar"),
            phi=cat("phi"),
            a_rel=cat("a_rel"),
            loss=cat("loss"),
            a_dot=cat("a_dot"),
            status=cat("status"),
            traj=cat("traj"),
            stride=parts[0].stride,
            meta=parts[0].meta,
        )

    @classmethod
    def from_arrays(cls, d) -> "Result":
        return cls(
            run_start=int(d["run_start"]),
            final_w=d["final_w"],
            final_a=d["final_a"],
            wstar=d["wstar"],
            astar=d["astar"],
            phi=d["phi"],
            a_rel=d["a_rel"],
            loss=d["loss"],
            a_dot=d["a_dot"],
            status=d["status"],
            traj=d["traj"],
            stride=int(d["stride"]),
        )


@contextlib.contextmanager
def numba_threads(threads: int | None):
    """Run with ``threads`` numba threads (capped at NUMBA_NUM_THREADS), then restore."""
    if threads is None:
        yield numba.get_num_threads()
        return
    _require(_is_int(threads) and threads >= 1, "threads", "must be an integer >= 1", threads)
    old = numba.get_num_threads()
    n = min(int(threads), numba.config.NUMBA_NUM_THREADS)
    numba.set_num_threads(n)
    try:
        yield n
    finally:
        numba.set_num_threads(old)


def n_records(iterations: int, stride: int) -> int:
    return iterations // stride + 1 if stride > 0 else 0


def keys(seed: int, experiment: str, cell: str, label: str) -> tuple[np.uint64, np.uint64]:
    """(teacher key, algorithm key) of a cell: hashes of (seed, experiment, cell, role)."""
    return stream_key(seed, experiment, cell, "teacher"), stream_key(seed, experiment, cell, label)


def simulate(
    problem: Problem,
    algorithm: Algorithm,
    *,
    seed: int,
    experiment: str,
    cell: str,
    n_runs: int,
    run_start: int = 0,
    stride: int = 0,
    threads: int | None = None,
    label: str | None = None,
    backend: str = "cpu",
) -> Result:
    """Run ``n_runs`` independent runs (global indices run_start …) of one cell.

    The teacher stream is shared by all algorithms of a cell; the algorithm stream is
    keyed by ``label`` (default: the algorithm's name).  Results are bit-identical
    whatever ``threads`` and however the runs are split into shards.
    """
    _require(isinstance(problem, Problem), "problem", "must be a Problem", problem)
    _require(isinstance(algorithm, Algorithm), "algorithm", "must be an Algorithm", algorithm)
    _require(_is_int(seed) and seed >= 0, "seed", "must be a non-negative integer", seed)
    _require(_is_int(n_runs) and n_runs >= 1, "n_runs", "must be an integer >= 1", n_runs)
    _require(_is_int(run_start) and run_start >= 0, "run_start", "must be a non-negative integer", run_start)
    _require(_is_int(stride) and stride >= 0, "stride", "must be a non-negative integer", stride)
    _require(backend in ("cpu", "cuda"), "backend", "must be 'cpu' or 'cuda' (resolve 'auto' first)", backend)
    tkey, akey = keys(seed, experiment, cell, label or algorithm.name)
    n, p, k = n_runs, problem.p, problem.k
    nrec = n_records(algorithm.iterations, stride)
    out = dict(
        out_w=np.empty((n, p)),
        out_a=np.empty((n, k)),
        out_wstar=np.empty((n, p)),
        out_astar=np.empty((n, k)),
        out_sc=np.empty((n, K.N_SCALARS)),
        out_status=np.empty(n, np.int8),
        traj=np.full((n, nrec, K.N_OBS), np.nan),
    )
    if backend == "cuda":
        from . import gpu

        gpu.run(problem, algorithm, tkey, akey, run_start, stride, out)
        used_threads = None
    else:
        with numba_threads(threads) as used_threads:
            _run_cpu(problem, algorithm, tkey, akey, run_start, stride, out)
    sc = out["out_sc"]
    return Result(
        run_start=run_start,
        final_w=out["out_w"],
        final_a=out["out_a"],
        wstar=out["out_wstar"],
        astar=out["out_astar"],
        phi=sc[:, 0].copy(),
        a_rel=sc[:, 1].copy(),
        loss=sc[:, 2].copy(),
        a_dot=sc[:, 3].copy(),
        status=out["out_status"],
        traj=out["traj"],
        stride=stride,
        meta={"problem": asdict(problem), "algorithm": asdict(algorithm), "seed": seed,
              "experiment": experiment, "cell": cell, "label": label or algorithm.name,
              "backend": backend, "threads": used_threads},
    )


def kernel_args(problem: Problem, algorithm: Algorithm, tkey, akey, run_start: int, stride: int):
    """(kernel name, scalar arguments) shared by the CPU and GPU backends."""
    from .closed_form import READINGS as RD

    teacher = TEACHERS.index(problem.teacher)
    init = K.INITS.index(algorithm.init)
    i64, f64 = np.int64, np.float64  # fixed types: one compiled specialisation per kernel
    common = (np.uint64(tkey), np.uint64(akey), i64(run_start), f64(problem.r), f64(problem.scale),
              i64(teacher), i64(init))
    a = algorithm
    if a.name == "gd":
        return "gd", common + (i64(a.iterations), f64(a.eta0), i64(stride))
    sched = (i64(a.epochs), i64(a.iters_per_epoch), f64(a.eta0), f64(a.gamma_eta))
    sched0 = (i64(a.epochs), i64(a.iters_per_epoch), i64(a.iters0), f64(a.eta0), f64(a.gamma_eta))
    noise = (f64(a.rho_w), f64(a.rho_a), f64(a.gamma_rho), i64(RD.index(a.reading)))
    sampler = i64(K.SAMPLERS.index(a.sampler))
    if a.name == "pgd":
        return "pgd", common + sched0 + noise + (i64(stride),)
    if a.name == "sgd":
        return "sgd", common + sched + (i64(a.batch), sampler, i64(stride))
    return "psgd", common + sched0 + noise + (i64(a.batch), sampler, f64(a.radius_a), i64(stride))


def _run_cpu(problem, algorithm, tkey, akey, run_start, stride, out):
    name, args = kernel_args(problem, algorithm, tkey, akey, run_start, stride)
    kernel = {"gd": K.gd_kernel, "pgd": K.pgd_kernel, "sgd": K.sgd_kernel, "psgd": K.psgd_kernel}[name]
    kernel(*args, out["out_w"], out["out_a"], out["out_wstar"], out["out_astar"], out["out_sc"],
           out["out_status"], out["traj"])
