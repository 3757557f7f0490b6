from noisecnn.io import write_json
from noisecnn.simulate import warm_up
from noisecnn.workflow import log_to

with log_to(snakemake.log[0]):
    times = warm_up()
    print("compile (or cache load) + first call, seconds:", times)
    write_json(snakemake.output[0], {"seconds": times})
