"""The points of a sweep and their ids (pure Python: the workflow plans jobs with it)."""

from __future__ import annotations

import itertools
import re

from ...specs import SETTINGS

PROBLEM_KNOBS = ("teacher_scale",)
_ID = re.compile(r"^[A-Za-z0-9_.+\-]+$")


def knobs(sweep: dict) -> list[str]:
    """The sweep's knob names, sorted: a point's id does not depend on the YAML key order."""
    return sorted(sweep["knobs"])


def format_value(v) -> str:
    """A knob value as it appears in a point id: exact (repr of floats, '.0' dropped), so
    that distinct values never share an id."""
    if v is None:
        return "null"
    if isinstance(v, float):
        text = repr(v)
        return text[:-2] if text.endswith(".0") else text
    return str(v)


def points(sweep: dict) -> list[dict]:
    """Cartesian product of the knob values (knobs in sorted order, values in config order)."""
    names = knobs(sweep)
    return [dict(zip(names, vals)) for vals in itertools.product(*(sweep["knobs"][n] for n in names))]


def point_id(point: dict) -> str:
    """File-system safe id, e.g. 'phase1_iters-6400_rho_w-36'."""
    return "_".join(f"{k}-{format_value(point[k])}" for k in sorted(point))


def check_knobs(sweep: dict) -> None:
    """Knobs are algorithm settings or teacher_scale; every point has a distinct, path-safe id."""
    for knob in sweep["knobs"]:
        if knob not in SETTINGS and knob not in PROBLEM_KNOBS:
            raise ValueError(f"{knob!r} is not an algorithm setting or teacher_scale")
    seen = {}
    for pt in points(sweep):
        pid = point_id(pt)
        if not _ID.match(pid):
            raise ValueError(f"point id {pid!r} has characters unusable in a file name")
        if pid in seen:
            raise ValueError(f"points {seen[pid]} and {pt} share the id {pid!r}")
        seen[pid] = pt


def apply(spec: dict, teacher_scale: float, changes: dict) -> tuple[dict, float]:
    """(algorithm settings, ‖a*‖) with knob changes applied: ``teacher_scale`` to the
    problem, every other knob to the algorithm."""
    spec = dict(spec)
    for knob, value in changes.items():
        if knob == "teacher_scale":
            teacher_scale = float(value)
        else:
            spec[knob] = value
    return spec, teacher_scale


def setting(paper_algorithms: dict, sweep: dict, point: dict, teacher_scale: float) -> tuple[dict, float]:
    """(algorithm settings, ‖a*‖) of one sweep point: the base algorithm with the knobs applied."""
    return apply(paper_algorithms[sweep["base"]], teacher_scale, point)
