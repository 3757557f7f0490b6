from noisecnn.experiments.bundle import tables
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    tables.write_provenance(dict(snakemake.params.made_by), dict(snakemake.params.config), snakemake.output.json,
                            snakemake.output.tex)
