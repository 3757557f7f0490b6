"""The one decorator every compiled function uses, and the numba cache's key.

* ``error_model="numpy"``: a division by zero gives inf/NaN instead of raising, so a
  diverging run is recorded as diverged, never a crash.
* No fast-math flags.  Re-association and FMA contraction let LLVM reorder sums and fuse
  multiply-adds differently depending on what it inlines, and that depends on whether a
  callee was compiled in this process or loaded from the cache: the same call then gave
  different bits (up to 6e-14 in φ) after a cache purge.  Without them every operation is
  IEEE-rounded exactly as written, so results are bit-identical whatever the cache state,
  the compile order, the thread count or the shard size (SPEC §8; tested in subprocesses).
  Long sums use a fixed number of interleaved partial sums instead (multi.multi_grad,
  kernels.sgd_grad): the order is written out, so the compiler may not change it.
* Intel SVML is disabled (noisecnn/__init__.py) for the same reason: a vectorised loop
  would call different math functions than its scalar remainder.
* LLVM's SLP vectoriser is switched on (numba's default is off).  It packs independent
  scalar chains that do the same operations, such as the interleaved partial sums, into one
  vector instruction per step; every lane still performs exactly the scalar operations in
  the written order, so the bits do not change (checked by the determinism tests), only the
  speed: the m-filter gradient at m = 8, k = 100 runs about 20 % faster.  numba reads the
  flag whenever it optimises a module, so setting it here, before any kernel is compiled,
  is enough; it is part of the cache key below.  It is also set in the environment
  (noisecnn/__init__.py): numba re-reads its configuration from the environment before a
  compilation whenever the environment changed after numba's import, so in a process that
  imported numba first the flag set here alone was reset to 0 and the lock-step generator
  compiled 1.6x slower (same bits; tests/test_determinism.py).
* No BLAS probe.  numba's first compilation or cache load in a process imports
  ``numba.np.arraymath``, which imports ``scipy.linalg`` (0.2 s, a fifth of a short job's
  fixed cost) only to decide whether its ``np.dot``-style helpers may call BLAS.  No compiled
  function here uses them, so arraymath is imported once, here, with the probe answering
  "no BLAS" (its generic loops are used instead); numba's linear algebra itself (np.linalg
  in compiled code, which none of ours uses) still checks for BLAS when it compiles.
"""

import hashlib
import sys
from pathlib import Path

import numba
from numba import njit

from .specs import KERNEL_SOURCES, PACKAGE

OPTIONS = {"cache": True, "error_model": "numpy", "fastmath": False}
numba.config.SLP_VECTORIZE = 1


def _fingerprint() -> str:
    """Numba's on-disk cache checks only each function's own source file, not the files of
    the functions it calls nor the decorator's options: editing rng.py would leave stale
    machine code for the kernels.  So the cache is keyed here by every compiled source,
    the options and the numba version, and purged when any of them changes."""
    h = hashlib.sha256(f"{numba.__version__}|{sorted(OPTIONS.items())}|slp={numba.config.SLP_VECTORIZE}".encode())
    for name in KERNEL_SOURCES:
        h.update(name.encode() + b"\0" + (PACKAGE / name).read_bytes())
    return h.hexdigest()


def _purge_stale_cache() -> None:
    cache = Path(numba.config.CACHE_DIR) if numba.config.CACHE_DIR else PACKAGE / "__pycache__"
    stamp = cache / "noisecnn-kernels.sha256"
    fp = _fingerprint()
    try:
        if stamp.exists() and stamp.read_text() == fp:
            return
        cache.mkdir(parents=True, exist_ok=True)
        for f in list(cache.glob("*.nbi")) + list(cache.glob("*.nbc")):
            f.unlink(missing_ok=True)
        stamp.write_text(fp)
    except OSError:  # a read-only install: numba falls back to its own locator
        pass


_purge_stale_cache()


def _import_arraymath_without_blas_probe() -> None:
    if "numba.np.arraymath" in sys.modules:
        return
    import numba.np.linalg as linalg

    probe = getattr(linalg, "ensure_blas", None)

    def no_blas():
        raise ImportError("noisecnn's compiled functions use no BLAS")

    linalg.ensure_blas = no_blas
    try:
        import numba.np.arraymath  # noqa: F401
    finally:
        if probe is not None:
            linalg.ensure_blas = probe


_import_arraymath_without_blas_probe()


def jit(**options):
    """numba.njit with the options above; ``cache=False`` for code outside the kernels' cache
    key (KERNEL_SOURCES), such as the reduced model's chain."""
    return njit(**{**OPTIONS, **options})
