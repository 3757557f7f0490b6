import pandas as pd

from noisecnn.experiments import sensitivity
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    cfg = snakemake.config
    df = pd.read_csv(snakemake.input.sweeps)
    tdf = pd.read_csv(snakemake.input.tolerances)
    names = list(sensitivity.sweeps(cfg))
    for name, pdf, png in zip(names, snakemake.output.pdf, snakemake.output.png):
        sensitivity.plot_sweep(df, cfg, name, pdf, png)
    sensitivity.plot_tolerances(tdf, snakemake.output.pdf[-1], snakemake.output.png[-1])
    sensitivity.write_tex(df, tdf, cfg, snakemake.output.tex)
    sensitivity.write_figures_tex(cfg, snakemake.output.figures)
