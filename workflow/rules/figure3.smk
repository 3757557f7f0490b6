# E2 — Figure 3: perturbed GD and SGD trajectories from the spurious point, at the stated
# settings and at the nearest swept setting where each escapes.


rule figure3_run:
    input:
        "results/compiled/one_filter.json",
        pkg("experiments/runner.py", "experiments/figure3/run.py"),
    output:
        "results/figure3/{label}/{cell}/shard{shard}.npz",
    log:
        "logs/figure3/{label}_{cell}_shard{shard}.log",
    benchmark:
        "logs/benchmarks/figure3_run/{label}_{cell}_shard{shard}.tsv"
    conda:
        "../../environment.yml"
    threads: config["threads"]
    resources:
        runtime=30,
        mem_mb=1000,
    params:
        job=job("figure3"),
    message:
        "Figure 3: {wildcards.label}"
    script:
        "../scripts/figure3_run.py"


rule figure3_escape_run:
    input:
        "results/compiled/one_filter.json",
        pkg("experiments/runner.py", "experiments/figure3/run.py"),
        choice=lambda wc: escape_choice_file(wc),
    output:
        "results/figure3_escape/{label}/{cell}/shard{shard}.npz",
    log:
        "logs/figure3_escape/{label}_{cell}_shard{shard}.log",
    benchmark:
        "logs/benchmarks/figure3_escape_run/{label}_{cell}_shard{shard}.tsv"
    conda:
        "../../environment.yml"
    threads: config["threads"]
    resources:
        runtime=30,
        mem_mb=1000,
    params:
        job=job("figure3_escape"),
    message:
        "Figure 3 at the nearest escaping setting: {wildcards.label}"
    script:
        "../scripts/figure3_escape_run.py"


rule figure3_report:
    input:
        runs=list(JOBS["figure3"]),
        escape=list(JOBS["figure3_escape"]),
        code=pkg(
            "experiments/figure3/figures.py",
            "experiments/figure3/tables.py",
            "plotting.py",
        ),
    output:
        pdf=report(
            "figures/figure3.pdf",
            caption="../report/figure3.rst",
            category="Figure 3",
        ),
        png="figures/figure3.png",
        escape_pdf=report(
            "figures/figure3_escape.pdf",
            caption="../report/figure3_escape.rst",
            category="Figure 3",
        ),
        escape_png="figures/figure3_escape.png",
        macros="paper/macros/figure3.tex",
    log:
        "logs/figure3_report.log",
    benchmark:
        "logs/benchmarks/figure3_report.tsv"
    conda:
        "../../environment.yml"
    params:
        expected=JOBS["figure3"],
        escape_expected={
            p: figure3_plan.escape_expectation(j)
            for p, j in JOBS["figure3_escape"].items()
        },
        tolerances=canon(config["tolerances"]),
    message:
        "Figure 3: plots and macros"
    script:
        "../scripts/figure3_report.py"
