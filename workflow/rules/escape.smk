# E6 — escape times from the spurious point: simulations (one job per algorithm, grid point
# and cell), the reduced model's predictions, and the comparison.


rule escape_run:
    input:
        "results/compiled/one_filter.json",
        pkg("experiments/runner.py", "experiments/escape_times/run.py"),
    output:
        "results/escape/{label}/{point}/{cell}/shard{shard}.npz",
    log:
        "logs/escape/{label}_{point}_{cell}_shard{shard}.log",
    benchmark:
        "logs/benchmarks/escape_run/{label}_{point}_{cell}_shard{shard}.tsv"
    wildcard_constraints:
        point=r"[A-Za-z0-9_.+\-]+",
    conda:
        "../../environment.yml"
    threads: config["threads"]
    resources:
        runtime=30,
        mem_mb=1000,
    params:
        job=lambda wc: JOBS["escape"][
            ShardKey("escape", f"{wc.label}/{wc.point}", wc.cell, int(wc.shard)).path()
        ],
    message:
        "Escape times: {wildcards.label} {wildcards.point} {wildcards.cell}"
    script:
        "../scripts/escape_run.py"


rule escape_model:
    input:
        code=pkg(
            "_jit.py",
            "reduced.py",
            "smoothing.py",
            "experiments/escape_times/model.py",
            "experiments/escape_times/readings.py",
        ),
    output:
        grid="results/escape_model.csv",
        phase1="results/escape_phase1_model.csv",
        sgd_k="results/escape_sgd_k_model.csv",
    log:
        "logs/escape_model.log",
    benchmark:
        "logs/benchmarks/escape_model.tsv"
    conda:
        "../../environment.yml"
    resources:
        runtime=30,
        mem_mb=2000,
    params:
        model=canon(escape_plan.model_params(config)),
    message:
        "Escape times: the reduced model's predictions"
    script:
        "../scripts/escape_model.py"


rule escape_report:
    input:
        shards=list(JOBS["escape"]),
        grid="results/escape_model.csv",
        phase1="results/escape_phase1_model.csv",
        sgd_k="results/escape_sgd_k_model.csv",
        table1="results/table1.csv",
        sensitivity="results/sensitivity.csv",
        figure3=list(JOBS["figure3"]),
        code=pkg(
            "experiments/escape_times/aggregate.py",
            "experiments/escape_times/figures.py",
            "experiments/escape_times/tables.py",
            "experiments/escape_times/readings.py",
        ),
    output:
        csv=report(
            "results/escape.csv",
            caption="../report/escape_table.rst",
            category="Escape times",
        ),
        tex="paper/tables/escape.tex",
        macros="paper/macros/escape.tex",
        discussion="paper/text/escape.tex",
        survival_pgd=report(
            "figures/escape_survival_pgd.pdf",
            caption="../report/escape.rst",
            category="Escape times",
        ),
        survival_pgd_png="figures/escape_survival_pgd.png",
        survival_sgd=report(
            "figures/escape_survival_sgd.pdf",
            caption="../report/escape.rst",
            category="Escape times",
        ),
        survival_sgd_png="figures/escape_survival_sgd.png",
        prediction=report(
            "figures/escape_prediction.pdf",
            caption="../report/escape.rst",
            category="Escape times",
        ),
        prediction_png="figures/escape_prediction.png",
        phase1=report(
            "figures/escape_phase1.pdf",
            caption="../report/escape.rst",
            category="Escape times",
        ),
        phase1_png="figures/escape_phase1.png",
    log:
        "logs/escape_report.log",
    benchmark:
        "logs/benchmarks/escape_report.tsv"
    conda:
        "../../environment.yml"
    params:
        expected=JOBS["escape"],
        figure3_expected=JOBS["figure3"],
        phase1_sweep=escape_plan.model_params(config)["phase1"],
        escape_cell=config["sensitivity"]["escape_cell"],
        paper_cell=canon(
            {
                "k": config["figure3"]["k"],
                "r": 0.0,
                "rho_w": config["paper_algorithms"]["pgd"]["rho_w"],
                "teacher_scale": config["teacher_scale"],
                "phase1": nc_config.algorithm(
                    config, {"base": "pgd"}, "paper_algorithms.pgd"
                )["iters_per_epoch"],
            }
        ),
    message:
        "Escape times: measured beside predicted; figures, table, macros"
    script:
        "../scripts/escape_report.py"
