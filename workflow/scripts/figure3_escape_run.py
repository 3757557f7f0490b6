import json
from pathlib import Path

from noisecnn.experiments.figure3 import run
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    job = snakemake.params.job
    choice = json.loads(Path(snakemake.input.choices).read_text()).get(job["escape_base"])
    print("escape choice:", choice)
    run.run_escape(job, choice, snakemake.output[0], threads=snakemake.threads)
