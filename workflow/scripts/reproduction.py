import pandas as pd

from noisecnn.experiments.reproduction import compare, figures, tables
from noisecnn.workflow import job_log

with job_log(snakemake):
    out = snakemake.output
    rep = compare.compare(pd.read_csv(snakemake.input.csv))
    summary = compare.column_summary(rep)
    compare.write(rep, out.csv)
    tables.write_tex(rep, summary, out.tex)
    figures.plot(rep, out.pdf, out.png)
    print(summary.to_string())
