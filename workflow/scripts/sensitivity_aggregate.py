from pathlib import Path

from noisecnn.experiments import sensitivity
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    paths = {}
    for path in snakemake.input.points:
        # results/sensitivity/{sweep}/{point}/k{k}_r{r}.npz
        p = Path(path)
        k, r = p.stem[1:].split("_r")
        paths[(p.parent.parent.name, p.parent.name, int(k), float(r))] = path
    df = sensitivity.aggregate(snakemake.config, paths, snakemake.output[0])
    print(df.to_string())
