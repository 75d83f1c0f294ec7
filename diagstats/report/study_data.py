"""A study's data, read and checked once before any analysis computes (:func:`read_study_data`).

Every column, label and direction the :class:`~diagstats.report.study.Study` names is checked against the
file, and its SHA-256 against the one a stored study recorded; :class:`StudyData` then gives each analysis
the reference standard, the tests, the biopsy and the markers as clean series.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._input import _show
from ..bias.composite import DIFFERENTIAL_VERIFICATION_NOTE, UNDECIDED, CompositeReference, composite_reference
from ..errors import ColumnError, DataError, DiagstatsError
from .model import DataSource
from .study import IndexTest, Study, check_data_file


@dataclass(frozen=True)
class StudyData:
    """The data of a study, read and checked: ``frame`` (exclusions applied), its source, the exclusions."""

    study: Study
    frame: pd.DataFrame
    source: DataSource
    excluded: tuple[tuple[str, int], ...]

    def reference(self) -> pd.Series:
        """The reference standard as floats: 1 target present, 0 absent, NaN unknown (composite applied)."""
        composite = self.composite()
        if composite is None:
            return _reference_column(self.study, self.frame)
        return pd.Series(composite.reference, index=self.frame.index)

    def composite(self) -> CompositeReference | None:
        """The composite reference (``[reference] fallback``): which component decided each patient; else None."""
        components = self.reference_components()
        if components is None:
            return None
        composite = composite_reference(components, list(components.columns), positive=1.0, name="reference")
        _check_classes(self.study, composite.reference)
        return composite

    def reference_components(self) -> pd.DataFrame | None:
        """Each component of a composite reference as floats (1 / 0 / NaN), columns named as reports call them."""
        ref = self.study.reference
        if not ref.fallback:
            return None
        positive = ref.fallback_positive if ref.fallback_positive is not None else ref.positive
        where = self.study.column(ref.fallback, "[reference] fallback", "")
        if self.frame[ref.fallback].isna().all():
            raise DataError(f"{where} has no values; a composite reference needs a result for the patients without "
                            "the first reference standard. Fill it in, or drop [reference] fallback.")
        fallback = _binary(self.frame[ref.fallback], positive, where,
                           f"{self.study.source}: [reference] fallback_positive")
        names = (ref.label, ref.fallback_label) if ref.label != ref.fallback_label else (ref.column, ref.fallback)
        return pd.DataFrame(dict(zip(names, (_reference_column(self.study, self.frame, check_classes=False),
                                             fallback))))

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

    def in_user_terms(self, error: DiagstatsError, arguments: Mapping[str, str],
                      hints: Sequence[tuple[str, str]] = ()) -> DiagstatsError:
        """``error`` of a diagstats function called on this study's columns, with every Python argument it names
        (``reader='radiologist'``) replaced by where the user named that column: ``column 'radiologist'
        (--map reader=radiologist)`` or ``(study.toml: [reader_study] reader)``, and the ``data`` argument opening
        the message by the data file (``the data (--data) is ...``). ``arguments`` maps each argument of the
        function to its role in the study's ``[reader_study]`` table (e.g. ``score`` -> ``rating``); ``hints``
        rewrites Python-only fixes (regular expression, replacement; e.g. ``data.drop_duplicates(...)``) into
        fixes of the data file."""
        columns = dict(self.study.reader_study)
        text = re.sub(r"^data (is|has|does)\b", lambda m: f"the data ({self.study.data_key}) {m[1]}", str(error))
        for arg, role in arguments.items():
            if role not in columns:   # an optional role the study does not use
                continue
            col = columns[role]
            text = text.replace(f"{arg}={_show(col)}",
                                self.study.column(col, f"[reader_study] {role}", f"--map {role}={col}"))
        for pattern, replacement in hints:
            text = re.sub(pattern, replacement, text)
        return type(error)(text)

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
    if not values:
        raise DataError(f"{where} is empty in every row; fill in its values, or name the column that holds them.")
    if len(values) > 2:
        raise DataError(f"{where} has {len(values)} distinct values ({shown}); it must have two. Recode it, or "
                        "exclude the other values ([[exclusions]] in the study file).")
    zero_one = pd.api.types.is_bool_dtype(known) or (pd.api.types.is_numeric_dtype(known) and set(values) <= {0, 1})
    if positive is None:
        if zero_one:
            out = series.astype(float)
        else:
            raise DataError(f"{where} takes the values {shown}; say which one means positive with "
                            f"{_giving(positive_key, values[-1])}, or recode it as 0/1.")
    else:
        hits = _matches(series, positive)
        if not hits.any() and not (zero_one and _zero_one_label(positive, known)):   # 0/1, none positive: fine
            if len(values) == 1:
                raise DataError(f"{positive_key} {positive!r} is not a value of {where}, whose only value is {shown}. "
                                f"If {shown} is the positive result, give {_giving(positive_key, values[0])}; if "
                                "every result was negative, recode the column as 0/1 (0 = negative).")
            raise DataError(f"{positive_key} {positive!r} is not a value of {where}; its values are {shown}. Give "
                            f"the one that means positive, e.g. {_giving(positive_key, values[-1])}.")
        out = hits.astype(float).where(series.notna())
    if require_both and out.nunique() < 2:
        raise DataError(f"{where} has only one class ({shown}); the reference standard needs patients with and "
                        "without the target condition.")
    return out


def _zero_one_label(label: Any, known: pd.Series) -> bool:
    """Whether ``label`` is one of the two values of a 0/1 (or true/false) column ``known``."""
    text = str(label).strip().lower()
    if pd.api.types.is_bool_dtype(known):
        return text in ("0", "1", "true", "false")
    try:
        return float(text) in (0.0, 1.0)
    except ValueError:
        return False


def _giving(positive_key: str, label: Any) -> str:
    """How the user gives ``label`` as the positive value: ``study.toml: [tests.mri] positive = "pos"`` or
    ``--test-positive pos``."""
    return f'{positive_key} = "{label}"' if ":" in positive_key else f"{positive_key} {label}"


def _reference_column(study: Study, frame: pd.DataFrame, *, check_classes: bool = True) -> pd.Series:
    """The ``[reference] column`` as floats (1 / 0 / NaN), checked to have both classes unless a fallback follows."""
    ref = study.reference
    if check_classes and frame[ref.column].nunique() == 1:   # no patient with (or without) the target condition
        _check_classes(study, frame[ref.column])
    values = _binary(frame[ref.column], ref.positive,
                     study.column(ref.column, "[reference] column", f"--map reference={ref.column}"),
                     study.at("[reference] positive", "--positive"))
    if check_classes:
        _check_classes(study, values.to_numpy())
    return values


def _check_classes(study: Study, values: Any) -> None:
    if pd.Series(values).nunique() < 2:
        ref = study.reference
        named = study.column(ref.column, "[reference] column", "--map reference=" + ref.column)
        if ref.fallback:
            named += f" with its fallback {study.column(ref.fallback, '[reference] fallback', '')}"
        raise DataError(f"{named} has only one class among the patients; the reference standard needs patients with "
                        f"and without {study.target}. Check that the column and its positive value "
                        f"({study.at('[reference] positive', '--positive')}) are the right ones, or add the patients "
                        "of the other class.")


def _test(study: Study, frame: pd.DataFrame, test: IndexTest) -> pd.Series:
    where = study.column(test.column, f"[tests.{test.key}] column", f"--map test={test.column}")
    if not test.binary:
        score = _numeric(frame[test.column], where)
        if score.isna().all():
            raise DataError(f"{where} is empty in every row; fill in its values, or name the column that holds them.")
        return score
    return _binary(frame[test.column], test.positive, where, study.at(f"[tests.{test.key}] positive",
                                                                       "--test-positive"))


def _numeric(series: pd.Series, where: str) -> pd.Series:
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        bad = [v for v in series.dropna() if not isinstance(v, (int, float))][:3]
        raise DataError(f"{where} must hold numbers; it has {', '.join(repr(v) for v in bad)}. "
                        "Fix those cells (or leave them empty when unknown).")
    return series.astype(float)


def _check_clusters(ids: pd.Series, where: str) -> None:
    """Every row has a patient, and there are at least two patients."""
    missing = int(ids.isna().sum())
    if missing:
        raise DataError(f"{where} has {missing} row{'s' if missing > 1 else ''} without a patient id: a lesion must "
                        "belong to a patient for the clustered analysis. Fill in the patient of those rows, or drop "
                        "them.")
    if ids.nunique() < 2:
        raise DataError(f"{where} has {ids.nunique()} patient; the clustered analysis needs at least 2 patients. "
                        "Leave cluster out if the rows are not lesions of several patients.")


def _columns(study: Study) -> list[tuple[str, str]]:
    """Every column the study names, with where it is named."""
    at = study.at
    named = []
    for key, col in (("patient_id", study.patient_id), ("lesion_id", study.lesion_id), ("reader", study.reader)):
        if col:
            named.append((col, at(key, "--map patient=" + col)))
    if study.cluster:
        named.append((study.cluster, at("cluster", "--map cluster=" + study.cluster)))
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
    named += [(c, at(f"[reader_study] {r}", f"--map {r}={c}")) for r, c in study.reader_study]
    named += [(c, at("covariates", f"--map covariate={c}")) for c in study.covariates]
    named += [(e.column, at("[[exclusions]] column", "")) for e in study.exclusions]
    return named


def read_study_data(study: Study, *, check_sha: bool = True) -> StudyData:
    """Read the study's CSV and check every column and label it names, before any analysis computes.

    With ``check_sha`` a study that records ``data_sha256`` refuses data whose SHA-256 differs.
    """
    path = Path(study.data)
    check_data_file(path, study.data_key)
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
    lines = np.flatnonzero(keep.to_numpy()) + 2      # each analysed row's row in the file (row 1: the header)
    frame = frame[keep].reset_index(drop=True)
    if study.patient_id and not study.lesion_id and not study.cluster and frame[study.patient_id].duplicated().any():
        dup = frame.loc[frame[study.patient_id].duplicated(), study.patient_id].iloc[0]
        raise DataError(f"{study.at('patient_id', '--map patient=' + study.patient_id)}: patient {dup!r} has "
                        "several rows; give one row per patient (or name the lesion column with lesion_id).")
    data = StudyData(study, frame, DataSource.from_bytes(f"{path.name} (user data)", content, len(frame),
                                                         {str(c): int(k) for c, k in frame.isna().sum().items() if k}),
                     tuple(excluded))
    if study.cluster:
        _check_clusters(frame[study.cluster], study.column(study.cluster, "cluster", f"--map cluster={study.cluster}"))
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
        where = study.column(c, f"[markers] {m}", f"--map {m}={c}")
        values = _numeric(frame[c], where)
        _check_cells(values, lambda v: v.isna() | (v > 0), lines, where,
                     "is not positive; blood counts and their ratios are above 0")
        if m in ("nlr", "plr") and values.nunique() < 2:   # a ready-made ratio is a marker of the model as it is
            raise DataError(f"{where} has one value in every patient, so it cannot tell the groups apart; check that "
                            "it is the right column.")
    for c in study.covariates:
        where = study.column(c, "covariates", f"--map covariate={c}")
        if _numeric(frame[c], where).nunique() < 2:
            raise DataError(f"{where} has the same value in every patient (or none), so it cannot adjust for "
                            "anything; leave it out of the covariates.")
    for r, c in study.tables:
        if r in ("study", "test"):
            _check_cells(frame[c], lambda v: v.notna(), lines, study.column(c, f"[tables] {r}", f"--map {r}={c}"),
                         f"is empty; name the {r} of every 2x2 table")
        else:
            where = study.column(c, f"[tables] {r}", f"--map {r}={c}")
            counts = _numeric(frame[c], where)
            _check_cells(counts, lambda v: v.notna(), lines, where, "is empty; every 2x2 table needs its four counts")
            _check_cells(counts, lambda v: (v >= 0) & (v == v.round()), lines, where,
                         "is not a count; counts are whole numbers >= 0 (a 0 is a valid count)")
    return data


def _check_cells(values: pd.Series, valid: Any, lines: np.ndarray, where: str, problem: str) -> None:
    """Refuse the cells of ``values`` that ``valid`` (a function of the column, True where a cell is fine) rejects,
    naming the first few by their ``lines`` in the data file and the column by ``where``."""
    bad = np.flatnonzero(~valid(values).to_numpy(dtype=bool))
    if len(bad):
        shown = ", ".join(f"row {lines[i]}" + (f": {values.iloc[i]:g}" if pd.notna(values.iloc[i]) else "")
                          for i in bad[:3])
        raise DataError(f"{where} {problem} ({len(bad)} cell{'s' if len(bad) > 1 else ''}: {shown}"
                        f"{', ...' if len(bad) > 3 else ''}; the header is row 1). Fix those cells in the data file.")


def study_section(data: StudyData, unit: str = "patients") -> Any:
    """The report section that says what the user's study is: target, reference, tests, columns, labels."""
    from .blocks import bullet_list, paragraph, section

    study = data.study
    composite = data.composite() if study.reference else None
    return section("The study", paragraph(
        f"{data.source.n} {unit} of {Path(study.data).name} analysed"
        + (f" after the exclusions below ({sum(n for _, n in data.excluded)} excluded)." if data.excluded else ".")
        + " Every column, label and direction below is as the study (or the command line) states it."),
        bullet_list(study.describe(dict(data.excluded))),
        *(() if composite is None else (paragraph(_composite_text(composite, study.target, unit)),)))


def _composite_text(composite: CompositeReference, target: str, unit: str) -> str:
    """Who decided the composite reference, in words, with its differential verification caveat."""
    decided = []
    for source in (*composite.components, UNDECIDED):
        mine = composite.decided_by == source
        if source == UNDECIDED:
            if mine.any():
                decided.append(f"{int(mine.sum())} by neither (no reference standard; left out of accuracy)")
            continue
        positive = int(np.sum(composite.reference[mine] == 1))
        decided.append(f"{int(mine.sum())} by {source} ({positive} with {target})")
    return (f"Composite reference standard: of the {composite.n} {unit}, " + ", ".join(decided) + ". "
            + DIFFERENTIAL_VERIFICATION_NOTE)
