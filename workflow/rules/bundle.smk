# The LaTeX bundle: general macros, provenance of every output, the compiled paper, and
# the results summary the README quotes.


rule bundle_macros:
    output:
        "paper/macros/general.tex",
    log:
        "logs/bundle_macros.log",
    benchmark:
        "logs/benchmarks/bundle_macros.tsv"
    params:
        seed=config["seed"],
        p=config["p"],
        teacher_scale=config["teacher_scale"],
        tolerances=config["tolerances"],
    message:
        "Bundle: general macros (setting, code version)"
    script:
        "../scripts/bundle_macros.py"


def products():
    """{path: maker} of every final product: the outputs (without wildcards) of every rule
    above, except the bundle's own, with the rule and script that made each."""
    out = {}
    for r in workflow.rules:
        if r.name in ("provenance", "paper_pdf", "costs", "summary", "tests") or r.has_wildcards():
            continue
        for f in r.output:
            out[str(f)] = {
                "rule": r.name,
                "script": str(r.script or r.shellcmd or r.notebook or ""),
            }
    return out


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
    params:
        made_by=products(),
        config=config,
    message:
        "Bundle: provenance manifest (hash of every output, rule, config, software)"
    script:
        "../scripts/provenance.py"


rule paper_pdf:
    input:
        "paper/main.tex",
        [p for p in products() if p.startswith(("paper/", "figures/")) and p.endswith((".tex", ".pdf"))],
        "paper/tables/provenance.tex",
    output:
        "paper/main.pdf",
    log:
        "logs/paper_pdf.log",
    benchmark:
        "logs/benchmarks/paper_pdf.tsv"
    resources:
        runtime=10,
        mem_mb=2000,
    message:
        "Bundle: compiling paper/main.pdf with latexmk"
    shell:
        "latexmk -pdf -interaction=nonstopmode -halt-on-error -cd paper/main.tex > {log} 2>&1"


rule summary:
    input:
        table1="results/table1.csv",
        reproduction="results/reproduction.csv",
        escapes="results/sensitivity_escape.json",
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
    params:
        names=NAMES,
        escape_cell=config["sensitivity"]["escape_cell"],
    message:
        "Bundle: results/summary.md (the README's results section)"
    script:
        "../scripts/summary.py"
