"""The shared bootstrap engine: seed blocks, stratified and cluster resampling, chunking, intervals."""

import numpy as np
import pytest

from diagstats._core import bootstrap as engine
from diagstats._core.bootstrap import (BLOCK, chunk_sizes, cluster_chunks, count_matrix, percentile_interval,
                                       random_chunks, resampled_counts, stratified_chunks, stratified_counts)


def _stratified(seed, sizes, n_boot, row_cost=10):
    parts = list(stratified_chunks(np.random.SeedSequence(seed), sizes, n_boot, row_cost, False))
    return [np.concatenate(arrays) for arrays in zip(*parts)]


def test_replicate_b_depends_only_on_seed_and_b(monkeypatch):
    full = _stratified(4, (7, 5), 100)
    assert [a.shape for a in full] == [(100, 7), (100, 5)]
    # fewer replicates: the same first ones
    for a, b in zip(_stratified(4, (7, 5), 45), full):
        np.testing.assert_array_equal(a, b[:45])
    # any chunk size (memory): the same replicates
    monkeypatch.setattr(engine, "CHUNK_ELEMENTS", 1)
    assert len(list(stratified_chunks(np.random.SeedSequence(4), (7, 5), 100, 10, False))) == -(-100 // BLOCK)
    for a, b in zip(_stratified(4, (7, 5), 100), full):
        np.testing.assert_array_equal(a, b)
    # block j is drawn by child j of the seed sequence
    child = np.random.default_rng(np.random.SeedSequence(4).spawn(2)[1])
    np.testing.assert_array_equal(full[0][BLOCK:2 * BLOCK], child.integers(0, 7, (BLOCK, 7)))
    # another seed: other replicates
    assert not np.array_equal(_stratified(5, (7, 5), 100)[0], full[0])


def test_stratified_resamples_stay_in_their_stratum_and_keep_its_size():
    y = np.array([0, 1, 0, 2, 1, 0, 2, 2, 2])
    counts = stratified_counts(y, 200, np.random.default_rng(1))
    for c in range(3):
        assert np.all(counts[:, y == c].sum(axis=1) == (y == c).sum())
    a, b = _stratified(0, (3, 9), 64)
    assert a.min() >= 0 and a.max() < 3 and b.max() < 9 and b.max() > 3


def test_cluster_bootstrap_keeps_clusters_whole():
    clusters = np.array([0, 0, 0, 1, 2, 2, 3, 4, 4, 4, 4])
    sizes = np.bincount(clusters)
    weights = np.vstack(list(cluster_chunks(np.random.SeedSequence(2), clusters, 300, False)))
    assert weights.shape == (300, clusters.size)
    for g in range(sizes.size):
        members = weights[:, clusters == g]
        assert np.all(members == members[:, :1])                   # a cluster is drawn whole or not at all
    drawn = weights[:, np.searchsorted(clusters, np.arange(sizes.size))]
    assert np.all(drawn.sum(axis=1) == sizes.size)                 # G clusters drawn per replicate
    np.testing.assert_array_equal(weights.sum(axis=1), drawn @ sizes)
    assert 0.2 < np.mean(drawn == 0) < 0.45                        # (1 - 1/G)^G = 0.33 of clusters left out
    again = np.vstack(list(cluster_chunks(np.random.SeedSequence(2), clusters, 100, False)))
    np.testing.assert_array_equal(again, weights[:100])


def test_random_chunks_draw_whole_blocks_and_cut_the_last():
    rows = [len(c[0]) for c in random_chunks(np.random.SeedSequence(0), 70, lambda g, r: (g.random(r),), 1, False)]
    assert sum(rows) == 70


def test_chunks_bound_memory():
    assert chunk_sizes(10, 3) == [10]
    sizes = chunk_sizes(2000, engine.CHUNK_ELEMENTS // 300)
    assert sum(sizes) == 2000 and max(sizes) == 300
    assert chunk_sizes(5, 10 * engine.CHUNK_ELEMENTS) == [1] * 5


def test_count_matrix_and_resampled_counts():
    ids = np.array([[0, 0, 2], [1, 2, 2]])
    np.testing.assert_array_equal(count_matrix(ids, 4), [[2, 0, 1, 0], [0, 1, 2, 0]])
    codes = [np.array([0, 1, 1, 0, 1]), np.array([2, 0, 1, 1, 0])]
    chunks = list(resampled_counts(codes, [2, 3], 50, np.random.default_rng(3)))
    counts = np.vstack(chunks)
    assert counts.shape == (50, 5)
    assert np.all(counts[:, :2].sum(axis=1) == 5) and np.all(counts[:, 2:].sum(axis=1) == 5)


def test_percentile_interval_ignores_undefined_replicates():
    reps = np.array([np.nan, 1.0, 2.0, 3.0, 4.0, np.nan])
    assert percentile_interval(reps, 0.5) == percentile_interval(reps[1:5], 0.5) == (1.75, 3.25)
    lo, hi = percentile_interval(np.full(5, np.nan), 0.95)
    assert np.isnan(lo) and np.isnan(hi)
    both = np.column_stack([reps, np.full(6, np.nan), np.arange(6.0)])
    lo, hi = percentile_interval(both, 0.5)
    np.testing.assert_array_equal(lo, [1.75, np.nan, 1.25])
    np.testing.assert_array_equal(hi, [3.25, np.nan, 3.75])
    assert isinstance(percentile_interval(np.arange(10.0), 0.9)[0], float)


def test_percentile_interval_equals_numpy_quantile_without_nan():
    reps = np.random.default_rng(0).normal(size=999)
    alpha = (1 - 0.95) / 2
    assert percentile_interval(reps, 0.95) == tuple(np.quantile(reps, [alpha, 1 - alpha]))


@pytest.mark.parametrize("progress", [False, True])
def test_progress_bar_does_not_change_the_draws(progress):
    a = _stratified(9, (4, 4), 40)
    b = [np.concatenate(x) for x in zip(*stratified_chunks(np.random.SeedSequence(9), (4, 4), 40, 10, progress))]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


# --- issue #14 -----------------------------------------------------------------------------------

def test_undefined_replicates_are_counted_in_a_note():
    from diagstats._core.bootstrap import undefined_replicates_note
    assert undefined_replicates_note(np.array([1.0, 2.0])) == ()
    assert undefined_replicates_note(np.array([np.nan, np.nan, 1.0])) == (
        "2 of 3 bootstrap replicates undefined (NaN) and left out of the interval",)
