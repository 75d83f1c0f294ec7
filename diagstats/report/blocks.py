"""Building blocks of report sections: text, tables and estimates, each rendered as HTML and Markdown.

Everything that comes from data (labels, column names, values) is escaped here, in the HTML and in
the Markdown, so analyses can assemble sections without thinking about escaping. Tables show
clinical labels (:mod:`~diagstats.report.labels`: ``ppv`` -> PPV) and numbers in the one report
format (:func:`~diagstats.report.model.format_value`); on screen an interval or a short cell never
wraps (a wide table scrolls sideways instead), in print everything may wrap to fit the page.

>>> import diagstats as ds
>>> sens = ds.accuracy(tp=9, fp=1, fn=1, tn=9).sensitivity
>>> sec = section("Sensitivity", paragraph("a < b"), estimates_table({"MRI": sens}))
>>> "a &lt; b" in sec.html and "| MRI |" in sec.markdown
True
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

import pandas as pd

from ..results import Estimate, format_level
from .figures import Figure
from .labels import STUDY_COLUMNS, relabel, study_label
from .model import Section, format_value, markdown_cell, markdown_text

#: Cells up to this many characters ("median (IQR)", "< 0.001", "lesion, patient") are not wrapped.
SHORT_CELL = 24
_INTERVAL_CELL = re.compile(r"^(\S+ )?\(?[^()\s]+ to [^()\s]+\)?$")


class Block(NamedTuple):
    """A piece of a section in both output formats."""

    html: str
    markdown: str


def paragraph(text: str, *, note: bool = False) -> Block:
    """Plain text (escaped); ``note=True`` sets it in the smaller "note" style."""
    css = ' class="note"' if note else ""
    return Block(f"<p{css}>{html.escape(text)}</p>", markdown_text(text))


def bullet_list(items: list[str]) -> Block:
    """An unordered list of plain-text items."""
    if not items:
        return Block("", "")
    return Block("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>",
                 "\n".join(f"- {markdown_text(i)}" for i in items))


def frame_to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub-style pipe table (text already formatted by the caller; HTML and ``|`` escaped)."""
    cells = frame.astype(object).where(frame.notna(), "").map(markdown_cell)
    header = "| " + " | ".join(markdown_cell(c) for c in frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = ["| " + " | ".join(row) + " |" for row in cells.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def _cell(value: Any) -> str:
    """A table cell's text: a number in the report format, a text with clinical labels."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return relabel(value) if isinstance(value, str) else format_value(value)


def _keep_together(text: str) -> bool:
    """An interval, a number or a short label: never broken over lines on screen (long text wraps)."""
    return len(text) <= SHORT_CELL or bool(_INTERVAL_CELL.search(text))


def _interval_html(text: str) -> str:
    """Escaped ``text``; an interval's limits in a ``ci`` span, which never breaks (in print neither)."""
    match = _INTERVAL_CELL.fullmatch(text)
    if not match:
        return html.escape(text)
    value, interval = match.group(1) or "", text[len(match.group(1) or ""):]
    return f'{html.escape(value)}<span class="ci">{html.escape(interval)}</span>'


def _html_table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for row in frame.itertuples(index=False):
        cells = "".join(f'<td class="nowrap">{_interval_html(v)}</td>' if _keep_together(v) else
                        f"<td>{html.escape(v)}</td>" for v in row)
        rows.append(f"<tr>{cells}</tr>")
    return (f'<div class="table-wrap"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n' + "\n".join(rows)
            + "\n</tbody>\n</table></div>")


def table(frame: pd.DataFrame) -> Block:
    """A table of formatted values, with clinical labels; wide tables scroll sideways on screen.

    >>> t = table(pd.DataFrame({"measure": ["ppv", "lr_positive"], "value (CI)": ["0.9 (0.8 to 1)", "<b>"]}))
    >>> '<td class="nowrap">PPV</td>' in t.html and "&lt;b&gt;" in t.html
    True
    >>> '<td class="nowrap">0.9 <span class="ci">(0.8 to 1)</span></td>' in t.html
    True
    >>> print(t.markdown)
    | measure | value (CI) |
    | --- | --- |
    | PPV | 0.9 (0.8 to 1) |
    | LR+ | &lt;b> |
    """
    studies = [str(c).lower() in STUDY_COLUMNS for c in frame.columns]
    shown = pd.DataFrame([[study_label(v) if is_study and isinstance(v, str) else _cell(v)
                           for v, is_study in zip(row, studies)] for row in frame.itertuples(index=False)],
                         columns=[relabel(str(c)) for c in frame.columns])
    return Block(_html_table(shown), frame_to_markdown(shown))


def format_estimate(est: Estimate, digits: int = 3) -> str:
    """``0.912 (0.871 to 0.941)`` in the report's number format; a missing interval is left out.

    >>> import diagstats as ds
    >>> format_estimate(ds.Estimate(1352.563, 75.2, 24148.2, 0.95, "Wald", "dor"))
    '1353 (75 to 24148)'
    """
    if est.lower is None or est.upper is None or pd.isna(est.lower) or pd.isna(est.upper):
        return format_value(est.value, digits)
    finite = [abs(v) for v in (est.value, est.lower, est.upper) if v is not None and math.isfinite(v)]
    value, lower, upper = (format_value(v, digits, scale=max(finite, default=None)) for v in
                           (est.value, est.lower, est.upper))
    return f"{value} ({lower} to {upper})"


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
