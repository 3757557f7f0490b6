from noisecnn.experiments.escape_times import model, readings
from noisecnn.io import write_csv
from noisecnn.workflow import job_log

with job_log(snakemake):
    p, out = snakemake.params.model, snakemake.output
    memo = {}  # perturbed GD's Monte-Carlo moments, computed once per noise level
    grid, _ = model.predict(p, memo)
    write_csv(out.grid, grid)
    write_csv(out.phase1, readings.phase1(p, memo))
    write_csv(out.sgd_k, readings.sgd_across_k(p))
    print(grid.to_string())
