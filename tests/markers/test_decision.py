"""ds.decision_curve: net benefit (Vickers & Elkin 2006), checked against the R dcurves vignette's
printed values, a hand-computed example, and a brute-force loop; bootstrap behaviour; bad input."""

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds
from diagstats.errors import DataError, OptionError
from tests.public_data import published, read_public


def printed_tolerance(value: float) -> float:
    """Half a unit in the last of 3 significant digits, as tibble prints."""
    return 0.0 if value == 0 else 0.5 * 10 ** (math.floor(math.log10(abs(value))) - 2)


@pytest.fixture(scope="module")
def vignette(reference_dir):
    here = reference_dir / "markers"
    d = pd.read_csv(here / "dca_df_binary.csv")
    d["cancer"] = d["cancer"].astype(int)
    high = d.risk_group == "high"
    d["high_risk"] = high.astype(int)
    d["joint"] = (high | (d.cancerpredmarker > 0.15)).astype(int)
    d["conditional"] = (high | ((d.risk_group == "intermediate") & (d.cancerpredmarker > 0.15))).astype(int)
    return d, json.loads((here / "dca_vignette.json").read_text())


def test_matches_dcurves_vignette_with_harms(vignette):
    d, ref = vignette
    table = ref["with_harms"]
    harm = ref["harm_marker"]
    res = ds.decision_curve(d, reference="cancer", predictors=["high_risk", "joint", "conditional"],
                            thresholds=table["threshold"], n_boot=None,
                            harm={"joint": harm, "conditional": float((d.risk_group == "intermediate").mean()) * harm})
    frame = res.to_frame().pivot(index="threshold", columns="strategy", values="value")
    names = {"all": "treat all", "none": "treat none", "high_risk": "high_risk", "joint": "joint",
             "conditional": "conditional"}
    for col, strategy in names.items():
        for t, expected in zip(table["threshold"], table[col]):
            assert abs(frame.loc[t, strategy] - expected) <= printed_tolerance(expected), (col, t)


def test_matches_dcurves_treat_all(vignette):
    d, ref = vignette
    table = ref["treat_all_as_tibble"]
    res = ds.decision_curve(d, reference="cancer", predictors=["cancerpredmarker"], thresholds=table["threshold"],
                            n_boot=None)
    got = res.net_benefit[res.strategies.index("treat all")]
    for value, expected in zip(got, table["all"]):
        assert abs(value - expected) <= printed_tolerance(expected)
    assert res.prevalence == pytest.approx(0.14, abs=1e-15)


def test_hand_computed_example():
    # 10 patients, 4 diseased. At t = 0.3 (odds 3/7) the model treats p >= 0.3: patients 1-3, 5, 6
    # -> TP = 3, FP = 2; NB = 3/10 - 2/10 * 3/7 = 0.3 - 0.085714... = 0.2142857...
    df = pd.DataFrame({"y": [1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
                       "p": [0.9, 0.3, 0.5, 0.1, 0.7, 0.3, 0.2, 0.1, 0.0, 0.29]})
    res = ds.decision_curve(df, "y", ["p"], thresholds=[0.3], n_boot=None)
    assert res.net_benefit[0, 0] == pytest.approx(0.3 - 0.2 * 3 / 7, abs=1e-15)
    assert res.net_benefit[1, 0] == pytest.approx(0.4 - 0.6 * 3 / 7, abs=1e-15)
    assert res.net_benefit[2, 0] == 0.0
    assert res.kinds == {"p": "probability"}


def brute_force(y, p, thresholds, harm=0.0):
    out = []
    for t in thresholds:
        treat = p >= t
        tp, fp = np.sum(treat & (y == 1)), np.sum(treat & (y == 0))
        out.append(tp / y.size - fp / y.size * t / (1 - t) - harm)
    return np.array(out)


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 60), st.integers(0, 2**31 - 1), st.floats(0, 0.1))
def test_vectorised_equals_brute_force_loop(n, seed, harm):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    y[:2] = [0, 1]
    p = np.round(rng.random(n), 2)  # rounding makes ties and values exactly on thresholds
    t = np.round(np.arange(0.01, 0.99, 0.01), 2)
    res = ds.decision_curve(pd.DataFrame({"y": y, "p": p}), "y", ["p"], thresholds=t, harm={"p": harm}, n_boot=None)
    np.testing.assert_allclose(res.net_benefit[0], brute_force(y, p, t, harm), atol=1e-12)
    prev = y.mean()
    np.testing.assert_allclose(res.net_benefit[1], prev - (1 - prev) * t / (1 - t), atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.booleans(), min_size=2, max_size=50).filter(lambda v: 0 < sum(v) < len(v)))
def test_perfect_predictor_gains_the_prevalence(outcome):
    y = np.array(outcome, dtype=int)
    res = ds.decision_curve(pd.DataFrame({"y": y, "perfect": y.astype(float)}), "y", ["perfect"], n_boot=None)
    np.testing.assert_allclose(res.net_benefit[0], y.mean(), atol=1e-15)
    assert np.all(res.net_benefit[0] >= res.net_benefit[1] - 1e-15)


def test_bootstrap_equals_brute_force_resampling():
    rng = np.random.default_rng(3)
    n = 40
    df = pd.DataFrame({"y": rng.integers(0, 2, n), "p": rng.random(n), "q": rng.integers(0, 2, n)})
    t = [0.1, 0.3, 0.5]
    res = ds.decision_curve(df, "y", ["p", "q"], thresholds=t, n_boot=20, seed=11, progress=False)
    # the same index matrix, drawn as the implementation draws it, through the naive loop
    idx = np.random.default_rng(11).integers(0, n, size=(20, n))
    y, p, q = (df[c].to_numpy() for c in ("y", "p", "q"))
    for b in range(20):
        np.testing.assert_allclose(res.replicates[b, 0], brute_force(y[idx[b]], p[idx[b]], t), atol=1e-12)
        np.testing.assert_allclose(res.replicates[b, 1], brute_force(y[idx[b]], q[idx[b]].astype(float), t),
                                   atol=1e-12)


def test_intervals_seed_and_difference(vignette):
    d, _ = vignette
    kwargs = dict(reference="cancer", predictors=["cancerpredmarker", "high_risk"], thresholds=[0.05, 0.15, 0.3],
                  n_boot=300, progress=False)
    a, b = ds.decision_curve(d, seed=1, **kwargs), ds.decision_curve(d, seed=1, **kwargs)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    c = ds.decision_curve(d, seed=2, **kwargs)
    assert not np.allclose(a.lower, c.lower)
    frame = a.to_frame()
    assert list(frame.columns) == ["strategy", "threshold", "measure", "value", "lower", "upper", "level", "method",
                                   "notes", "net_interventions_avoided"]
    assert np.all(frame.lower <= frame.value + 1e-12) and np.all(frame.value <= frame.upper + 1e-12)
    diff = a.difference("cancerpredmarker", "treat all")
    np.testing.assert_allclose(diff.difference, a.net_benefit[0] - a.net_benefit[2])
    # paired: the interval of a difference of a strategy with itself is zero width
    same = a.difference("high_risk", "high_risk")
    assert np.all(same.lower == 0) and np.all(same.upper == 0)
    # Monte-Carlo check of the interval: the treat-all NB is linear in the prevalence, so its interval is the
    # binomial bootstrap interval of the prevalence mapped through the line (tolerance: Monte-Carlo, 300 draws)
    se = math.sqrt(0.14 * 0.86 / len(d)) * (1 + 0.05 / 0.95)
    width = a.upper[2, 0] - a.lower[2, 0]
    assert width == pytest.approx(2 * 1.96 * se, rel=0.15)
    with pytest.raises(OptionError, match="'model' is not a strategy"):
        a.difference("model", "treat all")


def test_no_bootstrap_gives_nan_intervals(vignette):
    d, _ = vignette
    res = ds.decision_curve(d, "cancer", ["cancerpredmarker"], n_boot=None)
    assert np.isnan(res.lower).all() and res.replicates.shape[0] == 0
    assert res.thresholds.size == 49 and res.thresholds[0] == pytest.approx(0.01)
    assert np.isnan(res.difference("cancerpredmarker", "treat all").lower).all()
    assert "Decision curve analysis" in str(res) and "<table" in res._repr_html_()


def test_labels_and_missing(vignette):
    d, _ = vignette
    d = d.assign(status=np.where(d.cancer == 1, "cancer", "benign"))
    ref = ds.decision_curve(d, "cancer", ["cancerpredmarker"], n_boot=None)
    res = ds.decision_curve(d, "status", ["cancerpredmarker"], positive="cancer", n_boot=None)
    np.testing.assert_allclose(res.net_benefit, ref.net_benefit)
    d.loc[[0, 1], "cancerpredmarker"] = np.nan
    with pytest.raises(DataError, match="Missing values"):
        ds.decision_curve(d, "cancer", ["cancerpredmarker"], n_boot=None)
    assert ds.decision_curve(d, "cancer", ["cancerpredmarker"], n_boot=None, nan_policy="omit").n_omitted == 2


def test_bad_input(vignette):
    d, _ = vignette
    with pytest.raises(DataError, match=r"predictor 'marker' has \d+ value\(s\) outside \[0, 1\].*model first"):
        ds.decision_curve(d, "cancer", ["marker"], n_boot=None)
    with pytest.raises(OptionError, match="between 0 and 1"):
        ds.decision_curve(d, "cancer", ["cancerpredmarker"], thresholds=[5, 10, 20], n_boot=None)
    with pytest.raises(OptionError, match="not among predictors"):
        ds.decision_curve(d, "cancer", ["cancerpredmarker"], harm={"joint": 0.1}, n_boot=None)
    with pytest.raises(OptionError, match="n_boot=-1"):
        ds.decision_curve(d, "cancer", ["cancerpredmarker"], n_boot=-1)
    with pytest.raises(DataError, match="only one class"):
        ds.decision_curve(d[d.cancer == 0], "cancer", ["cancerpredmarker"], n_boot=None)
    with pytest.raises(DataError, match="must be numeric"):
        ds.decision_curve(d, "cancer", ["risk_group"], n_boot=None)
    with pytest.raises(DataError, match="has 3 distinct values"):
        ds.decision_curve(d, "risk_group", ["cancerpredmarker"], n_boot=None)


# ---------------------------------------------------------- dcurves benchmarks: threshold 0, interventions avoided
# dcurves' R benchmark tables (MSKCC-Epi-Bio/dcurves @ 168c8b6, tests/benchmark_data/), in ../shared/reference/public.
def _dcurves_binary():
    d = read_public("peer_suites/dcurves_df_binary.csv")
    d["cancer"] = d["cancer"].astype(int)
    d["marker_risk"] = read_public("peer_suites/dcurves_marker_risks.csv")["marker_risk"]
    return d


def test_dcurves_famhistory_from_threshold_0_and_interventions_avoided():
    d = _dcurves_binary()
    ref = read_public("peer_suites/dcurves_r_dca_famhistory.csv")
    t = ref.loc[ref.variable == "all", "threshold"].to_numpy()      # R's seq(): 0.35000000000000003, ...
    res = ds.decision_curve(d, "cancer", ["famhistory"], thresholds=t, n_boot=None)
    frame = res.to_frame()
    for variable, strategy in (("all", "treat all"), ("none", "treat none"), ("famhistory", "famhistory")):
        expected = ref[ref.variable == variable].set_index("threshold")["net_benefit"]
        got = frame[frame.strategy == strategy].set_index("threshold")["value"]
        np.testing.assert_allclose(got.to_numpy(), expected.reindex(got.index).to_numpy(), rtol=1e-10, atol=1e-12)
    # dcurves' net_intervention_avoided() benchmark: famhistory at 0.35 avoids 0.5380952 interventions per patient
    row = frame[(frame.strategy == "famhistory") & np.isclose(frame.threshold, 0.35)]
    assert row["net_interventions_avoided"].iloc[0] == published(0.5380952, 7)
    assert np.isnan(res.net_interventions_avoided[:, 0]).all() and any("threshold 0" in n for n in res.notes)
    per_100 = res.interventions_avoided("famhistory", per=100)
    assert per_100.loc[np.isclose(per_100.threshold, 0.35), "net_interventions_avoided"].iloc[0] == published(53.80952,
                                                                                                              5)


def test_dcurves_case3_harm_and_interventions_avoided():
    d = _dcurves_binary()
    ref = read_public("peer_suites/dcurves_r_case3_results.csv")
    t = ref.loc[ref.variable == "all", "threshold"].to_numpy()
    res = ds.decision_curve(d, "cancer", ["marker_risk"], thresholds=t, harm={"marker_risk": 0.0333}, n_boot=None)
    frame = res.to_frame()
    for variable, strategy in (("all", "treat all"), ("none", "treat none"), ("marker", "marker_risk")):
        r = ref[ref.variable == variable].set_index("threshold")
        got = frame[frame.strategy == strategy].set_index("threshold")
        np.testing.assert_allclose(got["value"], r["net_benefit"].reindex(got.index), rtol=1e-10, atol=1e-12)
        # dcurves: NA (treat all) or -Inf (others) at threshold 0, where diagstats says NaN (undefined)
        np.testing.assert_allclose(got["net_interventions_avoided"].iloc[1:],
                                   r["net_intervention_avoided"].reindex(got.index).iloc[1:], rtol=1e-10, atol=1e-12)


def test_case_control_prevalence():
    cc = read_public("peer_suites/dcurves_df_case_control.csv")
    t = [0.0, 0.1, 0.2, 0.3]
    res = ds.decision_curve(cc, "casecontrol", ["cancerpredmarker"], thresholds=t, prevalence=0.15, n_boot=20,
                            progress=False)
    y, p = cc["casecontrol"].to_numpy(), cc["cancerpredmarker"].to_numpy()
    for j, threshold in enumerate(t):   # Pepe et al. (2016): sensitivity x prevalence - (1 - spec) x (1 - prev) x odds
        sens, fpr = np.mean(p[y == 1] >= threshold), np.mean(p[y == 0] >= threshold)
        expected = sens * 0.15 - fpr * 0.85 * threshold / (1 - threshold)
        assert res.net_benefit[0, j] == pytest.approx(expected, abs=1e-14)
        assert res.net_benefit[1, j] == pytest.approx(0.15 - 0.85 * threshold / (1 - threshold), abs=1e-14)
    assert res.prevalence == 0.15 and res.prevalence_given and "given" in str(res)
    # with the sample's own prevalence the case-control formula is the cohort one
    cohort = ds.decision_curve(cc, "casecontrol", ["cancerpredmarker"], thresholds=t, n_boot=None)
    same = ds.decision_curve(cc, "casecontrol", ["cancerpredmarker"], thresholds=t, n_boot=None,
                             prevalence=float(y.mean()))
    np.testing.assert_allclose(same.net_benefit, cohort.net_benefit, atol=1e-14)
    with pytest.raises(OptionError, match="prevalence"):
        ds.decision_curve(cc, "casecontrol", ["cancerpredmarker"], prevalence=1.0, n_boot=None)
    with pytest.raises(OptionError, match="include 1"):
        ds.decision_curve(cc, "casecontrol", ["cancerpredmarker"], thresholds=[0.2, 1.0], n_boot=None)


def test_interventions_avoided_interval_is_paired_bootstrap():
    d = _dcurves_binary()
    res = ds.decision_curve(d, "cancer", ["famhistory"], thresholds=[0.1, 0.35], n_boot=200, seed=3, progress=False)
    out = res.interventions_avoided("famhistory", per=100)
    assert np.all(out.lower <= out.net_interventions_avoided) and np.all(out.net_interventions_avoided <= out.upper)
    none = res.interventions_avoided("treat all")
    assert np.all(none.net_interventions_avoided == 0)


# ------------------------------------------------------------------------------ time to event
#: dcurves' R benchmark for dca(Surv(ttcancer, cancer) ~ famhistory, data = df_surv, time = 1.5), as published in
#: MSKCC-Epi-Bio/dcurves tests/benchmark_data/r_simple_surv_dca_result_df.csv (commit 603629d): the Kaplan-Meier
#: risk of everyone (treat all's tp_rate) and famhistory's tp_rate and fp_rate, and net benefits at two thresholds.
DCURVES_SURV = {"risk_all": 0.2201127546956282, "famhistory_tp": 0.0531743954260046,
                "famhistory_fp": 0.10015893790732873, "all_nb_0.2": 0.025140943369535235,
                "famhistory_nb_0.35": -7.573403702493403e-4}


@pytest.fixture(scope="module")
def survival_reference(reference_dir):
    return json.loads((reference_dir / "markers" / "dca_survival.json").read_text())


def test_time_to_event_matches_r_survival_kaplan_meier(survival_reference):
    ref = survival_reference
    d = read_public("peer_suites/dcurves_df_surv.csv")
    res = ds.decision_curve(d, "cancer", ["famhistory", "cancerpredmarker"], time="ttcancer",
                            horizon=ref["horizon"], thresholds=ref["thresholds"], n_boot=None)
    assert res.prevalence == pytest.approx(ref["km_risk_all"], rel=1e-10)
    for row, name in enumerate(("famhistory", "cancerpredmarker", "treat_all")):
        np.testing.assert_allclose(res.net_benefit[row], np.asarray(ref[name], dtype=float), rtol=1e-10, atol=1e-12)
    assert res.time == "ttcancer" and res.horizon == 1.5 and "Kaplan-Meier" in str(res)


def test_time_to_event_matches_dcurves_published_benchmark():
    d = read_public("peer_suites/dcurves_df_surv.csv")
    res = ds.decision_curve(d, "cancer", ["famhistory"], time="ttcancer", horizon=1.5, thresholds=[0, 0.2, 0.35],
                            n_boot=None)
    assert res.prevalence == pytest.approx(DCURVES_SURV["risk_all"], rel=1e-12)
    # at threshold 0 the net benefit is the true-positive rate
    assert res.net_benefit[0, 0] == pytest.approx(DCURVES_SURV["famhistory_tp"], rel=1e-12)
    assert res.net_benefit[0, 2] == pytest.approx(DCURVES_SURV["famhistory_nb_0.35"], rel=1e-10)
    tp, fp = DCURVES_SURV["famhistory_tp"], DCURVES_SURV["famhistory_fp"]
    assert res.net_benefit[0, 1] == pytest.approx(tp - fp * 0.25, rel=1e-10)
    assert res.net_benefit[1, 1] == pytest.approx(DCURVES_SURV["all_nb_0.2"], rel=1e-10)


def test_time_to_event_without_censoring_before_the_horizon_is_the_binary_curve():
    rng = np.random.default_rng(5)
    n = 400
    risk = rng.uniform(0.02, 0.9, n)
    event_time = rng.exponential(1 / (0.1 + risk))
    censor_time = rng.uniform(2.0, 4.0, n)       # every censoring after the horizon (1)
    d = pd.DataFrame({"time": np.minimum(event_time, censor_time), "event": (event_time <= censor_time).astype(int),
                      "risk": risk, "test": (risk > 0.5).astype(int)})
    t = np.arange(0, 0.9, 0.05)
    surv = ds.decision_curve(d, "event", ["risk", "test"], time="time", horizon=1.0, thresholds=t, n_boot=None)
    binary = ds.decision_curve(d.assign(by_1=(d.event == 1) & (d.time <= 1.0)), "by_1", ["risk", "test"],
                               thresholds=t, n_boot=None)
    np.testing.assert_allclose(surv.net_benefit, binary.net_benefit, atol=1e-12)
    assert surv.prevalence == pytest.approx(binary.prevalence)


def test_time_to_event_bootstrap_and_bad_input():
    d = read_public("peer_suites/dcurves_df_surv.csv")
    res = ds.decision_curve(d, "cancer", ["cancerpredmarker"], time="ttcancer", horizon=1.5, thresholds=[0.1, 0.2],
                            n_boot=200, seed=2, progress=False)
    assert np.all(res.lower <= res.net_benefit + 1e-12) and np.all(res.net_benefit <= res.upper + 1e-12)
    again = ds.decision_curve(d, "cancer", ["cancerpredmarker"], time="ttcancer", horizon=1.5,
                              thresholds=[0.1, 0.2], n_boot=200, seed=2, progress=False)
    np.testing.assert_array_equal(res.replicates, again.replicates)
    diff = res.difference("cancerpredmarker", "treat all")
    assert np.all(diff.lower <= diff.upper)
    with pytest.raises(OptionError, match="horizon"):
        ds.decision_curve(d, "cancer", ["cancerpredmarker"], time="ttcancer", n_boot=None)
    with pytest.raises(OptionError, match="horizon"):
        ds.decision_curve(d, "cancer", ["cancerpredmarker"], time="ttcancer", horizon=-1, n_boot=None)
    with pytest.raises(OptionError, match="prevalence"):
        ds.decision_curve(d, "cancer", ["cancerpredmarker"], time="ttcancer", horizon=1.5, prevalence=0.2,
                          n_boot=None)
    with pytest.raises(DataError, match="negative"):
        ds.decision_curve(d.assign(ttcancer=d.ttcancer - 1), "cancer", ["cancerpredmarker"], time="ttcancer",
                          horizon=1.5, n_boot=None)
    late = ds.decision_curve(d, "cancer", ["cancerpredmarker"], time="ttcancer", horizon=100, n_boot=None)
    assert any("beyond the longest follow-up" in n for n in late.notes)


def test_time_to_event_replicates_are_the_curves_of_the_resampled_patients(monkeypatch):
    """Each bootstrap replicate (all replicates' Kaplan-Meier at once, counted in parts when the cells are
    many) is the point estimate of the resampled patients."""
    import diagstats._core.bootstrap as engine
    rng = np.random.default_rng(4)
    n = 60
    risk = rng.uniform(0.05, 0.8, n)
    event_time = rng.exponential(1 / (0.2 + risk))
    censor_time = rng.exponential(2.0, n)
    d = pd.DataFrame({"time": np.round(np.minimum(event_time, censor_time), 2), "risk": risk,
                      "event": (event_time <= censor_time).astype(int)})
    t = [0.0, 0.1, 0.3, 0.5]
    monkeypatch.setattr(engine, "CHUNK_ELEMENTS", 1000)   # a few replicates per part
    res = ds.decision_curve(d, "event", ["risk"], time="time", horizon=1.0, thresholds=t, n_boot=25, seed=5,
                            progress=False)
    idx = np.random.default_rng(5).integers(0, n, size=(25, n))
    for b in range(25):
        again = ds.decision_curve(d.iloc[idx[b]], "event", ["risk"], time="time", horizon=1.0, thresholds=t,
                                  n_boot=None)
        np.testing.assert_allclose(res.replicates[b], again.net_benefit, atol=1e-12)
