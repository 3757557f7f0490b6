"""Benchmarks (not tests).  Per algorithm at k = 25 and k = 100: ns per run-iteration per
core of the kernels and of a vectorised NumPy reference measured in the same process, the
ratio, the raw throughput of the kernels' generator and the kernels' efficiency against
it; the m-filter kernels; the escape model's unit costs; a simulation job's fixed cost;
scaling; and the projected wall time of a workflow.

    python benchmarks/run.py [--quick] [--figure figures/scaling.pdf] [--out results/benchmarks.json]
                             [--configfile config/quick.yaml]

As the workflow's rule `benchmarks` (`snakemake --cores 2 benchmarks`) this script gets its
options and the job plan from the rule's params.
"""

import sys
from pathlib import Path

# Snakemake runs a copy of this script from .snakemake/scripts/: find suite.py through the input
HERE = Path(snakemake.input.code[0]).resolve().parent if "snakemake" in globals() else Path(__file__).resolve().parent  # noqa: F821
sys.path.insert(0, str(HERE))
import suite  # noqa: E402


def cli(argv=None):
    import argparse

    from noisecnn import config
    from noisecnn.experiments import plan
    from noisecnn.experiments.escape_times import plan as escape_plan

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    ap.add_argument("--out", default="results/benchmarks.json")
    ap.add_argument("--figure", default=None, help="also measure scaling and plot it (PDF path; PNG beside)")
    ap.add_argument("--cores", type=int, default=8, help="--cores of the projected snakemake run")
    ap.add_argument("--configfile", nargs="*", default=[], help="config overrides for the projection")
    ap.add_argument("--gpu", action="store_true", help="also time Table 1 on the GPU (needs a usable GPU)")
    args = ap.parse_args(argv)
    jobs_config = config.load(*args.configfile)
    jobs = plan.all_jobs(jobs_config)
    b = suite.main({"quick": args.quick, "gpu": args.gpu}, args.out, args.figure, jobs["table1"])
    b["projection"] = suite.project(b, plan.cost_plan(jobs), args.cores, jobs_config["threads"],
                                    escape_work=escape_plan.work(escape_plan.model_params(jobs_config)))
    print(suite.report({"generator": b["generator"], "kernels": [], "projection": b["projection"]}))
    return b


if "snakemake" in globals():  # run by the workflow's rules `benchmarks` and `projection`
    import json

    from noisecnn.io import write_json
    from noisecnn.latex import write_macros
    from noisecnn.workflow import job_log

    sm = snakemake  # noqa: F821
    with job_log(sm):
        if sm.rule == "benchmarks":
            suite.main(sm.params.options, sm.output.json, sm.output.pdf, sm.params.table1_jobs)
        else:
            b = json.loads(Path(sm.input.json).read_text())
            compile_s = sum(sum(json.loads(Path(f).read_text())["seconds"].values()) for f in sm.input.compiled)
            b["projection"] = suite.project(b, sm.params.plan, sm.params.cores, sm.params.threads,
                                            compile_s=compile_s, escape_work=sm.params.escape_work)
            write_json(sm.output.json, b["projection"])
            write_macros(sm.output.macros, suite.macros(b), "rule projection")
            print(suite.report(b))
elif __name__ == "__main__":
    cli()
