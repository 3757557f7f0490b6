"""CUDA backend (numba-cuda): the CPU kernels' per-run bodies, one GPU thread per run.

Every thread runs :func:`kernels.gd_run` / ``pgd_run`` / ``psgd_run`` - the very
functions the CPU kernels call - on its own column of device scratch arrays (column
views: neighbouring threads touch neighbouring addresses, so memory accesses coalesce).
Each run keeps the per-run random streams of the CPU backend (same keys, same
generator, same order of draws).  Results are not bit-identical to the CPU (different
compilers, FMA contraction, the GPU's math library), only statistically identical; the
tests compare them within binomial error.

Select it with ``backend: cuda`` (or ``auto``) in the config.  Without a usable GPU,
``auto`` falls back to the CPU and says so; ``cuda`` stops with a clear message.  Under
``NUMBA_ENABLE_CUDASIM=1`` the same kernels run in numba's CUDA simulator (slow, but it
checks the kernels' logic on machines without a GPU: that is what CI does).
"""

from __future__ import annotations

import numpy as np

if not hasattr(np, "row_stack"):  # numba-cuda 0.30 still calls np.row_stack (gone in NumPy 2.5)
    np.row_stack = np.vstack

from numba import config as numba_config  # noqa: E402
from numba import cuda  # noqa: E402

from . import kernels as K  # noqa: E402

THREADS_PER_BLOCK = 128
SIMULATOR = bool(numba_config.ENABLE_CUDASIM)

if SIMULATOR:
    # The simulator runs the kernels as Python and hands them wrapped arrays; the shared
    # per-run bodies are CPU-compiled, so give them the NumPy arrays underneath.
    def _host(x):
        return getattr(x, "_ary", x)

    def col(x, i):
        return _host(x)[:, i]

    def whole(x):
        return _host(x)

else:

    @cuda.jit(device=True, inline=True)
    def col(x, i):
        return x[:, i]

    @cuda.jit(device=True, inline=True)
    def whole(x):
        return x


@cuda.jit
def gd_cuda(tkey, akey, run0, r, scale, teacher_kind, init_kind, iters, eta, stride, ST, POOL,
            out_w, out_a, out_wstar, out_astar, out_sc, out_status, traj):
    i = cuda.grid(1)
    if i < out_w.shape[0]:
        K.gd_run(i, run0 + i, tkey, akey, r, scale, teacher_kind, init_kind, iters, eta, stride, col(ST, i),
                 col(POOL, i), whole(out_w), whole(out_a), whole(out_wstar), whole(out_astar), whole(out_sc),
                 whole(out_status), whole(traj))


@cuda.jit
def pgd_cuda(tkey, akey, run0, r, scale, teacher_kind, init_kind, epochs, iters, iters0, eta0, gamma_eta,
             rho_w0, rho_a0, gamma_rho, reading, stride, ST, POOL,
             out_w, out_a, out_wstar, out_astar, out_sc, out_status, traj):
    i = cuda.grid(1)
    if i < out_w.shape[0]:
        K.pgd_run(i, run0 + i, tkey, akey, r, scale, teacher_kind, init_kind, epochs, iters, iters0, eta0,
                  gamma_eta, rho_w0, rho_a0, gamma_rho, reading, stride, col(ST, i), col(POOL, i),
                  whole(out_w), whole(out_a), whole(out_wstar), whole(out_astar), whole(out_sc),
                  whole(out_status), whole(traj))


@cuda.jit
def sgd_cuda(tkey, akey, run0, r, scale, teacher_kind, init_kind, epochs, iters, eta0, gamma_eta,
             batch, sampler, stride, ST, POOL,
             out_w, out_a, out_wstar, out_astar, out_sc, out_status, traj):
    i = cuda.grid(1)
    if i < out_w.shape[0]:
        K.psgd_run(i, run0 + i, tkey, akey, r, scale, teacher_kind, init_kind, epochs, iters, iters, eta0,
                   gamma_eta, 0.0, 0.0, 1.0, 0, batch, sampler, np.inf, stride, col(ST, i), col(POOL, i),
                   whole(out_w), whole(out_a), whole(out_wstar), whole(out_astar), whole(out_sc),
                   whole(out_status), whole(traj))


@cuda.jit
def psgd_cuda(tkey, akey, run0, r, scale, teacher_kind, init_kind, epochs, iters, iters0, eta0, gamma_eta,
              rho_w0, rho_a0, gamma_rho, reading, batch, sampler, radius_a, stride, ST, POOL,
              out_w, out_a, out_wstar, out_astar, out_sc, out_status, traj):
    i = cuda.grid(1)
    if i < out_w.shape[0]:
        K.psgd_run(i, run0 + i, tkey, akey, r, scale, teacher_kind, init_kind, epochs, iters, iters0, eta0,
                   gamma_eta, rho_w0, rho_a0, gamma_rho, reading, batch, sampler, radius_a, stride, col(ST, i),
                   col(POOL, i), whole(out_w), whole(out_a), whole(out_wstar), whole(out_astar), whole(out_sc),
                   whole(out_status), whole(traj))


KERNELS = {"gd": gd_cuda, "pgd": pgd_cuda, "sgd": sgd_cuda, "psgd": psgd_cuda}
OUTPUTS = ("out_w", "out_a", "out_wstar", "out_astar", "out_sc", "out_status", "traj")


def run(problem, algorithm, tkey, akey, run_start: int, stride: int, out: dict, synchronize: bool = True) -> float:
    """Run one shard on the GPU, writing into the host arrays of ``out``.

    Returns the kernel time in seconds (CUDA events; wall clock in the simulator)."""
    import time

    from .simulate import kernel_args

    name, args = kernel_args(problem, algorithm, tkey, akey, run_start, stride)
    n, p = out["out_w"].shape
    k = out["out_a"].shape[1]
    ST = cuda.device_array((4, n), dtype=np.uint64)
    POOL = cuda.device_array((int(K.pool_size(p, k)), n), dtype=np.float64)
    dev = {key: cuda.to_device(out[key]) for key in OUTPUTS}
    blocks = (n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK
    kernel = KERNELS[name]
    if SIMULATOR:
        t0 = time.perf_counter()
        kernel[blocks, THREADS_PER_BLOCK](*args, ST, POOL, *(dev[key] for key in OUTPUTS))
        elapsed = time.perf_counter() - t0
    else:
        start, stop = cuda.event(), cuda.event()
        start.record()
        kernel[blocks, THREADS_PER_BLOCK](*args, ST, POOL, *(dev[key] for key in OUTPUTS))
        stop.record()
        stop.synchronize()
        elapsed = cuda.event_elapsed_time(start, stop) / 1e3
    for key in OUTPUTS:
        dev[key].copy_to_host(out[key])
    return elapsed
