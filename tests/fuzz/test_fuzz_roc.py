"""Fuzz: ROC curves, AUC intervals, operating points, cutpoints, comparisons, multiclass ROC, plot_roc."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds

from . import strategies as s
from .invariants import budget, check_outcome, covers, make_call, run
from .strategies import kw, maybe


@st.composite
def curve_input(draw):
    """(y_true, y_score) arrays, sometimes mismatched, in one of the codings."""
    n = draw(s.sizes())
    y = draw(s.binary_values(n))
    score = draw(s.score_values(n, y.astype(float)))
    coding = draw(st.sampled_from(["int", "bool", "float", "object", "text"]))
    y_coded = s.code_binary(y, coding)
    if n and draw(st.integers(0, 9)) == 0:
        score = score.astype(float)
        score[draw(st.integers(0, n - 1))] = np.nan
    y_coded, score = draw(s.mismatched([y_coded, score]))
    return y_coded, score, coding


@covers("roc")
@settings(max_examples=budget(3))
@given(st.data())
def test_roc_arrays(data):
    y, score, coding = data.draw(curve_input(), label="curve")
    options = kw(data, direction=maybe(s.options(["higher", "lower"])), level=maybe(s.levels()),
                 nan_policy=maybe(s.options(["raise", "omit"])))
    if coding == "text":
        options["positive"] = data.draw(s.arg(["pos"], "absent"), label="positive")
    check_outcome(make_call("roc", ds.roc, y, score, **options))


@covers("roc")
@settings(max_examples=budget(1))
@given(st.data())
def test_roc_frame(data):
    df, info = data.draw(s.patients(tests=0), label="data")
    cols = list(df.columns)
    options = kw(data, reference=s.column_name(cols), score=s.column_name(cols, p_bad=20),
                 nan_policy=maybe(s.options(["raise", "omit"])))
    if s.label_for(info):
        options["positive"] = data.draw(s.arg([s.label_for(info)], "absent"), label="positive")
    check_outcome(make_call("roc", ds.roc, data=df, **options))


@covers("roc", "compare_roc")
@settings(max_examples=budget(2))
@given(st.data())
def test_roc_clustered(data):
    n = data.draw(st.integers(2, 30), label="n")
    y = data.draw(s.binary_values(n, one_class_p=0), label="y")
    scores = [np.where(np.isfinite(v), v, 0.0) for v in
              (data.draw(s.score_values(n, y.astype(float)), label=f"s{i}") for i in (1, 2))]
    clusters = data.draw(s.arg(st.lists(st.integers(0, 5), min_size=n, max_size=n).map(np.array),
                               [1] * n, [np.nan] * n, list(range(n + 1))), label="cluster")
    options = kw(data, level=maybe(s.levels()), nan_policy=maybe(s.options(["raise", "omit"])))
    verdict = check_outcome(make_call("roc", ds.roc, y.astype(int), scores[0], cluster=clusters, **options))
    if verdict.kind == "result":
        curves = [ds.roc(y.astype(int), v, cluster=clusters, **options) for v in scores]
        compare = kw(data, method=maybe(s.options(["obuchowski", "delong"], none_ok=True)),
                     alternative=maybe(s.options(["two-sided", "less", "greater"])), level=maybe(s.levels()))
        check_outcome(make_call("compare_roc", ds.compare_roc, *curves, **compare))


@covers("roc")
@settings(max_examples=budget(2))
@given(st.data())
def test_roc_weighted(data):
    n = data.draw(st.integers(2, 30), label="n")
    y = data.draw(s.binary_values(n, one_class_p=0), label="y")
    score = data.draw(s.score_values(n, y.astype(float)), label="score")
    weights = data.draw(s.arg(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.7]), min_size=n, max_size=n),
                              [0.0] * n, [-1.0] * n, [np.inf] * n, [1.0] * (n + 1), ["a"] * n), label="weights")
    options = kw(data, direction=maybe(s.options(["higher", "lower"])), level=maybe(s.levels()),
                 nan_policy=maybe(s.options(["raise", "omit"])))
    verdict = check_outcome(make_call("roc", ds.roc, y.astype(int), score, weights=weights, **options))
    if verdict.kind == "result":
        res = ds.roc(y.astype(int), score, weights=weights, **options)
        assert 0.0 <= res.auc.value <= 1.0 and res.n_cases + res.n_controls <= n
        check_outcome(make_call("ROCResult.partial_auc", res.partial_auc, specificity=(0.8, 1.0), ci=True,
                                n_boot=20, progress=False))


@st.composite
def a_curve(draw, min_n: int = 2):
    """A valid ROC curve on small data (both classes present), for its methods."""
    n = draw(st.integers(max(min_n, 2), 40))
    y = draw(s.binary_values(n, one_class_p=0))
    if y.all() or not y.any():
        y[0] = not y[0]
    score = draw(s.score_values(n, y.astype(float)))
    score = np.where(np.isfinite(score), score, 0.0)
    return ds.roc(y.astype(int), score, direction=draw(st.sampled_from(["higher", "lower"])))


@covers("ROCResult.auc_ci", "ROCResult.auc_variance", "ROCResult.sensitivity_at", "ROCResult.specificity_at",
        "ROCResult.at_threshold", "ROCResult.partial_auc", "ROCResult.threshold", "ROCResult.smooth",
        "ROCResult.confidence_interval")
@settings(max_examples=budget(2))
@given(st.data())
def test_roc_methods(data):
    roc = data.draw(a_curve(), label="roc")
    boot = dict(n_boot=data.draw(s.arg([20, 30], 0, 5, -1, 2.5, True), label="n_boot"), progress=False)
    method = data.draw(st.sampled_from(["auc_ci", "auc_variance", "sensitivity_at", "specificity_at", "at_threshold",
                                        "partial_auc", "threshold", "smooth", "confidence_interval"]), label="method")
    fn = getattr(roc, method)
    name = f"ROCResult.{method}"
    if method == "auc_ci":
        call = make_call(name, fn, data.draw(s.options(["delong", "bootstrap", "hanley_mcneil"]), label="method"),
                         level=data.draw(s.levels(), label="level"),
                         boot_type=data.draw(s.options(["percentile", "bca"]), label="boot_type"), **boot,
                         **kw(data, stratified=maybe(s.flags())))
    elif method == "auc_variance":
        how = data.draw(s.options(["delong", "bootstrap", "hanley_mcneil", "obuchowski"]), label="method")
        call = make_call(name, fn, how, **boot, **kw(data, sensitivity=maybe(s.arg([(0.9, 1.0)], (0.5,), (1.0, 0.9))),
                                                     correct=maybe(s.flags()), stratified=maybe(s.flags())))
        outcome = run(call)
        check_outcome(call, outcome)
        if outcome.error is None:
            assert np.isnan(outcome.value) or outcome.value >= 0
        return
    elif method in ("sensitivity_at", "specificity_at"):
        call = make_call(name, fn, data.draw(s.probability(), label="value"),
                         **kw(data, level=maybe(s.levels())), **boot)
    elif method == "at_threshold":
        call = make_call(name, fn, data.draw(s.arg(st.floats(-6, 6, allow_nan=False), np.nan, "1"), label="threshold"),
                         **kw(data, level=maybe(s.levels())))
    elif method == "partial_auc":
        bounds = s.arg(st.sampled_from([(0.8, 1.0), (0.9, 1.0), (0.0, 1.0), (1.0, 0.8)]), (0.5,), (1.2, 0.8),
                       (np.nan, 1.0), "0.8-1")
        which = data.draw(st.sampled_from(["specificity", "sensitivity"]), label="which")
        call = make_call(name, fn, **{which: data.draw(bounds, label=which)},
                         **kw(data, correct=maybe(s.flags()), ci=maybe(s.flags())), **boot)
    elif method == "threshold":
        how = data.draw(s.options(["youden", "closest_topleft", "min_sensitivity", "min_specificity", "cost"]),
                        label="method")
        options = {"value": s.probability()} if how in ("min_sensitivity", "min_specificity") else {}
        if how == "cost":
            options = {"cost_ratio": s.arg([1.0, 2.0], 0, -1), "prevalence": s.probability(closed=False)}
        elif how in ("youden", "closest_topleft"):   # pROC's best.weights
            options = {"cost_ratio": maybe(s.arg([0.5, 3.0], 0, -1)), "prevalence": maybe(s.probability(closed=False))}
        options[data.draw(st.sampled_from(["specificity_range", "sensitivity_range"]), label="range")] = \
            maybe(_ranges())
        call = make_call(name, fn, how, **kw(data, **options))
    elif method == "smooth":
        call = make_call(name, fn, **kw(data, method=maybe(s.options(["binormal", "density", "fitdistr"])),
                                       fit=maybe(s.options(["ml", "least_squares"])),
                                       bins=maybe(s.arg([None, 5, 10], 0, -1, 1.5)),
                                       n=maybe(s.arg([None, 2, 64, 512], 1, -3, 2.5, "512")),
                                       bandwidth=maybe(s.arg(["nrd0", "nrd", 0.5], 0, -1.0, np.nan, "silverman"))))
    else:
        call = make_call(name, fn, **kw(data, level=maybe(s.levels()),
                                        method=maybe(s.options(["delong", "bootstrap", "hanley_mcneil"]))))
    check_outcome(call)


def _ranges():
    """A partial-AUC range for threshold() / local_maxima(): valid, reversed, empty, out of [0, 1] or not a pair."""
    return s.arg(st.sampled_from([(0.8, 1.0), (0.9, 1.0), (0.0, 1.0), (1.0, 0.5), (0.99, 1.0)]), (0.5,), (0.8, 0.8),
                 (1.2, 0.8), (np.nan, 1.0), "0.8-1")


@covers("ROCResult.local_maxima")
@settings(max_examples=budget(1))
@given(st.data())
def test_roc_local_maxima(data):
    roc = data.draw(a_curve(), label="roc")
    which = data.draw(st.sampled_from(["specificity_range", "sensitivity_range"]), label="which")
    call = make_call("ROCResult.local_maxima", roc.local_maxima, **kw(data, **{which: maybe(_ranges())}))
    outcome = run(call)
    if check_outcome(call, outcome).kind == "result":
        corners = outcome.value
        assert (np.diff(corners["specificity"]) > 0).all() and (np.diff(corners["sensitivity"]) < 0).all()


@covers("ROCResult.grey_zone")
@settings(max_examples=budget(2))
@given(st.data())
def test_roc_grey_zone(data):
    roc = data.draw(a_curve(), label="roc")
    if data.draw(st.booleans(), label="given cut-offs?"):
        options = kw(data, cutoffs=s.arg(st.tuples(st.floats(-4, 4), st.floats(-4, 4)), (1.0,), (np.nan, 1.0),
                                         (0.0, np.inf), "0-1"))
    else:
        options = kw(data, sensitivity=maybe(s.probability()), specificity=maybe(s.probability()))
    call = make_call("ROCResult.grey_zone", roc.grey_zone, n_boot=data.draw(s.arg([None, 20], 0, -1, 2.5)),
                     progress=False, **options)
    outcome = run(call)
    if check_outcome(call, outcome).kind == "result":
        zone = outcome.value
        assert zone.counts[["cases", "controls"]].to_numpy().sum() == roc.n_cases + roc.n_controls
        assert 0 <= zone["patients in the grey zone"].value <= 1


@covers("SmoothROCResult.sensitivity_at", "SmoothROCResult.specificity_at", "SmoothROCResult.best")
@settings(max_examples=budget(1))
@given(st.data())
def test_smoothed_curve_coords(data):
    roc = data.draw(a_curve(min_n=6), label="roc")
    method = data.draw(st.sampled_from(["binormal", "density", "fitdistr"]), label="method")
    try:
        smoothed = roc.smooth(method, fit="least_squares") if method == "binormal" else roc.smooth(method)
    except ds.DataError:  # too few operating points, or a constant group: a clear refusal, checked elsewhere
        return
    verb = data.draw(st.sampled_from(["sensitivity_at", "specificity_at", "best"]), label="verb")
    if verb == "best":
        call = make_call(f"SmoothROCResult.{verb}", smoothed.best,
                         **kw(data, method=maybe(s.options(["youden", "closest_topleft"]))))
    else:
        call = make_call(f"SmoothROCResult.{verb}", getattr(smoothed, verb), data.draw(s.probability(), label="x"))
    outcome = run(call)
    if check_outcome(call, outcome).kind == "result" and verb != "best":
        assert 0 <= outcome.value.value <= 1


@covers("compare_roc")
@settings(max_examples=budget(2))
@given(st.data())
def test_compare_roc(data):
    n = data.draw(st.integers(2, 30), label="n")
    y = data.draw(s.binary_values(n, one_class_p=0), label="y")
    if y.all() or not y.any():
        y[0] = not y[0]
    scores = [data.draw(s.score_values(n, y.astype(float)), label=f"s{i}") for i in (1, 2)]
    scores = [np.where(np.isfinite(v), v, 0.0) for v in scores]
    first = ds.roc(y.astype(int), scores[0])
    other_y = y if data.draw(st.integers(0, 3), label="same patients?") else data.draw(s.binary_values(n), label="y2")
    if other_y.all() or not other_y.any():
        other_y = y
    second = ds.roc(pd.Series(other_y.astype(int)), pd.Series(scores[1]))
    options = kw(data, method=maybe(s.options(["delong", "bootstrap", "venkatraman"], none_ok=True)),
                 paired=maybe(s.flags(none_ok=True)), alternative=maybe(s.options(["two-sided", "less", "greater"])),
                 level=maybe(s.levels()), n_boot=st.sampled_from([20, 25]), stratified=maybe(s.flags()))
    check_outcome(make_call("compare_roc", ds.compare_roc, first, second, progress=False, **options))


@covers("compare_roc")
@settings(max_examples=budget(2))
@given(st.data())
def test_compare_roc_omnibus(data):
    """Three or four curves: the pairwise table and DeLong's chi-square test of equal AUCs."""
    n = data.draw(st.integers(2, 30), label="n")
    y = data.draw(s.binary_values(n, one_class_p=0), label="y")
    if y.all() or not y.any():
        y[0] = not y[0]
    k = data.draw(st.sampled_from([3, 4]), label="k")
    scores = [np.where(np.isfinite(v), v, 0.0) for v in
              (data.draw(s.score_values(n, y.astype(float)), label=f"s{i}") for i in range(k))]
    if data.draw(st.booleans(), label="a repeated curve"):
        scores[-1] = scores[0]
    curves = [ds.roc(y.astype(int), v) for v in scores]
    options = kw(data, paired=maybe(s.flags(none_ok=True)), level=maybe(s.levels()))
    call = make_call("compare_roc", ds.compare_roc, curves, **options)
    outcome = run(call)
    if check_outcome(call, outcome).kind == "result":
        omnibus = outcome.value.omnibus
        assert omnibus is not None
        assert omnibus.df is None or 1 <= omnibus.df <= k - 1
        assert np.isnan(omnibus.p_value) or 0 <= omnibus.p_value <= 1
        assert np.isnan(omnibus.statistic) or omnibus.statistic >= 0


@covers("ROCResult.auc_covariance")
@settings(max_examples=budget(2))
@given(st.data())
def test_auc_covariance(data):
    """Two scores of the same (or other) patients: a finite covariance within the Cauchy-Schwarz bound, NaN, or a
    refusal naming the fix."""
    n = data.draw(st.integers(2, 30), label="n")
    y = data.draw(s.binary_values(n, one_class_p=0), label="y")
    if y.all() or not y.any():
        y[0] = not y[0]
    scores = [np.where(np.isfinite(v), v, 0.0) for v in
              (data.draw(s.score_values(n, y.astype(float)), label=f"s{i}") for i in (1, 2))]
    first = ds.roc(y.astype(int), scores[0])
    other_y = y if data.draw(st.integers(0, 3), label="same patients?") else np.roll(y, 1)
    second = ds.roc(other_y.astype(int), scores[1]) if other_y.any() and not other_y.all() else first
    method = data.draw(s.options(["delong", "bootstrap", "obuchowski"]), label="method")
    n_boot = data.draw(s.arg([20, 30], 0, -1, 2.5), label="n_boot")
    area = kw(data, specificity=maybe(s.arg([(0.8, 1.0), (0.6, 0.95)], (1.2, 0.8))), correct=maybe(s.flags()),
              stratified=maybe(s.flags()))
    call = make_call("ROCResult.auc_covariance", first.auc_covariance, second, method, n_boot=n_boot, progress=False,
                     **area)
    outcome = run(call)
    check_outcome(call, outcome)
    if outcome.error is None and method == "delong" and not np.isnan(outcome.value):
        assert abs(outcome.value) <= np.sqrt(first.auc_variance() * second.auc_variance()) * (1 + 1e-9) + 1e-15


@covers("power_roc_curves", "planning.power_roc_curves")
@settings(max_examples=budget(2))
@given(st.data())
def test_power_roc_curves(data):
    """Two curves of the same (or other) patients: a power or significance level within [0, 1], or a refusal."""
    n = data.draw(st.integers(2, 30), label="n")
    y = data.draw(s.binary_values(n, one_class_p=0), label="y")
    if y.all() or not y.any():
        y[0] = not y[0]
    scores = [np.where(np.isfinite(v), v, 0.0) for v in
              (data.draw(s.score_values(n, y.astype(float)), label=f"s{i}") for i in (1, 2))]
    other_y = y if data.draw(st.integers(0, 3), label="same patients?") else np.roll(y, 1)
    first = ds.roc(y.astype(int), scores[0])
    second = ds.roc(other_y.astype(int), scores[1]) if other_y.any() and not other_y.all() else first
    options = kw(data, alpha=maybe(s.arg([0.05, 0.01, None], 0, 1.5, -0.1)), power=maybe(s.arg([0.8, 0.9], 0, 80)),
                 alternative=maybe(s.options(["two-sided", "greater", "less"])),
                 method=maybe(s.options(["delong", "obuchowski", "bootstrap"])),
                 **{data.draw(st.sampled_from(["specificity", "sensitivity"]), label="focus"):
                    maybe(s.arg([(0.8, 1.0), (0.0, 1.0), (0.6, 0.95)], (1.2, 0.8), (0.5,)))},
                 correct=maybe(s.flags()), n_boot=s.arg([20], 0), stratified=maybe(s.flags()))
    call = make_call("power_roc_curves", ds.power_roc_curves, first, second, progress=False, **options)
    outcome = run(call)
    check_outcome(call, outcome)
    if outcome.error is None:
        assert 0 <= outcome.value <= 1


@covers("sample_size_roc_curves", "planning.sample_size_roc_curves")
@settings(max_examples=budget(2))
@given(st.data())
def test_sample_size_roc_curves(data):
    """Two pilot curves of the same (or other) patients: a plan of at least one patient per class reaching the
    power, or a refusal."""
    n = data.draw(st.integers(2, 30), label="n")
    y = data.draw(s.binary_values(n, one_class_p=0), label="y")
    if y.all() or not y.any():
        y[0] = not y[0]
    scores = [np.where(np.isfinite(v), v, 0.0) for v in
              (data.draw(s.score_values(n, y.astype(float)), label=f"s{i}") for i in (1, 2))]
    other_y = y if data.draw(st.integers(0, 3), label="same patients?") else np.roll(y, 1)
    first = ds.roc(y.astype(int), scores[0])
    second = ds.roc(other_y.astype(int), scores[1]) if other_y.any() and not other_y.all() else first
    options = kw(data, alpha=maybe(s.arg([0.05, 0.01], 0, 1.5, None)), power=maybe(s.arg([0.8, 0.9], 0, 80, None)),
                 ratio=maybe(s.arg([None, 1.0, 2.5], 0, -1)),
                 alternative=maybe(s.options(["two-sided", "greater", "less"])),
                 method=maybe(s.options(["delong", "obuchowski", "bootstrap"])),
                 **{data.draw(st.sampled_from(["specificity", "sensitivity"]), label="focus"):
                    maybe(s.arg([(0.8, 1.0), (0.0, 1.0), (0.6, 0.95)], (1.2, 0.8), (0.5,)))},
                 correct=maybe(s.flags()), n_boot=s.arg([20], 0), stratified=maybe(s.flags()))
    call = make_call("sample_size_roc_curves", ds.sample_size_roc_curves, first, second, progress=False, **options)
    outcome = run(call)
    check_outcome(call, outcome)
    if outcome.error is None:
        plan = outcome.value
        assert plan.n_diseased >= 1 and plan.n_non_diseased >= 1 and plan.n == plan.n_diseased + plan.n_non_diseased
        assert plan.power >= options.get("power", 0.8) - 1e-9


@covers("roc_multiclass")
@settings(max_examples=budget(1))
@given(st.data())
def test_roc_multiclass(data):
    n = data.draw(s.sizes(), label="n")
    classes = ["a", "b", "c"][:data.draw(st.sampled_from([2, 3, 3]), label="k")]
    y = np.asarray(data.draw(st.lists(st.sampled_from(classes), min_size=n, max_size=n), label="y"), dtype=object)
    scores = pd.DataFrame({c: data.draw(s.score_values(n, (y == c).astype(float)), label=c) for c in classes})
    defect = data.draw(st.sampled_from(["none", "none", "dup_col", "missing_class", "extra_class", "nan"]),
                       label="defect")
    if defect == "dup_col":
        scores.columns = [classes[0]] + classes[:-1]
    elif defect == "missing_class":
        scores = scores.iloc[:, :-1]
    elif defect == "extra_class":
        scores["z"] = 0.5
    elif defect == "nan" and n:
        scores.iloc[0, 0] = np.nan
    options = kw(data, level=maybe(s.levels()), nan_policy=maybe(s.options(["raise", "omit"])))
    partial = data.draw(st.sampled_from([None, "specificity", "sensitivity"]), label="partial")
    if partial is not None:
        options[partial] = data.draw(s.arg(st.sampled_from([(0.8, 1.0), (0.0, 1.0)]), (0.5,), (1.2, 0.8)),
                                     label=partial)
        options.update(kw(data, correct=maybe(s.flags())))
    check_outcome(make_call("roc_multiclass", ds.roc_multiclass, y, scores, n_boot=20, progress=False, **options))


@covers("roc_multiclass")
@settings(max_examples=budget(1))
@given(st.data())
def test_roc_multiclass_one_score(data):
    n = data.draw(s.sizes(), label="n")
    classes = ["a", "b", "c"][:data.draw(st.sampled_from([2, 3, 3]), label="k")]
    y = np.asarray(data.draw(st.lists(st.sampled_from(classes), min_size=n, max_size=n), label="y"), dtype=object)
    score = pd.Series(data.draw(s.score_values(n, (y == classes[-1]).astype(float)), label="score"))
    options = kw(data, level=maybe(s.levels()), nan_policy=maybe(s.options(["raise", "omit"])),
                 direction=maybe(s.options(["higher", "lower", "auto"])),
                 classes=maybe(s.arg([classes, classes[::-1]], classes[:1], ["a", "z"])))
    bounds = s.arg(st.sampled_from([(0.8, 1.0), (0.9, 1.0), (0.0, 1.0), (1.0, 0.8)]), (0.5,), (1.2, 0.8), (0.8, 0.8))
    partial = data.draw(st.sampled_from([None, "specificity", "sensitivity"]), label="partial")
    if partial is not None:
        options[partial] = data.draw(bounds, label=partial)
        options.update(kw(data, correct=maybe(s.flags())))
    check_outcome(make_call("roc_multiclass", ds.roc_multiclass, y, score, n_boot=20, progress=False, **options))


@covers("plot_roc")
@settings(max_examples=budget(0.3))
@given(st.data())
def test_plot_roc(data):
    import matplotlib.pyplot as plt

    roc = data.draw(a_curve(), label="roc")
    results = data.draw(st.sampled_from([[roc], [roc, roc], [], roc, "roc", [roc, 3]]), label="results")
    options = kw(data, labels=maybe(st.sampled_from([None, ["a"], ["a", "b", "c"], "a"])), ci=maybe(s.flags()))
    fig, ax = plt.subplots()
    try:
        check_outcome(make_call("plot_roc", ds.plot_roc, results, ax=ax, n_boot=20, **options))
    finally:
        plt.close(fig)
