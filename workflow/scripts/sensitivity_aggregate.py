from noisecnn.experiments.sensitivity import aggregate
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    p = snakemake.params
    df = aggregate.aggregate(snakemake.input.shards, p.expected, p.tolerances, p.order, snakemake.output[0])
    print(df.to_string())
