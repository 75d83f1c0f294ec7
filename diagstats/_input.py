"""The one place where user input becomes clean numpy.

Every public function checks its arguments with these helpers, passing the argument's name so
that the message cannot mislabel it. Each helper either returns clean data or raises a
:class:`~diagstats.errors.DiagstatsError` that says what was wrong, what was given and how to fix it.

>>> from diagstats._input import as_binary
>>> as_binary(["malignant", "benign", "malignant"], name="reference", positive="malignant").values
array([ True, False,  True])
"""

from __future__ import annotations

import difflib
import functools
import math
import numbers
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, NamedTuple, TypeVar

import numpy as np
import pandas as pd

from .errors import ColumnError, DataError, OptionError

NAN_POLICIES = ("raise", "omit")
F = TypeVar("F", bound=Callable[..., Any])


def _show(value: Any) -> str:
    """A short, unambiguous rendering of a user's value for an error message."""
    text = repr(value.item() if isinstance(value, np.generic) else value)
    return text if len(text) <= 60 else text[:57] + "..."


def _suggest(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(value), [str(o) for o in options], n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def check_option(value: Any, name: str, options: Iterable[str], aliases: Mapping[str, str] | None = None) -> str:
    """Return the canonical spelling of an option, or raise naming the valid ones.

    >>> check_option("exact", "method", ["wilson", "clopper_pearson"], {"exact": "clopper_pearson"})
    'clopper_pearson'
    """
    options = list(options)
    aliases = dict(aliases or {})
    if isinstance(value, str):
        if value in options:
            return value
        if value in aliases:
            return aliases[value]
    valid = ", ".join(repr(o) for o in options + list(aliases))
    hint = _suggest(value, options + list(aliases)) if isinstance(value, str) else ""
    raise OptionError(f"{name}={_show(value)} is not a valid choice; use one of {valid}.{hint}")


#: The alternative hypotheses of every test: the same three spellings everywhere.
ALTERNATIVES = ("two-sided", "less", "greater")


def check_alternative(alternative: Any, name: str = "alternative") -> str:
    """``"two-sided"``, ``"less"`` or ``"greater"``; "one-sided" is refused because it hides the direction.

    >>> check_alternative("greater")
    'greater'
    """
    if alternative in ("one-sided", "one.sided", "one_sided"):
        raise OptionError(f"{name}={_show(alternative)} does not say which side; use {name}='greater' or "
                          f"{name}='less' (the direction of the difference the test should detect), or 'two-sided'.")
    return check_option(alternative, name, ALTERNATIVES)


def check_level(level: Any, name: str = "level") -> float:
    """A confidence level strictly between 0 and 1 (0.95, not 95)."""
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < float(level) < 1:
        hint = f" Did you mean {float(level) / 100:g}?" if isinstance(level, numbers.Real) and 1 < level < 100 else ""
        raise OptionError(f"{name}={_show(level)} must be a number strictly between 0 and 1, e.g. 0.95.{hint}")
    return float(level)


def check_probability(p: Any, name: str, *, open_interval: bool = False, scalar: bool = False) -> np.ndarray | float:
    """A probability (scalar or array; only a scalar with ``scalar=True``) in [0, 1], or in (0, 1)
    with ``open_interval=True``."""
    arr = np.asarray(p, dtype=float) if _is_numeric(p) else None
    if arr is None or not np.all(np.isfinite(arr)):
        kind = "a finite number" if scalar else "a finite number (or array of numbers)"
        raise OptionError(f"{name}={_show(p)} must be {kind} between 0 and 1.")
    if scalar and arr.ndim != 0:
        raise OptionError(f"{name}={_show(p)} must be a single number between 0 and 1, not an array; "
                          "call once per value.")
    low_ok = arr > 0 if open_interval else arr >= 0
    high_ok = arr < 1 if open_interval else arr <= 1
    if not np.all(low_ok & high_ok):
        bounds = "strictly between 0 and 1" if open_interval else "between 0 and 1"
        raise OptionError(f"{name}={_show(p)} must be {bounds} (a proportion, not a percentage).")
    return float(arr) if arr.ndim == 0 else arr


#: How close to 0 or 1 a probability given to ds.planning may come (alpha, power, an AUC, a sensitivity, ...).
PLANNING_MARGIN = 1e-12


def check_planning_probability(p: Any, name: str) -> float:
    """A probability for a sample-size or power calculation: a single number strictly between 0 and 1, and at
    least :data:`PLANNING_MARGIN` away from both.

    Closer to 0 or 1 the plan is meaningless in floating point: ``1 - alpha/2`` rounds to 1 (an infinite
    critical value), the binormal variance of an AUC divides by zero, and squared half-widths underflow.

    >>> check_planning_probability(0.05, "alpha")
    0.05
    >>> check_planning_probability(1e-276, "alpha")
    Traceback (most recent call last):
    ...
    diagstats.errors.OptionError: alpha=1e-276 is within 1e-12 of 0: so close to 0 or 1 the normal quantiles
    and variances of a plan are infinite or divide by zero, so no sample size or power means anything; give
    alpha between 1e-12 and 1 - 1e-12.
    """
    value = float(check_probability(p, name, open_interval=True, scalar=True))
    if not PLANNING_MARGIN <= value <= 1 - PLANNING_MARGIN:
        raise OptionError(f"{name}={_show(p)} is within {PLANNING_MARGIN:g} of {0 if value < 0.5 else 1}: so close "
                          "to 0 or 1 the normal quantiles and variances of a plan are infinite or divide by zero, so "
                          f"no sample size or power means anything; give {name} between {PLANNING_MARGIN:g} and "
                          f"1 - {PLANNING_MARGIN:g}.")
    return value


def _finite(x: numbers.Real) -> bool:
    """Finite as a float (a Python int beyond the float range is not)."""
    try:
        return math.isfinite(x)
    except OverflowError:
        return False


def check_number(x: Any, name: str, *, low: float | None = None, high: float | None = None, strict: bool = False,
                 what: str = "") -> float:
    """A finite real number (not a bool), within ``[low, high]`` (``(low, high)`` with ``strict=True``).

    >>> check_number(0.4, "correlation", low=-1, high=1, strict=True)
    0.4
    >>> check_number("0.4", "correlation", low=-1, high=1, strict=True)
    Traceback (most recent call last):
    ...
    diagstats.errors.OptionError: correlation='0.4' must be a finite number strictly between -1 and 1.
    """
    ok = isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_)) and _finite(x)
    if ok and low is not None:
        ok = x > low if strict else x >= low
    if ok and high is not None:
        ok = x < high if strict else x <= high
    if not ok:
        if low is not None and high is not None:
            bounds = f" strictly between {low:g} and {high:g}" if strict else f" from {low:g} to {high:g}"
        elif low is not None:
            bounds = f" {'>' if strict else '>='} {low:g}"
        elif high is not None:
            bounds = f" {'<' if strict else '<='} {high:g}"
        else:
            bounds = ""
        raise OptionError(f"{name}={_show(x)} must be a finite number{bounds}{f' ({what})' if what else ''}.")
    return float(x)


def check_positive_number(x: Any, name: str) -> float:
    """A finite number > 0 (a ratio, a cost, a pre-test odds)."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real) or not _finite(x) or x <= 0:
        raise OptionError(f"{name}={_show(x)} must be a finite number greater than 0.")
    return float(x)


def check_whole_number(x: Any, name: str, minimum: int = 0, maximum: int | None = None, *,
                       what: str = "", example: int | None = None) -> int:
    """A whole number (an int, not a bool or a float) from ``minimum`` to ``maximum`` (inclusive).

    ``what`` names the unit in the message ("folds", "patients", ...), ``example`` a usual value
    (default ``minimum``).

    >>> check_whole_number(5, "cv", minimum=2)
    5
    >>> check_whole_number(1.5, "cv", minimum=2, what="folds")
    Traceback (most recent call last):
    ...
    diagstats.errors.OptionError: cv=1.5 must be a whole number of folds >= 2, e.g. cv=2.
    """
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Integral) or x < minimum or (
            maximum is not None and x > maximum):
        unit = f" of {what}" if what else ""
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}"
        raise OptionError(f"{name}={_show(x)} must be a whole number{unit} {bounds}, "
                          f"e.g. {name}={minimum if example is None else example}.")
    return int(x)


#: Fewest bootstrap (or permutation) replicates any function accepts.
MIN_N_BOOT = 20
#: The most bootstrap replicates accepted (a larger number is a slip, and would run for days).
MAX_N_BOOT = 1_000_000
#: Fewest cases and fewest controls for a bootstrap to make sense.
MIN_PER_CLASS = 2


def check_n_boot(n_boot: Any, name: str = "n_boot", *, allow_none: bool = False) -> int | None:
    """A number of bootstrap replicates: a whole number from :data:`MIN_N_BOOT` to :data:`MAX_N_BOOT`.

    Where a function can skip the bootstrap (``allow_none=True``), ``None`` means "no bootstrap";
    ``0`` is not a second spelling of it.

    >>> check_n_boot(2000)
    2000
    >>> check_n_boot(None, allow_none=True) is None
    True
    """
    if n_boot is None and allow_none:
        return None
    if isinstance(n_boot, (bool, np.bool_)) or not isinstance(n_boot, numbers.Integral) or n_boot < MIN_N_BOOT:
        skip = f"; {name}=None skips the bootstrap" if allow_none else ""
        raise OptionError(f"{name}={_show(n_boot)} must be a whole number of replicates >= {MIN_N_BOOT} "
                          f"(2000 is usual){skip}.")
    if n_boot > MAX_N_BOOT:
        raise OptionError(f"{name}={n_boot} is more replicates than any interval needs (at most {MAX_N_BOOT:,}; "
                          "1000 to 2000 is usual).")
    return int(n_boot)


def check_bootstrap_size(m: int, n: int, *, instead: str = "") -> None:
    """Too few patients cannot be bootstrapped meaningfully (nor does DeLong's variance exist then).

    ``instead`` names what the user can do without an interval, e.g. ``"plot(ci=False)"``.
    """
    if m < MIN_PER_CLASS or n < MIN_PER_CLASS:
        other = f", or use {instead} (no interval)" if instead else ""
        raise DataError(f"The bootstrap needs at least {MIN_PER_CLASS} diseased and {MIN_PER_CLASS} non-diseased "
                        f"patients; this curve has {m} diseased and {n} non-diseased, too few for any interval. "
                        f"Collect more patients{other}.")


def check_seed(seed: Any, name: str = "seed", *, integer: bool = False) -> Any:
    """A seed: a whole number >= 0, or (unless ``integer=True``) a SeedSequence, a Generator or None.

    Returned unchanged; :func:`as_generator` and :func:`as_seed_sequence` turn it into randomness.

    >>> check_seed(0)
    0
    """
    if isinstance(seed, numbers.Integral) and not isinstance(seed, (bool, np.bool_)) and seed >= 0:
        return seed
    if not integer and (seed is None or isinstance(seed, (np.random.SeedSequence, np.random.Generator))):
        return seed
    allowed = "a whole number >= 0" if integer else "a whole number >= 0, a numpy SeedSequence or Generator"
    raise OptionError(f"{name}={_show(seed)} must be {allowed}, e.g. {name}=0.")


def check_progress(progress: Any, name: str = "progress") -> bool:
    """``progress=True`` shows a ``tqdm.auto`` bar during long work, ``False`` hides it."""
    if not isinstance(progress, (bool, np.bool_)):
        raise OptionError(f"{name}={_show(progress)} must be True (show a progress bar) or False.")
    return bool(progress)


def check_dataframe(data: Any, name: str = "data", *, what: str = "", unique_index: bool = False) -> pd.DataFrame:
    """A pandas DataFrame whose column names (and, with ``unique_index=True``, index labels) are unique.

    A duplicated column would make ``data[col]`` a DataFrame (or silently pick one of two), so it is
    always refused. Duplicated index labels are refused only where the index identifies the patients
    (``unique_index=True``: a ROC curve remembers its patients by label so that two curves can be
    paired); elsewhere rows are used by position, and a frame built with ``pd.concat`` or indexed by
    patient with several lesions each is fine. ``what`` describes the rows ("one row per patient").

    >>> check_dataframe(pd.DataFrame({"a": [1, 2], "a2": [3, 4]})).shape
    (2, 2)
    """
    if not isinstance(data, pd.DataFrame):
        rows = f" with {what}" if what else ""
        raise DataError(f"{name} must be a pandas DataFrame{rows}; got {type(data).__name__}.")
    if not data.columns.is_unique:
        dup = list(dict.fromkeys(data.columns[data.columns.duplicated()]))
        raise DataError(f"{name} has duplicated column names ({_label_list(dup[:10])}); give each column a unique "
                        f"name, e.g. {name}.loc[:, ~{name}.columns.duplicated()] or rename them.")
    if unique_index and not data.index.is_unique:
        dup = list(dict.fromkeys(data.index[data.index.duplicated()]))
        raise DataError(f"{name} has duplicated index labels ({_label_list(dup[:10])}); the index identifies the "
                        f"patients, so each label must be unique: use {name}.reset_index(drop=True), or set a "
                        "patient id column as the index.")
    return data


def renamed_arguments(**renames: str) -> Callable[[F], F]:
    """Refuse the old names of renamed keyword arguments with a message naming the new one.

    >>> @renamed_arguments(outcome="reference")
    ... def curve(data, reference):
    ...     return reference
    >>> curve(None, outcome="y")
    Traceback (most recent call last):
    ...
    diagstats.errors.OptionError: curve(outcome=...) is now curve(reference=...); rename the argument.
    """
    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            old = [k for k in kwargs if k in renames]
            if old:
                name = fn.__name__
                raise OptionError(f"{name}({old[0]}=...) is now {name}({renames[old[0]]}=...); rename the argument.")
            return fn(*args, **kwargs)
        wrapper.__renamed_arguments__ = dict(renames)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]
    return decorate


def _is_numeric(x: Any) -> bool:
    try:
        arr = np.asarray(x)
    except Exception:  # noqa: BLE001 - anything numpy cannot read is not numeric
        return False
    return arr.dtype.kind in "biuf" and arr.dtype.kind != "b"


#: Largest count accepted: the largest whole number a float64 holds exactly (2**53). Counts are
#: computed on in floating point, so a larger one could not be represented exactly (and one of
#: 2**63 or more would wrap around to a negative int64).
MAX_COUNT = 2 ** 53


def _too_large(x: Any, name: str) -> str:
    return (f"{name}={_show(x)} is too large: counts must be at most 2**53 = {MAX_COUNT} "
            "(the largest whole number held exactly in floating point).")


def as_counts(x: Any, name: str, *, scalar: bool = False) -> np.ndarray:
    """Non-negative whole numbers (scalar or array; only a scalar with ``scalar=True``) as an int64
    array, each at most :data:`MAX_COUNT`.

    >>> as_counts(3.0, "tp")
    array(3)
    >>> as_counts(2**63, "fp")
    Traceback (most recent call last):
    ...
    diagstats.errors.DataError: fp=9223372036854775808 is too large: counts must be at most
    2**53 = 9007199254740992 (the largest whole number held exactly in floating point).
    """
    try:
        raw = np.asarray(x)
    except Exception:  # noqa: BLE001 - anything numpy cannot read is not a count
        raw = None
    if raw is not None and raw.dtype.kind == "O" and raw.size and all(
            isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) for v in raw.ravel()):
        # Python ints beyond int64/uint64: numpy keeps them as objects
        if all(v >= 0 for v in raw.ravel()):
            raise DataError(_too_large(x, name))
        raise DataError(f"{name}={_show(x)} is negative or too large; counts must be whole numbers from 0 to "
                        f"2**53 = {MAX_COUNT}.")
    if isinstance(x, (bool, np.bool_)) or not _is_numeric(x):
        raise DataError(f"{name}={_show(x)} must be a count: a whole number >= 0 (or an array of them).")
    arr = raw
    if scalar and arr.ndim != 0:
        raise DataError(f"{name}={_show(x)} must be a single count (a whole number >= 0), not an array; "
                        "call once per table.")
    if arr.dtype.kind in "iu":  # already whole numbers: only the sign and the size need checking
        if arr.dtype.kind == "i" and arr.size and arr.min() < 0:
            raise DataError(f"{name}={_show(x)} is negative; counts must be whole numbers >= 0.")
        if arr.size and arr.max() > MAX_COUNT:
            raise DataError(_too_large(x, name))
        return arr.astype(np.int64, copy=False)
    arr = arr.astype(float)
    if not np.all(np.isfinite(arr)):
        raise DataError(f"{name} contains NaN or infinity ({_show(x)}); counts must be whole numbers >= 0.")
    if np.any(arr < 0):
        raise DataError(f"{name}={_show(x)} is negative; counts must be whole numbers >= 0.")
    if np.any(arr != np.round(arr)):
        raise DataError(f"{name}={_show(x)} is not a whole number; counts must be whole numbers >= 0.")
    if np.any(arr > MAX_COUNT):
        raise DataError(f"{name}={_show(x)} is too large: counts must be at most 2**53 = {MAX_COUNT} "
                        "(the largest whole number held exactly in floating point).")
    return arr.astype(np.int64)


def broadcast_named(**arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Broadcast arrays given by argument name; mismatched shapes are an error naming them.

    >>> [a.tolist() for a in broadcast_named(x=np.array([1, 2]), n=np.array(5))]
    [[1, 2], [5, 5]]
    """
    try:
        return tuple(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        shown = ", ".join(f"{k} has shape {np.shape(v)}" for k, v in arrays.items())
        raise DataError(f"The arrays do not match ({shown}); give arrays of one length (one value per table), "
                        "or a single number where a value is shared.") from None


def index_list(mask: np.ndarray, limit: int = 10) -> str:
    """The positions of the True entries of ``mask`` as a user indexes them, at most ``limit`` shown.

    >>> index_list(np.array([True, False, True]))
    '0, 2'
    """
    mask = np.asarray(mask, dtype=bool)
    where = np.argwhere(mask)
    shown = [str(int(i[0])) if mask.ndim == 1 else str(tuple(int(j) for j in i)) for i in where[:limit]]
    more = f", ... ({len(where)} in all)" if len(where) > limit else ""
    return ", ".join(shown) + more


def check_flag(value: Any, name: str) -> bool:
    """A yes/no option: ``True`` or ``False`` (numpy booleans too); anything else is refused.

    >>> check_flag(False, "paired")
    False
    >>> check_flag("yes", "paired")
    Traceback (most recent call last):
    ...
    diagstats.errors.OptionError: paired='yes' must be True or False (a boolean), e.g. paired=True.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise OptionError(f"{name}={_show(value)} must be True or False (a boolean), e.g. {name}=True.")
    return bool(value)


def check_not_greater(x: np.ndarray, n: np.ndarray, x_name: str, n_name: str) -> None:
    """Successes cannot exceed trials."""
    if np.any(x > n):
        raise DataError(f"{x_name}={_show(x.tolist())} is greater than {n_name}={_show(n.tolist())}; "
                        f"{x_name} counts successes among {n_name} trials, so it must not exceed it.")


def check_nan_policy(nan_policy: Any) -> str:
    return check_option(nan_policy, "nan_policy", NAN_POLICIES)


def column(data: pd.DataFrame, col: Any, argname: str) -> pd.Series:
    """The column ``col`` of ``data`` (named by argument ``argname``), with a helpful error if absent."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame when {argname} is a column name; got {type(data).__name__}.")
    check_dataframe(data)
    if not isinstance(col, Hashable):
        raise ColumnError(f"{argname}={_show(col)} must be the name of one column of data (a string), e.g. "
                          f"{argname}={_show(str(data.columns[0]) if len(data.columns) else 'mri')}.")
    if col not in data.columns:
        names = [str(c) for c in data.columns]
        shown = ", ".join(repr(c) for c in names[:20]) + (", ..." if len(names) > 20 else "")
        raise ColumnError(f"{argname}={_show(col)} is not a column of data; its columns are {shown}."
                          f"{_suggest(str(col), names)}")
    return data[col]


def column_names(names: Any, name: str, *, example: str, minimum: int = 1) -> list:
    """A list of column names (one name may be given as a string), at least ``minimum``, none twice.

    ``example`` shows a valid value in the message, e.g. ``"['nlr', 'plr']"``.

    >>> column_names("nlr", "markers", example="['nlr', 'plr']")
    ['nlr']
    """
    if isinstance(names, str):
        names = [names]
    if names is None or not isinstance(names, Iterable) or isinstance(names, (bytes, Mapping, pd.DataFrame)):
        raise OptionError(f"{name}={_show(names)} must be a list of column names, e.g. {name}={example}.")
    names = list(names)
    if any(isinstance(n, (list, dict, set, np.ndarray, pd.Series, pd.Index)) for n in names):
        raise OptionError(f"{name}={_show(names)} must be a flat list of column names, e.g. {name}={example}.")
    if len(names) < minimum:
        some = "at least one column" if minimum == 1 else f"at least {minimum} columns"
        raise DataError(f"{name} names {len(names)} column(s); name {some}, e.g. {name}={example}.")
    repeated = list(dict.fromkeys(n for i, n in enumerate(names) if n in names[:i]))
    if repeated:
        raise DataError(f"{name} names a column more than once ({_label_list(repeated)}): {_show(names)}; "
                        "list each column once.")
    return names


def check_same_length(**arrays: Any) -> int:
    """All arrays have one length; returns it."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{k} has {v}" for k, v in lengths.items())
        raise DataError(f"The inputs must have one value per patient, but their lengths differ: {shown}.")
    return next(iter(lengths.values()), 0)


def as_1d(x: Any, name: str) -> np.ndarray:
    """A one-dimensional array (a list, Series or 1-d ndarray)."""
    if isinstance(x, (pd.Series, pd.Index)):
        return x.to_numpy()
    if isinstance(x, (str, bytes)) or np.ndim(x) == 0:
        raise DataError(f"{name} must be a one-dimensional array with one value per patient; got {_show(x)}.")
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise DataError(f"{name} must be a one-dimensional array, got an array of shape {arr.shape}.")
    return arr


def missing(x: np.ndarray) -> np.ndarray:
    """Boolean mask of missing values (NaN, None, pd.NA, NaT) for any dtype."""
    if x.dtype.kind in "biu":
        return np.zeros(x.shape, dtype=bool)
    if x.dtype.kind == "f":
        return np.isnan(x)
    return np.asarray(pd.isna(x), dtype=bool)


class Complete(NamedTuple):
    """Arrays restricted to complete cases, with the number of rows dropped."""

    arrays: dict[str, np.ndarray]
    n_omitted: int


def complete_cases(arrays: Mapping[str, np.ndarray], nan_policy: str) -> Complete:
    """Apply ``nan_policy`` ("raise" or "omit") jointly to same-length arrays."""
    nan_policy = check_nan_policy(nan_policy)
    masks = {name: missing(a) for name, a in arrays.items()}
    any_missing = np.zeros(len(next(iter(arrays.values()))), dtype=bool)
    for m in masks.values():
        any_missing |= m
    n_omitted = int(any_missing.sum())
    if n_omitted and nan_policy == "raise":
        counts = ", ".join(f"{name} has {int(m.sum())}" for name, m in masks.items() if m.any())
        raise DataError(f"Missing values ({counts}). Pass nan_policy='omit' to analyse the "
                        f"{len(any_missing) - n_omitted} complete patients (the number omitted is reported), "
                        "or fill the missing values first.")
    if n_omitted:
        keep = ~any_missing
        return Complete({name: a[keep] for name, a in arrays.items()}, n_omitted)
    return Complete(dict(arrays), 0)


class Binary(NamedTuple):
    """A binary variable as booleans (True = positive), with the labels that were mapped."""

    values: np.ndarray
    positive: Any
    negative: Any


def _label_list(labels: Iterable[Any]) -> str:
    return ", ".join(_show(v) for v in labels)


def _distinct(arr: np.ndarray) -> np.ndarray:
    """Distinct values; 0/1 codes (the common case) are found without sorting."""
    if arr.dtype.kind in "biuf":
        is_one = arr == 1
        if np.all(is_one | (arr == 0)):
            return np.array([v for v, seen in ((0, (~is_one).any()), (1, is_one.any())) if seen], dtype=arr.dtype)
        return np.unique(arr)
    return pd.unique(arr)


def as_binary(x: Any, name: str, positive: Any = None, *, require_both: bool = False,
              positive_name: str = "positive") -> Binary:
    """Map a two-valued variable to booleans, True meaning ``positive``.

    The positive label is inferred only for bools and for 0/1 codes (also when stored as
    objects, e.g. a pandas object column after missing values were dropped); anything else needs
    ``positive=``. ``positive_name`` is the argument the user typed for it (``"test_positive"``
    for an index test), so that messages name it. Missing values must have been removed (see
    :func:`complete_cases`). With ``require_both=True`` a variable with only one class is an error
    (a reference standard needs both diseased and non-diseased patients).

    >>> as_binary(np.array([0, 1, 1], dtype=object), "reference").values
    array([False,  True,  True])
    """
    arr = as_1d(x, name)
    if positive is not None and (np.ndim(positive) > 0 or isinstance(positive, (dict, set))):
        raise DataError(f"{positive_name}={_show(positive)} must be one label (the value of {name} that means "
                        f"positive), not a {type(positive).__name__}.")
    if arr.dtype.kind == "O" and arr.size:
        kind = pd.api.types.infer_dtype(arr, skipna=False)
        if kind == "boolean":
            arr = arr.astype(bool)  # e.g. a pandas object column of True/False after missing values were dropped
        elif kind in ("integer", "mixed-integer", "mixed"):  # 0/1 as objects, possibly mixed with True/False
            try:
                codes = arr.astype(np.int64)
            except (TypeError, ValueError, OverflowError):
                codes = None
            if codes is not None and np.all(codes == arr) and np.isin(codes, (0, 1)).all():
                arr = codes
    if arr.dtype.kind == "b":
        labels = [False, True]
        present = np.array([v for v, seen in ((False, (~arr).any()), (True, arr.any())) if seen], dtype=bool)
    else:
        if missing(arr).any():
            raise DataError(f"{name} has missing values; pass nan_policy='omit' or fill them.")
        present = _distinct(arr)
        try:
            present = np.sort(present)
        except TypeError:
            present = np.asarray(sorted(present, key=str), dtype=object)
        labels = list(present)
    if len(present) > 2:
        more = f"; recode or drop the others and pass {positive_name}={_show(positive)}" if positive is not None \
            else f"; recode it to two classes (e.g. 0/1) and say which is positive with {positive_name}=..."
        raise DataError(f"{name} has {len(present)} distinct values ({_label_list(present[:10])}); "
                        f"it must have exactly 2{more}.")
    if require_both and len(present) < 2:
        raise DataError(f"{name} has only one class ({_label_list(present)}); it must contain both "
                        "positive and negative patients (e.g. diseased and non-diseased).")
    if arr.dtype.kind == "b":
        if positive is not None and positive not in (True, 1):
            if positive in (False, 0):
                return Binary(~arr, False, True)
            raise DataError(f"{positive_name}={_show(positive)} is not a value of {name} (which is True/False).")
        return Binary(arr.astype(bool), True, False)
    if positive is None:
        if arr.dtype.kind in "biuf" and set(np.asarray(present, dtype=float).tolist()) <= {0.0, 1.0}:
            return Binary(arr == 1, 1, 0)
        if not labels:  # no values left (e.g. every row omitted), and not numeric: no label to show
            raise DataError(f"{name} has no values (after removing missing values); there is nothing to analyse.")
        raise DataError(f"{name} takes the values {_label_list(labels)}; say which one means positive "
                        f"(diseased), e.g. {positive_name}={_show(labels[-1])}, or recode it as 0/1.")
    hits = arr == positive
    if not np.any(hits) and positive not in list(present):
        raise DataError(f"{positive_name}={_show(positive)} is not a value of {name}; its values are "
                        f"{_label_list(labels)}.")
    others = [v for v in labels if not (v == positive)]
    return Binary(np.asarray(hits, dtype=bool), positive, others[0] if others else None)


def as_numeric(x: Any, name: str) -> np.ndarray:
    """A float array; non-numeric input is an error naming the offending value."""
    arr = as_1d(x, name)
    if arr.dtype.kind == "b" or arr.dtype.kind not in "biufO":
        raise DataError(f"{name} must be numeric (dtype {arr.dtype} given).")
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError):
            bad = next(v for v in arr if not isinstance(v, numbers.Real))
            raise DataError(f"{name} must be numeric, but contains {_show(bad)}; convert it first "
                            f"(e.g. pd.to_numeric(df[...], errors='coerce')).") from None
    return arr.astype(float, copy=False)


def as_generator(seed: Any, name: str = "seed") -> np.random.Generator:
    """A numpy Generator from an int seed, a SeedSequence or an existing Generator."""
    seed = check_seed(seed, name)
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def as_seed_sequence(seed: Any, name: str = "seed") -> np.random.SeedSequence:
    """The root :class:`numpy.random.SeedSequence` of a random computation.

    An int (or None: fresh entropy) seeds a new SeedSequence; a SeedSequence is used as it is; a
    Generator contributes four draws (so it advances, and two calls give two streams).
    """
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(seed.integers(0, 2 ** 63, size=4))
    as_generator(seed, name)  # same accepted values, same message
    return np.random.SeedSequence(seed)


def seed_label(seed: Any, seeds: np.random.SeedSequence) -> str:
    """How a result names its randomness so that it can be reproduced.

    ``seed`` is what the user passed; ``seeds`` the SeedSequence built from it. Without a seed the
    drawn entropy is shown (pass it as ``seed=`` to repeat the run).
    """
    if seed is None:
        return f"seed None (entropy {seeds.entropy})"
    if isinstance(seed, np.random.SeedSequence):
        key = f", spawn_key {seed.spawn_key}" if seed.spawn_key else ""
        return f"SeedSequence(entropy {seed.entropy}{key})"
    if isinstance(seed, np.random.Generator):
        return "a numpy Generator"
    return f"seed {seed}"
