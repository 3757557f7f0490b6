"""Backend selection (config ``backend``: cpu | cuda | auto)."""

from __future__ import annotations

import functools
import sys


@functools.lru_cache(maxsize=None)
def cuda_usable() -> tuple[bool, str]:
    """(usable, description) of the CUDA device numba-cuda would use."""
    try:
        import numpy as np

        if not hasattr(np, "row_stack"):  # numba-cuda 0.30 with NumPy >= 2.5
            np.row_stack = np.vstack
        from numba import cuda

        if not cuda.is_available():
            return False, "no CUDA driver or device"
        dev = cuda.get_current_device()
        name = dev.name.decode() if isinstance(dev.name, bytes) else str(dev.name)
        return True, name
    except Exception as exc:  # pragma: no cover - depends on the machine
        return False, f"numba-cuda unusable: {exc}"


def resolve(name: str, log=None) -> str:
    """'auto' -> 'cuda' if a GPU is usable, else 'cpu'; says which it chose and why."""
    log = log or sys.stderr
    if name not in ("cpu", "cuda", "auto"):
        raise ValueError(f"backend must be 'cpu', 'cuda' or 'auto', got {name!r}")
    if name == "cpu":
        return "cpu"
    ok, why = cuda_usable()
    if name == "auto":
        choice = "cuda" if ok else "cpu"
        print(f"noisecnn: backend auto -> {choice} ({why})", file=log)
        return choice
    if not ok:
        raise RuntimeError(f"backend: 'cuda' requested but {why}; use backend: auto or cpu")
    return "cuda"
