from noisecnn import bench
from noisecnn.io import write_json
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    opts = snakemake.params.benchmarks
    argv = ["--out", snakemake.output.json, "--figure", snakemake.output.pdf, "--cores", str(opts["project_cores"])]
    if opts["quick"]:
        argv.append("--quick")
    if opts["gpu"]:
        argv.append("--gpu")
    b = bench.main(argv)
    write_json(snakemake.output.macros, bench.macros(b))
