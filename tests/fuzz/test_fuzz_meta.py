"""Fuzz: univariate and bivariate meta-analysis (ds.meta) on small, degenerate and bad study tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds

from . import strategies as s
from .invariants import budget, check_outcome, covers, make_call
from .strategies import kw, maybe


@st.composite
def studies(draw, *, events: bool = False):
    """1 to 8 studies of counts (zero cells, all zero, huge, non-counts), sometimes a defect."""
    k = draw(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8, 4, 5, 6, 8]))
    cell = st.one_of(st.integers(1, 40), st.integers(1, 40), st.integers(0, 5), st.integers(1, 500))
    rows = {c: [draw(cell) for _ in range(k)] for c in ("tp", "fp", "fn", "tn")}
    if events:
        n = [draw(st.integers(0, 200)) for _ in range(k)]
        rows = {"events": [min(draw(cell), m) for m in n], "n": n}
    df = pd.DataFrame(rows)
    df.insert(0, "study", [f"s{i}" for i in range(k)])
    df["x"] = [draw(st.floats(-2, 2)) for _ in range(k)]
    df["modality"] = [draw(st.sampled_from(["MRI", "CT", "PET"])) for _ in range(k)]
    defect = draw(st.sampled_from(["none"] * 9 + ["huge", "negative", "nan", "float", "text", "dup_col",
                                   "dup_study", "all_zero"]))
    if k and defect != "none":
        col = draw(st.sampled_from([c for c in df.columns if c not in ("study", "x", "modality")]))
        df[col] = df[col].astype(object)
        value = {"huge": 2**63, "negative": -1, "nan": np.nan, "float": 2.5, "text": "7"}.get(defect)
        if value is not None:
            df.loc[0, col] = value
        elif defect == "dup_col":
            df = df.rename(columns={"x": col})
        elif defect == "dup_study":
            df["study"] = "s0"
        elif defect == "all_zero":
            df[col] = 0
    return df


@covers("meta.univariate")
@settings(max_examples=budget(1.5))
@given(st.data())
def test_univariate(data):
    measure = data.draw(s.options(["sensitivity", "specificity", "dor", "lr_positive", "lr_negative", "proportion"]),
                        label="measure")
    df = data.draw(studies(events=measure == "proportion"), label="data")
    options = kw(data, method=maybe(s.options(["dl", "reml", "ml", "glmm", "DL", "REML", "ML"])),
                 test=maybe(s.options(["z", "knha", "adhoc", "hksj"])), level=maybe(s.levels()),
                 correction=maybe(s.arg([0.5, 0.25, 0.0], -1.0, np.nan, np.inf)),
                 correction_control=maybe(s.options(["zero_studies", "all"])),
                 study=maybe(s.arg(["study"], "missing")))
    check_outcome(make_call("meta.univariate", ds.meta.univariate, df, measure=measure, **options))


@covers("meta.describe_studies")
@settings(max_examples=budget(0.75))
@given(st.data())
def test_describe_studies(data):
    df = data.draw(studies(), label="data")
    options = kw(data, level=maybe(s.levels()), study=maybe(s.arg(["study"], "missing")),
                 correction=maybe(s.arg([0.5, 0.25], -1.0, np.nan)),
                 correction_control=maybe(s.options(["zero_studies", "all"])))
    verdict = check_outcome(make_call("meta.describe_studies", ds.meta.describe_studies, df, **options))
    if verdict.kind == "result":
        result = ds.meta.describe_studies(df, **options)
        assert len(result.studies) == len(df) and 0 <= result.sensitivity_test.p_value <= 1


@covers("meta.mantel_haenszel")
@settings(max_examples=budget(0.75))
@given(st.data())
def test_mantel_haenszel(data):
    df = data.draw(studies(), label="data")
    options = kw(data, level=maybe(s.levels()), study=maybe(s.arg(["study"], "missing")))
    verdict = check_outcome(make_call("meta.mantel_haenszel", ds.meta.mantel_haenszel, df, **options))
    if verdict.kind == "result":
        result = ds.meta.mantel_haenszel(df, **options)
        assert result.dor.value >= 0
        assert np.isnan(result.se) or result.dor.lower <= result.dor.value <= result.dor.upper


@covers("meta.proportional_hazards", "ProportionalHazardsMetaResult.sroc")
@settings(max_examples=budget(0.75))
@given(st.data())
def test_proportional_hazards(data):
    df = data.draw(studies(), label="data")
    options = kw(data, level=maybe(s.levels()), study=maybe(s.arg(["study"], "missing")),
                 random_effects=maybe(s.arg([True, False], "yes")),
                 correction=maybe(s.arg([0.5, 0.25], -1.0, np.nan)),
                 correction_control=maybe(s.options(["zero_studies", "all"])),
                 variance=maybe(s.options(["outer_product", "hessian"])))
    verdict = check_outcome(make_call("meta.proportional_hazards", ds.meta.proportional_hazards, df, **options))
    if verdict.kind == "result":
        result = ds.meta.proportional_hazards(df, **options)
        theta, auc = result.theta, result.auc
        assert theta.value >= 0 and 0 < auc.value <= 1
        assert result.tau2 is None or result.tau2.value >= 0
        if np.isfinite(theta.lower):
            assert 0 <= theta.lower <= theta.value <= theta.upper and auc.lower <= auc.value <= auc.upper <= 1
        curve = result.sroc()
        assert np.all(np.diff(curve["sensitivity"]) >= 0)


@covers("meta.bivariate", "BivariateMetaResult.sroc", "BivariateMetaResult.confidence_region")
@settings(max_examples=budget(0.75))
@given(st.data())
def test_bivariate(data):
    df = data.draw(studies(), label="data")
    options = kw(data, method=maybe(s.options(["reml", "ml", "glmm"])), level=maybe(s.levels()),
                 correction=maybe(s.arg([0.5, 0.0], -1.0, np.nan)), study=maybe(s.arg(["study"], "missing")),
                 covariates=maybe(st.sampled_from([None, "x", ["x"], ["missing"], [], "study"])),
                 covariate=maybe(st.sampled_from([None, "modality", "x", "study", "missing", ["modality"], 3])),
                 alpha_sensitivity=maybe(s.arg([0.5, 1.0, 1.7], 0, 2, -1, "1", np.nan)),
                 alpha_fpr=maybe(s.arg([0.3, 1.0, 1.5], 2.5, None)))
    verdict = check_outcome(make_call("meta.bivariate", ds.meta.bivariate, df, **options))
    if verdict.kind == "result":
        result = ds.meta.bivariate(df, **options)
        if options.get("covariate") is not None:      # one summary point per level of the covariate
            frame = result.to_frame()
            levels = frame.loc[frame["compared_with"].eq("") & frame["measure"].eq("sensitivity"), options["covariate"]]
            assert list(levels) == list(result.categories)
            assert sorted(levels) == sorted({str(v) for v in df[options["covariate"]]})
            assert 0 <= result.covariate_test.p_value <= 1 and result.covariate_test.df == 2 * (len(levels) - 1)
        check_outcome(make_call("BivariateMetaResult.sroc", result.sroc,
                                data.draw(st.sampled_from([None, [0.1, 0.5], [0.0, 1.0], [-0.1], "a", np.nan]),
                                          label="fpr")))
        check_outcome(make_call("BivariateMetaResult.confidence_region", result.confidence_region,
                                **kw(data, level=s.levels(), n_points=maybe(s.arg([10, 50], 0, -3, 2.5)))))


@covers("BivariateMetaResult.dor_prediction")
@settings(max_examples=budget(0.5))
@given(st.data())
def test_bivariate_dor_prediction(data):
    df = data.draw(studies(), label="data")
    options = kw(data, method=maybe(s.options(["reml", "ml", "glmm"])), correction=maybe(s.arg([0.5, 0.0])),
                 alpha_sensitivity=maybe(s.arg([0.6, 1.0])), alpha_fpr=maybe(s.arg([1.4, 1.0])))
    try:
        result = ds.meta.bivariate(df, **options)
    except ds.DiagstatsError:
        return
    verdict = check_outcome(make_call("BivariateMetaResult.dor_prediction", result.dor_prediction,
                                      **kw(data, level=maybe(s.levels()))))
    if verdict.kind == "result":
        lower, upper = result.dor_prediction()
        assert lower <= result.dor.value <= upper or not np.isfinite(result.dor.value)


@covers("BivariateMetaResult.heterogeneity")
@settings(max_examples=budget(0.5))
@given(st.data())
def test_bivariate_heterogeneity(data):
    df = data.draw(studies(), label="data")
    options = kw(data, method=maybe(s.options(["reml", "ml", "glmm"])), correction=maybe(s.arg([0.5, 0.0])),
                 covariate=maybe(st.sampled_from([None, "modality"])),
                 alpha_sensitivity=maybe(s.arg([0.6, 1.0])))
    try:
        result = ds.meta.bivariate(df, **options)
    except ds.DiagstatsError:
        return
    if result.covariates or result.alpha != (1.0, 1.0):   # defined for the logit model without covariates
        with pytest.raises(ds.OptionError, match="covariate|alpha_sensitivity"):
            result.heterogeneity()
        return
    verdict = check_outcome(make_call("BivariateMetaResult.heterogeneity", result.heterogeneity))
    if verdict.kind == "result":
        het = result.heterogeneity()
        for i2 in (het.i2_sensitivity, het.i2_specificity, het.i2_bivariate):
            assert 0 <= i2.value <= 100
        assert het.within_variance_sensitivity > 0 and het.within_variance_specificity > 0
        assert het.generalized_variance <= het.tau2_sensitivity * het.tau2_specificity * (1 + 1e-9)


@covers("BivariateMetaResult.predictive_values")
@settings(max_examples=budget(0.5))
@given(st.data())
def test_bivariate_predictive_values(data):
    df = data.draw(studies(), label="data")
    try:
        result = ds.meta.bivariate(df, **kw(data, alpha_sensitivity=maybe(s.arg([0.6, 1.0])),
                                            alpha_fpr=maybe(s.arg([1.4, 1.0]))))
    except ds.DiagstatsError:
        return
    options = kw(data, prevalence=maybe(s.arg([0.2, [0.1, 0.5]], 0, 1.5, -0.1, "x")),
                 prevalence_sd=maybe(s.arg([0.05], 0.6, -1)), n_draws=maybe(s.arg([500], 5, 2.5)),
                 level=maybe(s.levels()))
    verdict = check_outcome(make_call("BivariateMetaResult.predictive_values", result.predictive_values,
                                      **options))
    if verdict.kind == "result":
        frame = result.predictive_values(**options)
        assert ((frame["lower"] <= frame["value"]) & (frame["value"] <= frame["upper"])).all()


def test_an_estimate_outside_its_interval_is_valid_only_with_a_note_saying_so():
    """The DerSimonian-Laird tau2 may lie outside its Q-profile interval (as in metafor) because a note says so, for
    that estimate and value; the same numbers without that note (or with a note about another estimate or value)
    are still invalid."""
    from diagstats.results import Estimate

    from .invariants import Outcome, classify, run

    call = make_call("meta.univariate", ds.meta.univariate,
                     pd.DataFrame({"events": [0, 0, 116, 149], "n": [430, 127, 126, 161]}), measure="proportion",
                     method="DL")
    outcome = run(call)
    assert outcome.value.tau2.value < outcome.value.tau2.lower  # 5.93 outside (6.99, 347.9)
    assert classify(call, outcome).kind == "result"
    import dataclasses  # the same result with the explaining note taken out of the estimate and the result
    tau2 = dataclasses.replace(outcome.value.tau2, notes=())
    stripped = dataclasses.replace(outcome.value, tau2=tau2, notes=tuple(
        n for n in outcome.value.notes if "not built around" not in n))
    verdict = classify(call, Outcome(value=stripped))
    assert verdict.kind == "invalid" and "tau2 = 5.93" in verdict.detail and "no note says why" in verdict.detail

    explained = ("tau2 interval by Q-profile (Viechtbauer 2007), which is not built around the DerSimonian-Laird "
                 "estimate: here the estimate 5.932 lies outside it (as in metafor)")
    estimate_call = make_call("Estimate", Estimate)
    for notes in [(), ("0.5 added to every cell of 2 studies",), (explained.replace("tau2", "I2"),),
                  (explained.replace("5.932", "4.1"),), ("tau2 lies outside its interval",)]:
        unexplained = Estimate(5.932429856254871, 6.994802394583291, 347.8841045866827, 0.95, "Q-profile", "tau2",
                               notes)
        verdict = classify(estimate_call, Outcome(value=unexplained))
        assert verdict.kind == "invalid" and "lies outside its interval" in verdict.detail, notes
    noted = Estimate(5.932429856254871, 6.994802394583291, 347.8841045866827, 0.95, "Q-profile", "tau2", (explained,))
    assert classify(estimate_call, Outcome(value=noted)).kind == "result"
