from noisecnn.experiments.sensitivity import aggregate
from noisecnn.workflow import job_log

with job_log(snakemake):
    p = snakemake.params
    df = aggregate.tolerance_sweep(snakemake.input.shards, p.expected, p.tolerances, p.grid, snakemake.output[0])
    print(df.groupby(["tol_phi", "tol_a_rel", "label"])["success"].mean().to_string())
