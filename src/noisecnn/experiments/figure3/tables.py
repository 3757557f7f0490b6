"""The numbers the text quotes about Figure 3."""

from __future__ import annotations

import numpy as np

from ...latex import macro_name
from ...outcomes import GLOBAL, Tolerances, classify


def macros(runs: dict, tolerances: dict, prefix: str = "FigureThree") -> dict[str, str]:
    """``runs``: {label: (arrays, job)}."""
    tol = Tolerances.from_dict(tolerances)
    out = {}
    for label, (arrays, _job) in runs.items():
        codes = classify(arrays["phi"], arrays["a_rel"], arrays["status"], tol)
        out[macro_name(prefix, label, "Runs")] = str(codes.size)
        out[macro_name(prefix, label, "Global")] = str(int(np.sum(codes == GLOBAL)))
        with np.errstate(all="ignore"):
            out[macro_name(prefix, label, "FinalPhi")] = f"{np.nanmean(arrays['phi']):.2f}"
    return out
