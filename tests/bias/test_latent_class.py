"""ds.latent_class: EM for >= 3 tests and the Hui & Walter (1980) two-test two-population model."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds
from diagstats.bias.latent_classes import _em, _expected, _orient


def patterns(k):
    return ((np.arange(2**k)[:, None] >> np.arange(k)[::-1]) & 1).astype(float)


def simulate(n, prev, accuracy, seed, dependent=None):
    rng = np.random.default_rng(seed)
    prev = np.broadcast_to(prev, n)
    d = rng.random(n) < prev
    out = {name: np.where(d, rng.random(n) < se, rng.random(n) > sp).astype(int)
           for name, (se, sp) in accuracy.items()}
    if dependent:  # the second test copies the first's result in a share of patients
        a, b, share = dependent
        copy = rng.random(n) < share
        out[b] = np.where(copy, out[a], out[b])
    return pd.DataFrame(out)


def fit_expected(k, se, sp, prev):
    """EM on exact expected pattern frequencies (non-integer counts), from a neutral start."""
    P = patterns(k)
    counts = _expected(P, np.array(se), np.array(sp), np.array(prev)) * 1e6
    fit = _em(P, counts[None], np.full((1, k), 0.7), np.full((1, k), 0.7), np.full((1, len(prev)), 0.5),
              max_iter=100_000, tol=1e-13)
    se_hat, sp_hat, prev_hat, _ = _orient(fit["se"], fit["sp"], fit["prev"])
    return se_hat[0], sp_hat[0], prev_hat[0], fit


def test_hui_walter_recovers_the_parameters_from_exact_frequencies():
    """Two tests, two populations, six parameters for six frequencies: the ML solution is the unique
    moment solution of Hui & Walter (1980), so exact frequencies must give back the parameters."""
    se, sp, prev, fit = fit_expected(2, [0.9, 0.75], [0.85, 0.95], [0.15, 0.6])
    assert fit["converged"][0]
    np.testing.assert_allclose(se, [0.9, 0.75], atol=1e-6)
    np.testing.assert_allclose(sp, [0.85, 0.95], atol=1e-6)
    np.testing.assert_allclose(prev, [0.15, 0.6], atol=1e-6)


def test_three_tests_recover_the_parameters_from_exact_frequencies():
    se, sp, prev, _ = fit_expected(3, [0.9, 0.8, 0.7], [0.8, 0.9, 0.95], [0.35])
    np.testing.assert_allclose(se, [0.9, 0.8, 0.7], atol=1e-6)
    np.testing.assert_allclose(sp, [0.8, 0.9, 0.95], atol=1e-6)
    np.testing.assert_allclose(prev, [0.35], atol=1e-6)


def test_four_tests_on_seeded_data_fit_well_and_cover_the_truth():
    truth = {"mri": (0.9, 0.85), "ct": (0.8, 0.9), "pet": (0.85, 0.95), "xray": (0.6, 0.9)}
    df = simulate(5000, 0.3, truth, seed=3)
    res = ds.latent_class(df, tests=list(truth), n_boot=300)
    assert res.converged and res.df == 2**4 - 1 - 9 and res.n_parameters == 9
    assert res.goodness_of_fit.p_value > 0.01 and res.goodness_of_fit.df == 6
    # seeded data: each estimate within sampling error of the truth (coverage itself is left to the
    # simulation study through ds.simulate.study)
    assert res.prevalence["all"].value == pytest.approx(0.3, abs=0.03)
    for name, (se, sp) in truth.items():
        assert res.sensitivity[name].value == pytest.approx(se, abs=0.04)
        assert res.specificity[name].value == pytest.approx(sp, abs=0.03)
        assert res.sensitivity[name].lower < res.sensitivity[name].value < res.sensitivity[name].upper
    assert not res.dependence["flag"].any()
    assert res.n_starts_at_best >= 10


def test_hui_walter_on_seeded_data():
    rng = np.random.default_rng(4)
    pop = rng.integers(0, 2, 6000)
    df = simulate(6000, np.where(pop == 1, 0.6, 0.15), {"mantoux": (0.9, 0.97), "tine": (0.85, 0.9)}, seed=5)
    df["centre"] = np.where(pop == 1, "sanatorium", "school")
    res = ds.latent_class(df, tests=["mantoux", "tine"], populations="centre", n_boot=300)
    assert res.df == 0 and res.goodness_of_fit is None
    assert res.prevalence["sanatorium"].value == pytest.approx(0.6, abs=0.04)
    assert res.prevalence["school"].value == pytest.approx(0.15, abs=0.04)
    assert res.sensitivity["mantoux"].value == pytest.approx(0.9, abs=0.04)
    assert res.specificity["tine"].value == pytest.approx(0.9, abs=0.03)
    assert "Hui-Walter" in res.title and any("just identified" in n for n in res.notes)


def test_conditional_dependence_is_flagged():
    """Two tests that share half their results violate conditional independence. The model partly
    absorbs a strongly dependent pair into the latent class, so the residual may show up on another
    pair: assert that the misfit is detected (G2 and at least one flagged pair), not where."""
    truth = {"mri": (0.85, 0.85), "ct": (0.8, 0.9), "pet": (0.85, 0.95), "xray": (0.7, 0.9)}
    df = simulate(5000, 0.4, truth, seed=6, dependent=("mri", "ct", 0.5))
    res = ds.latent_class(df, tests=list(truth), n_boot=50)
    assert res.dependence["flag"].any() and res.goodness_of_fit.p_value < 0.01
    assert any("residual dependence" in n for n in res.notes)


def test_label_switching_is_resolved_towards_better_than_chance_tests():
    se = np.array([[0.1, 0.2, 0.15], [0.9, 0.8, 0.85]])
    sp = np.array([[0.2, 0.1, 0.3], [0.8, 0.9, 0.7]])
    prev = np.array([[0.7], [0.3]])
    se2, sp2, prev2, swapped = _orient(se, sp, prev)
    assert swapped.tolist() == [True, False]
    np.testing.assert_allclose(se2[0], [0.8, 0.9, 0.7])
    np.testing.assert_allclose(sp2[0], [0.9, 0.8, 0.85])
    np.testing.assert_allclose(prev2[:, 0], [0.3, 0.3])


def test_same_seed_same_numbers():
    df = simulate(800, 0.3, {"a": (0.9, 0.8), "b": (0.8, 0.9), "c": (0.7, 0.95)}, seed=7)
    a = ds.latent_class(df, tests=["a", "b", "c"], n_boot=100, seed=1)
    b = ds.latent_class(df, tests=["a", "b", "c"], n_boot=100, seed=1)
    c = ds.latent_class(df, tests=["a", "b", "c"], n_boot=100, seed=2)
    assert a.to_frame().equals(b.to_frame())
    assert not a.to_frame()["lower"].equals(c.to_frame()["lower"])


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_em_likelihood_is_at_least_that_of_the_true_parameters(seed):
    truth = {"a": (0.9, 0.8), "b": (0.75, 0.9), "c": (0.8, 0.85)}
    df = simulate(300, 0.4, truth, seed=seed)
    res = ds.latent_class(df, tests=list(truth), n_boot=20, n_starts=10)
    P = patterns(3)
    counts = np.bincount(df.to_numpy() @ np.array([4, 2, 1]), minlength=8)
    probs = _expected(P, np.array([0.9, 0.75, 0.8]), np.array([0.8, 0.9, 0.85]), np.array([0.4]))[0]
    assert res.log_likelihood >= np.sum(counts * np.log(probs)) - 1e-6


# ------------------------------------------------------------------------------------ bad input

def test_two_tests_without_two_populations_are_refused_with_the_reason():
    df = simulate(200, 0.3, {"a": (0.9, 0.8), "b": (0.8, 0.9)}, seed=1)
    with pytest.raises(ds.DataError, match="3 independent frequencies for 5 parameters"):
        ds.latent_class(df, tests=["a", "b"])
    df["pop"] = 1
    with pytest.raises(ds.DataError, match="single population"):
        ds.latent_class(df, tests=["a", "b"], populations="pop")


def test_one_test_is_refused():
    df = simulate(200, 0.3, {"a": (0.9, 0.8)}, seed=1)
    df["pop"] = np.arange(200) % 2
    with pytest.raises(ds.DataError, match="at least two tests"):
        ds.latent_class(df, tests=["a"], populations="pop")


def test_a_test_with_identical_results_is_refused():
    df = simulate(200, 0.3, {"a": (0.9, 0.8), "b": (0.8, 0.9), "c": (0.8, 0.9)}, seed=1)
    df["c"] = 1
    with pytest.raises(ds.DataError, match="test 'c' has the same result \\(positive\\) for every patient"):
        ds.latent_class(df, tests=["a", "b", "c"])


def test_other_bad_input():
    df = simulate(200, 0.3, {"a": (0.9, 0.8), "b": (0.8, 0.9), "c": (0.8, 0.9)}, seed=1)
    with pytest.raises(ds.ColumnError):
        ds.latent_class(df, tests=["a", "b", "d"])
    with pytest.raises(ds.OptionError, match="list of column names"):
        ds.latent_class(df, tests="abc")
    with pytest.raises(ds.OptionError, match="n_starts"):
        ds.latent_class(df, tests=["a", "b", "c"], n_starts=0)
    bad = df.assign(c=df["c"] * 2 + df["a"])
    with pytest.raises(ds.DataError, match="distinct values"):
        ds.latent_class(bad, tests=["a", "b", "c"])


# --- issue #14 -----------------------------------------------------------------------------------

def test_empty_tests_empty_frame_and_bad_tol_are_refused_by_name():
    df = pd.DataFrame({"a": [0, 1, 1, 0] * 10, "b": [0, 1, 0, 0] * 10, "c": [1, 1, 0, 0] * 10})
    # before: StopIteration
    with pytest.raises(ds.DiagstatsError, match=r"tests names 0 column\(s\)"):
        ds.latent_class(df, tests=[])
    # before: IndexError
    with pytest.raises(ds.DiagstatsError, match=r"data has no patient with every test result \(0 rows"):
        ds.latent_class(df.iloc[:0], tests=["a", "b", "c"])
    with pytest.raises(ds.DiagstatsError, match=r"tol=-1 must be a finite number greater than 0"):
        ds.latent_class(df, tests=["a", "b", "c"], tol=-1)
