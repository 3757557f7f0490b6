from noisecnn.experiments.figure3 import run
from noisecnn.workflow import job_log

with job_log(snakemake):
    res = run.run(snakemake.params.job, snakemake.output[0], threads=snakemake.threads)
    print(f"{res.n} runs")
