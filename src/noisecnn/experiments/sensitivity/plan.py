"""The sweeps' jobs: one per (sweep, point, cell)."""

from __future__ import annotations

from ...shards import ShardKey, cell_id
from ...specs import Algorithm
from ..common import problem, simulation_job
from . import sweeps as sw

EXPERIMENT = "sensitivity"


def point_jobs(cfg: dict) -> dict[str, dict]:
    """{path: job}: every point of every sweep on every cell.  The stream label is the sweep's
    base algorithm, so all points of a sweep share a cell's streams."""
    sec = cfg["sensitivity"]
    out = {}
    for sweep in sec["sweeps"]:
        for pt in sw.points(sweep):
            spec, scale = sw.setting(cfg["paper_algorithms"], sweep, pt, cfg["teacher_scale"])
            alg = Algorithm.from_dict(spec).to_dict()
            for k, r in sec["cells"]:
                cell = cell_id(k, r)
                path = ShardKey(EXPERIMENT, f"{sweep['name']}/{sw.point_id(pt)}", cell).path()
                out[path] = simulation_job(cfg, experiment=EXPERIMENT, label=sweep["base"], cell=cell,
                                           problem=problem(cfg, k, r, scale=scale), algorithm=alg, run_start=0,
                                           n_runs=sec["runs"], sweep=sweep["name"], point=pt)
    return out


def bases(cfg: dict) -> list[str]:
    """The paper algorithms that some sweep starts from, in config order."""
    return list(dict.fromkeys(s["base"] for s in cfg["sensitivity"]["sweeps"]))


def escape_path(base: str) -> str:
    return f"results/sensitivity_escape/{base}.json"


def escape_jobs(cfg: dict, base: str) -> dict[str, dict]:
    """The point jobs of ``base``'s sweeps at the escape cell (what its escape choice reads)."""
    cell = cell_id(*cfg["sensitivity"]["escape_cell"])
    return {p: j for p, j in point_jobs(cfg).items() if j["cell"] == cell and j["label"] == base}


def escape_params(cfg: dict, base: str) -> dict:
    """What ``base``'s escape choice depends on besides its shards (no tolerance: it is judged
    on the basin split, so a tolerance change reruns no simulation)."""
    sec = cfg["sensitivity"]
    return {"base": base, "sweeps": [s for s in sec["sweeps"] if s["base"] == base],
            "paper_algorithm": cfg["paper_algorithms"][base], "teacher_scale": cfg["teacher_scale"],
            "threshold": sec["escape_threshold"]}
