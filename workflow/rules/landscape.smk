# E4 — computed landscapes: smoothed profiles, the 2-D landscape with trajectories, and
# a two-filter slice.


rule landscape:
    input:
        rules.compile_kernels.output,
        trajectories=expand("results/figure3/{alg}.npz", alg=list(F3["algorithms"]))
        + expand("results/figure3_escape/{alg}.npz", alg=list(F3["algorithms"])),
        code=pkg("experiments/landscape.py", "landscape.py", "plotting.py"),
    output:
        data="results/landscape.npz",
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
        macros="results/macros/landscape.json",
    log:
        "logs/landscape.log",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        runtime=30,
        mem_mb=4000,
    params:
        landscape=config["landscape"],
        p=config["p"],
        teacher_scale=config["teacher_scale"],
    message:
        "Landscapes: G_rho, profiles, 2-D landscape with trajectories, two-filter slice"
    script:
        "../scripts/landscape.py"


for _p in rules.landscape.output:
    if not str(_p).endswith((".json", ".npz")):
        PRODUCTS[str(_p)] = made_by("landscape", "landscape.py")
