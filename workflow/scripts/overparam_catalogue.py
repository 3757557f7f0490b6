from noisecnn.experiments import overparam
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    cat = overparam.catalogue(snakemake.config, overparam.group_shards(snakemake.input.shards), snakemake.output.csv)
    sec = snakemake.params.catalogue
    overparam.write_catalogue_tex(cat, snakemake.output.tex, sec["polish_iters"], sec["polish_max_iters"])
    overparam.plot_catalogue(cat, snakemake.output.pdf, snakemake.output.png)
    print(cat.to_string())
