from noisecnn.experiments.bundle import costs
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    df = costs.costs(costs.read_benchmarks("logs/benchmarks"), snakemake.params.threads, snakemake.output.csv)
    costs.plot(df, snakemake.output.pdf, snakemake.output.png)
    print(df.to_string())
