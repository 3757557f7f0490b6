from noisecnn import shards
from noisecnn.experiments.overparam import aggregate, figures, tables
from noisecnn.latex import write_macros
from noisecnn.workflow import job_log

FIELDS = ("loss", "status", "astar_sq", "filter_phi", "filter_share", "filter_norm")

with job_log(snakemake):
    p, out = snakemake.params, snakemake.output
    loaded = shards.load(snakemake.input.shards, p.expected, FIELDS)
    df = aggregate.aggregate(loaded, p.tolerances, out.csv)
    align = aggregate.alignment(loaded, p.tolerances, p.near, p.zero_weight)
    tables.write_success_tex(df, out.tex, p.tolerances["overparam_loss"])
    write_macros(out.macros, tables.macros(df, align, p.tolerances["overparam_loss"]),
                 "the over-parameterized study (rule overparam_aggregate)")
    figures.plot_success(df, out.pdf, out.png)
    figures.plot_alignment(loaded, p.tolerances, out.alignment_pdf, out.alignment_png)
    print(df.to_string())
