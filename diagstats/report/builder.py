"""Finding analyses and building their reports (:mod:`~diagstats.report.writer` writes them)."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
from pathlib import Path
from typing import Any

from .._input import check_option
from ..errors import DiagstatsError, OptionError
from .blocks import frame_to_markdown  # noqa: F401 - re-exported (part of this module's API)
from .model import Report
from .study import SETTINGS, Study
from .study_data import read_study_data
from .writer import FORMATS, write  # noqa: F401 - re-exported (part of this module's API)


#: The analyses of a source checkout (``<repository>/analyses``), found wherever Python runs from.
CHECKOUT_ANALYSES = Path(__file__).resolve().parents[2] / "analyses"


def analyses_dir(path: str | os.PathLike | None = None) -> Path:
    """The folder of analysis scripts: ``path``, ``$DIAGSTATS_ANALYSES``, ``./analyses``, or the checkout's."""
    folder = Path(path or os.environ.get("DIAGSTATS_ANALYSES", "analyses"))
    if path is None and "DIAGSTATS_ANALYSES" not in os.environ and not folder.is_dir() and CHECKOUT_ANALYSES.is_dir():
        folder = CHECKOUT_ANALYSES
    if not folder.is_dir():
        given = ("--analyses" if path is not None else
                 "$DIAGSTATS_ANALYSES" if "DIAGSTATS_ANALYSES" in os.environ else "./analyses")
        problem = "is a file, not a folder" if folder.exists() else "does not exist"
        raise DiagstatsError(f"The analyses folder {str(folder)!r} ({given}) {problem}; give the folder holding "
                             "the analysis scripts with --analyses DIR, or run from the project root.")
    return folder


def list_analyses(path: str | os.PathLike | None = None) -> list[str]:
    """Names of the analyses (the scripts in the analyses folder that define ``run``)."""
    folder = analyses_dir(path)
    return sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_") and "def run(" in p.read_text())


def _module(name: str, folder: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"diagstats_analysis_{name}", folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def refusal(name: str, study: Study, *, path: str | os.PathLike | None = None) -> str | None:
    """Why analysis ``name`` cannot run on ``study`` (from its ``REQUIRES``), or None if it can. Computes nothing.

    An analysis declares ``REQUIRES``: the roles it needs (``"reference"``, ``"tests"``, ``"biopsy"``,
    ``"nlr"``, ``"tables"``; see :data:`~diagstats.report.study.ROLE_HELP`), or ``None`` when it takes no
    user data.
    """
    folder = analyses_dir(path)
    name = check_option(name, "name", list_analyses(folder))
    return study.missing(name, getattr(_module(name, folder), "REQUIRES", None))


def config_study(config: dict[str, Any]) -> dict[str, Any]:
    """``config`` with ``data``, ``mapping``, ``positive`` and ``test_positive`` turned into a ``study``."""
    flags = {k: config[k] for k in ("data", "mapping", "positive", "test_positive") if config.get(k) is not None}
    config = {k: v for k, v in config.items() if k not in ("data", "mapping", "positive", "test_positive")}
    if flags and config.get("study") is not None:
        raise OptionError("give either study or data (with mapping, positive, test_positive), not both.")
    if flags:
        if "data" not in flags:
            raise OptionError("mapping, positive and test_positive describe a data file; give data too.")
        from .data import parse_mapping

        config["study"] = Study.from_flags(flags["data"], parse_mapping(flags.get("mapping")), flags.get("positive"),
                                           flags.get("test_positive"))
    if config.get("study") is not None and not isinstance(config["study"], Study):
        raise OptionError(f"study must be a diagstats.report.study.Study (from load_study('study.toml')); got "
                          f"{type(config['study']).__name__}.")
    return config


def build(name: str, config: dict[str, Any] | None = None, *, path: str | os.PathLike | None = None,
          **options: Any) -> Report:
    """Run analysis ``name`` with ``config`` (and/or keyword ``options``) and return its :class:`Report`.

    The report displays inline in Jupyter; ``report.write("reports")`` writes it. Typical options:
    ``n`` and ``seed`` (simulated cohort), ``study`` (a :class:`~diagstats.report.study.Study`) or ``data``
    (a CSV path) with ``mapping``, ``positive`` and ``test_positive``, ``progress``. On a study, an analysis
    that lacks a role it needs refuses before computing anything; the report stores ``study.toml``.
    """
    folder = analyses_dir(path)
    name = check_option(name, "name", list_analyses(folder))
    module = _module(name, folder)
    config = config_study({**(config or {}), **options})
    study = config.get("study")
    if study is not None:
        reason = study.missing(name, getattr(module, "REQUIRES", None))
        if reason:
            raise DiagstatsError(reason)
        data = read_study_data(study)
        defaults = getattr(module, "DEFAULTS", {})
        for key, value in study.settings:      # the study's seed, level, n_boot, where the analysis takes them
            if key in defaults and config.get(key) is None:
                config[key] = value
        config["study"] = data
        used = tuple((k, config[k]) for k in SETTINGS if config.get(k) is not None)
    try:
        report = module.run(config)
    except DiagstatsError as error:     # say which analysis met the problem
        raise type(error)(f"{name}: {error}") from None
    if not isinstance(report, Report):
        raise DiagstatsError(f"analysis {name!r} returned {type(report).__name__}, not a Report.")
    if study is not None:
        stored = dataclasses.replace(study, settings=used or study.settings).to_toml(
            data=str(Path(study.data).resolve()), sha256=data.source.sha256)
        report = dataclasses.replace(report, files={**report.files, "study.toml": stored})
    return report
