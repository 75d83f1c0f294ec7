"""ds.markers.discriminate: markers' ROC, Youden cutpoint, Harrell's optimism and a logistic model."""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

import diagstats as ds
from diagstats._core.auc import weighted_auc
from diagstats.markers.discrimination import _design, _optimism
from diagstats.errors import ColumnError, DataError, OptionError
from diagstats.roc_analysis.bootstrap import resample_chunks

REFERENCE = Path(__file__).parents[1] / "reference" / "markers"
COUNTS = dict(neutrophils="neutrophils", lymphocytes="lymphocytes", platelets="platelets")


def simulated(n, seed=0, scenario="spine_referral"):
    return ds.markers.ratios(ds.simulate.cohort(n, scenario=scenario, seed=seed), **COUNTS)


@pytest.fixture(scope="module")
def fixture():
    data = pd.read_csv(REFERENCE / "discriminate.csv")
    expected = json.loads((REFERENCE / "discriminate.json").read_text())
    res = ds.markers.discriminate(data, markers=["nlr", "plr"], reference="y", covariates=["age"], n_boot=200,
                                  seed=0, progress=False)
    return data, expected, res


# ------------------------------------------------------------------------------------ must show
def test_li2019_aucs_recovered_on_a_cohort_of_li_size():
    """The first 503 tumour patients (Li et al. 2019's size) of the default cohort, seed 0.

    Each published AUC lies in the DeLong interval of the simulated one. Over 100 seeds (cohorts of
    850, about 500 tumour patients) each AUC's interval covered Li's value in 91-98% of cohorts and
    all six at once in 78%, as expected for six correlated 95% intervals of a calibrated simulator.
    """
    li = ds.datasets.load("li2019_auc")
    cohort = simulated(1000, seed=0)
    tumours = cohort[cohort.true_diagnosis != "no_tumour"].head(503)
    assert len(tumours) == 503
    for question in ds.markers.LI2019_QUESTIONS:
        res = ds.markers.discriminate(tumours, markers=["nlr", "plr"], groups=question, covariates=["age"],
                                      n_boot=100, progress=False)
        assert res.n_cases + res.n_controls + res.n_excluded == 503
        for marker in ("nlr", "plr"):
            published = li[(li.comparison == question) & (li.marker == marker)].auc.item()
            auc = res.markers[marker].roc.auc
            assert auc.contains(published), (question, marker, published, auc)
            assert auc.upper - auc.lower < 0.14           # informative at Li's size


def test_li2019_aucs_close_on_a_large_cohort():
    """20,000 patients (about 11,900 with a tumour): every AUC within 0.02 (about 3 DeLong SEs) of Li's."""
    li = ds.datasets.load("li2019_auc")
    cohort = simulated(20000, seed=1)
    for question in ds.markers.LI2019_QUESTIONS:
        res = ds.markers.discriminate(cohort, markers=["nlr", "plr"], groups=question, n_boot=None, progress=False)
        for marker in ("nlr", "plr"):
            published = li[(li.comparison == question) & (li.marker == marker)].auc.item()
            assert res.markers[marker].roc.auc.value == pytest.approx(published, abs=0.02)


# ------------------------------------------------------------------------------------ parity with R
def test_marker_aucs_and_youden_match_proc(fixture):
    _, expected, res = fixture
    for marker in ("nlr", "plr"):
        r, m = expected["markers"][marker], res.markers[marker]
        auc = m.roc.auc
        np.testing.assert_allclose([auc.value, auc.lower, auc.upper], [r["auc"], r["lower"], r["upper"]], rtol=1e-6)
        assert m.cutpoint.candidates["midpoint"].iloc[0] == pytest.approx(r["youden_midpoint"], rel=1e-9)
        assert m.sensitivity.value == pytest.approx(r["sensitivity"], rel=1e-9)
        assert m.specificity.value == pytest.approx(r["specificity"], rel=1e-9)
    test = res.comparison.tests[0]
    assert test.statistic == pytest.approx(expected["nlr_vs_plr"]["statistic"], rel=1e-6)
    assert test.p_value == pytest.approx(expected["nlr_vs_plr"]["p_value"], rel=1e-6)


def test_logistic_model_matches_glm(fixture):
    _, expected, res = fixture
    r, coef = expected["model"], res.model.coefficients
    assert list(coef.term) == r["terms"]
    for col in ("odds_ratio", "lower", "upper", "p_value"):
        np.testing.assert_allclose(coef[col], r[col], rtol=1e-6)
    lr = res.model.lr_test
    assert (lr.statistic, lr.df) == (pytest.approx(r["lr_statistic"], rel=1e-6), r["lr_df"])
    assert lr.p_value == pytest.approx(r["lr_p_value"], rel=1e-6)
    apparent = res.model.auc_apparent
    np.testing.assert_allclose([apparent.value, apparent.lower, apparent.upper],
                               [r["apparent"]["auc"], r["apparent"]["lower"], r["apparent"]["upper"]], rtol=1e-6)


def test_cross_validated_aucs_match_glm_on_the_same_folds(fixture):
    """The fixture's folds are those of seed=0; R refits glm per fold and pROC compares the curves."""
    _, expected, res = fixture
    cv = expected["cv"]
    for got, ref in ((res.model.auc_cv, cv["model"]), (res.model.covariates_auc_cv, cv["covariates"])):
        np.testing.assert_allclose([got.value, got.lower, got.upper], [ref["auc"], ref["lower"], ref["upper"]],
                                   rtol=1e-6)
    assert res.model.added_value.statistic == pytest.approx(cv["added_statistic"], rel=1e-6)
    assert res.model.added_value.p_value == pytest.approx(cv["added_p_value"], rel=1e-6)


# ------------------------------------------------------------------------------------ internals vs oracles
@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.booleans(), st.integers(0, 3)), min_size=2, max_size=30))
def test_weighted_auc_equals_sklearn(rows):
    score, case, weight = (np.array(v) for v in zip(*rows))
    weight[0] = max(weight[0], 1)
    if not (weight[case].sum() and weight[~case].sum()):
        return
    got = weighted_auc(score[None, :].astype(float), case, weight[None, :])[0]
    assert got == pytest.approx(roc_auc_score(case, score, sample_weight=weight), abs=1e-12)


def test_cutpoint_optimism_equals_roc_threshold(fixture):
    """Same draws (one chunk, same seed): the corrected Youden index is the ROC module's."""
    data, _, res = fixture
    y = data.y.to_numpy().astype(bool)
    curve = res.markers["nlr"].roc
    X = _design([np.log(data.nlr), np.log(data.plr), data.age.to_numpy(float)], standardise=True)
    reps, _, _ = _optimism([curve], X, y, 200, np.random.SeedSequence(7), False)
    boot = curve.threshold("youden", n_boot=200, seed=7, progress=False)
    corrected = {e.name: e.value for e in boot.intervals}["youden (optimism-corrected)"]
    apparent = curve.threshold("youden")
    mine = apparent.sensitivity + apparent.specificity - 1 - reps[:, 0, 1].mean() - reps[:, 0, 2].mean()
    assert mine == pytest.approx(corrected, abs=1e-12)


def test_model_optimism_equals_a_loop_of_statsmodels_fits(fixture):
    """The batched refits equal one statsmodels Logit per replicate, with sklearn's weighted AUC."""
    data, _, res = fixture
    y = data.y.to_numpy().astype(bool)
    raw = [np.log(data.nlr.to_numpy()), np.log(data.plr.to_numpy()), data.age.to_numpy(float)]
    X = _design(raw, standardise=True)
    curves = [m.roc for m in res.markers.values()]
    _, optimism, failed = _optimism(curves, X, y, 20, np.random.SeedSequence(3), False)
    assert failed == 0
    case_idx, control_idx = next(resample_chunks(np.random.SeedSequence(3), y.sum(), (~y).sum(), 20, 1, False))
    design = _design(raw, standardise=False)
    for b in range(20):
        drawn = np.concatenate([np.flatnonzero(y)[case_idx[b]], np.flatnonzero(~y)[control_idx[b]]])
        fit = sm.Logit(y[drawn].astype(float), design[drawn]).fit(disp=False)
        weights = np.bincount(drawn, minlength=y.size)
        score = design @ fit.params
        expected = roc_auc_score(y, score, sample_weight=weights) - roc_auc_score(y, score)
        assert optimism[b] == pytest.approx(expected, abs=1e-9)


def test_out_of_fold_predictions_equal_sklearn(fixture):
    data, _, res = fixture
    X = np.column_stack([np.log(data.nlr), np.log(data.plr), data.age])
    oof = np.empty(len(data))
    for f in range(5):
        train, test = data.fold != f, data.fold == f
        model = LogisticRegression(C=np.inf, solver="newton-cg", tol=1e-12, max_iter=1000).fit(X[train], data.y[train])
        oof[test.to_numpy()] = model.decision_function(X[test])
    assert res.model.auc_cv.value == pytest.approx(roc_auc_score(data.y, oof), abs=1e-12)


# ------------------------------------------------------------------------------------ behaviour
def test_groups_mapping_equals_a_prepared_binary_column():
    data = simulated(800, seed=2)
    via_groups = ds.markers.discriminate(data, groups="primary vs metastatic", n_boot=50, progress=False)
    mapping = ds.markers.LI2019_QUESTIONS["primary vs metastatic"]
    tumours = data[data.true_diagnosis != "no_tumour"].copy()
    tumours["metastatic"] = tumours.true_diagnosis == "metastasis"
    via_column = ds.markers.discriminate(tumours, reference="metastatic", n_boot=50, progress=False)
    via_mapping = ds.markers.discriminate(data, groups=dict(mapping), positive="metastatic", n_boot=50,
                                          progress=False)
    assert via_groups.n_excluded == (data.true_diagnosis == "no_tumour").sum() and via_column.n_excluded == 0
    assert via_groups.question == "primary vs metastatic" and via_groups.positive == "metastatic"
    pd.testing.assert_frame_equal(via_groups.to_frame(), via_mapping.to_frame())
    cols = ["value", "lower", "upper"]
    pd.testing.assert_frame_equal(via_groups.to_frame()[cols], via_column.to_frame()[cols])


def test_tables_and_figure(fixture):
    _, _, res = fixture
    frame = res.to_frame()
    assert list(frame.columns) == ["term", "measure", "value", "lower", "upper", "level", "method", "notes"]
    assert set(frame.term) == {"nlr", "plr", "model", "covariates", "nlr - plr", "model - covariates"}
    nlr = frame[frame.term == "nlr"].set_index("measure")
    assert list(nlr.index) == ["auc", "youden_threshold", "sensitivity", "specificity", "youden_index",
                               "youden_index_corrected", "sensitivity_corrected", "specificity_corrected"]
    assert nlr.loc["youden_threshold", "lower"] <= nlr.loc["youden_threshold", "value"] \
        <= nlr.loc["youden_threshold", "upper"]
    assert nlr.loc["youden_index_corrected", "value"] < nlr.loc["youden_index", "value"]   # optimism > 0
    model = frame[frame.term == "model"].set_index("measure")
    assert model.loc["auc_corrected", "value"] < model.loc["auc_apparent", "value"]
    tests = res.tests_frame()
    assert list(tests.term) == ["nlr - plr", "model - covariates", "markers given covariates"]
    assert tests.p_adjusted.iloc[0] == pytest.approx(tests.p_value.iloc[0])     # one pair: Holm = raw
    text = str(res)
    assert "134 1 (cases) vs 88 0 (controls)" in text and "Harrell" in text and "likelihood ratio" in text
    assert "auc_cv" in res.to_html() and json.dumps(res.to_dict())
    ax = res.plot()
    assert len(ax.get_legend().get_texts()) == 3
    plt.close("all")


def test_same_seed_same_numbers_and_no_bootstrap():
    data = simulated(500, seed=4)
    a = ds.markers.discriminate(data, groups="benign vs malignant", n_boot=50, seed=3, progress=False)
    b = ds.markers.discriminate(data, groups="benign vs malignant", n_boot=50, seed=3, progress=False)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    none = ds.markers.discriminate(data, groups="benign vs malignant", n_boot=None, progress=False)
    frame = none.to_frame().set_index(["term", "measure"])
    assert np.isnan(frame.loc[("nlr", "youden_index_corrected"), "value"])
    assert np.isnan(frame.loc[("model", "auc_corrected"), "value"])
    assert frame.loc[("nlr", "auc"), "value"] == a.markers["nlr"].roc.auc.value
    assert none.model.added_value is None and "intercept-only" in " ".join(none.notes)


def test_lower_direction_and_no_covariates():
    data = simulated(600, seed=5)
    data["lmr_like"] = 1 / data.nlr
    up = ds.markers.discriminate(data, markers=["nlr"], groups="benign vs malignant", n_boot=None, progress=False)
    down = ds.markers.discriminate(data, markers=["lmr_like"], groups="benign vs malignant",
                                   direction={"lmr_like": "lower"}, n_boot=None, progress=False)
    assert down.markers["lmr_like"].roc.auc.value == pytest.approx(up.markers["nlr"].roc.auc.value, abs=1e-12)
    assert down.markers["lmr_like"].threshold.value == pytest.approx(1 / up.markers["nlr"].threshold.value)
    assert up.comparison is None
    fit = sm.Logit((up.model.roc_cv.reference).astype(float),
                   sm.add_constant(np.log(data.nlr[data.true_diagnosis != "no_tumour"].to_numpy()))).fit(disp=False)
    assert up.model.lr_test.statistic == pytest.approx(fit.llr, rel=1e-8)


def test_bad_input():
    data = simulated(300, seed=6)
    with pytest.raises(DataError, match="4 distinct values|distinct"):
        ds.markers.discriminate(data, progress=False)                          # no groups, 4 diagnoses
    with pytest.raises(OptionError, match="Did you mean 'benign vs malignant'"):
        ds.markers.discriminate(data, groups="benign vs malignat", progress=False)
    with pytest.raises(OptionError, match="positive= is needed"):
        ds.markers.discriminate(data, groups={"a": "benign_primary", "b": "metastasis"}, progress=False)
    with pytest.raises(OptionError, match="not a group label"):
        ds.markers.discriminate(data, groups={"a": "benign_primary", "b": "metastasis"}, positive="c",
                                progress=False)
    with pytest.raises(OptionError, match="in both groups"):
        ds.markers.discriminate(data, groups={"a": ["benign_primary", "metastasis"], "b": "metastasis"},
                                positive="b", progress=False)
    with pytest.raises(OptionError, match="two group labels"):
        ds.markers.discriminate(data, groups={"a": "benign_primary"}, positive="a", progress=False)
    bad = data.assign(nlr=data.nlr.astype(str).where(data.index > 0, "high"))
    with pytest.raises(DataError, match="marker 'nlr' must be numeric"):
        ds.markers.discriminate(bad, groups="benign vs malignant", progress=False)
    with pytest.raises(DataError, match="<= 0, which have no logarithm"):
        ds.markers.discriminate(data.assign(nlr=data.nlr.where(data.index > 5, 0.0)), groups="benign vs malignant",
                                progress=False)
    with pytest.raises(ColumnError, match="markers='nrl'.*Did you mean 'nlr'"):
        ds.markers.discriminate(data, markers=["nrl"], groups="benign vs malignant", progress=False)
    with pytest.raises(DataError, match="fewer than cv=5 folds"):
        ds.markers.discriminate(data.head(25), groups="primary benign vs primary malignant", progress=False)
    with pytest.raises(OptionError, match="n_boot"):
        ds.markers.discriminate(data, groups="benign vs malignant", n_boot=5, progress=False)
    with pytest.raises(OptionError, match="not among markers"):
        ds.markers.discriminate(data, groups="benign vs malignant", direction={"lmr": "lower"}, progress=False)
    with pytest.raises(DataError, match="listed twice"):
        ds.markers.discriminate(data, markers=["nlr", "age"], covariates=["age"], groups="benign vs malignant",
                                progress=False)
    with pytest.raises(DataError, match="Missing values"):
        ds.markers.discriminate(data.assign(age=data.age.where(data.index > 3)), covariates=["age"],
                                groups="benign vs malignant", progress=False)
    omitted = ds.markers.discriminate(data.assign(age=data.age.where(data.index > 3)), covariates=["age"],
                                      groups="benign vs malignant", nan_policy="omit", n_boot=None, progress=False)
    tumour_in_first = int((data.head(4).true_diagnosis != "no_tumour").sum())
    assert omitted.n_omitted == tumour_in_first


# --- issue #14 -----------------------------------------------------------------------------------

def test_a_covariate_in_huge_units_leaks_no_overflow_warning():
    rng = np.random.default_rng(0)
    n = 80
    df = pd.DataFrame({"y": (rng.random(n) < 0.4).astype(int), "nlr": np.exp(rng.normal(size=n)),
                       "plr": np.exp(rng.normal(size=n)), "age": rng.normal(size=n) * 1e300})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # before: numpy's "overflow encountered in square"
        with pytest.raises(ds.DiagstatsError, match="did not converge"):
            ds.markers.discriminate(df, markers=["nlr", "plr"], covariates=["age"], reference="y", n_boot=20,
                                    progress=False)
