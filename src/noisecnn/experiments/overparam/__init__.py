"""E3 — the over-parameterized student (m filters, one-filter teacher).

* success of GD from random initialisation and of perturbed GD from the spurious
  configuration (every filter at −w*, output weights ã/m), over m, k and r;
* a catalogue of where GD stops when it fails: final states clustered by how many
  filters sit near w*, near −w*, elsewhere or carry no output weight; each cluster's
  representatives taken to their stationary point (snap, Newton on the closed form) and
  classified (:mod:`noisecnn.stationary`);
* alignment of successful runs: each filter's angle to w* and its share of a*.

``plan``, ``run``, ``aggregate``, ``catalogue``, ``figures``, ``tables``."""
