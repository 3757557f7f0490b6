"""Benchmarks (not tests): the kernels against vectorised NumPy references measured in the
same process, the raw generator, the kernels' efficiency against it, the m-filter kernels,
scaling in k and in the number of runs, and a projection of a workflow's wall time from
its job plan.

    python benchmarks/run.py            # or: snakemake --cores 2 benchmarks

Every timing is the best of ``repeats`` measurements (the machines are shared and noisy).
"ns per run-iteration per core" = wall time × threads / (runs × iterations).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time

import numba
import numpy as np

from noisecnn import _lanes_gen as G
from noisecnn import kernels as K
from noisecnn import rng as R
from noisecnn.closed_form import PI, spurious_a
from noisecnn.specs import runs_in_lockstep
from noisecnn.simulate import Algorithm, Problem, keys, numba_threads, outputs, simulate, simulate_multi

ALGS = {
    "gd": Algorithm("gd", init="random", iters_per_epoch=1),
    "pgd": Algorithm("pgd", rho_w=36.0, rho_a=1.0, gamma_rho=0.4, gamma_eta=0.8),
    "sgd": Algorithm("sgd", gamma_eta=0.4),
}


def normals_per_iteration(name: str, k: int, p: int = 6, batch: int = 4) -> int:
    return {"gd": 0, "pgd": (p + 2) + (k + 2), "sgd": batch * 2 * k + p}[name]


# ---------------------------------------------------------------------------- references
def _teachers(rng, n, p, k):
    ws = rng.standard_normal((n, p))
    ws /= np.linalg.norm(ws, axis=1, keepdims=True)
    v = rng.standard_normal((n, k))
    v -= v.mean(axis=1, keepdims=True)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return ws, v  # r = 0, ‖a*‖ = 1


def numpy_reference(name: str, n: int, k: int, iters: int, p: int = 6, seed: int = 0, batch: int = 4,
                    eta: float = 0.1, rho_w: float = 36.0, rho_a: float = 1.0):
    """The same algorithm, vectorised over runs with NumPy (projected reading, reduced
    SGD sampler): the straightforward implementation the kernels are compared with."""
    rng = np.random.default_rng(seed)
    ws, As = _teachers(rng, n, p, k)
    S = As.sum(axis=1)
    W = -ws.copy()
    A = spurious_a(As)
    for _ in range(iters):
        if name == "gd":
            U, B = W, A
        elif name == "pgd":
            z = rng.standard_normal((n, p + 2))
            U = W + rho_w * z[:, :p] / np.linalg.norm(z, axis=1, keepdims=True)
            z = rng.standard_normal((n, k + 2))
            B = A + rho_a * z[:, :k] / np.linalg.norm(z, axis=1, keepdims=True)
        else:
            U, B = W, A
        nu = np.linalg.norm(U, axis=1)
        Uh = U / nu[:, None]
        c = np.clip(np.sum(Uh * ws, axis=1), -1.0, 1.0)
        if name in ("gd", "pgd"):
            phi = np.arccos(c)
            gg = np.sqrt(1 - c * c) + (PI - phi) * c
            sb = B.sum(axis=1)
            bb = np.sum(B * As, axis=1)
            GA = ((PI - 1) * B + sb[:, None] - (gg - 1)[:, None] * As - S[:, None]) / (2 * PI)
            GW = (-bb * (PI - phi) / (2 * PI))[:, None] * (ws - c[:, None] * Uh)
        else:
            s = np.sqrt(np.maximum(0.0, 1 - c * c))
            e2 = (ws - c[:, None] * Uh) / np.maximum(s, 1e-12)[:, None]
            X = rng.standard_normal((n, batch, k))
            Y = rng.standard_normal((n, batch, k))
            Xp = np.maximum(X, 0.0)
            f = np.einsum("nk,nbk->nb", B, Xp)
            y = np.einsum("nk,nbk->nb", As, np.maximum(c[:, None, None] * X + s[:, None, None] * Y, 0.0))
            res = f - y
            C = res[:, :, None] * B[:, None, :] * (X > 0)
            sy = np.sum(C * Y, axis=(1, 2))
            sc2 = np.sum(C * C, axis=(1, 2))
            GA = np.einsum("nb,nbk->nk", res, Xp) / batch
            z = rng.standard_normal((n, p))
            perp = z - np.sum(z * Uh, axis=1)[:, None] * Uh - np.sum(z * e2, axis=1)[:, None] * e2
            GW = (sy[:, None] * e2 + np.sqrt(sc2)[:, None] * perp) / batch
        A = A - eta * GA
        d = np.sum(W * GW, axis=1)
        W = W - eta * (GW - d[:, None] * W)
        W /= np.linalg.norm(W, axis=1, keepdims=True)
    return W, A


def numpy_multi_grad(U, B, ws, As):
    """Loss and gradient of the m-filter student (SPEC §2, projected reading) for n runs at
    once: U (n, m, p) filters (normalised here), B (n, m, k) output weights, ws (n, p),
    As (n, k).  Returns (loss (n,), G_B (n, m, k), Riemannian G_U (n, m, p)).

    With K(b,u; c,v) = [(g(θ) − 1) bᵀc + (1ᵀb)(1ᵀc)]/2π for unit u, v:
    ∇_{b_i} L = [Σ_i' ((g_ii' − 1) b_i' + (1ᵀb_i') 1) − ((g_i* − 1) a* + (1ᵀa*) 1)]/2π and
    ∇_{u_i} L = [Σ_i'≠i (b_iᵀb_i')(π − θ_ii')(û_i' − cos θ_ii' û_i) − (b_iᵀa*)(π − θ_i*)(w* − cos θ_i* û_i)]/2π."""
    Uh = U / np.linalg.norm(U, axis=2, keepdims=True)
    C = np.clip(np.einsum("nip,njp->nij", Uh, Uh), -1.0, 1.0)
    Cs = np.clip(np.einsum("nip,np->ni", Uh, ws), -1.0, 1.0)
    T, Ts = np.arccos(C), np.arccos(Cs)
    G = np.sqrt(1.0 - C * C) + (PI - T) * C
    Gs = np.sqrt(1.0 - Cs * Cs) + (PI - Ts) * Cs
    sb, sa = B.sum(axis=2), As.sum(axis=1)
    BB = np.einsum("nik,njk->nij", B, B)
    BA = np.einsum("nik,nk->ni", B, As)
    GB = (np.einsum("nij,njk->nik", G - 1.0, B) + sb.sum(axis=1)[:, None, None]
          - (Gs - 1.0)[:, :, None] * As[:, None, :] - sa[:, None, None]) / (2 * PI)
    P = BB * (PI - T)  # zero on the diagonal (θ_ii = 0 is rounded to ~1e-8: use the mask)
    P[:, np.arange(U.shape[1]), np.arange(U.shape[1])] = 0.0
    GU = (np.einsum("nij,njp->nip", P, Uh) - np.einsum("nij,nij->ni", P, C)[:, :, None] * Uh
          - (BA * (PI - Ts))[:, :, None] * (ws[:, None, :] - Cs[:, :, None] * Uh)) / (2 * PI)
    loss = (np.einsum("nij,nij->n", G - 1.0, BB) + sb.sum(axis=1) ** 2
            - 2.0 * (np.einsum("ni,ni->n", Gs - 1.0, BA) + sb.sum(axis=1) * sa)
            + (PI - 1.0) * np.sum(As * As, axis=1) + sa * sa) / (4 * PI)
    return loss, GB, GU


def numpy_multi_reference(name: str, n: int, m: int, k: int, iters: int, p: int = 6, seed: int = 0,
                          eta: float = 0.1, rho_w: float = 36.0, rho_a: float = 1.0):
    """m-filter GD (random start) or perturbed GD (from the spurious configuration), vectorised
    over runs and filters with NumPy: the reference of the m-filter kernels (η/m as in the study)."""
    rng = np.random.default_rng(seed)
    ws, As = _teachers(rng, n, p, k)
    eta = eta / m
    if name == "gd":
        W = rng.standard_normal((n, m, p))
        W /= np.linalg.norm(W, axis=2, keepdims=True)
        A = 0.1 * rng.standard_normal((n, m, k)) / np.sqrt(k)
    else:
        W = np.repeat(-ws[:, None, :], m, axis=1)
        A = np.repeat(spurious_a(As)[:, None, :] / m, m, axis=1)
    for _ in range(iters):
        if name == "gd":
            U, B = W, A
        else:
            z = rng.standard_normal((n, m, p + 2))
            U = W + rho_w * z[..., :p] / np.linalg.norm(z, axis=2, keepdims=True)
            z = rng.standard_normal((n, m, k + 2))
            B = A + rho_a * z[..., :k] / np.linalg.norm(z, axis=2, keepdims=True)
        _, GB, GU = numpy_multi_grad(U, B, ws, As)
        A = A - eta * GB
        d = np.sum(W * GU, axis=2, keepdims=True)
        W = W - eta * (GU - d * W)
        W /= np.linalg.norm(W, axis=2, keepdims=True)
    return W, A


# ---------------------------------------------------------------------------- timing
def _best(fn, repeats: int) -> float:
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def time_kernel(name: str, k: int, runs: int, iters: int, threads: int, repeats: int = 3,
                lockstep: bool = True) -> float:
    """Seconds for ``runs`` runs of ``iters`` iterations: in the kernel a Table 1 shard runs (the
    lock-step kernel for perturbed GD and SGD), or with ``lockstep=False`` in the algorithm's
    one-run kernel (Figure 3 and the escape runs: trajectories, stop at the basin)."""
    alg = Algorithm(**{**ALGS[name].__dict__, "iters_per_epoch": iters, "epochs": 1})
    prob = Problem(k=k, r=0.0)
    if not lockstep:
        ints, reals = K.pack(prob, alg, 0)
        ks = keys(1, "bench", f"k{k}", name)

        def one_run(n):
            out = outputs(n, prob, 0)
            with numba_threads(threads):
                K.KERNELS[name](ks, np.int64(0), ints, reals, out)

        one_run(2)  # compile/load
        return _best(lambda: one_run(runs), repeats)
    kw = dict(seed=1, experiment="bench", cell=f"k{k}", n_runs=runs, threads=threads)
    simulate(prob, Algorithm(**{**alg.__dict__, "iters_per_epoch": 2}), **{**kw, "n_runs": 2})  # compile/load
    return _best(lambda: simulate(prob, alg, **kw), repeats)


def time_numpy(name: str, k: int, runs: int, iters: int, repeats: int = 3) -> float:
    numpy_reference(name, 4, k, 2)
    return _best(lambda: numpy_reference(name, runs, k, iters), repeats)


def time_numpy_multi(name: str, m: int, k: int, runs: int, iters: int, repeats: int = 3) -> float:
    numpy_multi_reference(name, 4, m, k, 2)
    return _best(lambda: numpy_multi_reference(name, runs, m, k, iters), repeats)


@numba.njit(cache=False)  # not cached: numba would keep a stale copy of fill_normals inlined here
def _fill_repeatedly(st, buf, reps):
    acc = 0.0
    for _ in range(reps):
        R.fill_normals(st, buf, 0, buf.shape[0])
        acc += buf[0]
    return acc


@numba.njit(cache=False)  # not cached, as above
def _lockstep_repeatedly(st, buf, reps):
    acc = 0.0
    for _ in range(reps):
        G.lockstep_fill(st, buf, buf.shape[0] // G.L)
        acc += buf[0]
    return acc


def raw_generator(block: int = 1024, reps: int = 4000, repeats: int = 5) -> dict:
    """Throughput of the kernels' own normal generator on one core, filling an in-cache
    block as the kernels do (a large buffer would measure memory bandwidth instead): one run's
    stream (``ns_per_normal``, the one-run kernels' generator) and 8 runs' streams in lock-step
    (``lockstep_ns_per_normal``, the lock-step kernels' generator, 800 normals per call as SGD
    draws them at k = 100)."""
    st = np.empty(4, np.uint64)
    R.seed_state(np.uint64(1), 0, st)
    buf = np.empty(block)
    _fill_repeatedly(st, buf, 2)
    sec = _best(lambda: _fill_repeatedly(st, buf, reps), repeats)
    n = block * reps
    lanes = np.empty(4 * G.L, np.uint64)
    for lane in range(G.L):
        R.seed_state(np.uint64(1), lane, st)
        lanes[lane::G.L] = st
    lbuf = np.empty(800 * G.L)
    _lockstep_repeatedly(lanes, lbuf, 2)
    lreps = max(1, n // lbuf.size)
    lsec = _best(lambda: _lockstep_repeatedly(lanes, lbuf, lreps), repeats)
    gen = np.random.default_rng(0)
    out = np.empty(block)
    ref = _best(lambda: [gen.standard_normal(out=out) for _ in range(reps // 10)], repeats) * 10
    return {"ns_per_normal": sec / n * 1e9, "normals_per_second": n / sec, "numpy_ns_per_normal": ref / n * 1e9,
            "lockstep_ns_per_normal": lsec / (lreps * lbuf.size) * 1e9}


def multi_cost(k: int, m: int, name: str, runs: int, iters: int, threads: int, repeats: int = 2) -> float:
    """ns per run-iteration per core of the m-filter kernels."""
    # η/m as in the study (a fixed η diverges for large m, and a diverged run stops early)
    alg = Algorithm("gd", init="random", iters_per_epoch=iters, eta0=0.1 / m) if name == "gd" else \
        Algorithm("pgd", iters_per_epoch=iters, rho_w=36.0, rho_a=1.0, eta0=0.1 / m)
    prob = Problem(k=k, r=0.0)
    kw = dict(keys=keys(1, "bench", "c", name), run_start=0, threads=threads)
    simulate_multi(prob, Algorithm(**{**alg.__dict__, "iters_per_epoch": 2}), m, n_runs=2, **kw)
    last = {}

    def go():
        last["res"] = simulate_multi(prob, alg, m, n_runs=runs, **kw)

    sec = _best(go, repeats)
    if not np.all(last["res"]["status"] == 0):  # a diverged run stops early and would flatter the time
        raise RuntimeError(f"m-filter benchmark runs diverged (m={m}, k={k}, {name})")
    return sec * threads / (runs * iters) * 1e9


# A simulation job's Python part, as Snakemake runs it (its script preamble unpickles the job's
# `snakemake` object, importing snakemake.script), with the job's compute left in.
_JOB_SCRIPT = r"""
import json, sys
import snakemake.script
from noisecnn.experiments.runner import run_simulation
from noisecnn.workflow import log_to
with log_to(sys.argv[3], rule="job_fixed_cost", threads=1):
    run_simulation(json.loads(sys.argv[1]), sys.argv[2], threads=1)
"""


def fixed_cost_job(runs: int = 200, iters: int = 2000) -> dict:
    """A small simulation job (GD, k = 25, as small as the smallest sweep points), the same
    whatever the configuration: the per-job fixed cost does not depend on it."""
    from noisecnn.specs import kernel_version

    alg = Algorithm(**{**ALGS["gd"].__dict__, "iters_per_epoch": iters, "epochs": 1})
    return {"experiment": "bench", "label": "gd", "cell": "k25-r0", "problem": Problem(k=25, r=0.0).to_dict(),
            "algorithm": alg.to_dict(), "seed": 1, "run_start": 0, "n_runs": runs, "stride": 0, "backend": "cpu",
            "kernel_version": kernel_version()}


def job_fixed_cost(bench: dict, concurrent: int, repeats: int = 3) -> dict:
    """Seconds a simulation job costs beyond its kernel: a fresh Python (``sys.executable``)
    runs :func:`fixed_cost_job` as a workflow job does (Snakemake's script preamble, the
    imports, the kernel from the numba cache, the shard and its log written), ``concurrent``
    such processes at once (as many as the workflow keeps busy), best of ``repeats``; minus
    the job's own kernel time at the per-core costs in ``bench``.  Snakemake's own part
    (starting the process, checking the output) is not in it."""
    import subprocess
    import tempfile

    from noisecnn.experiments.plan import cost_plan

    job = fixed_cost_job()
    compute_s = sum(_core_seconds(bench, cost_plan({"job": {"job": job}}), busy_threads(bench, concurrent)).values())

    walls = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "NUMBA_NUM_THREADS": "1"}
        for rep in range(repeats):
            t0 = time.perf_counter()
            procs = [subprocess.Popen([sys.executable, "-c", _JOB_SCRIPT, json.dumps(job),
                                       f"{tmp}/{rep}_{i}.npz", f"{tmp}/{rep}_{i}.log"], env=env)
                     for i in range(concurrent)]
            if any(pr.wait() for pr in procs):
                raise RuntimeError(f"the fixed-cost job failed: see {tmp}")
            walls.append(time.perf_counter() - t0)
    return {"seconds": max(0.0, min(walls) - compute_s), "wall_s": min(walls), "compute_s": compute_s,
            "concurrent": concurrent, "algorithm": "gd", "k": job["problem"]["k"], "runs": job["n_runs"],
            "iterations": job["algorithm"]["iters_per_epoch"]}


def escape_model_costs(repeats: int = 3) -> dict:
    """Seconds per unit of the reduced model's work (rule escape_model, counted by
    :func:`noisecnn.experiments.escape_times.plan.work`), one core: per mini-batch gradient
    and per patch drawn of :func:`reduced.sgd_chain` (one φ, batch 4, at k = 25 and k = 100:
    cost = gradients × (c₀ + c₁ × batch × k)), per ξ sample × φ of the perturbed-GD moments
    and G_ρ, and per path-step of the compiled chain (a chain that never escapes: every path
    runs its whole budget)."""
    from noisecnn import reduced
    from noisecnn.experiments.escape_times.model import _phis

    n, batch, phi = 2000, 4, 2.5
    samples = max(500, n // 4) + n
    sec = {}
    for k in (25, 100):
        astar = reduced.teacher(k, 0.0, 1.0)
        sec[k] = _best(lambda: reduced.sgd_chain([phi], astar, 0.1, batch, 6, n=n, seed=1), repeats)
    per_patch = max(0.0, (sec[100] - sec[25]) / (samples * batch * 75))
    per_sample = max(0.0, sec[25] / samples - per_patch * batch * 25)
    phis, mc = _phis(91), 20_000
    pgd = _best(lambda: (reduced.perturbed_moments(phis, 36.0, 6, mc, 1), reduced.smoothed_G(phis, 36.0, 6, mc, 2)),
                repeats)
    chain = reduced.pgd_chain(phis, reduced.teacher(100, 0.0, 1.0), 0.0, 0.0, 0.1, 6)  # no noise: never escapes
    paths, budget = 200, 2000
    reduced.simulate_chain(chain, 2, 2)  # compile
    steps = _best(lambda: reduced.simulate_chain(chain, paths, budget, seed=1), repeats)
    return {"sgd_samples": per_sample, "sgd_sample_patches": per_patch,
            "pgd_sample_angles": pgd / (2 * mc * phis.size), "path_steps": steps / (paths * budget)}


def cpu_name() -> str:
    """The CPU's model name with its family and model numbers (Linux: /proc/cpuinfo), so that
    measurements from different machines sold under one name (e.g. "AMD EPYC") tell apart."""
    try:
        with open("/proc/cpuinfo") as fh:
            info = {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in fh if ":" in line)}
        return f"{info['model name']} (family {info['cpu family']}, model {info['model']})"
    except (OSError, KeyError, ValueError):
        return platform.processor() or platform.machine()


# ---------------------------------------------------------------------------- suite
def suite(ks=(25, 100), runs: int = 64, iters: int = 2000, np_runs: int = 64, np_iters: int = 300,
          thread_counts=(1, 2), repeats: int = 3) -> dict:
    out = {"machine": {"python": platform.python_version(), "numba": numba.__version__, "numpy": np.__version__,
                       "cpu": cpu_name(), "cores": len(os.sched_getaffinity(0))},
           "settings": {"runs": runs, "iters": iters, "numpy_runs": np_runs, "numpy_iters": np_iters,
                        "repeats": repeats},
           "generator": raw_generator(), "kernels": []}
    raw, lock = out["generator"]["ns_per_normal"], out["generator"]["lockstep_ns_per_normal"]
    for name in ALGS:
        for k in ks:
            ref = time_numpy(name, k, np_runs, np_iters, repeats) / (np_runs * np_iters) * 1e9
            for t in thread_counts:
                if t > numba.config.NUMBA_NUM_THREADS:
                    continue
                sec = time_kernel(name, k, runs, iters, t, repeats)
                per_core = sec * t / (runs * iters) * 1e9
                nn = normals_per_iteration(name, k)
                row = {"algorithm": name, "k": k, "threads": t, "ns_per_run_iter_per_core": per_core,
                       "numpy_ns_per_run_iter": ref, "ratio_vs_numpy": ref / per_core,
                       "normals_per_iter": nn}
                if runs_in_lockstep(name):  # the one-run kernel too, for the jobs that use it
                    row["one_run_ns_per_run_iter_per_core"] = (time_kernel(name, k, runs // 4, iters, t, repeats, False)
                                                               * t / (runs // 4 * iters) * 1e9)
                if nn:
                    row["ns_per_normal_consumed"] = per_core / nn
                    # against the generator the kernel draws from
                    row["efficiency_vs_generator"] = (lock if runs_in_lockstep(name) else raw) / (per_core / nn)
                out["kernels"].append(row)
    # the m-filter kernels with each thread count too: the projection needs a core's cost
    # while the other cores are busy (shared caches and memory, the clock under load)
    out["multi"] = []
    for a in ("gd", "pgd"):
        for m in (1, 8):
            for k in ks:
                ref = time_numpy_multi(a, m, k, np_runs, np_iters, repeats) / (np_runs * np_iters) * 1e9
                for t in thread_counts:
                    if t <= numba.config.NUMBA_NUM_THREADS:
                        per_core = multi_cost(k, m, a, 16 * t, 500, t)
                        out["multi"].append({"algorithm": a, "m": m, "k": k, "threads": t,
                                             "ns_per_run_iter_per_core": per_core,
                                             "numpy_ns_per_run_iter": ref, "ratio_vs_numpy": ref / per_core})
    return out


def _cost(bench: dict, name: str, k: float, threads: int, lockstep: bool = True) -> float:
    """ns per run-iteration per core at k, linear in k through the measured points; in the
    one-run kernel if not ``lockstep`` (when measured)."""
    field = "ns_per_run_iter_per_core"
    rows = [r for r in bench["kernels"] if r["algorithm"] == name and r["threads"] == threads]
    if not lockstep and all("one_run_" + field in r for r in rows):
        field = "one_run_" + field
    pts = sorted((r["k"], r[field]) for r in rows)
    (k0, c0), (k1, c1) = pts[0], pts[-1]
    return c0 + (c1 - c0) * (k - k0) / (k1 - k0) if k1 != k0 else c0


def _multi_cost(bench: dict, name: str, m: int, k: float, threads: int) -> float:
    pts = {(r["m"], r["k"]): r["ns_per_run_iter_per_core"] for r in bench["multi"]
           if r["algorithm"] == name and r.get("threads", 1) == threads}
    ks = sorted({kk for (_, kk) in pts})
    ms = sorted({mm for (mm, _) in pts})

    def at(mm):
        c0, c1 = pts[(mm, ks[0])], pts[(mm, ks[-1])]
        return c0 + (c1 - c0) * (k - ks[0]) / (ks[-1] - ks[0]) if ks[-1] != ks[0] else c0

    # cost grows like m² (pairs of filters) between the measured m values
    a0, a1 = at(ms[0]), at(ms[-1])
    frac = (m * m - ms[0] ** 2) / (ms[-1] ** 2 - ms[0] ** 2) if ms[-1] != ms[0] else 0.0
    return a0 + (a1 - a0) * frac


def busy_threads(bench: dict, cores: int) -> int:
    """The measured thread count whose per-core costs hold in a workflow run with ``--cores``:
    Snakemake keeps min(cores, machine cores) cores busy whatever the threads per job, and a
    core computes more slowly while its neighbours are busy (shared caches and memory, the
    clock under load: 10-13 % here), so the costs measured with that many threads; else the
    largest measured count below it."""
    busy = min(cores, bench["machine"]["cores"])
    measured = {r["threads"] for r in bench["kernels"]}
    return max([t for t in measured if t <= busy] or [1])


def _core_seconds(bench: dict, plan: list[dict], measured: int) -> dict[str, float]:
    """Σ runs × iterations × per-core cost over the plan's jobs, per experiment/algorithm, with
    the kernel costs measured at ``measured`` threads (m-filter: at 1 if not measured there)."""
    measured_multi = measured if any(r.get("threads", 1) == measured for r in bench.get("multi", [])) else 1
    core_s: dict[str, float] = {}
    for job in plan:
        kind = job["algorithm"] if job["algorithm"] in ALGS else "pgd"
        if job.get("m") is not None:
            cost = _multi_cost(bench, kind, job["m"], job["k"], measured_multi)
        else:
            cost = (_cost(bench, kind, job["k"], measured, job.get("lockstep", True))
                    * (job["batch"] / 4 if kind == "sgd" else 1.0))
        key = f"{job['experiment']}/{job['algorithm']}"
        core_s[key] = core_s.get(key, 0.0) + job["runs"] * job["iterations"] * cost * 1e-9
    return core_s


def project(bench: dict, plan: list[dict], cores: int, threads: int = 1, job_fixed_s: float | None = None,
            compile_s: float = 0.0, escape_work: dict | None = None) -> dict:
    """Projected wall time of the planned workflow on this machine with ``--cores``: Σ runs ×
    iterations × cost(k) over every simulation job (``plan``: experiment, algorithm, k, m,
    runs, iterations, batch), plus the one-off jobs, divided by min(cores, machine cores), plus
    every simulation job's fixed cost (start, imports, cache load, writing: ``job_fixed_s``, by
    default as the benchmark job measured it, :func:`job_fixed_cost`, single-threaded, while the
    job holds ``threads`` cores).  The one-off jobs: compiling the kernels (``compile_s``, as
    the compile jobs measured it: they run before the projection) and the escape model
    (``escape_work``, its units of work counted by
    :func:`noisecnn.experiments.escape_times.plan.work`, × their measured one-core costs,
    :func:`escape_model_costs`; its chain's path-steps are an upper bound, a path stops when
    it escapes).  Kernel costs are per core with every core busy (:func:`busy_threads`);
    ``projected_wall_s_idle`` is the same with the one-thread costs (each core as fast as with
    its neighbours idle): on a shared virtual machine the busy cores' speed varies from hour to
    hour, most of the time between these two.  Not projected: the reports, figures and the
    paper (about 2 %) and Snakemake's own scheduling."""
    measured = busy_threads(bench, cores)
    core_s = _core_seconds(bench, plan, measured)
    one_off = {"compile_kernels": compile_s} if compile_s else {}
    if escape_work:
        unit = bench["escape_model"]
        one_off["escape_model"] = sum(n * unit[name] for name, n in escape_work.items())
    if job_fixed_s is None:
        job_fixed_s = bench["job_fixed"]["seconds"]
    machine = min(cores, bench["machine"]["cores"])
    compute = sum(core_s.values()) / machine
    idle = sum(_core_seconds(bench, plan, 1).values()) / machine
    extra = sum(one_off.values()) / machine
    overhead = len(plan) * job_fixed_s * threads / max(1, machine)
    return {"cores": cores, "machine_cores": machine, "core_seconds": core_s, "jobs": len(plan),
            "one_off_core_seconds": one_off, "projected_one_off_s": extra,
            "projected_wall_s": compute + extra + overhead, "projected_compute_s": compute,
            "projected_overhead_s": overhead, "projected_wall_s_idle": idle + extra + overhead, "threads": threads,
            "job_fixed_s": job_fixed_s, "cost_threads": measured}


def scaling(ks=(10, 25, 50, 100, 200), run_counts=(16, 64, 256, 1024), iters: int = 500,
            thread_counts=(1, 2), gpu: bool = False) -> list[dict]:
    """Time versus k (at 256 runs) and versus the number of runs (at k = 50)."""
    rows = []
    for name in ALGS:
        for t in thread_counts:
            if t > numba.config.NUMBA_NUM_THREADS:
                continue
            for k in ks:
                rows.append({"algorithm": name, "backend": f"cpu-{t}", "k": k, "runs": 256,
                             "seconds": time_kernel(name, k, 256, iters, t, repeats=2), "iters": iters})
            for n in run_counts:
                rows.append({"algorithm": name, "backend": f"cpu-{t}", "k": 50, "runs": n,
                             "seconds": time_kernel(name, 50, n, iters, t, repeats=2), "iters": iters})
    return rows


def plot_scaling(rows: list[dict], pdf, png) -> None:
    import matplotlib.pyplot as plt

    from noisecnn import plotting

    with plotting.style():
        fig, axes = plt.subplots(1, 2, figsize=(plotting.TEXT, 3.0), layout="constrained")
        backends = sorted({r["backend"] for r in rows})
        styles = {b: ls for b, ls in zip(backends, ["-", "--", ":", "-."])}
        for name in ALGS:
            color = plotting.ALGO_COLOR[name]
            for b in backends:
                sk = sorted((r["k"], r["seconds"]) for r in rows if r["algorithm"] == name and r["backend"] == b
                            and r["runs"] == 256)
                sn = sorted((r["runs"], r["seconds"]) for r in rows if r["algorithm"] == name and r["backend"] == b
                            and r["k"] == 50)
                lab = f"{plotting.ALGO_LABEL[name]}, {b}"
                if sk:
                    axes[0].plot(*zip(*sk), marker="o", ms=2.5, color=color, ls=styles[b], label=lab)
                if sn:
                    axes[1].plot(*zip(*sn), marker="o", ms=2.5, color=color, ls=styles[b], label=lab)
        from matplotlib.ticker import NullFormatter

        for ax, xl, key in zip(axes, ("k (256 runs)", "runs (k = 50)"), ("k", "runs")):
            ax.set_xscale("log")
            ax.set_yscale("log")
            vals = sorted({r[key] for r in rows if (r["runs"] == 256 if key == "k" else r["k"] == 50)})
            ax.set_xticks(vals, [str(v) for v in vals])
            ax.xaxis.set_minor_formatter(NullFormatter())
            ax.set_xlabel(xl)
            ax.set_ylabel(f"seconds for {rows[0]['iters']} iterations")
            # a slope-1 guide through the smallest SGD point: linear cost
            pts = sorted((r[key], r["seconds"]) for r in rows if r["algorithm"] == "sgd" and r["backend"] == "cpu-1"
                         and (r["runs"] == 256 if key == "k" else r["k"] == 50))
            if pts:
                x = np.array([pts[0][0], pts[-1][0]], float)
                ax.plot(x, pts[0][1] * x / x[0] * 0.5, color="0.6", lw=0.6, label="slope 1 (linear cost)")
        handles, labels = axes[1].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncol=3)
        plotting.save(fig, pdf, png, name="scaling")


def gpu_table1(jobs: dict) -> dict:
    """Kernel time (CUDA events) of every Table-1 job (``jobs``: {path: job}) on the GPU."""
    from noisecnn import gpu
    from noisecnn.kernels import pack
    from noisecnn.simulate import outputs

    total: dict[str, float] = {}
    for job in jobs.values():
        prob = Problem.from_dict(job["problem"])
        alg = Algorithm.from_dict(job["algorithm"])
        ints, reals = pack(prob, alg, 0)
        sec = gpu.run(alg.name, keys(1, "bench", "c", alg.name), 0, ints, reals, outputs(job["n_runs"], prob, 0))
        total[alg.name] = total.get(alg.name, 0.0) + sec
    return {"kernel_seconds": total, "total_kernel_seconds": sum(total.values())}


def report(b: dict) -> str:
    lines = [f"generator: {b['generator']['ns_per_normal']:.2f} ns per normal per core "
             f"({b['generator']['normals_per_second'] / 1e6:.0f} M/s; NumPy's default_rng "
             f"{b['generator']['numpy_ns_per_normal']:.2f} ns)", "",
             f"{'alg':4} {'k':>4} {'thr':>3} {'ns/run-iter/core':>17} {'numpy ns':>9} {'ratio':>6} "
             f"{'ns/normal':>9} {'eff. vs gen':>11}"]
    for r in b["kernels"]:
        lines.append(f"{r['algorithm']:4} {r['k']:>4} {r['threads']:>3} {r['ns_per_run_iter_per_core']:>17.1f} "
                     f"{r['numpy_ns_per_run_iter']:>9.1f} {r['ratio_vs_numpy']:>6.1f} "
                     f"{r.get('ns_per_normal_consumed', float('nan')):>9.2f} "
                     f"{r.get('efficiency_vs_generator', float('nan')):>11.0%}")
    if b.get("multi"):
        lines.append("")
        for r in b["multi"]:
            ratio = (f" (NumPy {r['numpy_ns_per_run_iter']:.0f} ns, ratio {r['ratio_vs_numpy']:.1f})"
                     if "ratio_vs_numpy" in r else "")
            lines.append(f"m-filter {r['algorithm']:3} m={r['m']} k={r['k']} threads={r.get('threads', 1)}: "
                         f"{r['ns_per_run_iter_per_core']:.0f} ns per run-iteration per core{ratio}")
    if b.get("gpu"):
        g = b["gpu"]
        lines += ["", f"GPU ({g.get('device', '?')}): Table 1 kernel time {g['total_kernel_seconds']:.1f} s "
                      f"({g['runs_per_cell']} runs per cell): "
                      + ", ".join(f"{k} {v:.1f} s" for k, v in g["kernel_seconds"].items())]
    if b.get("job_fixed"):
        f = b["job_fixed"]
        lines += ["", f"per-job fixed cost: {f['seconds']:.2f} s ({f['concurrent']} jobs at once: "
                      f"{f['wall_s']:.2f} s of wall, {f['compute_s']:.3f} s of it the kernel; GD, k = {f['k']}, "
                      f"{f['runs']} runs × {f['iterations']} iterations)"]
    if b.get("escape_model"):
        e = b["escape_model"]
        lines += ["", "escape model, one core: " + ", ".join(f"{k} {v * 1e9:.1f} ns" for k, v in e.items())]
    if b.get("projection"):
        p = b["projection"]
        lines += ["", f"projected `snakemake --cores {p['cores']}` at paper scale on this machine "
                      f"({p['machine_cores']} cores): {p['projected_wall_s'] / 60:.1f} min "
                      f"(compute {p['projected_compute_s'] / 60:.1f} min, {p['jobs']} simulation jobs; "
                      f"one-off jobs {p.get('projected_one_off_s', 0.0) / 60:.1f} min; "
                      f"{p.get('projected_wall_s_idle', float('nan')) / 60:.1f} min at the one-thread costs)"]
        for key, v in {**p["core_seconds"], **p.get("one_off_core_seconds", {})}.items():
            lines.append(f"  {key:16} {v / 60:7.1f} core-minutes")
    return "\n".join(lines)


def macros(b: dict) -> dict:
    """Numbers quoted in the bundle's performance paragraph."""
    from noisecnn.latex import macro_name

    out = {"BenchGeneratorNs": f"{b['generator']['ns_per_normal']:.2f}",
           "BenchLockstepGeneratorNs": f"{b['generator'].get('lockstep_ns_per_normal', float('nan')):.2f}",
           "BenchNumpyGeneratorNs": f"{b['generator']['numpy_ns_per_normal']:.2f}"}
    for r in b["kernels"]:
        if r["threads"] == 1:
            key = macro_name("Bench", r["algorithm"], "k", r["k"])
            out[key + "Ns"] = f"{r['ns_per_run_iter_per_core']:.0f}"
            out[key + "Ratio"] = f"{r['ratio_vs_numpy']:.1f}"
            if "efficiency_vs_generator" in r:
                out[key + "Efficiency"] = f"{100 * r['efficiency_vs_generator']:.0f}"
    for r in b.get("multi", []):
        if r.get("threads", 1) == 1 and "ratio_vs_numpy" in r:
            key = macro_name("BenchMulti", r["algorithm"], "m", r["m"], "k", r["k"])
            out[key + "Ns"] = f"{r['ns_per_run_iter_per_core']:.0f}"
            out[key + "Ratio"] = f"{r['ratio_vs_numpy']:.1f}"
    p = b.get("projection")
    if p:
        def minutes(seconds: float) -> str:
            return f"{seconds / 60:.0f}" if seconds >= 600 else f"{seconds / 60:.1f}"

        out["BenchProjectedMinutes"] = minutes(p["projected_wall_s"])
        out["BenchProjectedIdleMinutes"] = minutes(p.get("projected_wall_s_idle", p["projected_wall_s"]))
        out["BenchProjectedCores"] = str(p["cores"])
        out["BenchJobFixedSeconds"] = f"{p['job_fixed_s']:.2f}"
        out["BenchMachineCores"] = str(p["machine_cores"])
    return out


def main(options: dict, out_json, figure=None, table1_jobs: dict | None = None) -> dict:
    """The measurements; ``options``: quick, gpu."""
    from noisecnn.io import write_json

    kw = dict(runs=16, iters=300, np_runs=16, np_iters=50, repeats=1) if options["quick"] else {}
    b = suite(**kw)
    b["escape_model"] = escape_model_costs(repeats=1 if options["quick"] else 3)
    b["job_fixed"] = job_fixed_cost(b, b["machine"]["cores"])
    if options["gpu"]:
        from noisecnn.backend import cuda_usable

        ok, why = cuda_usable()
        b["gpu"] = {"device": why, **gpu_table1(table1_jobs or {})} if ok else None
        if not ok:
            print(f"no GPU timing: {why}")
    if figure:
        rows = scaling(iters=100 if options["quick"] else 500,
                       ks=(10, 25, 50) if options["quick"] else (10, 25, 50, 100, 200),
                       run_counts=(16, 64) if options["quick"] else (16, 64, 256, 1024))
        b["scaling"] = rows
        plot_scaling(rows, figure, str(figure).rsplit(".", 1)[0] + ".png")
    write_json(out_json, b)
    print(report(b))
    return b
