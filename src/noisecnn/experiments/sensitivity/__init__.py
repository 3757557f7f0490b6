"""E5 — sensitivity sweeps over every choice the paper leaves unstated (SPEC §4-6).

A sweep starts from one of the paper's algorithms and varies one or two *knobs* (any
algorithm setting, or ``teacher_scale`` = ‖a*‖).  Each (sweep, point, cell) is one job;
all points of a sweep share the cell's random streams (common random numbers), so the
differences between points are not sampling noise of the streams.

Modules: ``sweeps`` (points and their ids; pure, used at parse time), ``run``,
``aggregate``, ``escape`` (the nearest escaping setting), ``figures``, ``tables``.
"""
