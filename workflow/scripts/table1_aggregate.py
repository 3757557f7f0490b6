from noisecnn.experiments import table1
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    df = table1.aggregate(snakemake.config, table1.group_shards(snakemake.input.shards), snakemake.output[0])
    print(df.to_string())
