"""The one decorator every compiled function uses.

``error_model="numpy"``: a division by zero gives inf/NaN instead of raising, so a
diverging run is detected and recorded (never a crash).  ``fastmath`` allows only
re-association and FMA contraction (SIMD reductions); ``nnan``/``ninf`` stay off
because divergence detection relies on NaN and inf.  Results are deterministic for
a given build and do not depend on the thread count.
"""

from numba import njit

FASTMATH = frozenset({"reassoc", "nsz", "contract"})


def jit(**options):
    return njit(cache=True, error_model="numpy", fastmath=set(FASTMATH), **options)
