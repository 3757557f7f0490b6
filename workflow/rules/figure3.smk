# E2 — Figure 3: perturbed GD and SGD trajectories from the spurious point.
F3 = config["figure3"]


rule figure3_run:
    input:
        rules.compile_kernels.output,
    output:
        "results/figure3/{alg}.npz",
    log:
        "logs/figure3/{alg}.log",
    wildcard_constraints:
        alg="|".join(F3["algorithms"]),
    conda:
        "../../environment.yml"
    threads: config["threads"]
    resources:
        runtime=30,
        mem_mb=2000,
    params:
        spec=lambda wc: run_spec(config, "figure3", wc.alg),
    message:
        "Figure 3: {wildcards.alg} ({F3[runs]} runs, k={F3[k]})"
    script:
        "../scripts/figure3_run.py"


rule figure3_plot:
    input:
        runs=expand("results/figure3/{alg}.npz", alg=list(F3["algorithms"])),
        code=pkg("experiments/figure3.py", "plotting.py"),
    output:
        pdf=report(
            "figures/figure3.pdf",
            caption="../report/figure3.rst",
            category="Figure 3",
        ),
        png="figures/figure3.png",
    log:
        "logs/figure3_plot.log",
    conda:
        "../../environment.yml"
    resources:
        runtime=10,
        mem_mb=2000,
    message:
        "Figure 3: plotting"
    script:
        "../scripts/figure3_plot.py"


for _p in rules.figure3_plot.output:
    PRODUCTS[str(_p)] = made_by("figure3_plot", "figure3_plot.py")
