# Performance: the kernels against NumPy references (rule benchmarks, alone on all cores),
# and what every rule of the last run cost (rule costs, from Snakemake's own benchmark files).


rule benchmarks:
    input:
        "results/compiled/one_filter.json",
        "results/compiled/multi.json",
        code=[str(REPO / "benchmarks" / f) for f in ("suite.py", "run.py")],
    output:
        json="results/benchmarks.json",
        pdf=report(
            "figures/scaling.pdf",
            caption="../report/scaling.rst",
            category="Performance",
        ),
        png="figures/scaling.png",
    log:
        "logs/benchmarks.log",
    benchmark:
        "logs/benchmarks/benchmarks.tsv"
    conda:
        "../../environment.yml"
    # more threads than any machine has: Snakemake caps it at --cores, so the job takes every
    # core and no other job runs beside it to distort the timings
    threads: 256
    resources:
        runtime=30,
        mem_mb=4000,
    params:
        options={k: config["benchmarks"][k] for k in ("quick", "gpu")},
        table1_jobs=JOBS["table1"] if config["benchmarks"]["gpu"] else None,
    message:
        "Benchmarks (alone on all {threads} cores): kernels vs NumPy, generator, scaling"
    script:
        "../../benchmarks/run.py"


rule projection:
    input:
        json="results/benchmarks.json",
        # the compile jobs' own measured seconds (results/compiled/*.json) join the projection
        compiled=["results/compiled/one_filter.json", "results/compiled/multi.json"],
        code=[str(REPO / "benchmarks" / f) for f in ("suite.py", "run.py")],
    output:
        json="results/projection.json",
        macros="paper/macros/benchmarks.tex",
    log:
        "logs/projection.log",
    benchmark:
        "logs/benchmarks/projection.tsv"
    conda:
        "../../environment.yml"
    params:
        plan=benchmark_plan(),
        cores=config["benchmarks"]["project_cores"],
        threads=config["threads"],
        # the escape model's units of work (its cost: × the unit costs measured by benchmarks)
        escape_work=escape_plan.work(escape_plan.model_params(config)),
    message:
        "Benchmarks: the projected wall time of this configuration's workflow"
    script:
        "../../benchmarks/run.py"


rule costs:
    input:
        "paper/main.pdf",
        "results/provenance.json",
        "results/explore.html",
    output:
        csv=report(
            "results/costs.csv",
            caption="../report/costs_table.rst",
            category="Performance",
        ),
        pdf=report(
            "figures/costs.pdf",
            caption="../report/costs.rst",
            category="Performance",
        ),
        png="figures/costs.png",
    log:
        "logs/costs.log",
    benchmark:
        "logs/benchmarks/costs.tsv"
    conda:
        "../../environment.yml"
    message:
        "Costs: every rule's jobs, wall and CPU time, memory (from logs/benchmarks/)"
    script:
        "../scripts/costs.py"
