"""ds.correct_verification: bias removal on seeded synthetic data, internal identities, bad input."""

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds
from diagstats._core.logistic import fit_logistic_weighted
from diagstats.bias.verification import _ebg_estimates, _ipw_estimates, _patterns


def cohort(n=40_000, seed=1, sens=0.8, spec=0.9, prev=0.3, covariate_effect=0.0):
    """Disease, a test with known accuracy, and verification that depends on the test (and on x)."""
    rng = np.random.default_rng(seed)
    x = rng.random(n) < 0.5
    d = rng.random(n) < prev + 0.1 * x
    t = np.where(d, rng.random(n) < sens, rng.random(n) > spec)
    # logit-linear in t and x, as the verification model assumes (and so is logit P(D | t, x))
    p_verify = 1 / (1 + np.exp(-(-1.4 + 3.6 * t - covariate_effect * x)))
    v = rng.random(n) < p_verify
    return pd.DataFrame({"t": t.astype(int), "x": x.astype(int), "d": np.where(v, d.astype(float), np.nan),
                         "v": v.astype(int), "d_all": d.astype(int)})


def test_begg_greenes_removes_the_verification_bias_of_the_naive_estimate():
    df = cohort()
    truth = ds.accuracy(data=df, test="t", reference="d_all")
    res = ds.correct_verification(df, test="t", reference="d")
    assert res.naive.sensitivity.value > truth.sensitivity.value + 0.1  # the bias is real
    assert res.sensitivity.value == pytest.approx(truth.sensitivity.value, abs=0.015)
    assert res.specificity.value == pytest.approx(truth.specificity.value, abs=0.01)
    assert res.sensitivity.contains(0.8) and res.specificity.contains(0.9)


@pytest.mark.parametrize("method", ["ipw", "extended_begg_greenes", "multiple_imputation"])
def test_covariate_methods_remove_bias_when_verification_depends_on_a_covariate(method):
    df = cohort(n=20_000, seed=2, covariate_effect=2.0)
    truth = ds.accuracy(data=df, test="t", reference="d_all")
    res = ds.correct_verification(df, test="t", reference="d", method=method, covariates=["x"], n_boot=200,
                                  n_imputations=20)
    assert res.sensitivity.value == pytest.approx(truth.sensitivity.value, abs=0.02)
    assert res.specificity.value == pytest.approx(truth.specificity.value, abs=0.01)
    assert res.sensitivity.lower < res.sensitivity.value < res.sensitivity.upper


def test_verified_column_gives_the_same_answer_as_missing_reference():
    df = cohort(n=2000)
    a = ds.correct_verification(df, test="t", reference="d")
    b = ds.correct_verification(df.assign(d=df["d_all"]), test="t", reference="d", verified="v")
    assert a.sensitivity == b.sensitivity and a.naive.tp == b.naive.tp


def test_ipw_reports_weights_and_flags_extreme_ones():
    df = cohort(n=3000, seed=3)
    df.loc[(df.t == 0) & (df.v == 1), "v"] = 0
    df.loc[df.index[(df.t == 0)][:4], "v"] = 1  # 4 of ~2000 test negatives verified: tiny probability
    df["d"] = np.where(df.v == 1, df.d_all, np.nan)
    res = ds.correct_verification(df, test="t", reference="d", method="ipw", n_boot=50)
    assert res.weights.shape == (3000,) and np.all(res.weights[df.v.to_numpy() == 0] == 0)
    assert res.weights.max() > 20
    assert any("verification probability below" in n for n in res.notes)


def test_bootstrap_and_imputation_are_reproducible_with_a_seed():
    df = cohort(n=1500, seed=4)
    for method in ("ipw", "multiple_imputation"):
        a = ds.correct_verification(df, test="t", reference="d", method=method, covariates=["x"], seed=7,
                                    n_boot=100, n_imputations=10)
        b = ds.correct_verification(df, test="t", reference="d", method=method, covariates=["x"], seed=7,
                                    n_boot=100, n_imputations=10)
        c = ds.correct_verification(df, test="t", reference="d", method=method, covariates=["x"], seed=8,
                                    n_boot=100, n_imputations=10)
        assert a.to_frame().equals(b.to_frame())
        assert not a.to_frame().equals(c.to_frame())


def test_batched_logistic_matches_statsmodels():
    rng = np.random.default_rng(5)
    X = np.column_stack([np.ones(300), rng.normal(size=(300, 2))])
    y = (rng.random(300) < 0.4).astype(float)
    counts = rng.multinomial(300, np.full(300, 1 / 300), size=3).astype(float)
    beta, converged = fit_logistic_weighted(X, y, counts)
    assert converged.all()
    for b in range(3):
        fit = sm.GLM(y, X, family=sm.families.Binomial(), freq_weights=counts[b]).fit()
        np.testing.assert_allclose(beta[b], fit.params, rtol=1e-8)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 40), min_size=4, max_size=4), st.integers(0, 30), st.integers(0, 30))
def test_begg_greenes_equals_full_imputation_without_covariates(cells, unverified_pos, unverified_neg):
    tp, fp, fn, tn = cells
    t = [1] * (tp + fp + unverified_pos) + [0] * (fn + tn + unverified_neg)
    d = [1] * tp + [0] * fp + [None] * unverified_pos + [1] * fn + [0] * tn + [None] * unverified_neg
    df = pd.DataFrame({"t": t, "d": d})
    bg = ds.correct_verification(df, test="t", reference="d")
    ebg = ds.correct_verification(df, test="t", reference="d", method="ebg", n_boot=50)
    for m in ("sensitivity", "specificity", "ppv", "npv", "prevalence"):
        assert getattr(bg, m).value == pytest.approx(getattr(ebg, m).value, rel=1e-7)
        assert 0 <= getattr(bg, m).lower <= getattr(bg, m).value <= getattr(bg, m).upper <= 1


def test_result_frame_has_both_analyses_and_fixed_columns():
    res = ds.correct_verification(cohort(n=500), test="t", reference="d")
    frame = res.to_frame()
    assert list(frame.columns) == ["analysis", "measure", "value", "lower", "upper", "level", "method", "notes"]
    assert set(frame["analysis"]) == {"corrected", "complete case"}
    assert "Begg & Greenes" in str(res) and "<table" in res._repr_html_()
    assert res.to_dict()["rows"][0]["measure"] == "sensitivity"


# ------------------------------------------------------------------------------------ bad input

def test_no_verified_patient_is_a_clear_error():
    df = pd.DataFrame({"t": [0, 1, 1, 0], "d": [np.nan] * 4})
    with pytest.raises(ds.DataError, match="no patient is verified"):
        ds.correct_verification(df, test="t", reference="d")


def test_non_binary_verification_indicator_is_a_clear_error():
    df = pd.DataFrame({"t": [0, 1, 1, 0], "d": [0, 1, 1, 0], "v": [0, 1, 2, 1]})
    with pytest.raises(ds.DataError, match="verified='v' must be a binary indicator"):
        ds.correct_verification(df, test="t", reference="d", verified="v")


def test_verified_patient_without_reference_is_a_clear_error():
    df = pd.DataFrame({"t": [0, 1, 1, 0], "d": [0, 1, None, 0], "v": [1, 1, 1, 0]})
    with pytest.raises(ds.DataError, match="reference is missing for 1 patients marked as verified"):
        ds.correct_verification(df, test="t", reference="d", verified="v")


def test_a_test_group_never_verified_is_a_clear_error():
    df = pd.DataFrame({"t": [0, 0, 1, 1], "d": [None, None, 1, 0]})
    with pytest.raises(ds.DataError, match="no test-negative patient is verified"):
        ds.correct_verification(df, test="t", reference="d")


def test_options_are_checked():
    df = cohort(n=200)
    with pytest.raises(ds.OptionError, match="method="):
        ds.correct_verification(df, test="t", reference="d", method="begg")
    with pytest.raises(ds.OptionError, match="takes no covariates"):
        ds.correct_verification(df, test="t", reference="d", covariates=["x"])
    with pytest.raises(ds.OptionError, match="n_boot"):
        ds.correct_verification(df, test="t", reference="d", method="ipw", n_boot=3)
    with pytest.raises(ds.ColumnError, match="covariates='age'"):
        ds.correct_verification(df, test="t", reference="d", method="ipw", covariates=["age"])
    with pytest.raises(ds.OptionError, match="applies to method='ipw' only"):
        ds.correct_verification(df, test="t", reference="d", predictive_values="disease_model")
    with pytest.raises(ds.OptionError, match="predictive_values="):
        ds.correct_verification(df, test="t", reference="d", method="ipw", predictive_values="bayes")


def test_ipw_in_the_disease_model_convention_has_bootstrap_intervals_and_says_so():
    df = cohort(n=20_000, seed=2, covariate_effect=2.0)
    truth = ds.accuracy(data=df, test="t", reference="d_all")
    res = ds.correct_verification(df, test="t", reference="d", method="ipw", covariates=["x"], n_boot=200,
                                  predictive_values="disease_model")
    for measure in ("sensitivity", "specificity", "ppv", "npv"):
        est = getattr(res, measure)
        assert est.lower < est.value < est.upper and "bootstrap" in est.method
        assert est.value == pytest.approx(getattr(truth, measure).value, abs=0.025)
    assert any("PVBcorrect's convention" in note for note in res.notes)


@pytest.mark.parametrize("estimator", [_ipw_estimates, _ebg_estimates])
def test_bootstrap_on_patterns_equals_the_patient_level_resample(estimator):
    # A patient-level resample summed within patterns of identical data gives the same estimates.
    df = cohort(n=3000, seed=6, covariate_effect=1.0)
    t, x, v = df["t"].to_numpy(bool), df["x"].to_numpy(float), df["v"].to_numpy(bool)
    d = np.where(v, df["d_all"], 0).astype(bool)
    X = np.column_stack([np.ones(len(t)), t, x])
    Xp, tp, dp, vp, multiplicity = _patterns(X, t, d, v)
    assert len(tp) == 12 and multiplicity.sum() == len(t)  # (t, x) x (unverified, verified D+, verified D-)
    counts = np.random.default_rng(0).multinomial(len(t), np.full(len(t), 1 / len(t)), size=5).astype(float)
    member = np.all(np.column_stack([X, t, d, v])[:, None, :] == np.column_stack([Xp, tp, dp, vp])[None], axis=2)
    np.testing.assert_allclose(estimator(Xp, tp, dp, vp, counts @ member), estimator(X, t, d, v, counts),
                               rtol=1e-9)


def test_begg_greenes_with_no_verified_diseased_test_negative_gives_an_estimate_and_a_note():
    # Happens in simulation replicates with few verified test negatives: valid data, no Wald interval.
    df = pd.DataFrame({"t": [1] * 30 + [0] * 70, "d": [1] * 25 + [0] * 5 + [0] * 10 + [None] * 60})
    res = ds.correct_verification(df, test="t", reference="d")
    assert res.sensitivity.value == 1.0 and np.isnan(res.sensitivity.lower)
    assert any("sensitivity: no interval" in note for note in res.notes)
    assert 0 < res.specificity.lower < res.specificity.value < res.specificity.upper < 1


def test_firth_fit_maximises_the_jeffreys_penalised_likelihood():
    # Firth (1993): the estimate maximises l(beta) + log|I(beta)| / 2; check with a generic optimiser.
    from scipy.optimize import minimize
    from scipy.special import expit

    from diagstats._core.logistic import fit_logistic_firth

    rng = np.random.default_rng(3)
    X = np.column_stack([np.ones(80), rng.random(80) < 0.4, rng.normal(size=80)])
    y = (rng.random(80) < expit(-0.5 + 1.5 * X[:, 1] + 0.8 * X[:, 2])).astype(float)

    def penalised(beta):
        mu = expit(X @ beta)
        info = X.T @ ((mu * (1 - mu))[:, None] * X)
        return -(np.sum(y * np.log(mu) + (1 - y) * np.log1p(-mu)) + 0.5 * np.linalg.slogdet(info)[1])

    beta, cov = fit_logistic_firth(X, y)
    best = minimize(penalised, np.zeros(3), method="BFGS", options={"gtol": 1e-10})
    np.testing.assert_allclose(beta, best.x, atol=1e-5)
    # shrinks towards zero relative to maximum likelihood, and its covariance is the inverse information
    ml = sm.GLM(y, X, family=sm.families.Binomial()).fit()
    assert np.all(np.abs(beta[1:]) < np.abs(ml.params[1:]))
    mu = expit(X @ beta)
    np.testing.assert_allclose(cov, np.linalg.inv(X.T @ ((mu * (1 - mu))[:, None] * X)), rtol=1e-10)


@given(st.integers(0, 30), st.integers(1, 30), st.integers(0, 30), st.integers(1, 30))
@settings(max_examples=40, deadline=None)
def test_firth_fit_with_one_binary_predictor_adds_a_half_to_each_cell(y0, n0, y1, n1):
    from scipy.special import expit

    from diagstats._core.logistic import fit_logistic_firth

    y0, y1 = min(y0, n0), min(y1, n1)
    X = np.column_stack([np.ones(n0 + n1), np.r_[np.zeros(n0), np.ones(n1)]])
    y = np.r_[np.arange(n0) < y0, np.arange(n1) < y1].astype(float)
    beta, _ = fit_logistic_firth(X, y)
    np.testing.assert_allclose(expit([beta[0], beta[0] + beta[1]]), [(y0 + 0.5) / (n0 + 1), (y1 + 0.5) / (n1 + 1)],
                               rtol=1e-8)


def test_multiple_imputation_stays_stable_when_no_verified_test_negative_is_diseased():
    # The maximum-likelihood disease model diverges here (P(D | T-) = 0 among the verified); drawing
    # imputation coefficients around it made the imputations arbitrary (sensitivity near 0.66, interval
    # 0 to 1). Drawn around Firth's fit (Jeffreys prior) the answer lies near Begg-Greenes, with a note.
    df = pd.DataFrame({"t": [1] * 60 + [0] * 140,
                       "d": [1] * 40 + [0] * 10 + [None] * 10 + [0] * 40 + [None] * 100})
    bg = ds.correct_verification(df, test="t", reference="d")
    mi = ds.correct_verification(df, test="t", reference="d", method="multiple_imputation", n_imputations=100)
    assert bg.sensitivity.value == 1.0
    assert 0.9 < mi.sensitivity.value < 1.0 and mi.sensitivity.lower > 0.75
    assert mi.specificity.value == pytest.approx(bg.specificity.value, abs=0.01)
    assert mi.specificity.upper - mi.specificity.lower < 0.15
    assert any("separate the disease model" in note for note in mi.notes)
    regular = ds.correct_verification(cohort(n=2000), test="t", reference="d", method="multiple_imputation")
    assert not any("separate" in note for note in regular.notes)


# --- issue #14 -----------------------------------------------------------------------------------

def test_a_list_where_one_column_is_expected_is_refused_by_name():
    # before: TypeError "unhashable type: 'list'"
    df = pd.DataFrame({"mri": [0, 1] * 10, "biopsy": [0, 1, np.nan, 1] * 5})
    with pytest.raises(ds.DiagstatsError, match=r"test=\['mri'\] must be the name of one column of data"):
        ds.correct_verification(df, test=["mri"], reference="biopsy")


def _site_data():
    rng = np.random.default_rng(0)
    n = 200
    df = pd.DataFrame({"mri": rng.integers(0, 2, n), "site": rng.choice(["a", "b", "c"], n)})
    d = rng.random(n) < 0.3 + 0.4 * df.mri
    df["biopsy"] = np.where(rng.random(n) < 0.3 + 0.5 * df.mri, d.astype(float), np.nan)
    return df


@pytest.mark.parametrize("method", ["ipw", "multiple_imputation"])
def test_an_unused_category_of_a_covariate_gives_no_singular_matrix_warning(method):
    # before: statsmodels' SingularMatrixWarning (ipw), and a LinAlgError (multiple imputation)
    df = _site_data()
    df["site"] = pd.Categorical(df["site"], categories=["a", "b", "c", "unused"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = ds.correct_verification(df, test="mri", reference="biopsy", covariates=["site"], method=method,
                                      n_boot=50, progress=False)
    plain = ds.correct_verification(df.assign(site=df["site"].astype(str)), test="mri", reference="biopsy",
                                    covariates=["site"], method=method, n_boot=50, progress=False)
    assert res.sensitivity.value == pytest.approx(plain.sensitivity.value)


def test_a_covariate_category_without_verified_patients_is_refused():
    # before: SingularMatrixWarning and an answer that silently ignored that category
    df = _site_data()
    df.loc[df["site"] == "c", "biopsy"] = np.nan
    for method in ("ipw", "extended_begg_greenes", "multiple_imputation"):
        with pytest.raises(ds.DiagstatsError, match=r"covariates=\['site'\] .* no verified patient has site_c"):
            ds.correct_verification(df, test="mri", reference="biopsy", covariates=["site"], method=method,
                                    n_boot=50, progress=False)


def test_separation_is_a_note_not_a_statsmodels_warning():
    n = 60
    y = np.r_[np.zeros(30), np.ones(30)].astype(int)
    sep = y * 5.0 + np.random.default_rng(0).random(n)
    df = pd.DataFrame({"t": y, "r": np.where(np.arange(n) % 3, y, np.nan), "age": sep})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # before: PerfectSeparationWarning
        res = ds.correct_verification(df, test="t", reference="r", covariates=["age"], method="multiple_imputation",
                                      progress=False)
        assert any("separate the disease model" in note for note in res.notes)
        age = np.arange(n) % 7 + (np.arange(n) < 40) * 10.0
        ipw = ds.correct_verification(pd.DataFrame({"t": y, "r": np.where(np.arange(n) < 40, y, np.nan), "age": age}),
                                      test="t", reference="r", covariates=["age"], method="ipw", n_boot=20,
                                      progress=False)
    assert any("verification model separates verified from unverified" in note for note in ipw.notes)


@pytest.mark.parametrize("method", ["ipw", "extended_begg_greenes", "multiple_imputation"])
def test_a_covariate_in_huge_units_gives_the_same_answer_without_warnings(method):
    # before: "overflow encountered in matmul" and a SingularMatrixWarning (or a LinAlgError)
    df = _site_data()
    df["age"] = np.random.default_rng(3).normal(size=len(df))
    kwargs = dict(test="mri", reference="biopsy", covariates=["age"], method=method, n_boot=50, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        huge = ds.correct_verification(df.assign(age=df["age"] * 1e300), **kwargs)
    assert huge.sensitivity.value == pytest.approx(ds.correct_verification(df, **kwargs).sensitivity.value, rel=1e-6)
