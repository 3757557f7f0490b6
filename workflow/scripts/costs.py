from noisecnn.experiments.bundle import costs
from noisecnn.workflow import job_log

with job_log(snakemake):
    df = costs.costs(costs.read_benchmarks("logs/benchmarks"), costs.rule_threads("logs"), snakemake.output.csv,
                     cores=snakemake.params.cores, machine_cores=snakemake.params.machine_cores)
    costs.plot(df, snakemake.output.pdf, snakemake.output.png)
    print(df.to_string())
