"""The LaTeX bundle's shared parts: the general macros (setting, code version) and the
provenance manifest of every output."""
