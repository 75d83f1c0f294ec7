"""compare_roc: seeds and streams of list comparisons, Venkatraman's tests, pairing detection."""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds


def _three_curves(n=120, seed=8):
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.5
    return [ds.roc(y, rng.normal(y * d)) for d in (1.0, 0.6, 0.2)]


def test_list_comparison_labels_show_the_seed_and_each_pair_has_its_own_documented_stream():
    curves = _three_curves()
    table = ds.compare_roc(curves, method="bootstrap", n_boot=100, seed=42, progress=False)
    methods = [t.method for t in table.tests]
    assert all("Generator" not in m for m in methods)
    assert methods[0] == "bootstrap (paired; 100 stratified replicates, seed 42, pair stream 1 of 3)"
    assert [m.endswith(f"pair stream {k} of 3)") for k, m in enumerate(methods, 1)] == [True] * 3
    # reproducible, and pair k is compare_roc(ri, rj) with child k of SeedSequence(seed)
    again = ds.compare_roc(curves, method="bootstrap", n_boot=100, seed=42, progress=False)
    assert again.tests == table.tests
    streams = np.random.SeedSequence(42).spawn(3)
    for (i, j), stream, test in zip([(0, 1), (0, 2), (1, 2)], streams, table.tests):
        alone = ds.compare_roc(curves[i], curves[j], method="bootstrap", n_boot=100, seed=stream, progress=False)
        assert (alone.statistic, alone.p_value, alone.estimate.interval) == \
            (test.statistic, test.p_value, test.estimate.interval)
    # the pairs do not share one stream
    assert len({t.statistic / (t.estimate.value or 1) for t in table.tests}) == 3


def test_seed_none_names_its_entropy_so_the_run_can_be_repeated():
    r1, r2, _ = _three_curves()
    t = ds.compare_roc(r1, r2, method="bootstrap", n_boot=50, progress=False)
    entropy = int(t.method.split("entropy ")[1].rstrip(")"))
    again = ds.compare_roc(r1, r2, method="bootstrap", n_boot=50, seed=entropy, progress=False)
    assert (again.statistic, again.p_value) == (t.statistic, t.p_value)
