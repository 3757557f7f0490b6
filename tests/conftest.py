import os

# Allow more numba threads than cores so the determinism tests can compare 1 vs 2
# threads even on a 1-core CI machine.  Must be set before numba is imported.
os.environ.setdefault("NUMBA_NUM_THREADS", "4")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def rng():
    """Independent NumPy generator for Monte-Carlo references (not the kernels' RNG)."""
    return np.random.default_rng(20190609)
