"""Accuracy of a binary test when units (lesions, vertebrae, segments) are clustered in patients.

The arithmetic behind ``ds.accuracy(..., cluster=)``. Every proportion of the 2x2 table
(sensitivity, specificity, PPV, NPV, accuracy, prevalence) is a ratio of two sums over clusters,
p = sum(a_i) / sum(n_i). Its variance by the ratio estimator (Rao & Scott 1992; Genders et al. 2012,
Radiology 262:844-851, eq. for the "ratio estimator") is

    var(p) = 1 / (m (m - 1)) * sum_i (n_i / n_bar)^2 (p_i - p)^2,

over the m clusters with at least one unit in the denominator (n_bar = sum(n_i) / m). The interval built
on it is Korn & Graubard's (1998) by default, Wald's on the proportion scale (the tutorial's) on request:
see :mod:`diagstats.binary.clustered_intervals`. The intraclass correlation among
diseased (and among non-diseased) units is Fleiss's natural estimator (Fleiss, Levin & Paik 2003,
p. 443, as used by Genders et al.), and the design effect is 1 + (n_w - 1) ICC with the weighted mean
cluster size n_w = sum(n_i^2) / sum(n_i).

>>> import numpy as np
>>> from diagstats.binary.clustered import ratio_variance
>>> round(float(ratio_variance(np.array([2, 1, 0]), np.array([2, 2, 1]))), 6)
0.0624
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .._core.bootstrap import cluster_chunks, percentile_interval, undefined_replicates_note
from .clustered_intervals import ratio_interval

#: The proportions of the 2x2 table, as (numerator cells, denominator cells) of (tp, fp, fn, tn).
PROPORTIONS = {
    "sensitivity": ((0,), (0, 2)),
    "specificity": ((3,), (1, 3)),
    "ppv": ((0,), (0, 1)),
    "npv": ((3,), (2, 3)),
    "accuracy": ((0, 3), (0, 1, 2, 3)),
    "prevalence": ((0, 2), (0, 1, 2, 3)),
}


def cluster_cells(t: np.ndarray, r: np.ndarray, codes: np.ndarray, n_clusters: int) -> np.ndarray:
    """Per-cluster counts of (tp, fp, fn, tn), shape (n_clusters, 4)."""
    cell = np.where(t, np.where(r, 0, 1), np.where(r, 2, 3))
    return np.bincount(codes * 4 + cell, minlength=n_clusters * 4).reshape(n_clusters, 4)


def ratio_variance(a: np.ndarray, n: np.ndarray) -> float:
    """Ratio-estimator variance of sum(a) / sum(n) over clusters (Genders et al. 2012).

    Clusters with n_i = 0 do not count; fewer than two contributing clusters give NaN.
    """
    a, n = np.asarray(a, dtype=float), np.asarray(n, dtype=float)
    keep = n > 0
    a, n = a[keep], n[keep]
    m = a.size
    if m < 2:
        return np.nan
    p = a.sum() / n.sum()
    n_bar = n.sum() / m
    return float(np.sum((n / n_bar) ** 2 * (a / n - p) ** 2) / (m * (m - 1)))


def icc(a: np.ndarray, n: np.ndarray) -> float:
    """Fleiss's natural estimator of the intraclass correlation of a binary outcome a_i of n_i units.

    NaN when no cluster has two units or the outcome does not vary.
    """
    a, n = np.asarray(a, dtype=float), np.asarray(n, dtype=float)
    p = a.sum() / n.sum() if n.sum() else np.nan
    num = np.sum(a * (a - 1) - 2 * p * (n - 1) * a + n * (n - 1) * p * p)
    den = np.sum(n * (n - 1) * p * (1 - p))
    return float(num / den) if den > 0 else np.nan


def design_effect(a: np.ndarray, n: np.ndarray) -> float:
    """1 + (n_w - 1) ICC, with n_w = sum(n_i^2) / sum(n_i) the weighted mean cluster size."""
    n = np.asarray(n, dtype=float)
    if n.sum() == 0:
        return np.nan
    n_w = np.sum(n ** 2) / n.sum()
    if n_w == 1:  # every cluster has at most one unit: no clustering
        return 1.0
    return float(1 + (n_w - 1) * icc(a, n))


def sums(cells: np.ndarray, which: tuple[int, ...]) -> np.ndarray:
    """Sum the columns ``which`` of a (..., 4) array of cells."""
    return cells[..., list(which)].sum(axis=-1)


def ratio_bounds(cells: np.ndarray, name: str, level: float,
                 shape: str) -> tuple[float, float, float, tuple[str, ...]]:
    """Value, lower and upper bounds and notes of one proportion: the ratio-estimator variance, and the
    interval ``shape`` of :mod:`diagstats.binary.clustered_intervals` built on it."""
    num, den = PROPORTIONS[name]
    a, n = sums(cells, num), sums(cells, den)
    total = n.sum()
    if total == 0:
        return np.nan, np.nan, np.nan, ()
    p = a.sum() / total
    var = ratio_variance(a, n)
    if np.isnan(var):
        return p, np.nan, np.nan, ("no clustered interval: fewer than 2 clusters contribute",)
    m = int(np.sum(n > 0))
    lower, upper = (float(b[0]) for b in ratio_interval(np.array([p]), np.array([var]), np.array([total]),
                                                        np.array([m]), level, shape))
    notes: tuple[str, ...] = ()
    if shape in ("wald", "wald_t") and (lower == 0 or upper == 1) and 0 < p < 1:
        notes = ("Wald interval cut at [0, 1]",)
    elif var == 0 and shape not in ("wald", "wald_t"):
        notes = ("the patients' proportions do not vary (ratio-estimator variance 0): no design effect can be "
                 "estimated, so the interval takes the units as independent (effective size n)",)
    return p, lower, upper, notes


#: Measures of sensitivity and specificity together, for :func:`linearized_bounds`: the derivatives of
#: (the log of) each with respect to Se and to Sp, and whether its interval is built on the log scale.
COMBINED = {
    "youden": (lambda se, sp: (1.0, 1.0), False),
    "lr_positive": (lambda se, sp: (1 / se, 1 / (1 - sp)), True),
    "lr_negative": (lambda se, sp: (-1 / (1 - se), -1 / sp), True),
    "dor": (lambda se, sp: (1 / (se * (1 - se)), 1 / (sp * (1 - sp))), True),
}


def linearized_bounds(cells: np.ndarray, name: str, z: float) -> tuple[float, float, tuple[str, ...]]:
    """Bounds and notes of Youden's J, LR+, LR- or the DOR with a ratio-estimator (linearised) variance.

    Each is a function f(Se, Sp) (of its log for the ratios). Its first-order expansion is a sum over
    clusters of z_i = f_Se (a_i - n1_i Se) / N1 + f_Sp (d_i - n0_i Sp) / N0 (a_i true positives of the
    n1_i diseased units of cluster i, d_i true negatives of its n0_i non-diseased ones), so the
    Rao-Scott ratio-estimator variance of one proportion extends to var = m / (m - 1) sum z_i^2 over the
    m clusters with a unit (Woodruff's linearisation). With one unit per cluster it is m / (m - 1) times
    Simel's (LRs) or Woolf's (DOR) log variance. Wald interval on the log scale for the ratios, on the
    difference scale (cut at -1 and 1) for Youden's J.
    """
    a, n1 = sums(cells, (0,)), sums(cells, (0, 2))
    d, n0 = sums(cells, (3,)), sums(cells, (1, 3))
    big_n1, big_n0 = n1.sum(), n0.sum()
    if big_n1 == 0 or big_n0 == 0:
        return np.nan, np.nan, ()
    se, sp = a.sum() / big_n1, d.sum() / big_n0
    derivative, log_scale = COMBINED[name]
    finite = {"youden": True, "lr_positive": se > 0 and sp < 1, "lr_negative": se < 1 and sp > 0,
              "dor": 0 < se < 1 and 0 < sp < 1}[name]
    if not finite:
        return np.nan, np.nan, ("no clustered interval: a zero count makes the ratio 0 or infinite",)
    m = int(np.sum((n1 + n0) > 0))
    if m < 2:
        return np.nan, np.nan, ("no clustered interval: fewer than 2 clusters contribute",)
    f_se, f_sp = derivative(se, sp)
    zi = f_se * (a - n1 * se) / big_n1 + f_sp * (d - n0 * sp) / big_n0
    half = z * np.sqrt(m / (m - 1) * np.sum(zi ** 2))
    if log_scale:
        centre = _log_value(name, se, sp)
        return float(np.exp(centre - half)), float(np.exp(centre + half)), ()
    value = se + sp - 1
    notes = ("Wald interval cut at [-1, 1]",) if value - half < -1 or value + half > 1 else ()
    return max(value - half, -1.0), min(value + half, 1.0), notes


def _log_value(name: str, se: float, sp: float) -> float:
    """log LR+, log LR- or log DOR (only called where it is finite)."""
    if name == "lr_positive":
        return float(np.log(se) - np.log(1 - sp))
    if name == "lr_negative":
        return float(np.log(1 - se) - np.log(sp))
    return float(np.log(se) - np.log(1 - se) + np.log(sp) - np.log(1 - sp))


def bootstrap_replicates(cells: np.ndarray, n_boot: int, seeds: np.random.SeedSequence,
                         progress: bool) -> Iterator[np.ndarray]:
    """Chunks of the resampled 2x2 totals (chunk, 4) of a cluster bootstrap (whole clusters drawn)."""
    g = cells.shape[0]
    for w in cluster_chunks(seeds, np.arange(g), n_boot, progress, row_cost=g + 4):
        yield w.astype(float) @ cells


def bootstrap_bounds(cells: np.ndarray, n_boot: int, seeds: np.random.SeedSequence, level: float,
                     progress: bool) -> dict[str, tuple[float, float, tuple[str, ...]]]:
    """Percentile cluster-bootstrap bounds and notes of every proportion, Youden's J, the LRs and the DOR."""
    totals = np.vstack(list(bootstrap_replicates(cells, n_boot, seeds, progress)))
    reps = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for name, (num, den) in PROPORTIONS.items():
            reps[name] = sums(totals, num) / sums(totals, den)
        se, sp = reps["sensitivity"], reps["specificity"]
        reps["youden"] = se + sp - 1
        reps["lr_positive"] = se / (1 - sp)
        reps["lr_negative"] = (1 - se) / sp
        reps["dor"] = reps["lr_positive"] / reps["lr_negative"]
    out = {}
    for name, values in reps.items():
        infinite = int(np.isinf(values).sum())
        if infinite:  # a resampled zero count: the ratio's percentiles are not defined
            out[name] = (np.nan, np.nan, (f"no bootstrap interval: {infinite} of {values.size} replicates have a "
                                          "zero count that makes the ratio infinite",))
            continue
        lower, upper = percentile_interval(values, level)
        out[name] = (lower, upper, undefined_replicates_note(values))
    return out
