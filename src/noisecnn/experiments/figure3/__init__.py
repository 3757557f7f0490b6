"""E2 — Figure 3: trajectories of perturbed GD and SGD from the spurious point
(k = 100, a*_j = ∓‖a*‖/√k), run mean with spread, epoch boundaries marked; and the same
figure at the swept setting nearest the paper's where each algorithm escapes.

``plan`` (jobs), ``run``, ``figures``, ``tables`` (macros)."""
