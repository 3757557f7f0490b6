from noisecnn.experiments import sensitivity, table1
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    df = sensitivity.tolerance_sweep(snakemake.config, table1.group_shards(snakemake.input.shards), snakemake.output[0])
    print(df.groupby(["tol_phi", "tol_a_rel", "algorithm"])["success"].mean().to_string())
