from noisecnn.experiments import bundle
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    bundle.write_provenance(dict(snakemake.params.made_by), snakemake.config, snakemake.output.json,
                            snakemake.output.tex)
