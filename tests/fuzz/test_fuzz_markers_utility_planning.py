"""Fuzz: blood-count markers (ds.markers), post-test probabilities and decision curves, sample size and power."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds

from . import strategies as s
from .invariants import budget, check_outcome, covers, make_call
from .strategies import kw, maybe


@st.composite
def blood(draw, sizes: st.SearchStrategy | None = None):
    """Blood counts, ratios and a diagnosis for 0..60 patients (zeros, NaN, infinities, negatives, text)."""
    n = draw(s.sizes() if sizes is None else sizes)
    positive = st.floats(0.1, 30, allow_nan=False)
    df = pd.DataFrame({c: np.asarray(draw(st.lists(positive, min_size=n, max_size=n)), dtype=float)
                       for c in ("neutrophils", "lymphocytes", "platelets", "monocytes", "age")})
    df["nlr"] = df["neutrophils"] / df["lymphocytes"].where(df["lymphocytes"] > 0, 1.0)
    df["plr"] = df["platelets"] * 10 / df["lymphocytes"].where(df["lymphocytes"] > 0, 1.0)
    df["diagnosis"] = draw(st.lists(st.sampled_from(["myeloma", "metastasis", "lymphoma"]), min_size=n, max_size=n))
    df["origin"] = draw(st.lists(st.sampled_from(["lung", "breast", "prostate"]), min_size=n, max_size=n))
    defect = draw(st.sampled_from(["none"] * 6 + ["nan", "inf", "negative", "zero", "text", "dup_col", "constant"]))
    if n and defect != "none":
        col = draw(st.sampled_from(["neutrophils", "lymphocytes", "nlr", "plr", "age"]))
        if defect == "dup_col":
            df = df.rename(columns={"age": col})
        elif defect == "constant":
            df[col] = 1.0
        else:
            df[col] = df[col].astype(object) if defect == "text" else df[col]
            df.loc[0, col] = {"nan": np.nan, "inf": np.inf, "negative": -1.0, "zero": 0.0, "text": "high"}[defect]
    return df


@covers("markers.ratios")
@settings(max_examples=budget(1.5))
@given(st.data())
def test_ratios(data):
    df = data.draw(blood(), label="data")
    options = kw(data, neutrophils=s.column_name(["neutrophils"]), lymphocytes=s.column_name(["lymphocytes"]),
                 platelets=maybe(s.column_name(["platelets"])), monocytes=maybe(s.column_name(["monocytes"])),
                 units=maybe(s.options(["10^9/L", "G/L"])),
                 nan_policy=maybe(s.options(["raise", "omit"])))
    check_outcome(make_call("markers.ratios", ds.markers.ratios, df, **options))


@covers("markers.describe")
@settings(max_examples=budget(1))
@given(st.data())
def test_describe(data):
    df = data.draw(blood(), label="data")
    options = kw(data, markers=s.column_list(["nlr", "plr", "age"], (1, 2)), by=s.column_name(["diagnosis", "origin"]),
                 omnibus_test=maybe(s.options(["kruskal", "welch_log"])), adjust=maybe(s.options(["holm", "fdr_bh",
                                                                                                   "none", "BH"])),
                 nan_policy=maybe(s.options(["raise", "omit"])))
    check_outcome(make_call("markers.describe", ds.markers.describe, df, **options))


@covers("markers.discriminate")
@settings(max_examples=budget(0.5))
@given(st.data())
def test_discriminate(data):
    df = data.draw(blood(st.integers(12, 60)), label="data")
    groups = {"no": ["myeloma"], "yes": ["lymphoma", "metastasis"]}
    options = kw(data, markers=s.column_list(["nlr", "plr"], (1, 2)),
                 groups=maybe(st.sampled_from([groups, {"no": ["myeloma"]}, {"no": ["x"], "yes": ["y"]}, "nope"])),
                 direction=maybe(s.options(["higher", "lower"])), cv=s.arg([2, 2, 3], 1, 0, 2.5, 100),
                 level=maybe(s.levels()), nan_policy=maybe(s.options(["raise", "omit"])))
    options.setdefault("groups", groups)
    check_outcome(make_call("markers.discriminate", ds.markers.discriminate, df, reference="diagnosis",
                            positive="yes", n_boot=20, progress=False, **options))


@covers("markers.predict_origin")
@settings(max_examples=budget(0.4))
@given(st.data())
def test_predict_origin(data):
    df = data.draw(blood(st.integers(12, 60)), label="data")
    options = kw(data, markers=s.column_list(["nlr", "plr"], (1, 2)), cv=s.arg([2, 2, 3], 1, 0, 2.5),
                 C=maybe(s.arg([None, 1.0], 0.0, -1.0, np.inf)), level=maybe(s.levels()),
                 nan_policy=maybe(s.options(["raise", "omit"])))
    check_outcome(make_call("markers.predict_origin", ds.markers.predict_origin, df, reference="origin", repeats=1,
                            n_boot=20, progress=False, **options))


@covers("OriginResult.calibration")
@settings(max_examples=budget(0.3))
@given(st.data())
def test_origin_calibration(data):
    df = data.draw(blood(st.integers(12, 40)), label="data")
    try:
        fitted = ds.markers.predict_origin(df, ["nlr"], reference="origin", cv=2, repeats=1, n_boot=20, progress=False)
    except ds.DiagstatsError:
        return  # refused data: predict_origin's own fuzz test covers it
    options = kw(data, curve=maybe(s.options(["loess", "logistic"])), n_boot=maybe(s.arg([None, 20], 0, 5)),
                 level=maybe(s.levels()), df=maybe(s.arg([None, 1, 2, 3], 0, 1.5, -1, True)))
    options.setdefault("n_boot", 20)
    check_outcome(make_call("OriginResult.calibration", fitted.calibration, progress=False,
                            **options))


@covers("post_test_probability", "post_test_odds")
@settings(max_examples=budget(3))
@given(st.data())
def test_post_test(data):
    pretest = data.draw(s.arg(st.floats(0, 1, allow_nan=False), -0.1, 1.1, np.nan), label="pretest")
    lr = data.draw(s.arg(st.one_of(st.floats(0, 1e6, allow_nan=False), st.just(0.0), st.just(np.inf)), -1.0, np.nan),
                   label="lr")
    check_outcome(make_call("post_test_probability", ds.post_test_probability, pretest, lr))
    odds = data.draw(s.arg(st.floats(0, 1e6, allow_nan=False), -1.0, np.nan), label="odds")
    check_outcome(make_call("post_test_odds", ds.post_test_odds, odds, lr))


@covers("decision_curve")
@settings(max_examples=budget(0.75))
@given(st.data())
def test_decision_curve(data):
    df, info = data.draw(s.patients(tests=1, scores=0, extra={
        "p": lambda n, y: st.just(np.clip(np.linspace(0, 1, n), 0, 1)),
        "follow_up": lambda n, y: st.just(np.linspace(0.1, 3.0, n))}), label="data")
    cols = list(df.columns)
    options = kw(data, predictors=s.column_list(["t1", "p"], (1, 2)),
                 thresholds=maybe(st.sampled_from([[0.1, 0.2], [0.0, 0.5], [1.0], [], [-0.1], "0.1", [0.3, 0.1]])),
                 time=maybe(s.arg(["follow_up"], "absent")), horizon=maybe(s.arg([1.0, 10.0], 0.0, -1.0)),
                 n_boot=maybe(s.arg([None, 20], 0, 5)), level=maybe(s.levels()),
                 nan_policy=maybe(s.options(["raise", "omit"])))
    if s.label_for(info):
        options["positive"] = data.draw(s.arg([s.label_for(info)], "absent"), label="positive")
    options.setdefault("n_boot", 20)
    check_outcome(make_call("decision_curve", ds.decision_curve, df, data.draw(s.column_name(cols), label="reference"),
                            progress=False, **options))


@covers("added_value")
@settings(max_examples=budget(0.4))
@given(st.data())
def test_added_value(data):
    df = data.draw(blood(st.integers(0, 60)), label="data")
    df["y"] = (df["diagnosis"] == "metastasis").astype(int)
    df["risk_a"] = 1 / (1 + np.exp(-(df["monocytes"] - 15) / 5))
    df["risk_b"] = 1 / (1 + np.exp(-(df["platelets"] - 15) / 3))
    if data.draw(st.booleans(), label="given risks"):
        options = {"risks": data.draw(s.arg([["risk_a", "risk_b"]], ["risk_a"], ["nlr", "age"], ["risk_a", "risk_a"]),
                                      label="risks")}
    else:
        options = {"base": data.draw(s.column_list(["age", "plr"], (1, 2)), label="base"),
                   "new": data.draw(s.arg([["nlr"]], []), label="new")}
    options.update(kw(data, cutoffs=maybe(s.arg([[0.3], [0.2, 0.5]], [0.0], [1.5], [])),
                      threshold=maybe(s.arg([0.2, 0.5], 0.0, 1.0)), cv=maybe(s.arg([2, 3], 1, 2.5)),
                      level=maybe(s.levels()), nan_policy=maybe(s.options(["raise", "omit"]))))
    check_outcome(make_call("added_value", ds.added_value, df, "y", n_boot=20, progress=False, **options))


@covers("calibration")
@settings(max_examples=budget(0.75))
@given(st.data())
def test_calibration(data):
    def risks(n, y):
        """Probabilities in (0, 1), tied or not, sometimes one exactly 0 or 1 or outside [0, 1] (to be refused)."""
        inside = st.one_of(st.floats(1e-9, 1 - 1e-9, allow_nan=False), st.sampled_from([0.2, 0.5]))
        edge = st.sampled_from([None] * 6 + [0.0, 1.0, 1.5, -0.2])

        def inject(values, bad):
            values = np.asarray(values, dtype=float)
            if n and bad is not None:
                values[0] = bad
            return values

        return st.builds(inject, st.lists(inside, min_size=n, max_size=n), edge)

    df, info = data.draw(s.patients(tests=0, scores=0, extra={"p": risks}), label="data")
    options = kw(data, curve=maybe(s.options(["loess", "logistic"])), span=maybe(s.arg([0.3, 0.75, 1.0], 0, 2)),
                 hosmer_lemeshow=maybe(s.arg([True, False], "yes")), groups=maybe(s.arg([3, 10], 1, 2.5)),
                 n_boot=maybe(s.arg([None, 20], 0, 5)), level=maybe(s.levels()),
                 nan_policy=maybe(s.options(["raise", "omit"])))
    if s.label_for(info):
        options["positive"] = data.draw(s.arg([s.label_for(info)], "absent"), label="positive")
    options.setdefault("n_boot", 20)
    check_outcome(make_call("calibration", ds.calibration, data=df, reference="y", probability="p", progress=False,
                            **options))


def _p(**extra):
    return s.probability(closed=False, **extra)


PLANNING = {
    "power_auc": lambda d: ((d.draw(st.one_of(_p(), st.none()), label="auc"),),   # None: solve for the AUC
                            kw(d, n_diseased=s.arg([1, 10, 30, 10**6], 0, -1), n_non_diseased=s.arg([1, 30], 0),
                               alpha=maybe(st.one_of(_p(), st.none())), null_auc=maybe(_p()),
                               power=maybe(_p()), alternative=maybe(s.options(["two-sided", "greater", "less"])))),
    "power_binormal_aucs": lambda d: ((d.draw(s.arg([1.0, 1.5, 0.0]), label="a1"), 1.0, 1.0, 1.0),
                                      kw(d, n_diseased=s.arg([10, 30], 0), n_non_diseased=s.arg([10], 0),
                                         correlation_diseased=maybe(s.arg([0.0, 0.5], 1.0, -1.5)),
                                         fpr_range=maybe(s.arg([(0.0, 0.2)], (0.3, 0.1), (0.0,))))),
    "power_paired_sensitivity": lambda d: ((d.draw(_p(), label="s1"), d.draw(_p(), label="s2")),
                                           kw(d, n_diseased=s.arg([5, 50], 0, -1, 2.5),
                                              discordance=maybe(s.arg([None, 0.2, 0.5], -0.1, 1.5)))),
    "sample_size_accuracy": lambda d: ((), kw(d, sensitivity=maybe(_p()), specificity=maybe(_p()),
                                              prevalence=_p(), half_width=s.arg([0.05, 0.1, 0.3], 0, -0.1, 0.9),
                                              level=maybe(s.levels()))),
    "sample_size_accuracy_exact": lambda d: ((), kw(d, sensitivity=maybe(_p()), min_sensitivity=maybe(_p()),
                                                    specificity=maybe(_p()), min_specificity=maybe(_p()),
                                                    prevalence=_p(), power=maybe(_p()))),
    "sample_size_auc": lambda d: ((d.draw(_p(), label="auc"),), kw(d, null_auc=maybe(_p()), ratio=maybe(
        s.arg([1.0, 2.0, 0.5], 0, -1)), power=maybe(_p()), alternative=maybe(s.options(["two-sided", "greater"])))),
    "sample_size_binormal_aucs": lambda d: ((d.draw(s.arg([1.5, 2.0, 3.0], 1.0), label="a1"), 1.0, 1.0, 1.0),
                                            kw(d, correlation_diseased=maybe(s.arg([0.0, 0.5], 1.0)),
                                               ratio=maybe(s.arg([1.0], 0)), power=maybe(_p()))),
    "sample_size_paired_sensitivity": lambda d: ((d.draw(_p(), label="s1"), d.draw(_p(), label="s2")),
                                                 kw(d, discordance=maybe(s.arg([0.2, 0.5], -0.1, 1.5)),
                                                    prevalence=maybe(_p()), power=maybe(_p()))),
    "sample_size_two_aucs": lambda d: ((d.draw(_p(), label="auc1"), d.draw(_p(), label="auc2")),
                                       kw(d, correlation=maybe(s.arg([0.0, 0.5], 1.0, -1.5)), ratio=maybe(
                                           s.arg([1.0, 2.0], 0)), method=maybe(s.options(["hanley_mcneil",
                                                                                          "obuchowski"])))),
    "auc_variance": lambda d: ((d.draw(_p(), label="auc"), d.draw(s.arg([5, 50], 0, -1), label="n_diseased"),
                                d.draw(s.arg([5, 50], 0), label="n_non_diseased")), {}),
}


@covers(*(f"planning.{n}" for n in PLANNING), *(n for n in PLANNING if n != "auc_variance"))
@settings(max_examples=budget(4))
@given(st.data())
def test_planning(data):
    name = data.draw(st.sampled_from(sorted(PLANNING)), label="function")
    args, options = PLANNING[name](data)
    check_outcome(make_call(f"planning.{name}", getattr(ds.planning, name), *args, **options))
