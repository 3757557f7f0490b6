from noisecnn.experiments.overparam import run
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    res = run.run(snakemake.params.job, snakemake.output[0], threads=snakemake.threads)
    print("runs:", res["loss"].shape[0])
