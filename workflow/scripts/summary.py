import json
from pathlib import Path

import pandas as pd

from noisecnn.experiments.bundle import summary
from noisecnn.io import write_text
from noisecnn.workflow import job_log

with job_log(snakemake):
    inp = snakemake.input
    text = summary.summary(pd.read_csv(inp.table1), pd.read_csv(inp.reproduction),
                           {Path(f).stem: json.loads(Path(f).read_text()) for f in inp.escapes}, pd.read_csv(inp.sensitivity),
                           pd.read_csv(inp.overparam), pd.read_csv(inp.costs), dict(snakemake.params))
    write_text(snakemake.output[0], text)
    print(text)
