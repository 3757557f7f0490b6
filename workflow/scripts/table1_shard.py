from noisecnn.experiments import table1
from noisecnn.workflow import log_to

wc = snakemake.wildcards
with log_to(snakemake.log[0]):
    res = table1.run(snakemake.config, wc.alg, int(wc.k), float(wc.r), int(wc.shard), snakemake.output[0],
                     threads=snakemake.threads)
    print(f"{res.n} runs, {snakemake.threads} threads")
