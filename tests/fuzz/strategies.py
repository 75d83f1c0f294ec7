"""Hypothesis strategies for the catalogue of issue #14, and more.

Bad types (str, None, list, dict, nested lists), NaN and infinities, empty and one-row data, one class,
all ties, huge counts (2**63, ``np.uint64``, 1e19) and zero counts, duplicate column names, duplicate
index labels, odd levels (0, 1, 95, -0.1, NaN), unknown and miscased method names, text-coded binaries,
bool against 0/1, object dtype columns, mismatched lengths.

Every argument strategy (:func:`arg`) mostly draws a valid value and sometimes (about one draw in six) a
bad one, so that a call usually has one defect at a time and a valid result is also exercised. Data are
small (at most 60 rows) except the huge counts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from .invariants import Bad

MAX_ROWS = 60

#: Drawn by :func:`maybe`: leave the keyword out (use the default).
OMIT = object()

#: Values that are wrong for almost any argument.
BAD = (None, "a", "", "0.95", [], {}, [1, 2], [[1, 2], [3, 4]], {"a": 1}, np.nan, np.inf, -np.inf, -1, 0, -0.1,
       1.5, 95, 2**63, np.uint64(2**63), 1e19, True, False, (1,), np.array([0.5, 0.5]))

#: Confidence levels (and alphas, powers): valid, and values that must be refused.
LEVELS = (0.95, 0.95, 0.9, 0.99, 0.5, 0.999999, np.float32(0.95))
BAD_LEVELS = (0, 1, 95, -0.1, np.nan, np.inf, "0.95", True, [0.9, 0.95])

#: Counts: small, zero, huge, and not counts.
GOOD_COUNTS = st.one_of(st.integers(0, 60), st.integers(0, 60), st.just(0), st.integers(0, 10**6),
                        st.integers(0, 60).map(np.int64), st.integers(0, 60).map(float))
HUGE_COUNTS = st.sampled_from([2**62, 2**63 - 1, 2**63, 2**64, np.uint64(2**63), np.uint64(2**64 - 1), 1e19, 1e300,
                               10**12, np.int64(2**62)])
BAD_COUNTS = st.sampled_from([-1, -0.5, 2.5, np.nan, np.inf, "3", None, True, [1, 2], [], np.array([1, 2]), {"n": 1}])


def weighted(good: st.SearchStrategy, bad: st.SearchStrategy, p_bad: int = 15) -> st.SearchStrategy:
    """``good`` mostly; ``bad`` in about ``p_bad`` percent of draws."""
    return st.integers(0, 99).flatmap(lambda k: bad if k < p_bad else good)


def arg(good: Any, *bad: Any, p_bad: int = 8, generic: bool = True) -> st.SearchStrategy:
    """A strategy for one argument: ``good`` (a strategy or a list of values), or one of the ``bad`` values
    (which must be refused: drawn as :class:`Bad`), or a generic value from :data:`BAD` (wrong for most
    arguments but not all, so not marked)."""
    good_s = good if isinstance(good, st.SearchStrategy) else st.sampled_from(list(good))
    bad_s = st.sampled_from([Bad(b) for b in bad] + (list(BAD) if generic else []))
    return weighted(good_s, bad_s, p_bad)


def counts(p_huge: int = 12, p_bad: int = 8) -> st.SearchStrategy:
    return st.integers(0, 99).flatmap(
        lambda k: HUGE_COUNTS if k < p_huge else BAD_COUNTS if k < p_huge + p_bad else GOOD_COUNTS)


def levels(p_bad: int = 8) -> st.SearchStrategy:
    return weighted(st.sampled_from(LEVELS), st.sampled_from([Bad(v) for v in BAD_LEVELS]), p_bad)


def options(valid: list[str] | tuple[str, ...], *, p_bad: int = 10, none_ok: bool = False) -> st.SearchStrategy:
    """A method or option name: a valid one, the same miscased (an alias or a refusal, both fine), or an
    unknown one (which must be refused)."""
    valid = list(valid)
    unknown = [Bad(v) for v in ("unknown", "", " " + valid[0], 1, valid[:1])] + ([] if none_ok else [Bad(None)])
    odd = [v.upper() for v in valid] + [v.title() for v in valid]
    return weighted(st.sampled_from(valid), st.sampled_from(odd + unknown), p_bad)


def flags(*, none_ok: bool = False) -> st.SearchStrategy:
    """A boolean flag: True or False, or a value that must be refused ("yes", 2, and None unless it means
    "decide for me")."""
    bad = ["yes", "False", 2, [True]] + ([] if none_ok else [None])
    return weighted(st.sampled_from([True, False] + ([None] if none_ok else [])),
                    st.sampled_from([Bad(b) for b in bad]), 10)


def probability(low: float = 0.0, high: float = 1.0, *, closed: bool = True) -> st.SearchStrategy:
    """A probability; out-of-range values must be refused (the ends 0 and 1 too, unless ``closed``)."""
    ends = [] if closed else [0.0, 1.0]
    return arg(st.floats(low, high, allow_nan=False, exclude_min=not closed, exclude_max=not closed),
               *ends, 100, -0.2, 1.2, "0.5", np.nan)


def sizes() -> st.SearchStrategy:
    """Number of rows: small, with empty and one-row data often."""
    return st.one_of(st.sampled_from([0, 1, 2, 3]), st.integers(4, MAX_ROWS), st.integers(6, 30))


# ---------------------------------------------------------------------------------------------- columns

CODINGS = ("int", "int", "bool", "float", "text", "object", "category")


def code_binary(values: np.ndarray, coding: str) -> Any:
    """0/1 booleans written in one of the codings users have."""
    values = np.asarray(values, dtype=bool)
    if coding == "int":
        return values.astype(int)
    if coding == "bool":
        return values
    if coding == "float":
        return values.astype(float)
    if coding == "text":
        return np.where(values, "pos", "neg").astype(object)
    if coding == "object":
        return values.astype(int).astype(object)
    if coding == "category":
        return pd.Categorical(np.where(values, "pos", "neg"), categories=["neg", "pos"])
    raise AssertionError(coding)


@st.composite
def binary_values(draw, n: int, *, one_class_p: int = 10) -> np.ndarray:
    """Booleans of length ``n``; sometimes all one class."""
    k = draw(st.integers(0, 99))
    if k < one_class_p:
        return np.full(n, bool(k % 2))
    return np.asarray(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)


@st.composite
def score_values(draw, n: int, diseased: np.ndarray | None = None) -> np.ndarray:
    """Scores of length ``n``: continuous, few distinct values (ties), all tied, with an infinity or huge."""
    kind = draw(st.sampled_from(["normal", "normal", "ties", "ties", "constant", "huge", "inf", "int"]))
    if kind == "constant":
        return np.full(n, draw(st.sampled_from([0.0, 1.0, -3.5])))
    if kind == "ties":
        values = np.asarray(draw(st.lists(st.sampled_from([0.0, 1.0, 2.0]), min_size=n, max_size=n)), dtype=float)
    elif kind == "int":
        values = np.asarray(draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)), dtype=np.int64)
        return values
    else:
        values = np.asarray(draw(st.lists(st.floats(-5, 5, allow_nan=False, width=32), min_size=n, max_size=n)),
                            dtype=float)
    if diseased is not None and n:
        values = values + draw(st.sampled_from([0.0, 1.0, 3.0])) * diseased
    if n and kind == "huge":
        values[draw(st.integers(0, n - 1))] = draw(st.sampled_from([1e300, -1e300, 1e-300]))
    if n and kind == "inf":
        values[draw(st.integers(0, n - 1))] = draw(st.sampled_from([np.inf, -np.inf]))
    return values


# ---------------------------------------------------------------------------------------------- frames

DEFECTS = ("none", "none", "none", "none", "nan", "dup_col", "dup_index", "object", "text_all")


@st.composite
def patients(draw, *, n: int | None = None, tests: int = 3, scores: int = 2, defects: bool = True,
             extra: dict | None = None) -> tuple[pd.DataFrame, dict]:
    """A frame of patients: ``y`` (reference), binary tests ``t1..``, scores ``s1..``, and ``info`` saying
    how it was made (``coding`` of the binaries, the ``defect`` applied)."""
    n = draw(sizes()) if n is None else n
    y = draw(binary_values(n))
    coding = draw(st.sampled_from(CODINGS))
    frame: dict[str, Any] = {"y": code_binary(y, coding)}
    for i in range(1, tests + 1):
        agree = draw(st.sampled_from([0.5, 0.8, 1.0]))
        noise = np.asarray(draw(st.lists(st.floats(0, 1, allow_nan=False), min_size=n, max_size=n)), dtype=float)
        t = np.where(noise < agree, y, ~y)
        frame[f"t{i}"] = code_binary(t, coding if draw(st.integers(0, 3)) else draw(st.sampled_from(CODINGS)))
    for i in range(1, scores + 1):
        frame[f"s{i}"] = draw(score_values(n, y.astype(float)))
    for name, column in (extra or {}).items():
        frame[name] = draw(column(n, y)) if callable(column) else column
    df = pd.DataFrame(frame)
    defect = draw(st.sampled_from(DEFECTS)) if defects else "none"
    if defect == "nan" and n:
        col = draw(st.sampled_from(list(df.columns)))
        rows = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3))
        df[col] = df[col].astype(object) if df[col].dtype.kind in "biO" or str(df[col].dtype) == "category" \
            else df[col]
        df.iloc[rows, df.columns.get_loc(col)] = np.nan
    elif defect == "dup_col" and df.shape[1] >= 2:
        cols = list(df.columns)
        i, j = draw(st.lists(st.integers(0, len(cols) - 1), min_size=2, max_size=2, unique=True))
        cols[j] = cols[i]
        df.columns = cols
    elif defect == "dup_index" and n >= 2:
        df.index = [i // 2 for i in range(n)]
    elif defect == "object":
        df = df.astype(object)
    elif defect == "text_all":
        for c in df.columns:
            if df[c].dtype.kind == "b" or (df[c].dtype.kind in "iuf" and set(pd.unique(df[c])) <= {0, 1}):
                df[c] = np.where(df[c].astype(bool), "yes", "no")
    return df, {"coding": coding, "defect": defect, "n": n}


def label_for(info: dict) -> str | None:
    """The positive label of a frame made by :func:`patients` (None: 0/1 or bool codes, no label needed)."""
    if info["defect"] == "text_all" and info["coding"] not in ("text", "category"):
        return "yes"
    return "pos" if info["coding"] in ("text", "category") else None


def column_name(existing: list[str], *, p_bad: int = 8) -> st.SearchStrategy:
    """A column name: an existing one, or a missing, miscased or non-string name."""
    bad = ["missing", existing[0].upper(), None, 0, ["y"], "", " y"]
    return weighted(st.sampled_from(existing), st.sampled_from(bad), p_bad)


def column_list(existing: list[str], size: tuple[int, int] = (2, 3), *, p_bad: int = 8) -> st.SearchStrategy:
    good = st.lists(st.sampled_from(existing), min_size=size[0], max_size=size[1], unique=True)
    bad = st.sampled_from([[], [existing[0]], [existing[0], existing[0]], "t1", None, [existing[0], "missing"],
                           {"a": existing[0]}, [[existing[0]]], (existing[0], existing[-1]), 3])
    return weighted(good, bad, p_bad)


@st.composite
def mismatched(draw, arrays: list[np.ndarray]) -> list:
    """The same arrays, one of them (sometimes) a row shorter, or a list, Series, 2-d array or scalar."""
    out = list(arrays)
    k = draw(st.integers(0, 99))
    if k < 8 and out and len(out[0]):
        i = draw(st.integers(0, len(out) - 1))
        out[i] = out[i][:-1]
    elif k < 12 and out:
        i = draw(st.integers(0, len(out) - 1))
        out[i] = draw(st.sampled_from([None, "abc", 1.0, np.asarray(out[i]).reshape(-1, 1), [list(out[i])]]))
    elif k < 30:
        out = [list(a) for a in out]
    elif k < 40:
        out = [pd.Series(a, index=np.arange(len(a))[::-1]) for a in out]
    return out


# ---------------------------------------------------------------------------------------------- keywords

def kw(data, **strategies) -> dict:
    """Draw each keyword from its strategy (``data`` is ``st.data()``); :data:`OMIT` leaves the keyword out."""
    out = {}
    for key, strategy in strategies.items():
        value = data.draw(strategy, label=key)
        if value is not OMIT:
            out[key] = value
    return out


def maybe(strategy, p_omit: int = 50):
    """Leave the keyword out (its default) about ``p_omit`` percent of the time."""
    return st.integers(0, 99).flatmap(lambda k: st.just(OMIT) if k < p_omit else strategy)
