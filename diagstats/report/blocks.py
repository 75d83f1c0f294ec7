"""Building blocks of report sections: text, tables and estimates, each rendered as HTML and Markdown.

Everything that comes from data (labels, column names, values) is HTML-escaped here, so analyses
can assemble sections without thinking about escaping.

>>> import diagstats as ds
>>> sens = ds.accuracy(tp=9, fp=1, fn=1, tn=9).sensitivity
>>> sec = section("Sensitivity", paragraph("a < b"), estimates_table({"MRI": sens}))
>>> "a &lt; b" in sec.html and "| MRI |" in sec.markdown
True
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any, NamedTuple

import pandas as pd

from ..results import Estimate, format_level, format_number
from .figures import Figure
from .model import Section


class Block(NamedTuple):
    """A piece of a section in both output formats."""

    html: str
    markdown: str


def paragraph(text: str, *, note: bool = False) -> Block:
    """Plain text (escaped); ``note=True`` sets it in the smaller "note" style."""
    css = ' class="note"' if note else ""
    return Block(f"<p{css}>{html.escape(text)}</p>", text)


def bullet_list(items: list[str]) -> Block:
    """An unordered list of plain-text items."""
    if not items:
        return Block("", "")
    return Block("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>",
                 "\n".join(f"- {i}" for i in items))


def frame_to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub-style pipe table (text already formatted by the caller)."""
    cells = frame.astype(object).where(frame.notna(), "").map(lambda v: str(v).replace("|", "\\|"))
    header = "| " + " | ".join(str(c).replace("|", "\\|") for c in frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = ["| " + " | ".join(row) + " |" for row in cells.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def table(frame: pd.DataFrame) -> Block:
    """A table of already formatted values (pandas escapes the HTML)."""
    return Block(frame.to_html(index=False, border=0, escape=True, na_rep=""), frame_to_markdown(frame))


def format_estimate(est: Estimate, digits: int = 3) -> str:
    """``0.912 (0.871 to 0.941)``; a missing interval is left out."""
    value = format_number(est.value, digits)
    if est.lower is None or est.upper is None or pd.isna(est.lower) or pd.isna(est.upper):
        return value
    return f"{value} ({format_number(est.lower, digits)} to {format_number(est.upper, digits)})"


def estimates_table(estimates: Mapping[str, Estimate], *, label: str = "", digits: int = 3) -> Block:
    """One row per estimate: label, estimate with interval, level and method."""
    rows = [{label or "estimate": name, "value (CI)": format_estimate(est, digits),
             "level": format_level(est.level), "method": est.method} for name, est in estimates.items()]
    return table(pd.DataFrame(rows, columns=[label or "estimate", "value (CI)", "level", "method"]))


def section(title: str, *blocks: Block, figures: tuple[Figure, ...] | list[Figure] = ()) -> Section:
    """A :class:`Section` from blocks (joined in order) and figures."""
    return Section(title, "\n".join(b.html for b in blocks if b.html),
                   "\n\n".join(b.markdown for b in blocks if b.markdown), tuple(figures))


def key_number(est: Estimate | float | int, *, rel: float | None = None, abs: float | None = None) -> Any:
    """A ``key_numbers.json`` entry: the estimate's dictionary (or a number), with an optional tolerance."""
    entry: Any = est.to_dict() if isinstance(est, Estimate) else est
    if rel is not None or abs is not None:
        if not isinstance(entry, dict):
            entry = {"value": entry}
        entry["tolerance"] = {k: v for k, v in (("rel", rel), ("abs", abs)) if v is not None}
    return entry
