# E5 — the reproduction report: paper beside ours, Figure 3 at the escaping setting,
# and the generated account paper/reproduction.tex.


rule reproduction:
    input:
        csv="results/table1.csv",
        code=pkg("experiments/reproduction.py", "plotting.py", "latex.py"),
    output:
        csv="results/reproduction.csv",
        tex="paper/tables/reproduction.tex",
        pdf=report(
            "figures/reproduction.pdf",
            caption="../report/reproduction.rst",
            category="Reproduction",
        ),
        png="figures/reproduction.png",
    log:
        "logs/reproduction.log",
    conda:
        "../../environment.yml"
    message:
        "Reproduction: the paper's Table 1 beside ours, verdicts"
    script:
        "../scripts/reproduction.py"


rule figure3_escape_run:
    input:
        rules.compile_kernels.output,
        sensitivity="results/sensitivity.csv",
    output:
        "results/figure3_escape/{alg}.npz",
    log:
        "logs/figure3_escape/{alg}.log",
    wildcard_constraints:
        alg="|".join(F3["algorithms"]),
    conda:
        "../../environment.yml"
    threads: config["threads"]
    resources:
        runtime=30,
        mem_mb=2000,
    params:
        spec=lambda wc: run_spec(config, "figure3", wc.alg, **config["figure3_escape"]),
        sensitivity=config["sensitivity"],
    message:
        "Figure 3 at the nearest escaping setting: {wildcards.alg}"
    script:
        "../scripts/figure3_escape_run.py"


rule figure3_escape_plot:
    input:
        runs=expand("results/figure3_escape/{alg}.npz", alg=list(F3["algorithms"])),
        code=pkg("experiments/figure3.py", "plotting.py"),
    output:
        pdf=report(
            "figures/figure3_escape.pdf",
            caption="../report/figure3_escape.rst",
            category="Figure 3",
        ),
        png="figures/figure3_escape.png",
    log:
        "logs/figure3_escape_plot.log",
    conda:
        "../../environment.yml"
    message:
        "Figure 3 at the nearest escaping setting: plotting"
    script:
        "../scripts/figure3_escape_plot.py"


rule narrative:
    input:
        reproduction="results/reproduction.csv",
        sensitivity="results/sensitivity.csv",
        tolerances="results/sensitivity_tolerances.csv",
        code=pkg(
            "experiments/reproduction.py", "experiments/sensitivity.py", "latex.py"
        ),
    output:
        tex="paper/reproduction.tex",
        macros="results/macros/reproduction.json",
    log:
        "logs/narrative.log",
    conda:
        "../../environment.yml"
    params:
        sensitivity=config["sensitivity"],
    message:
        "Reproduction: the account paper/reproduction.tex and its macros"
    script:
        "../scripts/narrative.py"


PRODUCTS["results/reproduction.csv"] = made_by("reproduction", "reproduction.py")
for _p in list(rules.reproduction.output)[1:]:
    PRODUCTS[str(_p)] = made_by("reproduction", "reproduction.py")
for _p in rules.figure3_escape_plot.output:
    PRODUCTS[str(_p)] = made_by("figure3_escape_plot", "figure3_escape_plot.py")
PRODUCTS["paper/reproduction.tex"] = made_by("narrative", "narrative.py")


rule explore:
    input:
        notebook="workflow/notebooks/explore.ipynb",
        data=[
            "results/table1.csv",
            "results/reproduction.csv",
            "results/sensitivity.csv",
        ],
        code=pkg("simulate.py", "config.py"),
    output:
        "results/explore.html",
    log:
        "logs/explore.log",
    conda:
        "../../environment.yml"
    threads: 2
    resources:
        runtime=20,
        mem_mb=2000,
    message:
        "Exploration notebook: executing and exporting results/explore.html"
    shell:
        "NOISECNN_ROOT=$PWD jupyter nbconvert --to html --execute"
        " --ExecutePreprocessor.timeout=1200 --output-dir results --output explore.html"
        " {input.notebook} > {log} 2>&1"
