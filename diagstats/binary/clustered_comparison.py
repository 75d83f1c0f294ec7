"""Two binary tests read on the same units (lesions, glands, vertebrae) clustered in patients.

The arithmetic behind ``ds.compare_tests(..., cluster=)``. Among the diseased units (for
sensitivity) or the non-diseased units (for specificity), cluster k has b_k units where only the
first test is right and c_k where only the second is, of n_k units; D_k = b_k - c_k. The tests of
equal proportions replace McNemar's (B - C)^2 / (B + C), which treats the units as independent:

- Obuchowski (1998, Stat Med 17:1495-1507): the ratio-estimator variance of p1 - p2 over the K
  clusters, estimated under the null hypothesis (both proportions at their pooled value, which
  makes the centring cancel), X^2 = (K - 1) / K * (sum D_k)^2 / sum D_k^2;
- Durkalski, Palesch, Lipsitz & Rust (2003, Stat Med 22:2417-2428): each cluster's difference of
  proportions D_k / n_k weighted equally, X^2 = (sum D_k / n_k)^2 / sum (D_k / n_k)^2.

Both are referred to chi-square with 1 degree of freedom. The difference p1 - p2 = (B - C) / N
gets a Wald interval with the ratio-estimator variance (Obuchowski 1998, not under the null),
var = K / ((K - 1) N^2) sum_k (D_k - n_k (p1 - p2))^2, whichever test is chosen.

>>> import numpy as np
>>> from diagstats.binary.clustered_comparison import obuchowski_statistic
>>> round(obuchowski_statistic(np.array([2, 1, 0]), np.array([0, 0, 1])), 4)
0.4444
"""

from __future__ import annotations

import numpy as np

#: The clustered tests of equal paired proportions, by ``method=`` name.
CLUSTERED_TESTS = {"obuchowski": "Obuchowski (1998) clustered McNemar",
                   "durkalski": "Durkalski et al. (2003) clustered McNemar"}

#: The interval of the clustered difference, whatever the test.
DIFFERENCE_METHOD = "Wald, ratio-estimator variance (Obuchowski 1998)"


def discordant_cells(first_only: np.ndarray, second_only: np.ndarray, units: np.ndarray, codes: np.ndarray,
                     n_clusters: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-cluster counts (b_k, c_k, n_k) of the selected ``units`` (booleans, one per unit)."""
    def count(flags: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=(flags & units).astype(float), minlength=n_clusters)
    b, c, n = count(first_only), count(second_only), count(np.ones_like(units))
    keep = n > 0
    return b[keep], c[keep], n[keep]


def obuchowski_statistic(b: np.ndarray, c: np.ndarray) -> float:
    """(K - 1) / K (sum D)^2 / sum D^2 over K clusters with at least one unit (Obuchowski 1998)."""
    d = np.asarray(b, dtype=float) - np.asarray(c, dtype=float)
    k = d.size
    return float((k - 1) / k * d.sum() ** 2 / np.sum(d ** 2))


def durkalski_statistic(b: np.ndarray, c: np.ndarray, n: np.ndarray) -> float:
    """(sum D/n)^2 / sum (D/n)^2 over clusters with at least one unit (Durkalski et al. 2003)."""
    w = (np.asarray(b, dtype=float) - np.asarray(c, dtype=float)) / np.asarray(n, dtype=float)
    return float(w.sum() ** 2 / np.sum(w ** 2))


def difference_variance(b: np.ndarray, c: np.ndarray, n: np.ndarray) -> float:
    """Ratio-estimator variance of (B - C) / N over K >= 2 clusters; NaN with fewer."""
    d = np.asarray(b, dtype=float) - np.asarray(c, dtype=float)
    n = np.asarray(n, dtype=float)
    k, total = d.size, n.sum()
    if k < 2:
        return np.nan
    diff = d.sum() / total
    return float(k / ((k - 1) * total ** 2) * np.sum((d - n * diff) ** 2))
