"""ds.added_value: nested logistic models compared by the LR test, ΔAUC, NRI components, IDI, Brier and net benefit.

Parity: R (glm, pROC and the measures by definition) on mtcars, fixture tests/reference/markers/added_value.json
(made by added_value.R); the PredictABEL reclassification output printed on the jsmodule::reclassificationJS help
page (NRI categorical 0.754, continuous 1.413, IDI 0.532 for vs ~ am + gear (+ wt), cut-offs 0.2, 0.4); Steyerberg
et al. (2010, Epidemiology 21:128) discrimination slopes of the testicular-cancer model, 0.30 (development) and
0.24 (validation). nricens' nribin prints its outputs only when run (no stored output found in its documentation, its
vignettes or tutorials): its help-page example (survival's pbc, death before 2000 days, age + bilirubin + albumin, then
+ prothrombin time, cut-offs 0.2 and 0.4) is the fixture nribin_pbc.json, with the NRIs computed by definition in R.
"""

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import diagstats as ds
from diagstats.errors import ConvergenceError, DataError, OptionError
from tests.public_data import published, read_public


@pytest.fixture(scope="module")
def mtcars(reference_dir):
    here = reference_dir / "markers"
    return pd.read_csv(here / "added_value_mtcars.csv"), json.loads((here / "added_value.json").read_text())


FIXTURE_MEASURES = ("auc_base", "auc_new", "nri_events", "nri_nonevents", "continuous_nri_events",
                    "continuous_nri_nonevents", "slope_base", "slope_new", "idi", "brier_base", "brier_new",
                    "net_benefit_base", "net_benefit_new")


def test_nested_models_match_r_on_mtcars(mtcars):
    d, ref = mtcars
    res = ds.added_value(d, "vs", base=["am", "gear"], new=["wt"], cutoffs=[0.2, 0.4], threshold=0.3, cv=3,
                         n_boot=50, progress=False)
    for name in FIXTURE_MEASURES:
        assert getattr(res, name).value == pytest.approx(ref[name], rel=1e-6, abs=1e-9), name
    assert res.lr_test.statistic == pytest.approx(ref["lr_statistic"], rel=1e-6)
    assert res.lr_test.df == ref["lr_df"]
    assert res.lr_test.p_value == pytest.approx(ref["lr_p_value"], rel=1e-6)
    # the printed PredictABEL numbers (3 decimals): components sum to the published overall indices
    pub = ref["published"]
    assert res.nri_events.value + res.nri_nonevents.value == published(pub["nri_categorical"], 3)
    assert (res.continuous_nri_events.value + res.continuous_nri_nonevents.value
            == published(pub["nri_continuous"], 3))
    assert res.idi.value == published(pub["idi"], 3)
    # reclassification table: counts add up to the events and non-events
    table = res.reclassification
    assert table[table.outcome == "events"].iloc[:, 2:].to_numpy().sum() == res.n_events == 14
    assert table[table.outcome == "non-events"].iloc[:, 2:].to_numpy().sum() == res.n_nonevents == 18


def test_nribin_help_page_example_on_pbc(reference_dir):
    """nricens::nribin(mdl.std, mdl.new, cut = c(0.2, 0.4), niter = 0) and updown = "diff", cut = 0."""
    here = reference_dir / "markers"
    d, ref = pd.read_csv(here / "nribin_pbc.csv"), json.loads((here / "nribin_pbc.json").read_text())
    res = ds.added_value(d, "event", base=["age", "bili", "albumin"], new=["protime"], cutoffs=[0.2, 0.4], cv=3,
                         n_boot=50, progress=False)
    assert (res.n, res.n_events) == (ref["n"], ref["n_events"]) == (232, 88)
    np.testing.assert_allclose(res.risks["base"], ref["p_base"], rtol=1e-6)
    np.testing.assert_allclose(res.risks["new"], ref["p_new"], rtol=1e-6)
    for name in ("nri_events", "nri_nonevents", "continuous_nri_events", "continuous_nri_nonevents", "idi"):
        assert getattr(res, name).value == pytest.approx(ref[name], rel=1e-6, abs=1e-12), name
    assert res.nri_events.value == pytest.approx(ref["up_case"] - ref["down_case"], abs=1e-12)
    assert res.lr_test.statistic == pytest.approx(ref["lr_statistic"], rel=1e-6)
    assert res.lr_test.p_value == pytest.approx(ref["lr_p_value"], rel=1e-6)
    # nribin's reclassification tables: 2 of 88 deaths move down a category, none up
    table = res.reclassification.set_index(["outcome", "base_category"])
    events = table.loc["events"].to_numpy()
    assert np.triu(events, 1).sum() == 0 and np.tril(events, -1).sum() == 2


def test_given_risks_match_r_and_have_no_optimism(mtcars):
    d, ref = mtcars
    d = d.assign(p_base=ref["p_base"], p_new=ref["p_new"])
    res = ds.added_value(d, "vs", risks=["p_base", "p_new"], cutoffs=[0.2, 0.4], threshold=0.3, n_boot=50,
                         progress=False)
    for name in FIXTURE_MEASURES:
        assert getattr(res, name).value == pytest.approx(ref[name], rel=1e-9, abs=1e-12), name
    assert res.lr_test is None and res.corrected == {} and res.form == "given risks"
    assert any("no optimism correction" in n for n in res.notes)
    assert any("no likelihood-ratio test" in n and "nested" in n for n in res.notes)


def test_steyerberg_2010_discrimination_slopes():
    dev = read_public("me_testis_development.csv")
    val = read_public("me_testis_validation.csv")
    predictors = ["ter_pos", "preafp", "prehcg", "sqpost", "reduc10"]
    for frame in (dev, val):
        for c in ("ter_pos", "preafp", "prehcg"):
            frame[c] = (frame[c] == "Yes").astype(float)
    res = ds.added_value(dev, "tum_res", base=predictors[:3], new=predictors[3:], n_boot=20, progress=False)
    assert res.slope_new.value == published(0.30, 2)          # development (apparent)
    # validation: the development model's risks (the file's p) against the development base model's
    base_fit = sm.Logit(dev["tum_res"], sm.add_constant(dev[predictors[:3]])).fit(disp=False)
    val["p_base"] = base_fit.predict(sm.add_constant(val[predictors[:3]]))
    res_val = ds.added_value(val, "tum_res", risks=["p_base", "p"], n_boot=20, progress=False)
    assert res_val.slope_new.value == published(0.24, 2)
    # the development fit reproduces the file's risks: the same model as Steyerberg's
    full = sm.Logit(dev["tum_res"], sm.add_constant(dev[predictors])).fit(disp=False)
    assert np.allclose(full.predict(), dev["p"], atol=1e-6)


@pytest.fixture(scope="module")
def simulated():
    rng = np.random.default_rng(3)
    n = 600
    df = pd.DataFrame({"age": rng.normal(60, 10, n), "known": rng.random(n) < 0.3, "marker": rng.normal(size=n),
                       "noise": rng.normal(size=n)})
    eta = -4 + 0.05 * df.age + 1.0 * df.known + 0.9 * df.marker
    df["y"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return df


def test_optimism_correction_and_intervals(simulated):
    res = ds.added_value(simulated, "y", base=["age", "known"], new=["marker", "noise"], cutoffs=[0.2, 0.5],
                         threshold=0.3, n_boot=200, seed=4, progress=False)
    # the apparent gain is optimistic: the corrected IDI and continuous NRI are smaller
    assert res.corrected["idi"].value < res.idi.value
    assert res.corrected["auc_new"].value < res.auc_new.value
    for e in (res.idi, res.nri_events, res.nri_nonevents, res.delta_brier, res.delta_net_benefit):
        assert e.lower <= e.value <= e.upper
    assert res.lr_test.p_value < 1e-6 and res.lr_test.df == 2
    assert res.delta_auc.estimate.value > 0 and "cross-validated" in res.delta_auc.method
    # a useless marker adds nothing: LR test not significant, corrected IDI about 0
    null = ds.added_value(simulated, "y", base=["age", "known", "marker"], new=["noise"], n_boot=200, seed=4,
                          progress=False)
    assert null.lr_test.p_value > 0.05
    assert abs(null.corrected["idi"].value) < 0.005


def test_same_seed_same_numbers_and_frame(simulated):
    kwargs = dict(base=["age"], new=["marker"], cutoffs=[0.3], n_boot=40, progress=False)
    a, b = ds.added_value(simulated, "y", seed=7, **kwargs), ds.added_value(simulated, "y", seed=7, **kwargs)
    assert a.to_dict() == b.to_dict()
    frame = a.to_frame()
    assert list(frame.columns[:8]) == ["model", "measure", "value", "lower", "upper", "level", "method", "notes"]
    assert {"corrected", "p_value", "test_method"} <= set(frame.columns)
    assert set(frame.measure) >= {"nri_events", "nri_nonevents", "idi", "lr_test", "auc_difference_cv"}


def test_nri_components_only_no_percent_reclassified(simulated):
    """Leening et al. (2014): the NRI is reported as its two components, never as one 'percent reclassified'."""
    res = ds.added_value(simulated, "y", base=["age"], new=["marker"], cutoffs=[0.3], n_boot=20, progress=False)
    names = set(dir(res)) | set(res.to_frame().measure) | set(res.to_dict())
    assert {"nri_events", "nri_nonevents", "continuous_nri_events", "continuous_nri_nonevents"} <= names
    assert not [n for n in names if "percent" in n.lower() or "reclassified" in n.lower() or n.lower() == "nri"]
    text = str(res).lower()
    assert "percent reclassified" not in text and "% reclassified" not in text


def test_bad_input(simulated):
    with pytest.raises(OptionError, match="reference="):   # the reference standard is always reference=
        ds.added_value(simulated, outcome="y", base=["age"], new=["marker"], n_boot=20)
    with pytest.raises(DataError, match="new= repeats"):
        ds.added_value(simulated, "y", base=["age", "marker"], new=["marker"], n_boot=20)
    with pytest.raises(OptionError, match="either base= and new="):
        ds.added_value(simulated, "y", base=["age"], new=["marker"], risks=["age", "marker"], n_boot=20)
    with pytest.raises(DataError, match="outside \\[0, 1\\]"):
        ds.added_value(simulated, "y", risks=["age", "marker"], n_boot=20)
    with pytest.raises(DataError, match="constant"):
        ds.added_value(simulated.assign(c=0.4, p=0.3), "y", risks=["c", "p"], n_boot=20)
    with pytest.raises(DataError, match="constant"):
        ds.added_value(simulated.assign(c=1.0), "y", base=["age"], new=["c"], n_boot=20)
    with pytest.raises(OptionError, match="cutoffs"):
        ds.added_value(simulated, "y", base=["age"], new=["marker"], cutoffs=[0, 0.5], n_boot=20)
    with pytest.raises(OptionError, match="threshold"):
        ds.added_value(simulated, "y", base=["age"], new=["marker"], threshold=1.5, n_boot=20)
    separated = simulated.assign(sep=simulated["y"] * 2.0 + np.linspace(0, 0.1, len(simulated)))
    with pytest.raises(ConvergenceError, match="separates the events"):
        ds.added_value(separated, "y", base=["age"], new=["sep"], n_boot=20)


def test_delta_auc_is_compare_roc_on_the_risks(mtcars):
    """The paired DeLong test equals ds.compare_roc's (pROC parity there) on the same risks."""
    d, ref = mtcars
    d = d.assign(p_base=ref["p_base"], p_new=ref["p_new"])
    res = ds.added_value(d, "vs", risks=["p_base", "p_new"], n_boot=20, progress=False)
    expected = ds.compare_roc(ds.roc(d["vs"], d["p_new"]), ds.roc(d["vs"], d["p_base"]), paired=True)
    assert res.delta_auc.statistic == pytest.approx(expected.statistic, rel=1e-10)
    assert res.delta_auc.p_value == pytest.approx(expected.p_value, rel=1e-10)
    assert res.delta_auc.estimate.value == pytest.approx(ref["auc_new"] - ref["auc_base"], rel=1e-10)
    assert res.delta_auc.estimate.lower == pytest.approx(expected.estimate.lower, rel=1e-10)
