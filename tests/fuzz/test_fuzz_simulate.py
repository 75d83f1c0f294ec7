"""Fuzz: the cohort simulator and the Monte Carlo study runner (ds.simulate), with small sizes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds

from . import strategies as s
from .invariants import budget, check_outcome, covers, make_call
from .strategies import kw, maybe


@covers("simulate.cohort", "simulate.available")
@settings(max_examples=budget(1))
@given(st.data())
def test_cohort(data):
    check_outcome(make_call("simulate.available", ds.simulate.available))
    n = data.draw(s.arg([0, 1, 5, 40], -1, 2.5, "10", None), label="n")
    options = kw(data, scenario=maybe(s.arg(ds.simulate.available(), "no_such_scenario")),
                 seed=maybe(s.arg([0, 1], -1, 1.5)), complete=maybe(s.flags()), follow_up=maybe(s.flags()),
                 repeat_biopsy=maybe(s.flags()))
    check_outcome(make_call("simulate.cohort", ds.simulate.cohort, n, **options))


def _sensitivity(scenario, rng):
    return {"x": float(rng.random())}


@covers("simulate.study")
@settings(max_examples=budget(0.3))
@given(st.data())
def test_study(data):
    options = kw(data, n_replicates=s.arg([1, 2], 0, -1, 2.5), seed=maybe(s.arg([0, 3], -1)),
                 grid=maybe(st.sampled_from([None, {}, {"no_such_field": [1, 2]}, "grid"])))
    fn = data.draw(st.sampled_from([_sensitivity, _sensitivity, None, "fn", lambda sc, rng: 3]), label="fn")
    check_outcome(make_call("simulate.study", ds.simulate.study, fn, executor="serial", progress=False, **options))


@covers("simulate.roe_metz")
@settings(max_examples=budget(0.5))
@given(st.data())
def test_roe_metz(data):
    options = kw(data, n_readers=maybe(s.arg([1, 2, 5], 0, -1, 2.5, "5")),
                 n_nondiseased=maybe(s.arg([1, 3, 20, None], 0, 1.5)), n_diseased=maybe(s.arg([1, 3, 20], 0, 2.5)),
                 delta=maybe(s.arg([0.0, 1.5, (1.0, 2.0), (1.0, 1.5, 2.0)], (), "1", float("nan"),
                                   (1.0, float("inf")))),
                 b=maybe(s.arg([0.5, 1.0, 2.0], 0.0, -1.0, float("inf"))),
                 var_r=maybe(s.arg([0.0, 0.01, 0.5], -0.1, float("nan"))),
                 var_error=maybe(s.arg([0.0, 0.2, 1.0], -1.0)),
                 modalities=maybe(s.arg([("CT", "MRI")], "CT", ("CT", "CT"), 3)),
                 seed=maybe(s.arg([0, 1], -1, 1.5)),
                 design=maybe(s.options(["crossed", "cases_in_readers", "cases_in_modalities"])),
                 parameters=maybe(s.arg([None, _MODEL], "model", 3), p_omit=80))
    if options.get("parameters") is _MODEL:  # the model's values may not be given beside it
        options = {k: v for k, v in options.items() if k not in ("delta", "b", "var_r", "var_error")}
    check_outcome(make_call("simulate.roe_metz", ds.simulate.roe_metz, **options))


#: A Roe-Metz-Hillis model fitted to the Van Dyke OR values (MRMCaov's OR_to_RMH example 1a).
_VAN_DYKE = {"auc": (0.897, 0.941), "var_r": 0.00154, "var_tr": 0.000208, "corr1": 0.433, "corr2": 0.430,
             "corr3": 0.299, "var_error": 0.000788, "n_nondiseased": 69, "n_diseased": 45}
_MODEL = ds.simulate.or_to_rmh(**_VAN_DYKE)


@covers("simulate.rmh_to_or")
@settings(max_examples=budget(0.5))
@given(st.data())
def test_rmh_to_or(data):
    options = kw(data, n_nondiseased=maybe(s.arg([1, 25, 69, None], 0, 2.5)),
                 n_diseased=maybe(s.arg([1, 10, 45], 0, -3)),
                 delta=maybe(s.arg([(0.75, 0.75), (1.0, 2.0), (0.0, 1.0, 3.0), (-0.5, 0.5), 1.5], (1.0,), (),
                                   "1", (1.0, float("nan")))),
                 b=maybe(s.arg([0.3, 1.0, 2.5], 0.0, -1.0, float("inf"))),
                 var_r=maybe(s.arg([0.0, 0.011, 0.5], -0.1, float("nan"))),
                 var_tr=maybe(s.arg([0.0, 0.03], -1.0)),
                 var_c=maybe(s.arg([0.0, 0.1, 0.3], -0.2)),
                 var_error=maybe(s.arg([0.0, 0.2, 0.6], -1.0, float("inf"))),
                 modalities=maybe(s.arg([None], "CT", ("CT", "CT", "MRI", "PET"))))
    if isinstance(options.get("delta"), tuple) and len(options["delta"]) == 2 and data.draw(st.booleans()):
        options["modalities"] = ("CT", "MRI")
    check_outcome(make_call("simulate.rmh_to_or", ds.simulate.rmh_to_or, **options))


@covers("simulate.or_to_rmh")
@settings(max_examples=budget(0.5))
@given(st.data())
def test_or_to_rmh(data):
    options = kw(data, auc=s.arg([(0.897, 0.941), (0.75, 0.8, 0.7), (0.55, 0.5), (0.99, 0.6)], (0.9,), (0.9, 1.0),
                                 "0.9", (0.9, float("nan"))),
                 var_r=s.arg([0.0, 0.00154, -0.0002, 0.02], float("nan"), 2.0),
                 var_tr=s.arg([0.0, 0.000208, -0.0001, 0.01], float("inf")),
                 corr1=s.arg([0.433, 0.0, 0.6, -0.1], 1.5), corr2=s.arg([0.43, 0.2, 0.7], -2.0),
                 corr3=s.arg([0.299, 0.0, 0.5], float("nan")),
                 var_error=maybe(s.arg([0.000788, 0.0001, 0.01], 0.0, -0.001), p_omit=20),
                 n_nondiseased=s.arg([69, 10, 1], 0, 2.5), n_diseased=s.arg([45, 30, 1], -1),
                 b=maybe(s.arg([0.5, 1.0, 2.0], 0.0, -1.0)), mean_to_sigma=maybe(s.arg([4.5, 20.0], 0.0, -3.0)),
                 b_below_1_first=maybe(s.flags()))
    check_outcome(make_call("simulate.or_to_rmh", ds.simulate.or_to_rmh, **options))


@covers("simulate.cohort_reads")
@settings(max_examples=budget(0.5))
@given(st.data())
def test_cohort_reads(data):
    n = data.draw(s.arg([1, 5, 60], 0, 2.5), label="n")
    options = kw(data, seed=maybe(s.arg([0, 1], -1, 1.5)), complete=maybe(s.flags()),
                 readers=maybe(s.arg([1, 3, {"skill": [1.0, 0.5], "bias": [0.0, -0.4]}], 0, 2.5, "3",
                                     {"skill": [0.0], "bias": [0.0]}, {"skill": [1.0]}, {"skill": [1.0], "bias": []})),
                 modalities=maybe(s.arg([("mri", "ct"), ("pet",), ("mri", "ct", "xray")], "mri", (), ("mri", "mri"),
                                        ("mri", "ultrasound"))),
                 agreement=maybe(s.arg([0.0, 0.6, 1.0], -0.1, 1.5, float("nan"))))
    check_outcome(make_call("simulate.cohort_reads", ds.simulate.cohort_reads, n, **options))


def _patients(kind: str):
    patients = ds.simulate.cohort(6, seed=2)
    if kind == "no_rows":
        return patients.iloc[:0]
    if kind == "no_mri":
        return patients.drop(columns="mri")
    if kind == "duplicated":
        return patients.iloc[[0, 0, 1]]
    if kind == "no_level":
        return patients.assign(true_diagnosis="metastasis", true_level=None)
    if kind == "strange_diagnosis":
        return patients.assign(true_diagnosis="tumour")
    if kind == "array":
        return patients.to_numpy()
    return patients


@covers("simulate.lesions")
@settings(max_examples=budget(0.5))
@given(st.data())
def test_lesions(data):
    kind = data.draw(st.sampled_from(["cohort", "cohort", "no_rows", "no_mri", "duplicated", "no_level",
                                      "strange_diagnosis", "array"]), label="patients")
    options = kw(data, seed=maybe(s.arg([0, 1], -1, 1.5)))
    check_outcome(make_call("simulate.lesions", ds.simulate.lesions, _patients(kind), **options))
