from noisecnn.experiments.landscape import run
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    run.run(snakemake.params.job, snakemake.output[0], threads=snakemake.threads)
