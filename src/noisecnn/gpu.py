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


def _cuda_kernel(body):
    """A CUDA kernel running the per-run ``body`` (kernels.gd_run, ...) on one thread per run."""

    @cuda.jit
    def kernel(keys, run0, ints, reals, ST, POOL, out_w, out_a, out_wstar, out_astar, out_sc, out_status, traj):
        i = cuda.grid(1)
        if i < out_w.shape[0]:
            out = (whole(out_w), whole(out_a), whole(out_wstar), whole(out_astar), whole(out_sc), whole(out_status),
                   whole(traj))
            body(i, run0 + i, whole(keys), whole(ints), whole(reals), col(ST, i), col(POOL, i), out)

    return kernel


KERNELS = {"gd": _cuda_kernel(K.gd_run), "pgd": _cuda_kernel(K.pgd_run), "sgd": _cuda_kernel(K.psgd_run),
           "psgd": _cuda_kernel(K.psgd_run)}


def run(name: str, keys, run_start: int, ints, reals, out: tuple, synchronize: bool = True) -> float:
    """Run one shard of algorithm ``name`` on the GPU, writing into the host arrays ``out``
    (kernels.OUTPUTS order).  Returns the kernel time in seconds (CUDA events; wall clock
    in the simulator)."""
    import time

    n, p = out[0].shape
    k = out[1].shape[1]
    ST = cuda.device_array((4, n), dtype=np.uint64)
    POOL = cuda.device_array((int(K.pool_size(p, k)), n), dtype=np.float64)
    dev = [cuda.to_device(x) for x in out]
    args = (cuda.to_device(np.asarray(keys, np.uint64)), np.int64(run_start), cuda.to_device(ints),
            cuda.to_device(reals), ST, POOL, *dev)
    blocks = (n + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK
    kernel = KERNELS[name]
    if SIMULATOR:
        t0 = time.perf_counter()
        kernel[blocks, THREADS_PER_BLOCK](*args)
        elapsed = time.perf_counter() - t0
    else:
        start, stop = cuda.event(), cuda.event()
        start.record()
        kernel[blocks, THREADS_PER_BLOCK](*args)
        stop.record()
        stop.synchronize()
        elapsed = cuda.event_elapsed_time(start, stop) / 1e3
    for d, host in zip(dev, out):
        d.copy_to_host(host)
    return elapsed
