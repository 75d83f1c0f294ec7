"""The report model: what an analysis returns and the templates render."""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import platform
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from .figures import Figure
from .writer import write


@functools.cache
def _templates() -> Any:
    """The Jinja2 environment of the report templates (Jinja2 loads with the first report rendered)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("diagstats.report", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


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
    """

    name: str
    title: str
    question: str
    sections: tuple[Section, ...]
    data: tuple[DataSource, ...] = ()
    key_numbers: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, bytes] = field(default_factory=dict)
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
        return {"report": self, "provenance": self.provenance()}

    def to_html(self) -> str:
        return _templates().get_template("report.html").render(self._context())

    def to_markdown(self) -> str:
        return _templates().get_template("report.md").render(self._context())

    def _repr_html_(self) -> str:
        return self.to_html()

    def write(self, out_dir: str | os.PathLike, formats: tuple[str, ...] = ("html", "md")) -> Path:
        return write(self, out_dir, formats)
