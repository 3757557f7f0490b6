from pathlib import Path

from noisecnn.experiments import figure3
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    paths = {Path(p).stem: p for p in snakemake.input.runs}
    figure3.plot(paths, snakemake.output.pdf, snakemake.output.png)
