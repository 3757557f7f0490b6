# E1 — Table 1: one job per (algorithm, k, r, shard); aggregate; table + heatmap.
T1 = config["table1"]


rule table1_shard:
    input:
        rules.compile_kernels.output,
    output:
        "results/table1/{alg}/k{k}_r{r}/shard{shard}.npz",
    log:
        "logs/table1/{alg}_k{k}_r{r}_shard{shard}.log",
    wildcard_constraints:
        alg="|".join(T1["algorithms"]),
    conda:
        "../../environment.yml"
    threads: config["threads"]
    resources:
        runtime=60,
        mem_mb=2000,
    params:
        spec=lambda wc: run_spec(config, "table1", wc.alg),
    message:
        "Table 1: {wildcards.alg}, k={wildcards.k}, r={wildcards.r}, shard {wildcards.shard}"
    script:
        "../scripts/table1_shard.py"


rule table1_aggregate:
    input:
        shards=table1_all_shards(),
        code=pkg(
            "experiments/table1.py", "experiments/common.py", "outcomes.py", "paper.py"
        ),
    output:
        "results/table1.csv",
    log:
        "logs/table1_aggregate.log",
    conda:
        "../../environment.yml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        tolerances=config["tolerances"],
    message:
        "Table 1: aggregating {T1[runs]} runs per cell"
    script:
        "../scripts/table1_aggregate.py"


rule table1_render:
    input:
        csv="results/table1.csv",
        code=pkg("experiments/table1.py", "plotting.py", "latex.py"),
    output:
        tex="paper/tables/table1.tex",
        pdf=report(
            "figures/table1_heatmap.pdf",
            caption="../report/table1_heatmap.rst",
            category="Table 1",
        ),
        png="figures/table1_heatmap.png",
    log:
        "logs/table1_render.log",
    conda:
        "../../environment.yml"
    resources:
        runtime=10,
        mem_mb=2000,
    message:
        "Table 1: LaTeX table and heatmap"
    script:
        "../scripts/table1_render.py"


for _p in ("results/table1.csv",):
    PRODUCTS[str(_p)] = made_by("table1_aggregate", "table1_aggregate.py")
for _p in rules.table1_render.output:
    PRODUCTS[str(_p)] = made_by("table1_render", "table1_render.py")
