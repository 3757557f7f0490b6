# E5 — sensitivity sweeps: one job per (sweep, point, cell), a point that repeats an earlier
# sweep's simulation reading that point's shard; aggregate; the nearest escaping
# setting; figures and table.


rule sensitivity_point:
    input:
        "results/compiled/one_filter.json",
        pkg("experiments/runner.py", "experiments/sensitivity/run.py"),
    output:
        "results/sensitivity/{sweep}/{point}/{cell}/shard{shard}.npz",
    log:
        "logs/sensitivity/{sweep}_{point}_{cell}_shard{shard}.log",
    benchmark:
        "logs/benchmarks/sensitivity_point/{sweep}_{point}_{cell}_shard{shard}.tsv"
    wildcard_constraints:
        sweep=r"[a-z][a-z0-9_]*",
        point=r"[A-Za-z0-9_.+\-]+",
    conda:
        "../../environment.yml"
    threads: config["threads"]
    resources:
        runtime=60,
        mem_mb=1000,
    params:
        job=job("sensitivity"),
    message:
        "Sensitivity: {wildcards.sweep} {wildcards.point} {wildcards.cell}"
    script:
        "../scripts/sensitivity_point.py"


rule sensitivity_aggregate:
    input:
        shards=list(JOBS["sensitivity"]),
        code=pkg("shards.py", "outcomes.py", "experiments/sensitivity/aggregate.py"),
    output:
        report(
            "results/sensitivity.csv",
            caption="../report/sensitivity_table.rst",
            category="Sensitivity",
        ),
    log:
        "logs/sensitivity_aggregate.log",
    benchmark:
        "logs/benchmarks/sensitivity_aggregate.tsv"
    conda:
        "../../environment.yml"
    params:
        expected=JOBS["sensitivity"],
        tolerances=canon(config["tolerances"]),
        order=[s["name"] for s in config["sensitivity"]["sweeps"]],
        members=sensitivity_plan.members(config),
    message:
        "Sensitivity: aggregating the sweeps"
    script:
        "../scripts/sensitivity_aggregate.py"


rule sensitivity_escape:
    input:
        shards=lambda wc: list(sensitivity_plan.escape_jobs(config, wc.base)),
        code=pkg("shards.py", "experiments/sensitivity/escape.py"),
    output:
        sensitivity_plan.escape_path("{base}"),
    log:
        "logs/sensitivity_escape/{base}.log",
    benchmark:
        "logs/benchmarks/sensitivity_escape/{base}.tsv"
    conda:
        "../../environment.yml"
    params:
        expected=lambda wc: sensitivity_plan.escape_jobs(config, wc.base),
        choice=lambda wc: canon(sensitivity_plan.escape_params(config, wc.base)),
    message:
        "Sensitivity: the swept setting nearest the paper's where {wildcards.base} escapes"
    script:
        "../scripts/sensitivity_escape.py"


rule sensitivity_tolerances:
    input:
        shards=list(JOBS["table1"]),
        code=pkg("shards.py", "outcomes.py", "experiments/sensitivity/aggregate.py"),
    output:
        "results/sensitivity_tolerances.csv",
    log:
        "logs/sensitivity_tolerances.log",
    benchmark:
        "logs/benchmarks/sensitivity_tolerances.tsv"
    conda:
        "../../environment.yml"
    params:
        expected=JOBS["table1"],
        tolerances=canon(config["tolerances"]),
        grid=canon(config["sensitivity"]["tolerances"]),
    message:
        "Sensitivity: Table 1 re-classified under every success tolerance"
    script:
        "../scripts/sensitivity_tolerances.py"


rule sensitivity_report:
    input:
        sweeps="results/sensitivity.csv",
        tolerances="results/sensitivity_tolerances.csv",
        code=pkg(
            "experiments/sensitivity/figures.py",
            "experiments/sensitivity/tables.py",
            "plotting.py",
            "latex.py",
        ),
    output:
        pdf=report(
            expand(
                "figures/sensitivity_{base}.pdf", base=SWEEP_BASES + ["tolerances"]
            ),
            caption="../report/sensitivity.rst",
            category="Sensitivity",
        ),
        png=expand("figures/sensitivity_{base}.png", base=SWEEP_BASES + ["tolerances"]),
        tex="paper/tables/sensitivity.tex",
        figures="paper/tables/sensitivity_figures.tex",
    log:
        "logs/sensitivity_report.log",
    benchmark:
        "logs/benchmarks/sensitivity_report.tsv"
    conda:
        "../../environment.yml"
    params:
        sweeps=canon(config["sensitivity"]["sweeps"]),
        cells=config["sensitivity"]["cells"],
        bases=SWEEP_BASES,
        names=canon(
            {
                **NAMES,
                **{
                    l: a["algorithm"]
                    for l, a in nc_config.algorithms(config, "table1").items()
                },
            }
        ),
    message:
        "Sensitivity: figures and table"
    script:
        "../scripts/sensitivity_report.py"
