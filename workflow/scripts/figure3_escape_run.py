import pandas as pd

from noisecnn.experiments import figure3, sensitivity
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    cfg = snakemake.config
    label = snakemake.wildcards.alg
    base = label if label in cfg["paper_algorithms"] else None
    choice = sensitivity.escape_point(pd.read_csv(snakemake.input.sensitivity), cfg, base) if base else None
    print("escape choice:", choice)
    figure3.run_escape(cfg, label, choice, snakemake.output[0], threads=snakemake.threads)
