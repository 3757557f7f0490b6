from noisecnn.io import write_json
from noisecnn.workflow import job_log

with job_log(snakemake):
    write_json(snakemake.output[0], dict(snakemake.params))
