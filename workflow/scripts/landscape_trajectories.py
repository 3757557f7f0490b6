from noisecnn.experiments.landscape import run
from noisecnn.workflow import job_log

with job_log(snakemake):
    run.run(snakemake.params.job, snakemake.output[0], threads=snakemake.threads)
