"""The paper's published numbers (SPEC §7), used only for side-by-side comparison."""

from __future__ import annotations

R_GRID = (0, 1, 4, 9, 16, 25)

# Table 1, GD column (perturbed GD and SGD are 1.00 everywhere).  The published table
# prints "100" for SGD at k = 100, r = 9: a typo for 1.00.
_GD = {
    25: (0.50, 0.55, 0.73, 1.00, 1.00, 1.00),
    36: (0.50, 0.53, 0.66, 0.89, 1.00, 1.00),
    49: (0.50, 0.53, 0.61, 0.78, 1.00, 1.00),
    64: (0.50, 0.51, 0.59, 0.71, 0.89, 1.00),
    81: (0.50, 0.53, 0.57, 0.66, 0.81, 0.97),
    100: (0.50, 0.50, 0.57, 0.63, 0.75, 0.90),
}


def table1(algorithm: str, k: int, r: float) -> float | None:
    """The paper's success rate for a cell, or None outside the published grid."""
    if k not in _GD or r not in R_GRID:
        return None
    if algorithm == "gd":
        return _GD[k][R_GRID.index(r)]
    if algorithm in ("pgd", "sgd"):
        return 1.00
    return None
