"""E5 — the reproduction report: the paper's Table 1 beside ours with a verdict per cell and
column, and the account (``paper/text/``) that explains what reproduces, what
does not, and the smallest swept change that restores each claim.

``compare`` (verdicts), ``figures``, ``tables``, ``narrative`` (the account and its macros)."""
