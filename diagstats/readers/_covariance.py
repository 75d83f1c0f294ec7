"""AUCs of every reader x modality and their covariance over cases, from DeLong's placements.

Each reader x modality AUC is a Mann-Whitney area, the mean of its cases' placements
(:func:`diagstats._core.auc.placements`): V10 (a diseased case: share of the non-diseased below it, ties
one half) and V01 (a non-diseased case: share of the diseased above it). Leaving one case out changes
the AUC in closed form, so the jackknife needs no refit:

* a diseased case i left out: A(-i) = (n1 A - V10_i) / (n1 - 1), i.e. A(-i) - A = (A - V10_i) / (n1 - 1);
* a non-diseased case j left out: A(-j) - A = (A - V01_j) / (n0 - 1).

The mean of the c = n1 + n0 leave-one-out AUCs is A itself, and the jackknife covariance of two AUCs
is (c - 1) / c x the sum over cases of the products of their deviations (the Iowa OR-DBM MRMC and
RJafroc convention). DeLong's covariance is S10 / n1 + S01 / n0 (DeLong et al. 1988).

The bootstrap covariance resamples the cases within their truth (the diseased among the diseased, the
non-diseased among the non-diseased), the same cases for every reader and modality, through the shared
engine (:func:`diagstats._core.bootstrap.stratified_chunks`, seed blocks), and takes the covariance of the
replicate AUCs (Efron & Tibshirani 1993, ch. 6; as the bootstrap option of the Iowa OR-DBM MRMC software).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._core.auc import auc_from_draws, delong_covariance, placements
from .._core.bootstrap import stratified_chunks


def case_placements(ratings: np.ndarray, is_case: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AUCs (k,), diseased placements V10 (k, n1) and non-diseased placements V01 (k, n0) of ``ratings`` (k, c).

    Every row (a reader x modality) is scored on the same cases ``is_case`` (c,). One sort of all the
    rows' distinct values; the placements at each distinct value come from :func:`placements`, row by row
    (a loop over the k reader x modality rows, never over cases).
    """
    k = ratings.shape[0]
    n1, n0 = int(is_case.sum()), int((~is_case).sum())
    v10 = np.empty((k, n1))
    v01 = np.empty((k, n0))
    for row in range(k):
        values, ids = np.unique(ratings[row], return_inverse=True)
        cases = np.bincount(ids[is_case], minlength=len(values)).astype(float)
        controls = np.bincount(ids[~is_case], minlength=len(values)).astype(float)
        at_case, at_control = placements(cases, controls)
        v10[row] = at_case[ids[is_case]]
        v01[row] = at_control[ids[~is_case]]
    return v10.mean(axis=1), v10, v01


def jackknife_deviations(auc: np.ndarray, v10: np.ndarray, v01: np.ndarray) -> np.ndarray:
    """A(-k) - A for every row and left-out case (k, n1 + n0): diseased cases first, then the non-diseased."""
    n1, n0 = v10.shape[1], v01.shape[1]
    return np.hstack([(auc[:, None] - v10) / (n1 - 1), (auc[:, None] - v01) / (n0 - 1)])


def auc_covariance(auc: np.ndarray, v10: np.ndarray, v01: np.ndarray, method: str) -> np.ndarray:
    """Covariance matrix (k, k) of the k AUCs over cases: ``"jackknife"`` or ``"delong"``."""
    if method == "delong":
        return delong_covariance(list(zip(v10, v01)))
    return jackknife_covariance(jackknife_deviations(auc, v10, v01))


def jackknife_covariance(d: np.ndarray) -> np.ndarray:
    """The jackknife covariance (k, k) of k measures from their leave-one-out deviations ``d`` (k, m) about
    their mean: (m - 1) / m x the sum over the m left-out cases of the products of the deviations."""
    m = d.shape[1]
    return (m - 1) / m * (d @ d.T)


def proportion_deviations(positive: np.ndarray, is_case: np.ndarray, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """Sensitivity (share of the diseased read positive) or specificity (share of the non-diseased read negative)
    of every row of the 0/1 reads ``positive`` (k, c), and their leave-one-out deviations (k, m) over the cases
    the measure depends on only (the diseased for sensitivity, the non-diseased for specificity, as MRMCaov
    does): leaving one of those m cases out changes the proportion p by (p - y_i) / (m - 1)."""
    y = positive[:, is_case] if metric == "sensitivity" else 1.0 - positive[:, ~is_case]
    m = y.shape[1]
    value = y.mean(axis=1)
    return value, (value[:, None] - y) / (m - 1)


def callable_deviations(fn: Callable, ratings: np.ndarray, is_case: np.ndarray,
                        check: Callable[[Any, int], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A user figure of merit ``fn(truth, ratings) -> (k,)`` of every row and the deviations (k, c) of its
    leave-one-case-out values from their mean (Efron's jackknife): ``fn`` is called on all cases, then once per
    left-out case (each call vectorised over the k reader x modality rows; an arbitrary measure has no
    closed-form leave-one-out). ``check(values, k)`` validates each call's output."""
    k, c = ratings.shape
    value = check(fn(is_case.copy(), ratings.copy()), k)
    keep = np.ones(c, dtype=bool)
    loo = np.empty((c, k))
    for j in range(c):  # one call per left-out case: the jackknife of a measure given only as a function
        keep[j] = False
        loo[j] = check(fn(is_case[keep], ratings[:, keep]), k)
        keep[j] = True
    return value, (loo - loo.mean(axis=0)).T


def dense_ranks(ratings: np.ndarray) -> np.ndarray:
    """Each row's ratings (k, c) as ids 0, 1, ... of their distinct values in ascending order (ties share one)."""
    order = np.argsort(ratings, axis=1, kind="stable")
    ordered = np.take_along_axis(ratings, order, axis=1)
    ranked = np.zeros(ratings.shape, dtype=np.intp)
    ranked[:, 1:] = np.cumsum(np.diff(ordered, axis=1) != 0, axis=1)
    ids = np.empty_like(ranked)
    np.put_along_axis(ids, order, ranked, axis=1)
    return ids


def bootstrap_covariance(ratings: np.ndarray, is_case: np.ndarray, n_boot: int,
                         seeds: np.random.SeedSequence, progress: bool = False) -> np.ndarray:
    """Covariance (k, k) of the empirical AUCs of the rows of ``ratings`` (k, c) over ``n_boot`` stratified
    bootstrap resamples of the cases (the same resampled cases for every row). Each replicate's k AUCs come
    from the resampled cases' value ids at once (:func:`diagstats._core.auc.auc_from_draws` on the
    (replicates x rows) draws): no loop over cases, rows or replicates beyond the engine's chunks."""
    k = ratings.shape[0]
    ids = dense_ranks(ratings)
    width = int(ids.max()) + 1
    case_ids, control_ids = ids[:, is_case], ids[:, ~is_case]
    n1, n0 = case_ids.shape[1], control_ids.shape[1]
    parts = []
    for case_idx, control_idx in stratified_chunks(seeds, (n1, n0), n_boot, k * (n1 + n0 + width), progress):
        rows = case_idx.shape[0]
        cases = case_ids[:, case_idx].transpose(1, 0, 2).reshape(rows * k, n1)
        controls = control_ids[:, control_idx].transpose(1, 0, 2).reshape(rows * k, n0)
        parts.append(auc_from_draws(cases, controls, width).reshape(rows, k))
    return np.cov(np.concatenate(parts, axis=0), rowvar=False, ddof=1).reshape(k, k)
