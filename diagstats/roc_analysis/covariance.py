"""Covariance of the AUCs of two ROC curves measured on the same patients: DeLong, the bootstrap or Obuchowski.

* DeLong: the covariance of the two AUCs from the patients' placements (DeLong, DeLong &
  Clarke-Pearson 1988, eq. 5): S10[1, 2] / m + S01[1, 2] / n, S10 and S01 the covariances of the
  case and control placements under the two scores (pROC ``cov(roc1, roc2, method = "delong")``).
* Bootstrap: the sample covariance (divisor B - 1) of the two AUCs over B stratified paired
  resamples, the same cases and controls drawn for both curves (Efron & Tibshirani 1993, ch. 6;
  pROC ``cov(roc1, roc2, method = "bootstrap")``, which agrees within Monte-Carlo error).
* Obuchowski: the binormal covariance of Obuchowski & McClish (1997, eq. 5) at each curve's
  least-squares binormal line and the correlations of the scores among cases and among controls
  (pROC ``cov(roc1, roc2, method = "obuchowski")``; see :mod:`diagstats.roc_analysis.obuchowski_variance`).

>>> import numpy as np, diagstats as ds
>>> rng = np.random.default_rng(0)
>>> y = rng.random(200) < 0.4
>>> common = rng.normal(size=200)
>>> r1, r2 = ds.roc(y, y + common + rng.normal(size=200)), ds.roc(y, y + common + rng.normal(size=200))
>>> r1.auc_covariance(r2) > 0
True
"""

from __future__ import annotations

import numpy as np

from .._core.auc import auc_from_counts, delong_covariance
from .._input import as_seed_sequence, check_bootstrap_size, check_n_boot, check_option
from ..errors import DataError
from .bootstrap import ScoreIds, resample_chunks, undefined_where_one_class, unstratified_count_chunks
from .delong import patient_placements
from .obuchowski_variance import obuchowski_covariance
from .shared_patients import common_patients

COVARIANCE_METHODS = ("delong", "bootstrap", "obuchowski")

__all__ = ["COVARIANCE_METHODS", "auc_covariance"]


def auc_covariance(roc1, roc2, method: str = "delong", *, n_boot: int = 2000, seed=0, progress: bool = True,
                   area: tuple | None = None, statistic=None, stratified: bool = True) -> float:
    """Covariance of the AUCs of ``roc1`` and ``roc2`` (the same patients); see the module.

    Of partial AUCs: ``area = (focus, low, high, correct)`` for Obuchowski's formula, and for the bootstrap
    ``statistic(case_counts, control_counts)``, the partial AUC of count matrices over that range.
    ``stratified=False``: unstratified paired resamples; replicates with one class only are left out.
    """
    method = check_option(method, "method", COVARIANCE_METHODS)
    n_boot = check_n_boot(n_boot)
    common = common_patients(roc1, roc2)
    every = common is not None and len(common[0]) == len(roc1.reference) == len(roc2.reference) \
        and np.array_equal(common[0], common[1])
    if not every:
        raise DataError("other: the two curves must be of the same patients, in the same order (e.g. two "
                        "scores of one data frame, with no patient omitted from one curve only); curves of different "
                        "patients are independent, so their covariance is 0.")
    if method == "delong":
        if min(roc1.n_cases, roc1.n_controls) < 2:
            raise DataError(f"method='delong': the covariance needs at least 2 cases and 2 controls; these curves have "
                            f"{roc1.n_cases} case(s) and {roc1.n_controls} control(s). Add patients of the rarer "
                            "class.")
        placements = [patient_placements(r.counts, r.cases, r.controls) for r in (roc1, roc2)]
        return float(delong_covariance(placements)[0, 1])
    if method == "obuchowski":
        return obuchowski_covariance(roc1, roc2, area)
    check_bootstrap_size(roc1.n_cases, roc1.n_controls)
    ids = [ScoreIds(r.counts, r.cases, r.controls) for r in (roc1, roc2)]
    if not stratified:
        return _unstratified_covariance(ids, as_seed_sequence(seed), n_boot, progress, statistic)
    def area(i, ci, ki):
        return i.auc(ci, ki) if statistic is None else statistic(*i.counts(ci, ki))

    aucs = [np.column_stack([area(i, ci, ki) for i in ids])
            for ci, ki in resample_chunks(as_seed_sequence(seed), roc1.n_cases, roc1.n_controls, n_boot,
                                          ids[0].k + ids[1].k, progress)]
    return float(np.cov(np.concatenate(aucs), rowvar=False)[0, 1])


def _unstratified_covariance(ids, seeds, n_boot: int, progress: bool, statistic) -> float:
    """Covariance of the two curves' (partial) AUCs over unstratified paired resamples with both classes."""
    statistic = auc_from_counts if statistic is None else statistic
    parts = []
    for chunk in unstratified_count_chunks(seeds, ids, n_boot, progress):
        with np.errstate(invalid="ignore", divide="ignore"):
            parts.append(np.column_stack([undefined_where_one_class(statistic(c, k), c, k) for c, k in chunk]))
    values = np.concatenate(parts)
    return float(np.cov(values[~np.isnan(values).any(axis=1)], rowvar=False)[0, 1])
