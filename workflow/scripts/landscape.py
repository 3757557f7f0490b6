from pathlib import Path

from noisecnn.experiments import landscape
from noisecnn.io import write_json
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    cfg = snakemake.config
    out = snakemake.output
    data = landscape.compute(cfg, out.data)
    landscape.plot_profiles(cfg, data, out.profile_pdf, out.profile_png)
    paths = {("escape_" if "escape" in str(p) else "") + Path(p).stem: p for p in snakemake.input.trajectories}
    landscape.plot_2d(cfg, data, paths, out.l2d_pdf, out.l2d_png, threads=snakemake.threads)
    landscape.plot_two_filter(cfg, out.two_pdf, out.two_png)
    for row in landscape.spurious_table(cfg, data):
        print(row)
    write_json(out.macros, landscape.macros(cfg, data))
