# E5 — sensitivity sweeps: one job per (sweep, point, cell); aggregate; figures + table.


rule sensitivity_point:
    input:
        rules.compile_kernels.output,
    output:
        "results/sensitivity/{sweep}/{point}/k{k}_r{r}.npz",
    log:
        "logs/sensitivity/{sweep}_{point}_k{k}_r{r}.log",
    wildcard_constraints:
        sweep="|".join(SWEEPS),
        point=r"[A-Za-z0-9_.\-]+",
    conda:
        "../../environment.yml"
    threads: config["threads"]
    resources:
        runtime=60,
        mem_mb=2000,
    params:
        spec=lambda wc: sensitivity_spec(wc.sweep, wc.point),
    message:
        "Sensitivity: {wildcards.sweep} {wildcards.point} k={wildcards.k} r={wildcards.r}"
    script:
        "../scripts/sensitivity_point.py"


rule sensitivity_aggregate:
    input:
        points=sensitivity_files(),
        code=pkg("experiments/sensitivity.py", "outcomes.py"),
    output:
        "results/sensitivity.csv",
    log:
        "logs/sensitivity_aggregate.log",
    conda:
        "../../environment.yml"
    params:
        tolerances=config["tolerances"],
    message:
        "Sensitivity: aggregating the sweeps"
    script:
        "../scripts/sensitivity_aggregate.py"


rule sensitivity_tolerances:
    input:
        shards=table1_all_shards(),
        code=pkg("experiments/sensitivity.py", "outcomes.py"),
    output:
        "results/sensitivity_tolerances.csv",
    log:
        "logs/sensitivity_tolerances.log",
    conda:
        "../../environment.yml"
    params:
        grid=config["sensitivity"]["tolerances"],
    message:
        "Sensitivity: Table 1 re-classified under every success tolerance"
    script:
        "../scripts/sensitivity_tolerances.py"


rule sensitivity_render:
    input:
        sweeps="results/sensitivity.csv",
        tolerances="results/sensitivity_tolerances.csv",
        code=pkg("experiments/sensitivity.py", "plotting.py", "latex.py"),
    output:
        pdf=report(
            expand(
                "figures/sensitivity_{sweep}.pdf", sweep=list(SWEEPS) + ["tolerances"]
            ),
            caption="../report/sensitivity.rst",
            category="Sensitivity",
        ),
        png=expand(
            "figures/sensitivity_{sweep}.png", sweep=list(SWEEPS) + ["tolerances"]
        ),
        tex="paper/tables/sensitivity.tex",
        figures="paper/tables/sensitivity_figures.tex",
    log:
        "logs/sensitivity_render.log",
    conda:
        "../../environment.yml"
    message:
        "Sensitivity: figures and table"
    script:
        "../scripts/sensitivity_render.py"


for _p in ("results/sensitivity.csv", "results/sensitivity_tolerances.csv"):
    PRODUCTS[_p] = made_by("sensitivity_aggregate", "sensitivity_aggregate.py")
for _p in rules.sensitivity_render.output:
    PRODUCTS[str(_p)] = made_by("sensitivity_render", "sensitivity_render.py")
