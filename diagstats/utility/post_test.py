"""Post-test probability and odds: Bayes' theorem with a likelihood ratio."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._input import _is_numeric, _show, broadcast_named, check_probability
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
        values = [_post_prob(pretest, v) for v in (lr.value, lr.lower, lr.upper)]
        return Estimate(*(float(v) for v in values), level=lr.level, method=f"from {lr.method} interval of "
                        f"{lr.name or 'the likelihood ratio'}", name="post-test probability", notes=lr.notes)
    lr = _check_lr(lr)
    broadcast_named(pretest=np.asarray(pretest), lr=np.asarray(lr))
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
        return Estimate(*(float(odds * v) for v in (lr.value, lr.lower, lr.upper)), level=lr.level,
                        method=f"from {lr.method} interval of {lr.name or 'the likelihood ratio'}",
                        name="post-test odds", notes=lr.notes)
    lr = _check_lr(lr)
    broadcast_named(pretest_odds=np.asarray(odds), lr=np.asarray(lr))
    out = odds * lr
    return float(out) if np.ndim(out) == 0 else out


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
