"""Figures for reports: a matplotlib figure rendered once as inline SVG and as PNG, byte-reproducibly.

Matplotlib stamps SVG files with a date and random element ids, and PNG files with its version;
here the ids are hashed from a fixed salt, the date and software stamps are dropped, and the SVG's
XML prologue and RDF metadata are removed so it can be inlined in HTML. Matplotlib names glyphs
after the font (``DejaVuSans-30``) in every figure, so every id and every reference to one
(``href="#..."``, ``url(#...)``) is prefixed with the figure's file name: several SVGs inlined in one
page never share an id. Figure texts (titles, axis and tick labels, legends, annotations) and the
caption show clinical labels (:func:`~diagstats.report.labels.relabel`).

>>> from matplotlib.figure import Figure as MplFigure
>>> fig = MplFigure(figsize=(2, 2))
>>> _ = fig.subplots().plot([0, 1], [0, 1])
>>> a = render(fig, "line.png", "A line")
>>> a.svg.startswith("<svg") and a.png[:4] == b"\\x89PNG"
True
>>> render(fig, "line.png", "A line") == a
True
>>> 'id="line-' in a.svg and 'href="#line-' in a.svg
True
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass

from ..errors import OptionError
from .labels import relabel

_PROLOGUE = re.compile(r"\A.*?(?=<svg)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ID_OR_REFERENCE = re.compile(r'(\bid="|href="#|url\(#)')
PNG_DPI = 120


@dataclass(frozen=True)
class Figure:
    """A rendered figure: ``svg`` (text, for inlining in HTML) and ``png`` (bytes, for ``figures/``)."""

    filename: str
    caption: str
    svg: str
    png: bytes


def new_figure(width: float = 6.0, height: float = 4.5):
    """A matplotlib Figure that is not registered with pyplot (no global state, no GUI backend)."""
    from matplotlib.figure import Figure as MplFigure

    return MplFigure(figsize=(width, height), layout="constrained")


def _row_label(text: str) -> str:
    """A y tick label names a row (a study, a group): a bare lower-case id is capitalised (``ongkeko``)."""
    shown = relabel(text)
    return shown.capitalize() if shown == text and re.fullmatch(r"[a-z]+", text) else shown


def _relabelled(name, func, x, pos=None) -> str:
    return name(func(x, pos))


def _relabel_texts(fig) -> None:
    """Show clinical labels in every text of ``fig`` (fixed tick labels included)."""
    from matplotlib.text import Text
    from matplotlib.ticker import FixedFormatter, FuncFormatter

    for text in fig.findobj(Text):
        text.set_text(relabel(text.get_text()))
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            name = _row_label if axis is ax.yaxis else relabel
            if isinstance(formatter, FixedFormatter):
                formatter.seq = [name(str(t)) for t in formatter.seq]
            elif isinstance(formatter, FuncFormatter):      # what set_ticklabels makes (matplotlib >= 3.10)
                formatter.func = functools.partial(_relabelled, name, formatter.func)


def render(fig, filename: str, caption: str) -> Figure:
    """Render the matplotlib figure ``fig`` as a :class:`Figure`; the same figure always gives the same bytes."""
    import matplotlib

    if not re.fullmatch(r"[a-z0-9_]+\.png", filename):
        raise OptionError(f"filename={filename!r} must be lower-case letters, digits and '_' ending in '.png'.")
    _relabel_texts(fig)
    with matplotlib.rc_context({"svg.hashsalt": f"diagstats-{filename}", "svg.fonttype": "path"}):
        svg, png = io.BytesIO(), io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None})
        fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    text = _METADATA.sub("", _PROLOGUE.sub("", svg.getvalue().decode("utf-8"), count=1), count=1)
    text = _ID_OR_REFERENCE.sub(lambda m: f"{m.group(1)}{filename[:-4]}-", text)
    return Figure(filename, relabel(caption), text.strip(), png.getvalue())
