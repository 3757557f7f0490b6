import json
from pathlib import Path

import pandas as pd

from noisecnn.experiments.bundle import summary
from noisecnn.io import write_text
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    inp = snakemake.input
    text = summary.summary(pd.read_csv(inp.table1), pd.read_csv(inp.reproduction),
                           json.loads(Path(inp.escapes).read_text()), pd.read_csv(inp.sensitivity),
                           pd.read_csv(inp.overparam), pd.read_csv(inp.costs), dict(snakemake.params))
    write_text(snakemake.output[0], text)
    print(text)
