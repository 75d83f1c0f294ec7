"""Post-test probability and odds: Bayes' theorem with a likelihood ratio."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._input import _is_numeric, _show, broadcast_named, check_probability, index_list
from ..errors import DataError
from ..results import Estimate


def post_test_probability(pretest: Any, lr: Any) -> Any:
    """Probability of disease after a test result with likelihood ratio ``lr`` (Bayes' theorem).

    post-test odds = pre-test odds x LR. ``pretest`` and ``lr`` may be numbers or arrays of one
    length (element by element; a number is shared), or ``lr`` an
    :class:`~diagstats.results.Estimate` (e.g. ``result.lr_positive``), in which case the result is
    an ``Estimate`` whose interval maps the LR's interval (the pre-test probability taken as known).

    >>> import diagstats as ds
    >>> round(ds.post_test_probability(0.2, 10.0), 4)
    0.7143
    >>> print(ds.post_test_probability(0.2, ds.accuracy(tp=90, fp=15, fn=10, tn=85).lr_positive))
    post-test probability 0.600 (95% CI 0.484 to 0.706, from Simel log interval of lr_positive)
    """
    pretest = check_probability(pretest, "pretest", scalar=isinstance(lr, Estimate))
    if isinstance(lr, Estimate):
        _refuse_undefined(pretest, np.array([lr.value, lr.lower, lr.upper], dtype=float), "pretest", estimate=True)
        values = [_post_prob(pretest, v) for v in (lr.value, lr.lower, lr.upper)]
        return Estimate(*(float(v) for v in values), level=lr.level, method=f"from {lr.method} interval of "
                        f"{lr.name or 'the likelihood ratio'}", name="post-test probability", notes=lr.notes)
    lr = _check_lr(lr)
    broadcast_named(pretest=np.asarray(pretest), lr=np.asarray(lr))
    _refuse_undefined(pretest, lr, "pretest")
    return _post_prob(pretest, lr)


def post_test_odds(pretest_odds: Any, lr: Any) -> Any:
    """Post-test odds = pre-test odds x likelihood ratio (the odds form of Bayes' theorem).

    Numbers, or arrays of one length (element by element; a number is shared).

    >>> import diagstats as ds
    >>> ds.post_test_odds(0.25, 10.0)
    2.5
    """
    odds = np.asarray(pretest_odds, dtype=float) if _is_numeric(pretest_odds) else np.array(np.nan)
    odds = float(odds) if odds.ndim == 0 else odds
    if np.any(~np.isfinite(odds)) or np.any(np.asarray(odds) < 0):
        raise DataError(f"pretest_odds={_show(pretest_odds)} must be finite and >= 0 (odds = p / (1 - p)).")
    if isinstance(lr, Estimate):
        _refuse_undefined(odds, np.array([lr.value, lr.lower, lr.upper], dtype=float), "pretest_odds", estimate=True)
        return Estimate(*(float(odds * v) for v in (lr.value, lr.lower, lr.upper)), level=lr.level,
                        method=f"from {lr.method} interval of {lr.name or 'the likelihood ratio'}",
                        name="post-test odds", notes=lr.notes)
    lr = _check_lr(lr)
    broadcast_named(pretest_odds=np.asarray(odds), lr=np.asarray(lr))
    _refuse_undefined(odds, lr, "pretest_odds")
    out = odds * lr
    return float(out) if np.ndim(out) == 0 else out


def _refuse_undefined(pretest: Any, lr: Any, name: str, *, estimate: bool = False) -> None:
    """Bayes' theorem has no answer for a pre-test probability of 0 with an infinite LR (0 x infinity), nor of 1
    with an LR of 0 (infinite odds x 0): the limit depends on how each is reached, so the call is refused.

    ``name`` is the pre-test argument (``"pretest"`` or ``"pretest_odds"``, which is infinite only at
    probability 1 and is refused as such); ``estimate``: ``lr`` holds an Estimate's value, lower and upper bound.
    """
    p = np.asarray(pretest, dtype=float)
    p, r = np.broadcast_arrays(p, np.asarray(lr, dtype=float))
    zero_inf = (p == 0) & np.isinf(r)
    one_zero = (p == 1) & (r == 0) if name == "pretest" else np.zeros(p.shape, dtype=bool)
    if not (zero_inf.any() or one_zero.any()):
        return
    what = "pre-test odds of 0 (a pre-test probability of 0)" if name == "pretest_odds" else \
        "a pre-test probability of 0"
    problems = []
    for mask, given, why, fix in (
            (zero_inf, f"{name}=0 with lr=inf", f"{what} cannot be moved by any finite likelihood ratio, and an "
             "infinite LR is undefined there (0 x infinity)", f"give {name} > 0 or a finite lr"),
            (one_zero, f"{name}=1 with lr=0", "a pre-test probability of 1 cannot be moved by any likelihood ratio "
             "above 0, and an LR of 0 is undefined there (infinite odds x 0)", f"give {name} < 1 or lr > 0")):
        if mask.any():
            if estimate:
                bounds = ", ".join(b for b, hit in zip(("value", "lower", "upper"), mask) if hit)
                given = f"{given} (the {bounds} of the lr Estimate)"
            elif mask.ndim:
                given = f"{given} at index {index_list(mask)}"
            problems.append(f"{given}: {why}; {fix}")
    raise DataError("; ".join(problems) + ".")


def _check_lr(lr: Any) -> Any:
    arr = np.asarray(lr, dtype=float) if _is_numeric(lr) else None
    if arr is None or np.any(~(arr >= 0)) or np.any(np.isnan(arr)):
        raise DataError(f"lr={lr!r} must be a likelihood ratio >= 0 (a number, an array, or an Estimate).")
    return float(arr) if arr.ndim == 0 else arr


def _post_prob(pretest: Any, lr: Any) -> Any:
    pretest, lr = np.asarray(pretest, dtype=float), np.asarray(lr, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(pretest >= 1, 1.0, np.where(np.isinf(lr), 1.0, pretest * lr / (pretest * lr + 1 - pretest)))
    return float(out) if out.ndim == 0 else out
