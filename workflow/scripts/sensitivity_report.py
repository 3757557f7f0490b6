import pandas as pd

from noisecnn.experiments.sensitivity import figures, tables
from noisecnn.workflow import job_log

with job_log(snakemake):
    p, out = snakemake.params, snakemake.output
    df = pd.read_csv(snakemake.input.sweeps)
    tdf = pd.read_csv(snakemake.input.tolerances)
    for base, pdf, png in zip(p.bases, out.pdf, out.png):
        figures.plot_base(df, [s for s in p.sweeps if s["base"] == base], p.cells, base, p.names[base], pdf, png)
    figures.plot_tolerances(tdf, p.names, out.pdf[-1], out.png[-1])
    tables.write_tex(df, tdf, p.sweeps, p.cells, p.names, out.tex)
    tables.write_figures_tex(p.bases, p.names, out.figures)
