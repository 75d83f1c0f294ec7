"""Confidence intervals for proportions, likelihood ratios and the diagnostic odds ratio.

All functions are vectorised: scalars in give floats out, arrays in give arrays out.

>>> import diagstats as ds
>>> lo, hi = ds.proportion_ci(81, 263)
>>> print(f"{lo:.4f} {hi:.4f}")
0.2553 0.3662
>>> lo, hi = ds.proportion_ci([0, 5], [20, 10], method="clopper_pearson")
>>> hi.round(4).tolist()
[0.1684, 0.8129]
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from scipy import optimize, special, stats
from scipy.optimize import elementwise

from .._core.quantiles import z_two_sided
from .._input import (as_counts, broadcast_named, check_flag, check_level, check_not_greater, check_number,
                      check_option, index_list)
from ..errors import DataError, DiagstatsWarning
from ..results import Interval

#: Proportion interval methods, with the label shown in results.
PROPORTION_METHODS = {
    "wilson": "Wilson",
    "wilson_cc": "Wilson with continuity correction",
    "clopper_pearson": "Clopper-Pearson exact",
    "jeffreys": "Jeffreys",
    "agresti_coull": "Agresti-Coull",
    "wald": "Wald",
    "mid_p": "Clopper-Pearson mid-p",
}
PROPORTION_ALIASES = {"exact": "clopper_pearson"}

DOR_METHODS = {"woolf": "Woolf log", "exact": "exact conditional (Fisher)"}


def _scalar_or_array(*arrays: np.ndarray, scalar: bool) -> Any:
    out = tuple(float(a) if scalar else a for a in arrays)
    return out if len(out) > 1 else out[0]


def _refuse_or_warn_undefined(function: str, reasons: list[tuple[np.ndarray, str]], given: str, fix: str,
                              scalar: bool, stacklevel: int = 3) -> None:
    """Tables where the quantity is undefined: refused for a single table, NaN and one warning for arrays.

    ``reasons`` pairs a mask of the undefined tables with why (naming the arguments, e.g. ``"n = 0: with
    no patients the proportion is undefined"``); ``given`` shows the single table, ``fix`` what to do.
    """
    found = [(mask, why) for mask, why in reasons if np.any(mask)]
    if not found:
        return
    if scalar:
        raise DataError(f"{'; and '.join(why for _, why in found)} ({given}); {fix}")
    where = "; ".join(f"{why} for the table(s) at index {index_list(mask)}" for mask, why in found)
    warnings.warn(f"{function}: {where}; their bounds are NaN ({fix})", DiagstatsWarning, stacklevel=stacklevel)


def proportion_ci(x: Any, n: Any, level: float = 0.95, method: str = "wilson") -> Interval:
    """Confidence interval for a binomial proportion ``x / n``.

    Parameters
    ----------
    x, n : int or array-like of int
        Successes and trials (e.g. true positives and diseased patients), each at most 2**53.
        Arrays of one length give one interval per element (a single number is shared).
    level : float, default 0.95
        Confidence level.
    method : {"wilson", "wilson_cc", "clopper_pearson", "jeffreys", "agresti_coull", "wald", "mid_p"}
        ``"exact"`` is an alias of ``"clopper_pearson"``.

    Returns
    -------
    Interval
        ``(lower, upper)``, floats for scalar input, arrays otherwise; bounds lie in [0, 1].
        With ``n = 0`` the proportion is undefined: a single ``n = 0`` is refused (``DataError``);
        in arrays, those entries are NaN and one :class:`~diagstats.errors.DiagstatsWarning` names
        their indices.

    Notes
    -----
    - Wilson (1927) score interval; with continuity correction in the closed form of
      Newcombe (1998), method 4. R's ``prop.test(correct=TRUE)`` caps the correction at
      ``|x - n/2|`` (the distance to its default null p = 0.5), so at exactly ``x = n/2`` R returns
      the uncorrected Wilson interval; diagstats applies Newcombe's correction everywhere.
    - Clopper & Pearson (1934) exact interval from beta quantiles, as R's ``binom.test``.
    - Jeffreys: equal-tailed Beta(x + 1/2, n - x + 1/2) posterior interval, with the lower bound
      set to 0 at x = 0 and the upper to 1 at x = n (Brown, Cai & DasGupta 2001).
    - Agresti & Coull (1998) "add z^2/2 successes and failures" interval.
    - Wald: the textbook normal interval; it collapses to a single point at x = 0 and x = n and
      undercovers badly in small samples (Brown, Cai & DasGupta 2001). Offered for comparison only.
    - Mid-p: the Clopper-Pearson interval with half the probability of the observed count
      (Lancaster 1961; Berry & Armitage 1995), found by vectorised root finding.

    At x = 0 every method except Wald has lower bound 0, and at x = n upper bound 1.

    Agrees with R's ``prop.test``, ``binom.test`` and the oracle's Jeffreys and Agresti-Coull
    formulas to 1e-10 (tests/reference/twobytwo_*).
    """
    method = check_option(method, "method", PROPORTION_METHODS, PROPORTION_ALIASES)
    level = check_level(level)
    xc, nc = broadcast_named(x=as_counts(x, "x"), n=as_counts(n, "n"))
    check_not_greater(xc, nc, "x", "n")
    scalar = xc.ndim == 0
    _refuse_or_warn_undefined("proportion_ci", [(nc == 0, "n=0: with no patients the proportion is undefined")],
                              f"x={xc}, n={nc}", "a proportion needs n >= 1 trials: leave out a table with n = 0",
                              scalar)
    lower, upper = _proportion_bounds(xc.astype(float), nc.astype(float), level, method)
    return Interval(*_scalar_or_array(lower, upper, scalar=scalar))


def _proportion_bounds(x: np.ndarray, n: np.ndarray, level: float, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Bounds for validated float arrays; n == 0 gives NaN."""
    empty = n == 0
    n_safe = np.where(empty, 1.0, n) if empty.any() else n
    p = x / n_safe
    z = z_two_sided(level)
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "wilson":
            centre = (x + z**2 / 2) / (n_safe + z**2)
            half = z * np.sqrt(n_safe) / (n_safe + z**2) * np.sqrt(p * (1 - p) + z**2 / (4 * n_safe))
            lower, upper = centre - half, centre + half
        elif method == "wilson_cc":
            denom = 2 * (n_safe + z**2)
            root_l = np.sqrt(np.maximum(z**2 - 2 - 1 / n_safe + 4 * p * (n_safe * (1 - p) + 1), 0))
            root_u = np.sqrt(np.maximum(z**2 + 2 - 1 / n_safe + 4 * p * (n_safe * (1 - p) - 1), 0))
            lower = (2 * n_safe * p + z**2 - 1 - z * root_l) / denom
            upper = (2 * n_safe * p + z**2 + 1 + z * root_u) / denom
        elif method == "clopper_pearson":
            lower = stats.beta.ppf(alpha / 2, x, n_safe - x + 1)
            upper = stats.beta.ppf(1 - alpha / 2, x + 1, n_safe - x)
        elif method == "jeffreys":
            lower = stats.beta.ppf(alpha / 2, x + 0.5, n_safe - x + 0.5)
            upper = stats.beta.ppf(1 - alpha / 2, x + 0.5, n_safe - x + 0.5)
        elif method == "agresti_coull":
            n_tilde = n_safe + z**2
            p_tilde = (x + z**2 / 2) / n_tilde
            half = z * np.sqrt(p_tilde * (1 - p_tilde) / n_tilde)
            lower, upper = p_tilde - half, p_tilde + half
        elif method == "wald":
            half = z * np.sqrt(p * (1 - p) / n_safe)
            lower, upper = p - half, p + half
        else:  # mid_p
            lower, upper = _mid_p_bounds(x, n_safe, alpha)
    lower = np.array(np.clip(lower, 0.0, 1.0), dtype=float)  # a writable array, also for 0-d input
    upper = np.array(np.clip(upper, 0.0, 1.0), dtype=float)
    if method != "wald":
        lower[x == 0] = 0.0
        upper[x == n_safe] = 1.0
    if empty.any():
        lower[empty], upper[empty] = np.nan, np.nan
    return lower, upper


def _mid_p_bounds(x: np.ndarray, n: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Mid-p limits: P(X > x) + P(X = x)/2 = alpha/2 at the lower limit, the mirror at the upper."""
    x, n = np.broadcast_arrays(x, n)
    lower = np.zeros(x.shape)
    upper = np.ones(x.shape)

    def upper_tail(p, x, n):  # increasing in p
        return stats.binom.sf(x, n, p) + 0.5 * stats.binom.pmf(x, n, p) - alpha / 2

    def lower_tail(p, x, n):  # decreasing in p
        return stats.binom.cdf(x - 1, n, p) + 0.5 * stats.binom.pmf(x, n, p) - alpha / 2

    has_lower = x > 0
    if np.any(has_lower):
        res = elementwise.find_root(upper_tail, (np.zeros(has_lower.sum()), np.ones(has_lower.sum())),
                                    args=(x[has_lower], n[has_lower]))
        lower[has_lower] = res.x
    has_upper = x < n
    if np.any(has_upper):
        res = elementwise.find_root(lower_tail, (np.zeros(has_upper.sum()), np.ones(has_upper.sum())),
                                    args=(x[has_upper], n[has_upper]))
        upper[has_upper] = res.x
    return lower, upper


def _log_interval(log_value: np.ndarray, se: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    z = z_two_sided(level)
    return np.exp(log_value), np.exp(log_value - z * se), np.exp(log_value + z * se)


def _cells(tp: Any, fp: Any, fn: Any, tn: Any) -> tuple[np.ndarray, ...]:
    return broadcast_named(**{k: as_counts(v, k).astype(float)
                              for k, v in (("tp", tp), ("fp", fp), ("fn", fn), ("tn", tn))})


def _refuse_undefined_ratio(function: str, ratio: str, cells: tuple[np.ndarray, ...], scalar: bool) -> None:
    """A likelihood ratio or DOR compares diseased with non-diseased patients: a table without either is undefined."""
    tp, fp, fn, tn = cells
    given = ", ".join(f"{k}={int(v) if scalar else v}" for k, v in zip(("tp", "fp", "fn", "tn"), cells))
    _refuse_or_warn_undefined(
        function, [(tp + fn == 0, f"tp + fn = 0: no diseased patients, so {ratio} is undefined"),
                   (fp + tn == 0, f"fp + tn = 0: no non-diseased patients, so {ratio} is undefined")], given,
        f"{ratio} compares diseased with non-diseased patients, so a table needs tp + fn >= 1 and fp + tn >= 1",
        scalar, stacklevel=4)


def _check_correction(correction: Any, needs_correction: np.ndarray, ratio: str, cells: str) -> float:
    """A continuity correction >= 0; 0 is refused where a table needs one (its interval would be undefined)."""
    correction = check_number(correction, "correction", low=0, what="added to every cell of a table with a zero")
    if correction == 0 and np.any(needs_correction):
        raise DataError(f"correction=0 leaves the {ratio} of a table with a zero in {cells} at 0 or infinity, "
                        "where its log interval is undefined; use correction=0.5 (the default) for such tables.")
    return correction


def _corrected(cells: tuple[np.ndarray, ...], needs: np.ndarray, correction: float) -> tuple[np.ndarray, ...]:
    return tuple(np.where(needs, c + correction, c) for c in cells)


def lr_values(tp, fp, fn, tn, level: float, positive: bool, correction: float = 0.5):
    """LR+ or LR- with the Simel log interval; returns (value, lower, upper, corrected_mask).

    The correction is added to all four cells of a table where the ratio would be 0, infinite
    or 0/0 (a zero in the cells that form it); tables with no diseased or no non-diseased
    patients give NaN.
    """
    cells = (tp, fp, fn, tn)
    n1, n0 = tp + fn, fp + tn
    numerator, denominator = (tp, fp) if positive else (fn, tn)
    needs = ((numerator == 0) | (denominator == 0)) & (n1 > 0) & (n0 > 0) & (correction > 0)
    tp_, fp_, fn_, tn_ = _corrected(cells, needs, correction)
    n1_, n0_ = tp_ + fn_, fp_ + tn_
    a, b = (tp_, fp_) if positive else (fn_, tn_)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_lr = np.log(a / n1_) - np.log(b / n0_)
        se = np.sqrt(1 / a - 1 / n1_ + 1 / b - 1 / n0_)
        value, lower, upper = _log_interval(log_lr, se, level)
    undefined = (n1 == 0) | (n0 == 0)
    value, lower, upper = (np.where(undefined, np.nan, v) for v in (value, lower, upper))
    return value, lower, upper, needs


def lr_ci(tp: Any, fp: Any, fn: Any, tn: Any, level: float = 0.95, *, positive: bool = True,
          correction: float = 0.5) -> Interval:
    """Interval for the positive (``positive=True``) or negative likelihood ratio, log method.

    LR+ = sens / (1 - spec), LR- = (1 - sens) / spec, with
    ``Var(log LR+) = 1/tp - 1/(tp+fn) + 1/fp - 1/(fp+tn)`` (Simel, Samsa & Matchar 1991).
    Where the ratio would be 0 or infinite, ``correction`` (default 0.5) is added to all four
    cells of that table; :func:`diagstats.accuracy` reports when this happens. ``correction=0``
    is refused for such a table (its log interval does not exist). Counts may be arrays of one
    length (one table each).
    Agrees with epiR ``epi.tests`` (lr.pos, lr.neg) to 1e-10 where epiR's value is finite.

    >>> lo, hi = lr_ci(10, 2, 3, 20)
    >>> print(f"{lo:.4f} {hi:.4f}")
    2.1836 32.7881
    """
    level = check_level(level)
    positive = check_flag(positive, "positive")
    cells = _cells(tp, fp, fn, tn)
    a, b = (cells[0], cells[1]) if positive else (cells[2], cells[3])
    both_classes = (cells[0] + cells[2] > 0) & (cells[1] + cells[3] > 0)
    scalar = cells[0].ndim == 0
    _refuse_undefined_ratio("lr_ci", "LR+" if positive else "LR-", cells, scalar)
    correction = _check_correction(correction, ((a == 0) | (b == 0)) & both_classes,
                                   "LR+" if positive else "LR-", "tp or fp" if positive else "fn or tn")
    _, lower, upper, _ = lr_values(*cells, level=level, positive=positive, correction=correction)
    return Interval(*_scalar_or_array(lower, upper, scalar=scalar))


def dor_values(tp, fp, fn, tn, level: float, method: str = "woolf", correction: float = 0.5):
    """DOR with its interval; returns (value, lower, upper, corrected_mask).

    The value is the sample odds ratio ``tp*tn / (fp*fn)``, with ``correction`` added to all four
    cells of a table that has a zero cell. The Woolf interval uses the same (corrected) cells; the
    exact conditional interval uses the observed counts, which needs no correction.
    """
    cells = (tp, fp, fn, tn)
    needs = ((tp == 0) | (fp == 0) | (fn == 0) | (tn == 0)) & (correction > 0)
    tp_, fp_, fn_, tn_ = _corrected(cells, needs, correction)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_dor = np.log(tp_) + np.log(tn_) - np.log(fp_) - np.log(fn_)
        se = np.sqrt(1 / tp_ + 1 / fp_ + 1 / fn_ + 1 / tn_)
        value, lower, upper = _log_interval(log_dor, se, level)
    if method == "exact":
        lower, upper = _exact_dor_bounds(cells, level)
    undefined = ((tp + fn) == 0) | ((fp + tn) == 0)
    value, lower, upper = (np.where(undefined, np.nan, v) for v in (value, lower, upper))
    return value, lower, upper, needs


def _exact_dor_bounds(cells: tuple[np.ndarray, ...], level: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact conditional interval (inverting Fisher's test) per table; NaN without diseased or non-diseased patients.

    Without test positives (or negatives) only one table has the observed margins, so no odds ratio is excluded:
    (0, infinity), as R's ``fisher.test`` and ``scipy.stats.contingency.odds_ratio``.
    """
    tp, fp, fn, tn = (np.atleast_1d(c).astype(np.int64) for c in cells)
    lower, upper = np.full(tp.shape, np.nan), np.full(tp.shape, np.nan)
    # each table has its own support; this loops over tables, not patients
    for i in range(tp.size):
        if min(tp[i] + fn[i], fp[i] + tn[i]) > 0:
            lower[i], upper[i] = _cornfield_bounds(int(tp[i]), int(fp[i]), int(fn[i]), int(tn[i]), 1 - level)
    shape = np.shape(cells[0])
    return lower.reshape(shape), upper.reshape(shape)


def _cornfield_bounds(tp: int, fp: int, fn: int, tn: int, alpha: float) -> tuple[float, float]:
    """Cornfield's (1956) exact conditional limits for one table.

    Given the margins, ``tp`` follows Fisher's noncentral hypergeometric distribution with the odds
    ratio ``psi`` as parameter; the lower limit solves ``P(X >= tp; psi) = alpha/2`` and the upper
    ``P(X <= tp; psi) = alpha/2`` (as R's ``fisher.test`` and ``scipy.stats.contingency.odds_ratio``).
    The distribution is log-concave, so at the limits its mass lies within a few standard deviations
    of ``tp``: only a window around ``tp`` is summed (widened until its cut edges carry less than 1e-40
    of the mass), which keeps the time and memory small for any size of table.
    """
    n1, n0, m = tp + fn, fp + tn, tp + fp
    lo, hi = max(0, m - n0), min(m, n1)
    # start from 20 standard deviations (the large-sample variance of tp at the observed odds ratio)
    width = int(20 / np.sqrt(sum(1 / (c + 0.5) for c in (tp, fp, fn, tn)))) + 50
    log_half_alpha = np.log(alpha / 2)
    while True:
        k = np.arange(max(lo, tp - width), min(hi, tp + width) + 1)
        base = stats.hypergeom.logpmf(k, n1 + n0, n1, m)  # the central distribution, up to a constant
        shift = k - tp

        def log_tail(t: float, upper_tail: bool, base: np.ndarray = base, shift: np.ndarray = shift) -> float:
            terms = base + shift * t
            keep = shift >= 0 if upper_tail else shift <= 0
            return float(special.logsumexp(terms[keep]) - special.logsumexp(terms))

        bounds = []  # log odds ratios; -inf / inf where tp is at an end of the support
        for upper_tail, at_edge in ((True, tp == lo), (False, tp == hi)):
            if at_edge:
                bounds.append(-np.inf if upper_tail else np.inf)
                continue
            f = lambda t, u=upper_tail: (log_tail(t, u) - log_half_alpha) * (1 if u else -1)  # noqa: E731
            a, b = -1.0, 1.0
            while f(a) > 0:
                a *= 2
            while f(b) < 0:
                b *= 2
            bounds.append(optimize.brentq(f, a, b, xtol=1e-13, rtol=4 * np.finfo(float).eps))
        solved = [t for t in bounds if np.isfinite(t)]
        if (k[0] == lo and k[-1] == hi) or not solved:
            break
        # at each limit, the window's cut edges must carry a negligible share of the mass
        cut = [j for j, inside in ((0, k[0] > lo), (-1, k[-1] < hi)) if inside]
        edge_share = max(float(np.max((base + shift * t)[cut]) - special.logsumexp(base + shift * t))
                         for t in solved)
        if edge_share < np.log(1e-40):
            break
        width *= 4
    return float(np.exp(bounds[0])), float(np.exp(bounds[1]))


def dor_ci(tp: Any, fp: Any, fn: Any, tn: Any, level: float = 0.95, *, method: str = "woolf",
           correction: float = 0.5) -> Interval:
    """Interval for the diagnostic odds ratio ``(tp*tn) / (fp*fn)``.

    ``method="woolf"``: log interval with ``Var(log DOR) = 1/tp + 1/fp + 1/fn + 1/tn`` (Woolf 1955),
    after adding ``correction`` to every cell of a table with a zero cell; agrees with epiR
    ``epi.tests`` (diag.or) to 1e-10 for tables without zero cells. ``method="exact"``: the exact
    conditional interval that inverts Fisher's exact test (Cornfield 1956), as R's ``fisher.test``
    and ``scipy.stats.contingency.odds_ratio``, but fast at any size (milliseconds for counts of
    10**9: only the part of the noncentral hypergeometric distribution that carries mass is
    summed); with a zero cell one bound is 0 or infinity. Counts may be arrays of one length.

    >>> lo, hi = dor_ci(10, 2, 3, 20)
    >>> print(f"{lo:.3f} {hi:.2f}")
    4.773 232.79
    """
    level = check_level(level)
    method = check_option(method, "method", DOR_METHODS)
    cells = _cells(tp, fp, fn, tn)
    both_classes = (cells[0] + cells[2] > 0) & (cells[1] + cells[3] > 0)
    scalar = cells[0].ndim == 0
    _refuse_undefined_ratio("dor_ci", "the DOR", cells, scalar)
    if method == "woolf":
        _check_correction(correction, np.any(np.stack(cells) == 0, axis=0) & both_classes, "DOR", "any cell")
    else:
        check_number(correction, "correction", low=0, what="added to every cell of a table with a zero")
    _, lower, upper, _ = dor_values(*cells, level=level, method=method, correction=correction)
    return Interval(*_scalar_or_array(lower, upper, scalar=scalar))


def mover_difference(p1, l1, u1, p2, l2, u2) -> tuple[np.ndarray, np.ndarray]:
    """Interval for ``p1 - p2`` of independent estimates from their own intervals (MOVER).

    The "square-and-add" method of Newcombe (1998, method 10, with Wilson limits) generalised
    by Zou & Donner (2008) to any single-parameter limits.
    """
    d = p1 - p2
    lower = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return lower, upper
