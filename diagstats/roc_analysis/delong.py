"""DeLong's nonparametric variance and covariance of AUCs, by the midrank algorithm of Sun & Xu.

DeLong, DeLong & Clarke-Pearson (1988) write the variance of the Mann-Whitney AUC through each
patient's *placement*: for a case, the share of controls with a lower score (ties count half);
for a control, the share of cases with a higher score. Sun & Xu (2014) showed that the
placements follow from midranks, so one sort gives them all in O(n log n) instead of the
O(m n) pairwise comparisons. Here the midranks are read off the per-value counts of
:mod:`diagstats.roc_analysis._counts` (the placement of a value is the midrank of that value in the pooled
sample minus its midrank within its own class, divided by the other class's size).

References
----------
DeLong ER, DeLong DM, Clarke-Pearson DL (1988). Comparing the areas under two or more correlated
receiver operating characteristic curves: a nonparametric approach. Biometrics 44:837-845.
Sun X, Xu W (2014). Fast implementation of DeLong's algorithm for comparing the areas under
correlated receiver operating characteristic curves. IEEE Signal Processing Letters 21:1389-1393.

>>> import numpy as np
>>> from diagstats.roc_analysis._counts import count_by_value
>>> from diagstats.roc_analysis.delong import delong_variance
>>> c = count_by_value(np.array([1., 2, 3, 4, 2, 5]), np.array([0, 0, 0, 1, 1, 1], dtype=bool))
>>> round(delong_variance(c), 6)
0.037037
"""

from __future__ import annotations

import numpy as np

from ._counts import RocCounts

__all__ = ["delong_variance", "patient_placements"]


def delong_variance(counts: RocCounts) -> float:
    """Variance of the AUC: S10 / m + S01 / n (NaN with fewer than 2 cases or 2 controls)."""
    m, n = counts.m, counts.n
    if m < 2 or n < 2:
        return float("nan")
    auc = counts.auc()
    s10 = np.dot(counts.cases, (counts.case_placements() - auc) ** 2) / (m - 1)
    s01 = np.dot(counts.controls, (counts.control_placements() - auc) ** 2) / (n - 1)
    return float(s10 / m + s01 / n)


def patient_placements(counts: RocCounts, case_scores: np.ndarray, control_scores: np.ndarray):
    """Placements of every case and every control, in the patients' order (for covariances)."""
    return (counts.case_placements()[counts.ids(case_scores)],
            counts.control_placements()[counts.ids(control_scores)])
