"""compare_roc: seeds and streams of list comparisons, Venkatraman's tests, pairing detection."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import diagstats as ds
from diagstats.errors import DataError, OptionError
from diagstats._core import bootstrap as bootstrap_module
from diagstats.roc_analysis.venkatraman import paired_permutations, paired_statistic, unpaired_statistic


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
    t = ds.compare_roc(r1, r2, method="bootstrap", n_boot=50, seed=None, progress=False)
    entropy = int(t.method.split("entropy ")[1].rstrip(")"))
    again = ds.compare_roc(r1, r2, method="bootstrap", n_boot=50, seed=entropy, progress=False)
    assert (again.statistic, again.p_value) == (t.statistic, t.p_value)


# ---------------------------------------------------------------- Venkatraman's tests
def _misclassified(scores, is_case, k):
    """Patients misclassified when the k lowest (ties: earlier patient lower) are called negative."""
    order = np.argsort(scores, kind="stable")
    negative = np.zeros(len(scores), dtype=bool)
    negative[order[:k]] = True
    return int((negative & is_case).sum() + (~negative & ~is_case).sum())


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 4), st.integers(0, 4)), min_size=2, max_size=25))
def test_paired_e_is_the_summed_difference_in_misclassified_patients(rows):
    y = np.array([r[0] for r in rows])
    x1 = np.array([r[1] for r in rows], dtype=float)
    x2 = np.array([r[2] for r in rows], dtype=float)
    brute = sum(abs(_misclassified(x1, y, k) - _misclassified(x2, y, k)) for k in range(1, len(y)))
    assert paired_statistic(x1, x2, y) == brute


def test_paired_permutations_equal_the_naive_loop_on_the_same_draws():
    rng = np.random.default_rng(4)
    y = rng.random(30) < 0.5
    x1, x2 = np.round(rng.normal(y * 1.0), 1), np.round(rng.normal(y * 0.5), 1)
    observed, reps = paired_permutations(x1, x2, y, 70, np.random.SeedSequence(9), False)
    assert observed == paired_statistic(x1, x2, y)
    r1 = np.argsort(np.argsort(x1, kind="stable"))
    r2 = np.argsort(np.argsort(x2, kind="stable"))
    naive = []
    for child in np.random.SeedSequence(9).spawn(-(-70 // bootstrap_module.BLOCK)):
        g = np.random.default_rng(child)
        n = len(y)
        swap, j1, j2 = g.random((bootstrap_module.BLOCK, n)) < 0.5, g.random((bootstrap_module.BLOCK, n)), \
            g.random((bootstrap_module.BLOCK, n))
        for b in range(bootstrap_module.BLOCK):
            a = np.where(swap[b], r2, r1) + j1[b]   # swapped ranks, ranked again (random tie-breaks)
            c = np.where(swap[b], r1, r2) + j2[b]
            naive.append(paired_statistic(a, c, y))
    np.testing.assert_array_equal(reps, naive[:70])


def _step_integral(scores1, y1, scores2, y2, grid=200_001):
    """|e1 - e2| integrated on a fine grid of mixture quantiles (the definition, slowly)."""
    lam = (y1.sum() + y2.sum()) / (len(y1) + len(y2))
    t = (np.arange(grid) + 0.5) / grid

    def error_at(scores, y):
        thresholds = np.r_[-np.inf, np.unique(scores)]
        f1 = (scores[y][None, :] <= thresholds[:, None]).mean(axis=1)
        f0 = (scores[~y][None, :] <= thresholds[:, None]).mean(axis=1)
        mixture = lam * f1 + (1 - lam) * f0
        k = np.searchsorted(mixture, t, side="right") - 1  # largest threshold with M <= t
        return (lam * f1 + (1 - lam) * (1 - f0))[k]

    return np.abs(error_at(scores1, y1) - error_at(scores2, y2)).mean()


def test_unpaired_e_is_the_integral_of_the_error_difference_and_is_symmetric():
    rng = np.random.default_rng(6)
    y1, y2 = rng.random(40) < 0.4, rng.random(55) < 0.5
    s1, s2 = np.round(rng.normal(y1 * 1.2), 1), np.round(rng.normal(y2 * 0.6), 1)
    e = unpaired_statistic(s1, y1, s2, y2)
    assert e == pytest.approx(_step_integral(s1, y1, s2, y2), abs=2e-5)
    assert unpaired_statistic(s2, y2, s1, y1) == pytest.approx(e, abs=1e-15)
    assert unpaired_statistic(np.exp(s1), y1, 3 * s2 - 1, y2) == pytest.approx(e, abs=1e-15)  # ranks only
    assert unpaired_statistic(s1, y1, s1, y1) == 0


def test_venkatraman_on_identical_curves_and_bad_options():
    rng = np.random.default_rng(2)
    y = rng.random(80) < 0.5
    s = rng.normal(y * 1.0)
    r1, r2 = ds.roc(y, s), ds.roc(y, 2 * s + 1)
    t = ds.compare_roc(r1, r2, method="venkatraman", n_boot=200, seed=0, progress=False)
    assert t.statistic == 0 and t.p_value == 1.0
    unpaired = ds.compare_roc(r1, ds.roc(y, s), method="venkatraman", paired=False, n_boot=200, seed=0,
                              progress=False)
    assert unpaired.statistic == 0 and unpaired.p_value == 1.0
    with pytest.raises(OptionError, match="alternative='two-sided'"):
        ds.compare_roc(r1, r2, method="venkatraman", alternative="greater")
    with pytest.raises(OptionError, match="partial"):
        ds.compare_roc(r1, r2, method="venkatraman", specificity=(0.8, 1))
    with pytest.raises(OptionError, match="n_boot"):
        ds.compare_roc(r1, r2, method="venkatraman", n_boot=5)


def test_venkatraman_permutations_do_not_depend_on_the_chunk_size(monkeypatch):
    rng = np.random.default_rng(12)
    y1, y2 = rng.random(60) < 0.5, rng.random(45) < 0.5
    r1, r2 = ds.roc(y1, rng.normal(y1 * 1.0)), ds.roc(y1, rng.normal(y1 * 0.3))
    u = ds.roc(y2, rng.normal(y2 * 0.3))
    before = [ds.compare_roc(r1, r, method="venkatraman", n_boot=150, seed=4, progress=False) for r in (r2, u)]
    monkeypatch.setattr(bootstrap_module, "CHUNK_ELEMENTS", 1)
    after = [ds.compare_roc(r1, r, method="venkatraman", n_boot=150, seed=4, progress=False) for r in (r2, u)]
    assert after == before


def test_venkatraman_p_values_hold_their_size_under_the_null():
    """Same ROC curve (different scales), 150 data sets per design: rejections at 5% near 5% (sd 1.8%)."""
    rng = np.random.default_rng(21)
    p_paired, p_unpaired = [], []
    for _ in range(150):
        y = rng.random(40) < 0.5
        latent = rng.normal(y * 0.8, size=(2, 40))
        r1, r2 = ds.roc(y, latent[0]), ds.roc(y, np.exp(latent[1]))
        p_paired.append(ds.compare_roc(r1, r2, method="venkatraman", n_boot=99, seed=1, progress=False).p_value)
        y2 = rng.random(50) < 0.3
        r3 = ds.roc(y2, rng.normal(y2 * 0.8))
        p_unpaired.append(ds.compare_roc(r1, r3, method="venkatraman", n_boot=99, seed=1,
                                         progress=False).p_value)
    for p in (p_paired, p_unpaired):
        assert 0.0 <= np.mean(np.array(p) <= 0.05) <= 0.12
        assert 0.35 <= np.mean(p) <= 0.65


# ---------------------------------------------------------------- pairing detection
def _two_scores_with_missing_values(n=200, seed=3):
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.45
    s1, s2 = rng.normal(y * 1.0), rng.normal(y * 0.6)
    s1[rng.choice(n, 15, replace=False)] = np.nan
    s2[rng.choice(n, 20, replace=False)] = np.nan
    return pd.DataFrame({"y": y.astype(int), "mri": s1, "ct": s2},
                        index=[f"patient {i}" for i in rng.permutation(n)])


@pytest.mark.parametrize("method", ["delong", "bootstrap", "venkatraman"])
def test_different_omissions_give_a_paired_test_on_the_common_patients(method):
    df = _two_scores_with_missing_values()
    r1 = ds.roc(data=df, reference="y", score="mri", nan_policy="omit")
    r2 = ds.roc(data=df, reference="y", score="ct", nan_policy="omit")
    assert len(r1.reference) != len(r2.reference)  # the old rule (identical references) would say unpaired
    t = ds.compare_roc(r1, r2, method=method, n_boot=200, seed=1, progress=False)
    assert "paired" in t.method and "unpaired" not in t.method
    both = df.dropna()
    joint = [ds.roc(data=both, reference="y", score=s) for s in ("mri", "ct")]
    expected = ds.compare_roc(*joint, method=method, n_boot=200, seed=1, progress=False)
    assert (t.statistic, t.p_value, *t.estimate.interval) == pytest.approx(
        (expected.statistic, expected.p_value, *expected.estimate.interval), rel=1e-12)
    assert any(f"on the {len(both)} patients with both scores" in note for note in t.notes)
    # the same from arrays: the row positions identify the patients
    a1 = ds.roc(df["y"].to_numpy(), df["mri"].to_numpy(), nan_policy="omit")
    a2 = ds.roc(df["y"].to_numpy(), df["ct"].to_numpy(), nan_policy="omit")
    from_arrays = ds.compare_roc(a1, a2, method=method, n_boot=200, seed=1, progress=False)
    assert from_arrays.statistic == pytest.approx(expected.statistic, rel=1e-12)


def test_patients_are_matched_by_index_label_not_by_row_order():
    df = _two_scores_with_missing_values().dropna()
    r1 = ds.roc(data=df, reference="y", score="mri")
    shuffled = df.sample(frac=1.0, random_state=0)
    r2 = ds.roc(data=shuffled, reference="y", score="ct")
    t = ds.compare_roc(r1, r2)
    expected = ds.compare_roc(r1, ds.roc(data=df, reference="y", score="ct"))
    assert t.method == "DeLong (paired)" and t.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert t.notes == expected.notes


def test_independent_studies_of_the_same_size_stay_unpaired():
    a, b = _two_scores_with_missing_values(seed=1), _two_scores_with_missing_values(seed=2)
    a.index = b.index = range(len(a))  # both RangeIndex-like: labels overlap, patients do not
    r1 = ds.roc(data=a, reference="y", score="mri", nan_policy="omit")
    r2 = ds.roc(data=b, reference="y", score="mri", nan_policy="omit")
    assert ds.compare_roc(r1, r2).method == "DeLong (unpaired)"
    with pytest.raises(DataError, match="not from the same patients"):
        ds.compare_roc(r1, r2, paired=True)
    assert r1.patients.tolist() == a.dropna(subset=["mri"]).index.tolist() and r1.n_rows == len(a)


# --- issue #14 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["delong", "venkatraman"])
def test_unpaired_comparison_of_zero_variance_aucs_is_a_result_with_a_note(method):
    # before: ZeroDivisionError
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = ds.compare_roc(ds.roc([0, 0, 1, 1], [0, 0, 1, 1]), ds.roc([0, 0, 1, 1], [1, 2, 3, 4]), paired=False,
                             method=method, progress=False)
    assert res.estimate.value == 0 and res.estimate.lower == res.estimate.upper == 0
    assert "both AUCs have DeLong variance 0" in res.estimate.notes[0]
    if method == "delong":
        assert res.statistic == 0 and res.p_value == 1


@pytest.mark.parametrize("paired", [False, True])
def test_delong_with_one_case_is_nan_with_a_note(paired):
    # before: NaN and no note (unpaired); a numpy "Degrees of freedom <= 0" warning (paired)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = ds.compare_roc(ds.roc([0, 1, 0], [0.2, 0.5, 0.1]), ds.roc([0, 1, 0], [0.3, 0.1, 0.2]), paired=paired)
    assert np.isnan(res.statistic) and np.isnan(res.p_value) and np.isnan(res.estimate.lower)
    assert "needs at least 2 cases and 2 controls per curve" in res.notes[0]
    assert "roc1 has 1 case(s) and 2 control(s)" in res.estimate.notes[0]
