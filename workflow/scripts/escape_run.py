from noisecnn.experiments.escape_times import run
from noisecnn.workflow import job_log

with job_log(snakemake):
    res = run.run(snakemake.params.job, snakemake.output[0], threads=snakemake.threads)
    print(f"{res.n} runs; escaped: {int((res.basin_iter == res.basin_iter).sum())}")
