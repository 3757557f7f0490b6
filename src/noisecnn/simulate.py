"""Python entry point to the kernels: run one shard of one cell, thread control, the result
container.

    from noisecnn.simulate import Problem, Algorithm, simulate
    res = simulate(Problem(k=25, r=4), Algorithm("pgd", ...), seed=1, experiment="demo",
                   cell="k25-r4", n_runs=1000)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from . import kernels as K
from .kernels import numba_threads
from .outcomes import Tolerances, classify, summarize
from .rng import stream_key
from .specs import Algorithm, Problem, _require, is_int, runs_in_lockstep

__all__ = ["Algorithm", "Problem", "Result", "simulate", "simulate_multi", "keys", "numba_threads", "warm_up"]


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
    basin_iter: np.ndarray  # first iteration with φ < π/2 (NaN: never)
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
        return {"run_start": np.int64(self.run_start), "final_w": self.final_w, "final_a": self.final_a,
                "wstar": self.wstar, "astar": self.astar, "phi": self.phi, "a_rel": self.a_rel, "loss": self.loss,
                "a_dot": self.a_dot, "basin_iter": self.basin_iter, "status": self.status, "traj": self.traj,
                "stride": np.int64(self.stride)}

    @classmethod
    def concat(cls, parts: list["Result"]) -> "Result":
        parts = sorted(parts, key=lambda r: r.run_start)
        cat = {name: np.concatenate([getattr(p, name) for p in parts])
               for name in ("final_w", "final_a", "wstar", "astar", "phi", "a_rel", "loss", "a_dot", "basin_iter",
                            "status", "traj")}
        return cls(run_start=parts[0].run_start, stride=parts[0].stride, meta=parts[0].meta, **cat)


def n_records(iterations: int, stride: int) -> int:
    return iterations // stride + 1 if stride > 0 else 0


def keys(seed: int, experiment: str, cell: str, label: str) -> np.ndarray:
    """[teacher key, algorithm key] of a cell: hashes of (seed, experiment, cell, role).  The
    teacher stream is shared by every algorithm of a cell."""
    return np.array([stream_key(seed, experiment, cell, "teacher"), stream_key(seed, experiment, cell, label)],
                    np.uint64)


def outputs(n: int, problem: Problem, records: int) -> tuple:
    """The kernels' output arrays (kernels.OUTPUTS order) for n runs."""
    p, k = problem.p, problem.k
    return (np.empty((n, p)), np.empty((n, k)), np.empty((n, p)), np.empty((n, k)), np.empty((n, K.N_SCALARS)),
            np.empty(n, np.int8), np.full((n, records, K.N_OBS), np.nan))


def cpu_kernel(algorithm: Algorithm, stride: int, stop_at_basin: bool):
    """The CPU kernel of a shard: perturbed GD and plain SGD with the reduced sampler, with no
    trajectory and no stop at the basin, run in lock-step groups (noisecnn.lanes: the same
    bits, faster; specs.runs_in_lockstep); everything else in its algorithm's one-run kernel."""
    if runs_in_lockstep(algorithm.name, algorithm.sampler, stride, stop_at_basin):
        from .lanes import pgd_lanes_kernel, sgd_lanes_kernel

        return pgd_lanes_kernel if algorithm.name == "pgd" else sgd_lanes_kernel
    return K.KERNELS[algorithm.name]


def simulate(problem: Problem, algorithm: Algorithm, *, seed: int, experiment: str, cell: str, n_runs: int,
             run_start: int = 0, stride: int = 0, threads: int | None = None, label: str | None = None,
             backend: str = "cpu", stop_at_basin: bool = False) -> Result:
    """Run ``n_runs`` independent runs (global indices run_start …) of one cell.

    The teacher stream is shared by all algorithms of a cell; the algorithm stream is
    keyed by ``label`` (default: the algorithm's name).  Results are bit-identical
    whatever ``threads``, however the runs are split into shards, and whatever the state
    of the numba cache.  Every run records the first iteration at which φ < π/2
    (``basin_iter``); with ``stop_at_basin`` it stops there.
    """
    _require(isinstance(problem, Problem), "problem", "must be a Problem", problem)
    _require(isinstance(algorithm, Algorithm), "algorithm", "must be an Algorithm", algorithm)
    _require(is_int(seed) and seed >= 0, "seed", "must be a non-negative integer", seed)
    _require(is_int(n_runs) and n_runs >= 1, "n_runs", "must be an integer >= 1", n_runs)
    _require(is_int(run_start) and run_start >= 0, "run_start", "must be a non-negative integer", run_start)
    _require(is_int(stride) and stride >= 0, "stride", "must be a non-negative integer", stride)
    _require(backend in ("cpu", "cuda"), "backend", "must be 'cpu' or 'cuda' (resolve 'auto' first)", backend)
    ks = keys(seed, experiment, cell, label or algorithm.name)
    out = outputs(n_runs, problem, n_records(algorithm.iterations, stride))
    ints, reals = K.pack(problem, algorithm, stride, stop_at_basin)
    if backend == "cuda":
        from . import gpu

        gpu.run(algorithm.name, ks, run_start, ints, reals, out)
        used_threads = None
    else:
        with numba_threads(threads) as used_threads:
            cpu_kernel(algorithm, stride, stop_at_basin)(ks, np.int64(run_start), ints, reals, out)
    out_w, out_a, out_wstar, out_astar, sc, status, traj = out
    return Result(run_start=run_start, final_w=out_w, final_a=out_a, wstar=out_wstar, astar=out_astar,
                  phi=sc[:, 0].copy(), a_rel=sc[:, 1].copy(), loss=sc[:, 2].copy(), a_dot=sc[:, 3].copy(),
                  basin_iter=sc[:, 4].copy(), status=status, traj=traj, stride=stride,
                  meta={"problem": problem.to_dict(), "algorithm": algorithm.to_dict(), "seed": seed,
                        "experiment": experiment, "cell": cell, "label": label or algorithm.name,
                        "backend": backend, "threads": used_threads})


def multi_kernel(name: str, m: int):
    """The CPU kernel of an m-filter shard: perturbed GD runs in lock-step groups
    (lanes.mpgd_lanes_kernel: multi.mpgd_kernel's bits, faster), GD in multi.mgd_kernel."""
    if runs_in_lockstep(name, m=m):
        from .lanes import mpgd_lanes_kernel

        return mpgd_lanes_kernel
    from .multi import MULTI_KERNELS

    return MULTI_KERNELS[name]


def simulate_multi(problem: Problem, algorithm: Algorithm, m: int, *, keys, run_start: int, n_runs: int,
                   threads: int | None = None) -> dict:
    """Run ``n_runs`` runs of the m-filter student (GD or perturbed GD) with the streams
    ``keys`` = (teacher key, algorithm key); returns the final states, the teachers, the
    final loss, the status (0 finished, 1 diverged) and the steps taken per run (GD stops
    early at a stationary point: relative gradient norm below STATIONARY)."""
    from .multi import MULTI_KERNELS

    if algorithm.name not in MULTI_KERNELS:
        raise ValueError(f"algorithm must be one of {sorted(MULTI_KERNELS)} for the m-filter student, "
                         f"got {algorithm.name!r}")
    if not (isinstance(m, (int, np.integer)) and m >= 1):
        raise ValueError(f"m must be an integer >= 1, got {m!r}")
    n, p, k = n_runs, problem.p, problem.k
    out = (np.empty((n, m, p)), np.empty((n, m, k)), np.empty((n, p)), np.empty((n, k)), np.empty(n),
           np.empty(n, np.int8), np.empty(n, np.int64))
    ints, reals = K.pack(problem, algorithm, 0)
    with numba_threads(threads):
        multi_kernel(algorithm.name, m)(np.asarray(keys, np.uint64), np.int64(run_start), ints, reals, out)
    return dict(zip(("W", "A", "wstar", "astar", "loss", "status", "steps"), out))


def warm_up(family: str = "all") -> dict:
    """Compile (or load from the cache) the kernels of ``family`` ('one_filter', 'multi' or
    'all') once, so that concurrent jobs only read the cache; returns the seconds each took."""
    times = {}
    prob = Problem(k=4, r=1.0)
    if family in ("one_filter", "all"):
        for alg, stride in ((Algorithm("gd", init="random", iters_per_epoch=2), 1),
                            (Algorithm("pgd", iters_per_epoch=2, rho_w=1.0, rho_a=1.0), 1),
                            (Algorithm("psgd", iters_per_epoch=2, rho_w=1.0, rho_a=1.0), 1),
                            (Algorithm("sgd", iters_per_epoch=2), 0),  # the lock-step kernels
                            (Algorithm("pgd", iters_per_epoch=2, rho_w=1.0, rho_a=1.0), 0)):
            t0 = time.perf_counter()
            simulate(prob, alg, seed=0, experiment="compile", cell="c", n_runs=2, stride=stride, threads=1)
            times[alg.name + ("_lanes" if stride == 0 else "")] = round(time.perf_counter() - t0, 3)
    if family in ("multi", "all"):
        for alg in (Algorithm("gd", init="random", iters_per_epoch=2),
                    Algorithm("pgd", iters_per_epoch=2, rho_w=1.0)):
            t0 = time.perf_counter()
            simulate_multi(prob, alg, 2, keys=keys(0, "compile", "c", alg.name), run_start=0, n_runs=2, threads=1)
            times[f"multi_{alg.name}"] = round(time.perf_counter() - t0, 3)
    return times
