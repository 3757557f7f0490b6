from noisecnn.experiments.table1 import run
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    res = run.run(snakemake.params.job, snakemake.output[0], threads=snakemake.threads)
    print(f"{res.n} runs, {snakemake.threads} threads")
