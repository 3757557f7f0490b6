"""Outcome of a run (SPEC §5), Wilson intervals and per-cell summaries."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

CLASSES = ("global", "spurious", "unconverged", "diverged")
GLOBAL, SPURIOUS, UNCONVERGED, DIVERGED = range(4)


@dataclass(frozen=True)
class Tolerances:
    """Success tolerances (config ``tolerances``).

    ``global``: φ_T < phi and ‖a_T − a*‖/‖a*‖ < a_rel; ``spurious``: φ_T > π − spurious;
    m-filter ``global``: loss_T < overparam_loss · ‖a*‖².
    """

    phi: float = 0.1
    a_rel: float = 0.1
    spurious: float = 0.1
    overparam_loss: float = 1e-3

    def __post_init__(self):
        for name, value in asdict(self).items():
            if not (isinstance(value, (int, float)) and value > 0 and math.isfinite(value)):
                raise ValueError(f"tolerances.{name} must be a positive number, got {value!r}")
        if self.phi >= math.pi or self.spurious >= math.pi:
            raise ValueError("tolerances.phi and tolerances.spurious must be below π")

    @classmethod
    def from_dict(cls, d: dict | None) -> "Tolerances":
        d = dict(d or {})
        unknown = set(d) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"tolerances: unknown key(s) {sorted(unknown)}")
        return cls(**d)


def classify(phi, a_rel, status, tol: Tolerances = Tolerances()):
    """Class code per run (GLOBAL, SPURIOUS, UNCONVERGED, DIVERGED)."""
    phi = np.asarray(phi, float)
    a_rel = np.asarray(a_rel, float)
    status = np.asarray(status)
    out = np.full(phi.shape, UNCONVERGED, dtype=np.int8)
    finite = (status == 0) & np.isfinite(phi) & np.isfinite(a_rel)
    out[finite & (phi > math.pi - tol.spurious)] = SPURIOUS
    out[finite & (phi < tol.phi) & (a_rel < tol.a_rel)] = GLOBAL
    out[~finite] = DIVERGED
    return out


def classify_multi(loss, status, astar_sq, tol: Tolerances = Tolerances()):
    """m-filter criterion: GLOBAL iff loss_T < overparam_loss · ‖a*‖²; else UNCONVERGED."""
    loss = np.asarray(loss, float)
    out = np.full(loss.shape, UNCONVERGED, dtype=np.int8)
    finite = (np.asarray(status) == 0) & np.isfinite(loss)
    out[finite & (loss < tol.overparam_loss * np.asarray(astar_sq))] = GLOBAL
    out[~finite] = DIVERGED
    return out


def wilson(successes, n, z: float = 1.959963984540054):
    """Wilson score interval for a binomial proportion (95 % by default)."""
    successes = np.asarray(successes, float)
    n = np.asarray(n, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        phat = successes / n
        denom = 1.0 + z * z / n
        centre = (phat + z * z / (2 * n)) / denom
        half = z * np.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom
    # the exact bounds bracket p̂; rounding can put them a hair on the wrong side of it
    return np.clip(np.minimum(centre - half, phat), 0.0, 1.0), np.clip(np.maximum(centre + half, phat), 0.0, 1.0)


def summarize(codes, phi, z: float = 1.959963984540054) -> dict:
    """Fractions of every class, Wilson interval of the success rate, basin split."""
    codes = np.asarray(codes)
    phi = np.asarray(phi, float)
    n = codes.size
    out = {"n": int(n)}
    for c, name in enumerate(CLASSES):
        out[name] = int(np.sum(codes == c))
        out[f"frac_{name}"] = out[name] / n if n else float("nan")
    lo, hi = wilson(out["global"], n, z)
    out["success"] = out["frac_global"]
    out["success_lo"] = float(lo)
    out["success_hi"] = float(hi)
    fin = np.isfinite(phi)
    # basin split: is the final angle on the global (φ < π/2) or the spurious side?
    out["frac_phi_below_half_pi"] = float(np.sum(fin & (phi < math.pi / 2)) / n) if n else float("nan")
    out["frac_phi_above_half_pi"] = float(np.sum(fin & (phi >= math.pi / 2)) / n) if n else float("nan")
    return out
