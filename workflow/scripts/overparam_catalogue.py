from noisecnn import shards
from noisecnn.experiments.overparam import catalogue, figures, tables
from noisecnn.workflow import job_log

with job_log(snakemake):
    p, out = snakemake.params, snakemake.output
    loaded = shards.load(snakemake.input.shards, p.expected, catalogue.FIELDS)
    cat = catalogue.catalogue(loaded, p.tolerances, p.catalogue, out.csv)
    tables.write_catalogue_tex(cat, out.tex, p.catalogue["newton_steps"])
    figures.plot_catalogue(cat, out.pdf, out.png)
    print(cat.to_string())
