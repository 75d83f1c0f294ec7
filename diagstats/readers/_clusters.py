"""Reader studies whose cases are lesions or vertebrae within patients: covariances over patients.

When several cases (lesions, vertebrae) come from one patient, their ratings are correlated, and a
jackknife that leaves out one case at a time understates the variance of every figure of merit. With
``cluster=`` (the patient id) :func:`diagstats.reader_study` resamples patients instead:

* *Jackknife over patients.* Leaving patient g out removes every pair with one of its units. With S the
  sum over all (diseased, non-diseased) pairs of the pair score (1 if the diseased unit is rated higher,
  1/2 if tied), U_g the pairs with a diseased unit of g, W_g those with a non-diseased unit of g and S_gg
  those with both in g,

      A(-g) = (S - U_g - W_g + S_gg) / ((n1 - m_g)(n0 - n_g)),

  from the units' DeLong placements (U_g = n0 x the sum of g's diseased placements, W_g = n1 x the sum of
  its non-diseased ones) and S_gg from one sort of (patient, rating) keys: no refit per patient. The
  covariance is (G - 1) / G x the sum over the G patients of the products of the deviations of A(-g) from
  their mean (Efron's jackknife; Hillis 2007 for the OR analysis). With one unit per patient the mean of
  the A(-g) is A and this is the case jackknife exactly.
* *Sensitivity and specificity.* The jackknife runs over the patients with a unit the measure depends on
  (a diseased unit for sensitivity, a non-diseased one for specificity), as the case jackknife runs over
  those cases: p(-g) = (Y - Y_g) / (m - m_g).
* *DeLong-type.* Obuchowski's (1997) clustered covariance of correlated AUCs, the units' placements
  summed within patients (:func:`diagstats.roc_analysis.clustered_auc.clustered_auc_covariance`).

References: Obuchowski NA (1997) Biometrics 53:567-578. Hillis SL (2007) Stat Med 26:596-619. Efron B
(1982) The jackknife, the bootstrap and other resampling plans, ch. 3.

Two patients with a diseased and a non-diseased lesion each, one reader x modality row:

>>> import numpy as np
>>> value, dev = auc_deviations(np.array([[0.9, 0.2, 0.4, 0.6]]), np.array([True, False, True, False]),
...                             np.array([0, 0, 1, 1]))
>>> float(value[0]), dev.shape
(0.75, (1, 2))
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._input import _label_list, _show, column
from ..errors import DataError
from ..roc_analysis.clustered_auc import clustered_auc_covariance
from ._covariance import case_placements, dense_ranks


def case_clusters(data: pd.DataFrame, case: Any, cluster: Any, case_codes: np.ndarray, n_cases: int,
                  is_case: np.ndarray) -> np.ndarray:
    """The patient code (0 .. G - 1) of every case (in ``case_codes`` order), or a DataError naming ``cluster=``."""
    ids = column(data, cluster, "cluster")
    missing = ids.isna().to_numpy()
    if missing.any():
        rows = list(ids.index[missing][:5])
        raise DataError(f"cluster={_show(cluster)} has {int(missing.sum())} missing patient id(s) (rows "
                        f"{_label_list(rows)}); every case (lesion, vertebra) must say which patient it belongs to: "
                        "fill them in, or drop those cases from every reader and modality.")
    codes, _ = pd.factorize(ids, sort=False)
    per_case = np.full(n_cases, -1)
    per_case[case_codes] = codes
    split = per_case[case_codes] != codes
    if split.any():
        cases = column(data, case, "case").to_numpy()[split]
        raise DataError(f"cluster={_show(cluster)} gives case {_show(cases[0])} more than one patient id (between "
                        f"readers or modalities); a case (lesion, vertebra) belongs to one patient: make its "
                        f"{_show(cluster)} the same on every row of {_show(case)} {_show(cases[0])}.")
    groups = np.unique(per_case, return_inverse=True)[1]
    for side, name in ((is_case, "diseased"), (~is_case, "non-diseased")):
        if len(np.unique(groups[side])) < 2:
            raise DataError(f"cluster={_show(cluster)}: only {len(np.unique(groups[side]))} patient(s) have a "
                            f"{name} case; the jackknife over patients needs at least two patients with a diseased "
                            "case and two with a non-diseased one. Without clustering, drop cluster=.")
    return groups


def _within_pairs(ratings: np.ndarray, is_case: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """S_gg (k, G): for every row, the pair scores summed over the (diseased, non-diseased) pairs inside each
    patient, from one sort of (row, patient, rating) keys."""
    k = ratings.shape[0]
    ids = dense_ranks(ratings).astype(np.int64)
    width = int(ids.max()) + 1
    base = (np.arange(k, dtype=np.int64)[:, None] * n_groups + groups[None, :]) * width     # (k, c)
    keys = base + ids
    controls = np.sort(keys[:, ~is_case], axis=None)
    case_keys, case_base = keys[:, is_case].ravel(), base[:, is_case].ravel()
    left = np.searchsorted(controls, case_keys, side="left")
    right = np.searchsorted(controls, case_keys, side="right")
    below = left - np.searchsorted(controls, case_base, side="left")
    score = below + 0.5 * (right - left)
    slot = (np.arange(k)[:, None] * n_groups + groups[is_case][None, :]).ravel()
    return np.bincount(slot, weights=score, minlength=k * n_groups).reshape(k, n_groups)


def auc_deviations(ratings: np.ndarray, is_case: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The empirical AUC of every row of ``ratings`` (k, c) and its leave-one-patient-out deviations (k, G) about
    their mean; ``groups`` (c,) holds each case's patient code 0 .. G - 1."""
    k = ratings.shape[0]
    n_groups = int(groups.max()) + 1
    auc, v10, v01 = case_placements(ratings, is_case)
    n1, n0 = v10.shape[1], v01.shape[1]
    m_g = np.bincount(groups[is_case], minlength=n_groups)
    n_g = np.bincount(groups[~is_case], minlength=n_groups)
    rows = np.arange(k)[:, None] * n_groups
    u = n0 * np.bincount((rows + groups[is_case]).ravel(), weights=v10.ravel(), minlength=k * n_groups)
    w = n1 * np.bincount((rows + groups[~is_case]).ravel(), weights=v01.ravel(), minlength=k * n_groups)
    total = (n1 * n0 * auc)[:, None]
    left_out = (total - u.reshape(k, n_groups) - w.reshape(k, n_groups)
                + _within_pairs(ratings, is_case, groups, n_groups)) / ((n1 - m_g) * (n0 - n_g))[None, :]
    return auc, left_out - left_out.mean(axis=1, keepdims=True)


def proportion_deviations(positive: np.ndarray, is_case: np.ndarray, groups: np.ndarray,
                          metric: str) -> tuple[np.ndarray, np.ndarray]:
    """Sensitivity or specificity of every row of the 0/1 reads (k, c) and the leave-one-patient-out deviations
    (k, G') about their mean, over the G' patients with a case the measure depends on."""
    side = is_case if metric == "sensitivity" else ~is_case
    y = positive[:, side] if metric == "sensitivity" else 1.0 - positive[:, side]
    _, own = np.unique(groups[side], return_inverse=True)
    n_groups = int(own.max()) + 1
    k, m = y.shape
    m_g = np.bincount(own, minlength=n_groups)
    y_g = np.bincount((np.arange(k)[:, None] * n_groups + own[None, :]).ravel(), weights=y.ravel(),
                      minlength=k * n_groups).reshape(k, n_groups)
    left_out = (y.sum(axis=1, keepdims=True) - y_g) / (m - m_g)[None, :]
    return y.mean(axis=1), left_out - left_out.mean(axis=1, keepdims=True)


def delong_covariance(ratings: np.ndarray, is_case: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The AUCs (k,) and Obuchowski's (1997) clustered covariance (k, k) of the rows of ``ratings`` (k, c)."""
    auc, v10, v01 = case_placements(ratings, is_case)
    cov = clustered_auc_covariance(list(v10), list(v01), groups[is_case], groups[~is_case], int(groups.max()) + 1)
    return auc, cov
