"""A user's own study: the TOML study file (or the equivalent ``--data``/``--map`` flags) as a :class:`Study`.

A study names its data file, the target condition, the reference standard (optionally composite:
one column where it is known, another where it is not), the index tests (a binary column with its
positive label, or a score with its direction), blood markers, covariates, exclusions, and the
analyses to run. :func:`load_study` reads a study file, :meth:`Study.from_flags` turns the command
line's flags into the same object, and :func:`~diagstats.report.study_data.read_study_data` reads and
checks the data once, before any analysis computes. Every problem is a
:class:`~diagstats.DiagstatsError` naming the file and key (``study.toml: [tests.mri] positive``), or
the flag, and the fix. See ``docs/study_file.md``.

>>> study = parse_study('data = "my.csv"\\ntarget = "malignancy"\\n[reference]\\ncolumn = "biopsy"\\n'
...                     'positive = "malignant"\\n[tests.mri]\\ncolumn = "mri"\\npositive = "pos"', "study.toml")
>>> study.reference.column, study.tests[0].label, study.provides("tests")
('biopsy', 'mri', True)
>>> parse_study(study.to_toml(), "copy.toml") == study.with_source("copy.toml")
True
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataError, DiagstatsError, OptionError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: Roles of ``--map ROLE=COLUMN`` (several columns for one role joined by '+').
FLAG_ROLES = {
    "reference": "the reference standard, two classes (with --positive unless 0/1)",
    "test": "binary index test(s), with --test-positive unless 0/1; several joined by '+'; in 2x2 tables (tp=, fp=, "
            "fn=, tn=), the column naming each table's test",
    "rating": "1-5 confidence rating(s) of the tests, same order as test=; in reader-study data (modality= and "
              "case=), each reader's rating",
    "biopsy": "a biopsy result column (same labels as the reference; missing = no biopsy result: with the flags "
              "a skipped biopsy and a non-diagnostic sample cannot be told apart, so no yield is estimated; a study "
              "file's [biopsy] nondiagnostic or done keys can)",
    "guidance": "guidance of the biopsy (e.g. ct, fluoroscopy)",
    "nlr": "a ready-made neutrophil-to-lymphocyte ratio", "plr": "a ready-made platelet-to-lymphocyte ratio",
    "neutrophils": "neutrophil count (10^9/L)", "lymphocytes": "lymphocyte count (10^9/L)",
    "platelets": "platelet count (10^9/L)", "monocytes": "monocyte count (10^9/L)",
    "covariate": "covariate(s) of the marker model, e.g. age; several joined by '+'",
    "patient": "patient id",
    "cluster": "rows (or a reader study's cases) are lesions, vertebrae or segments of patients: each one's patient "
               "id; accuracy, the paired comparisons and a reader study's covariances then account for the clustering",
    "study": "study label (study-level 2x2 tables)", "tp": "true positives", "fp": "false positives",
    "fn": "false negatives", "tn": "true negatives",
    "modality": "reader study: the modality of each read", "reader": "reader study: the reader",
    "case": "reader study: the case id", "truth": "reader study: the case's truth (0/1, 1 = target present)",
}
MARKER_ROLES = ("nlr", "plr", "neutrophils", "lymphocytes", "platelets", "monocytes")
TABLE_ROLES = ("study", "test", "tp", "fp", "fn", "tn")
#: Columns of long reader-study data (one row per reader x modality x case), for the reader_study analysis.
READER_ROLES = ("modality", "reader", "case", "truth", "rating")
#: Optional columns of reader-study data: the patient of each case (the covariances then run over patients).
READER_OPTIONAL = ("cluster",)
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
    "reader_study": ("long reader-study data, one row per reader x modality x case",
                     "[reader_study] modality, reader, case, truth, rating = ...",
                     "--map modality=COLUMN,reader=COLUMN,case=COLUMN,truth=COLUMN,rating=COLUMN"),
}
SETTINGS = ("seed", "level", "n_boot")
_TOP_KEYS = ("data", "data_sha256", "title", "question", "target", "patient_id", "lesion_id", "cluster", "reader",
             "covariates",
             "analyses", "reference", "tests", "biopsy", "markers", "tables", "reader_study", "exclusions", "settings",
             "described_by")


@dataclass(frozen=True)
class Reference:
    """The reference standard: ``column`` (``positive`` = target present); ``fallback`` where it is missing.

    With a ``fallback`` the reference is a composite (:func:`diagstats.composite_reference`): ``column`` decides
    where it has a value, ``fallback`` (e.g. clinical and imaging follow-up) elsewhere.
    """

    column: str
    positive: Any = None
    name: str = ""
    fallback: str | None = None
    fallback_positive: Any = None
    fallback_name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.column

    @property
    def fallback_label(self) -> str:
        return self.fallback_name or self.fallback or ""


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
    cluster: str | None = None
    reader: str | None = None
    reference: Reference | None = None
    tests: tuple[IndexTest, ...] = ()
    biopsy: Biopsy | None = None
    markers: tuple[tuple[str, str], ...] = ()
    covariates: tuple[str, ...] = ()
    tables: tuple[tuple[str, str], ...] = ()
    reader_study: tuple[tuple[str, str], ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    analyses: tuple[str, ...] = ()
    settings: tuple[tuple[str, Any], ...] = ()
    data_sha256: str | None = None
    source: str | None = None
    described_by: str = ""
    #: Roles of the flags that no --map gave, taken from a column of the same name (for messages).
    defaulted: tuple[str, ...] = ()

    # -- where a value came from, in the user's interface ------------------------------------------
    def at(self, file_key: str, flag: str) -> str:
        """``study.toml: [tests.mri] positive`` for a study file, the flag (``--test-positive``) otherwise."""
        return f"{self.source}: {file_key}" if self.source else flag

    def column(self, col: str, file_key: str, flag: str) -> str:
        """``column 'mri' (study.toml: [tests.mri] column)``, or ``column 'mri' (--map test=mri)``."""
        role = flag.removeprefix("--map ").split("=")[0]
        if not self.source and flag.startswith("--map ") and role in self.defaulted:
            return (f"column {col!r} ({flag}: not given, but taken from the column's name; rename that column if "
                    "your analysis should not read it)")
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
                "tables": {"study", "tp", "fp", "fn", "tn"} <= set(self.table_columns),
                "reader_study": set(READER_ROLES) <= set(dict(self.reader_study))}[role]

    def missing(self, name: str, requires: tuple[str, ...] | None) -> str | None:
        """Why analysis ``name`` (needing ``requires``; None: no user data) cannot run on this study, or None."""
        if requires is None:
            fix = f"leave it out of analyses in {self.source}" if self.source else "run it without --data"
            return f"{name} does not take user data (it is built from the simulated cohort only); {fix}."
        for role in requires:
            if not self.provides(role):
                what, file_key, flag = ROLE_HELP[role]
                if role == "reader_study":
                    absent = [r for r in READER_ROLES if r not in dict(self.reader_study)]
                    what += f" (missing: {', '.join(absent)})"
                    file_key = "[reader_study] " + ", ".join(f"{r} = ..." for r in absent)
                    flag = "--map " + ",".join(f"{r}=COLUMN" for r in absent)
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
        header = csv_header(Path(data), "--data")
        tables = {"tp", "fp", "fn", "tn"} <= set(mapping) | set(header)
        # long reader-study data: a modality and a case column, and no index tests (their roles default only then)
        readers = ((bool({"modality", "case", "truth"} & set(mapping)) or {"modality", "case"} <= set(header))
                   and "test" not in mapping)
        defaulted = [role for role in FLAG_ROLES
                     if role not in mapping and role in header
                     and (role not in ("test", "rating", "covariate", "cluster")  # clustering only when asked for
                          or (tables and role == "test"))  # a 2x2 table's test label, not an index test
                     and (tables or role not in TABLE_ROLES) and (readers or role not in READER_ROLES)
                     and not (readers and role == "patient")]  # a reader study has a row per read, not per patient
        if readers and "rating" not in mapping and "rating" in header:
            defaulted.append("rating")
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
        if "rating" in cols and len(cols["rating"]) > len(cols.get("test", [])) and not readers:
            raise OptionError(f"--map rating={mapping['rating']} names more ratings than tests (test="
                              f"{mapping.get('test', '')}); give one rating per test, in the same order.")
        if positive is not None and "reference" not in cols and "biopsy" not in cols:
            raise OptionError("--positive is the reference standard's positive label; map the reference too "
                              "(--map reference=COLUMN).")
        if test_positive is not None and tables:
            raise OptionError("--test-positive is the positive label of a patient-level index test; 2x2 tables "
                              "(--map tp=,fp=,fn=,tn=) already count the positives, so leave --test-positive out.")
        if test_positive is not None and "test" not in cols:
            raise OptionError("--test-positive is the index tests' positive label; map the tests too "
                              "(--map test=COLUMN).")
        one = {role: names[0] for role, names in cols.items()}
        ratings = dict(zip(cols.get("test", []), cols.get("rating", []))) if not readers else {}
        return cls(
            data=str(data), patient_id=one.get("patient"), cluster=None if readers else one.get("cluster"),
            reference=Reference(one["reference"], positive) if "reference" in one else None,
            tests=() if tables else tuple(IndexTest(c, c, positive=test_positive, rating=ratings.get(c))
                                          for c in cols.get("test", [])),
            biopsy=Biopsy(one["biopsy"], positive, one.get("guidance")) if "biopsy" in one else None,
            markers=tuple((m, one[m]) for m in MARKER_ROLES if m in one),
            covariates=tuple(cols.get("covariate", [])),
            tables=tuple((r, one[r]) for r in TABLE_ROLES if r in one and not (r == "test" and "tp" not in one)),
            reader_study=tuple((r, one[r]) for r in READER_ROLES + READER_OPTIONAL if r in one) if readers else (),
            settings=tuple((k, v) for k, v in (settings or {}).items() if v is not None),
            described_by=described_by, defaulted=tuple(defaulted))

    # -- writing ---------------------------------------------------------------------------------------
    def to_toml(self, *, data: str | None = None, sha256: str | None = None) -> str:
        """The study as a study file (``data`` and ``data_sha256`` replaced when given)."""
        lines = ["# diagstats study file (see docs/study_file.md)"]
        top = {"data": data or self.data, "data_sha256": sha256 or self.data_sha256, "title": self.title,
               "question": self.question, "target": self.target, "patient_id": self.patient_id,
               "lesion_id": self.lesion_id, "cluster": self.cluster, "reader": self.reader,
               "covariates": list(self.covariates),
               "analyses": list(self.analyses), "described_by": self.described_by}
        lines += [f"{k} = {toml_value(v)}" for k, v in top.items() if v not in (None, "", [])]
        if self.reference is not None:
            lines += _toml_table("reference", dataclasses.asdict(self.reference))
        for test in self.tests:
            lines += _toml_table(f"tests.{toml_key(test.key)}", {k: v for k, v in dataclasses.asdict(test).items()
                                                                   if k != "key"})
        if self.biopsy is not None:
            lines += _toml_table("biopsy", dataclasses.asdict(self.biopsy))
        for name, pairs in (("markers", self.markers), ("tables", self.tables), ("reader_study", self.reader_study),
                            ("settings", self.settings)):
            if pairs:
                lines += _toml_table(name, dict(pairs))
        for exclusion in self.exclusions:
            lines += ["", "[[exclusions]]"] + [f"{k} = {toml_value(v)}" for k, v in
                                              dataclasses.asdict(exclusion).items()]
        return "\n".join(lines) + "\n"

    def describe(self, excluded: Mapping[str, int] | None = None) -> list[str]:
        """The study in words, one line each, for the report (``excluded``: patients per exclusion reason)."""
        lines = [f"Target condition: {self.target}."]
        ref = self.reference
        if ref is not None:
            text = f"Reference standard: {ref.label} (column {ref.column!r}{_positive(ref.positive)})"
            if ref.fallback:
                text += (f"; where it is missing, {ref.fallback_name + ' in ' if ref.fallback_name else ''}"
                         f"column {ref.fallback!r}"
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
        if self.reader_study:
            lines.append("Reader study (one row per reader x modality x case): "
                         + ", ".join(f"{r} = column {c!r}" for r, c in self.reader_study) + ".")
        for name, col in (("Patient id", self.patient_id), ("Lesion id", self.lesion_id), ("Reader", self.reader)):
            if col:
                lines.append(f"{name}: column {col!r}.")
        if self.cluster:
            lines.append(f"Rows are lesions clustered in patients: the patient of each row is column {self.cluster!r}; "
                         "accuracy and the paired comparisons account for the clustering.")
        for e in self.exclusions:
            count = f": {excluded[e.reason]} patients" if excluded and e.reason in excluded else ""
            lines.append(f"Excluded: {e.reason} ({e.column} = {e.value!r}){count}.")
        lines.append(f"Described by: {self.described_by or self.source or 'the command-line flags'}.")
        return lines


def _positive(label: Any) -> str:
    return f", positive = {label!r}" if label is not None else ", coded 0/1 (1 = positive)"


def toml_key(key: str) -> str:
    """A TOML key, quoted where it is not a bare key."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def toml_value(value: Any) -> str:
    """A Python value (bool, number, text or list of them) written as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _toml_table(name: str, values: Mapping[str, Any]) -> list[str]:
    return ["", f"[{name}]"] + [f"{k} = {toml_value(v)}" for k, v in values.items() if v is not None and v != ""]


# ------------------------------------------------------------------------------------------ reading
def csv_header(path: Path, key: str) -> list[str]:
    """The column names of the CSV file ``path`` (``key``: how the user gave it, for messages)."""
    check_data_file(path, key)
    try:
        return [str(c) for c in pd.read_csv(path, nrows=0).columns]
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise DataError(f"{key} {str(path)!r} is not a readable CSV file ({str(error).splitlines()[0]}).") from None


def check_data_file(path: Path, key: str) -> None:
    """Refuse a data path that is a folder or no file (``key``: how the user gave it, for messages)."""
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
        t = r.table(raw["reference"], "reference", ("column", "positive", "name", "fallback", "fallback_positive",
                                                    "fallback_name"))
        w = "[reference] "
        reference = Reference(r.text(t, "column", w, required=True), r.label(t, "positive", w),
                              r.text(t, "name", w) or "", r.text(t, "fallback", w), r.label(t, "fallback_positive", w),
                              r.text(t, "fallback_name", w) or "")
        if reference.fallback_name and not reference.fallback:
            raise r.fail(f"{w}fallback_name", "names the fallback column of a composite reference; give "
                         "[reference] fallback (the column) too, or drop fallback_name.")
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
    readers = r.table(raw.get("reader_study", {}), "reader_study", READER_ROLES + READER_OPTIONAL)
    for name, group in (("markers", markers), ("tables", tables), ("reader_study", readers)):
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
                 cluster=r.text(raw, "cluster", ""),
                 reader=r.text(raw, "reader", ""), reference=reference, tests=tuple(tests), biopsy=biopsy,
                 markers=tuple((m, markers[m]) for m in MARKER_ROLES if m in markers),
                 covariates=r.texts(raw, "covariates"),
                 tables=tuple((k, tables[k]) for k in TABLE_ROLES if k in tables),
                 reader_study=tuple((k, readers[k]) for k in READER_ROLES + READER_OPTIONAL if k in readers),
                 exclusions=tuple(exclusions),
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
