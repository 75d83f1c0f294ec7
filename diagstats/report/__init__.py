"""Reproducible reports: a :class:`Report` is built by an analysis and written as HTML, Markdown
and machine-readable key numbers.

The report layer composes results; it computes no new estimates. Building the same report twice
gives byte-identical files (no timestamps unless ``SOURCE_DATE_EPOCH`` is set).

>>> from diagstats.report import Report, Section
>>> rep = Report(name="demo", title="Demo", question="Does it work?", sections=(Section("One", "<p>1</p>", "1"),))
>>> "Does it work?" in rep.to_html()
True
"""

from .build import build, list_analyses, write
from .model import DataSource, Report, Section

__all__ = ["DataSource", "Report", "Section", "build", "list_analyses", "write"]
