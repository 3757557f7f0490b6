import pandas as pd

from noisecnn.experiments import table1
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    df = pd.read_csv(snakemake.input.csv)
    table1.write_tex(df, snakemake.config, snakemake.output.tex)
    table1.plot_heatmap(df, snakemake.config, snakemake.output.pdf, snakemake.output.png)
