"""Finding analyses and building their reports (:mod:`~diagstats.report.writer` writes them)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from .._input import check_option
from ..errors import DiagstatsError
from .blocks import frame_to_markdown  # noqa: F401 - re-exported (part of this module's API)
from .model import Report
from .writer import FORMATS, write  # noqa: F401 - re-exported (part of this module's API)


#: The analyses of a source checkout (``<repository>/analyses``), found wherever Python runs from.
CHECKOUT_ANALYSES = Path(__file__).resolve().parents[2] / "analyses"


def analyses_dir(path: str | os.PathLike | None = None) -> Path:
    """The folder of analysis scripts: ``path``, ``$DIAGSTATS_ANALYSES``, ``./analyses``, or the checkout's."""
    folder = Path(path or os.environ.get("DIAGSTATS_ANALYSES", "analyses"))
    if path is None and "DIAGSTATS_ANALYSES" not in os.environ and not folder.is_dir() and CHECKOUT_ANALYSES.is_dir():
        folder = CHECKOUT_ANALYSES
    if not folder.is_dir():
        raise DiagstatsError(f"The analyses folder {str(folder)!r} does not exist; run from the project root "
                             "or set DIAGSTATS_ANALYSES to the folder holding the analysis scripts.")
    return folder


def list_analyses(path: str | os.PathLike | None = None) -> list[str]:
    """Names of the analyses (the scripts in the analyses folder that define ``run``)."""
    folder = analyses_dir(path)
    return sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_") and "def run(" in p.read_text())


def build(name: str, config: dict[str, Any] | None = None, *, path: str | os.PathLike | None = None,
          **options: Any) -> Report:
    """Run analysis ``name`` with ``config`` (and/or keyword ``options``) and return its :class:`Report`.

    The report displays inline in Jupyter; ``report.write("reports")`` writes it. Typical options:
    ``n`` and ``seed`` (simulated cohort), ``data`` (a CSV path) with ``mapping``, ``progress``.
    """
    folder = analyses_dir(path)
    name = check_option(name, "name", list_analyses(folder))
    spec = importlib.util.spec_from_file_location(f"diagstats_analysis_{name}", folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    report = module.run({**(config or {}), **options})
    if not isinstance(report, Report):
        raise DiagstatsError(f"analysis {name!r} returned {type(report).__name__}, not a Report.")
    return report
