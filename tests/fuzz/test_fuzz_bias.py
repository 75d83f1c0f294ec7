"""Fuzz: imperfect reference correction, partial verification correction, composite reference, latent class models."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds

from . import strategies as s
from .invariants import budget, check_outcome, covers, make_call
from .strategies import kw, maybe


@covers("correct_reference")
@settings(max_examples=budget(2))
@given(st.data())
def test_correct_reference(data):
    cells = {c: data.draw(st.one_of(st.integers(0, 60), st.just(0)), label=c) for c in ("tp", "fp", "fn", "tn")}
    try:
        result = ds.accuracy(**cells)
    except ds.DiagstatsError:
        return  # an empty table: accuracy() refuses it, and that is tested elsewhere
    accuracy_like = s.weighted(st.floats(0.6, 1.0), s.probability(), 20)
    options = kw(data, reference_sensitivity=maybe(accuracy_like), reference_specificity=accuracy_like,
                 level=maybe(s.levels()))
    check_outcome(make_call("correct_reference", ds.correct_reference, result, **options))


@covers("correct_verification")
@settings(max_examples=budget(0.75))
@given(st.data())
def test_correct_verification(data):
    df, info = data.draw(s.patients(n=data.draw(st.one_of(s.sizes(), st.integers(20, 60)), label="n"), tests=1,
                                    scores=1), label="data")
    if df.columns.is_unique:
        n = len(df)
        verified = data.draw(s.binary_values(n), label="verified")
        df = df.assign(reference=np.where(verified, df["y"].to_numpy(dtype=object), None),
                       v=verified.astype(int), age=np.linspace(40, 80, n))
    cols = list(df.columns)
    options = kw(data, test=s.column_name(["t1"] * 4 + cols), reference=s.column_name(["reference"] * 4 + cols),
                 method=maybe(s.options(["begg_greenes", "ipw", "multiple_imputation", "extended_begg_greenes", "bg",
                                         "em"])),
                 mnar=maybe(st.sampled_from([True, False, None, "yes"])),
                 covariates=maybe(st.sampled_from([None, ["age"], ["s1"], ["missing"], "age", []])),
                 verified=maybe(s.arg(["v"], "missing")), level=maybe(s.levels()),
                 predictive_values=maybe(s.options(["weighted", "disease_model"])),
                 nan_policy=maybe(s.options(["raise", "omit"])))
    if s.label_for(info):
        options["positive"] = data.draw(s.arg([s.label_for(info)], "absent"), label="positive")
    check_outcome(make_call("correct_verification", ds.correct_verification, df, n_boot=20, n_imputations=3,
                            progress=False, **options))


@covers("composite_reference")
@settings(max_examples=budget(0.5))
@given(st.data())
def test_composite_reference(data):
    df, info = data.draw(s.patients(n=data.draw(st.one_of(s.sizes(), st.integers(5, 40)), label="n"), tests=1,
                                    scores=0), label="data")
    if df.columns.is_unique:
        first = data.draw(s.binary_values(len(df)), label="biopsied")
        y = df["y"].to_numpy(dtype=object)
        df = df.assign(biopsy=np.where(first, y, None), follow_up=np.where(first, None, y))
    cols = list(df.columns)
    options = kw(data, positive=maybe(s.arg([s.label_for(info)] if s.label_for(info) else [1, True], "absent")),
                 name=maybe(s.arg(["reference", "composite"], "", "decided_by", 3)))
    components = data.draw(s.column_list(["biopsy", "follow_up"] * 3 + cols), label="components")
    check_outcome(make_call("composite_reference", ds.composite_reference, df, components, **options))


@covers("latent_class")
@settings(max_examples=budget(0.5))
@given(st.data())
def test_latent_class(data):
    df, info = data.draw(s.patients(n=data.draw(st.one_of(s.sizes(), st.integers(20, 60)), label="n"), tests=3,
                                    scores=0), label="data")
    options = kw(data, tests=s.column_list(["t1", "t2", "t3"], (3, 3), p_bad=20),
                 level=maybe(s.levels()), tol=maybe(s.arg([1e-6, 1e-9])),
                 max_iter=maybe(s.arg([50, 500], 0, -1, 2.5)), nan_policy=maybe(s.options(["raise", "omit"])))
    check_outcome(make_call("latent_class", ds.latent_class, df, n_boot=20, n_starts=2, progress=False, **options))
