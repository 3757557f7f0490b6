from noisecnn.experiments.bundle import tables
from noisecnn.latex import write_macros
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    write_macros(snakemake.output[0], tables.general_macros(dict(snakemake.params)), "rule bundle_macros")
