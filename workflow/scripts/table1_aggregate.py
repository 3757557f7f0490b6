from collections import defaultdict

from noisecnn.experiments import table1
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    groups = defaultdict(list)
    for path in snakemake.input:
        # results/table1/{alg}/k{k}_r{r}/shard{s}.npz
        parts = path.split("/")
        k, r = parts[-2][1:].split("_r")
        groups[(parts[-3], int(k), float(r))].append(path)
    df = table1.aggregate(snakemake.config, dict(groups), snakemake.output[0])
    print(df.to_string())
