from noisecnn import latex
from noisecnn.experiments import overparam
from noisecnn.io import write_json
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    cfg = snakemake.config
    groups = overparam.group_shards(snakemake.input.shards)
    df = overparam.aggregate(cfg, groups, snakemake.output.csv)
    overparam.write_success_tex(df, snakemake.output.tex)
    overparam.plot_success(df, snakemake.output.pdf, snakemake.output.png)
    overparam.plot_alignment(cfg, groups, snakemake.output.alignment_pdf, snakemake.output.alignment_png)
    macros = {"TolOverparam": f"{cfg['tolerances']['overparam_loss']:g}"}
    for row in df.itertuples():
        macros[latex.macro_name("Overparam", row.algorithm, "m", row.m, "k", row.k, "r", f"{row.r:g}")] = \
            f"{row.success:.2f}"
    for m, frac in overparam.alignment_summary(cfg, groups).items():
        macros[latex.macro_name("OverparamAligned", "m", m)] = f"{frac:.2f}"
    write_json(snakemake.output.macros, macros)
    print(df.to_string())
