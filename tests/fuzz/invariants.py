"""One classifier for every outcome of a public call: a valid result, or a `DiagstatsError` naming an argument.

:func:`run` makes the call (warnings recorded, a time limit) and :func:`classify` sorts the outcome:

* ``"result"``: a value that keeps the invariants below;
* ``"error"``: a :class:`~diagstats.errors.DiagstatsError` whose message names an argument of the call
  (a parameter the user passed, or a column name the user typed);
* a *failure*: ``"escaped"`` (any other exception), ``"unnamed"`` (a DiagstatsError naming no argument),
  ``"accepted"`` (a result although the call passed a value that must be refused, such as ``level=95`` or
  an unknown method; :class:`Bad` marks those values in the strategies), ``"warning"`` (a warning from
  numpy, pandas, scipy or statsmodels reached the user; a
  :class:`~diagstats.errors.DiagstatsWarning` is fine), ``"invalid"`` (a result breaking an invariant),
  ``"slow"`` (the call ran past the time limit).

The invariants of a result, checked on every row of ``to_frame()`` and every estimate, test and count
inside ``to_dict()``: ``lower <= value <= upper`` when all three are numbers (unless a note of the estimate or the
result says, by its name and value, that the interval is not built around it, as the DerSimonian-Laird tau2 and its
Q-profile interval: see :func:`outside_explained`); proportions, AUCs,
sensitivities, specificities, predictive values and powers within [0, 1]; kappa, Youden's index,
correlations and differences of proportions or AUCs within [-1, 1]; ratios, variances and counts >= 0;
p-values within [0, 1]; a NaN value, p-value or interval bound only with a note; an interval either
whole or absent (never one NaN bound beside a number).

:func:`check_outcome` is what the tests call: it classifies, counts the outcome in the tally, and fails
the test on a failure, unless ``tests/fuzz/known_open.py`` lists the call as a catalogue bullet of
issue #14 that is being fixed elsewhere.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import os
import re
import signal
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest

from diagstats.errors import DiagstatsError, DiagstatsWarning
from diagstats.results import Estimate, Interval, TestResult

#: Seconds one call may run before it is a "slow" failure (the issue found exact methods running minutes).
TIME_LIMIT = 20.0

FAILURES = ("escaped", "unnamed", "warning", "invalid", "accepted", "slow")


def _short(x: Any) -> str:
    if isinstance(x, pd.DataFrame):
        cols = list(x.columns)
        return f"DataFrame({len(x)} rows, columns={cols[:8]!r}{'...' if len(cols) > 8 else ''})"
    if isinstance(x, pd.Series):
        return f"Series({x.tolist()[:12]!r}{'...' if len(x) > 12 else ''}, dtype={x.dtype})"
    if isinstance(x, np.ndarray):
        return f"np.array({x.tolist()[:12]!r}{'...' if x.size > 12 else ''}, dtype={x.dtype})"
    text = repr(x)
    return text if len(text) <= 120 else text[:117] + "..."


@dataclass(frozen=True)
class Bad:
    """A value that must be refused, as a strategy draws it; :func:`make_call` unwraps it."""

    value: Any


def make_call(name: str, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Call:
    """A :class:`Call`, with the arguments given as :class:`Bad` unwrapped and listed in ``must_refuse``."""
    refuse = [k for k, v in kwargs.items() if isinstance(v, Bad)]
    refuse += [f"#{i}" for i, v in enumerate(args) if isinstance(v, Bad)]
    args = tuple(v.value if isinstance(v, Bad) else v for v in args)
    kwargs = {k: v.value if isinstance(v, Bad) else v for k, v in kwargs.items()}
    return Call(name, fn, args, kwargs, tuple(refuse))


@dataclass(frozen=True)
class Call:
    """One call of a public function: ``name`` is its public name (``"accuracy"``, ``"meta.univariate"``,
    ``"ROCResult.sensitivity_at"``), ``fn`` the callable."""

    name: str
    fn: Callable[..., Any]
    args: tuple = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    must_refuse: tuple[str, ...] = ()

    def __repr__(self) -> str:
        parts = [_short(a) for a in self.args] + [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        return f"{self.name}({', '.join(parts)})"

    def bound(self) -> dict[str, Any]:
        """The arguments by parameter name, as the user passed them."""
        try:
            return dict(inspect.signature(self.fn).bind_partial(*self.args, **self.kwargs).arguments)
        except (TypeError, ValueError):
            return dict(self.kwargs)

    def argument_names(self) -> set[str]:
        """What a message may name: a parameter of the function, and each column name typed (a string
        argument, or the strings in a list of column names)."""
        try:  # a message may name an argument the user did not pass, as the fix ("pass bins=10")
            names = set(inspect.signature(self.fn).parameters) - {"args", "kwargs", "options", "plot_kwargs"}
        except (TypeError, ValueError):
            names = set()
        for key, value in self.bound().items():
            names.add(key)
            if isinstance(value, Mapping) and not isinstance(value, pd.DataFrame):
                names |= {k for k in value if isinstance(k, str)}
            values = value if isinstance(value, (list, tuple)) else [value]
            names |= {v for v in values if isinstance(v, str) and 0 < len(v) <= 40}
        return names

    def get(self, key: str, default: Any = None) -> Any:
        return self.bound().get(key, default)


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None
    warnings: list = field(default_factory=list)
    seconds: float = 0.0
    time_limit: float = TIME_LIMIT
    notes: list[str] = field(default_factory=list)  # the DiagstatsWarnings: a note on a returned array


class _Slow(BaseException):
    """Raised by the alarm inside a call that runs past :data:`TIME_LIMIT` (a BaseException, so that no
    ``except Exception`` in the package swallows it)."""


def _alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Slow()


def run(call: Call, time_limit: float = TIME_LIMIT) -> Outcome:
    """Make the call with every warning recorded and a time limit."""
    out = Outcome(time_limit=time_limit)
    previous = signal.signal(signal.SIGALRM, _alarm)
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        signal.setitimer(signal.ITIMER_REAL, time_limit)
        try:
            out.value = call.fn(*call.args, **call.kwargs)
        except _Slow as exc:
            out.error = exc
        except Exception as exc:  # noqa: BLE001 - every exception is classified
            out.error = exc
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    out.seconds = time.perf_counter() - start
    out.warnings = [w for w in caught if not issubclass(w.category, DiagstatsWarning)]
    out.notes = [str(w.message) for w in caught if issubclass(w.category, DiagstatsWarning)]
    return out


# ---------------------------------------------------------------------------------------------- invariants

_UNIT = (0.0, 1.0)
_SIGNED = (-1.0, 1.0)
_NONNEG = (0.0, math.inf)
_FREE = (-math.inf, math.inf)


def measure_range(name: str) -> tuple[float, float]:
    """The range a measure must lie in, from its name (lower case, spaces or underscores)."""
    n = str(name).lower().replace("_", " ")
    if re.search(r"\blog|logit|threshold|net benefit|median|mean|\ba\d|\bb\d|statistic|slope|intercept|"
                 r"in-the-large", n):
        return _NONNEG if n.startswith("log-loss") and "difference" not in n else _FREE
    if re.search(r"\bratio\b|\brelative\b|\blr\b|lr positive|lr negative|\bdor\b|tau2|variance", n):
        return _NONNEG
    if re.search(r"\bi2\b", n):               # I^2 in percent (of sensitivity, of specificity, bivariate)
        return (0.0, 100.0)
    if "difference" in n and re.search(r"per 10+\b|cost", n):  # of counts per 100 or 1000 patients, of costs
        return _FREE
    if re.search(r"kappa|pabak|bias index|prevalence index|youden|correlation|\brho\b|difference|gain", n):
        return _SIGNED
    if re.search(r"sensitivity|specificity|\bppv\b|\bnpv\b|accuracy|prevalence|agreement|auc|hand & till|"
                 r"false positive rate|power|proportion|probability|discordance|alpha|level|half width", n):
        return _UNIT
    if re.search(r"\blr\b|lr positive|lr negative|\bdor\b|ratio|tau2|\bq\b|i2|h2|odds|variance|^n\b|\bn$|"
                 r"eligible|excluded|index test|reference", n):
        return _NONNEG
    return _FREE


_COUNT_KEYS = re.compile(r"^(tp|fp|fn|tn|n|n_[a-z_]+|[a-z_]*count[s]?)$")


def _num(x: Any) -> float | None:
    if isinstance(x, (bool, np.bool_)) or x is None:
        return None
    if isinstance(x, (int, float, np.integer, np.floating)):
        return float(x)
    return None


def _isnan(x: Any) -> bool:
    v = _num(x)
    return v is not None and math.isnan(v)


#: The note that explains an estimate outside its own interval, e.g. "tau2 interval by Q-profile (Viechtbauer 2007),
#: which is not built around the DerSimonian-Laird estimate: here the estimate 5.932 lies outside it (as in metafor)".
_OUTSIDE_NOTE = re.compile(r"\b(?P<name>[\w -]+?) interval by [^;]+?, which is not built around the [^;:]+? estimate: "
                           r"here the estimate (?P<value>[-+]?[\d.]+(?:e[-+]?\d+)?) lies outside it")


def outside_explained(name: str, value: float, notes: str) -> bool:
    """Whether ``notes`` say that this estimate (by name and value, to the 4 digits printed) lies outside its own
    interval, and why; an estimate outside its interval without such a note is invalid."""
    for m in _OUTSIDE_NOTE.finditer(notes):
        if m["name"].strip().lower() == str(name).strip().lower() and math.isclose(
                float(m["value"]), value, rel_tol=1e-3, abs_tol=1e-12):
            return True
    return False


def _note_text(notes: Any) -> str:
    if notes is None or (isinstance(notes, float) and math.isnan(notes)):
        return ""
    return " | ".join(str(n) for n in notes) if isinstance(notes, (list, tuple)) else str(notes)


class _Checker:
    def __init__(self, result_notes: bool, notes_text: str = ""):
        self.problems: list[str] = []
        self.result_notes = result_notes
        self.notes_text = notes_text  # the result's own notes, which may explain an estimate

    def fail(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def estimate(self, where: str, name: str, value: Any, lower: Any, upper: Any, level: Any, method: Any,
                 has_note: bool, note_text: str = "") -> None:
        noted = has_note or self.result_notes
        v, lo, hi = (_num(value), _num(lower), _num(upper))
        if v is None and value is not None and not isinstance(value, str):
            return  # not a number (a label)
        if value is None or (v is not None and math.isnan(v)):
            if not noted and value is None and lower is None and upper is None:
                return  # to_dict turns NaN into None: handled by the frame rows, which keep NaN
            if not noted:
                self.fail(where, f"{name} is NaN with no note")
            return
        if v is None:
            return  # not a number
        nan_bounds = [b is None or (_num(b) is not None and math.isnan(_num(b))) for b in (lower, upper)]
        has_interval = bool(method) and not (_num(level) is None or math.isnan(_num(level)))
        if any(nan_bounds):
            if not all(nan_bounds):
                self.fail(where, f"{name} has a half interval ({lower}, {upper})")
            elif has_interval and not noted:
                self.fail(where, f"{name} has a NaN {method} interval and no note")
        low, high = measure_range(name)
        if not low - 1e-9 <= v <= high + 1e-9:
            self.fail(where, f"{name} = {v!r} is outside [{low}, {high}]")
        if not any(nan_bounds):
            if not lo <= hi + 1e-9 * (1 + abs(hi)):
                self.fail(where, f"{name} interval ({lo}, {hi}) is reversed")
            elif not lo - 1e-9 * (1 + abs(lo)) <= v <= hi + 1e-9 * (1 + abs(hi)) and not outside_explained(
                    name, v, f"{note_text} | {self.notes_text}"):
                self.fail(where, f"{name} = {v} lies outside its interval ({lo}, {hi}) and no note says why")
            for b, label in ((lo, "lower"), (hi, "upper")):
                if not low - 1e-9 <= b <= high + 1e-9:
                    self.fail(where, f"{name} {label} bound {b!r} is outside [{low}, {high}]")

    def p_value(self, where: str, p: Any, has_note: bool) -> None:
        v = _num(p)
        if v is None and p is not None:
            return
        if p is None or math.isnan(v):
            if not (has_note or self.result_notes):
                self.fail(where, "p-value is NaN with no note")
        elif not 0 <= v <= 1:
            self.fail(where, f"p-value {v!r} is outside [0, 1]")

    def frame(self, frame: pd.DataFrame, where: str) -> None:
        if not {"value", "lower", "upper"} <= set(frame.columns):
            return
        for i, row in enumerate(frame.to_dict(orient="records")):
            if row["value"] is None or row.get("part") == "input":
                continue  # the arguments echoed (SampleSize), not estimates
            note = bool(str(row.get("notes") or "").strip())
            name = row.get("measure") or ""
            if isinstance(row.get("effect"), str) and row["effect"]:  # "sensitivity difference", "ppv ratio"
                name = f"{name} {row['effect']}"
            label = f"{where} row {i} ({name!s})"
            statistic = _num(row.get("statistic"))
            if _isnan(row["value"]) and statistic is not None and not math.isnan(statistic):
                self.p_value(label, row.get("p_value"), note)   # a test's row: no estimate, its p-value is checked
                continue
            self.estimate(label, str(name), row["value"], row["lower"], row["upper"], row.get("level"),
                          row.get("method"), note, _note_text(row.get("notes")))
            for key, p in row.items():
                if key == "p_value" or str(key).endswith("_p_value"):
                    is_test = isinstance(row.get("test_method"), str) and bool(row["test_method"])
                    if is_test or (_num(p) is not None and not _isnan(p)):  # a test's p-value, or any p-value given
                        self.p_value(label, p, note)

    def walk(self, x: Any, where: str, notes: bool) -> None:
        """Estimates, tests and counts anywhere in a ``to_dict()``."""
        if isinstance(x, Mapping):
            notes = notes or bool(x.get("notes"))
            if {"value", "lower", "upper"} <= set(x) and ("name" in x or "measure" in x):
                name = x.get("name") or x.get("measure") or where.rsplit(".", 1)[-1]
                # to_dict() writes NaN and infinities as None: only all-number estimates are checked here, the
                # rest through the frame rows, which keep NaN and inf
                if all(_num(x.get(k)) is not None for k in ("value", "lower", "upper")):
                    self.estimate(where, str(name), x["value"], x["lower"], x["upper"], x.get("level"),
                                  x.get("method"), notes, _note_text(x.get("notes")))
            if "statistic" in x and "p_value" in x:
                self.p_value(where, x["p_value"], notes)
            for key, value in x.items():
                k = str(key)
                if _COUNT_KEYS.match(k) and _num(value) is not None and not _isnan(value) and _num(value) < 0:
                    self.fail(f"{where}.{k}", f"count {value!r} is negative")
                if k in ("rows",):
                    continue  # the frame rows are checked by frame()
                self.walk(value, f"{where}.{k}", notes)
        elif isinstance(x, (list, tuple)):
            for i, v in enumerate(x):
                self.walk(v, f"{where}[{i}]", notes)


def _result_notes(value: Any) -> bool:
    notes = getattr(value, "notes", ())
    return bool(notes) and not callable(notes)


def _listed_indices(notes: list[str]) -> set[str]:
    """The indices a DiagstatsWarning lists as undefined ("... at index 0, 2; ..." or "at index (0, 1)")."""
    listed: set[str] = set()
    for note in notes:
        for group in re.findall(r"at index ((?:\(?\d+(?:, \d+)*\)?(?:, )?)+)", note):
            listed |= {t.replace(" ", "") for t in re.findall(r"\(\d+(?:, \d+)*\)|\d+", group)}
    return listed


def _unexplained_nan(bounds: tuple[np.ndarray, np.ndarray], notes: list[str]) -> bool:
    """NaN bounds in an array Interval are a note's business: every NaN entry must be listed by index in a
    DiagstatsWarning ("... is undefined for the table(s) at index 0, 2; their bounds are NaN")."""
    nan = np.isnan(bounds[0]) | np.isnan(bounds[1])
    if not nan.any():
        return False
    listed = _listed_indices(notes)
    wanted = {str(int(i[0])) if nan.ndim == 1 else str(tuple(int(j) for j in i)).replace(" ", "")
              for i in np.argwhere(nan)}
    if any(f"({len(wanted)} in all)" in note for note in notes):  # a long list is cut: "0, 1, ..., 9, ... (12 in all)"
        return not (bool(listed) and listed <= wanted)
    return not wanted <= listed


def invariant_problems(call: Call, value: Any, notes: list[str] | None = None) -> list[str]:
    """What is wrong with a returned value (empty: nothing); ``notes`` are the DiagstatsWarnings the call issued,
    which explain NaN entries of an array Interval when they list them by index."""
    checker = _Checker(_result_notes(value), _note_text(getattr(value, "notes", ())) if _result_notes(value) else "")
    name = call.name
    if isinstance(value, Estimate):
        checker.estimate(name, value.name or name.rsplit(".", 1)[-1], value.value, value.lower, value.upper,
                         value.level, value.method, bool(value.notes), _note_text(value.notes))
    elif isinstance(value, TestResult):
        checker.walk(value.to_dict(), name, bool(value.notes))
    elif isinstance(value, Interval):
        lo, hi = _num(value.lower), _num(value.upper)
        if lo is None or hi is None:
            if isinstance(value.lower, np.ndarray) or isinstance(value.upper, np.ndarray):
                lo_a, hi_a = np.asarray(value.lower, float), np.asarray(value.upper, float)
                if _unexplained_nan((lo_a, hi_a), notes or []):
                    checker.fail(name, f"interval {value} has NaN bounds that no DiagstatsWarning lists by index")
                elif np.any(lo_a > hi_a):
                    checker.fail(name, f"interval {value} has reversed bounds")
            else:
                checker.fail(name, f"interval bounds are not numbers: {value}")
        elif math.isnan(lo) or math.isnan(hi):
            checker.fail(name, f"interval {value} has a NaN bound (an Interval cannot carry a note)")
        elif lo > hi:
            checker.fail(name, f"interval {value} is reversed")
        elif name == "proportion_ci" and not (0 <= lo and hi <= 1):
            checker.fail(name, f"interval {value} is outside [0, 1]")
        elif name in ("lr_ci", "dor_ci") and lo < 0:
            checker.fail(name, f"interval {value} goes below 0")
    elif isinstance(value, (float, int, np.floating, np.integer)) and not isinstance(value, bool):
        v = float(value)
        low, high = {"post_test_probability": _UNIT, "post_test_odds": _NONNEG, "auc_variance": _NONNEG}.get(
            name.rsplit(".", 1)[-1], _UNIT if "power" in name else _FREE)
        if math.isnan(v):
            checker.fail(name, "returned NaN (a plain number cannot carry a note)")
        elif not low <= v <= high:
            checker.fail(name, f"returned {v!r}, outside [{low}, {high}]")
    elif isinstance(value, np.ndarray):
        low, high = {"post_test_probability": _UNIT, "post_test_odds": _NONNEG}.get(name, _FREE)
        arr = np.asarray(value, dtype=float)
        if np.any(np.isnan(arr)) or np.any((arr < low) | (arr > high)):
            checker.fail(name, f"returned {arr.tolist()[:10]} with NaN or values outside [{low}, {high}]")
    elif hasattr(value, "to_frame") and hasattr(value, "to_dict") and dataclasses.is_dataclass(value):
        checker.frame(value.to_frame(), name)
        checker.walk(value.to_dict(), name, False)
    return checker.problems


# ---------------------------------------------------------------------------------------------- classify

_DEPENDENCIES = ("numpy", "pandas", "scipy", "statsmodels", "sklearn", "matplotlib")


@dataclass(frozen=True)
class Verdict:
    kind: str          # "result", "error", or one of FAILURES
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.kind in FAILURES


def _names_an_argument(call: Call, message: str) -> bool:
    for name in call.argument_names():
        if re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", message):
            return True
    return False


def classify(call: Call, outcome: Outcome) -> Verdict:
    if isinstance(outcome.error, _Slow):
        return Verdict("slow", f"ran past {outcome.time_limit:g} s")
    if outcome.warnings:
        w = outcome.warnings[0]
        return Verdict("warning", f"{w.category.__name__} from {w.filename.rsplit('/', 1)[-1]}: {w.message}")
    if outcome.error is not None:
        err = outcome.error
        if not isinstance(err, DiagstatsError):
            frames = [f for f in traceback.extract_tb(err.__traceback__) if "/diagstats/" in f.filename]
            where = f" (at {frames[-1].filename.split('/diagstats/')[-1]}:{frames[-1].lineno})" if frames else ""
            return Verdict("escaped", f"{type(err).__name__}: {err}{where}")
        if not _names_an_argument(call, str(err)):
            return Verdict("unnamed", f"{type(err).__name__} names none of {sorted(call.argument_names())}: {err}")
        return Verdict("error", type(err).__name__)
    if call.must_refuse:
        return Verdict("accepted", f"returned a {type(outcome.value).__name__} although "
                                   f"{', '.join(call.must_refuse)} must be refused")
    problems = invariant_problems(call, outcome.value, outcome.notes)
    if problems:
        return Verdict("invalid", "; ".join(problems))
    return Verdict("result", type(outcome.value).__name__)


# ---------------------------------------------------------------------------------------------- the tally

#: name -> Counter of outcome kinds (plus "known" for failures listed in KNOWN_OPEN); printed at the end.
TALLY: dict[str, Counter] = {}
#: failures not in KNOWN_OPEN: (call repr, verdict), printed at the end.
FOUND: list[tuple[str, Verdict]] = []
#: ``DIAGSTATS_FUZZ_SURVEY=1``: record every failure and go on (the tally lists them), instead of failing the
#: test at the first one; for a survey of everything a profile finds, not for CI.
SURVEY = os.environ.get("DIAGSTATS_FUZZ_SURVEY") == "1"


def known_failure(call: Call, verdict: Verdict) -> tuple[str, str] | None:
    """The ``KNOWN_OPEN`` entry (id, bullet) whose predicate recognises this failing call, if any."""
    from .known_open import KNOWN_OPEN

    for key, (bullet, matches) in KNOWN_OPEN.items():
        try:
            hit = matches(call, verdict)
        except Exception:  # noqa: BLE001 - a predicate that cannot read this call does not match it
            hit = False
        if hit:
            return key, bullet
    return None


def check_outcome(call: Call, outcome: Outcome | None = None, *, xfail_known: bool = False) -> Verdict:
    """Classify, count, and fail on a failure. A failure of a call listed in ``KNOWN_OPEN`` is counted as
    ``known`` and passes (so that a property test keeps searching for new failures), or, with
    ``xfail_known=True`` (the catalogue tests), ends the test as ``pytest.xfail``."""
    outcome = run(call) if outcome is None else outcome
    verdict = classify(call, outcome)
    counts = TALLY.setdefault(call.name, Counter())
    if verdict.failed:
        known = known_failure(call, verdict)
        if known is not None:
            counts["known"] += 1
            counts[f"known:{known[0]}"] += 1
            if xfail_known:
                pytest.xfail(f"KNOWN_OPEN[{known[0]!r}]: {verdict.kind}: {verdict.detail[:160]}")
            return verdict
        counts[verdict.kind] += 1
        FOUND.append((repr(call), verdict))
        if SURVEY:
            return verdict
        pytest.fail(f"{verdict.kind}: {call!r}\n    {verdict.detail}", pytrace=False)
    counts[verdict.kind] += 1
    return verdict


#: Public names with a fuzz test, filled by :func:`covers` as the test modules load.
COVERED: set[str] = set()


def covers(*names: str) -> Callable[[Callable], Callable]:
    """Mark a fuzz test as covering these public names (checked by ``test_fuzz_coverage.py``)."""
    def mark(fn: Callable) -> Callable:
        COVERED.update(names)
        return fn
    return mark


def budget(weight: float = 1.0) -> int:
    """Examples for one property test: the profile's ``max_examples`` scaled by the cost of the call
    (``ci`` runs the whole suite in about a minute; ``long`` runs thousands of calls)."""
    from hypothesis import settings

    return max(3, int(settings.default.max_examples * weight))
