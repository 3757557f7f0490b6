from noisecnn import shards
from noisecnn.experiments.landscape import compute, figures, tables
from noisecnn.latex import write_macros
from noisecnn.workflow import job_log

with job_log(snakemake):
    p, out = snakemake.params, snakemake.output
    loaded = shards.load(list(snakemake.input.trajectories) + list(snakemake.input.runs), p.expected)
    gd = next(v for (exp, _, _), v in loaded.items() if exp == "landscape")
    runs = {f"{exp}/{label}": v for (exp, label, _), v in loaded.items() if exp != "landscape"}
    data = compute.compute(p.compute)
    figures.plot_profiles(p.compute, data, out.profile_pdf, out.profile_png)
    figures.plot_2d(p.compute, data, runs, gd, out.l2d_pdf, out.l2d_png)
    figures.plot_two_filter(p.compute, out.two_pdf, out.two_png)
    for row in compute.spurious_table(p.compute, data):
        print(row)
    write_macros(out.macros, tables.macros(p.compute, data), "the landscapes (rule landscape)")
