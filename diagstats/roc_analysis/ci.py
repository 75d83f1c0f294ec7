"""Confidence intervals and variances of the AUC: DeLong, Hanley-McNeil and stratified bootstrap.

* ``"delong"``: AUC +/- z * sqrt(DeLong variance) (DeLong et al. 1988; midrank algorithm of Sun &
  Xu 2014), as pROC's ``ci.auc(method="delong")``.
* ``"hanley_mcneil"``: the variance of Hanley & McNeil (1982), which assumes exponential score
  distributions: (A(1-A) + (m-1)(Q1-A^2) + (n-1)(Q2-A^2)) / (m n), Q1 = A/(2-A), Q2 = 2A^2/(1+A).
* ``"bootstrap"``: stratified (or, ``stratified=False``, unstratified) bootstrap, percentile or BCa (see
  :mod:`diagstats.roc_analysis.bootstrap`).

Normal-theory bounds are truncated to [0, 1] and the estimate then carries a note.

References
----------
Hanley JA, McNeil BJ (1982). The meaning and use of the area under a receiver operating
characteristic (ROC) curve. Radiology 143:29-36.

>>> import numpy as np
>>> from diagstats.roc_analysis._counts import count_by_value
>>> from diagstats.roc_analysis.ci import hanley_mcneil_variance
>>> c = count_by_value(np.array([1., 2, 3, 4, 2, 5]), np.array([0, 0, 0, 1, 1, 1], dtype=bool))
>>> round(hanley_mcneil_variance(c), 6)
0.03387
"""

from __future__ import annotations

import numpy as np

from .._core.auc import auc_from_counts
from .._core.bootstrap import bca_interval, percentile_interval, undefined_replicates_note
from .._core.quantiles import z_two_sided
from ..results import Estimate
from ._counts import RocCounts
from .bootstrap import ScoreIds, bootstrap, bootstrap_counts, jackknife_auc

CI_METHODS = ("delong", "bootstrap", "hanley_mcneil")
BOOT_TYPES = ("percentile", "bca")
METHOD_LABELS = {"delong": "DeLong", "hanley_mcneil": "Hanley-McNeil"}


def hanley_mcneil_variance(counts: RocCounts) -> float:
    a, m, n = counts.auc(), counts.m, counts.n
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    return float((a * (1 - a) + (m - 1) * (q1 - a * a) + (n - 1) * (q2 - a * a)) / (m * n))


def normal_interval(value: float, variance: float, level: float, method: str, name: str = "AUC",
                    bounds: tuple[float, float] = (0.0, 1.0)) -> Estimate:
    """value +/- z se, truncated to ``bounds`` (noted when truncation happens)."""
    if not np.isfinite(variance):
        return Estimate(value, np.nan, np.nan, level, method, name,
                        ("no interval: fewer than 2 diseased or 2 non-diseased patients",))
    half = z_two_sided(level) * np.sqrt(variance)
    lo, hi = value - half, value + half
    notes = ()
    if lo < bounds[0] or hi > bounds[1]:
        notes = (f"interval truncated to [{bounds[0]:g}, {bounds[1]:g}]",)
    return Estimate(value, float(max(lo, bounds[0])), float(min(hi, bounds[1])), level, method, name, notes)


def bootstrap_auc_replicates(counts: RocCounts, case_scores: np.ndarray, control_scores: np.ndarray, *,
                             n_boot: int, seed, progress: bool, stratified: bool = True) -> np.ndarray:
    """AUCs of ``n_boot`` stratified (or unstratified: NaN where a replicate has one class only) bootstrap
    replicates (vectorised; see :mod:`.bootstrap`)."""
    ids = ScoreIds(counts, case_scores, control_scores)
    if not stratified:
        return bootstrap_counts(auc_from_counts, ids, counts.m, counts.n, n_boot=n_boot, seed=seed, progress=progress,
                                stratified=False)
    return bootstrap(ids.auc, counts.m, counts.n, width=ids.k,
                     n_boot=n_boot, seed=seed, progress=progress)


def bootstrap_auc_interval(counts: RocCounts, replicates: np.ndarray, level: float, boot_type: str,
                           n_boot: int, seed_text: str, stratified: bool = True) -> Estimate:
    auc = counts.auc()
    defined = replicates[~np.isnan(replicates)]   # unstratified replicates with one class have no AUC
    if boot_type == "bca":
        jack = jackknife_auc(counts)
        weights = np.vstack([counts.cases, counts.controls]).astype(float)
        keep = weights > 0
        lo, hi = bca_interval(defined, auc, jack[keep], weights[keep], level) if len(defined) else (np.nan, np.nan)
        label = "bootstrap BCa"
    else:
        lo, hi = percentile_interval(replicates, level)
        label = "bootstrap percentile"
    kind = "stratified" if stratified else "unstratified"
    return Estimate(auc, lo, hi, level, f"{label} ({n_boot} {kind} replicates, {seed_text})", "AUC",
                    undefined_replicates_note(replicates))
