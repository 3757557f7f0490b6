import pandas as pd

from noisecnn.experiments.table1 import figures, tables
from noisecnn.latex import write_macros
from noisecnn.workflow import job_log

with job_log(snakemake):
    df = pd.read_csv(snakemake.input.csv)
    out = snakemake.output
    tables.write_tex(df, out.tex, snakemake.params.p, snakemake.params.teacher_scale)
    write_macros(out.macros, tables.macros(df), "Table 1 (rule table1_report)")
    figures.plot_heatmap(df, out.pdf, out.png)
