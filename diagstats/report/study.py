"""A user's own study: the TOML study file (or the equivalent ``--data``/``--map`` flags) as a :class:`Study`.

A study names its data file, the target condition, the reference standard (optionally composite:
one column where it is known, another where it is not), the index tests (a binary column with its
positive label, or a score with its direction), blood markers, covariates, exclusions, and the
analyses to run. :func:`load_study` reads a study file, :meth:`Study.from_flags` turns the command
line's flags into the same object, :func:`read_study_data` reads and checks the data once, before
any analysis computes. Every problem is a :class:`~diagstats.DiagstatsError` naming the file and
key (``study.toml: [tests.mri] positive``), or the flag, and the fix. See ``docs/study_file.md``.

>>> study = parse_study('data = "my.csv"\\ntarget = "malignancy"\\n[reference]\\ncolumn = "biopsy"\\n'
...                     'positive = "malignant"\\n[tests.mri]\\ncolumn = "mri"\\npositive = "pos"', "study.toml")
>>> study.reference.column, study.tests[0].label, study.provides("tests")
('biopsy', 'mri', True)
>>> parse_study(study.to_toml(), "copy.toml") == study.with_source("copy.toml")
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ColumnError, DataError, DiagstatsError, OptionError
from .model import DataSource

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: Roles of ``--map ROLE=COLUMN`` (several columns for one role joined by '+').
FLAG_ROLES = {
    "reference": "the reference standard, two classes (with --positive unless 0/1)",
    "test": "binary index test(s), with --test-positive unless 0/1; several joined by '+'",
    "rating": "1-5 confidence rating(s) of the tests, same order as test=",
    "biopsy": "a biopsy result column (same labels as the reference; missing = no biopsy result: with the flags "
              "a skipped biopsy and a non-diagnostic sample cannot be told apart, so no yield is estimated; a study "
              "file's [biopsy] nondiagnostic or done keys can)",
    "guidance": "guidance of the biopsy (e.g. ct, fluoroscopy)",
    "nlr": "a ready-made neutrophil-to-lymphocyte ratio", "plr": "a ready-made platelet-to-lymphocyte ratio",
    "neutrophils": "neutrophil count (10^9/L)", "lymphocytes": "lymphocyte count (10^9/L)",
    "platelets": "platelet count (10^9/L)", "monocytes": "monocyte count (10^9/L)",
    "covariate": "covariate(s) of the marker model, e.g. age; several joined by '+'",
    "patient": "patient id",
    "study": "study label (study-level 2x2 tables)", "tp": "true positives", "fp": "false positives",
    "fn": "false negatives", "tn": "true negatives",
}
MARKER_ROLES = ("nlr", "plr", "neutrophils", "lymphocytes", "platelets", "monocytes")
TABLE_ROLES = ("study", "test", "tp", "fp", "fn", "tn")
#: What each role an analysis may require means, how a study file gives it, and how the flags give it.
ROLE_HELP = {
    "reference": ("a reference standard", "[reference] column = ...", "--map reference=COLUMN"),
    "tests": ("a binary index test", "[tests.NAME] column = ... and positive = ...",
              "--map test=COLUMN with --test-positive LABEL"),
    "biopsy": ("a biopsy result", "[biopsy] column = ...", "--map biopsy=COLUMN"),
    "nlr": ("an NLR (a ready-made ratio, or neutrophil and lymphocyte counts)",
            "[markers] nlr = ... (or neutrophils = ... and lymphocytes = ...)",
            "--map nlr=COLUMN (or neutrophils=COLUMN,lymphocytes=COLUMN)"),
    "tables": ("study-level 2x2 tables", "[tables] study, tp, fp, fn, tn = ...",
               "--map study=COLUMN,tp=COLUMN,fp=COLUMN,fn=COLUMN,tn=COLUMN"),
}
SETTINGS = ("seed", "level", "n_boot")
_TOP_KEYS = ("data", "data_sha256", "title", "question", "target", "patient_id", "lesion_id", "reader", "covariates",
             "analyses", "reference", "tests", "biopsy", "markers", "tables", "exclusions", "settings", "described_by")


@dataclass(frozen=True)
class Reference:
    """The reference standard: ``column`` (``positive`` = target present); ``fallback`` where it is missing."""

    column: str
    positive: Any = None
    name: str = ""
    fallback: str | None = None
    fallback_positive: Any = None

    @property
    def label(self) -> str:
        return self.name or self.column


@dataclass(frozen=True)
class IndexTest:
    """An index test: binary (``positive`` label, or 0/1) or a score (``direction`` "higher" or "lower")."""

    key: str
    column: str
    name: str = ""
    positive: Any = None
    direction: str | None = None
    rating: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.key

    @property
    def binary(self) -> bool:
        return self.direction is None


@dataclass(frozen=True)
class Biopsy:
    """A biopsy result column (``positive`` defaults to the reference's) and its guidance column.

    ``nondiagnostic``: the value(s) of ``column`` meaning a biopsy was done but the sample was non-diagnostic
    (then a blank result means no biopsy). ``done``: a column saying whether a biopsy was done (``done_positive``
    its "yes" value unless 0/1 or true/false; then a blank result of a done biopsy is non-diagnostic). Without
    either, a skipped biopsy and a non-diagnostic sample cannot be told apart (:attr:`distinguishes_done`).
    """

    column: str
    positive: Any = None
    guidance: str | None = None
    nondiagnostic: tuple[Any, ...] | None = None
    done: str | None = None
    done_positive: Any = None

    @property
    def distinguishes_done(self) -> bool:
        """Whether a skipped biopsy can be told from a non-diagnostic sample (``nondiagnostic`` or ``done``)."""
        return bool(self.nondiagnostic) or self.done is not None


@dataclass(frozen=True)
class Exclusion:
    """Patients whose ``column`` equals ``value`` are excluded, for ``reason``."""

    column: str
    value: Any
    reason: str


@dataclass(frozen=True)
class Study:
    """A user's study (see the module docstring); ``source`` is the study file, or None for the flags."""

    data: str
    target: str = "the target condition"
    title: str = ""
    question: str = ""
    patient_id: str | None = None
    lesion_id: str | None = None
    reader: str | None = None
    reference: Reference | None = None
    tests: tuple[IndexTest, ...] = ()
    biopsy: Biopsy | None = None
    markers: tuple[tuple[str, str], ...] = ()
    covariates: tuple[str, ...] = ()
    tables: tuple[tuple[str, str], ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    analyses: tuple[str, ...] = ()
    settings: tuple[tuple[str, Any], ...] = ()
    data_sha256: str | None = None
    source: str | None = None
    described_by: str = ""

    # -- where a value came from, in the user's interface ------------------------------------------
    def at(self, file_key: str, flag: str) -> str:
        """``study.toml: [tests.mri] positive`` for a study file, the flag (``--test-positive``) otherwise."""
        return f"{self.source}: {file_key}" if self.source else flag

    def column(self, col: str, file_key: str, flag: str) -> str:
        """``column 'mri' (study.toml: [tests.mri] column)``, or ``column 'mri' (--map test=mri)``."""
        return f"column {col!r} ({self.at(file_key, flag)})"

    @property
    def data_key(self) -> str:
        return self.at("data", "--data")

    @property
    def marker_columns(self) -> dict[str, str]:
        return dict(self.markers)

    @property
    def table_columns(self) -> dict[str, str]:
        return dict(self.tables)

    @property
    def binary_tests(self) -> tuple[IndexTest, ...]:
        return tuple(t for t in self.tests if t.binary)

    def provides(self, role: str) -> bool:
        """Whether the study has what role ``role`` of :data:`ROLE_HELP` needs."""
        markers = self.marker_columns
        return {"reference": self.reference is not None, "tests": bool(self.binary_tests),
                "biopsy": self.biopsy is not None,
                "nlr": "nlr" in markers or {"neutrophils", "lymphocytes"} <= set(markers),
                "tables": {"study", "tp", "fp", "fn", "tn"} <= set(self.table_columns)}[role]

    def missing(self, name: str, requires: tuple[str, ...] | None) -> str | None:
        """Why analysis ``name`` (needing ``requires``; None: no user data) cannot run on this study, or None."""
        if requires is None:
            fix = f"leave it out of analyses in {self.source}" if self.source else "run it without --data"
            return f"{name} does not take user data (it is built from the simulated cohort only); {fix}."
        for role in requires:
            if not self.provides(role):
                what, file_key, flag = ROLE_HELP[role]
                how = f"{file_key} in the study file {self.source}" if self.source else flag
                return f"{name} needs {what} ({how})."
        return None

    def setting(self, key: str) -> Any:
        return dict(self.settings).get(key)

    def with_source(self, source: str | None) -> Study:
        return dataclasses.replace(self, source=source)

    # -- the flags as a study --------------------------------------------------------------------------
    @classmethod
    def from_flags(cls, data: str | os.PathLike, mapping: Mapping[str, str] | None = None, positive: Any = None,
                   test_positive: Any = None, settings: Mapping[str, Any] | None = None,
                   described_by: str = "") -> Study:
        """The study that ``--data``, ``--map``, ``--positive`` and ``--test-positive`` describe.

        A role not in ``mapping`` defaults to a column of the same name, if the file has one.
        """
        mapping = dict(mapping or {})
        unknown = [r for r in mapping if r not in FLAG_ROLES]
        if unknown:
            raise OptionError(f"--map names the role {unknown[0]!r}, which no analysis uses; the roles are "
                              + "; ".join(f"{r} ({d})" for r, d in FLAG_ROLES.items()) + ".")
        header = _header(Path(data), "--data")
        tables = {"tp", "fp", "fn", "tn"} <= set(mapping) | set(header)
        defaulted = [role for role in FLAG_ROLES
                     if role not in mapping and role in header and role not in ("test", "rating", "covariate")
                     and (tables or role not in TABLE_ROLES)]
        mapping.update({role: role for role in defaulted})
        if defaulted and described_by:
            described_by += f" (and, from columns of the same name, --map {','.join(f'{r}={r}' for r in defaulted)})"
        cols = {role: [c.strip() for c in text.split("+")] for role, text in mapping.items()}
        for role, names in cols.items():
            if any(not c for c in names):
                raise OptionError(f"--map {role}={mapping[role]!r} has an empty column name; join columns with '+', "
                                  f"e.g. --map {role}=a+b.")
            if len(names) > 1 and role not in ("test", "rating", "covariate"):
                raise OptionError(f"--map {role}={mapping[role]} names {len(names)} columns; {role} takes one.")
        if "rating" in cols and len(cols["rating"]) > len(cols.get("test", [])):
            raise OptionError(f"--map rating={mapping['rating']} names more ratings than tests (test="
                              f"{mapping.get('test', '')}); give one rating per test, in the same order.")
        if positive is not None and "reference" not in cols and "biopsy" not in cols:
            raise OptionError("--positive is the reference standard's positive label; map the reference too "
                              "(--map reference=COLUMN).")
        if test_positive is not None and "test" not in cols:
            raise OptionError("--test-positive is the index tests' positive label; map the tests too "
                              "(--map test=COLUMN).")
        one = {role: names[0] for role, names in cols.items()}
        ratings = dict(zip(cols.get("test", []), cols.get("rating", [])))
        return cls(
            data=str(data), patient_id=one.get("patient"),
            reference=Reference(one["reference"], positive) if "reference" in one else None,
            tests=tuple(IndexTest(c, c, positive=test_positive, rating=ratings.get(c)) for c in cols.get("test", [])),
            biopsy=Biopsy(one["biopsy"], positive, one.get("guidance")) if "biopsy" in one else None,
            markers=tuple((m, one[m]) for m in MARKER_ROLES if m in one),
            covariates=tuple(cols.get("covariate", [])),
            tables=tuple((r, one[r]) for r in TABLE_ROLES if r in one and not (r == "test" and "tp" not in one)),
            settings=tuple((k, v) for k, v in (settings or {}).items() if v is not None),
            described_by=described_by)

    # -- writing ---------------------------------------------------------------------------------------
    def to_toml(self, *, data: str | None = None, sha256: str | None = None) -> str:
        """The study as a study file (``data`` and ``data_sha256`` replaced when given)."""
        lines = ["# diagstats study file (see docs/study_file.md)"]
        top = {"data": data or self.data, "data_sha256": sha256 or self.data_sha256, "title": self.title,
               "question": self.question, "target": self.target, "patient_id": self.patient_id,
               "lesion_id": self.lesion_id, "reader": self.reader, "covariates": list(self.covariates),
               "analyses": list(self.analyses), "described_by": self.described_by}
        lines += [f"{k} = {_toml_value(v)}" for k, v in top.items() if v not in (None, "", [])]
        if self.reference is not None:
            lines += _toml_table("reference", dataclasses.asdict(self.reference))
        for test in self.tests:
            lines += _toml_table(f"tests.{_toml_key(test.key)}", {k: v for k, v in dataclasses.asdict(test).items()
                                                                   if k != "key"})
        if self.biopsy is not None:
            lines += _toml_table("biopsy", dataclasses.asdict(self.biopsy))
        for name, pairs in (("markers", self.markers), ("tables", self.tables), ("settings", self.settings)):
            if pairs:
                lines += _toml_table(name, dict(pairs))
        for exclusion in self.exclusions:
            lines += ["", "[[exclusions]]"] + [f"{k} = {_toml_value(v)}" for k, v in
                                              dataclasses.asdict(exclusion).items()]
        return "\n".join(lines) + "\n"

    def describe(self, excluded: Mapping[str, int] | None = None) -> list[str]:
        """The study in words, one line each, for the report (``excluded``: patients per exclusion reason)."""
        lines = [f"Target condition: {self.target}."]
        ref = self.reference
        if ref is not None:
            text = f"Reference standard: {ref.label} (column {ref.column!r}{_positive(ref.positive)})"
            if ref.fallback:
                text += (f"; where it is missing, column {ref.fallback!r}"
                         f"{_positive(ref.fallback_positive if ref.fallback_positive is not None else ref.positive)}")
            lines.append(text + ".")
        for test in self.tests:
            kind = (_positive(test.positive) if test.binary else
                    f", a score: {test.direction} values point to {self.target}")
            rating = f"; confidence rating in column {test.rating!r}" if test.rating else ""
            lines.append(f"Index test {test.label}: column {test.column!r}{kind}{rating}.")
        if self.biopsy is not None:
            b = self.biopsy
            lines.append(f"Biopsy result: column {b.column!r}"
                         f"{_positive(b.positive if b.positive is not None else ref.positive if ref else None)}"
                         + (f"; guidance in column {b.guidance!r}" if b.guidance else "") + ".")
            if b.nondiagnostic:
                lines.append("Non-diagnostic biopsy: " + " or ".join(repr(v) for v in b.nondiagnostic)
                             + f" in column {b.column!r}"
                             + ("" if b.done else "; a blank result means no biopsy") + ".")
            if b.done:
                lines.append(f"Biopsy done: column {b.done!r}{_positive(b.done_positive)}; a blank result of a done "
                             "biopsy is a non-diagnostic sample.")
            if not b.distinguishes_done:
                lines.append("A blank biopsy result is taken as no biopsy, and needle_biopsy reports no yield: the "
                             "study does not tell a skipped biopsy from a non-diagnostic sample.")
        if self.markers:
            lines.append("Blood markers: " + ", ".join(f"{m} = column {c!r}" for m, c in self.markers) + ".")
        if self.covariates:
            lines.append("Covariates: " + ", ".join(repr(c) for c in self.covariates) + ".")
        if self.tables:
            lines.append("Study-level 2x2 tables: " + ", ".join(f"{r} = column {c!r}" for r, c in self.tables) + ".")
        for name, col in (("Patient id", self.patient_id), ("Lesion id", self.lesion_id), ("Reader", self.reader)):
            if col:
                lines.append(f"{name}: column {col!r}.")
        for e in self.exclusions:
            count = f": {excluded[e.reason]} patients" if excluded and e.reason in excluded else ""
            lines.append(f"Excluded: {e.reason} ({e.column} = {e.value!r}){count}.")
        lines.append(f"Described by: {self.described_by or self.source or 'the command-line flags'}.")
        return lines


def _positive(label: Any) -> str:
    return f", positive = {label!r}" if label is not None else ", coded 0/1 (1 = positive)"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _toml_table(name: str, values: Mapping[str, Any]) -> list[str]:
    return ["", f"[{name}]"] + [f"{k} = {_toml_value(v)}" for k, v in values.items() if v is not None and v != ""]


# ------------------------------------------------------------------------------------------ reading
def _header(path: Path, key: str) -> list[str]:
    _check_file(path, key)
    try:
        return [str(c) for c in pd.read_csv(path, nrows=0).columns]
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise DataError(f"{key} {str(path)!r} is not a readable CSV file ({str(error).splitlines()[0]}).") from None


def _check_file(path: Path, key: str) -> None:
    if path.is_dir():
        raise DataError(f"{key} {str(path)!r} is a folder, not a file; give the path of a CSV file in it.")
    if not path.is_file():
        raise DataError(f"{key} {str(path)!r}: no such file; give the path of a CSV file.")


class _Reader:
    """Walks the parsed TOML, checking each key's type and naming ``file: [table] key`` in errors."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, message: str) -> DiagstatsError:
        return OptionError(f"{self.source}: {where} {message}")

    def table(self, value: Any, where: str, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be a table ([{where}] followed by key = value lines).")
        unknown = [k for k in value if k not in allowed]
        if unknown:
            raise self.fail(f"[{where}] {unknown[0]}" if where else unknown[0],
                            f"is not a key of a study file{' table' if where else ''}; the keys are "
                            f"{', '.join(allowed)} (see docs/study_file.md).")
        return value

    def text(self, table: dict, key: str, where: str, *, required: bool = False) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(f"{where}{key}".strip(), "is missing; add it, e.g. "
                                f'{key} = "{"my_data.csv" if key == "data" else "column_name"}".')
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}{key}".strip(), f"= {value!r} must be a non-empty text in quotes, "
                            f'e.g. {key} = "column_name".')
        return value

    def label(self, table: dict, key: str, where: str) -> Any:
        value = table.get(key)
        if value is not None and (isinstance(value, (dict, list, float)) or value == ""):
            raise self.fail(f"{where}{key}", f"= {value!r} must be one value of the column, in quotes for text "
                            f'(positive = "malignant") or a whole number (positive = 1).')
        return value

    def texts(self, table: dict, key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, f"= {value!r} must be a list of texts, e.g. {key} = [\"age\", \"sex\"].")
        return tuple(value)


def parse_study(text: str, source: str, base: str | os.PathLike | None = None) -> Study:
    """A :class:`Study` from the text of a study file called ``source`` (``data`` relative to ``base``)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise OptionError(f"{source} is not a valid TOML file ({error}); see docs/study_file.md for the format.") \
            from None
    r = _Reader(source)
    raw = r.table(raw, "", _TOP_KEYS)
    data = r.text(raw, "data", "", required=True)
    if base is not None and not Path(data).is_absolute():
        data = str(Path(base) / data)
    reference = None
    if "reference" in raw:
        t = r.table(raw["reference"], "reference", ("column", "positive", "name", "fallback", "fallback_positive"))
        w = "[reference] "
        reference = Reference(r.text(t, "column", w, required=True), r.label(t, "positive", w),
                              r.text(t, "name", w) or "", r.text(t, "fallback", w), r.label(t, "fallback_positive", w))
    tests = []
    for key, value in r.table(raw.get("tests", {}), "tests", tuple(raw.get("tests", {}) or ())).items():
        where = f"[tests.{key}] "
        t = r.table(value, f"tests.{key}", ("column", "positive", "direction", "name", "rating"))
        direction = t.get("direction")
        if direction is not None and direction not in ("higher", "lower"):
            raise r.fail(f"{where}direction", f'= {direction!r} must be "higher" or "lower" (which values point to '
                         "the target condition).")
        if direction is not None and t.get("positive") is not None:
            raise r.fail(where.strip(), 'has both positive (a binary test) and direction (a score); keep the one '
                         "that fits the column.")
        tests.append(IndexTest(key, r.text(t, "column", where, required=True), r.text(t, "name", where) or "",
                               r.label(t, "positive", where), direction, r.text(t, "rating", where)))
    biopsy = None
    if "biopsy" in raw:
        t = r.table(raw["biopsy"], "biopsy", ("column", "positive", "guidance", "nondiagnostic", "done",
                                              "done_positive"))
        w = "[biopsy] "
        nondiagnostic = t.get("nondiagnostic")
        if nondiagnostic is not None:
            values = nondiagnostic if isinstance(nondiagnostic, list) else [nondiagnostic]
            if not values:
                raise r.fail(f"{w}nondiagnostic", '= [] must name at least one value, e.g. nondiagnostic = '
                             '"non-diagnostic" (or leave the key out).')
            nondiagnostic = tuple(r.label({"nondiagnostic": v}, "nondiagnostic", w) for v in values)
        done = r.text(t, "done", w)
        if t.get("done_positive") is not None and done is None:
            raise r.fail(f"{w}done_positive", 'is the "biopsy done" value of the done column; name that column too '
                         '(done = "biopsy_done"), or leave done_positive out.')
        biopsy = Biopsy(r.text(t, "column", w, required=True), r.label(t, "positive", w), r.text(t, "guidance", w),
                        nondiagnostic, done, r.label(t, "done_positive", w))
    markers = r.table(raw.get("markers", {}), "markers", MARKER_ROLES)
    tables = r.table(raw.get("tables", {}), "tables", TABLE_ROLES)
    for name, group in (("markers", markers), ("tables", tables)):
        for key in group:
            r.text(group, key, f"[{name}] ")
    settings = r.table(raw.get("settings", {}), "settings", SETTINGS)
    exclusions = []
    raw_exclusions = raw.get("exclusions", [])
    if not isinstance(raw_exclusions, list):
        raise r.fail("exclusions", "must be written as [[exclusions]] tables (column, value, reason).")
    for i, value in enumerate(raw_exclusions, 1):
        where = f"[[exclusions]] number {i}: "
        t = r.table(value, f"exclusions number {i}", ("column", "value", "reason"))
        if "value" not in t:
            raise r.fail(f"{where}value", "is missing; add the value that excludes a patient, e.g. value = 1.")
        exclusions.append(Exclusion(r.text(t, "column", where, required=True), t["value"],
                                    r.text(t, "reason", where, required=True)))
    analyses = r.texts(raw, "analyses")
    sha = r.text(raw, "data_sha256", "")
    return Study(data=data, target=r.text(raw, "target", "") or "the target condition",
                 title=r.text(raw, "title", "") or "", question=r.text(raw, "question", "") or "",
                 patient_id=r.text(raw, "patient_id", ""), lesion_id=r.text(raw, "lesion_id", ""),
                 reader=r.text(raw, "reader", ""), reference=reference, tests=tuple(tests), biopsy=biopsy,
                 markers=tuple((m, markers[m]) for m in MARKER_ROLES if m in markers),
                 covariates=r.texts(raw, "covariates"),
                 tables=tuple((k, tables[k]) for k in TABLE_ROLES if k in tables), exclusions=tuple(exclusions),
                 analyses=analyses, settings=tuple(settings.items()), data_sha256=sha, source=source,
                 described_by=r.text(raw, "described_by", "") or "")


def load_study(path: str | os.PathLike, key: str = "--study") -> Study:
    """Read the study file ``path`` (its ``data`` is relative to the file's folder)."""
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{key} {str(path)!r} is a folder, not a file; give the path of a study file (.toml).")
    if not path.is_file():
        raise DataError(f"{key} {str(path)!r}: no such file; give the path of a study file, or write one with "
                        "'diagstats init --data my.csv'.")
    study = parse_study(path.read_text(encoding="utf-8"), str(path), base=path.parent)
    return dataclasses.replace(study, described_by=study.described_by or f"the study file {path.name}")


# --------------------------------------------------------------------------------------------- data
@dataclass(frozen=True)
class StudyData:
    """The data of a study, read and checked: ``frame`` (exclusions applied), its source, the exclusions."""

    study: Study
    frame: pd.DataFrame
    source: DataSource
    excluded: tuple[tuple[str, int], ...]

    def reference(self) -> pd.Series:
        """The reference standard as floats: 1 target present, 0 absent, NaN unknown (composite applied)."""
        return _reference(self.study, self.frame)

    def test(self, test: IndexTest) -> pd.Series:
        """A binary test as floats (1 positive, 0 negative, NaN not done), or a score as it is."""
        return _test(self.study, self.frame, test)

    def biopsy(self) -> pd.Series:
        """The biopsy result as floats: 1 positive, 0 negative, NaN no biopsy or a non-diagnostic sample."""
        b, ref = self.study.biopsy, self.study.reference
        positive = b.positive if b.positive is not None else ref.positive if ref else None
        result = self.frame[b.column]
        nondiagnostic = self._nondiagnostic()
        if positive is not None and b.nondiagnostic and any(
                _matches(pd.Series([positive], dtype=object), v).iloc[0] for v in b.nondiagnostic):
            raise DataError(f"{self.study.source}: [biopsy] nondiagnostic names {positive!r}, the biopsy's positive "
                            "value; a non-diagnostic sample needs a value of its own.")
        where = self.study.column(b.column, "[biopsy] column", f"--map biopsy={b.column}")
        try:
            return _binary(result.where(~nondiagnostic), positive, where,
                           self.study.at("[biopsy] positive", "--positive"))
        except DataError as error:
            if "distinct values" not in str(error):
                raise
            how = (f"[biopsy] nondiagnostic in {self.study.source}" if self.study.source else
                   "[biopsy] nondiagnostic in a study file (diagstats init --data FILE writes one)")
            raise DataError(f"{error} If a value means a non-diagnostic sample, name it with {how}, e.g. "
                            'nondiagnostic = "non-diagnostic".') from None

    def _nondiagnostic(self) -> pd.Series:
        """Rows whose biopsy result is a ``[biopsy] nondiagnostic`` value (each value checked to occur)."""
        b = self.study.biopsy
        result = self.frame[b.column]
        hit = pd.Series(False, index=result.index)
        for value in b.nondiagnostic or ():
            match = _matches(result, value)
            if not match.any():
                values = sorted({v.item() if hasattr(v, "item") else v for v in pd.unique(result.dropna())}, key=str)
                shown = ", ".join(repr(v) for v in values[:10]) + (", ..." if len(values) > 10 else "")
                raise DataError(f"{self.study.source}: [biopsy] nondiagnostic {value!r} is not a value of column "
                                f"{b.column!r}; its values are {shown}. Give the value that means a non-diagnostic "
                                "sample (e.g. nondiagnostic = \"non-diagnostic\"), or leave the key out.")
            hit |= match
        return hit

    def biopsy_done(self) -> pd.Series | None:
        """Whether each patient had a biopsy (True/False), or None when the study cannot tell a skipped biopsy from
        a non-diagnostic sample (neither ``[biopsy] nondiagnostic`` nor ``done``).

        A result (diagnostic or a ``nondiagnostic`` value) means done; with a ``done`` column, so does its "yes"
        value (a blank result then is a non-diagnostic sample); otherwise a blank result is no biopsy.
        """
        b = self.study.biopsy
        if not b.distinguishes_done:
            return None
        done = self.frame[b.column].notna()
        if b.done:
            flag = _binary(self.frame[b.done], b.done_positive, self.study.column(b.done, "[biopsy] done", ""),
                           f"{self.study.source}: [biopsy] done_positive")
            done |= flag.eq(1)
        return done

    def stard(self, test: Any, reference: Any, exclusions: Mapping[str, Any] | None = None, **labels: str) -> Any:
        """:func:`~diagstats.stard_counts` of ``test`` (1/0/NaN) against ``reference`` (1/0/NaN) over the eligible
        patients: the study's exclusions first (each with its reason), then the analysed patients.

        ``exclusions``: further reasons for not having the index test, each a True/False flag per analysed patient
        (a row of ``frame``), e.g. ``{"no biopsy": ..., "non-diagnostic sample": ...}``.
        """
        from ..binary.stard import stard_counts

        n_out = sum(n for _, n in self.excluded)
        pad = [float("nan")] * n_out
        frame = pd.DataFrame({"test": list(pd.Series(test, dtype=float)) + pad,
                              "reference": list(pd.Series(reference, dtype=float)) + pad})
        reasons, start = {}, len(self.frame)
        for reason, n in self.excluded:
            mask = [False] * len(frame)
            mask[start:start + n] = [True] * n
            reasons[reason] = mask
            start += n
        for reason, flags in (exclusions or {}).items():
            flags = [bool(f) for f in flags]
            if len(flags) != len(self.frame):
                raise DataError(f"exclusions[{reason!r}] has {len(flags)} flags; give one per analysed patient "
                                f"({len(self.frame)}).")
            reasons[reason] = flags + [False] * n_out
        return stard_counts(frame, test="test", reference="reference", exclusions=reasons,
                            target=self.study.target, **labels)

    def reference_groups(self) -> tuple[str, str]:
        """Names of the negative and positive reference classes (the labels of a one-column reference)."""
        ref = self.study.reference
        values = [v for v in pd.unique(self.frame[ref.column].dropna())]
        if ref.positive is None or ref.fallback:
            return f"not {self.study.target}", self.study.target
        others = [str(v) for v in values if not _matches(pd.Series([v]), ref.positive).iloc[0]]
        return (others[0] if len(others) == 1 else f"not {ref.positive}"), str(ref.positive)


def _matches(series: pd.Series, label: Any) -> pd.Series:
    """``series == label``, a number label matching a number column whatever the CSV's spelling."""
    if pd.api.types.is_bool_dtype(series):
        return series == (str(label).lower() in ("1", "true"))
    if pd.api.types.is_numeric_dtype(series):
        try:
            return series == float(label)
        except (TypeError, ValueError):
            return pd.Series(False, index=series.index)
    return series.astype(str).where(series.notna()) == str(label)


def _binary(series: pd.Series, positive: Any, where: str, positive_key: str, *, require_both: bool = False
            ) -> pd.Series:
    """A two-class column as floats (1 = ``positive``, NaN missing), with the fix in the user's interface."""
    known = series.dropna()
    values = sorted({v.item() if hasattr(v, "item") else v for v in pd.unique(known)}, key=str)
    shown = ", ".join(repr(v) for v in values[:10]) + (", ..." if len(values) > 10 else "")
    if len(values) > 2:
        raise DataError(f"{where} has {len(values)} distinct values ({shown}); it must have two. Recode it, or "
                        "exclude the other values ([[exclusions]] in the study file).")
    if positive is None:
        if pd.api.types.is_bool_dtype(known) or (pd.api.types.is_numeric_dtype(known) and set(values) <= {0, 1}):
            out = series.astype(float)
        else:
            example = values[-1] if values else "LABEL"
            fix = (f'{positive_key} = "{example}"' if ":" in positive_key else f"{positive_key} {example}")
            raise DataError(f"{where} takes the values {shown}; say which one means positive with {fix}, "
                            "or recode it as 0/1.")
    else:
        hits = _matches(series, positive)
        if not hits.any():
            raise DataError(f"{positive_key} {positive!r} is not a value of {where}; its values are {shown}.")
        out = hits.astype(float).where(series.notna())
    if require_both and out.nunique() < 2:
        raise DataError(f"{where} has only one class ({shown}); the reference standard needs patients with and "
                        "without the target condition.")
    return out


def _reference(study: Study, frame: pd.DataFrame) -> pd.Series:
    ref = study.reference
    values = _binary(frame[ref.column], ref.positive,
                     study.column(ref.column, "[reference] column", f"--map reference={ref.column}"),
                     study.at("[reference] positive", "--positive"))
    if ref.fallback:
        positive = ref.fallback_positive if ref.fallback_positive is not None else ref.positive
        fallback = _binary(frame[ref.fallback], positive, study.column(ref.fallback, "[reference] fallback", ""),
                           f"{study.source}: [reference] fallback_positive")
        values = values.fillna(fallback)
    if values.nunique() < 2:
        raise DataError(f"{study.column(ref.column, '[reference] column', '--map reference=' + ref.column)} has "
                        "only one class "
                        "among the patients; the reference standard needs patients with and without "
                        f"{study.target}.")
    return values


def _test(study: Study, frame: pd.DataFrame, test: IndexTest) -> pd.Series:
    where = study.column(test.column, f"[tests.{test.key}] column", f"--map test={test.column}")
    if not test.binary:
        return _numeric(frame[test.column], where)
    return _binary(frame[test.column], test.positive, where, study.at(f"[tests.{test.key}] positive",
                                                                       "--test-positive"))


def _numeric(series: pd.Series, where: str) -> pd.Series:
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        bad = [v for v in series.dropna() if not isinstance(v, (int, float))][:3]
        raise DataError(f"{where} must hold numbers; it has {', '.join(repr(v) for v in bad)}. "
                        "Fix those cells (or leave them empty when unknown).")
    return series.astype(float)


def _columns(study: Study) -> list[tuple[str, str]]:
    """Every column the study names, with where it is named."""
    at = study.at
    named = []
    for key, col in (("patient_id", study.patient_id), ("lesion_id", study.lesion_id), ("reader", study.reader)):
        if col:
            named.append((col, at(key, "--map patient=" + col)))
    if study.reference:
        named.append((study.reference.column, at("[reference] column", f"--map reference={study.reference.column}")))
        if study.reference.fallback:
            named.append((study.reference.fallback, at("[reference] fallback", "")))
    for t in study.tests:
        named.append((t.column, at(f"[tests.{t.key}] column", f"--map test={t.column}")))
        if t.rating:
            named.append((t.rating, at(f"[tests.{t.key}] rating", f"--map rating={t.rating}")))
    if study.biopsy:
        named.append((study.biopsy.column, at("[biopsy] column", f"--map biopsy={study.biopsy.column}")))
        if study.biopsy.guidance:
            named.append((study.biopsy.guidance, at("[biopsy] guidance", f"--map guidance={study.biopsy.guidance}")))
        if study.biopsy.done:
            named.append((study.biopsy.done, at("[biopsy] done", "")))
    named += [(c, at(f"[markers] {m}", f"--map {m}={c}")) for m, c in study.markers]
    named += [(c, at(f"[tables] {r}", f"--map {r}={c}")) for r, c in study.tables]
    named += [(c, at("covariates", f"--map covariate={c}")) for c in study.covariates]
    named += [(e.column, at("[[exclusions]] column", "")) for e in study.exclusions]
    return named


def read_study_data(study: Study, *, check_sha: bool = True) -> StudyData:
    """Read the study's CSV and check every column and label it names, before any analysis computes.

    With ``check_sha`` a study that records ``data_sha256`` refuses data whose SHA-256 differs.
    """
    path = Path(study.data)
    _check_file(path, study.data_key)
    content = path.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    if check_sha and study.data_sha256 and sha != study.data_sha256:
        raise DataError(f"{study.data_key} {str(path)!r} has changed since the study was recorded (SHA-256 "
                        f"{sha[:12]}..., recorded {study.data_sha256[:12]}...); delete data_sha256 from "
                        f"{study.source} to analyse the new data.")
    try:
        frame = pd.read_csv(io.BytesIO(content))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise DataError(f"{study.data_key} {str(path)!r} is not a readable CSV file "
                        f"({str(error).splitlines()[0]}).") from None
    columns = [str(c) for c in frame.columns]
    for col, where in _columns(study):
        if col not in frame.columns:
            shown = ", ".join(repr(c) for c in columns[:20]) + (", ..." if len(columns) > 20 else "")
            raise ColumnError(f"{where}: {col!r} is not a column of {path.name}; its columns are {shown}.")
    keep = pd.Series(True, index=frame.index)
    excluded = []
    for e in study.exclusions:
        hit = _matches(frame[e.column], e.value) & keep
        excluded.append((e.reason, int(hit.sum())))
        keep &= ~hit
    frame = frame[keep].reset_index(drop=True)
    if study.patient_id and not study.lesion_id and frame[study.patient_id].duplicated().any():
        dup = frame.loc[frame[study.patient_id].duplicated(), study.patient_id].iloc[0]
        raise DataError(f"{study.at('patient_id', '--map patient=' + study.patient_id)}: patient {dup!r} has "
                        "several rows; give one row per patient (or name the lesion column with lesion_id).")
    data = StudyData(study, frame, DataSource.from_bytes(f"{path.name} (user data)", content, len(frame),
                                                         {str(c): int(k) for c, k in frame.isna().sum().items() if k}),
                     tuple(excluded))
    if study.reference:
        data.reference()
    for test in study.tests:
        data.test(test)
        if test.rating:
            _numeric(frame[test.rating], study.column(test.rating, f"[tests.{test.key}] rating",
                                                      f"--map rating={test.rating}"))
    if study.biopsy:
        data.biopsy()
        data.biopsy_done()
    for m, c in study.markers:
        _numeric(frame[c], study.column(c, f"[markers] {m}", f"--map {m}={c}"))
    for c in study.covariates:
        _numeric(frame[c], study.column(c, "covariates", f"--map covariate={c}"))
    for r, c in study.tables:
        if r not in ("study", "test"):
            _numeric(frame[c], study.column(c, f"[tables] {r}", f"--map {r}={c}"))
    return data


def study_section(data: StudyData, unit: str = "patients") -> Any:
    """The report section that says what the user's study is: target, reference, tests, columns, labels."""
    from .blocks import bullet_list, paragraph, section

    study = data.study
    return section("The study", paragraph(
        f"{data.source.n} {unit} of {Path(study.data).name} analysed"
        + (f" after the exclusions below ({sum(n for _, n in data.excluded)} excluded)." if data.excluded else ".")
        + " Every column, label and direction below is as the study (or the command line) states it."),
        bullet_list(study.describe(dict(data.excluded))))


# --------------------------------------------------------------------------------- a starter file
_ID = re.compile(r"(^|_)(id|pid|mrn|patient|case)($|_)|^patient", re.IGNORECASE)
_REFERENCE = re.compile(r"biops|histol|patholog|diagnos|reference|truth|gold|final|outcome", re.IGNORECASE)
_POSITIVE = ("pos", "positive", "yes", "y", "true", "malignant", "abnormal", "present", "disease", "diseased")
_COVARIATES = ("age", "sex", "gender")
_BIOPSY_DONE = re.compile(r"done|performed|taken|attempted", re.IGNORECASE)
_NONDIAGNOSTIC = re.compile(r"non.?diag|inadequate|insufficient|indetermin|inconclusive", re.IGNORECASE)


def _guess_positive(values: list[Any]) -> Any:
    for v in values:
        if str(v).strip().lower() in _POSITIVE:
            return v
    return values[-1]


def starter(data: str | os.PathLike, out: str | os.PathLike = "study.toml") -> str:
    """The text of a commented starter study file for the CSV ``data``, every guess marked "check this"."""
    data, out = Path(data), Path(out)
    _header(data, "--data")
    frame = pd.read_csv(data)
    top = [f"data = {_toml_value(os.path.relpath(data.resolve(), out.resolve().parent))}",
           'target = "the target condition"   # check this: the target condition in words, e.g. "spinal malignancy"']
    tables, tests, markers, covariates, unused = [], [], [], [], []
    reference = patient = biopsy = guidance = done = None
    nondiagnostic: list[Any] = []
    for col in frame.columns:
        series, name = frame[col], str(col)
        values = sorted({v.item() if hasattr(v, "item") else v for v in series.dropna().unique()}, key=str)
        shown = ", ".join(_toml_value(v) for v in values[:6]) + (", ..." if len(values) > 6 else "")
        numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
        biopsy_named = "biops" in name.lower()
        if patient is None and _ID.search(name) and series.notna().all() and series.is_unique:
            patient = name
            top.append(f"patient_id = {_toml_value(name)}   # check this: one row per patient, unique values")
        elif biopsy_named and done is None and len(values) == 2 and _BIOPSY_DONE.search(name):
            zero_one = set(values) <= {0, 1}   # also True/False
            done = [f"done = {_toml_value(name)}   # check this: whether a biopsy was done (values {shown}); a blank "
                    "result of a done biopsy is then a non-diagnostic sample",
                    None if zero_one else f"done_positive = {_toml_value(_guess_positive(values))}   # check this: "
                                          f"which of {shown} means a biopsy was done"]
        elif (biopsy_named and reference is not None and biopsy is None and len(values) == 3
              and sum(bool(_NONDIAGNOSTIC.search(str(v))) for v in values) == 1):
            nondiagnostic = [v for v in values if _NONDIAGNOSTIC.search(str(v))]
            results = [v for v in values if v not in nondiagnostic]
            biopsy = [f"[biopsy]   # check this: a biopsy result (values {shown}; a blank = no biopsy)",
                      f"column = {_toml_value(name)}",
                      f"positive = {_toml_value(_guess_positive(results))}   # check this: which of "
                      f"{', '.join(_toml_value(v) for v in results)} means positive",
                      f"nondiagnostic = {_toml_value(nondiagnostic[0])}   # check this: the value meaning a biopsy "
                      "was done but the sample was non-diagnostic"]
        elif len(values) == 2:
            zero_one = numeric and set(values) <= {0, 1}
            positive = None if zero_one else (f"positive = {_toml_value(_guess_positive(values))}   # check this: "
                                            f"which of {shown} means positive")
            coded = "coded 0/1, 1 = positive" if zero_one else f"values {shown}"
            if "guidance" in name.lower():
                guidance = name
            elif reference is not None and biopsy is None and "biops" in name.lower():
                biopsy = [f"[biopsy]   # check this: a biopsy result ({coded}; see nondiagnostic and done below)",
                          f"column = {_toml_value(name)}", positive]
            elif reference is None and _REFERENCE.search(name):
                reference = name
                tables += ["", f"[reference]   # check this: the reference standard ({coded})",
                           f"column = {_toml_value(name)}", positive, f"name = {_toml_value(name)}"]
            else:
                tests += ["", f"[tests.{_toml_key(name)}]   # check this: a binary index test ({coded})",
                          f"column = {_toml_value(name)}", positive, f"name = {_toml_value(name)}"]
        elif numeric and name.lower() in MARKER_ROLES:
            markers.append(f"{name.lower()} = {_toml_value(name)}   # check this")
        elif numeric and name.lower() in _COVARIATES:
            covariates.append(name)
        elif numeric:
            tests += ["", f"[tests.{_toml_key(name)}]   # check this: a numeric column taken as a score",
                      f"column = {_toml_value(name)}",
                      'direction = "higher"   # check this: "higher" if higher values point to the target condition',
                      f"name = {_toml_value(name)}"]
        else:
            unused.append(f"#   {name}: {len(values)} distinct values ({shown})")
    if covariates:
        top.append(f"covariates = {_toml_value(covariates)}   # check this: covariates of the marker model")
    top.append("# analyses = [\"imaging_modalities\", \"blood_markers\"]   # default: every analysis the study has "
               "data for")
    if reference is None:
        tables += ["", "# [reference]   # check this: no two-valued column looked like a reference standard; name it",
                   '# column = "..."', '# positive = "..."']
    if biopsy:
        tables += ["", *biopsy] + ([f"guidance = {_toml_value(guidance)}   # check this"] if guidance else [])
        if not nondiagnostic:
            tables += ['# nondiagnostic = "non-diagnostic"   # the value(s) of the result meaning a biopsy was done '
                       "but the sample was non-diagnostic; then a blank result = no biopsy"]
        tables += done or ['# done = "biopsy_done"   # or a column saying whether a biopsy was done (done_positive = '
                           'its "done" value, unless 0/1); then a blank result of a done biopsy = non-diagnostic']
        if not nondiagnostic and not done:
            tables += ["# Without nondiagnostic or done a blank result is taken as no biopsy, and needle_biopsy "
                       "reports no yield (it cannot tell a skipped biopsy from a non-diagnostic sample)."]
    elif guidance:
        tables += ["", "# [biopsy]   # check this: name the biopsy result column to run needle_biopsy",
                   '# column = "..."', f"# guidance = {_toml_value(guidance)}"]
    if markers:
        tables += ["", "[markers]   # ready-made ratios (nlr, plr) or counts (neutrophils, lymphocytes, ...)", *markers]
    lines = [f"# diagstats study file, written by 'diagstats init' from {data.name} ({len(frame)} rows, "
             f"{frame.shape[1]} columns).",
             "# Every guess is marked 'check this'; docs/study_file.md explains every key.", *top, *tables, *tests]
    if unused:
        lines += ["", "# Columns not used (more than two values and not numbers):", *unused]
    return "\n".join(line for line in lines if line is not None) + "\n"


def write_starter(data: str | os.PathLike, out: str | os.PathLike = "study.toml") -> Path:
    """Write :func:`starter` to ``out``; an existing file is never overwritten."""
    out = Path(out)
    if out.exists():
        raise DataError(f"--out {str(out)!r} already exists; diagstats init never overwrites a file. Give another "
                        "name (--out my_study.toml) or delete it.")
    text = starter(data, out)
    out.write_text(text, encoding="utf-8")
    return out
