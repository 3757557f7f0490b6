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


def choices(paths, expected: dict, params: dict) -> dict[str, dict | None]:
    """{base algorithm: choice or None}: per base, among the points whose escaping fraction
    reaches the threshold, the one with the fewest knobs changed from the paper's values,
    then the smallest :func:`distance`, then the largest escaping fraction."""
    loaded = shards.load(paths, expected)
    best: dict[str, tuple] = {}
    bases = {s["base"] for s in params["sweeps"]}
    for _key, (arrays, job) in loaded.items():
        base = job["label"]
        paper = Algorithm.from_dict(params["paper_algorithms"][base])
        reference = {**paper.to_dict(), "teacher_scale": params["teacher_scale"], "phase1_iters": paper.iters0}
        n = arrays["phi"].size
        esc = int(np.sum(np.isfinite(arrays["phi"]) & (arrays["phi"] < math.pi / 2)))
        if esc / n < params["threshold"]:
            continue
        changed = {k: v for k, v in job["point"].items() if v != reference.get(k)}
        key = (len(changed), distance(changed, reference), -esc / n)
        if base not in best or key < best[base][0]:
            lo, hi = wilson(esc, n)
            best[base] = (key, {"sweep": job["sweep"], "point": sw.point_id(job["point"]), "changes": changed,
                                "escaped": esc / n, "escaped_lo": float(lo), "escaped_hi": float(hi), "n": n,
                                "k": job["problem"]["k"], "r": job["problem"]["r"]})
    return {b: (best[b][1] if b in best else None) for b in sorted(bases)}
