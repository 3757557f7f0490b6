# The configuration, checked before any job, and the plans of every experiment.
# Functions only: rules live in the other files.
from noisecnn import config as nc_config
from noisecnn.experiments import plan as nc_plan
from noisecnn.experiments.escape_times import plan as escape_plan
from noisecnn.experiments.figure3 import plan as figure3_plan
from noisecnn.experiments.landscape import plan as landscape_plan
from noisecnn.experiments.sensitivity import plan as sensitivity_plan
from noisecnn.shards import ShardKey
from noisecnn.specs import KERNEL_SOURCES

# config/config.yaml is read here (not with `configfile:`), relative to the workflow, so that
# `snakemake -s /path/to/Snakefile` works from any directory and a YAML error names its line;
# --configfile / --config overrides (already in `config`) are merged over it key by key.
_merged = nc_config.deep_merge(
    nc_config.read_yaml(Path(workflow.basedir) / "config" / "config.yaml"), config
)
config.clear()
config.update(_merged)
nc_config.validate(config)  # names the offending key; fills the schema's defaults

# Every simulation job: {output path: job}.  A rule's params are its job, nothing else.
JOBS = nc_plan.all_jobs(config)
SWEEP_BASES = list(dict.fromkeys(s["base"] for s in config["sensitivity"]["sweeps"]))
NAMES = {
    b: config["paper_algorithms"][b]["algorithm"] for b in config["paper_algorithms"]
}


canon = nc_config.canonical
# The repository: sources are inputs by absolute path, so that the workflow runs from any
# working directory (`snakemake -s /path/to/Snakefile`); outputs go to the working directory.
REPO = Path(workflow.basedir)
HANDWRITTEN_TEX = [
    "main.tex",
    "escape.tex",
]  # paper/: the rest of the bundle is generated


def job(experiment):
    """Params function: the job of the shard being made, found by its key (a function of the
    wildcards only, so that Snakemake's params trigger compares it: a function of the output
    would count as 'derived' and be ignored)."""
    return lambda wildcards: JOBS[experiment][
        ShardKey.from_wildcards(experiment, wildcards).path()
    ]


def escape_choice_file(wildcards):
    """The escape choice a Figure 3 escape run applies: the one of its algorithm's sweep base
    (a base without sweeps has none: the run keeps the stated settings)."""
    base = JOBS["figure3_escape"][
        ShardKey.from_wildcards("figure3_escape", wildcards).path()
    ]["escape_base"]
    return [sensitivity_plan.escape_path(base)] if base in SWEEP_BASES else []


def shards(experiment, where=None):
    """{path: job} of an experiment's shards (optionally those whose job satisfies where)."""
    return {p: j for p, j in JOBS[experiment].items() if where is None or where(j)}


def benchmark_plan():
    """What the benchmarks' projection needs of every simulation job."""
    return nc_plan.cost_plan(JOBS)


def pkg(*modules):
    """Package modules a rule's output depends on: listed as inputs so that editing them
    reruns exactly the rules that use them (Snakemake tracks only the script itself)."""
    return [str(REPO / "src" / "noisecnn" / m) for m in modules]


def products():
    """{path: maker} of every final product: the outputs (without wildcards) of every rule
    above, except the bundle's own, with the rule and script that made each."""
    out = {}
    for r in workflow.rules:
        if (
            r.name in ("provenance", "paper_pdf", "costs", "summary", "tests")
            or r.has_wildcards()
        ):
            continue
        for f in r.output:
            out[str(f)] = {
                "rule": r.name,
                "script": str(r.script or r.shellcmd or r.notebook or ""),
            }
    return out


def check_cluster():
    """On SLURM a job that asks for more CPUs than any node of its partition has stays
    PENDING (reason PartitionConfig) for ever, and Snakemake waits without an error: stop
    before submitting anything instead, naming the rule.  Called from `onstart` (the
    executor is known only once the DAG is built), for the jobs about to run."""
    import subprocess

    plugin = workflow.executor_plugin
    if plugin is None or plugin.name != "slurm":
        return
    largest = {}  # partition -> CPUs of its largest node

    def cpus(part):
        if part not in largest:
            out = subprocess.run(
                ["sinfo", "-h", "-o", "%c"] + (["-p", part] if part else []),
                capture_output=True,
                text=True,
            )
            sizes = [
                int(x.rstrip("+"))
                for x in out.stdout.split()
                if x.rstrip("+").isdigit()
            ]
            if out.returncode != 0 or not sizes:
                raise WorkflowError(
                    f"SLURM: cannot read the partition {part or '(default)'} with sinfo: "
                    f"{out.stderr.strip() or 'no nodes'}"
                )
            largest[part] = max(sizes)
        return largest[part]

    for job in workflow.dag.needrun_jobs():
        part = str(job.resources.get("slurm_partition") or "").strip("'\"")
        if job.threads > cpus(part):
            raise WorkflowError(
                f"SLURM: rule {job.rule.name} asks for {job.threads} CPUs but the nodes of partition "
                f"{part or '(default)'} have at most {cpus(part)}: its jobs would wait for ever. "
                f"Set max-threads (profiles/slurm) to {cpus(part)} or less."
            )


def final_targets():
    """Everything `snakemake` makes by default: the compiled bundle and what it is built from."""
    return [
        "paper/main.pdf",
        "results/provenance.json",
        "results/explore.html",
        "results/costs.csv",
        "results/summary.md",
    ]


wildcard_constraints:
    label=r"[a-z][a-z0-9_]*",
    cell=r"(m\d+-)?k\d+-(r\d+(\.\d+)?|pm)",
    shard=r"\d+",
