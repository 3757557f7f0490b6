# E1 — Table 1: one job per (algorithm label, k, r, shard); aggregate; table, heatmap, macros.


rule table1_shard:
    input:
        "results/compiled/one_filter.json",
        pkg("experiments/runner.py", "experiments/table1/run.py"),
    output:
        "results/table1/{label}/{cell}/shard{shard}.npz",
    log:
        "logs/table1/{label}_{cell}_shard{shard}.log",
    benchmark:
        "logs/benchmarks/table1_shard/{label}_{cell}_shard{shard}.tsv"
    conda:
        "../../environment.yml"
    threads: config["threads"]
    resources:
        runtime=60,
        mem_mb=1000,
    params:
        job=job("table1"),
    message:
        "Table 1: {wildcards.label}, {wildcards.cell}, shard {wildcards.shard}"
    script:
        "../scripts/table1_shard.py"


rule table1_aggregate:
    input:
        shards=list(JOBS["table1"]),
        code=pkg(
            "shards.py", "outcomes.py", "paper.py", "experiments/table1/aggregate.py"
        ),
    output:
        report(
            "results/table1.csv",
            caption="../report/table1_table.rst",
            category="Table 1",
        ),
    log:
        "logs/table1_aggregate.log",
    benchmark:
        "logs/benchmarks/table1_aggregate.tsv"
    conda:
        "../../environment.yml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        expected=JOBS["table1"],
        tolerances=canon(config["tolerances"]),
    message:
        "Table 1: aggregating the shards"
    script:
        "../scripts/table1_aggregate.py"


rule table1_report:
    input:
        csv="results/table1.csv",
        code=pkg(
            "experiments/table1/tables.py",
            "experiments/table1/figures.py",
            "plotting.py",
            "latex.py",
        ),
    output:
        tex="paper/tables/table1.tex",
        macros="paper/macros/table1.tex",
        pdf=report(
            "figures/table1_heatmap.pdf",
            caption="../report/table1_heatmap.rst",
            category="Table 1",
        ),
        png="figures/table1_heatmap.png",
    log:
        "logs/table1_report.log",
    benchmark:
        "logs/benchmarks/table1_report.tsv"
    conda:
        "../../environment.yml"
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        p=config["p"],
        teacher_scale=config["teacher_scale"],
    message:
        "Table 1: LaTeX table, heatmap and macros"
    script:
        "../scripts/table1_report.py"
