"""One figure style for every figure: sized for a two-column paper, colour-blind-safe
palettes, fonts of at least 7 pt at the placed size, vector PDF + PNG."""

from __future__ import annotations

import contextlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .io import atomic_path  # noqa: E402

COLUMN = 3.25  # inches: one column of a two-column paper
TEXT = 6.75  # inches: full text width
MIN_FONT = 7  # points: the smallest text on any figure

ALGO_LABEL = {"pgd": "perturbed GD", "gd": "GD", "sgd": "SGD", "psgd": "perturbed SGD"}
# Okabe-Ito: distinguishable with every common form of colour blindness
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
ALGO_COLOR = {"pgd": OKABE_ITO[0], "gd": OKABE_ITO[1], "sgd": OKABE_ITO[2], "psgd": OKABE_ITO[3]}
SEQUENTIAL = "viridis"  # perceptually uniform, colour-blind safe
DIVERGING = "RdBu"

RC = {
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "xtick.labelsize": MIN_FONT,
    "ytick.labelsize": MIN_FONT,
    "legend.fontsize": MIN_FONT,
    "legend.title_fontsize": MIN_FONT,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
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
    with plt.rc_context(RC):
        yield


def colors(n: int, cmap: str = SEQUENTIAL):
    """n colours from a sequential colour-blind-safe map (ordered quantities: k, m, ρ)."""
    import numpy as np

    return plt.get_cmap(cmap)(np.linspace(0.0, 0.85, n))


def text_color(image, value) -> str:
    """Black or white, whichever reads better on the image's colour at ``value``."""
    rgb = image.cmap(image.norm(value))[:3]
    return "black" if 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 0.5 else "white"


def save(fig, pdf: str | Path, png: str | Path | None = None, name: str = "") -> None:
    """Write the PDF (vector) and PNG atomically; the PDF's metadata names the figure and code."""
    from .provenance import code_version

    cv = code_version()
    info = {"Creator": "noisecnn", "Subject": f"figure={name}; git_commit={cv['git_commit']}; "
                                              f"package={cv['package']}"}
    with atomic_path(pdf) as tmp:
        fig.savefig(tmp, format="pdf", metadata=info)
    if png is not None:
        with atomic_path(png) as tmp:
            fig.savefig(tmp, format="png", dpi=200)
    plt.close(fig)
