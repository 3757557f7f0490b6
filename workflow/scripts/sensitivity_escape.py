from noisecnn.experiments.sensitivity import escape
from noisecnn.io import write_json
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    choices = escape.choices(snakemake.input.shards, snakemake.params.expected, snakemake.params.choice)
    print(choices)
    write_json(snakemake.output[0], choices)
