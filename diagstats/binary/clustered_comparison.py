"""Two binary tests read on the same units (lesions, glands, vertebrae) clustered in patients.

The arithmetic behind ``ds.compare_tests(..., cluster=)``. Among the diseased units (for
sensitivity) or the non-diseased units (for specificity), cluster k has b_k units where only the
first test is right and c_k where only the second is, of n_k units; D_k = b_k - c_k. The tests of
equal proportions replace McNemar's (B - C)^2 / (B + C), which treats the units as independent:

- Obuchowski (1998, Stat Med 17:1495-1507): the ratio-estimator variance of p1 - p2 over the K
  clusters, estimated under the null hypothesis (both proportions at their pooled value, which
  makes the centring cancel), X^2 = (K - 1) / K * (sum D_k)^2 / sum D_k^2;
- Durkalski, Palesch, Lipsitz & Rust (2003, Stat Med 22:2417-2428): each cluster's difference of
  proportions D_k / n_k weighted equally, X^2 = (sum D_k / n_k)^2 / sum (D_k / n_k)^2;
- Eliasziw & Donner (1991, Stat Med 10:1981-1991, section 4): McNemar's statistic divided by the
  inflation factor C = 1 + rho sum S_k (S_k - 1) / sum S_k of the S_k = b_k + c_k discordant units of
  each cluster, rho the intracluster correlation of the discordant responses. rho comes from rho*,
  the one-way ANOVA intraclass correlation of the four-category response (both right, first only,
  second only, both wrong; a_k, b_k, c_k, d_k units with pooled proportions P_j):
  BMS = (1/K) sum_k sum_j (x_kj - n_k P_j)^2 / n_k, WMS = sum_k sum_j x_kj (n_k - x_kj) / n_k / (N - K),
  rho* = (BMS - WMS) / (BMS + (n_0 - 1) WMS) with n_0 = n_bar - sum (n_k - n_bar)^2 / (K (K - 1) n_bar),
  and rho = rho* / (rho* + (P_10 + P_01)(1 - rho*)). A negative rho* is set to 0 (no inflation), with a
  note;
- Yang, Sun & Hardin (2010, Biom J 52:638-652), the modified Obuchowski test: the variance of
  p1 - p2 is the mean of Obuchowski's variance under the null hypothesis and the ratio-estimator
  variance centred at the observed difference,
  X^2 = (K - 1) / K (sum D_k)^2 / ((sum D_k^2 + sum (D_k - n_k (B - C) / N)^2) / 2).
  The paper was not available here: this combination of the two variances was identified from the
  MIT-licensed R package clust.bin.pair, and it reproduces the published 3.13 on Obuchowski's example.

All are referred to chi-square with 1 degree of freedom. Whichever test is chosen, the difference
p1 - p2 = (B - C) / N gets

- ``"mover"`` (the default): the MOVER interval of a difference of correlated proportions (Zou & Donner 2008, Stat Med
  27:1693-1702; Newcombe 1998's method 10 for one unit per patient), built from each proportion's
  Korn-Graubard limits (l_j, u_j; :mod:`diagstats.binary.clustered_intervals`) and the correlation r of
  the two ratio estimators: p1 - p2 - sqrt((p1 - l1)^2 - 2 r (p1 - l1)(u2 - p2) + (u2 - p2)^2) to
  p1 - p2 + sqrt((u1 - p1)^2 - 2 r (u1 - p1)(p2 - l2) + (p2 - l2)^2). It inherits the Korn-Graubard
  limits' asymmetry near 0 and 1 and covers 95% from 50 patients on, where the Wald interval is liberal
  (:mod:`diagstats.studies.cluster_validation`);
- ``"wald"``: a Wald interval with the ratio-estimator variance (Obuchowski 1998, not under the null),
  var = K / ((K - 1) N^2) sum_k (D_k - n_k (p1 - p2))^2.

>>> import numpy as np
>>> from diagstats.binary.clustered_comparison import obuchowski_statistic
>>> round(obuchowski_statistic(np.array([2, 1, 0]), np.array([0, 0, 1])), 4)
0.4444
"""

from __future__ import annotations

import numpy as np

from .clustered_intervals import ratio_interval

#: The clustered tests of equal paired proportions, by ``method=`` name.
CLUSTERED_TESTS = {"obuchowski": "Obuchowski (1998) clustered McNemar",
                   "durkalski": "Durkalski et al. (2003) clustered McNemar",
                   "eliasziw": "Eliasziw & Donner (1991) ICC-adjusted McNemar",
                   "yang": "Yang et al. (2010) modified Obuchowski"}

#: The intervals of the clustered difference (``ci_method=`` with ``cluster=``), whatever the test.
DIFFERENCE_INTERVALS = {"mover": "MOVER from Korn-Graubard limits (Zou & Donner 2008)",
                        "wald": "Wald, ratio-estimator variance (Obuchowski 1998)"}


def paired_cells(both: np.ndarray, first_only: np.ndarray, second_only: np.ndarray, units: np.ndarray,
                 codes: np.ndarray, n_clusters: int) -> np.ndarray:
    """Per-cluster counts (a_k, b_k, c_k, d_k) of the selected ``units``, shape (clusters with a unit, 4).

    a: both tests right, b: the first only, c: the second only, d: neither.
    """
    cell = np.where(both, 0, np.where(first_only, 1, np.where(second_only, 2, 3)))[units]
    counts = np.bincount(codes[units] * 4 + cell, minlength=n_clusters * 4).reshape(n_clusters, 4)
    return counts[counts.sum(axis=1) > 0].astype(float)


def eliasziw_statistic(cells: np.ndarray) -> tuple[float, float, str]:
    """Eliasziw & Donner (1991) statistic, the correlation rho of the discordant responses, and a note.

    ``cells`` are the (a_k, b_k, c_k, d_k) of :func:`paired_cells`, with at least one discordant unit.
    rho is NaN (and so the statistic) when the ANOVA ICC is undefined (no variation within or between
    clusters); a negative ANOVA ICC is set to 0, and the note says so.
    """
    n = cells.sum(axis=1)
    k, total = n.size, n.sum()
    s = cells[:, 1] + cells[:, 2]
    mcnemar = (cells[:, 1].sum() - cells[:, 2].sum()) ** 2 / s.sum()
    pairs = float(np.sum(s * (s - 1)))
    if pairs == 0:  # no cluster has two discordant units: nothing to inflate
        return float(mcnemar), 0.0, ""
    pooled = cells.sum(axis=0) / total
    n_bar = total / k
    n_0 = n_bar - np.sum((n - n_bar) ** 2) / (k * (k - 1) * n_bar)
    between = np.sum((cells - n[:, None] * pooled) ** 2 / n[:, None]) / k
    within = np.sum(cells * (n[:, None] - cells) / n[:, None]) / (total - k)  # total > k: some cluster has 2
    denominator = between + (n_0 - 1) * within
    if denominator <= 0:
        return np.nan, np.nan, ("undefined: the intracluster correlation of Eliasziw & Donner cannot be "
                                "estimated (no variation within or between clusters)")
    rho_star = (between - within) / denominator
    if rho_star <= 0:
        note = (f"the ANOVA intracluster correlation is {rho_star:.3f}, set to 0: Eliasziw & Donner's statistic is "
                "McNemar's" if rho_star < 0 else "")
        return float(mcnemar), 0.0, note
    rho = rho_star / (rho_star + (pooled[1] + pooled[2]) * (1 - rho_star))
    return float(mcnemar / (1 + rho * pairs / s.sum())), float(rho), ""


def obuchowski_statistic(b: np.ndarray, c: np.ndarray) -> float:
    """(K - 1) / K (sum D)^2 / sum D^2 over K clusters with at least one unit (Obuchowski 1998)."""
    d = np.asarray(b, dtype=float) - np.asarray(c, dtype=float)
    k = d.size
    return float((k - 1) / k * d.sum() ** 2 / np.sum(d ** 2))


def durkalski_statistic(b: np.ndarray, c: np.ndarray, n: np.ndarray) -> float:
    """(sum D/n)^2 / sum (D/n)^2 over clusters with at least one unit (Durkalski et al. 2003)."""
    w = (np.asarray(b, dtype=float) - np.asarray(c, dtype=float)) / np.asarray(n, dtype=float)
    return float(w.sum() ** 2 / np.sum(w ** 2))


def yang_statistic(b: np.ndarray, c: np.ndarray, n: np.ndarray) -> float:
    """(B - C)^2 / N^2 over the mean of Obuchowski's null variance and :func:`difference_variance` (Yang 2010)."""
    d = np.asarray(b, dtype=float) - np.asarray(c, dtype=float)
    k, total = d.size, float(np.sum(n))
    null_variance = k / ((k - 1) * total ** 2) * np.sum(d ** 2)
    return float((d.sum() / total) ** 2 / ((null_variance + difference_variance(b, c, n)) / 2))


def difference_variance(b: np.ndarray, c: np.ndarray, n: np.ndarray) -> float:
    """Ratio-estimator variance of (B - C) / N over K >= 2 clusters; NaN with fewer."""
    d = np.asarray(b, dtype=float) - np.asarray(c, dtype=float)
    n = np.asarray(n, dtype=float)
    k, total = d.size, n.sum()
    if k < 2:
        return np.nan
    diff = d.sum() / total
    return float(k / ((k - 1) * total ** 2) * np.sum((d - n * diff) ** 2))


def mover_difference(cells: np.ndarray, level: float) -> tuple[float, float]:
    """MOVER limits of p1 - p2 from per-cluster ``cells`` (a_k, b_k, c_k, d_k) of :func:`paired_cells`, K >= 2."""
    n = cells.sum(axis=1)
    k, total = n.size, n.sum()
    right = np.column_stack([cells[:, 0] + cells[:, 1], cells[:, 0] + cells[:, 2]])  # units each test gets right
    p = right.sum(axis=0) / total
    residual = right - n[:, None] * p
    cov = k / ((k - 1) * total ** 2) * residual.T @ residual
    lower, upper = mover_limits(p[0], p[1], cov[0, 0], cov[1, 1], cov[0, 1], total, k, level)
    return float(lower), float(upper)


def mover_limits(p1, p2, var1, var2, cov, total, k, level: float) -> tuple[np.ndarray, np.ndarray]:
    """MOVER limits of p1 - p2 (arrays: one per comparison) from the ratio estimators' variances and covariance,
    ``total`` units in ``k`` clusters."""
    p1, p2, var1, var2, cov, total, k = np.broadcast_arrays(*(np.asarray(v, dtype=float)
                                                             for v in (p1, p2, var1, var2, cov, total, k)))
    low, high = ratio_interval(np.stack([p1, p2]), np.stack([var1, var2]), np.stack([total, total]),
                               np.stack([k, k]), level, "korn_graubard")
    scale = np.sqrt(var1 * var2)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(scale > 0, cov / scale, 0.0)
    below, above = np.stack([p1, p2]) - low, high - np.stack([p1, p2])
    diff = p1 - p2
    lower = diff - np.sqrt(np.maximum(below[0] ** 2 - 2 * r * below[0] * above[1] + above[1] ** 2, 0.0))
    upper = diff + np.sqrt(np.maximum(above[0] ** 2 - 2 * r * above[0] * below[1] + below[1] ** 2, 0.0))
    return lower, upper
