from noisecnn.experiments.bundle import tables
from noisecnn.latex import write_macros
from noisecnn.workflow import job_log

with job_log(snakemake):
    write_macros(snakemake.output[0], tables.general_macros(dict(snakemake.params)), "rule bundle_macros")
