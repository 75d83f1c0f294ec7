"""Figures for reports: a matplotlib figure rendered once as inline SVG and as PNG, byte-reproducibly.

Matplotlib stamps SVG files with a date and random element ids, and PNG files with its version;
here the ids are hashed from a fixed salt (the figure's file name, so that several SVGs inlined in
one HTML page do not share ids), the date and software stamps are dropped, and the SVG's XML
prologue and RDF metadata are removed so it can be inlined in HTML.

>>> from matplotlib.figure import Figure as MplFigure
>>> fig = MplFigure(figsize=(2, 2))
>>> _ = fig.subplots().plot([0, 1], [0, 1])
>>> a = render(fig, "line.png", "A line")
>>> a.svg.startswith("<svg") and a.png[:4] == b"\\x89PNG"
True
>>> render(fig, "line.png", "A line") == a
True
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from ..errors import OptionError

_PROLOGUE = re.compile(r"\A.*?(?=<svg)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
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


def render(fig, filename: str, caption: str) -> Figure:
    """Render the matplotlib figure ``fig`` as a :class:`Figure`; the same figure always gives the same bytes."""
    import matplotlib

    if not re.fullmatch(r"[a-z0-9_]+\.png", filename):
        raise OptionError(f"filename={filename!r} must be lower-case letters, digits and '_' ending in '.png'.")
    with matplotlib.rc_context({"svg.hashsalt": f"diagstats-{filename}", "svg.fonttype": "path"}):
        svg, png = io.BytesIO(), io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None})
        fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    text = _METADATA.sub("", _PROLOGUE.sub("", svg.getvalue().decode("utf-8"), count=1), count=1)
    return Figure(filename, caption, text.strip(), png.getvalue())
