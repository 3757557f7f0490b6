"""Experiments E1-E5 (SPEC §6): each module turns config + kernels into outputs."""
