"""ds.markers.describe: Table 1 of markers by group, parity with base R (kruskal.test, wilcox.test,
p.adjust, oneway.test) on tests/reference/markers/describe.{csv,json}."""

import json

import warnings

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DataError, OptionError

TOL = 1e-6


@pytest.fixture(scope="module")
def fixture(reference_dir):
    here = reference_dir / "markers"
    return pd.read_csv(here / "describe.csv"), json.loads((here / "describe.json").read_text())


@pytest.mark.parametrize("marker", ["nlr", "plr"])
def test_kruskal_and_pairwise_holm_match_r(fixture, marker):
    data, ref = fixture
    res = ds.markers.describe(data, markers=["nlr", "plr"], by="group")
    r = ref["markers"][marker]
    kw = res.omnibus[marker]
    assert kw.statistic == pytest.approx(r["kruskal"]["statistic"], rel=TOL)
    assert kw.df == r["kruskal"]["df"]
    assert kw.p_value == pytest.approx(r["kruskal"]["p_value"], rel=TOL)
    pw = res.pairwise[res.pairwise.marker == marker]
    assert list(pw.group1) == r["pairwise"]["group1"] and list(pw.group2) == r["pairwise"]["group2"]
    np.testing.assert_allclose(pw.statistic, r["pairwise"]["W"], rtol=TOL)
    np.testing.assert_allclose(pw.p_value, r["pairwise"]["p_value"], rtol=TOL)
    np.testing.assert_allclose(pw.p_adjusted, r["pairwise"]["p_holm"], rtol=TOL)


@pytest.mark.parametrize("marker", ["nlr", "plr"])
def test_welch_log_and_bh_match_r(fixture, marker):
    data, ref = fixture
    res = ds.markers.describe(data, markers=["nlr", "plr"], by="group", omnibus_test="welch_log", adjust="BH")
    r = ref["markers"][marker]
    tests = res.tests_frame().set_index("marker")
    assert tests.loc[marker, "statistic"] == pytest.approx(r["welch_log"]["statistic"], rel=TOL)
    assert tests.loc[marker, "df"] == pytest.approx(r["welch_log"]["df1"], rel=TOL)
    assert tests.loc[marker, "df2"] == pytest.approx(r["welch_log"]["df2"], rel=TOL)
    assert tests.loc[marker, "p_value"] == pytest.approx(r["welch_log"]["p_value"], rel=TOL)
    pw = res.pairwise[res.pairwise.marker == marker]
    np.testing.assert_allclose(pw.p_adjusted, r["pairwise"]["p_bh"], rtol=TOL)


@pytest.mark.parametrize("marker", ["nlr", "plr"])
def test_group_summaries_match_r(fixture, marker):
    data, ref = fixture
    res = ds.markers.describe(data, markers=[marker], by="group")
    summary = res.to_frame()
    assert list(summary.group) == ref["groups"]
    for stat in ("median", "q1", "q3", "mean", "sd"):
        np.testing.assert_allclose(summary[stat], ref["markers"][marker][stat], rtol=TOL)
    assert list(summary.n) == [int((data.group == g).sum()) for g in ref["groups"]]


def test_table1_layout_and_html(fixture):
    data, _ = fixture
    data = data.copy()
    data.loc[0, "group"] = "<b>benign</b>"  # text from data must be escaped
    res = ds.markers.describe(data, markers=["nlr"], by="group")
    table = res.table1(digits=2)
    # one row per variable, the summary named once (Table 1 as epidemiologists write it; issue #16)
    assert list(table.columns[:1]) == ["variable"] and table.columns[-1] == "p" and len(table) == 1
    assert table.loc[0, "variable"] == "nlr, median (IQR)"
    row = res.to_frame().set_index("group").loc["primary"]
    assert table.loc[0, "primary (n=15)"] == f"{row['median']:.2f} ({row.q1:.2f}-{row.q3:.2f})"
    assert res.table1(summary="mean").loc[0, "primary (n=15)"] == f"{row['mean']:.1f} ({row.sd:.1f})"
    assert "Kruskal-Wallis" in res.footnote and "Kruskal-Wallis" not in table.to_string()
    page = res.to_html()
    assert "&lt;b&gt;benign&lt;/b&gt;" in page and "<b>benign</b>" not in page
    assert "median (IQR)" in page and "Pairwise comparisons" in page and res.footnote in page
    assert "Kruskal-Wallis" in str(res) and res._repr_html_() == page
    assert res.to_dict()["omnibus"]["nlr"]["p_value"] == pytest.approx(res.omnibus["nlr"].p_value)


def test_groups_order_and_selection(fixture):
    data, _ = fixture
    res = ds.markers.describe(data, markers=["nlr"], by="group", groups=["primary", "benign"])
    assert res.groups == ("primary", "benign")
    assert res.n_omitted == int((data.group == "metastasis").sum())
    two = data[data.group.isin(["primary", "benign"])]
    ref = ds.markers.describe(two, markers=["nlr"], by="group")
    assert res.omnibus["nlr"].p_value == pytest.approx(ref.omnibus["nlr"].p_value, rel=1e-12)


def test_missing_values(fixture):
    data, _ = fixture
    data = data.copy()
    data.loc[[0, 1], "nlr"] = np.nan
    data.loc[5, "group"] = None
    with pytest.raises(DataError, match=r"'group' has 1, 'nlr' has 2"):
        ds.markers.describe(data, markers=["nlr"], by="group")
    res = ds.markers.describe(data, markers=["nlr"], by="group", nan_policy="omit")
    benign = res.to_frame().set_index("group").loc["benign"]
    assert benign.n_missing == 2 and res.n_omitted == 1
    assert benign.n == int((data.group == "benign").sum()) - 2


def test_ties_everywhere_give_nan_not_warnings():
    df = pd.DataFrame({"nlr": [2.0] * 6, "g": list("aabbcc")})
    res = ds.markers.describe(df, markers=["nlr"], by="g")
    assert np.isnan(res.omnibus["nlr"].p_value) and res.pairwise.p_value.isna().all()
    assert any("all values are equal" in n for n in res.notes)


def test_bad_input(fixture):
    data, _ = fixture
    with pytest.raises(OptionError, match="test='anova' is not a valid choice"):
        ds.markers.describe(data, markers=["nlr"], by="group", omnibus_test="anova")
    with pytest.raises(OptionError, match="adjust='bonf'"):
        ds.markers.describe(data, markers=["nlr"], by="group", adjust="bonf")
    with pytest.raises(DataError, match="has 1 group"):
        ds.markers.describe(data[data.group == "benign"], markers=["nlr"], by="group")
    bad = data.assign(nlr=data.nlr.astype(object))
    bad.loc[3, "nlr"] = "high"
    with pytest.raises(DataError, match=r"marker 'nlr' must be numeric, but contains 'high'"):
        ds.markers.describe(bad, markers=["nlr"], by="group")
    with pytest.raises(DataError, match="values <= 0.*welch_log"):
        ds.markers.describe(data.assign(nlr=data.nlr - 1.0), markers=["nlr"], by="group", omnibus_test="welch_log")
    with pytest.raises(DataError, match="not values of 'group'"):
        ds.markers.describe(data, markers=["nlr"], by="group", groups=["benign", "lung"])


# --- issue #14 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("omnibus_test", ["kruskal", "welch_log"])
def test_infinite_marker_values_are_refused_by_name(omnibus_test):
    # before: a Welch statistic of NaN, an infinite mean and a NaN sd, with numpy warnings and no note
    df = pd.DataFrame({"nlr": [1, 2, 3, np.inf, 2, 3, 4, 5], "g": list("aaaabbbb")})
    with pytest.raises(DataError, match=r"marker 'nlr' has 1 infinite value\(s\)"):
        ds.markers.describe(df, markers=["nlr"], by="g", omnibus_test=omnibus_test)


def test_huge_marker_values_do_not_overflow():
    # before: numpy "overflow encountered in square" and an infinite sd
    df = pd.DataFrame({"nlr": [1e300, 1.5e300, 2e300, 1e300, 3e300, 2e300], "g": list("aaabbb")})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = ds.markers.describe(df, markers=["nlr"], by="g")
    summary = res.to_frame().set_index("group")
    assert summary.loc["a", "sd"] == pytest.approx(5e299) and summary.loc["a", "mean"] == pytest.approx(1.5e300)


def test_a_pair_of_groups_with_all_values_equal_has_a_note_for_its_missing_p():
    # found by the long fuzz profile: the pairwise p-value was NaN with no note
    data = pd.DataFrame({"g": ["a", "a", "b", "b", "c", "c"], "nlr": [1.0, 1.0, 1.0, 1.0, 3.0, 3.0]})
    res = ds.markers.describe(data, markers=["nlr"], by="g")
    assert np.isnan(res.pairwise["p_value"].iloc[0])
    assert res.notes == ("nlr: a vs b: all values equal in both groups, so no pairwise test (p NA, left out of the "
                         "adjustment)",)


def test_table1_decimals_follow_each_variable():
    """No platelets with two decimals: decimals from each variable's size unless given."""
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"platelets": rng.normal(250, 40, 40), "nlr": np.exp(rng.normal(1, 0.4, 40)),
                       "monocytes": rng.uniform(0.3, 0.8, 40), "grp": ["a", "b"] * 20})
    res = ds.markers.describe(df, markers=["platelets", "nlr", "monocytes"], by="grp")
    cells = res.table1().set_index("variable")["a (n=20)"]
    assert "." not in cells["platelets, median (IQR)"]
    assert cells["nlr, median (IQR)"].split(" ")[0].split(".")[1].__len__() == 1
    assert cells["monocytes, median (IQR)"].split(" ")[0].split(".")[1].__len__() == 2
    fixed = res.table1(digits={"platelets": 1}).set_index("variable")["a (n=20)"]
    assert fixed["platelets, median (IQR)"].split(" ")[0].split(".")[1].__len__() == 1
    with pytest.raises(OptionError, match="summary"):
        res.table1(summary="mode")
