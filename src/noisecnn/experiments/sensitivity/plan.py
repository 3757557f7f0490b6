"""The sweeps' jobs: one per distinct (sweep, point, cell) simulation."""

from __future__ import annotations

import json

from ...shards import ShardKey, cell_id
from ...specs import Algorithm
from ..common import problem, simulation_job
from . import sweeps as sw

EXPERIMENT = "sensitivity"


def _simulation(job: dict) -> str:
    """What a point job computes, without the sweep and point that name it: two jobs with the
    same value give the same arrays (same kernel inputs and streams).  An unset Phase-I length
    is the epoch length it defaults to."""
    alg = job["algorithm"]
    alg = {**alg, "phase1_iters": alg["phase1_iters"] if alg.get("phase1_iters") is not None
           else alg["iters_per_epoch"]}
    return json.dumps({**{k: v for k, v in job.items() if k not in ("sweep", "point")}, "algorithm": alg},
                      sort_keys=True)


def _plan(cfg: dict) -> tuple[dict[str, dict], list[dict]]:
    """(jobs, members): one job per distinct simulation, and every (sweep, point, cell) with the
    shard that holds its runs.  The stream label is the sweep's base algorithm, so all points of
    a sweep share a cell's streams, and a point of one sweep that is the same simulation as a
    point of an earlier sweep (each sweep's paper setting, typically) reads that point's shard
    instead of computing the same runs again."""
    sec = cfg["sensitivity"]
    jobs, owner, members = {}, {}, []
    for sweep in sec["sweeps"]:
        for pt in sw.points(sweep):
            spec, scale = sw.setting(cfg["paper_algorithms"], sweep, pt, cfg["teacher_scale"])
            alg = Algorithm.from_dict(spec).to_dict()
            for k, r in sec["cells"]:
                cell = cell_id(k, r)
                path = ShardKey(EXPERIMENT, f"{sweep['name']}/{sw.point_id(pt)}", cell).path()
                job = simulation_job(cfg, experiment=EXPERIMENT, label=sweep["base"], cell=cell,
                                     problem=problem(cfg, k, r, scale=scale), algorithm=alg, run_start=0,
                                     n_runs=sec["runs"], sweep=sweep["name"], point=pt)
                path = owner.setdefault(_simulation(job), path)
                jobs.setdefault(path, job)
                members.append({"sweep": sweep["name"], "point": pt, "cell": cell, "path": path})
    return jobs, members


def point_jobs(cfg: dict) -> dict[str, dict]:
    """{path: job}: every distinct simulation of the sweeps (see :func:`_plan`)."""
    return _plan(cfg)[0]


def members(cfg: dict) -> list[dict]:
    """Every point of every sweep on every cell: {sweep, point, cell, path of its shard}."""
    return _plan(cfg)[1]


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
