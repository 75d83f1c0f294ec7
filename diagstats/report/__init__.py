"""Reproducible reports: a :class:`Report` is built by an analysis and written as HTML, Markdown,
PNG figures and machine-readable key numbers.

The report layer composes results; it computes no new estimates. Building the same report twice
gives byte-identical files (no timestamps unless ``SOURCE_DATE_EPOCH`` is set).

* :func:`build` runs an analysis of ``analyses/`` and returns its :class:`Report` (inline in Jupyter),
  on the built-in data or on a user's study (:func:`load_study` reads a study file);
* :func:`write` writes it atomically to ``<out>/<name>/``;
* :func:`validate` re-runs analyses and diffs their key numbers against the committed ones;
* :mod:`~diagstats.report.blocks`, :mod:`~diagstats.report.figures` and :mod:`~diagstats.report.data`
  are the building blocks analyses use.

>>> from diagstats.report import Report, Section
>>> rep = Report(name="demo", title="Demo", question="Does it work?", sections=(Section("One", "<p>1</p>", "1"),))
>>> "Does it work?" in rep.to_html()
True
"""

from .builder import build, list_analyses, write
from .figures import Figure
from .model import DataSource, Report, Section
from .study import Study, load_study
from .validation import compare_key_numbers, validate

__all__ = ["DataSource", "Figure", "Report", "Section", "Study", "build", "compare_key_numbers", "list_analyses",
           "load_study", "validate", "write"]
