import os

from noisecnn.experiments.bundle import costs
from noisecnn.workflow import job_log

with job_log(snakemake):
    df = costs.costs(costs.read_benchmarks("logs/benchmarks"), costs.rule_threads("logs"), snakemake.output.csv,
                     machine_cores=len(os.sched_getaffinity(0)))
    costs.plot(df, snakemake.output.pdf, snakemake.output.png)
    print(df.to_string())
