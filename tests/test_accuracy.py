"""2x2 accuracy: parity with epiR, zero cells, the data API, display, bad input."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds
from diagstats.binary.two_by_two import MEASURES
from diagstats.errors import OptionError

REFERENCE = Path(__file__).parent / "reference"
TABLES = pd.read_csv(REFERENCE / "twobytwo" / "tables.csv")
EPIR = json.loads((REFERENCE / "twobytwo" / "epir.json").read_text())

# epiR 2.0.57 epi.tests name -> diagstats measure (with ci_method="clopper_pearson", epiR's method)
EPIR_PROPORTIONS = {"se": "sensitivity", "sp": "specificity", "pv.pos": "ppv", "pv.neg": "npv",
                    "diag.ac": "accuracy", "tp": "prevalence"}
EPIR_RATIOS = {"lr.pos": "lr_positive", "lr.neg": "lr_negative", "diag.or": "dor"}


def table(name):
    row = TABLES.set_index("name").loc[name]
    return {k: int(row[k]) for k in ("tp", "fp", "fn", "tn")}


@pytest.mark.parametrize("name", list(EPIR))
def test_proportions_match_epir(name):
    res = ds.accuracy(**table(name), ci_method="clopper_pearson")
    for epir_name, measure in EPIR_PROPORTIONS.items():
        est = getattr(res, measure)
        value, lower, upper = EPIR[name]["epir"][epir_name]
        assert (est.value, est.lower, est.upper) == pytest.approx((value, lower, upper), rel=1e-6, abs=1e-12), measure


@pytest.mark.parametrize("name", list(EPIR))
def test_ratios_match_epir_where_epir_is_finite(name):
    res = ds.accuracy(**table(name))
    for epir_name, measure in EPIR_RATIOS.items():
        est = getattr(res, measure)
        value, lower, upper = EPIR[name]["epir"][epir_name]
        if None in (value, lower, upper) or value == 0:
            # epiR leaves the ratio at 0 or undefined; diagstats adds 0.5 to every cell and says so
            assert est.notes and "0.5 added to all four cells" in est.notes[0]
            assert 0 < est.lower < est.value < est.upper < np.inf
            assert any(measure in note for note in res.notes)
        else:
            assert not est.notes
            assert (est.value, est.lower, est.upper) == pytest.approx((value, lower, upper), rel=1e-6)


@pytest.mark.parametrize("name", list(EPIR))
def test_youden_value_matches_epir_and_its_interval_is_documented(name):
    res = ds.accuracy(**table(name), ci_method="clopper_pearson")
    value, lower, upper = EPIR[name]["epir"]["youden"]
    assert res.youden.value == pytest.approx(value, abs=1e-12)
    # epiR's interval is the sum of the Clopper-Pearson limits minus one (no coverage basis);
    # diagstats reports MOVER instead, which is never wider than epiR's.
    assert res.sensitivity.lower + res.specificity.lower - 1 == pytest.approx(lower, abs=1e-9)
    assert res.sensitivity.upper + res.specificity.upper - 1 == pytest.approx(upper, abs=1e-9)
    assert lower - 1e-12 <= res.youden.lower <= res.youden.value <= res.youden.upper <= upper + 1e-12


@pytest.mark.parametrize("name", list(EPIR))
def test_youden_sum_of_limits_and_nnd_match_epir(name):
    res = ds.accuracy(**table(name), ci_method="clopper_pearson", youden_ci="sum_of_limits")
    value, lower, upper = EPIR[name]["epir"]["youden"]
    assert (res.youden.value, res.youden.lower, res.youden.upper) == pytest.approx((value, lower, upper), rel=1e-6,
                                                                                   abs=1e-12)
    nnd_value, nnd_lower, nnd_upper = EPIR[name]["epir"]["nndx"]
    if lower > 0:  # epiR's NND interval is the reciprocal of its Youden interval
        assert (res.nnd.value, res.nnd.lower, res.nnd.upper) == pytest.approx((nnd_value, nnd_lower, nnd_upper),
                                                                              rel=1e-6)
    elif value > 0:  # epiR takes the reciprocal of a negative limit; the interval really reaches infinity
        assert res.nnd.value == pytest.approx(nnd_value, rel=1e-6)
        assert res.nnd.lower == pytest.approx(1 / upper, rel=1e-6) and res.nnd.upper == np.inf
        assert "unbounded above" in res.nnd.notes[-1]
    else:  # J <= 0: epiR reports 1 / J < 0; no NND exists for a test no better than chance
        assert np.isnan(res.nnd.value) and "no better than chance" in res.nnd.notes[0]


def test_nnd_is_the_reciprocal_of_the_mover_interval_by_default():
    res = ds.accuracy(tp=133, fp=3, fn=68, tn=435)
    assert res.youden_ci == "mover" and res.youden.method == "MOVER from Wilson limits"
    j = res.youden
    assert (res.nnd.value, res.nnd.lower, res.nnd.upper) == pytest.approx((1 / j.value, 1 / j.upper, 1 / j.lower))
    again = res.confidence_interval(0.9)
    assert again.youden_ci == "mover" and again.nnd.lower > res.nnd.lower
    epir_like = ds.accuracy(tp=133, fp=3, fn=68, tn=435, youden_ci="sum_of_limits").confidence_interval(0.9)
    assert epir_like.youden_ci == "sum_of_limits"


def test_youden_ci_is_refused_when_unknown_or_clustered():
    with pytest.raises(OptionError, match="youden_ci"):
        ds.accuracy(tp=1, fp=2, fn=3, tn=4, youden_ci="epir")
    df = pd.DataFrame({"t": [1, 0, 1, 0], "r": [1, 1, 0, 0], "p": [1, 1, 2, 2]})
    with pytest.raises(OptionError, match="youden_ci"):
        ds.accuracy(df, test="t", reference="r", cluster="p", youden_ci="sum_of_limits")


def test_corrected_ratio_uses_half_added_to_all_cells():
    res = ds.accuracy(tp=25, fp=0, fn=0, tn=30)
    assert res.lr_positive.value == pytest.approx((25.5 / 26) / (0.5 / 31))
    assert res.lr_negative.value == pytest.approx((0.5 / 26) / (30.5 / 31))
    assert res.dor.value == pytest.approx(25.5 * 30.5 / 0.25)
    assert res.sensitivity.value == 1.0 and not res.sensitivity.notes  # proportions are not corrected


def test_undefined_measures_are_nan_with_a_note():
    res = ds.accuracy(tp=0, fp=3, fn=0, tn=10)  # no diseased patients: a valid but degenerate table
    assert np.isnan(res.sensitivity.value) and np.isnan(res.lr_positive.value)
    assert "no diseased patients" in res.sensitivity.notes[0]
    assert res.specificity.value == pytest.approx(10 / 13)
    assert "sensitivity" in str(res) and "NA" in str(res)


def test_known_values_on_a_published_table():
    # Buhmann Kirchhoff 2009, MRI per vertebra: paper reports sens 98.5%, spec 98.9%, accuracy 98.7%
    res = ds.accuracy(tp=198, fp=5, fn=3, tn=433)
    assert round(100 * res.sensitivity.value, 1) == 98.5
    assert round(100 * res.specificity.value, 1) == 98.9
    assert round(100 * res.accuracy.value, 1) == 98.7


def test_data_form_equals_counts_form_and_handles_labels():
    df = pd.DataFrame({"mri": ["pos"] * 5 + ["neg"] * 7,
                       "biopsy": ["malignant"] * 4 + ["benign"] * 6 + ["malignant"] * 2})
    res = ds.accuracy(data=df, test="mri", reference="biopsy", positive="malignant", test_positive="pos")
    assert (res.tp, res.fp, res.fn, res.tn) == (4, 1, 2, 5)
    counts = ds.accuracy(tp=4, fp=1, fn=2, tn=5)
    assert res.to_frame()[["value", "lower", "upper"]].equals(counts.to_frame()[["value", "lower", "upper"]])
    assert res.test == "mri" and res.reference == "biopsy"
    arrays = ds.accuracy(test=(df["mri"] == "pos").to_numpy(), reference=(df["biopsy"] == "malignant").to_numpy())
    assert (arrays.tp, arrays.fp, arrays.fn, arrays.tn) == (4, 1, 2, 5)


def test_test_sharing_the_reference_coding_needs_no_test_positive():
    df = pd.DataFrame({"read": ["malignant", "benign", "malignant"], "truth": ["malignant", "malignant", "benign"]})
    res = ds.accuracy(data=df, test="read", reference="truth", positive="malignant")
    assert (res.tp, res.fp, res.fn, res.tn) == (1, 1, 1, 0)


def test_several_tests_give_a_tidy_table_with_omissions_counted():
    rng = np.random.default_rng(1)
    n = 300
    truth = rng.random(n) < 0.4
    df = pd.DataFrame({"biopsy": truth.astype(int),
                       "ct": np.where(rng.random(n) < 0.8, truth, ~truth).astype(float),
                       "mri": np.where(rng.random(n) < 0.9, truth, ~truth).astype(float)})
    df.loc[:49, "mri"] = np.nan  # MRI contraindicated for 50 patients
    with pytest.raises(ds.DiagstatsError, match="test 'mri' has 50"):
        ds.accuracy(data=df, test=["ct", "mri"], reference="biopsy")
    tab = ds.accuracy(data=df, test=["ct", "mri"], reference="biopsy", nan_policy="omit")
    frame = tab.to_frame()
    assert list(frame.columns) == ["test", "measure", "value", "lower", "upper", "level", "method", "notes", "n",
                                   "n_omitted"]
    assert len(frame) == 2 * len(MEASURES)
    assert tab["mri"].n == 250 and tab["mri"].n_omitted == 50 and tab["ct"].n_omitted == 0
    single = ds.accuracy(data=df.dropna(), test="mri", reference="biopsy")
    assert tab["mri"].sensitivity == ds.accuracy(data=df, test="mri", reference="biopsy", nan_policy="omit").sensitivity
    assert tab["mri"].sensitivity.value == single.sensitivity.value
    assert "mri" in tab.to_html() and tab.counts()["n"].tolist() == [300, 250]


def test_at_prevalence_matches_bayes_and_carries_uncertainty():
    res = ds.accuracy(tp=90, fp=15, fn=10, tn=85)
    pv = res.at_prevalence(0.05)
    se, sp, p = 0.9, 0.85, 0.05
    assert pv.ppv.value == pytest.approx(se * p / (se * p + (1 - sp) * (1 - p)))
    assert pv.npv.value == pytest.approx(sp * (1 - p) / (sp * (1 - p) + (1 - se) * p))
    assert pv.ppv.lower < pv.ppv.value < pv.ppv.upper and pv.npv.lower < pv.npv.value < pv.npv.upper
    # at the study's own prevalence the point values equal the observed PPV and NPV
    own = res.at_prevalence(res.prevalence.value)
    assert own.ppv.value == pytest.approx(res.ppv.value) and own.npv.value == pytest.approx(res.npv.value)
    with pytest.raises(ds.DiagstatsError, match="prevalence"):
        res.at_prevalence(5)


def test_post_test_probability_and_odds():
    assert ds.post_test_probability(0.5, 4.0) == pytest.approx(0.8)
    assert ds.post_test_odds(1.0, 4.0) == 4.0
    assert np.allclose(ds.post_test_probability(np.array([0.1, 0.5]), 2.0), [2 / 11, 2 / 3])
    lr = ds.accuracy(tp=90, fp=15, fn=10, tn=85).lr_positive
    post = ds.post_test_probability(0.2, lr)
    assert post.lower < post.value < post.upper and post.value == pytest.approx(0.2 * lr.value / (0.2 * lr.value + 0.8))
    with pytest.raises(ds.DiagstatsError, match="lr="):
        ds.post_test_probability(0.2, -1)


def test_confidence_interval_recomputes_at_another_level_and_method():
    res = ds.accuracy(tp=10, fp=2, fn=3, tn=20)
    other = res.confidence_interval(level=0.9, method="exact")
    assert other.level == 0.9 and other.sensitivity.method == "Clopper-Pearson exact"
    assert other.sensitivity.value == res.sensitivity.value
    assert other.sensitivity.interval == ds.proportion_ci(10, 13, level=0.9, method="exact")


def test_display_and_serialisation():
    res = ds.accuracy(tp=0, fp=5, fn=10, tn=85)
    text = str(res)
    assert "sensitivity" in text and "95% confidence intervals" in text and "Note: lr_positive" in text
    html = res._repr_html_()
    assert "<table" in html and "Wilson" in html
    json.dumps(res.to_dict(), allow_nan=False)
    assert set(res.to_frame().columns) >= {"measure", "value", "lower", "upper", "level", "method"}
    assert list(res.table().loc["total"]) == [10, 90, 100]


def test_html_escapes_names_from_data():
    df = pd.DataFrame({"<b>mri</b>": [1, 0, 1, 0], "ref": [1, 1, 0, 0]})
    html = ds.accuracy(data=df, test="<b>mri</b>", reference="ref")._repr_html_()
    assert "<b>mri</b>" not in html and "&lt;b&gt;mri&lt;/b&gt;" in html


@settings(max_examples=60, deadline=None)
@given(*(st.integers(1, 200) for _ in range(4)))
def test_swapping_disease_labels_swaps_sensitivity_and_specificity(tp, fp, fn, tn):
    test = np.repeat([1, 1, 0, 0], [tp, fp, fn, tn])
    truth = np.repeat(["a", "b", "a", "b"], [tp, fp, fn, tn])
    df = pd.DataFrame({"test": np.where(test == 1, "a", "b"), "truth": truth})
    one = ds.accuracy(data=df, test="test", reference="truth", positive="a")
    other = ds.accuracy(data=df, test="test", reference="truth", positive="b")
    assert other.sensitivity == pytest.approx(one.specificity) or other.sensitivity.value == one.specificity.value
    assert (other.sensitivity.value, other.sensitivity.interval) == (one.specificity.value, one.specificity.interval)
    assert (other.ppv.value, other.npv.value) == (one.npv.value, one.ppv.value)
    assert other.youden.value == pytest.approx(one.youden.value)


@settings(max_examples=60, deadline=None)
@given(*(st.integers(0, 500) for _ in range(4)), st.sampled_from(["wilson", "exact", "jeffreys", "mid_p"]))
def test_every_interval_contains_its_estimate(tp, fp, fn, tn, method):
    if tp + fp + fn + tn == 0:
        return
    res = ds.accuracy(tp=tp, fp=fp, fn=fn, tn=tn, ci_method=method)
    for est in res.estimates():
        if not np.isnan(est.value):
            assert est.lower - 1e-12 <= est.value <= est.upper + 1e-12, est


@pytest.mark.parametrize("kwargs, match", [
    (dict(tp=-1, fp=2, fn=3, tn=4), "tp=-1 is negative"),
    (dict(tp=1.5, fp=2, fn=3, tn=4), "tp=1.5 is not a whole number"),
    (dict(tp=float("nan"), fp=2, fn=3, tn=4), "tp contains NaN"),
    (dict(tp=1, fp=2, fn=3), "tn missing"),
    (dict(tp=0, fp=0, fn=0, tn=0), "empty"),
    (dict(tp=1, fp=2, fn=3, tn=4, level=0), "level=0"),
    (dict(tp=1, fp=2, fn=3, tn=4, ci_method="score"), "ci_method='score' is not a valid choice"),
    (dict(tp=1, fp=2, fn=3, tn=4, dor_method="exakt"), "Did you mean 'exact'"),
])
def test_bad_counts_raise_clear_errors(kwargs, match):
    with pytest.raises(ds.DiagstatsError, match=match):
        ds.accuracy(**kwargs)


DF = pd.DataFrame({"mri": [1, 0, 1, 0, 1, 0], "ct": [1, 1, 0, 0, 1, 2],
                   "biopsy": ["malignant", "benign", "unknown", "benign", "malignant", "benign"],
                   "all_malignant": ["malignant"] * 6, "histology": ["malignant", "benign"] * 3})


@pytest.mark.parametrize("kwargs, match", [
    (dict(test="mri", reference="biopsy", positive="malignant"),
     r"3 distinct values \('benign', 'malignant', 'unknown'\)"),
    (dict(test="mri", reference="all_malignant", positive="malignant"), "only one class"),
    (dict(test="mri", reference="biopsi", positive="malignant"),
     "reference='biopsi' is not a column.*Did you mean 'biopsy'"),
    (dict(test="ct", reference="mri"), "test 'ct' has 3 distinct values"),
    (dict(test="mri", reference="mri", positive="yes"), "positive='yes' is not a value"),
    (dict(test="mri", reference="histology"), "say which one means positive"),
    (dict(test="mri", reference="biopsy", positive="malignant", nan_policy="drop"), "nan_policy='drop'"),
])
def test_bad_data_raise_clear_errors(kwargs, match):
    with pytest.raises(ds.DiagstatsError, match=match):
        ds.accuracy(data=DF, **kwargs)


def test_mismatched_lengths_and_mixed_forms():
    with pytest.raises(ds.DiagstatsError, match="lengths differ: test has 3, reference has 2"):
        ds.accuracy(test=[1, 0, 1], reference=[1, 0])
    with pytest.raises(ds.DiagstatsError, match="not both"):
        ds.accuracy(tp=1, fp=1, fn=1, tn=1, test=[1], reference=[1])


# --- issue #14 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fp", [2 ** 63, np.uint64(2 ** 63), 1e19])
def test_counts_of_two_to_the_63_are_refused_not_wrapped(fp):
    # before: fp = -9223372036854775808 and a negative specificity
    with pytest.raises(ds.DiagstatsError, match=r"fp=.* is too large: counts must be at most 2\*\*53"):
        ds.accuracy(tp=30, fp=fp, fn=10, tn=55)


def test_array_counts_are_refused_naming_the_argument():
    # before: TypeError "only 0-dimensional arrays can be converted to Python scalars"
    with pytest.raises(ds.DiagstatsError, match=r"tp=\[1, 2\] must be a single count"):
        ds.accuracy(tp=[1, 2], fp=5, fn=10, tn=55)
    with pytest.raises(ds.DiagstatsError, match=r"prevalence=\[0.1, 0.2\] must be a single number"):
        ds.accuracy(tp=30, fp=2, fn=10, tn=55).at_prevalence([.1, .2])


def test_zero_one_reference_stored_as_objects_is_binary():
    # before: "takes the values 0, 1; say which one means positive ... or recode it as 0/1"
    df = pd.DataFrame({"mri": [1, 0, 1, 0], "biopsy": pd.Series([1, 0, 0, None], dtype=object)})
    res = ds.accuracy(data=df, test="mri", reference="biopsy", nan_policy="omit")
    assert (res.tp, res.fp, res.fn, res.tn, res.n_omitted) == (1, 1, 0, 1, 1)


def test_messages_name_test_positive_as_typed():
    # before: "positive='POS' is not a value of test"
    with pytest.raises(ds.DiagstatsError, match=r"test_positive='POS' is not a value of test"):
        ds.accuracy(test=["a", "b", "a"], reference=[1, 0, 1], test_positive="POS")


def test_post_test_functions_refuse_non_numbers_and_mismatched_arrays():
    # before: ValueError "could not convert string to float: 'a'"
    with pytest.raises(ds.DiagstatsError, match=r"lr=\[1, 'a'\] must be a likelihood ratio"):
        ds.post_test_probability(.2, [1, "a"])
    with pytest.raises(ds.DiagstatsError, match=r"pretest_odds='a' must be finite"):
        ds.post_test_odds("a", 2)
    with pytest.raises(ds.DiagstatsError, match=r"pretest has shape \(2,\), lr has shape \(3,\)"):
        ds.post_test_probability([.1, .2], [1, 2, 3])
    with pytest.raises(ds.DiagstatsError, match=r"pretest_odds has shape \(2,\), lr has shape \(3,\)"):
        ds.post_test_odds([.1, .2], [1, 2, 3])
    assert ds.post_test_odds([0.25, 0.5], [2, 4]).tolist() == [0.5, 2.0]


def test_post_test_refuses_zero_times_infinity():
    # before: ds.post_test_odds(0.0, inf) returned NaN silently (0 x inf), and post_test_probability(0, inf) and
    # (1, 0) an arbitrary 1.0 (issue #14 fuzz: KNOWN_OPEN zero_times_infinity)
    inf = float("inf")
    with pytest.raises(ds.DataError, match=r"^pretest_odds=0 with lr=inf: pre-test odds of 0 \(a pre-test probability "
                                           r"of 0\) cannot be moved by any finite likelihood ratio, and an infinite "
                                           r"LR is undefined there \(0 x infinity\); give pretest_odds > 0 or a "
                                           r"finite lr\.$"):
        ds.post_test_odds(0.0, inf)
    with pytest.raises(ds.DataError, match=r"^pretest=0 with lr=inf: a pre-test probability of 0 cannot be moved"):
        ds.post_test_probability(0.0, inf)
    with pytest.raises(ds.DataError, match=r"^pretest=1 with lr=0: a pre-test probability of 1 cannot be moved by "
                                           r"any likelihood ratio above 0.*; give pretest < 1 or lr > 0\.$"):
        ds.post_test_probability(1.0, 0.0)
    with pytest.raises(ds.DataError, match=r"^pretest=0 with lr=inf at index 1: .*; pretest=1 with lr=0 at index 2:"):
        ds.post_test_probability([0.2, 0.0, 1.0], [inf, inf, 0.0])
    with pytest.raises(ds.DataError, match=r"^pretest_odds=0 with lr=inf at index 0:"):
        ds.post_test_odds([0.0, 1.0], inf)
    with pytest.raises(ds.DataError, match=r"^pretest=0 with lr=inf \(the upper of the lr Estimate\):"):
        ds.post_test_probability(0.0, ds.Estimate(2.0, 1.0, inf, 0.95, "Simel log", "lr_positive"))
    # the defined limits keep their answers
    assert ds.post_test_probability(0.0, 5.0) == 0.0 and ds.post_test_probability(1.0, inf) == 1.0
    assert ds.post_test_probability(0.2, inf) == 1.0 and ds.post_test_odds(0.0, 0.0) == 0.0


def test_stard_exclusion_flags_must_have_one_per_row():
    # before: a list of one flag was broadcast to every patient
    df = pd.DataFrame({"t": [1, None, 0], "r": [1, 0, 0]})
    with pytest.raises(ds.DiagstatsError, match=r"exclusions\['c'\] has 1 flags but data has 3 rows"):
        ds.stard_counts(df, test="t", reference="r", exclusions={"c": [True]})
    with pytest.raises(ds.DiagstatsError, match=r"exclusions\['c'\] must hold True/False"):
        ds.stard_counts(df, test="t", reference="r", exclusions={"c": ["x", "y", "z"]})
    counts = ds.stard_counts(df, test="t", reference="r", exclusions={"c": [False, True, False]})
    assert counts.excluded == {"c": 1}


def test_stard_flow_names_what_its_rows_are():
    df = pd.DataFrame({"t": [1, None, 0], "r": [1, 0, 0]})
    ax = ds.stard_counts(df, test="t", reference="r", unit="lesions").plot()
    texts = [t.get_text() for t in ax.texts]
    assert "Eligible lesions\nn = 3" in texts and not any("patients" in t for t in texts)
    default = ds.stard_counts(df, test="t", reference="r").plot()
    assert "Eligible patients\nn = 3" in [t.get_text() for t in default.texts]


def test_a_huge_float_count_is_refused_before_numpy_casts_it():
    # before: numpy's "invalid value encountered in cast" and a wrapped negative count
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ds.DiagstatsError, match=r"fp=1e\+19 is too large"):
            ds.accuracy(tp=30, fp=1e19, fn=10, tn=55)
        with pytest.raises(ds.DiagstatsError, match=r"n=\[1e\+19, 5.0\] is too large"):
            ds.proportion_ci([1, 2], [1e19, 5.0])


def test_confidence_interval_names_its_own_argument():
    # found by the long fuzz profile: confidence_interval(method='') named ci_method
    with pytest.raises(OptionError, match=r"^method='' is not a valid choice"):
        ds.accuracy(tp=10, fp=2, fn=3, tn=20).confidence_interval(method="")
