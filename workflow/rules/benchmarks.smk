# Benchmarks: kernels against the NumPy reference, the generator, scaling, projection.
# The rule asks for more threads than any machine has; Snakemake caps that at --cores, so
# the job takes every core and no other job runs beside it to distort the timings.


rule benchmarks:
    input:
        rules.compile_kernels.output,
        code=pkg("bench.py", "kernels.py", "rng.py"),
    output:
        json="results/benchmarks.json",
        pdf=report(
            "figures/scaling.pdf",
            caption="../report/scaling.rst",
            category="Performance",
        ),
        png="figures/scaling.png",
        macros="results/macros/benchmarks.json",
    log:
        "logs/benchmarks.log",
    conda:
        "../../environment.yml"
    threads: 256
    resources:
        runtime=30,
        mem_mb=4000,
    params:
        benchmarks=config["benchmarks"],
    message:
        "Benchmarks (alone on all {threads} cores): kernels vs NumPy, generator, scaling"
    script:
        "../scripts/benchmarks.py"


for _p in ("figures/scaling.pdf", "figures/scaling.png", "results/benchmarks.json"):
    PRODUCTS[_p] = made_by("benchmarks", "benchmarks.py")
