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


def log_axis(ax, which: str = "x") -> None:
    """A log scale whose tick labels print: powers of ten only (no minor labels such as
    1.175×10⁻¹), over at least one full decade."""
    import math

    from matplotlib.ticker import LogLocator, NullFormatter

    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xscale if which == "x" else ax.set_yscale)("log")
    lo, hi = (ax.get_xlim() if which == "x" else ax.get_ylim())
    if lo > 0 and hi > 0:
        lo, hi = 10 ** math.floor(math.log10(lo)), 10 ** math.ceil(math.log10(hi))
        (ax.set_xlim if which == "x" else ax.set_ylim)(lo, hi if hi > lo else lo * 10)
    axis.set_major_locator(LogLocator(base=10, numticks=6))
    axis.set_minor_formatter(NullFormatter())


def rate_label(v: float) -> str:
    """A rate in a small heatmap cell: '0' and '1' when exact, else two decimals without the
    leading zero ('.61'), so that five columns fit a one-column panel."""
    if v == 0.0 or v == 1.0:
        return f"{v:.0f}"
    return f"{v:.2f}".lstrip("0")


def text_color(image, value) -> str:
    """Black or white, whichever reads better on the image's colour at ``value``."""
    rgb = image.cmap(image.norm(value))[:3]
    return "black" if 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 0.5 else "white"


def _drawn_ticklabels(axis):
    """The tick labels matplotlib actually draws: non-empty, at ticks inside the view limits."""
    lo, hi = sorted(axis.get_view_interval())
    span = (hi - lo) * 1e-9
    out = []
    for ticks in (axis.get_major_ticks(), axis.get_minor_ticks()):
        for tick in ticks:
            lab = tick.label1
            loc = tick.get_loc()
            if lab.get_visible() and lab.get_text().strip() and lo - span <= loc <= hi + span:
                out.append(lab)
    return out


def layout_problems(fig) -> list[str]:
    """What would not print well at the figure's size: text below MIN_FONT points, tick
    labels of one axis that overlap, text or legends reaching outside the figure."""
    from matplotlib.axis import Tick
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox.padded(1.0)
    ticklabels = {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
                  for ticks in (axis.get_major_ticks(), axis.get_minor_ticks()) for tk in ticks
                  for t in (tk.label1, tk.label2)}
    drawn = [t for ax in fig.axes for axis in (ax.xaxis, ax.yaxis) for t in _drawn_ticklabels(axis)]
    texts = [t for t in fig.findobj(Text) if id(t) not in ticklabels and t.get_visible() and t.get_text().strip()
             and not isinstance(t.axes, Tick)]
    out = []
    for t in texts + drawn:
        if t.get_fontsize() < MIN_FONT - 1e-6:
            out.append(f"text {t.get_text()[:30]!r} at {t.get_fontsize():g} pt < {MIN_FONT} pt")
        box = t.get_window_extent(renderer)
        if box.x0 < page.x0 or box.x1 > page.x1 or box.y0 < page.y0 or box.y1 > page.y1:
            out.append(f"text {t.get_text()[:30]!r} reaches outside the figure")
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            boxes = [(lab.get_text(), lab.get_window_extent(renderer)) for lab in _drawn_ticklabels(axis)]
            boxes.sort(key=lambda tb: (tb[1].x0, tb[1].y0))
            for (t1, b1), (t2, b2) in zip(boxes, boxes[1:]):
                if b1.overlaps(b2) and b1.intersection(b1, b2).width * b1.intersection(b1, b2).height > 1.0:
                    out.append(f"tick labels {t1!r} and {t2!r} overlap ({ax.get_title() or ax.get_xlabel()})")
    return out


def save(fig, pdf: str | Path, png: str | Path | None = None, name: str = "") -> None:
    """Write the PDF (vector) and PNG atomically; the PDF's metadata names the figure and code.

    Layout problems (:func:`layout_problems`) are printed to the job's log; with
    ``NOISECNN_STRICT_FIGURES=1`` (the tests) they are errors."""
    import os

    from .provenance import code_version

    problems = layout_problems(fig)
    for prob in problems:
        print(f"[figure {name}] {prob}")
    if problems and os.environ.get("NOISECNN_STRICT_FIGURES") == "1":
        plt.close(fig)
        raise ValueError(f"figure {name}: " + "; ".join(problems))

    cv = code_version()
    info = {"Creator": "noisecnn", "Subject": f"figure={name}; git_commit={cv['git_commit']}; "
                                              f"package={cv['package']}"}
    with atomic_path(pdf) as tmp:
        fig.savefig(tmp, format="pdf", metadata=info)
    if png is not None:
        with atomic_path(png) as tmp:
            fig.savefig(tmp, format="png", dpi=200)
    plt.close(fig)
