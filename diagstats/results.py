"""Result objects shared by every estimator.

An :class:`Estimate` is one number with its interval, level and the method that made the
interval; a :class:`TestResult` is a hypothesis test. Larger results (an accuracy table, a ROC
analysis) subclass :class:`ResultTable`, which derives ``_repr_html_``, ``__str__`` and
``to_dict`` from the result's fields and its own tidy ``to_frame()``. Stored numbers are never
rounded; digits are a display argument only. The contract every result keeps (frozen, nothing
mutable inside, the ``to_frame`` column order :data:`CONTRACT_COLUMNS`, a complete JSON-safe
``to_dict``) is described in ``docs/contract.md`` and checked by :func:`check_contract`.

>>> from diagstats.results import Estimate
>>> e = Estimate(0.912, 0.871, 0.941, level=0.95, method="Wilson", name="sensitivity")
>>> print(e)
sensitivity 0.912 (95% CI 0.871 to 0.941, Wilson)
>>> lo, hi = e.interval
>>> e.contains(0.9)
True
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

import numpy as np
import pandas as pd

#: The columns of every ``to_frame()`` that lists estimates; fixed, level-independent names.
ESTIMATE_COLUMNS = ["measure", "value", "lower", "upper", "level", "method"]

#: The contract block of every result's ``to_frame()``: key columns come before it, domain columns after.
CONTRACT_COLUMNS = (*ESTIMATE_COLUMNS, "notes")


class Interval(NamedTuple):
    """A confidence interval: ``lo, hi = interval`` or ``interval.lower``."""

    lower: Any
    upper: Any


def json_safe(x: Any) -> Any:
    """Plain Python for JSON: numpy scalars to Python, NaN and infinities to None.

    Results and estimates become their own ``to_dict()``, frames a list of records.
    """
    if isinstance(x, Mapping):
        return {str(k): json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_safe(v) for v in x]
    if isinstance(x, np.ndarray):
        return [json_safe(v) for v in x.tolist()]
    if isinstance(x, pd.DataFrame):
        return json_safe(x.to_dict(orient="records"))
    if isinstance(x, np.random.SeedSequence):  # a seed= given as a SeedSequence: what reproduces it
        key = f", spawn_key {x.spawn_key}" if x.spawn_key else ""
        return f"SeedSequence(entropy {x.entropy}{key})"
    if isinstance(x, np.random.Generator):
        return "a numpy Generator"
    if isinstance(x, pd.Series):
        return json_safe(x.to_dict())
    if hasattr(x, "to_dict") and callable(x.to_dict):
        return json_safe(x.to_dict())
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, (pd.Timestamp, np.datetime64)):
        return str(x)
    return x


def freeze(x: Any) -> Any:
    """The value with no mutable container inside: dicts become read-only mappings, lists tuples,
    arrays read-only views (the caller's array stays writeable). Frames are returned as they are:
    a result stores arrays or tuples and builds its frames on demand, or returns copies."""
    if isinstance(x, np.ndarray):
        if not x.flags.writeable:
            return x
        view = x.view()
        view.flags.writeable = False
        return view
    if isinstance(x, MappingProxyType):
        return x
    if isinstance(x, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in x.items()})
    if isinstance(x, list):
        return tuple(freeze(v) for v in x)
    if isinstance(x, tuple):
        items = [freeze(v) for v in x]
        if all(a is b for a, b in zip(items, x)):
            return x
        return type(x)(*items) if hasattr(x, "_fields") else tuple(items)
    if isinstance(x, (set, frozenset)):
        return frozenset(x)
    return x


_NO_DEFAULT = object()


class FrameField:
    """A DataFrame field of a frozen result: stored once, read as a copy (changing it changes nothing).

    :class:`FrozenFields` installs it on every field annotated as a DataFrame, so the field keeps
    its name, type and default.
    """

    def __init__(self, name: str, default: Any = _NO_DEFAULT) -> None:
        self.name, self.slot, self.default = name, f"_{name}_frame", default

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            if self.default is _NO_DEFAULT:
                raise AttributeError(self.name)
            return self.default
        value = obj.__dict__[self.slot]
        return value.copy() if isinstance(value, pd.DataFrame) else value

    def __set__(self, obj: Any, value: Any) -> None:
        if self.slot in obj.__dict__:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {self.name!r}")
        obj.__dict__[self.slot] = value.copy() if isinstance(value, pd.DataFrame) else value


class FrozenFields:
    """Base of frozen result dataclasses: containers frozen after ``__init__``, frames read as copies."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            # a field that is a frame (pd.DataFrame, or pd.DataFrame | None), not one that holds frames
            is_frame = str(annotation).replace(" ", "") in ("pd.DataFrame", "pd.DataFrame|None", "DataFrame",
                                                            "DataFrame|None")
            if is_frame and not isinstance(cls.__dict__.get(name), FrameField):
                setattr(cls, name, FrameField(name, cls.__dict__.get(name, _NO_DEFAULT)))

    def __post_init__(self) -> None:
        if dataclasses.is_dataclass(self):
            freeze_fields(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary of every field (nested results as their own ``to_dict()``)."""
        return json_safe({f.name: getattr(self, f.name) for f in dataclasses.fields(self)})  # type: ignore[arg-type]

    # read-only mappings do not pickle: results travel (pickle, deepcopy, worker processes) as plain dicts
    def __getstate__(self) -> dict[str, Any]:
        return {k: _thaw(v) for k, v in self.__dict__.items()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        freeze_fields(self)


def _thaw(x: Any) -> Any:
    if isinstance(x, MappingProxyType):
        return {k: _thaw(v) for k, v in x.items()}
    if isinstance(x, tuple) and not hasattr(x, "_fields"):
        return tuple(_thaw(v) for v in x)
    return x


def freeze_fields(obj: Any) -> None:
    """Freeze every field of a frozen dataclass in place (from its ``__post_init__``)."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        frozen = freeze(value)
        if frozen is not value:
            object.__setattr__(obj, f.name, frozen)


def format_number(x: Any, digits: int = 3) -> str:
    """Fixed decimals for display; large numbers keep their magnitude, missing is 'NA'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "NA"
    if isinstance(x, (str, tuple, list)):
        return str(x)
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if abs(x) >= 10 ** (digits + 1):
        return f"{x:.4g}" if abs(x) < 1e6 else f"{x:.3e}"
    return f"{x:.{digits}f}"


def format_p_value(p: float, digits: int = 3) -> str:
    """p-values as reported in papers: 'p < 0.001' below the shown precision."""
    if p is None or math.isnan(p):
        return "NA"
    floor = 10.0 ** -digits
    return f"< {floor:.{digits}f}" if p < floor else f"{p:.{digits}f}"


def format_p(p: float, digits: int = 3) -> str:
    """'p = 0.012' or 'p < 0.001', for running text."""
    shown = format_p_value(p, digits)
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"


def format_level(level: float) -> str:
    return f"{100 * level:g}%"


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval.

    Attributes
    ----------
    value, lower, upper : float
        The estimate and its interval bounds (NaN where undefined, e.g. sensitivity with no
        diseased patients).
    level : float
        Confidence level of the interval, e.g. 0.95.
    method : str
        How the interval was computed, e.g. ``"Wilson"`` or ``"DeLong"``.
    name : str
        What is estimated, e.g. ``"sensitivity"``.
    notes : tuple of str
        Anything applied that the reader must know (a continuity correction, an undefined value).
    """

    value: float
    lower: float
    upper: float
    level: float = 0.95
    method: str = ""
    name: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def interval(self) -> Interval:
        return Interval(self.lower, self.upper)

    def contains(self, x: float) -> bool:
        """Whether ``x`` lies inside the closed interval."""
        return bool(self.lower <= x <= self.upper)

    def format(self, digits: int = 3) -> str:
        name = f"{self.name} " if self.name else ""
        if math.isnan(self.lower) and math.isnan(self.upper):
            text = f"{name}{format_number(self.value, digits)}"
        else:
            method = f", {self.method}" if self.method else ""
            text = (f"{name}{format_number(self.value, digits)} ({format_level(self.level)} CI "
                    f"{format_number(self.lower, digits)} to {format_number(self.upper, digits)}{method})")
        return text + "".join(f" [{n}]" for n in self.notes)

    def __str__(self) -> str:
        return self.format()

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (NaN and infinities become None)."""
        return json_safe({"name": self.name, "value": self.value, "lower": self.lower, "upper": self.upper,
                          "level": self.level, "method": self.method, "notes": list(self.notes)})

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self._row()], columns=ESTIMATE_COLUMNS + ["notes"])

    def _row(self) -> dict[str, Any]:
        return {"measure": self.name, "value": self.value, "lower": self.lower, "upper": self.upper,
                "level": self.level, "method": self.method, "notes": "; ".join(self.notes)}

    def _repr_html_(self) -> str:
        return f"<span>{html.escape(self.format())}</span>"


@dataclass(frozen=True)
class TestResult:
    """A hypothesis test: statistic, p-value, method, and the estimate it is about.

    ``estimate`` holds the effect with its interval (e.g. the difference in AUC), so a
    p-value is never reported without the size of the effect.

    >>> from diagstats.results import TestResult
    >>> r = TestResult(statistic=2.1, p_value=0.0357, method="McNemar", name="sensitivity")
    >>> print(r)
    sensitivity: McNemar, statistic 2.100, p = 0.036
    """

    __test__ = False  # not a pytest test class

    statistic: float
    p_value: float
    method: str
    estimate: Estimate | None = None
    df: float | None = None
    alternative: str = "two-sided"
    name: str = ""
    notes: tuple[str, ...] = field(default=())

    def format(self, digits: int = 3) -> str:
        head = f"{self.name}: " if self.name else ""
        df = f" (df {format_number(self.df, digits)})" if self.df is not None else ""
        text = (f"{head}{self.method}, statistic {format_number(self.statistic, digits)}{df}, "
                f"{format_p(self.p_value, digits)}")
        if self.alternative != "two-sided":
            text += f" ({self.alternative})"
        if self.estimate is not None:
            text += f"; {self.estimate.format(digits)}"
        shown = () if self.estimate is None else self.estimate.notes    # each note printed once
        return text + "".join(f" [{n}]" for n in self.notes if n not in shown)

    def __str__(self) -> str:
        return self.format()

    def to_dict(self) -> dict[str, Any]:
        return json_safe({"name": self.name, "statistic": self.statistic, "p_value": self.p_value,
                          "df": self.df, "method": self.method, "alternative": self.alternative,
                          "estimate": None if self.estimate is None else self.estimate.to_dict(),
                          "notes": list(self.notes)})

    def to_frame(self) -> pd.DataFrame:
        """One row: ``test``, the estimate's ``measure, value, lower, upper, level, method`` (its interval
        method), ``notes``, then ``statistic, df, p_value, test_method`` (this test's method), ``alternative``."""
        if self.estimate is not None:
            row = self.estimate._row()
        else:
            row = {"measure": "", "value": np.nan, "lower": np.nan, "upper": np.nan, "level": np.nan, "method": ""}
        row["notes"] = "; ".join(dict.fromkeys((*self.notes, *(() if self.estimate is None else self.estimate.notes))))
        row.update({"statistic": self.statistic, "df": self.df, "p_value": self.p_value, "test_method": self.method,
                    "alternative": self.alternative})
        return pd.DataFrame([{"test": self.name, **row}])

    key_columns: ClassVar[tuple[str, ...]] = ("test",)

    def _repr_html_(self) -> str:
        return f"<span>{html.escape(self.format())}</span>"


def estimates_frame(estimates: list[Estimate]) -> pd.DataFrame:
    """Tidy frame, one row per estimate, with the fixed estimate columns plus ``notes``."""
    return pd.DataFrame([e._row() for e in estimates], columns=ESTIMATE_COLUMNS + ["notes"])


def _range_text(low: float, high: float) -> str:
    return f"[{low:g}, {high:g}]" if math.isfinite(high) else f"[{low:g}, inf)"


def clip_interval(estimate: Estimate, low: float, high: float, what: str,
                  kind: str = "normal") -> tuple[Estimate, str | None]:
    """``estimate`` with its interval clipped to ``[low, high]`` (the range of the measure), and the note
    saying what was clipped and from what (``None``, and the estimate unchanged, when it was in range).

    For intervals built on a scale where they can leave the measure's range (a normal interval of an AUC
    on small data). The value is kept; the note is added to the estimate's notes and returned for the
    result's notes.

    >>> est, note = clip_interval(Estimate(0.97, 0.91, 1.04, 0.95, "normal", "AUC"), 0, 1, "AUC interval")
    >>> est.upper, note
    (1.0, 'AUC interval clipped to [0, 1] (the normal interval was 0.910 to 1.040)')
    """
    lo, hi = estimate.lower, estimate.upper
    if not (lo < low or hi > high):  # in range, or NaN: nothing to clip
        return estimate, None
    note = (f"{what} clipped to {_range_text(low, high)} (the {kind} interval was {format_number(lo)} to "
            f"{format_number(hi)})")
    return dataclasses.replace(estimate, lower=float(min(max(lo, low), high)), upper=float(max(min(hi, high), low)),
                               notes=(*estimate.notes, note)), note


def clip_value(estimate: Estimate, low: float, high: float, what: str) -> tuple[Estimate, str | None]:
    """``estimate`` with its value clipped to ``[low, high]`` (an optimism-corrected sensitivity below 0), and
    the note saying so and giving the unclipped value (``None`` when it was in range)."""
    value = estimate.value
    if not (value < low or value > high):
        return estimate, None
    clipped = float(min(max(value, low), high))
    note = f"{what} clipped to {clipped:g} (the unclipped value was {format_number(value)})"
    return dataclasses.replace(estimate, value=clipped, notes=(*estimate.notes, note)), note


def _display_frame(frame: pd.DataFrame, digits: int) -> pd.DataFrame:
    """Round-free text rendering of a tidy frame: numbers formatted, intervals joined."""
    shown = frame.copy()
    if {"value", "lower", "upper"} <= set(shown.columns):
        shown["estimate"] = [format_number(v, digits) for v in shown["value"]]
        shown["CI"] = [("" if (isinstance(lo, float) and math.isnan(lo) and math.isnan(hi)) else
                        f"{format_number(lo, digits)} to {format_number(hi, digits)}")
                       for lo, hi in zip(shown["lower"], shown["upper"])]
        shown = shown.drop(columns=["value", "lower", "upper"])
        if "level" in shown.columns:
            shown = shown.drop(columns=["level"])
        front = [c for c in shown.columns if c not in ("estimate", "CI", "method", "notes")]
        rest = [c for c in ("estimate", "CI", "method", "notes") if c in shown.columns]
        shown = shown[front + rest]
    for col in shown.columns:
        if shown[col].dtype.kind != "f":
            continue
        if col == "p_value" or str(col).endswith("_p_value"):
            shown[col] = [format_p_value(v, digits) for v in shown[col]]
        elif col == "df":
            shown[col] = [format_number(int(v) if float(v).is_integer() else v, digits) if v == v else "NA"
                          for v in shown[col]]
        else:
            shown[col] = [format_number(v, digits) for v in shown[col]]
    # notes are listed below the table by ResultTable, not repeated in every row
    return shown.drop(columns=["notes"]) if "notes" in shown.columns else shown


class ResultTable(FrozenFields):
    """Shared display for results that have a tidy ``to_frame()``.

    Subclasses implement ``to_frame()``, ``title`` and may extend ``header_lines()`` and
    ``notes``; this class supplies ``__str__``, ``to_html(digits)``, ``_repr_html_`` and
    ``to_dict()``.
    """

    title: str = "Result"
    notes: tuple[str, ...] = ()
    #: Columns of ``to_frame()`` before the contract block (which rows are which).
    key_columns: ClassVar[tuple[str, ...]] = ()
    #: Dataclass fields left out of ``to_dict()`` (bulky inputs that are not part of the printed result).
    dict_exclude: ClassVar[tuple[str, ...]] = ()
    #: Properties added to ``to_dict()`` (counts derived from the fields).
    dict_include: ClassVar[tuple[str, ...]] = ()

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def header_lines(self) -> list[str]:
        """Lines printed above the table (counts, level, what was omitted)."""
        return []

    def to_text(self, digits: int = 3) -> str:
        shown = _display_frame(self.to_frame(), digits)
        lines = [self.title, *self.header_lines(), shown.to_string(index=False)]
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def to_html(self, digits: int = 3) -> str:
        """A small HTML table (text from data is escaped)."""
        shown = _display_frame(self.to_frame(), digits)
        parts = [f"<div class='diagstats-result'><strong>{html.escape(self.title)}</strong>"]
        parts += [f"<div>{html.escape(line)}</div>" for line in self.header_lines()]
        parts.append(shown.to_html(index=False, escape=True, border=0))
        parts += [f"<div><em>Note:</em> {html.escape(n)}</div>" for n in self.notes]
        parts.append("</div>")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe and complete: the title, every field (estimates and nested results as their own
        ``to_dict()``), the derived counts, the tidy frame's rows and the notes."""
        out: dict[str, Any] = {"title": self.title}
        if dataclasses.is_dataclass(self):
            out.update({f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                        if f.name not in self.dict_exclude})
        out.update({name: getattr(self, name) for name in self.dict_include})
        out["rows"] = self.to_frame().to_dict(orient="records")
        out["notes"] = list(self.notes)
        return json_safe(out)


def tidy(frame: pd.DataFrame, keys: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """The frame's columns in contract order: ``keys``, then the contract block (missing ones added:
    NaN bounds and level, empty method and notes), then every other column as it was."""
    frame = frame.copy()
    for col in CONTRACT_COLUMNS:
        if col not in frame.columns:
            frame[col] = "" if col in ("method", "notes", "measure") else np.nan
    rest = [c for c in frame.columns if c not in keys and c not in CONTRACT_COLUMNS]
    return frame[[*keys, *CONTRACT_COLUMNS, *rest]]


_ATTRIBUTES_IN_DICT = ("n", "n_omitted", "direction", "level", "method", "n_cases", "n_controls", "positive",
                       "n_boot", "seed")


def check_contract(result: Any) -> None:
    """Raise ``AssertionError`` naming the first way ``result`` breaks the result contract.

    Frozen dataclass, no mutable container inside, ``to_frame()`` columns ``key_columns`` then
    :data:`CONTRACT_COLUMNS` then domain columns, ``to_dict()`` JSON-safe with the counts and options,
    ``str`` and ``_repr_html_`` not empty, ``plot`` (where there is one) taking ``ax``.
    """
    import inspect
    import json

    name = type(result).__name__
    assert dataclasses.is_dataclass(result), f"{name} is not a dataclass"
    params = type(result).__dataclass_params__
    assert params.frozen, f"{name} is not frozen"
    _check_frozen(result, name)
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame), f"{name}.to_frame() is not a DataFrame"
    keys = tuple(getattr(result, "key_columns", ()))
    columns = tuple(frame.columns)
    assert columns[:len(keys)] == keys, f"{name}.to_frame() starts {columns[:len(keys)]}, not the keys {keys}"
    block = columns[len(keys):len(keys) + len(CONTRACT_COLUMNS)]
    assert block == CONTRACT_COLUMNS, f"{name}.to_frame() columns {columns}: {block} is not {CONTRACT_COLUMNS}"
    out = result.to_dict()
    json.dumps(out, allow_nan=False)
    has_notes = getattr(type(result), "notes", ()) is not getattr(ResultTable, "notes", ())
    for attr in (*(("notes",) if has_notes else ()), *_ATTRIBUTES_IN_DICT):
        if hasattr(result, attr) and not callable(getattr(result, attr)):
            assert attr in out, f"{name}.to_dict() lacks {attr!r}"
    assert str(result).strip(), f"str({name}) is empty"
    assert result._repr_html_().strip(), f"{name}._repr_html_() is empty"
    if hasattr(result, "plot"):
        assert "ax" in inspect.signature(result.plot).parameters, f"{name}.plot has no ax="


def _check_frozen(x: Any, where: str, depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(x, (dict, list, set, pd.DataFrame, pd.Series)):
        raise AssertionError(f"{where} is a mutable {type(x).__name__}")
    if isinstance(x, np.ndarray):
        assert not x.flags.writeable, f"{where} is a writeable array"
        return
    if isinstance(x, Mapping):
        for k, v in x.items():
            _check_frozen(v, f"{where}[{k!r}]", depth + 1)
    elif isinstance(x, tuple):
        for i, v in enumerate(x):
            _check_frozen(v, f"{where}[{i}]", depth + 1)
    elif dataclasses.is_dataclass(x) and not isinstance(x, type):
        assert type(x).__dataclass_params__.frozen, f"{where} ({type(x).__name__}) is not frozen"
        for f in dataclasses.fields(x):
            if isinstance(type(x).__dict__.get(f.name), FrameField) or any(
                    isinstance(k.__dict__.get(f.name), FrameField) for k in type(x).__mro__):
                continue  # a frame read as a copy
            _check_frozen(getattr(x, f.name), f"{where}.{f.name}", depth + 1)
