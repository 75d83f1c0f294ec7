"""The report model: what an analysis returns and the templates render."""

from __future__ import annotations

import hashlib
import os
import platform
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = jinja2.Environment(
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


@dataclass(frozen=True)
class Section:
    """One titled part of a report, already rendered as (trusted) HTML and as Markdown."""

    title: str
    html: str
    markdown: str


@dataclass(frozen=True)
class Report:
    """A finished analysis: question, data, sections and the headline numbers.

    ``key_numbers`` maps a stable name to an ``Estimate.to_dict()``-style dictionary; it is written
    to ``key_numbers.json`` and is what ``diagstats validate`` compares.
    """

    name: str
    title: str
    question: str
    sections: tuple[Section, ...]
    data: tuple[DataSource, ...] = ()
    key_numbers: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, bytes] = field(default_factory=dict)

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
        return TEMPLATES.get_template("report.html").render(self._context())

    def to_markdown(self) -> str:
        return TEMPLATES.get_template("report.md").render(self._context())

    def _repr_html_(self) -> str:
        return self.to_html()

    def write(self, out_dir: str | os.PathLike, formats: tuple[str, ...] = ("html", "md")) -> Path:
        from .build import write

        return write(self, out_dir, formats)
