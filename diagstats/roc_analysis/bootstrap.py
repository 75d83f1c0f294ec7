"""Stratified bootstrap of ROC statistics, vectorised over replicates.

A replicate resamples the cases (with replacement, m of them) and the controls (n of them)
separately, as pROC's default ``boot.stratified=TRUE`` does, so every replicate keeps the
study's numbers of diseased and non-diseased patients. Replicates are drawn in chunks: the
resampled patients of a chunk become a (chunk, k) matrix of counts at the k distinct scores
(one ``bincount``), from which AUCs, partial AUCs and operating points of all replicates in
the chunk follow by row-wise cumulative sums. There is no Python loop over replicates; chunks
bound the memory to about 64 MB whatever ``n_boot``.

Reproducibility does not depend on the chunk size (that is, on memory): replicates come in fixed
blocks of :data:`BLOCK`, block ``j`` drawn by its own generator, the ``j``-th child of
``numpy.random.SeedSequence(seed).spawn(...)``. Replicate ``b`` therefore depends only on the seed
and on ``b``; a chunk is a whole number of blocks.

Intervals: percentile, and BCa (bias-corrected and accelerated; Efron 1987, Efron & Tibshirani
1993 ch. 14) with the acceleration from the jackknife over all patients.

>>> import numpy as np
>>> from diagstats.roc_analysis._counts import count_by_value
>>> from diagstats.roc_analysis.bootstrap import ScoreIds, auc_rows, bootstrap
>>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1], dtype=bool)
>>> s = np.array([0.1, 0.3, 0.35, 0.8, 0.4, 0.6, 0.9, 0.9])
>>> c = count_by_value(s, y)
>>> ids = ScoreIds(c, s[y], s[~y])
>>> boot = bootstrap(lambda ci, ki: auc_rows(*ids.counts(ci, ki)), c.m, c.n, width=len(c.values),
...                  n_boot=200, seed=1, progress=False)
>>> boot.shape, bool(0 <= boot.min() <= boot.max() <= 1)
((200,), True)
"""

from __future__ import annotations

from typing import Callable, Iterator

import numpy as np
from scipy import stats
from tqdm.auto import tqdm

from .._input import as_seed_sequence, check_bootstrap_size, check_n_boot
from ._counts import RocCounts

#: Elements (int64) held per chunk of replicates; bounds memory to about 64 MB.
CHUNK_ELEMENTS = 8_000_000
#: Replicates drawn by one spawned generator. Fixed (never derived from memory) so that a
#: replicate's resample depends only on (seed, replicate number); a chunk holds at least one block.
BLOCK = 32


def random_chunks(seeds: np.random.SeedSequence, n_rep: int, draw: Callable[[np.random.Generator, int], tuple],
                  row_cost: int, progress: bool, desc: str = "bootstrap",
                  unit: str = "replicate") -> Iterator[tuple[np.ndarray, ...]]:
    """Yield the random draws of ``n_rep`` replicates, chunk by chunk, independent of the chunk size.

    ``draw(generator, rows)`` returns a tuple of arrays with ``rows`` rows (one per replicate).
    Block ``j`` (replicates ``j * BLOCK`` to ``(j + 1) * BLOCK - 1``) is always drawn in full by the
    generator of ``seeds.spawn(...)[j]`` (the last block is then cut), so replicate ``b`` is the same
    whatever ``n_rep`` beyond ``b`` and whatever the memory cap. ``row_cost`` is the number of array
    elements one replicate needs downstream; a chunk holds as many blocks as fit in
    :data:`CHUNK_ELEMENTS` (at least one).
    """
    n_blocks = -(-n_rep // BLOCK)
    children = seeds.spawn(n_blocks)
    per_chunk = max(1, CHUNK_ELEMENTS // (max(1, row_cost) * BLOCK))
    with tqdm(total=n_rep, disable=not progress, desc=desc, unit=unit) as bar:
        for first in range(0, n_blocks, per_chunk):
            blocks = range(first, min(first + per_chunk, n_blocks))
            parts = [draw(np.random.default_rng(children[j]), BLOCK) for j in blocks]
            rows = min(n_rep, blocks[-1] * BLOCK + BLOCK) - first * BLOCK
            chunk = tuple(np.concatenate(arrays, axis=0)[:rows] for arrays in zip(*parts))
            bar.update(rows)
            yield chunk


def resample_chunks(seeds: np.random.SeedSequence, m: int, n: int, n_boot: int, width: int,
                    progress: bool) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (case indices, control indices) of shape (chunk, m) and (chunk, n): stratified resamples.

    ``width`` is the number of matrix columns a replicate needs downstream (e.g. distinct
    scores), used to size the chunks.
    """
    def draw(rng, rows):
        return rng.integers(0, m, size=(rows, m)), rng.integers(0, n, size=(rows, n))

    return random_chunks(seeds, n_boot, draw, m + n + 2 * width, progress)


def count_matrix(ids: np.ndarray, k: int) -> np.ndarray:
    """Row-wise counts of ``ids`` (shape (chunk, r), values in [0, k)) as a (chunk, k) matrix."""
    rows = ids.shape[0]
    offsets = (np.arange(rows, dtype=np.int64) * k)[:, None]
    return np.bincount((ids + offsets).ravel(), minlength=rows * k).reshape(rows, k)


def auc_rows(cases: np.ndarray, controls: np.ndarray) -> np.ndarray:
    """AUC of every row of (chunk, k) count matrices (columns are the distinct scores, ascending)."""
    m = cases.sum(axis=1)
    n = controls.sum(axis=1)
    below = np.cumsum(controls, axis=1) - controls
    return np.einsum("ij,ij->i", cases, below + 0.5 * controls) / (m * n)


class ScoreIds:
    """A curve's distinct-value ids of its cases and controls, in the patients' order."""

    def __init__(self, counts: RocCounts, case_scores: np.ndarray, control_scores: np.ndarray):
        self.k = len(counts.values)
        self.case_ids = counts.ids(case_scores)
        self.control_ids = counts.ids(control_scores)

    def counts(self, case_idx: np.ndarray, control_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(chunk, k) count matrices of the resampled cases and controls."""
        return count_matrix(self.case_ids[case_idx], self.k), count_matrix(self.control_ids[control_idx], self.k)


def bootstrap(statistic: Callable[[np.ndarray, np.ndarray], np.ndarray], m: int, n: int, *, width: int,
              n_boot: int, seed, progress: bool) -> np.ndarray:
    """Replicates of ``statistic(case_idx, control_idx)`` (one value, or a row, per replicate).

    Cases and controls are resampled separately (stratified bootstrap).
    """
    check_bootstrap_size(m, n)
    n_boot = check_n_boot(n_boot)
    seeds = as_seed_sequence(seed)
    parts = [statistic(ci, ki) for ci, ki in resample_chunks(seeds, m, n, n_boot, width, progress)]
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


def percentile_interval(replicates: np.ndarray, level: float) -> tuple[float, float]:
    alpha = 1 - level
    lo, hi = np.quantile(replicates, [alpha / 2, 1 - alpha / 2])
    return float(lo), float(hi)


def bca_interval(replicates: np.ndarray, estimate: float, jack_values: np.ndarray, jack_weights: np.ndarray,
                 level: float) -> tuple[float, float]:
    """BCa interval (Efron 1987) from replicates and weighted jackknife values.

    The bias correction z0 counts replicates below the estimate, ties half (the AUC is discrete).
    """
    below = np.mean(replicates < estimate) + 0.5 * np.mean(replicates == estimate)
    if below <= 0 or below >= 1:
        return percentile_interval(replicates, level)
    z0 = stats.norm.ppf(below)
    w = jack_weights  # multiplicities: each (value, class) stands for that many leave-one-out fits
    centre = np.dot(w, jack_values) / w.sum()
    d = centre - jack_values
    denom = 6 * np.dot(w, d ** 2) ** 1.5
    accel = np.dot(w, d ** 3) / denom if denom > 0 else 0.0
    z = stats.norm.ppf([(1 - level) / 2, (1 + level) / 2])
    adjusted = stats.norm.cdf(z0 + (z0 + z) / (1 - accel * (z0 + z)))
    lo, hi = np.quantile(replicates, adjusted)
    return float(lo), float(hi)
