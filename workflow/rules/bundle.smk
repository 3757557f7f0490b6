# The LaTeX bundle: macros of every quoted number, provenance, compiled paper.


rule macros:
    input:
        table1="results/table1.csv",
        figure3=expand("results/figure3/{alg}.npz", alg=list(F3["algorithms"])),
        json=[
            "results/macros/reproduction.json",
            "results/macros/overparam.json",
            "results/macros/landscape.json",
            "results/macros/benchmarks.json",
        ],
        code=pkg("experiments/bundle.py", "latex.py"),
    output:
        "paper/macros.tex",
    log:
        "logs/macros.log",
    conda:
        "../../environment.yml"
    params:
        tolerances=config["tolerances"],
    message:
        "Bundle: paper/macros.tex"
    script:
        "../scripts/macros.py"


PRODUCTS["paper/macros.tex"] = made_by("macros", "macros.py")


rule provenance:
    input:
        products=list(PRODUCTS),
        code=pkg("experiments/bundle.py", "provenance.py"),
    output:
        json="results/provenance.json",
        tex="paper/tables/provenance.tex",
    log:
        "logs/provenance.log",
    conda:
        "../../environment.yml"
    params:
        made_by=PRODUCTS,
    message:
        "Bundle: provenance manifest (hash of every output, config, git commit)"
    script:
        "../scripts/provenance.py"


rule paper_pdf:
    input:
        "paper/main.tex",
        list(PRODUCTS),
        "paper/tables/provenance.tex",
    output:
        "paper/main.pdf",
    log:
        "logs/paper_pdf.log",
    conda:
        "../../environment.yml"
    resources:
        runtime=10,
        mem_mb=2000,
    message:
        "Bundle: compiling paper/main.pdf with latexmk"
    shell:
        "latexmk -pdf -interaction=nonstopmode -halt-on-error -cd paper/main.tex > {log} 2>&1"
