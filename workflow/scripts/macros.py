import json
from pathlib import Path

import pandas as pd

from noisecnn.experiments import bundle
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    cfg = snakemake.config
    parts = [bundle.table1_macros(pd.read_csv(snakemake.input.table1))]
    parts.append((bundle.figure3_macros(cfg, {Path(p).stem: p for p in snakemake.input.figure3}), {}))
    for path in snakemake.input.json:
        parts.append((json.loads(Path(path).read_text()), {}))
    bundle.write_macros(snakemake.output[0], cfg, parts)
