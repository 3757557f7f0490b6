from noisecnn.experiments.sensitivity import aggregate
from noisecnn.workflow import job_log

with job_log(snakemake):
    p = snakemake.params
    df = aggregate.aggregate(snakemake.input.shards, p.expected, p.tolerances, p.order, p.members, snakemake.output[0])
    print(df.to_string())
