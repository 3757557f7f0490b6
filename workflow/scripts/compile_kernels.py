from noisecnn.io import write_json
from noisecnn.simulate import warm_up
from noisecnn.workflow import job_log

with job_log(snakemake):
    times = warm_up(snakemake.wildcards.family)
    print("compile (or cache load) + first call, seconds:", times)
    write_json(snakemake.output[0], {"seconds": times})
