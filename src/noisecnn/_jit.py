"""The one decorator every compiled function uses.

``error_model="numpy"``: a division by zero gives inf/NaN instead of raising, so a
diverging run is detected and recorded (never a crash).  ``fastmath`` allows only
re-association and FMA contraction (SIMD reductions); ``nnan``/``ninf`` stay off
because divergence detection relies on NaN and inf.  Results are deterministic for
a given build and do not depend on the thread count.
"""

import hashlib
from pathlib import Path

import numba
from numba import njit

FASTMATH = frozenset({"reassoc", "nsz", "contract"})

# Numba's on-disk cache checks only the source file of each function, not the files of
# the functions it calls nor the decorator's options: editing rng.py would leave stale
# machine code for the kernels in kernels.py.  So the cache is keyed here by a hash of
# every compiled module, the options and the numba version, and purged when it changes.
_PKG = Path(__file__).resolve().parent
_COMPILED = ("_jit.py", "rng.py", "closed_form.py", "kernels.py", "multi.py", "gpu.py")


def _fingerprint() -> str:
    h = hashlib.sha256(f"{numba.__version__}|{sorted(FASTMATH)}".encode())
    for name in _COMPILED:
        f = _PKG / name
        if f.exists():
            h.update(name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def _purge_stale_cache() -> None:
    cache = Path(numba.config.CACHE_DIR) if numba.config.CACHE_DIR else _PKG / "__pycache__"
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


def jit(**options):
    return njit(cache=True, error_model="numpy", fastmath=set(FASTMATH), **options)
