"""E6 — escape times: from the spurious point, at a constant step size and noise level, the
first iteration at which φ < π/2, measured over a grid (perturbed GD: ρ_w × ‖a*‖; SGD:
η × batch) and predicted by the reduced 1-D model (:mod:`noisecnn.reduced`).

``plan`` (jobs), ``run``, ``aggregate`` (survival, median with interval), ``model``
(predictions), ``figures``, ``tables`` (table and macros)."""
