"""E1 — Table 1: success rates of perturbed GD / GD / SGD over the (k, r) grid.

``plan`` (jobs), ``run`` (one shard), ``aggregate`` (shards -> results/table1.csv),
``figures`` (heatmap), ``tables`` (booktabs table and macros)."""
