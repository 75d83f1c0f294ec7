"""The ROC curve of weighted patients (``ds.roc(..., weights=)``, a
:class:`~diagstats.roc_analysis.curve.WeightedROCResult`): weights, their bootstrap, the verbs refused.

Case weights (survey weights, inverse-probability-of-selection or -verification weights) make
every patient stand for ``w`` patients of the target population. At each threshold the
sensitivity is the summed weight of the diseased patients scoring at or above it over the summed
weight of all diseased patients (the specificity likewise), and the AUC is the weighted
Mann-Whitney statistic

    AUC = sum over case-control pairs of w_i w_j [I(x_i > y_j) + I(x_i = y_j) / 2] / (W_cases W_controls),

the area under that weighted empirical curve (the weighted probability that a diseased patient
scores higher: the inverse-probability-weighted empirical ROC curve of Alonzo & Pepe 2005, here for
any case weights; scikit-learn's ``roc_curve`` / ``roc_auc_score(sample_weight=)`` compute the same
curve and area). Both come from
the sorted per-score sums of weights of :mod:`diagstats.roc_analysis._counts`, O(n log n). Integer
weights give exactly the curve and AUC of the data with each row repeated that many times.

No DeLong-type variance exists for a weighted AUC in standard use, so its interval is by the
stratified bootstrap: diseased and non-diseased patients are resampled separately, each carrying
its weight (the shared engine :mod:`diagstats._core.bootstrap`), and the AUC of every replicate is
recomputed with the weights. What the verbs of a weighted curve do:

- weighted: ``auc`` (bootstrap percentile interval), ``curve``, ``auc_ci`` / ``auc_variance`` /
  ``confidence_interval`` with ``method="bootstrap"``, ``partial_auc`` (also ``ci=True``),
  ``sensitivity_at``, ``specificity_at``, ``sensitivity_band``, ``local_maxima``, ``threshold``
  (without ``n_boot``), ``plot``;
- refused with an OptionError naming ``weights=``: the DeLong, Hanley-McNeil and Obuchowski
  variances, BCa intervals, ``auc_covariance``, ``threshold(n_boot=)``, ``at_threshold``,
  ``grey_zone``, ``smooth`` (binormal and density smoothing of weighted data), ``compare_roc`` and
  ``cluster=`` together with ``weights=``.

Reference: Alonzo TA, Pepe MS (2005). Assessing accuracy of a continuous screening test in the
presence of verification bias. J R Stat Soc C 54:173-190 (inverse-probability-weighted ROC curves).
Requested of pROC in its issue 96 (survey and inverse-probability weights).

>>> import diagstats as ds
>>> res = ds.roc([0, 0, 1, 0, 1, 1], [0.1, 0.4, 0.35, 0.2, 0.8, 0.9], weights=[1, 2, 1, 1, 3, 1])
>>> round(res.auc.value, 4), res.auc.method
(0.9, 'bootstrap percentile (2000 stratified replicates carrying their weights, seed 0)')
"""

from __future__ import annotations

import numpy as np

from .._core.auc import auc_from_counts
from .._input import as_numeric
from ..errors import DataError, OptionError
from ._counts import RocCounts
from .bootstrap import ScoreIds

__all__ = ["WeightedScoreIds", "check_weights", "refuse_weighted", "refused"]


def check_weights(weights: np.ndarray, name: str) -> np.ndarray:
    """Case weights as floats: finite and non-negative (zero weights allowed)."""
    w = as_numeric(weights, name)
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        raise DataError(f"{name} must be finite, non-negative case weights; {int(bad.sum())} are not (first: "
                        f"{float(w[bad][0]):g}). Give each patient the number of patients it stands for (0 leaves "
                        "it out).")
    return w


class WeightedScoreIds(ScoreIds):
    """:class:`ScoreIds` whose resampled count matrices sum the resampled patients' weights."""

    def __init__(self, counts: RocCounts, case_scores, control_scores, case_weights, control_weights):
        super().__init__(counts, case_scores, control_scores)
        self.case_weights, self.control_weights = case_weights, control_weights

    def counts(self, case_idx: np.ndarray, control_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (_weight_matrix(self.case_ids[case_idx], self.case_weights[case_idx], self.k),
                _weight_matrix(self.control_ids[control_idx], self.control_weights[control_idx], self.k))

    def auc(self, case_idx: np.ndarray, control_idx: np.ndarray) -> np.ndarray:
        return auc_from_counts(*self.counts(case_idx, control_idx))


def _weight_matrix(ids: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Row-wise sums of ``weights`` by ``ids`` (shape (rows, r), values in [0, k)) as a (rows, k) matrix."""
    rows = ids.shape[0]
    offsets = (np.arange(rows, dtype=np.int64) * k)[:, None]
    return np.bincount((ids + offsets).ravel(), weights=weights.ravel(), minlength=rows * k).reshape(rows, k)


def refused(what: str, instead: str = "") -> OptionError:
    """The OptionError of a verb that counts every patient once, called on a curve with case weights."""
    tail = f"; {instead}" if instead else ""
    return OptionError(f"{what} is not available for a curve with weights= (case weights): it assumes every "
                       f"patient counts once{tail}. Drop weights= for it, or see the weighted verbs in "
                       "diagstats.roc_analysis.weighted.")


def refuse_weighted(curve, name: str, verb: str) -> None:
    """An OptionError when ``curve`` (the argument ``name`` of ``verb``) has case weights."""
    if getattr(curve, "case_weights", None) is not None:
        raise OptionError(f"{name} is a curve with weights= (case weights); {verb} compares unweighted curves "
                          "(DeLong, bootstrap and Venkatraman count every patient once). Build the curves without "
                          "weights= to compare them.")
