# The LaTeX bundle: general macros, provenance of every output, the compiled paper, and
# the results summary the README quotes.


rule bundle_macros:
    output:
        "paper/macros/general.tex",
    log:
        "logs/bundle_macros.log",
    benchmark:
        "logs/benchmarks/bundle_macros.tsv"
    conda:
        "../../environment.yml"
    params:
        seed=config["seed"],
        p=config["p"],
        teacher_scale=config["teacher_scale"],
        tolerances=canon(config["tolerances"]),
    message:
        "Bundle: general macros (setting, code version)"
    script:
        "../scripts/bundle_macros.py"


rule provenance:
    input:
        products=list(products()),
        code=pkg("provenance.py", "experiments/bundle/tables.py"),
    output:
        json="results/provenance.json",
        tex="paper/tables/provenance.tex",
    log:
        "logs/provenance.log",
    benchmark:
        "logs/benchmarks/provenance.tsv"
    conda:
        "../../environment.yml"
    params:
        made_by=products(),
        # the configuration that determines the results (threads do not: no rerun for them)
        config=canon({k: v for k, v in config.items() if k != "threads"}),
    message:
        "Bundle: provenance manifest (hash of every output, rule, config, software)"
    script:
        "../scripts/provenance.py"


rule paper_pdf:
    input:
        written=[str(REPO / "paper" / f) for f in HANDWRITTEN_TEX],
        generated=[
            p
            for p in products()
            if p.startswith(("paper/", "figures/")) and p.endswith((".tex", ".pdf"))
        ],
        provenance="paper/tables/provenance.tex",
    output:
        "paper/main.pdf",
    log:
        "logs/paper_pdf.log",
    benchmark:
        "logs/benchmarks/paper_pdf.tsv"
    conda:
        "../../environment.yml"
    resources:
        runtime=10,
        mem_mb=2000,
    message:
        "Bundle: compiling paper/main.pdf with latexmk"
    shell:
        # the hand-written parts beside the generated bundle (copies when the working
        # directory is not the repository)
        "for f in {input.written}; do [ paper/$(basename $f) -ef $f ] || cp $f paper/; done"
        " && latexmk -pdf -interaction=nonstopmode -halt-on-error -cd paper/main.tex > {log} 2>&1"


rule summary:
    input:
        table1="results/table1.csv",
        reproduction="results/reproduction.csv",
        escapes=[sensitivity_plan.escape_path(b) for b in SWEEP_BASES],
        sensitivity="results/sensitivity.csv",
        overparam="results/overparam.csv",
        costs="results/costs.csv",
        code=pkg("experiments/bundle/summary.py"),
    output:
        "results/summary.md",
    log:
        "logs/summary.log",
    benchmark:
        "logs/benchmarks/summary.tsv"
    conda:
        "../../environment.yml"
    params:
        names=canon(NAMES),
        escape_cell=config["sensitivity"]["escape_cell"],
    message:
        "Bundle: results/summary.md (the README's results section)"
    script:
        "../scripts/summary.py"
