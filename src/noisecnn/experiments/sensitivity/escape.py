"""The swept setting nearest the paper's at which an algorithm escapes the spurious basin.

Judged at the escape cell on the *basin split* (the fraction of runs ending with
φ_T < π/2, SPEC §5), which needs no success tolerance: changing a tolerance therefore
moves no simulation that depends on this choice.
"""

from __future__ import annotations

import math

import numpy as np

from ... import shards
from ...outcomes import wilson
from ...specs import Algorithm
from . import sweeps as sw


def distance(changes: dict, reference: dict) -> float:
    """Σ |log(value / paper value)| over numeric knobs; 1 per non-numeric change."""
    dist = 0.0
    for knob, v in changes.items():
        ref = reference.get(knob)
        if isinstance(v, (int, float)) and isinstance(ref, (int, float)) and v > 0 and ref > 0:
            dist += abs(math.log(v / ref))
        else:
            dist += 1.0
    return dist


def choice(paths, expected: dict, params: dict) -> dict | None:
    """Among the sweep points of one base algorithm (``params``: base, sweeps,
    paper_algorithm, teacher_scale, threshold) whose escaping fraction at the escape cell
    reaches the threshold, the one with the fewest knobs changed from the paper's values,
    then the smallest :func:`distance`, then the largest escaping fraction; None if none."""
    paper = Algorithm.from_dict(params["paper_algorithm"])
    reference = {**paper.to_dict(), "teacher_scale": params["teacher_scale"], "phase1_iters": paper.iters0}
    best = None
    for _key, (arrays, job) in shards.load(paths, expected, ("phi",)).items():
        n = arrays["phi"].size
        esc = int(np.sum(np.isfinite(arrays["phi"]) & (arrays["phi"] < math.pi / 2)))
        if esc / n < params["threshold"]:
            continue
        changed = {k: v for k, v in job["point"].items() if v != reference.get(k)}
        key = (len(changed), distance(changed, reference), -esc / n)
        if best is None or key < best[0]:
            lo, hi = wilson(esc, n)
            best = (key, {"base": params["base"], "sweep": job["sweep"], "point": sw.point_id(job["point"]),
                          "changes": changed, "escaped": esc / n, "escaped_lo": float(lo), "escaped_hi": float(hi),
                          "n": n, "k": job["problem"]["k"], "r": job["problem"]["r"]})
    return None if best is None else best[1]
