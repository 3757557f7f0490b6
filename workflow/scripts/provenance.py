from noisecnn.experiments.bundle import tables
from noisecnn.workflow import job_log

with job_log(snakemake):
    tables.write_provenance(dict(snakemake.params.made_by), dict(snakemake.params.config), snakemake.output.json,
                            snakemake.output.tex)
