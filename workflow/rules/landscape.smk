# E4 — computed landscapes: GD trajectories (a simulation job), then the smoothed
# profiles, the 2-D landscape with trajectories and a two-filter slice.


rule landscape_trajectories:
    input:
        "results/compiled/one_filter.json",
        pkg("experiments/runner.py", "experiments/landscape/run.py"),
    output:
        "results/landscape/{label}/{cell}/shard{shard}.npz",
    log:
        "logs/landscape/{label}_{cell}_shard{shard}.log",
    benchmark:
        "logs/benchmarks/landscape_trajectories/{label}_{cell}_shard{shard}.tsv"
    conda:
        "../../environment.yml"
    threads: config["threads"]
    resources:
        runtime=10,
        mem_mb=1000,
    params:
        job=job("landscape"),
    message:
        "Landscapes: GD trajectories from random starts"
    script:
        "../scripts/landscape_trajectories.py"


rule landscape:
    input:
        trajectories=list(JOBS["landscape"]),
        runs=list(JOBS["figure3"]) + list(JOBS["figure3_escape"]),
        code=pkg(
            "smoothing.py",
            "experiments/landscape/compute.py",
            "experiments/landscape/figures.py",
            "experiments/landscape/tables.py",
            "plotting.py",
        ),
    output:
        profile_pdf=report(
            "figures/landscape_profile.pdf",
            caption="../report/landscape_profile.rst",
            category="Landscapes",
        ),
        profile_png="figures/landscape_profile.png",
        l2d_pdf=report(
            "figures/landscape_2d.pdf",
            caption="../report/landscape_2d.rst",
            category="Landscapes",
        ),
        l2d_png="figures/landscape_2d.png",
        two_pdf=report(
            "figures/landscape_two_filter.pdf",
            caption="../report/landscape_two_filter.rst",
            category="Landscapes",
        ),
        two_png="figures/landscape_two_filter.png",
        macros="paper/macros/landscape.tex",
    log:
        "logs/landscape.log",
    benchmark:
        "logs/benchmarks/landscape.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        runtime=30,
        mem_mb=4000,
    params:
        compute=canon(landscape_plan.compute_params(config)),
        expected={
            **JOBS["landscape"],
            **JOBS["figure3"],
            **{
                p: figure3_plan.escape_expectation(j)
                for p, j in JOBS["figure3_escape"].items()
            },
        },
    message:
        "Landscapes: G_rho, profiles, 2-D landscape with trajectories, two-filter slice"
    script:
        "../scripts/landscape.py"
