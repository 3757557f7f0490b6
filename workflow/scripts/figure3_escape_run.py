import json
from pathlib import Path

from noisecnn.experiments.figure3 import run
from noisecnn.workflow import job_log

with job_log(snakemake):
    job = snakemake.params.job
    # a base algorithm without sweeps has no choice: the run keeps the stated settings
    choice = json.loads(Path(snakemake.input.choice[0]).read_text()) if snakemake.input.choice else None
    print("escape choice:", choice)
    run.run_escape(job, choice, snakemake.output[0], threads=snakemake.threads)
