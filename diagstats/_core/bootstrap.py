"""The one bootstrap engine: resampling over replicates at once, in memory-bounded chunks.

Most diagnostic statistics depend on the data only through how many resampled patients fall in
each of a few cells (a threshold bin and a disease class, a tied score value and a class, ...).
The engine resamples a chunk of replicates at once (index matrices of shape (replicates, n)) and
callers turn them into per-replicate counts with :func:`count_matrix`: no Python loop over patients
or replicates, and memory bounded by :data:`CHUNK_ELEMENTS` whatever the number of replicates.

Two ways to draw the random numbers:

* **Seed blocks** (:func:`random_chunks`, :func:`stratified_chunks`, :func:`cluster_chunks`):
  replicates come in fixed blocks of :data:`BLOCK`, block ``j`` drawn by its own generator, the
  ``j``-th child of ``SeedSequence(seed).spawn(...)``. Replicate ``b`` depends only on the seed and
  on ``b``, never on the chunk size (memory) or on how many replicates follow.
* **One generator** (:func:`resampled_indices`, :func:`resampled_counts`, :func:`stratified_counts`):
  replicates drawn in sequence from a single ``numpy.random.Generator`` (for estimators whose
  resampling shares the generator with other random steps, e.g. cross-validation folds).

Resampling schemes: patients (:func:`resampled_indices`; by patterns of identical patients,
:func:`pattern_counts`), patients within strata such as disease
classes (:func:`stratified_chunks`, :func:`stratified_counts`), and whole clusters such as the
patients of a lesion-level study (:func:`cluster_chunks`). Intervals: :func:`percentile_interval`
and :func:`bca_interval`. Long runs show a ``tqdm.auto`` progress bar when ``progress=True``.

>>> import numpy as np
>>> from diagstats._core.bootstrap import resampled_counts
>>> codes = np.array([0, 0, 1, 2])
>>> counts = np.vstack(list(resampled_counts([codes], [3], n_boot=5, rng=np.random.default_rng(0))))[:, :3]
>>> counts.shape, counts.sum(axis=1).tolist()
((5, 3), [4, 4, 4, 4, 4])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np
from scipy import stats
from tqdm.auto import tqdm

#: Array elements held per chunk of replicates (about 32 MB of int64): the one memory bound of
#: every bootstrap, permutation and batched-fit loop in diagstats.
CHUNK_ELEMENTS = 4_000_000
#: Replicates drawn by one spawned generator. Fixed (never derived from memory) so that a
#: replicate's resample depends only on (seed, replicate number); a chunk holds at least one block.
BLOCK = 32


# ------------------------------------------------------------------------------------ counting

def integers(rng: np.random.Generator, high: int, shape: tuple[int, ...]) -> np.ndarray:
    """``rng.integers(0, high, shape)``, as 32-bit integers when they fit.

    For ``high <= 2**31 - 1`` numpy draws the same numbers (and leaves the generator in the same
    state) whatever the integer type; 32-bit output is about twice as fast to draw and to use.
    """
    return rng.integers(0, high, size=shape, dtype=np.int32 if high < 2**31 else np.int64)


def count_matrix(ids: np.ndarray, k: int) -> np.ndarray:
    """Row-wise counts of ``ids`` (shape (rows, r), values in [0, k)) as a (rows, k) matrix."""
    rows = ids.shape[0]
    offsets = (np.arange(rows, dtype=np.int64) * k)[:, None]
    return np.bincount((ids + offsets).ravel(), minlength=rows * k).reshape(rows, k)


def count_rows(idx: np.ndarray, codes: np.ndarray, n_codes: int) -> np.ndarray:
    """For each row of ``idx``, how many resampled patients have each code: shape (rows, n_codes)."""
    return count_matrix(codes[idx], n_codes)


# ------------------------------------------------------------------------- one generator, in sequence

def chunk_sizes(n_boot: int, n: int) -> list[int]:
    """Replicates per chunk, so that one chunk holds about :data:`CHUNK_ELEMENTS` elements of ``n``."""
    size = max(1, min(n_boot, CHUNK_ELEMENTS // max(n, 1)))
    full, rest = divmod(n_boot, size)
    return [size] * full + ([rest] if rest else [])


def resampled_indices(n: int, n_boot: int, rng: np.random.Generator, progress: bool = False,
                      desc: str = "bootstrap") -> Iterator[np.ndarray]:
    """Chunks of bootstrap index matrices, shape (replicates_in_chunk, n), drawn in sequence from ``rng``."""
    sizes = chunk_sizes(n_boot, n)
    with tqdm(total=n_boot, desc=desc, disable=not progress, leave=False) as bar:
        for size in sizes:
            yield integers(rng, n, (size, n))
            bar.update(size)


def resampled_counts(codes: Sequence[np.ndarray], n_codes: Sequence[int], n_boot: int, rng: np.random.Generator,
                     progress: bool = False) -> Iterator[np.ndarray]:
    """Chunks of cell counts for several codings of the same resampled patients, side by side.

    Each chunk is an array of shape (replicates_in_chunk, sum(n_codes)); the columns of coding
    ``k`` start at ``sum(n_codes[:k])``. All codings share the resampled patients, so statistics
    computed from them are paired (needed for differences between strategies or models). With many
    cells (e.g. threshold bins times follow-up cells of a time-to-event decision curve) a chunk of
    resamples is counted in parts of at most :data:`CHUNK_ELEMENTS` counts; the resamples, drawn as
    before, do not change.
    """
    n = len(codes[0])
    rows = max(1, CHUNK_ELEMENTS // max(sum(n_codes), 1))
    for idx in resampled_indices(n, n_boot, rng, progress):
        for start in range(0, len(idx), rows):
            yield np.hstack([count_rows(idx[start:start + rows], c, k) for c, k in zip(codes, n_codes)])


def pattern_counts(multiplicity: np.ndarray, n_boot: int, rng: np.random.Generator,
                   progress: bool = False) -> Iterator[np.ndarray]:
    """Chunks of bootstrap counts of patterns (patients with identical data), shape (chunk, patterns).

    Resampling n patients and summing within patterns gives Multinomial(n, multiplicity / n) counts;
    drawing those directly costs O(patterns) per replicate instead of O(n). Chunks are sized by
    pattern (the estimator's downstream work per replicate), drawn in sequence from ``rng``, so the
    counts do not depend on the chunk size.

    >>> counts = np.vstack(list(pattern_counts(np.array([3, 1, 2]), 4, np.random.default_rng(0))))
    >>> counts.shape, counts.sum(axis=1).tolist()
    ((4, 3), [6, 6, 6, 6])
    """
    n = int(multiplicity.sum())
    with tqdm(total=n_boot, desc="bootstrap", disable=not progress, leave=False) as bar:
        for size in chunk_sizes(n_boot, len(multiplicity)):
            yield rng.multinomial(n, multiplicity / n, size=size)
            bar.update(size)


def stratified_counts(strata: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """How often each patient is drawn, (n_boot, n), resampling within each stratum (codes 0..S-1).

    Every replicate keeps the size of every stratum. Strata are drawn in order from ``rng``.

    >>> counts = stratified_counts(np.array([0, 0, 1, 1, 1]), 4, np.random.default_rng(0))
    >>> counts[:, :2].sum(axis=1).tolist(), counts[:, 2:].sum(axis=1).tolist()
    ([2, 2, 2, 2], [3, 3, 3, 3])
    """
    counts = np.zeros((n_boot, strata.size), dtype=np.int64)
    everyone = np.arange(strata.size)
    for c in range(int(strata.max()) + 1):
        members = np.flatnonzero(strata == c)
        counts += count_rows(members[integers(rng, members.size, (n_boot, members.size))], everyone,
                             strata.size)
    return counts


# ------------------------------------------------------------------------------------ seed blocks

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


def stratified_chunks(seeds: np.random.SeedSequence, sizes: Sequence[int], n_boot: int, row_cost: int,
                      progress: bool) -> Iterator[tuple[np.ndarray, ...]]:
    """Yield one index matrix per stratum, shapes (chunk, sizes[s]): stratified resamples in seed blocks.

    Stratum ``s`` is resampled with replacement within itself (indices in [0, sizes[s])), so every
    replicate keeps the size of every stratum. ``row_cost``: elements one replicate needs downstream.

    >>> a, b = next(stratified_chunks(np.random.SeedSequence(0), [3, 5], 40, 8, False))
    >>> a.shape, b.shape, int(a.max()) < 3, int(b.max()) < 5
    ((40, 3), (40, 5), True, True)
    """
    sizes = [int(s) for s in sizes]

    def draw(rng, rows):
        return tuple(integers(rng, s, (rows, s)) for s in sizes)

    return random_chunks(seeds, n_boot, draw, row_cost, progress)


def cluster_chunks(seeds: np.random.SeedSequence, clusters: np.ndarray, n_boot: int, progress: bool,
                   row_cost: int | None = None) -> Iterator[np.ndarray]:
    """Yield unit multiplicities (chunk, n_units) of a cluster bootstrap, in seed blocks.

    ``clusters`` gives each unit's cluster as a code 0..G-1 (e.g. each lesion's patient). A
    replicate draws G clusters with replacement and keeps each drawn cluster whole: a unit's
    multiplicity is the number of times its cluster was drawn, the same for all units of a cluster.

    >>> w = next(cluster_chunks(np.random.SeedSequence(0), np.array([0, 0, 1, 2, 2, 2]), 50, False))
    >>> w.shape, bool(np.all(w[:, 0] == w[:, 1])), bool(np.all(w[:, 3:] == w[:, [3]]))
    ((50, 6), True, True)
    """
    clusters = np.asarray(clusters)
    g = int(clusters.max()) + 1

    def draw(rng, rows):
        return (integers(rng, g, (rows, g)),)

    cost = g + 2 * clusters.size if row_cost is None else row_cost
    for (drawn,) in random_chunks(seeds, n_boot, draw, cost, progress):
        yield count_matrix(drawn, g)[:, clusters]


# ------------------------------------------------------------------------------------ intervals

def percentile_interval(replicates: np.ndarray, level: float, axis: int = 0):
    """Percentile bootstrap interval along ``axis``.

    Undefined (NaN) replicates are ignored (say how many with :func:`undefined_replicates_note`); where
    every replicate is undefined the bounds are NaN. 1-d replicates give two floats, otherwise two arrays.

    >>> percentile_interval(np.array([np.nan, 1.0, 2.0, 3.0]), 0.5)
    (1.5, 2.5)
    """
    replicates = np.asarray(replicates, dtype=float)
    alpha = (1.0 - level) / 2.0
    with np.errstate(invalid="ignore"):
        all_nan = np.all(np.isnan(replicates), axis=axis)
        safe = np.where(np.isnan(replicates) & np.expand_dims(all_nan, axis), 0.0, replicates)
        lower, upper = np.nanquantile(safe, [alpha, 1.0 - alpha], axis=axis)
    lower, upper = np.where(all_nan, np.nan, lower), np.where(all_nan, np.nan, upper)
    if lower.ndim == 0:
        return float(lower), float(upper)
    return lower, upper


def undefined_replicates_note(replicates: np.ndarray) -> tuple[str, ...]:
    """A note saying how many replicates were undefined (NaN), which :func:`percentile_interval` leaves out.

    >>> undefined_replicates_note(np.array([np.nan, 1.0, 2.0, 3.0]))
    ('1 of 4 bootstrap replicates undefined (NaN) and left out of the interval',)
    """
    replicates = np.asarray(replicates, dtype=float)
    k = int(np.isnan(replicates).sum())
    return (f"{k} of {replicates.size} bootstrap replicates undefined (NaN) and left out of the interval",) if k else ()


def outside_interval_note(name: str, value: float, lower: float, upper: float, method: str,
                          why: str = "") -> tuple[str, ...]:
    """A note when a percentile interval misses its own estimate (it is not built around it), else nothing.

    The wording is the one every estimate of the package uses for this case ("... which is not built around
    the ... estimate: here the estimate V lies outside it"), so that readers and the fuzz suite recognise it.

    >>> outside_interval_note("specificity", 0.56, 0.57, 0.73, "parametric bootstrap percentile")[0][:62]
    'specificity interval by parametric bootstrap percentile, which'
    >>> outside_interval_note("specificity", 0.6, 0.57, 0.73, "parametric bootstrap percentile")
    ()
    """
    if not (np.isfinite(lower) and np.isfinite(upper)) or lower <= value <= upper:
        return ()
    return (f"{name} interval by {method}, which is not built around the {name} estimate: here the estimate "
            f"{value:.4g} lies outside it{f' ({why})' if why else ''}",)


def bca_interval(replicates: np.ndarray, estimate: float, jack_values: np.ndarray, jack_weights: np.ndarray,
                 level: float) -> tuple[float, float]:
    """BCa interval (Efron 1987) from replicates and weighted jackknife values.

    The bias correction z0 counts replicates below the estimate, ties half (for discrete statistics
    such as the AUC); ``jack_weights`` are multiplicities (each jackknife value stands for that many
    leave-one-out fits). Falls back to the percentile interval when every replicate is on one side.
    """
    below = np.mean(replicates < estimate) + 0.5 * np.mean(replicates == estimate)
    if below <= 0 or below >= 1:
        return percentile_interval(replicates, level)
    z0 = stats.norm.ppf(below)
    w = jack_weights
    centre = np.dot(w, jack_values) / w.sum()
    d = centre - jack_values
    denom = 6 * np.dot(w, d ** 2) ** 1.5
    accel = np.dot(w, d ** 3) / denom if denom > 0 else 0.0
    z = stats.norm.ppf([(1 - level) / 2, (1 + level) / 2])
    adjusted = stats.norm.cdf(z0 + (z0 + z) / (1 - accel * (z0 + z)))
    lo, hi = np.quantile(replicates, adjusted)
    return float(lo), float(hi)
