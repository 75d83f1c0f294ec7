"""Result objects shared by every estimator.

An :class:`Estimate` is one number with its interval, level and the method that made the
interval; a :class:`TestResult` is a hypothesis test. Larger results (an accuracy table, a ROC
analysis) subclass :class:`ResultTable`, which derives ``_repr_html_``, ``__str__`` and
``to_dict`` from the result's own tidy ``to_frame()``. Stored numbers are never rounded; digits
are a display argument only.

>>> from diagstats.results import Estimate
>>> e = Estimate(0.912, 0.871, 0.941, level=0.95, method="Wilson", name="sensitivity")
>>> print(e)
sensitivity 0.912 (95% CI 0.871 to 0.941, Wilson)
>>> lo, hi = e.interval
>>> e.contains(0.9)
True
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

#: The columns of every ``to_frame()`` that lists estimates; fixed, level-independent names.
ESTIMATE_COLUMNS = ["measure", "value", "lower", "upper", "level", "method"]


class Interval(NamedTuple):
    """A confidence interval: ``lo, hi = interval`` or ``interval.lower``."""

    lower: Any
    upper: Any


def json_safe(x: Any) -> Any:
    """Plain Python for JSON: numpy scalars to Python, NaN and infinities to None."""
    if isinstance(x, dict):
        return {str(k): json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_safe(v) for v in x]
    if isinstance(x, np.ndarray):
        return [json_safe(v) for v in x.tolist()]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def format_number(x: Any, digits: int = 3) -> str:
    """Fixed decimals for display; large numbers keep their magnitude, missing is 'NA'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "NA"
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
        return text + "".join(f" [{n}]" for n in self.notes)

    def __str__(self) -> str:
        return self.format()

    def to_dict(self) -> dict[str, Any]:
        return json_safe({"name": self.name, "statistic": self.statistic, "p_value": self.p_value,
                          "df": self.df, "method": self.method, "alternative": self.alternative,
                          "estimate": None if self.estimate is None else self.estimate.to_dict(),
                          "notes": list(self.notes)})

    def to_frame(self) -> pd.DataFrame:
        row = {"test": self.name, "statistic": self.statistic, "df": self.df, "p_value": self.p_value,
               "method": self.method, "alternative": self.alternative}
        if self.estimate is not None:
            row.update({f"estimate_{k}": v for k, v in self.estimate._row().items() if k != "notes"})
        row["notes"] = "; ".join(self.notes)
        return pd.DataFrame([row])

    def _repr_html_(self) -> str:
        return f"<span>{html.escape(self.format())}</span>"


def estimates_frame(estimates: list[Estimate]) -> pd.DataFrame:
    """Tidy frame, one row per estimate, with the fixed estimate columns plus ``notes``."""
    return pd.DataFrame([e._row() for e in estimates], columns=ESTIMATE_COLUMNS + ["notes"])


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


class ResultTable:
    """Shared display for results that have a tidy ``to_frame()``.

    Subclasses implement ``to_frame()``, ``title`` and may extend ``header_lines()`` and
    ``notes``; this class supplies ``__str__``, ``to_html(digits)``, ``_repr_html_`` and
    ``to_dict()``.
    """

    title: str = "Result"
    notes: tuple[str, ...] = ()

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
        """JSON-safe dictionary of the tidy frame's rows plus the notes."""
        return json_safe({"title": self.title, "rows": self.to_frame().to_dict(orient="records"),
                          "notes": list(self.notes)})
