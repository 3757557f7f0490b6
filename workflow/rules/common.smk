# Config validation and shared helpers (functions only: rules live in the other files).
from snakemake.utils import validate

import noisecnn.config as nc_config
from noisecnn.experiments import sensitivity as nc_sensitivity
from noisecnn.experiments.common import cell_id, fmt_r, n_shards
from noisecnn.workflow import run_spec

# Schema first (types, ranges, names), then cross-field rules; both name the offending
# key and stop the workflow before any job runs.
validate(config, workflow.source_path("../schemas/config.schema.yaml"))
nc_config.check(config)

# Final products of every experiment -> the rule and script that made them (provenance).
PRODUCTS = {}

# The compiled kernels depend on these sources only: editing plotting code does not
# invalidate any simulation.
KERNEL_SOURCES = [
    f"src/noisecnn/{m}.py"
    for m in ("_jit", "rng", "closed_form", "kernels", "multi", "simulate")
]


def pkg(*modules):
    """Package modules a rule's output depends on: listed as inputs so that editing them
    reruns exactly the rules that use them (Snakemake only tracks the script itself)."""
    return [f"src/noisecnn/{m}" for m in modules]


def made_by(rule_name, script):
    return f"rule {rule_name} (workflow/scripts/{script})"


def table1_shards(label, k, r):
    t1 = config["table1"]
    n = n_shards(t1["runs"], t1["shard_size"])
    return [
        f"results/table1/{label}/k{k}_r{fmt_r(r)}/shard{s:03d}.npz" for s in range(n)
    ]


SWEEPS = nc_sensitivity.sweeps(config)


def sensitivity_files():
    return [
        f"results/sensitivity/{name}/{pid}/k{k}_r{fmt_r(r)}.npz"
        for name, pid, k, r in nc_sensitivity.all_jobs(config)
    ]


def sensitivity_spec(sweep, point):
    """Everything a sweep point's result depends on (rerun trigger)."""
    pt = nc_sensitivity.parse_point(SWEEPS[sweep], point)
    alg, scale = nc_sensitivity.setting(config, sweep, pt)
    return {
        "seed": config["seed"],
        "p": config["p"],
        "backend": config["backend"],
        "runs": config["sensitivity"]["runs"],
        "teacher_scale": scale,
        "algorithm": alg.__dict__,
    }


def overparam_all_shards():
    op = config["overparam"]
    n = n_shards(op["runs"], op["shard_size"])
    return [
        f"results/overparam/{label}/m{m}_k{k}_r{fmt_r(r)}/shard{s:03d}.npz"
        for label in op["algorithms"]
        for m in op["m"]
        for k in op["k"]
        for r in op["r"]
        for s in range(n)
    ]


def table1_all_shards():
    t1 = config["table1"]
    return [
        p
        for label in t1["algorithms"]
        for k in t1["k"]
        for r in t1["r"]
        for p in table1_shards(label, k, r)
    ]


wildcard_constraints:
    k=r"\d+",
    r=r"\d+(\.\d+)?",
    shard=r"\d+",
