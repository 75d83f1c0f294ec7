"""The report model: what an analysis returns and the templates render; the one number format of reports.

Numbers in report tables and text follow one rule (:func:`format_value`): no scientific notation,
at least 4 significant digits and at most ``digits`` (3) decimals, so the decimals shrink as the
magnitude grows: ``|x| < 10`` -> 3 decimals (``0.912``, ``4.994``), ``< 100`` -> 2 (``24.12``),
``< 1000`` -> 1 (``139.4``), larger -> whole numbers (``24148``); with ``digits=2``, ``2.03`` and
``139.4``. An estimate and its interval share the decimals of the largest of the three
(``24.12 (5.83 to 99.81)``, ``3522 (1353 to 24148)``). A value that is not 0 or +-1 never
prints as one: it gets more decimals (up to 6) until it does not (``0.99974`` -> ``0.9997``,
``0.00004`` -> ``0.00004``), while exactly 1 prints ``1.000``. Integers print as integers.

Text from data is escaped in both outputs: Jinja2 autoescapes the HTML template, and
:func:`markdown_text` escapes what could start an HTML tag or entity in the Markdown.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import platform
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from .figures import Figure
from .stard_checklist import checklist
from .writer import write

MAX_DECIMALS = 6


def format_value(x: Any, digits: int = 3, *, scale: float | None = None) -> str:
    """A number as report tables show it (the rule is in the module docstring); missing is ``NA``.

    ``scale`` sets the decimals by another magnitude than ``x``'s (that of the largest number shown with it).

    >>> [format_value(v) for v in (0.912, 24.116, 1352.563, 24148.2, 0.99974, 1.0, 0.00004, -0.0261, 12)]
    ['0.912', '24.12', '1353', '24148', '0.9997', '1.000', '0.00004', '-0.026', '12']
    """
    if x is None or isinstance(x, str):
        return "NA" if x is None else x
    if isinstance(x, (bool, int)) or (hasattr(x, "dtype") and getattr(x.dtype, "kind", "") in "iu"):
        return str(int(x))
    x = float(x)
    if math.isnan(x):
        return "NA"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    magnitude = abs(x) if scale is None else abs(scale)
    decimals = min(digits, max(0, 3 - math.floor(math.log10(magnitude)))) if magnitude else digits
    text = f"{x:.{decimals}f}"
    while decimals < MAX_DECIMALS and x not in (0.0, 1.0, -1.0) and abs(float(text)) in (0.0, 1.0):
        decimals += 1
        text = f"{x:.{decimals}f}"
    return text


_MD_UNSAFE = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?\w+;)")


def markdown_text(text: Any) -> str:
    """Text from data made safe for Markdown (and the HTML it becomes): a ``<`` that could open a tag
    and an ``&`` that could start an entity are escaped; ``p < 0.001`` and ``Begg & Greenes`` stay as written.

    >>> markdown_text("<script>alert(1)</script> & a&lt;b, p < 0.001")
    '&lt;script>alert(1)&lt;/script> & a&amp;lt;b, p < 0.001'
    """
    return _MD_UNSAFE.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;", str(text))


def markdown_cell(text: Any) -> str:
    """:func:`markdown_text` for a pipe-table cell: also ``|`` escaped and line breaks joined."""
    return markdown_text(text).replace("|", "\\|").replace("\n", " ")


@functools.cache
def _templates() -> Any:
    """The Jinja2 environment of the report templates (Jinja2 loads with the first report rendered)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("diagstats.report", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = markdown_text
    env.filters["mdcell"] = markdown_cell
    return env


PROVENANCE_PACKAGES = ("diagstats", "numpy", "scipy", "pandas", "statsmodels", "scikit-learn", "matplotlib",
                       "jinja2")


@dataclass(frozen=True)
class DataSource:
    """Where the data of a report came from, with a SHA-256 of its bytes."""

    description: str
    sha256: str
    n: int
    missingness: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_bytes(cls, description: str, content: bytes, n: int, missingness: dict[str, int] | None = None):
        return cls(description, hashlib.sha256(content).hexdigest(), n, dict(missingness or {}))


#: Significant digits of the floats in ``key_numbers.json``. Far finer than any tolerance of
#: ``diagstats validate`` (relative 1e-6), and coarse enough that the last-digit noise of floating
#: point between machines (BLAS kernels, thread counts: relative differences about 1e-14 seen here)
#: does not change the file, so a report rebuilds byte-identical on any machine.
KEY_NUMBER_DIGITS = 10


def stated_precision(x: Any, digits: int = KEY_NUMBER_DIGITS) -> Any:
    """``x`` with every float rounded to ``digits`` significant digits (containers walked, other values kept).

    >>> stated_precision({"auc": 0.7052238805970149, "n": 40, "ci": [0.61234567891234, None]})
    {'auc': 0.7052238806, 'n': 40, 'ci': [0.6123456789, None]}
    """
    if isinstance(x, dict):
        return {k: stated_precision(v, digits) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [stated_precision(v, digits) for v in x]
    if isinstance(x, float) and math.isfinite(x):
        return float(f"{x:.{digits}g}")
    return x


@dataclass(frozen=True)
class Section:
    """One titled part of a report, already rendered as (trusted) HTML and as Markdown, and its figures.

    Figures are shown after the text: inline SVG in HTML, ``figures/<file>.png`` in Markdown.
    """

    title: str
    html: str
    markdown: str
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Report:
    """A finished analysis: question, data, sections and the headline numbers.

    ``key_numbers`` maps a stable name to an ``Estimate.to_dict()``-style dictionary (or a plain
    number); it is written to ``key_numbers.json`` (floats at :data:`KEY_NUMBER_DIGITS` significant
    digits, see :meth:`key_numbers_json`) and is what ``diagstats validate`` compares. An entry may
    carry ``"tolerance": {"rel": ..., "abs": ...}`` to loosen the default comparison.
    ``figures`` maps extra file names to bytes for ``figures/``; the PNGs of the sections' figures
    are added to them by :meth:`figure_files`. ``files`` maps more file names to text written beside
    ``key_numbers.json`` (``study.toml``, ``command.txt`` of a report on a user's study).
    ``stard`` maps a STARD 2015 item (``"12a"``) to where the report addresses it, for what the
    checklist cannot find in the report's sections by itself (see :mod:`~diagstats.report.stard_checklist`).
    """

    name: str
    title: str
    question: str
    sections: tuple[Section, ...]
    data: tuple[DataSource, ...] = ()
    key_numbers: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, bytes] = field(default_factory=dict)
    stard: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)

    def key_numbers_json(self) -> str:
        """``key_numbers`` as the text of ``key_numbers.json``: sorted keys, floats at the stated precision."""
        return json.dumps(stated_precision(self.key_numbers), indent=2, sort_keys=True, allow_nan=False) + "\n"

    def figure_files(self) -> dict[str, bytes]:
        """Every file of ``figures/``: the sections' PNGs and ``figures``."""
        files = dict(self.figures)
        for section in self.sections:
            for fig in section.figures:
                if fig.filename in files:
                    raise ValueError(f"two figures of report {self.name!r} are called {fig.filename!r}.")
                files[fig.filename] = fig.png
        return files

    def provenance(self) -> dict[str, str]:
        versions = {"python": platform.python_version()}
        for package in PROVENANCE_PACKAGES:
            try:
                versions[package] = metadata.version(package)
            except metadata.PackageNotFoundError:
                versions[package] = "not installed"
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            versions["built"] = datetime.fromtimestamp(int(epoch), tz=timezone.utc).isoformat()
        return versions

    def _context(self) -> dict[str, Any]:
        return {"report": self, "provenance": self.provenance(), "checklist": checklist(self)}

    def to_html(self) -> str:
        return _templates().get_template("report.html").render(self._context())

    def to_markdown(self) -> str:
        return _templates().get_template("report.md").render(self._context())

    def _repr_html_(self) -> str:
        return self.to_html()

    def write(self, out_dir: str | os.PathLike, formats: tuple[str, ...] = ("html", "md")) -> Path:
        return write(self, out_dir, formats)
