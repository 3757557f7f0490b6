"""One figure style for every figure: sized for a two-column paper, vector PDF + PNG."""

from __future__ import annotations

import contextlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .io import atomic_path  # noqa: E402

COLUMN = 3.25  # inches: one column of a two-column paper
TEXT = 6.75  # inches: full text width

ALGO_LABEL = {"pgd": "perturbed GD", "gd": "GD", "sgd": "SGD", "psgd": "perturbed SGD"}
ALGO_COLOR = {"pgd": "#0072B2", "gd": "#D55E00", "sgd": "#009E73", "psgd": "#CC79A7"}

RC = {
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "lines.linewidth": 1.0,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "pdf.fonttype": 42,  # embed TrueType: editable text, accepted by publishers
    "ps.fonttype": 42,
    "savefig.dpi": 300,
    "figure.dpi": 100,
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
}


@contextlib.contextmanager
def style():
    import seaborn as sns

    with plt.rc_context():
        sns.set_theme(context="paper", style="ticks", rc=RC)
        plt.rcParams.update(RC)
        yield


def figure(width: float = TEXT, height: float = 2.4, **kw):
    return plt.subplots(figsize=(width, height), constrained_layout=True, **kw)


def save(fig, pdf: str | Path, png: str | Path | None = None, meta: dict | None = None) -> None:
    """Write the PDF (vector) and PNG atomically; ``meta`` goes into the PDF's Subject."""
    info = {"Creator": "noisecnn"}
    if meta:
        info["Subject"] = "; ".join(f"{k}={v}" for k, v in meta.items())
    with atomic_path(pdf) as tmp:
        fig.savefig(tmp, format="pdf", metadata=info)
    if png is not None:
        with atomic_path(png) as tmp:
            fig.savefig(tmp, format="png", dpi=200)
    plt.close(fig)
