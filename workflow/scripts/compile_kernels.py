from noisecnn.io import write_json
from noisecnn.workflow import compile_all, log_to

with log_to(snakemake.log[0]):
    times = compile_all()
    print("compile + first call (s):", times)
    write_json(snakemake.output[0], {"seconds": times})
