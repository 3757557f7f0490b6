# E3 — over-parameterized student: success, catalogue of stationary points, alignment.


rule overparam_shard:
    input:
        rules.compile_kernels.output,
    output:
        "results/overparam/{alg}/m{m}_k{k}_r{r}/shard{shard}.npz",
    log:
        "logs/overparam/{alg}_m{m}_k{k}_r{r}_shard{shard}.log",
    wildcard_constraints:
        alg="|".join(config["overparam"]["algorithms"]),
        m=r"\d+",
    conda:
        "../../environment.yml"
    threads: config["threads"]
    resources:
        runtime=60,
        mem_mb=4000,
    params:
        spec=lambda wc: run_spec(config, "overparam", wc.alg, m=int(wc.m)),
        tolerances=config["tolerances"],
    message:
        "Over-parameterized student: {wildcards.alg}, m={wildcards.m}, k={wildcards.k}, r={wildcards.r}"
    script:
        "../scripts/overparam_shard.py"


rule overparam_aggregate:
    input:
        shards=overparam_all_shards(),
        code=pkg("experiments/overparam.py", "plotting.py", "latex.py", "outcomes.py"),
    output:
        csv="results/overparam.csv",
        tex="paper/tables/overparam.tex",
        pdf=report(
            "figures/overparam_success.pdf",
            caption="../report/overparam.rst",
            category="Over-parameterization",
        ),
        png="figures/overparam_success.png",
        alignment_pdf=report(
            "figures/overparam_alignment.pdf",
            caption="../report/overparam_alignment.rst",
            category="Over-parameterization",
        ),
        alignment_png="figures/overparam_alignment.png",
        macros="results/macros/overparam.json",
    log:
        "logs/overparam_aggregate.log",
    conda:
        "../../environment.yml"
    params:
        tolerances=config["tolerances"],
        catalogue=config["overparam"]["catalogue"],
    message:
        "Over-parameterized student: success table and figure"
    script:
        "../scripts/overparam_aggregate.py"


rule overparam_catalogue:
    input:
        shards=overparam_all_shards(),
        code=pkg("experiments/overparam.py", "multi.py", "plotting.py", "latex.py"),
    output:
        csv="results/overparam_stationary.csv",
        tex="paper/tables/overparam_stationary.tex",
        pdf=report(
            "figures/overparam_stationary.pdf",
            caption="../report/overparam_stationary.rst",
            category="Over-parameterization",
        ),
        png="figures/overparam_stationary.png",
    log:
        "logs/overparam_catalogue.log",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        runtime=60,
        mem_mb=4000,
    params:
        tolerances=config["tolerances"],
        catalogue=config["overparam"]["catalogue"],
    message:
        "Over-parameterized student: where GD stops (clusters, stationarity, Hessian)"
    script:
        "../scripts/overparam_catalogue.py"


for _name, _rule in (
    ("overparam_aggregate", rules.overparam_aggregate),
    ("overparam_catalogue", rules.overparam_catalogue),
):
    for _p in _rule.output:
        if not str(_p).endswith(".json"):
            PRODUCTS[str(_p)] = made_by(_name, f"{_name}.py")
