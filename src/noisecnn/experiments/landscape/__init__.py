"""E4 — the computed counterparts of the paper's Figures 1-2: the noise-smoothed profile
ℓ_ρ(φ) for several ρ, the 2-D landscape over (φ, aᵀa*) with trajectories, and a
two-filter slice.  ``plan`` (the GD trajectories' job), ``run``, ``compute`` (G_ρ and the
profiles), ``figures``, ``tables`` (macros)."""
