from noisecnn.experiments import sensitivity
from noisecnn.workflow import log_to

wc = snakemake.wildcards
with log_to(snakemake.log[0]):
    res = sensitivity.run(snakemake.config, wc.sweep, wc.point, int(wc.k), float(wc.r), snakemake.output[0],
                          threads=snakemake.threads)
    print(f"{res.n} runs:", res.summary())
