"""Stratified bootstrap of ROC statistics, on top of the shared engine :mod:`diagstats._core.bootstrap`.

A replicate resamples the cases (with replacement, m of them) and the controls (n of them)
separately, as pROC's default ``boot.stratified=TRUE`` does, so every replicate keeps the
study's numbers of diseased and non-diseased patients. The resampled patients of a chunk become
(chunk, k) matrices of counts at the k distinct scores (:class:`ScoreIds`), from which AUCs,
partial AUCs and operating points of all replicates follow by row-wise cumulative sums; the AUC
alone takes the faster :func:`diagstats._core.auc.auc_from_draws`. Replicates come in the engine's
seed blocks: replicate ``b`` depends only on the seed and on ``b``, not on the chunk size.

``stratified=False`` (pROC's ``boot.stratified = FALSE``) draws the m + n patients with
replacement from all of them instead, so the numbers of cases and controls vary between replicates
(:func:`unstratified_count_chunks`, in the same seed blocks). A replicate that draws no case or no
control has no ROC curve: its statistic is NaN and it is left out of intervals, variances and
covariances, with a note saying how many (pROC likewise ignores such replicates, with a warning).

Intervals: percentile, and BCa (bias-corrected and accelerated; Efron 1987, Efron & Tibshirani
1993 ch. 14) with the acceleration from the jackknife over all patients.

>>> import numpy as np
>>> from diagstats.roc_analysis._counts import count_by_value
>>> from diagstats._core.auc import auc_from_counts
>>> from diagstats.roc_analysis.bootstrap import ScoreIds, bootstrap
>>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1], dtype=bool)
>>> s = np.array([0.1, 0.3, 0.35, 0.8, 0.4, 0.6, 0.9, 0.9])
>>> c = count_by_value(s, y)
>>> ids = ScoreIds(c, s[y], s[~y])
>>> boot = bootstrap(lambda ci, ki: auc_from_counts(*ids.counts(ci, ki)), c.m, c.n, width=len(c.values),
...                  n_boot=200, seed=1, progress=False)
>>> boot.shape, bool(0 <= boot.min() <= boot.max() <= 1)
((200,), True)
>>> bool(np.array_equal(boot, bootstrap(ids.auc, c.m, c.n, width=len(c.values), n_boot=200, seed=1,
...                                     progress=False)))
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from .._core.auc import auc_from_draws
from .._core.bootstrap import count_matrix, integers, random_chunks, stratified_chunks
from .._input import as_seed_sequence, check_bootstrap_size, check_flag, check_n_boot
from ..errors import OptionError
from ._counts import RocCounts

__all__ = ["ScoreIds", "bootstrap", "bootstrap_counts", "jackknife_auc", "resample_chunks",
           "unstratified_count_chunks"]


def resample_chunks(seeds: np.random.SeedSequence, m: int, n: int, n_boot: int, width: int,
                    progress: bool) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (case indices, control indices) of shape (chunk, m) and (chunk, n): stratified resamples.

    ``width`` is the number of matrix columns a replicate needs downstream (e.g. distinct
    scores), used to size the chunks.
    """
    return stratified_chunks(seeds, (m, n), n_boot, m + n + 2 * width, progress)


class ScoreIds:
    """A curve's distinct-value ids of its cases and controls, in the patients' order."""

    def __init__(self, counts: RocCounts, case_scores: np.ndarray, control_scores: np.ndarray):
        self.k = len(counts.values)
        self.case_ids = counts.ids(case_scores)
        self.control_ids = counts.ids(control_scores)

    def counts(self, case_idx: np.ndarray, control_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(chunk, k) count matrices of the resampled cases and controls."""
        return count_matrix(self.case_ids[case_idx], self.k), count_matrix(self.control_ids[control_idx], self.k)

    def auc(self, case_idx: np.ndarray, control_idx: np.ndarray) -> np.ndarray:
        """AUCs of the resampled replicates (same values as ``auc_from_counts(*self.counts(...))``, faster)."""
        return auc_from_draws(case_idx, control_idx, self.k, self.case_ids, self.control_ids)


def bootstrap(statistic: Callable[[np.ndarray, np.ndarray], np.ndarray], m: int, n: int, *, width: int,
              n_boot: int, seed, progress: bool, instead: str = "") -> np.ndarray:
    """Replicates of ``statistic(case_idx, control_idx)`` (one value, or a row, per replicate).

    Cases and controls are resampled separately (stratified bootstrap). ``instead`` names the argument
    that skips the interval (``"n_boot=None"``), for the message when there are too few patients.
    """
    check_bootstrap_size(m, n, instead=instead)
    n_boot = check_n_boot(n_boot)
    seeds = as_seed_sequence(seed)
    parts = [statistic(ci, ki) for ci, ki in resample_chunks(seeds, m, n, n_boot, width, progress)]
    return np.concatenate(parts, axis=0)


def unstratified_count_chunks(seeds: np.random.SeedSequence, curves: Sequence[ScoreIds], n_boot: int,
                              progress: bool) -> Iterator[list[tuple[np.ndarray, np.ndarray]]]:
    """Yield, chunk by chunk, every curve's (chunk, k) case and control count matrices of unstratified resamples.

    Each replicate draws m + n patients with replacement from all of them (the cases first, then the
    controls, in the order of each curve's ``ScoreIds``), so several curves of the same patients share the
    draws (paired). The row sums (cases, controls) vary between replicates and may be 0.

    >>> import numpy as np
    >>> from diagstats.roc_analysis._counts import count_by_value
    >>> y = np.array([0, 0, 0, 1, 1, 1], dtype=bool)
    >>> s = np.array([0.1, 0.3, 0.8, 0.4, 0.6, 0.9])
    >>> ids = ScoreIds(count_by_value(s, y), s[y], s[~y])
    >>> [(cases, controls)] = next(unstratified_count_chunks(np.random.SeedSequence(0), [ids], 100, False))
    >>> bool(np.all(cases.sum(axis=1) + controls.sum(axis=1) == 6)), len(set(cases.sum(axis=1))) > 1
    (True, True)
    """
    total = len(curves[0].case_ids) + len(curves[0].control_ids)
    patient_ids = [np.concatenate([c.case_ids, c.control_ids + c.k]) for c in curves]   # class and value in one id

    def draw(rng, rows):
        return (integers(rng, total, (rows, total)),)

    for (drawn,) in random_chunks(seeds, n_boot, draw, total + 4 * sum(c.k for c in curves), progress):
        out = []
        for c, ids in zip(curves, patient_ids):
            both = count_matrix(ids[drawn], 2 * c.k)
            out.append((both[:, :c.k], both[:, c.k:]))
        yield out


def undefined_where_one_class(values: np.ndarray, cases: np.ndarray, controls: np.ndarray) -> np.ndarray:
    """``values`` (one per replicate, or a row) with NaN where the replicate drew no case or no control."""
    one_class = (cases.sum(axis=1) == 0) | (controls.sum(axis=1) == 0)
    values = np.array(values, dtype=float)
    values[one_class] = np.nan
    return values


def bootstrap_counts(statistic: Callable[[np.ndarray, np.ndarray], np.ndarray], curve: ScoreIds, m: int, n: int, *,
                     n_boot: int, seed, progress: bool, stratified: bool = True, instead: str = "") -> np.ndarray:
    """Replicates of ``statistic(case_counts, control_counts)`` over (chunk, k) count matrices, stratified (as
    :func:`bootstrap`) or not (:func:`unstratified_count_chunks`; NaN where a replicate has one class only)."""
    if stratified:
        return bootstrap(lambda ci, ki: statistic(*curve.counts(ci, ki)), m, n, width=curve.k, n_boot=n_boot,
                         seed=seed, progress=progress, instead=instead)
    check_bootstrap_size(m, n, instead=instead)
    parts = []
    for [(cases, controls)] in unstratified_count_chunks(as_seed_sequence(seed), [curve], check_n_boot(n_boot),
                                                         progress):
        with np.errstate(invalid="ignore", divide="ignore"):
            parts.append(undefined_where_one_class(statistic(cases, controls), cases, controls))
    return np.concatenate(parts, axis=0)


def jackknife_auc(counts: RocCounts) -> np.ndarray:
    """Leave-one-out AUCs of every distinct (value, class), with their multiplicities.

    Returns an array of shape (2, k) of AUCs without one case / one control at each value;
    used for the BCa acceleration. O(k).
    """
    m, n = counts.m, counts.n
    pairs = counts.auc() * m * n
    without_case = (pairs - n * counts.case_placements()) / ((m - 1) * n)
    without_control = (pairs - m * counts.control_placements()) / (m * (n - 1))
    return np.vstack([without_case, without_control])


def check_stratified(stratified, method: str) -> bool:
    """``stratified`` as a flag; ``stratified=False`` only where ``method`` resamples (``"bootstrap"``).

    >>> check_stratified(False, "bootstrap")
    False
    """
    flag = check_flag(stratified, "stratified")
    if not flag and method != "bootstrap":
        raise OptionError(f"stratified=False changes how the bootstrap resamples patients, but method={method!r} "
                          "does not resample; use method='bootstrap' with stratified=False, or leave stratified out.")
    return flag
