from noisecnn.experiments import overparam
from noisecnn.workflow import log_to

wc = snakemake.wildcards
with log_to(snakemake.log[0]):
    res = overparam.run(snakemake.config, wc.alg, int(wc.m), int(wc.k), float(wc.r), int(wc.shard),
                        snakemake.output[0], threads=snakemake.threads)
    print("runs:", res["loss"].shape[0])
