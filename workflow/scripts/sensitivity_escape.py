from noisecnn.experiments.sensitivity import escape
from noisecnn.io import write_json
from noisecnn.workflow import job_log

with job_log(snakemake):
    choice = escape.choice(snakemake.input.shards, snakemake.params.expected, snakemake.params.choice)
    print(choice)
    write_json(snakemake.output[0], choice)
