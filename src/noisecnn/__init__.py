"""noisecnn: reproducible simulations for Zhou et al., *Towards Understanding the
Importance of Noise in Training Neural Networks* (ICML 2019)."""

__version__ = "0.1.0"
