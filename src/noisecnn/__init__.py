"""noisecnn: reproducible simulations for Zhou et al., *Towards Understanding the
Importance of Noise in Training Neural Networks* (ICML 2019).

Layout: the pure core (``specs``, ``closed_form``, ``rng``, ``kernels``, ``multi``, ``gpu``,
``simulate``, ``outcomes``, ``stationary``, ``smoothing``) knows nothing of the workflow;
``experiments/`` holds one package per experiment of the paper and our extensions.
"""

import os

# A vectorised loop would call Intel's SVML instead of the scalar math library, and a
# result would then depend on which path the compiler took (see _jit.py).
os.environ.setdefault("NUMBA_DISABLE_INTEL_SVML", "1")
# LLVM's SLP vectoriser on (see _jit.py), through the environment too: numba re-reads every
# NUMBA_* variable whenever the environment has changed since its import (the line above
# does, if numba was imported first), and would then reset a flag set only on numba.config.
os.environ["NUMBA_SLP_VECTORIZE"] = "1"

__version__ = "0.2.0"
