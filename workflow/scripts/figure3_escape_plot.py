from pathlib import Path

from noisecnn.experiments import figure3
from noisecnn.io import load_npz
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    paths = {Path(p).stem: p for p in snakemake.input.runs}
    subtitles = {lab: figure3.describe_changes(load_npz(p)[1]["config"].get("escape_choice")) for lab, p in paths.items()}
    figure3.plot(paths, snakemake.output.pdf, snakemake.output.png, name="figure3_escape",
                 title="Figure 3 at the nearest swept setting where each algorithm escapes", subtitles=subtitles)
