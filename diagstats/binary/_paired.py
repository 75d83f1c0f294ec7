"""Statistics for two binary tests read on the same patients (the paired 2x2x2 table).

The eight cells are counted once; every statistic below is a closed form in those counts
(or a one-dimensional root search for Tango's interval), so nothing loops over patients.
Cell order everywhere: index ``4*d + 2*t1 + t2`` for reference ``d`` and test results
``t1`` (first test) and ``t2`` (second test), each 0/1.

>>> from diagstats.binary._paired import mcnemar
>>> statistic, p_value = mcnemar(15, 5, exact=False)
>>> statistic, round(p_value, 4)
(5.0, 0.0253)
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

from .._core.quantiles import z_two_sided
from .intervals import _proportion_bounds

#: reference, first test, second test of the eight cells (index 4*d + 2*t1 + t2)
CELL_D, CELL_T1, CELL_T2 = (np.array([(i >> k) & 1 for i in range(8)], dtype=float) for k in (2, 1, 0))


def cell_counts(d: np.ndarray, t1: np.ndarray, t2: np.ndarray) -> np.ndarray:
    """The eight cell counts of booleans ``d``, ``t1``, ``t2`` (one bincount)."""
    index = 4 * d.astype(np.int64) + 2 * t1.astype(np.int64) + t2.astype(np.int64)
    return np.bincount(index, minlength=8).astype(np.int64)


def mcnemar(b: int, c: int, *, exact: bool, continuity: bool = False) -> tuple[float, float]:
    """McNemar's test on the discordant counts ``b`` (first +, second -) and ``c``.

    Asymptotic: ``(b - c)^2 / (b + c)`` (``(|b - c| - 1)^2 / (b + c)`` with ``continuity``) on
    1 df. Exact: the two-sided binomial test of ``b`` out of ``b + c`` at 1/2, whose statistic
    is ``b``. No discordant pairs gives statistic 0 and p = 1 (the tests agree on everyone).
    """
    m = b + c
    if exact:
        if m == 0:
            return 0.0, 1.0
        return float(b), float(stats.binomtest(int(b), int(m), 0.5).pvalue)
    if m == 0:
        return 0.0, 1.0
    diff = abs(b - c) - 1.0 if continuity else float(b - c)
    statistic = max(diff, 0.0) ** 2 / m if continuity else diff**2 / m
    return float(statistic), float(stats.chi2.sf(statistic, 1))


def _tango_z(delta: float, b: int, c: int, n: int) -> float:
    """Tango's (1998) score statistic for H0: p(first+) - p(second+) = delta.

    The restricted MLE of the (first -, second +) cell probability q solves
    ``2n q^2 + [-(b + c) + (2n - b + c) delta] q - c delta (1 - delta) = 0``.
    """
    numerator = b - c - n * delta
    if numerator == 0:
        return 0.0
    w = -(b + c) + (2 * n - b + c) * delta
    q = (-w + math.sqrt(max(w * w + 8 * n * c * delta * (1 - delta), 0.0))) / (4 * n)
    variance = n * (2 * q + delta * (1 - delta))
    if variance <= 0:
        return math.copysign(math.inf, numerator)
    return numerator / math.sqrt(variance)


def tango_interval(a: int, b: int, c: int, d: int, level: float) -> tuple[float, float]:
    """Tango's (1998) score interval for a paired difference ``(b - c) / n``.

    The interval collects every difference not rejected by the score test, so it excludes 0
    exactly when the uncorrected McNemar test rejects at ``1 - level``.
    """
    n = a + b + c + d
    z = z_two_sided(level)
    estimate = (b - c) / n
    edge = 1 - 1e-12

    def bound(end: float, target: float) -> float:
        f = lambda delta: _tango_z(delta, b, c, n) - target  # noqa: E731
        if f(end) * f(estimate) > 0:  # the score never reaches the critical value: the bound is the end
            return math.copysign(1.0, end)
        return float(optimize.brentq(f, min(end, estimate), max(end, estimate), xtol=1e-14, rtol=1e-14))

    return bound(-edge, z), bound(edge, -z)


def wald_interval(a: int, b: int, c: int, d: int, level: float, *, adjusted: bool = False) -> tuple[float, float]:
    """Wald interval for a paired difference ``(b - c) / n`` (first minus second).

    Unadjusted (Altman 1991): SE = sqrt((b + c) - (b - c)^2 / n) / n, the multinomial standard
    error. ``adjusted``: the standard error of the table with 1/2 added to every cell
    (Agresti & Min 2005, Stat Med 24:729-740), sqrt((b + c + 1) - (b - c)^2 / (n + 2)) / (n + 2),
    around the observed difference (as DTComPair ``sesp.diff.ci(ci.method = "agresti-min")``
    documents; the adjusted table's own difference, (b - c) / (n + 2), would shrink it towards 0).
    Not clipped here; the caller clips to [-1, 1] with a note.
    """
    n = a + b + c + d
    shift = 1.0 if adjusted else 0.0
    m = n + 2 * shift
    se = math.sqrt(max((b + c + shift) - (b - c) ** 2 / m, 0.0)) / m
    delta, z = (b - c) / n, z_two_sided(level)
    return delta - z * se, delta + z * se


def log_relative_proportion_se(a: int, b: int, c: int) -> float:
    """SE of log(p1 / p2) for paired proportions p1 = (a + b) / n, p2 = (a + c) / n (``a`` both
    positive, ``b`` first only, ``c`` second only): sqrt((b + c) / ((a + b)(a + c))), the delta
    method of Alonzo, Pepe & Moskowitz (2002, Stat Med 21:835-852) for relative sensitivity and
    specificity in a paired design."""
    return math.sqrt((b + c) / ((a + b) * (a + c)))


def newcombe_paired_interval(a: int, b: int, c: int, d: int, level: float) -> tuple[float, float]:
    """Newcombe's (1998) hybrid score ("square-and-add") interval for a paired difference.

    Method 10 of Newcombe (1998): Wilson limits ``l_i, u_i`` for each proportion combined with
    the correlation ``phi`` of the paired table, corrected towards 0 by ``n/2`` when
    ``ad > bc`` (0 when a margin is empty)::

        lower = D - sqrt((p1 - l1)^2 - 2 phi (p1 - l1)(u2 - p2) + (u2 - p2)^2)
        upper = D + sqrt((u1 - p1)^2 - 2 phi (u1 - p1)(p2 - l2) + (p2 - l2)^2)
    """
    n = a + b + c + d
    x = np.array([a + b, a + c], dtype=float)
    lower, upper = _proportion_bounds(x, np.full(2, float(n)), level, "wilson")
    p1, p2 = x / n
    (l1, l2), (u1, u2) = lower, upper
    margins = float(a + b) * (c + d) * (a + c) * (b + d)
    cross = float(a * d - b * c)
    corrected = cross - n / 2 if cross > n / 2 else (cross if cross < 0 else 0.0)
    phi = corrected / math.sqrt(margins) if margins > 0 else 0.0
    delta = p1 - p2
    lo = delta - math.sqrt(max((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2, 0.0))
    hi = delta + math.sqrt(max((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2, 0.0))
    return max(lo, -1.0), min(hi, 1.0)


def predictive_value_test(counts: np.ndarray, *, negative: bool, weighted: bool) -> tuple[float, float, float]:
    """Score test of equal PPVs (or NPVs with ``negative=True``) of two paired tests.

    Returns ``(difference first - second, statistic, p-value)``; the statistic is chi-square on
    1 df. With ``p`` the pooled predictive value over both tests' positive results, ``n_j``
    the number of positives of test ``j`` and ``C`` the sum of ``(D - p)^2`` over patients
    positive on both tests:

    - generalised score (Leisenring, Alonzo & Pepe 2000), in Kosinski's (2013) closed form:
      ``(PPV1 - PPV2)^2 / sum_i (D_i - p)^2 (T1_i/n_1 - T2_i/n_2)^2``;
    - weighted generalised score (Kosinski 2013):
      ``(PPV1 - PPV2)^2 / [p(1 - p)(1/n_1 + 1/n_2) - 2C/(n_1 n_2)]``, which reduces to the
      Pearson score statistic when no patient is positive on both tests.

    A difference of exactly 0 gives statistic 0 and p = 1.
    """
    w = counts.astype(float)
    d, t1, t2 = (1 - v for v in (CELL_D, CELL_T1, CELL_T2)) if negative else (CELL_D, CELL_T1, CELL_T2)
    n1, n2 = (w * t1).sum(), (w * t2).sum()
    pv1, pv2 = (w * t1 * d).sum() / n1, (w * t2 * d).sum() / n2
    pooled = (w * (t1 + t2) * d).sum() / (n1 + n2)
    difference = pv1 - pv2
    if difference == 0:
        return 0.0, 0.0, 1.0
    residual2 = (d - pooled) ** 2
    if weighted:
        both = (w * t1 * t2 * residual2).sum()
        variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2) - 2 * both / (n1 * n2)
    else:
        variance = (w * residual2 * (t1 / n1 - t2 / n2) ** 2).sum()
    statistic = difference**2 / variance
    return float(difference), float(statistic), float(stats.chi2.sf(statistic, 1))


def _ratio_gradients(counts: np.ndarray, pairs: list[tuple[np.ndarray, np.ndarray, float]]) -> np.ndarray:
    """Gradient over the cell proportions of ``sum sign * log(num . p / den . p)``."""
    p = counts / counts.sum()
    return sum(sign * (num / (num @ p) - den / (den @ p)) for num, den, sign in pairs)


def delta_covariance(counts: np.ndarray, gradients: np.ndarray) -> np.ndarray:
    """Multinomial delta-method covariance of functions with the given gradients (rows)."""
    n = counts.sum()
    p = counts / n
    g = np.atleast_2d(gradients)
    centred = g - (g @ p)[:, None]
    return (centred * p) @ centred.T / n


def _pv_parts(negative: bool, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cells counted in the numerator, cells in the denominator) of a test's PPV or NPV."""
    if negative:
        return (1 - test) * (1 - CELL_D), 1 - test
    return test * CELL_D, test


def log_relative_predictive_values(counts: np.ndarray, negatives: list[bool]) -> tuple[np.ndarray, np.ndarray]:
    """log(PV1/PV2) for PPV (``False``) and/or NPV (``True``) and their covariance (Moskowitz & Pepe 2006)."""
    p = counts / counts.sum()
    values, grads = [], []
    for negative in negatives:
        (a1, b1), (a2, b2) = _pv_parts(negative, CELL_T1), _pv_parts(negative, CELL_T2)
        values.append(math.log((a1 @ p) / (b1 @ p)) - math.log((a2 @ p) / (b2 @ p)))
        grads.append(_ratio_gradients(counts, [(a1, b1, 1.0), (a2, b2, -1.0)]))
    if not values:
        return np.zeros(0), np.zeros((0, 0))
    return np.array(values), delta_covariance(counts, np.array(grads))


def predictive_value_difference_se(counts: np.ndarray, negative: bool) -> float:
    """Standard error of PV1 - PV2 from the multinomial (Kosinski's 2013 empirical Wald form)."""
    p = counts / counts.sum()
    grad = np.zeros(8)
    for sign, test in ((1.0, CELL_T1), (-1.0, CELL_T2)):
        num, den = _pv_parts(negative, test)
        value = (num @ p) / (den @ p)
        grad += sign * (num - value * den) / (den @ p)
    return float(math.sqrt(delta_covariance(counts, grad)[0, 0]))


def log_relative_likelihood_ratios(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log(LR1/LR2) for LR+ and LR- and their 2x2 covariance (delta method over the 8 cells).

    The relative LR+ is ``[Se1 / (1 - Sp1)] / [Se2 / (1 - Sp2)]``; its log-scale variance is the
    one of Nofuentes & Luna del Castillo (2007).
    """
    p = counts / counts.sum()
    values, grads = [], []
    for positive in (True, False):
        parts = []
        for sign, test in ((1.0, CELL_T1), (-1.0, CELL_T2)):
            hit = test if positive else 1 - test
            # LR = P(hit | D) / P(hit | not D) = (hit*D . p)/(D . p) / ((hit*(1-D) . p)/((1-D) . p))
            parts += [(hit * CELL_D, CELL_D, sign), (hit * (1 - CELL_D), 1 - CELL_D, -sign)]
        values.append(sum(sign * math.log((num @ p) / (den @ p)) for num, den, sign in parts))
        grads.append(_ratio_gradients(counts, parts))
    return np.array(values), delta_covariance(counts, np.array(grads))
