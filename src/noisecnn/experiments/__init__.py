"""The experiments of the paper (E1 Table 1, E2 Figure 3, E5 reproduction and sensitivity)
and our extensions (E3 over-parameterized student, E4 computed landscapes), one package
each.  Every package separates:

* ``plan``: the jobs and their parameters, from the config (pure Python: the workflow
  calls it at parse time);
* ``run``: one simulation job -> one shard (calls the core);
* ``aggregate``: shards -> a CSV, after checking that each shard holds what was asked;
* ``figures`` and ``tables``: CSV -> figures, LaTeX tables and the macros the text quotes.

Scripts in ``workflow/scripts`` call these with their rule's params only.
"""
