"""Re-run analyses and compare their key numbers with the committed ``key_numbers.json``.

A changed number is a visible, reviewed event: :func:`validate` returns a readable diff, and
``diagstats validate`` exits non-zero when it is not empty. Numbers (``value``, ``lower``, ``upper``
and plain numbers) must agree within a tolerance: by default ``rel=1e-6`` relative or ``abs=1e-9``
absolute (runs are seeded, so only floating-point noise between machines is allowed); an entry
may state its own ``"tolerance": {"rel": ..., "abs": ...}``. Text (methods, names) and levels must
be equal. A report of a user's study is re-run on exactly that study: the ``study.toml`` stored in its
folder (data file, columns, labels, settings), and a data file whose SHA-256 changed is reported.

>>> compare_key_numbers({"se": {"value": 0.9, "lower": 0.8, "upper": 0.95, "method": "Wilson"}},
...                     {"se": {"value": 0.91, "lower": 0.8, "upper": 0.95, "method": "Wilson"}})
['se.value: committed 0.9, now 0.91 (difference 0.01; tolerance rel 1e-06 or abs 1e-09)']
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any

from .._input import check_option
from ..errors import DataError
from .builder import build, list_analyses
from .study import load_study

DEFAULT_TOLERANCE = {"rel": 1e-6, "abs": 1e-9}


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _close(a: float, b: float, tol: dict[str, float]) -> bool:
    return math.isclose(a, b, rel_tol=tol.get("rel", 0.0), abs_tol=tol.get("abs", 0.0))


def _compare(name: str, old: Any, new: Any, tol: dict[str, float]) -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        lines = []
        for key in sorted(set(old) | set(new)):
            if key == "tolerance":
                continue
            if key not in new:
                lines.append(f"{name}.{key}: committed {old[key]!r}, now absent")
            elif key not in old:
                lines.append(f"{name}.{key}: not committed, now {new[key]!r}")
            else:
                lines.extend(_compare(f"{name}.{key}", old[key], new[key], tol))
        return lines
    if _is_number(old) and _is_number(new):
        if _close(float(old), float(new), tol):
            return []
        shown = " or ".join(f"{k} {v:g}" for k, v in tol.items())
        return [f"{name}: committed {old!r}, now {new!r} (difference {abs(new - old):.3g}; tolerance {shown})"]
    if old != new:
        return [f"{name}: committed {old!r}, now {new!r}"]
    return []


def compare_key_numbers(committed: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Differences between two key-number dictionaries, one readable line each (empty if they agree)."""
    lines = []
    for name in sorted(set(committed) | set(current)):
        if name not in current:
            lines.append(f"{name}: in the committed report, no longer produced")
        elif name not in committed:
            lines.append(f"{name}: new (not in the committed report); rebuild and commit the report")
        else:
            old = committed[name]
            tol = old.get("tolerance", DEFAULT_TOLERANCE) if isinstance(old, dict) else DEFAULT_TOLERANCE
            lines.extend(_compare(name, old, current[name], tol))
    return lines


def _rerun_study(name: str, folder: Path, path: Any, config: dict[str, Any] | None) -> tuple[list[str], Any]:
    """Re-build ``name`` on the study stored in ``folder/study.toml``: (lines about the data, key numbers or None)."""
    study_file = folder / "study.toml"
    study = load_study(study_file, key="study file")
    data = Path(study.data)
    if not data.is_file():
        return [f"data: the data file {study.data!r} named in {str(study_file)!r} is missing; restore it (or correct "
                f"data = in {str(study_file)!r}) to re-run this study"], None
    sha = hashlib.sha256(data.read_bytes()).hexdigest()
    lines = []
    if study.data_sha256 and sha != study.data_sha256:
        lines.append(f"data: {study.data!r} changed since the report was built (SHA-256 now {sha}, recorded "
                     f"{study.data_sha256}); the numbers below were re-computed on the changed file")
    report = build(name, {**(config or {}), "study": dataclasses.replace(study, data_sha256=None)}, path=path)
    return lines, json.loads(report.key_numbers_json())


def validate(names: list[str] | None = None, *, reports: str | os.PathLike = "reports",
             path: str | os.PathLike | None = None, config: dict[str, Any] | None = None) -> dict[str, list[str]]:
    """Re-run analyses and diff their key numbers against ``reports/<name>/key_numbers.json``.

    A report built from a user's study holds ``study.toml``: that study is re-run on its data (a changed
    or missing data file is reported as such). Without ``names``: the reports of user studies in
    ``reports``, or, when there are none, every analysis. Returns ``{name: [difference, ...]}``; all lists
    empty means the reports are valid.
    """
    available = list_analyses(path)
    folder = Path(reports)
    if not folder.is_dir():
        raise DataError(f"--reports {str(folder)!r} is not a folder; give the folder 'diagstats report --out' wrote.")
    studies = sorted(p.parent.name for p in folder.glob("*/study.toml"))
    result = {}
    for name in names or studies or available:
        name = check_option(name, "name", available)
        committed_file = folder / name / "key_numbers.json"
        if not committed_file.is_file():
            raise DataError(f"{str(committed_file)!r} does not exist; build the report first with "
                            f"'diagstats report {name}' (or pass --reports DIR).")
        committed = json.loads(committed_file.read_text(encoding="utf-8"))
        if (folder / name / "study.toml").is_file():
            lines, current = _rerun_study(name, folder / name, path, config)
        else:
            lines, current = [], json.loads(build(name, config, path=path).key_numbers_json())
        result[name] = lines + (compare_key_numbers(committed, current) if current is not None else [])
    return result
