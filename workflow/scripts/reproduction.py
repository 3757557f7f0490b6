import pandas as pd

from noisecnn.experiments import reproduction
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    rep = reproduction.compare(pd.read_csv(snakemake.input.csv))
    summary = reproduction.column_summary(rep)
    reproduction.write(rep, snakemake.output.csv)
    reproduction.write_tex(rep, summary, snakemake.output.tex)
    reproduction.plot(rep, snakemake.output.pdf, snakemake.output.png)
    print(summary.to_string())
