"""E5 — sensitivity sweeps over every choice the paper leaves unstated (SPEC §4-6).

A sweep starts from one of the paper's algorithms and varies one or two *knobs* (any
algorithm setting, or ``teacher_scale`` = ‖a*‖).  Each (sweep, point, cell) is one job;
all points of a sweep share the cell's random streams (common random numbers), so the
differences between points are not sampling noise of the streams.  A point that is the same
simulation as a point of an earlier sweep (the paper's setting appears in every sweep of its
algorithm) is not computed again: it reads that point's shard (``plan.members``).

Modules: ``sweeps`` (points and their ids; pure, used at parse time), ``run``,
``aggregate``, ``escape`` (the nearest escaping setting), ``figures``, ``tables``.
"""
