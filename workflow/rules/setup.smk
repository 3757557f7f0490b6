# Kernel warm-up and the test suite as a rule.


rule compile_kernels:
    input:
        pkg(*KERNEL_SOURCES),
    output:
        "results/compiled/{family}.json",
    log:
        "logs/compile_kernels/{family}.log",
    benchmark:
        "logs/benchmarks/compile_kernels/{family}.tsv"
    wildcard_constraints:
        family="one_filter|multi",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        runtime=20,
        mem_mb=2000,
    message:
        "Compiling the {wildcards.family} kernels once (concurrent jobs then only read the cache)"
    script:
        "../scripts/compile_kernels.py"


rule tests:
    output:
        "results/tests/junit.xml",
    log:
        "logs/tests.log",
    benchmark:
        "logs/benchmarks/tests.tsv"
    conda:
        "../../environment.yml"
    threads: 2
    message:
        "Running the test suite (not part of `all`: snakemake tests)"
    shell:
        "python -m pytest -q --junitxml={output} tests > {log} 2>&1"
