"""Accuracy of a binary test when units (lesions, vertebrae, segments) are clustered in patients.

The arithmetic behind ``ds.accuracy(..., cluster=)``. Every proportion of the 2x2 table
(sensitivity, specificity, PPV, NPV, accuracy, prevalence) is a ratio of two sums over clusters,
p = sum(a_i) / sum(n_i). Its variance by the ratio estimator (Rao & Scott 1992; Genders et al. 2012,
Radiology 262:844-851, eq. for the "ratio estimator") is

    var(p) = 1 / (m (m - 1)) * sum_i (n_i / n_bar)^2 (p_i - p)^2,

over the m clusters with at least one unit in the denominator (n_bar = sum(n_i) / m), and the
interval is Wald's on the proportion scale, as in the tutorial. The intraclass correlation among
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


def ratio_bounds(cells: np.ndarray, name: str, z: float) -> tuple[float, float, float, tuple[str, ...]]:
    """Value, lower and upper bounds (Wald, proportion scale, ratio-estimator SE) and notes of one proportion."""
    num, den = PROPORTIONS[name]
    a, n = sums(cells, num), sums(cells, den)
    total = n.sum()
    if total == 0:
        return np.nan, np.nan, np.nan, ()
    p = a.sum() / total
    var = ratio_variance(a, n)
    if np.isnan(var):
        return p, np.nan, np.nan, ("no clustered interval: fewer than 2 clusters contribute",)
    half = z * np.sqrt(var)
    lower, upper = p - half, p + half
    notes = ()
    if lower < 0 or upper > 1:
        notes = ("Wald interval cut at [0, 1]",)
    return p, max(lower, 0.0), min(upper, 1.0), notes


def bootstrap_replicates(cells: np.ndarray, n_boot: int, seeds: np.random.SeedSequence,
                         progress: bool) -> Iterator[np.ndarray]:
    """Chunks of the resampled 2x2 totals (chunk, 4) of a cluster bootstrap (whole clusters drawn)."""
    g = cells.shape[0]
    for w in cluster_chunks(seeds, np.arange(g), n_boot, progress, row_cost=g + 4):
        yield w.astype(float) @ cells


def bootstrap_bounds(cells: np.ndarray, n_boot: int, seeds: np.random.SeedSequence, level: float,
                     progress: bool) -> dict[str, tuple[float, float, tuple[str, ...]]]:
    """Percentile cluster-bootstrap bounds and notes of every proportion and of Youden's J."""
    totals = np.vstack(list(bootstrap_replicates(cells, n_boot, seeds, progress)))
    reps = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for name, (num, den) in PROPORTIONS.items():
            reps[name] = sums(totals, num) / sums(totals, den)
    reps["youden"] = reps["sensitivity"] + reps["specificity"] - 1
    out = {}
    for name, values in reps.items():
        lower, upper = percentile_interval(values, level)
        out[name] = (lower, upper, undefined_replicates_note(values))
    return out
