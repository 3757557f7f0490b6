# E5 — the reproduction report: the paper beside ours, verdicts, the generated account
# the generated account paper/text/{abstract,reproduction,sensitivity}.tex; the exploration notebook.


rule reproduction:
    input:
        csv="results/table1.csv",
        code=pkg(
            "experiments/reproduction/compare.py",
            "experiments/reproduction/tables.py",
            "experiments/reproduction/figures.py",
            "plotting.py",
            "latex.py",
        ),
    output:
        csv=report(
            "results/reproduction.csv",
            caption="../report/reproduction_table.rst",
            category="Reproduction",
        ),
        tex="paper/tables/reproduction.tex",
        pdf=report(
            "figures/reproduction.pdf",
            caption="../report/reproduction.rst",
            category="Reproduction",
        ),
        png="figures/reproduction.png",
    log:
        "logs/reproduction.log",
    benchmark:
        "logs/benchmarks/reproduction.tsv"
    conda:
        "../../environment.yml"
    message:
        "Reproduction: the paper's Table 1 beside ours, verdicts"
    script:
        "../scripts/reproduction.py"


rule narrative:
    input:
        reproduction="results/reproduction.csv",
        sensitivity="results/sensitivity.csv",
        tolerances="results/sensitivity_tolerances.csv",
        escapes=[sensitivity_plan.escape_path(b) for b in SWEEP_BASES],
        code=pkg(
            "experiments/reproduction/narrative.py",
            "experiments/reproduction/compare.py",
            "latex.py",
        ),
    output:
        reproduction="paper/text/reproduction.tex",
        sensitivity="paper/text/sensitivity.tex",
        abstract="paper/text/abstract.tex",
        macros="paper/macros/reproduction.tex",
    log:
        "logs/narrative.log",
    benchmark:
        "logs/benchmarks/narrative.tsv"
    conda:
        "../../environment.yml"
    params:
        settings=nc_config.algorithms(config, "table1"),
        names=canon(NAMES),
        escape_cell=config["sensitivity"]["escape_cell"],
        escape_threshold=config["sensitivity"]["escape_threshold"],
    message:
        "Reproduction: the account (paper/text/) and its macros"
    script:
        "../scripts/narrative.py"


rule explore_params:
    output:
        "results/explore_params.json",
    log:
        "logs/explore_params.log",
    benchmark:
        "logs/benchmarks/explore_params.tsv"
    conda:
        "../../environment.yml"
    params:
        cell=config["sensitivity"]["escape_cell"],
        p=config["p"],
        seed=config["seed"],
        teacher_scale=config["teacher_scale"],
        algorithms=nc_config.algorithms(config, "table1"),
    message:
        "Exploration notebook: its parameters"
    script:
        "../scripts/explore_params.py"


rule explore:
    input:
        notebook=str(REPO / "workflow" / "notebooks" / "explore.ipynb"),
        params="results/explore_params.json",
        data=[
            "results/table1.csv",
            "results/reproduction.csv",
            "results/sensitivity.csv",
        ],
        code=pkg("simulate.py", "specs.py"),
    output:
        "results/explore.html",
    log:
        "logs/explore.log",
    benchmark:
        "logs/benchmarks/explore.tsv"
    conda:
        "../../environment.yml"
    threads: 2
    resources:
        runtime=20,
        mem_mb=2000,
    message:
        "Exploration notebook: executing and exporting results/explore.html"
    shell:
        "NOISECNN_RESULTS=$PWD/results jupyter nbconvert --to html --execute"
        " --ExecutePreprocessor.timeout=1200 --output-dir results --output explore.html"
        " {input.notebook} > {log} 2>&1"
