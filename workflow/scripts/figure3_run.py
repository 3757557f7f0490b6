from noisecnn.experiments import figure3
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    res = figure3.run(snakemake.config, snakemake.wildcards.alg, snakemake.output[0], threads=snakemake.threads)
    print(f"{res.n} runs")
