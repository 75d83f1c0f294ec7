"""compare_tests / combine_tests: published intervals, symmetry properties, degenerate and bad input."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds
from diagstats.binary import _paired
from diagstats.binary.comparison import COMPARED


def arrays_from_cells(cells):
    """Patient-level (d, t1, t2) from the eight counts indexed 4*d + 2*t1 + t2."""
    index = np.repeat(np.arange(8), cells)
    return (index >> 2) & 1, (index >> 1) & 1, index & 1


# --- published worked examples --------------------------------------------------------------------

# Cavo et al. (2012) paired table (59, 6, 16, 80), worked in Fagerland, Lydersen & Laake (2014),
# "Recommended tests and confidence intervals for paired binomial proportions", Stat Med 33:2850-2875,
# and their book "Statistical Analysis of Contingency Tables" (2017), chapter 8: delta = -0.0621,
# Tango score CI -0.1240 to -0.0054, Newcombe square-and-add CI -0.1186 to -0.0046 (4 decimals).
CAVO = (59, 6, 16, 80)


def test_tango_interval_matches_fagerland_cavo_example():
    lo, hi = _paired.tango_interval(*CAVO, level=0.95)
    assert (round(lo, 4), round(hi, 4)) == (-0.1240, -0.0054)


def test_newcombe_paired_interval_matches_fagerland_cavo_example():
    lo, hi = _paired.newcombe_paired_interval(*CAVO, level=0.95)
    assert (round(lo, 4), round(hi, 4)) == (-0.1186, -0.0046)


def test_tango_interval_inverts_the_uncorrected_mcnemar_test():
    a, b, c, d = CAVO
    lo, hi = _paired.tango_interval(a, b, c, d, level=0.95)
    n = a + b + c + d
    assert _paired._tango_z(lo, b, c, n) == pytest.approx(1.959963984540054, abs=1e-8)
    assert _paired._tango_z(hi, b, c, n) == pytest.approx(-1.959963984540054, abs=1e-8)
    # at delta = 0 Tango's statistic is McNemar's z
    assert _paired._tango_z(0.0, b, c, n) ** 2 == pytest.approx(_paired.mcnemar(b, c, exact=False)[0], rel=1e-12)


# Newcombe RG (1998). Interval estimation for the difference between independent proportions:
# comparison of eleven methods. Stat Med 17:873-890, Table II, method 10 (hybrid score), 4 decimals.
NEWCOMBE_1998_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
]


@pytest.mark.parametrize("counts, expected", NEWCOMBE_1998_TABLE_II)
def test_unpaired_difference_matches_newcombe_1998_table_ii(counts, expected):
    x1, n1, x2, n2 = counts
    acc = [ds.accuracy(tp=x, fp=1, fn=n - x, tn=1) for x, n in ((x1, n1), (x2, n2))]
    diff = ds.compare_tests(tests=acc).sensitivity.difference
    assert (round(diff.lower, 4), round(diff.upper, 4)) == expected
    assert diff.method == "Newcombe hybrid score (independent)"


# --- properties -------------------------------------------------------------------------------------

cells_strategy = st.lists(st.integers(0, 25), min_size=8, max_size=8).filter(
    lambda c: sum(c[4:]) > 0 and sum(c[:4]) > 0)


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-12)


@settings(max_examples=50, deadline=None)
@given(cells=cells_strategy, ci_method=st.sampled_from(["tango", "newcombe"]), pv_method=st.sampled_from(["wgs", "gs"]))
def test_swapping_the_tests_flips_differences_and_inverts_ratios(cells, ci_method, pv_method):
    d, t1, t2 = arrays_from_cells(cells)
    opts = dict(reference=d, ci_method=ci_method, pv_method=pv_method)
    ab, ba = ds.compare_tests(tests=(t1, t2), **opts), ds.compare_tests(tests=(t2, t1), **opts)
    for m in COMPARED:
        x, y = getattr(ab, m), getattr(ba, m)
        assert same(x.p_value, y.p_value), m
        assert same(x.first.value, y.second.value)
        if x.difference is not None:
            assert same(x.difference.value, -y.difference.value), m
            assert same(x.difference.lower, -y.difference.upper), m
            assert same(x.difference.upper, -y.difference.lower), m
            assert same(x.statistic, y.statistic), m
        if x.ratio is not None and not math.isnan(x.ratio.value):
            assert same(x.ratio.value, 1 / y.ratio.value), m
            assert same(x.ratio.lower, 1 / y.ratio.upper), m


@settings(max_examples=50, deadline=None)
@given(cells=st.lists(st.integers(1, 25), min_size=4, max_size=4), paired=st.booleans())
def test_identical_tests_give_difference_zero_and_p_one(cells, paired):
    # a test read twice: only the concordant cells (d, t, t) are filled
    full = [cells[0], 0, 0, cells[1], cells[2], 0, 0, cells[3]]
    d, t1, t2 = arrays_from_cells(full)
    res = ds.compare_tests(tests=(t1, t2), reference=d, paired=paired)
    for m in COMPARED:
        row = getattr(res, m)
        assert row.p_value == pytest.approx(1.0), m
        if row.difference is not None:
            assert row.difference.value == 0, m
            assert row.difference.lower <= 0 <= row.difference.upper, m
        if row.ratio is not None:
            assert row.ratio.value == pytest.approx(1.0), m


@settings(max_examples=30, deadline=None)
@given(cells=cells_strategy)
def test_exact_and_asymptotic_share_the_estimate(cells):
    d, t1, t2 = arrays_from_cells(cells)
    a = ds.compare_tests(tests=(t1, t2), reference=d)
    e = ds.compare_tests(tests=(t1, t2), reference=d, method="exact")
    assert same(a.sensitivity.difference.value, e.sensitivity.difference.value)
    assert 0 <= e.sensitivity.p_value <= 1


def test_newcombe_and_tango_are_both_offered_and_named():
    d, t1, t2 = arrays_from_cells([30, 5, 9, 3, 4, 12, 3, 40])
    tango = ds.compare_tests(tests=(t1, t2), reference=d)
    newcombe = ds.compare_tests(tests=(t1, t2), reference=d, ci_method="newcombe")
    assert tango.sensitivity.difference.method == "Tango score"
    assert newcombe.sensitivity.difference.method.startswith("Newcombe")
    assert tango.sensitivity.difference.value == newcombe.sensitivity.difference.value
    assert tango.sensitivity.difference.lower != newcombe.sensitivity.difference.lower


# --- degenerate but valid ---------------------------------------------------------------------------

def test_no_discordant_pairs_is_a_valid_answer():
    # the tests disagree only on non-diseased patients
    d, t1, t2 = arrays_from_cells([20, 3, 1, 2, 4, 0, 0, 10])
    res = ds.compare_tests(tests=(t1, t2), reference=d)
    assert res.sensitivity.difference.value == 0
    assert (res.sensitivity.statistic, res.sensitivity.p_value) == (0.0, 1.0)
    assert res.sensitivity.difference.lower < 0 < res.sensitivity.difference.upper
    assert any("no discordant pairs" in n for n in res.notes)
    exact = ds.compare_tests(tests=(t1, t2), reference=d, method="exact")
    assert exact.sensitivity.p_value == 1.0


def test_all_diseased_makes_predictive_values_undefined_with_a_clear_note():
    d, t1, t2 = arrays_from_cells([0, 0, 0, 0, 3, 4, 2, 20])
    res = ds.compare_tests(tests=(t1, t2), reference=d)
    assert res.sensitivity.p_value == pytest.approx(_paired.mcnemar(2, 4, exact=False)[1])
    for m in ("specificity", "ppv", "npv", "lr_positive", "lr_negative"):
        assert math.isnan(getattr(res, m).p_value), m
    assert "all patients are diseased" in res.ppv.notes[0]
    assert "cannot be compared" in res.npv.notes[0]
    assert any("ppv: undefined" in n for n in res.notes)
    assert "NA" in str(res)


def test_a_test_with_no_positive_results_has_no_ppv_comparison():
    d, t1, t2 = arrays_from_cells([10, 3, 0, 0, 4, 5, 0, 0])  # the first test is never positive
    res = ds.compare_tests(tests=(t1, t2), reference=d)
    assert math.isnan(res.ppv.p_value) and "no positive results" in res.ppv.notes[0]
    assert not math.isnan(res.npv.p_value)


# --- result object ----------------------------------------------------------------------------------

def test_result_frame_html_dict_and_names():
    df = pd.DataFrame({"mri": [1, 1, 0, 1, 0, 0, 1, 0] * 5, "ct": [1, 0, 0, 1, 1, 0, 0, 0] * 5,
                       "biopsy": ["m", "m", "m", "m", "b", "b", "b", "b"] * 5})
    res = ds.compare_tests(data=df, tests=("mri", "ct"), reference="biopsy", positive="m")
    frame = res.to_frame()
    assert list(frame.columns) == ["measure", "value", "lower", "upper", "level", "method", "notes", "effect", "first",
                                   "second", "statistic", "df", "p_value", "test_method"]
    assert frame.groupby("measure").size().to_dict() == {"lr_negative": 1, "lr_positive": 1, "npv": 2, "ppv": 2,
                                                         "sensitivity": 2, "specificity": 2}
    assert res.names == ("mri", "ct") and res.reference == "biopsy"
    assert "<table" in res._repr_html_() and "mri" in str(res)
    assert res.to_dict()["rows"][0]["measure"] == "sensitivity"
    assert res["ppv"] is res.ppv
    assert res.first.test == "mri" and res.second.test == "ct"


def test_nan_policy_omit_counts_the_dropped_patients():
    df = pd.DataFrame({"a": [1, 0, 1, np.nan, 1, 0], "b": [1, 1, 0, 0, None, 0], "ref": [1, 1, 1, 0, 0, 0]})
    with pytest.raises(ds.DataError, match="nan_policy='omit'"):
        ds.compare_tests(data=df, tests=("a", "b"), reference="ref")
    res = ds.compare_tests(data=df, tests=("a", "b"), reference="ref", nan_policy="omit")
    assert res.n_omitted == 2 and res.first.n == 4


# --- bad input --------------------------------------------------------------------------------------

def test_different_lengths_name_the_inputs():
    with pytest.raises(ds.DataError, match="lengths differ.*reference has 3"):
        ds.compare_tests(tests=([1, 0, 1, 0], [0, 0, 1, 1]), reference=[1, 0, 1])


def test_a_test_with_a_third_value_is_rejected():
    with pytest.raises(ds.DataError, match=r"test 'second' has 3 distinct values"):
        ds.compare_tests(tests=([1, 0, 1, 0], [0, 2, 1, 1]), reference=[1, 0, 1, 0])


@pytest.mark.parametrize("kwargs, match", [
    (dict(method="mcnemar"), "method='mcnemar' is not a valid choice"),
    (dict(ci_method="score"), "ci_method='score'"),
    (dict(pv_method="wald"), "pv_method='wald'"),
    (dict(level=95), "Did you mean 0.95"),
    (dict(paired=False, ci_method="tango"), "for paired data"),
    (dict(paired=False, pv_method="gs"), "paired designs only"),
])
def test_bad_options_raise_option_error(kwargs, match):
    with pytest.raises(ds.OptionError, match=match):
        ds.compare_tests(tests=([1, 0, 1, 0], [0, 0, 1, 1]), reference=[1, 0, 1, 0], **kwargs)


def test_tests_must_be_two():
    with pytest.raises(ds.DataError, match="exactly two tests"):
        ds.compare_tests(tests=([1, 0], [1, 0], [0, 1]), reference=[1, 0])
    df = pd.DataFrame({"a": [1, 0], "r": [1, 0]})
    with pytest.raises(ds.DataError, match="same column twice"):
        ds.compare_tests(data=df, tests=("a", "a"), reference="r")
    with pytest.raises(ds.ColumnError, match="'c' is not a column"):
        ds.compare_tests(data=df, tests=("a", "c"), reference="r")


def test_accuracy_results_cannot_be_paired():
    acc = ds.accuracy(tp=5, fp=2, fn=1, tn=9)
    with pytest.raises(ds.DataError, match="paired=True needs patient-level data"):
        ds.compare_tests(tests=(acc, acc), paired=True)
    with pytest.raises(ds.DataError, match="mixes"):
        ds.compare_tests(tests=(acc, [1, 0]), reference=[1, 0])


# --- combine_tests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", ["either", "both"])
def test_combined_rule_accuracy_and_paired_comparisons(rule):
    d, t1, t2 = arrays_from_cells([40, 6, 9, 2, 5, 8, 10, 30])
    res = ds.combine_tests(tests=(t1, t2), reference=d, rule=rule)
    combined = (t1 | t2) if rule == "either" else (t1 & t2)
    expected = ds.accuracy(test=combined, reference=d)
    assert (res.accuracy.tp, res.accuracy.fp, res.accuracy.fn, res.accuracy.tn) == \
        (expected.tp, expected.fp, expected.fn, expected.tn)
    direct = ds.compare_tests(tests=(combined, t1), reference=d)
    assert res["first"].sensitivity.p_value == pytest.approx(direct.sensitivity.p_value)
    assert res["second"].ppv.statistic == pytest.approx(
        ds.compare_tests(tests=(combined, t2), reference=d).ppv.statistic)
    if rule == "either":  # believe the positive can only gain sensitivity
        assert res["first"].sensitivity.difference.value >= 0
    else:
        assert res["first"].specificity.difference.value >= 0
    frame = res.to_frame()
    assert list(dict.fromkeys(frame["comparison"])) == ["combined rule", "vs first", "vs second"]
    vs_first = frame[(frame["comparison"] == "vs first") & (frame["measure"] == "sensitivity")].iloc[0]
    assert vs_first["combined"] == res.accuracy.sensitivity.value            # the two values compared
    assert vs_first["single"] == res["first"].second.sensitivity.value       # TestComparison: (combined, single)
    with pytest.raises(KeyError):
        res["third"]


def test_combine_rule_is_validated():
    with pytest.raises(ds.OptionError, match="rule='or'"):
        ds.combine_tests(tests=([1, 0], [0, 1]), reference=[1, 0], rule="or")


# --- issue #14 -----------------------------------------------------------------------------------

def test_paired_pv_difference_interval_stays_within_minus_one_and_one():
    # before: -0.193 to 1.193
    diff = ds.compare_tests(tests=([0, 1], [1, 1]), reference=[0, 1]).ppv.difference
    assert diff.value == 0.5 and diff.upper == 1.0
    assert diff.lower == pytest.approx(0.5 - 0.693, abs=1e-3)
    assert "PPV difference interval clipped to [-1, 1]" in diff.notes[0]
    frame = ds.combine_tests(tests=([0, 1], [1, 1]), reference=[0, 1]).to_frame()
    assert frame["lower"].min() >= -1
    assert frame.loc[frame["measure"] == "ppv", "upper"].iloc[0] <= 1  # the difference row


def test_boolean_options_take_booleans_only():
    for bad in dict(paired="yes"), dict(paired=1), dict(continuity="no"):
        with pytest.raises(ds.DiagstatsError, match=rf"{next(iter(bad))}=.* must be True or False"):
            ds.compare_tests(tests=([0, 1, 1], [1, 1, 0]), reference=[0, 1, 1], **bad)
