"""Benchmarks (not tests).  Prints, per algorithm at k = 25 and k = 100: ns per
run-iteration per core for the kernels and for a vectorised NumPy reference measured in
the same process, the ratio, the raw throughput of the kernels' generator, the kernels'
efficiency against it, and the projected wall time of the paper-scale workflow.

    python benchmarks/run.py [--quick] [--figure figures/scaling.pdf] [--out results/benchmarks.json]

The same numbers come from `snakemake --cores 2 benchmarks` (results/benchmarks.json and
figures/scaling.{pdf,png}).
"""

from noisecnn.bench import main

if __name__ == "__main__":
    main()
