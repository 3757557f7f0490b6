from noisecnn.experiments.escape_times import model, readings
from noisecnn.io import write_csv
from noisecnn.workflow import job_log

with job_log(snakemake):
    p, out = snakemake.params.model, snakemake.output
    grid, _ = model.predict(p)
    write_csv(out.grid, grid)
    write_csv(out.phase1, readings.phase1(p))
    write_csv(out.sgd_k, readings.sgd_across_k(p))
    print(grid.to_string())
