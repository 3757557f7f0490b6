from noisecnn.experiments.table1 import aggregate
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    p = snakemake.params
    df = aggregate.aggregate(snakemake.input.shards, p.expected, p.tolerances, snakemake.output[0])
    print(df.to_string())
