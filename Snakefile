# Reproducible artifact for Zhou et al., "Towards Understanding the Importance of Noise
# in Training Neural Networks" (ICML 2019).  `snakemake --cores 8` regenerates every
# table and figure; see README.md ("Architecture") for the map of this workflow.
#
# config/config.yaml (+ any --configfile override) -> validated here, before any job
# -> each rule's params carry exactly what its job needs (workflow/rules/*.smk, planned by
# noisecnn.experiments.<experiment>.plan) -> thin scripts (workflow/scripts) -> the package.
import os
import sys
from pathlib import Path

from snakemake.utils import min_version

min_version("9.0")

# The package lives in src/: importable here and in every job (which inherits
# PYTHONPATH) even where it is not pip-installed, e.g. in the environment.yml env.
SRC = str(Path(workflow.basedir) / "src")
sys.path.insert(0, SRC)
os.environ["PYTHONPATH"] = os.pathsep.join(
    [SRC] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
)


report: "workflow/report/workflow.rst"


envvars:
    "PYTHONPATH",


include: "workflow/rules/common.smk"
include: "workflow/rules/setup.smk"
include: "workflow/rules/table1.smk"
include: "workflow/rules/figure3.smk"
include: "workflow/rules/sensitivity.smk"
include: "workflow/rules/reproduction.smk"
include: "workflow/rules/overparam.smk"
include: "workflow/rules/landscape.smk"
include: "workflow/rules/escape.smk"
include: "workflow/rules/benchmarks.smk"
include: "workflow/rules/bundle.smk"


onstart:
    check_cluster()


rule all:
    default_target: True
    input:
        final_targets(),
