"""Vectorised nonparametric bootstrap over patients, by cell counts.

Most diagnostic statistics depend on the data only through how many resampled patients fall in
each of a few cells (a threshold bin and a disease class, a tied score value and a class, ...).
:func:`resampled_counts` resamples patients with replacement for a chunk of replicates at once
(an index matrix of shape (replicates, n)) and returns, for each replicate, the count of every
cell: no Python loop over patients or replicates, and memory bounded by the chunk size.

>>> import numpy as np
>>> from diagstats._core.bootstrap import resampled_counts
>>> codes = np.array([0, 0, 1, 2])
>>> counts = np.vstack(list(resampled_counts([codes], [3], n_boot=5, rng=np.random.default_rng(0))))[:, :3]
>>> counts.shape, counts.sum(axis=1).tolist()
((5, 3), [4, 4, 4, 4, 4])
"""

from __future__ import annotations

from typing import Iterator, Sequence

import numpy as np
from tqdm.auto import tqdm

#: Resampled indices held in memory at once (replicates x patients).
CHUNK_CELLS = 4_000_000


def chunk_sizes(n_boot: int, n: int) -> list[int]:
    """Replicates per chunk, so that one chunk holds about CHUNK_CELLS indices."""
    size = max(1, min(n_boot, CHUNK_CELLS // max(n, 1)))
    full, rest = divmod(n_boot, size)
    return [size] * full + ([rest] if rest else [])


def resampled_indices(n: int, n_boot: int, rng: np.random.Generator, progress: bool = False,
                      desc: str = "bootstrap") -> Iterator[np.ndarray]:
    """Chunks of bootstrap index matrices, shape (replicates_in_chunk, n)."""
    sizes = chunk_sizes(n_boot, n)
    with tqdm(total=n_boot, desc=desc, disable=not progress, leave=False) as bar:
        for size in sizes:
            yield rng.integers(0, n, size=(size, n))
            bar.update(size)


def count_rows(idx: np.ndarray, codes: np.ndarray, n_codes: int) -> np.ndarray:
    """For each row of ``idx``, how many resampled patients have each code: shape (rows, n_codes)."""
    rows = idx.shape[0]
    flat = codes[idx] + n_codes * np.arange(rows)[:, None]
    return np.bincount(flat.ravel(), minlength=rows * n_codes).reshape(rows, n_codes)


def resampled_counts(codes: Sequence[np.ndarray], n_codes: Sequence[int], n_boot: int, rng: np.random.Generator,
                     progress: bool = False) -> Iterator[np.ndarray]:
    """Chunks of cell counts for several codings of the same resampled patients, side by side.

    Each chunk is an array of shape (replicates_in_chunk, sum(n_codes)); the columns of coding
    ``k`` start at ``sum(n_codes[:k])``. All codings share the resampled patients, so statistics
    computed from them are paired (needed for differences between strategies or models).
    """
    n = len(codes[0])
    for idx in resampled_indices(n, n_boot, rng, progress):
        yield np.hstack([count_rows(idx, c, k) for c, k in zip(codes, n_codes)])


def percentile_interval(replicates: np.ndarray, level: float, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval along ``axis``, ignoring undefined (NaN) replicates."""
    alpha = (1.0 - level) / 2.0
    with np.errstate(invalid="ignore"):
        all_nan = np.all(np.isnan(replicates), axis=axis)
        safe = np.where(np.isnan(replicates) & np.expand_dims(all_nan, axis), 0.0, replicates)
        lower, upper = np.nanquantile(safe, [alpha, 1.0 - alpha], axis=axis)
    return np.where(all_nan, np.nan, lower), np.where(all_nan, np.nan, upper)
