from noisecnn import shards
from noisecnn.experiments.figure3 import figures, tables
from noisecnn.latex import write_macros
from noisecnn.workflow import job_log

with job_log(snakemake):
    p, out = snakemake.params, snakemake.output
    runs = {label: v for (_, label, _), v in shards.load(snakemake.input.runs, p.expected).items()}
    escape = {label: v for (_, label, _), v in shards.load(snakemake.input.escape, p.escape_expected).items()}
    figures.plot(runs, out.pdf, out.png)
    figures.plot(escape, out.escape_pdf, out.escape_png, name="figure3_escape",
                 title="Figure 3 at the nearest swept setting where each algorithm escapes",
                 subtitles={lab: figures.describe_changes(job.get("escape_choice")) for lab, (_, job) in escape.items()})
    write_macros(out.macros, {**tables.macros(runs, p.tolerances), **tables.macros(escape, p.tolerances,
                                                                                    "FigureThreeEscape")},
                 "Figure 3 (rule figure3_report)")
