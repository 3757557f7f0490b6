from noisecnn.experiments.table1 import aggregate
from noisecnn.workflow import job_log

with job_log(snakemake):
    p = snakemake.params
    df = aggregate.aggregate(snakemake.input.shards, p.expected, p.tolerances, snakemake.output[0])
    print(df.to_string())
