from noisecnn.io import write_json
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    write_json(snakemake.output[0], dict(snakemake.params))
