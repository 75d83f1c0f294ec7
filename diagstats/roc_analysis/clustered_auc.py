"""Obuchowski's (1997) variance and covariance of AUCs when units are clustered in patients.

With several units (lesions, arteries, vertebrae) per patient, some diseased and some not, the
Mann-Whitney AUC over all pairs of a diseased and a non-diseased unit is unchanged, but its
variance must respect the patients. Obuchowski (1997, Biometrics 53:567-578) sums each unit's
DeLong placement within its cluster: for cluster i with m_i diseased and n_i non-diseased units,
V10_i is the sum of its diseased units' placements (each the share of all N non-diseased units
scoring lower, ties half) and V01_i the sum of its non-diseased units' placements (each the share
of all M diseased units scoring higher). With A the AUC, U_i = V10_i - m_i A and W_i = V01_i - n_i A,

    S10 = I10 / ((I10 - 1) M) sum U_i U_i',   S01 = I01 / ((I01 - 1) N) sum W_i W_i',
    S11 = I / (I - 1) sum U_i W_i',
    cov(A, A') = S10 / M + S01 / N + (S11 + S11') / (M N),

I10 (I01) the clusters with a diseased (non-diseased) unit, I all clusters. The placements come
from one sort (:func:`diagstats.roc_analysis.delong.patient_placements`) and the cluster sums from
``bincount``, so the whole computation is O(n log n). With one unit per cluster, U and W never
meet (S11 = 0) and the variance is DeLong's exactly.

The interval of a single AUC is built on the logit scale, logit(A) +/- z SE / (A (1 - A)), and
transformed back, so it stays inside (0, 1).

Four patients, each with a diseased and a non-diseased unit; the placements of the diseased
units (share of non-diseased units below) and of the non-diseased (share of diseased above):

>>> import numpy as np
>>> v10, v01 = [np.array([1.0, 0.25, 0.75, 1.0])], [np.array([0.75, 0.75, 1.0, 0.5])]
>>> patient = np.arange(4)
>>> float(clustered_auc_covariance(v10, v01, patient, patient, 4)[0, 0])
0.03125
"""

from __future__ import annotations

import math

import numpy as np

from .._core.quantiles import z_two_sided
from ..results import Estimate

#: The interval method of a clustered AUC.
CLUSTERED_AUC_METHOD = "Obuchowski (1997) clustered, logit"


def unit_placements(case_scores: np.ndarray, control_scores: np.ndarray, case_placements: np.ndarray,
                    control_placements: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's placement from the per-value placements (values ascending), by one sort of the units.

    The same as looking every score up among the distinct values, but a sort of all the units is
    several times faster than a binary search of each when most scores are distinct.
    """
    scores = np.concatenate([case_scores, control_scores])
    order = np.argsort(scores)
    ordered = scores[order]
    new = np.empty(len(ordered), dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    ids = np.empty(len(ordered), dtype=np.intp)
    ids[order] = np.cumsum(new) - 1
    m = len(case_scores)
    return case_placements[ids[:m]], control_placements[ids[m:]]


def clustered_auc_covariance(case_placements: list[np.ndarray], control_placements: list[np.ndarray],
                             case_clusters: np.ndarray, control_clusters: np.ndarray,
                             n_clusters: int) -> np.ndarray:
    """Covariance matrix of the AUCs of several scores read on the same clustered units.

    ``case_placements[r]`` holds score r's placement of every diseased unit and
    ``case_clusters`` their cluster codes in [0, n_clusters); the same for the non-diseased units.
    NaN when fewer than 2 clusters have a diseased or a non-diseased unit.
    """
    m, n = len(case_clusters), len(control_clusters)
    m_i = np.bincount(case_clusters, minlength=n_clusters)
    n_i = np.bincount(control_clusters, minlength=n_clusters)
    i10, i01, i_all = int(np.sum(m_i > 0)), int(np.sum(n_i > 0)), int(np.sum((m_i + n_i) > 0))
    r = len(case_placements)
    if i10 < 2 or i01 < 2:
        return np.full((r, r), np.nan)
    auc = np.array([p.mean() for p in case_placements])
    u = np.vstack([np.bincount(case_clusters, weights=p, minlength=n_clusters) for p in case_placements])
    w = np.vstack([np.bincount(control_clusters, weights=p, minlength=n_clusters) for p in control_placements])
    u -= auc[:, None] * m_i
    w -= auc[:, None] * n_i
    s10 = i10 / ((i10 - 1) * m) * (u @ u.T)
    s01 = i01 / ((i01 - 1) * n) * (w @ w.T)
    s11 = i_all / (i_all - 1) * (u @ w.T)
    return s10 / m + s01 / n + (s11 + s11.T) / (m * n)


def logit_interval(auc: float, variance: float, level: float) -> Estimate:
    """The AUC with its interval on the logit scale, back-transformed (inside (0, 1))."""
    if not np.isfinite(variance):
        return Estimate(auc, math.nan, math.nan, level, CLUSTERED_AUC_METHOD, "AUC",
                        ("no interval: fewer than 2 clusters with diseased units or 2 with non-diseased units",))
    if auc <= 0 or auc >= 1:
        return Estimate(auc, math.nan, math.nan, level, CLUSTERED_AUC_METHOD, "AUC",
                        (f"no logit interval: the AUC is {auc:g}, where the logit is infinite",))
    centre = math.log(auc / (1 - auc))
    half = z_two_sided(level) * math.sqrt(variance) / (auc * (1 - auc))
    lower, upper = (1 / (1 + math.exp(-x)) for x in (centre - half, centre + half))
    return Estimate(auc, lower, upper, level, CLUSTERED_AUC_METHOD, "AUC")
