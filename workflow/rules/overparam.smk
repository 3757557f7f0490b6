# E3 — over-parameterized student: success, where GD stops, alignment.


rule overparam_shard:
    input:
        "results/compiled/multi.json",
        pkg("experiments/runner.py", "experiments/overparam/run.py"),
    output:
        "results/overparam/{label}/{cell}/shard{shard}.npz",
    log:
        "logs/overparam/{label}_{cell}_shard{shard}.log",
    benchmark:
        "logs/benchmarks/overparam_shard/{label}_{cell}_shard{shard}.tsv"
    conda:
        "../../environment.yml"
    threads: config["threads"]
    resources:
        runtime=60,
        mem_mb=2000,
    params:
        job=job("overparam"),
    message:
        "Over-parameterized student: {wildcards.label}, {wildcards.cell}, shard {wildcards.shard}"
    script:
        "../scripts/overparam_shard.py"


rule overparam_aggregate:
    input:
        shards=list(JOBS["overparam"]),
        code=pkg(
            "shards.py",
            "outcomes.py",
            "experiments/overparam/aggregate.py",
            "experiments/overparam/figures.py",
            "experiments/overparam/tables.py",
            "plotting.py",
            "latex.py",
        ),
    output:
        csv=report(
            "results/overparam.csv",
            caption="../report/overparam_table.rst",
            category="Over-parameterization",
        ),
        tex="paper/tables/overparam.tex",
        macros="paper/macros/overparam.tex",
        pdf=report(
            "figures/overparam_success.pdf",
            caption="../report/overparam.rst",
            category="Over-parameterization",
        ),
        png="figures/overparam_success.png",
        alignment_pdf=report(
            "figures/overparam_alignment.pdf",
            caption="../report/overparam_alignment.rst",
            category="Over-parameterization",
        ),
        alignment_png="figures/overparam_alignment.png",
    log:
        "logs/overparam_aggregate.log",
    benchmark:
        "logs/benchmarks/overparam_aggregate.tsv"
    conda:
        "../../environment.yml"
    resources:
        mem_mb=4000,
    params:
        expected=JOBS["overparam"],
        tolerances=canon(config["tolerances"]),
        near=config["overparam"]["catalogue"]["near"],
        zero_weight=config["overparam"]["catalogue"]["zero_weight"],
    message:
        "Over-parameterized student: success table, figures and macros"
    script:
        "../scripts/overparam_aggregate.py"


rule overparam_catalogue:
    input:
        shards=list(shards("overparam", lambda j: j["algorithm"]["algorithm"] == "gd")),
        code=pkg(
            "stationary.py",
            "multi.py",
            "experiments/overparam/catalogue.py",
            "experiments/overparam/figures.py",
            "experiments/overparam/tables.py",
        ),
    output:
        csv=report(
            "results/overparam_stationary.csv",
            caption="../report/overparam_stationary_table.rst",
            category="Over-parameterization",
        ),
        tex="paper/tables/overparam_stationary.tex",
        pdf=report(
            "figures/overparam_stationary.pdf",
            caption="../report/overparam_stationary.rst",
            category="Over-parameterization",
        ),
        png="figures/overparam_stationary.png",
    log:
        "logs/overparam_catalogue.log",
    benchmark:
        "logs/benchmarks/overparam_catalogue.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        runtime=60,
        mem_mb=4000,
    params:
        expected=shards("overparam", lambda j: j["algorithm"]["algorithm"] == "gd"),
        tolerances=canon(config["tolerances"]),
        catalogue=canon(config["overparam"]["catalogue"]),
    message:
        "Over-parameterized student: where GD stops (clusters, stationary points, Hessian)"
    script:
        "../scripts/overparam_catalogue.py"
