"""Fuzz: 2x2 accuracy, intervals, paired and unpaired comparisons, combinations, agreement, STARD counts."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds

from . import strategies as s
from .invariants import Bad, budget, check_outcome, covers, make_call
from .strategies import kw as _kw
from .strategies import maybe

PROPORTION = ["wilson", "wilson_cc", "clopper_pearson", "jeffreys", "agresti_coull", "wald", "mid_p", "exact"]


@covers("accuracy")
@settings(max_examples=budget(3))
@given(st.data())
def test_accuracy_from_counts(data):
    kw = _kw(data, tp=s.counts(), fp=s.counts(), fn=s.counts(), tn=s.counts(), level=maybe(s.levels()),
             ci_method=maybe(s.options(PROPORTION, none_ok=True)), dor_method=maybe(s.options(["woolf", "exact"])),
             youden_ci=maybe(s.options(["mover", "sum_of_limits"])))
    if kw.get("dor_method") == "exact":  # the exact DOR interval on huge counts is a catalogue bullet
        kw = {k: (min(v, 10**4) if isinstance(v, int) else v) for k, v in kw.items()}
    check_outcome(make_call("accuracy", ds.accuracy, **kw))


@covers("accuracy", "AccuracyResult.at_prevalence", "AccuracyResult.confidence_interval")
@settings(max_examples=budget(2))
@given(st.data())
def test_accuracy_from_data(data):
    df, info = data.draw(s.patients(scores=0), label="data")
    cols = list(df.columns)
    kw = _kw(data, test=s.weighted(st.sampled_from(["t1", "t2", ["t1", "t2"]]), s.column_name(cols)),
             reference=s.column_name(cols), level=maybe(s.levels()),
             ci_method=maybe(s.options(PROPORTION, none_ok=True)), nan_policy=maybe(s.options(["raise", "omit"])),
             youden_ci=maybe(s.options(["mover", "sum_of_limits"])))
    if s.label_for(info):
        kw["positive"] = data.draw(s.arg([s.label_for(info)], "absent"), label="positive")
        kw["test_positive"] = data.draw(s.arg([s.label_for(info)], "absent"), label="test_positive")
    verdict = check_outcome(make_call("accuracy", ds.accuracy, df, **kw))
    if verdict.kind == "result":
        result = ds.accuracy(df, **kw)
        if isinstance(result, ds.AccuracyResult):
            nnd = result.nnd  # 1 / Youden's J: at least 1, inside its interval, or undefined with a note
            assert (np.isnan(nnd.value) and nnd.notes) or 1 - 1e-12 <= nnd.lower <= nnd.value <= nnd.upper
            check_outcome(make_call("AccuracyResult.at_prevalence", result.at_prevalence,
                                    data.draw(s.probability(closed=False), label="prevalence")))
            check_outcome(make_call("AccuracyResult.confidence_interval", result.confidence_interval,
                                    **_kw(data, level=s.levels(), method=maybe(s.options(PROPORTION)))))


def _cluster_ids(n, y):
    """Patient ids of the units: few clusters (0..5), so that units share patients."""
    return st.lists(st.integers(0, 5), min_size=n, max_size=n)


@covers("accuracy")
@settings(max_examples=budget(2))
@given(st.data())
def test_accuracy_clustered(data):
    df, info = data.draw(s.patients(scores=0, extra={"patient": _cluster_ids}), label="data")
    cols = list(df.columns)
    kw = _kw(data, test=s.weighted(st.sampled_from(["t1", "t2", ["t1", "t2"]]), s.column_name(cols)),
             reference=s.column_name(cols), cluster=s.weighted(st.just("patient"), s.column_name(cols)),
             level=maybe(s.levels()),
             ci_method=maybe(s.options(["ratio", "bootstrap", "gee", "glmm", "wilson"], none_ok=True)),
             nan_policy=maybe(s.options(["raise", "omit"])),
             ratio_interval=maybe(s.options(["korn_graubard", "wald", "wald_t", "logit", "wilson"], none_ok=True)))
    if kw.get("ci_method") == "bootstrap":
        kw.update(n_boot=50, progress=False, seed=data.draw(st.integers(0, 3), label="seed"))
    if s.label_for(info):
        kw["positive"] = data.draw(s.arg([s.label_for(info)], "absent"), label="positive")
        kw["test_positive"] = data.draw(s.arg([s.label_for(info)], "absent"), label="test_positive")
    check_outcome(make_call("accuracy", ds.accuracy, df, **kw))


@covers("proportion_ci")
@settings(max_examples=budget(3))
@given(st.data())
def test_proportion_ci(data):
    n = data.draw(s.counts(), label="n")
    x = data.draw(st.one_of(s.counts(), st.integers(0, 60)), label="x")
    kw = _kw(data, level=maybe(s.levels()), method=maybe(s.options(PROPORTION)))
    check_outcome(make_call("proportion_ci", ds.proportion_ci, x, n, **kw))


@covers("lr_ci", "dor_ci")
@settings(max_examples=budget(3))
@given(st.data())
def test_lr_and_dor_ci(data):
    cells = [data.draw(s.counts(), label=c) for c in ("tp", "fp", "fn", "tn")]
    corr = s.arg(st.sampled_from([0.5, 0.25, 1.0]), -1.0, np.nan, np.inf, "0.5")
    kw = _kw(data, level=maybe(s.levels()), correction=maybe(corr), positive=maybe(s.flags()))
    check_outcome(make_call("lr_ci", ds.lr_ci, *cells, **kw))
    kw = _kw(data, level=maybe(s.levels()), correction=maybe(corr), method=maybe(s.options(["woolf", "exact"])))
    if kw.get("method") == "exact":  # a slow exact method on large counts is a catalogue bullet
        cells = [min(c, 200) if isinstance(c, int) and not isinstance(c, bool) else c for c in cells]
    check_outcome(make_call("dor_ci", ds.dor_ci, *cells, **kw))


def _two_tests_kw(data, df, info):
    kw = _kw(data, tests=s.column_list(["t1", "t2", "t3"], (2, 2)), reference=s.column_name(["y", "y", "t1"]),
             method=maybe(s.options(["asymptotic", "exact"], none_ok=True)), level=maybe(s.levels()),
             nan_policy=maybe(s.options(["raise", "omit"])))
    if s.label_for(info):
        kw["positive"] = data.draw(s.arg([s.label_for(info)], "absent"), label="positive")
        kw["test_positive"] = data.draw(s.arg([s.label_for(info)], "absent"), label="test_positive")
    return kw


@covers("compare_tests", "TestComparison.comparisons")
@settings(max_examples=budget(2))
@given(st.data())
def test_compare_tests(data):
    df, info = data.draw(s.patients(scores=0), label="data")
    kw = _two_tests_kw(data, df, info)
    kw.update(_kw(data, paired=maybe(s.flags(none_ok=True)), continuity=maybe(s.flags()),
                  ci_method=maybe(s.options(["tango", "newcombe", "wald", "agresti_min", "agresti-min"],
                                            none_ok=True)),
                  pv_method=maybe(s.options(["wgs", "gs"], none_ok=True))))
    if kw.get("paired") is False and "ci_method" in kw:  # the unpaired analysis has no paired interval methods
        kw.pop("ci_method")
        kw.pop("pv_method", None)
    verdict = check_outcome(make_call("compare_tests", ds.compare_tests, df, **kw))
    if verdict.kind == "result":
        check_outcome(make_call("TestComparison.comparisons", ds.compare_tests(df, **kw).comparisons))


@covers("cluster_bootstrap")
@settings(max_examples=budget(1))
@given(st.data())
def test_cluster_bootstrap(data):
    df, info = data.draw(s.patients(scores=0, extra={"patient": _cluster_ids}), label="data")
    statistic = data.draw(st.sampled_from([
        lambda d, w: w @ np.asarray(d["y"], dtype=float) / w.sum(axis=1),        # may be NaN: missing values
        lambda d, w: np.ones(len(w)),
        lambda d, w: 0.5,                                                           # not one value per replicate
        "mean",
    ]), label="statistic")
    options = _kw(data, cluster=s.weighted(st.just("patient"), s.column_name(list(df.columns))),
                  n_boot=maybe(s.arg([50], 0, 2.5, -1)), level=maybe(s.levels()), name=maybe(s.arg(["share"], "", 3)))
    with np.errstate(invalid="ignore", divide="ignore"):
        check_outcome(make_call("cluster_bootstrap", ds.cluster_bootstrap, df, statistic, progress=False, **options))


@covers("compare_screen_positive", "ScreenPositiveComparison.confidence_rectangle")
@settings(max_examples=budget(2))
@given(st.data())
def test_compare_screen_positive(data):
    df, info = data.draw(s.patients(scores=0), label="data")
    kw = _two_tests_kw(data, df, info)
    kw.pop("method", None)
    verdict = check_outcome(make_call("compare_screen_positive", ds.compare_screen_positive, df, **kw))
    if verdict.kind == "result":
        check_outcome(make_call("ScreenPositiveComparison.confidence_rectangle",
                                ds.compare_screen_positive(df, **kw).confidence_rectangle))


@covers("compare_tests")
@settings(max_examples=budget(2))
@given(st.data())
def test_compare_tests_clustered(data):
    df, info = data.draw(s.patients(scores=0, extra={"patient": _cluster_ids}), label="data")
    kw = _two_tests_kw(data, df, info)
    kw.update(_kw(data, cluster=s.weighted(st.just("patient"), s.column_name(list(df.columns))),
                  method=maybe(s.options(["obuchowski", "durkalski", "eliasziw", "yang", "asymptotic"], none_ok=True)),
                  ci_method=maybe(s.options(["wald", "mover"], none_ok=True))))
    check_outcome(make_call("compare_tests", ds.compare_tests, df, **kw))


@covers("combine_tests")
@settings(max_examples=budget(2))
@given(st.data())
def test_combine_tests(data):
    df, info = data.draw(s.patients(scores=0), label="data")
    kw = _two_tests_kw(data, df, info)
    kw.update(_kw(data, rule=maybe(s.options(["either", "both"]))))
    check_outcome(make_call("combine_tests", ds.combine_tests, df, **kw))


@st.composite
def raters(draw):
    """Two or three raters on 0..60 subjects, categorical (2 to 4 levels) or binary, in one of the codings."""
    n = draw(s.sizes())
    k = draw(st.sampled_from([2, 2, 3, 4]))
    first = np.asarray(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)), dtype=int)
    out = [first]
    for _ in range(draw(st.sampled_from([1, 1, 2]))):
        agree = draw(st.sampled_from([0.0, 0.5, 0.9, 1.0]))
        noise = np.asarray(draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)), dtype=float)
        other = np.asarray(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)), dtype=int)
        out.append(np.where(noise < agree, first, other))
    if draw(st.integers(0, 9)) == 0 and n:  # a constant rater
        out[-1] = np.full(n, out[-1][0])
    coding = draw(st.sampled_from(["int", "int", "text", "float", "object", "bool"]))
    if coding == "text":
        out = [np.asarray(["low", "mid", "high", "max"], dtype=object)[r] for r in out]
    elif coding == "float":
        out = [r.astype(float) for r in out]
    elif coding == "object":
        out = [r.astype(object) for r in out]
    elif coding == "bool" and k == 2:
        out = [r.astype(bool) for r in out]
    return draw(s.mismatched(out)), coding, k


@covers("agreement")
@settings(max_examples=budget(3))
@given(st.data())
def test_agreement_arrays(data):
    rs, coding, k = data.draw(raters(), label="raters")
    kw = _kw(data, weights=maybe(s.options(["linear", "quadratic"], none_ok=True)), level=maybe(s.levels()),
             ci_method=maybe(s.options(PROPORTION)), nan_policy=maybe(s.options(["raise", "omit"])),
             index_se=maybe(s.options(["multinomial", "independent"])))
    if data.draw(st.integers(0, 9), label="categories?") == 0:
        kw["categories"] = data.draw(st.sampled_from([list(range(k)), list(range(k))[::-1], [0, 1], "abc", None,
                                                     ["low", "mid", "high", "max"][:k], [], 3]), label="categories")
    check_outcome(make_call("agreement", ds.agreement, raters=tuple(rs) if isinstance(rs, list) else rs, **kw))


@covers("agreement")
@settings(max_examples=budget(1))
@given(st.data())
def test_agreement_frame(data):
    df, info = data.draw(s.patients(scores=0), label="data")
    kw = _kw(data, raters=s.column_list(["t1", "t2", "t3"], (2, 3)), level=maybe(s.levels()),
             nan_policy=maybe(s.options(["raise", "omit"])))
    check_outcome(make_call("agreement", ds.agreement, df, **kw))


@covers("stard_counts")
@settings(max_examples=budget(2))
@given(st.data())
def test_stard_counts(data):
    df, info = data.draw(s.patients(scores=0, tests=2), label="data")
    n = len(df)
    if data.draw(st.booleans(), label="attempted?") and df.columns.is_unique:
        df = df.assign(done=data.draw(s.binary_values(n), label="done").astype(int))
    cols = list(df.columns)
    kw = _kw(data, test=s.column_name(cols), reference=s.column_name(cols),
             attempted=maybe(s.arg(["done"] if "done" in cols else ["t2"], "absent")),
             test_label=maybe(st.sampled_from(["MRI", "", "<b>x</b>"])))
    if s.label_for(info):
        kw["positive"] = data.draw(s.arg([s.label_for(info)], "absent"), label="positive")
    if data.draw(st.integers(0, 4), label="exclusions?") == 0:
        flag = data.draw(s.binary_values(n), label="flags")
        kw["exclusions"] = data.draw(st.sampled_from([{"withdrew": flag}, {"withdrew": "t2"}, {"withdrew": 3},
                                                     {"": flag}, "t2", {"withdrew": list(flag) + [True]}]),
                                     label="exclusions")
    check_outcome(make_call("stard_counts", ds.stard_counts, df, **kw))


def test_bad_marks_a_value_that_must_be_refused():
    """The classifier's "accepted" outcome: a result for a call that passed a value marked Bad fails."""
    from .invariants import classify, run

    call = make_call("proportion_ci", ds.proportion_ci, 3, 10, level=Bad(0.95))
    assert classify(call, run(call)).kind == "accepted"
    call = make_call("proportion_ci", ds.proportion_ci, 3, 10, level=Bad(95))
    assert classify(call, run(call)).kind == "error"


def test_nan_in_an_array_interval_needs_a_warning_listing_it():
    """NaN bounds of a vectorised interval are fine only where a DiagstatsWarning lists their index."""
    from diagstats.results import Interval

    from .invariants import Outcome, classify, run

    call = make_call("lr_ci", ds.lr_ci, [0, 3, 1], [3, 4, 0], [0, 5, 0], [4, 6, 0])
    assert classify(call, run(call)).kind == "result"  # NaN at 0 and 2, both listed by the warning
    nan_interval = Interval(np.array([np.nan, 0.2, np.nan]), np.array([np.nan, 0.9, np.nan]))
    listed_one = Outcome(value=nan_interval, notes=["lr_ci: ... undefined for the table(s) at index 0; ..."])
    verdict = classify(call, listed_one)
    assert verdict.kind == "invalid" and "no DiagstatsWarning lists by index" in verdict.detail
    assert classify(call, Outcome(value=nan_interval)).kind == "invalid"
