"""The one result contract, checked on every public function (scikit-learn's ``test_common`` idea).

``CALLS`` holds one small valid call per public function of ``diagstats`` and of the sub-namespaces
``ds.meta``, ``ds.markers``, ``ds.planning``, ``ds.pathway`` and ``ds.simulate``; a new public function without an
entry fails :func:`test_registry_is_complete`. Every call that returns a result is checked against the contract
of :mod:`diagstats.results` (``docs/contract.md``): frozen, no mutable containers inside, ``to_frame()``
columns ``[keys] + measure, value, lower, upper, level, method, notes + [domain]``, ``to_dict()``
complete and JSON-safe, ``str`` and HTML not empty. Calls with randomness give the same numbers for
the same seed; ``level=95`` is refused naming ``level``; ``nan_policy`` is honoured where it exists.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import json
import pickle
from dataclasses import dataclass, field
from functools import cache
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DataError, DiagstatsError
from diagstats.results import ResultTable, check_contract


@cache
def patients() -> pd.DataFrame:
    """120 patients: a reference, two scores, two binary tests, verification, raters, groups."""
    rng = np.random.default_rng(13)
    n = 120
    y = rng.random(n) < 0.4
    s1 = y * 1.2 + rng.normal(size=n)
    s2 = y * 0.8 + rng.normal(size=n)
    t1 = (s1 + rng.normal(scale=0.5, size=n)) > 0.5
    t2 = (s2 + rng.normal(scale=0.5, size=n)) > 0.4
    t3 = (y * 1.0 + rng.normal(size=n)) > 0.5
    verified = np.where(t1, rng.random(n) < 0.9, rng.random(n) < 0.5)
    group = np.array(["myeloma", "metastasis", "lymphoma"])[rng.integers(0, 3, n)]
    shift = pd.Series(group).map({"myeloma": 0.0, "metastasis": 0.7, "lymphoma": 1.3}).to_numpy()
    origin = np.array(["lung", "breast", "prostate"])[rng.integers(0, 3, n)]
    return pd.DataFrame({
        "y": y.astype(int), "s1": s1, "s2": s2, "t1": t1.astype(int), "t2": t2.astype(int), "t3": t3.astype(int),
        "reference": np.where(verified, y.astype(float), np.nan), "verified": verified.astype(int),
        "rater_a": t1.astype(int), "rater_b": t2.astype(int),
        "nlr": np.exp(shift + rng.normal(scale=0.5, size=n)), "plr": np.exp(5 + 0.5 * shift + rng.normal(size=n)),
        "age": rng.normal(60, 10, n), "diagnosis": group, "origin": origin,
        "malignant": (group != "myeloma").astype(int),
    })


def _with_nan(data: pd.DataFrame, column: str) -> pd.DataFrame:
    out = data.copy()
    rows = out.index[out["diagnosis"].isin(["myeloma", "lymphoma"])][:3]  # in every analysis (discriminate's groups)
    out.loc[rows, column] = np.nan
    return out


@dataclass(frozen=True)
class Call:
    """One valid call of a public function; ``result=False`` for functions that return plain values."""

    build: Callable[..., Any]
    result: bool = True
    seeded: bool = False      # build(seed=...) is accepted and changes only the random draws
    bad: tuple[str, Any] = ("level", 95)  # build(**{argument: value}) must be refused, naming the argument
    nan: tuple[str, Callable[..., Any]] | None = None  # (column given 3 NaN, build(data, nan_policy=...))
    why: str = ""             # for result=False: what it returns instead
    figure: bool = False      # the result has plot(ax=None)
    extra: dict = field(default_factory=dict)


def _roc(**kw):
    d = patients()
    return ds.roc(data=d, reference="y", score="s1", **kw)


def _two_rocs(**kw):
    d = patients()
    return ds.compare_roc(ds.roc(d["y"], d["s1"]), ds.roc(d["y"], d["s2"]), **kw)


def _two_pilot_curves():
    d = patients()
    return ds.roc(d["y"], d["s1"]), ds.roc(d["y"], d["s2"])


def _accuracy(**kw):
    """The 2x2 accuracy; with seed= (only used by the cluster bootstrap), units in clusters of 3."""
    if "seed" not in kw:
        return ds.accuracy(patients(), test="t1", reference="y", **kw)
    d = patients().assign(patient=np.arange(len(patients())) // 3)
    return ds.accuracy(d, test="t1", reference="y", cluster="patient", ci_method="bootstrap", n_boot=200,
                       progress=False, **kw)


TWO_GROUPS = {"no": ["myeloma"], "yes": ["lymphoma"]}


def _reader_data() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    truth = np.arange(24) % 3 == 0
    return pd.DataFrame([{"reader": j, "modality": m, "case": k, "truth": int(truth[k]),
                          "rating": float(np.round(truth[k] * (1 + m) + rng.normal(), 1))}
                         for j in range(3) for m in range(2) for k in range(24)])


def _meta():
    return ds.datasets.load("imaging_2x2_studies").query("test == 'bone scintigraphy' or test == 'MRI' or "
                                                         "test == 'FDG PET/CT'")


def _bone_scans():
    """One table per study (ds.meta.bivariate refuses a study listed twice): the bone scan of each."""
    return ds.datasets.load("imaging_2x2_studies").query("test in ['bone scintigraphy', '99mTc bone scan']")


def _strategies() -> list:
    """Test t1 for all, then t2 where t1 is positive (in series), against t1 alone."""
    step = ds.pathway.Step
    return [ds.pathway.Strategy("t1 then t2", [step("t1", cost=10), step("t2", cost=100, when="t1")], positive="t2"),
            ds.pathway.Strategy("t1 alone", [step("t1", cost=10)], positive="t1")]


CALLS: dict[str, Call] = {
    # 2x2 accuracy and intervals
    "accuracy": Call(_accuracy, seeded=True,
                     nan=("t1", lambda d, **kw: ds.accuracy(d, test="t1", reference="y", **kw)), figure=True),
    "post_test_odds": Call(lambda: ds.post_test_odds(0.25, 4.0), result=False, why="a number or an Estimate"),
    "post_test_probability": Call(lambda: ds.post_test_probability(0.2, 4.0), result=False,
                                  why="a number or an Estimate"),
    "dor_ci": Call(lambda: ds.dor_ci(20, 5, 4, 30), result=False, why="an Interval"),
    "lr_ci": Call(lambda: ds.lr_ci(20, 5, 4, 30), result=False, why="an Interval"),
    "proportion_ci": Call(lambda: ds.proportion_ci(20, 24), result=False, why="an Interval"),
    # ROC
    "roc": Call(_roc, nan=("s1", lambda d, **kw: ds.roc(data=d, reference="y", score="s1", **kw)), figure=True),
    "compare_roc": Call(lambda **kw: _two_rocs(**{"method": "bootstrap", "n_boot": 50, "progress": False, "seed": 1,
                                                  **kw}), seeded=True),
    "roc_multiclass": Call(lambda **kw: ds.roc_multiclass(
        patients()["diagnosis"], patients()[["nlr", "plr", "s1"]].set_axis(["myeloma", "metastasis", "lymphoma"],
                                                                            axis=1),
        n_boot=20, progress=False, **{"seed": 1, **kw}), seeded=True,
        nan=("nlr", lambda d, **kw: ds.roc_multiclass(
            d["diagnosis"], d[["nlr", "plr", "s1"]].set_axis(["myeloma", "metastasis", "lymphoma"], axis=1), n_boot=20,
            progress=False, seed=1, **kw))),
    "plot_roc": Call(lambda: None, result=False, why="a matplotlib Axes (tested in tests/roc)"),
    # comparing and combining binary tests, agreement
    "compare_tests": Call(lambda **kw: ds.compare_tests(patients(), tests=["t1", "t2"], reference="y", **kw),
                          nan=("t2", lambda d, **kw: ds.compare_tests(d, tests=["t1", "t2"], reference="y", **kw))),
    "cluster_bootstrap": Call(lambda **kw: ds.cluster_bootstrap(
        patients().assign(patient=np.arange(120) // 3), lambda d, w: w @ d["y"].to_numpy() / w.sum(axis=1),
        cluster="patient", n_boot=50, progress=False, **kw), seeded=True),
    "compare_screen_positive": Call(lambda **kw: ds.compare_screen_positive(patients(), tests=["t1", "t2"],
                                                                            reference="y", **kw),
                                    nan=("t2", lambda d, **kw: ds.compare_screen_positive(d, tests=["t1", "t2"],
                                                                                          reference="y", **kw))),
    "combine_tests": Call(lambda **kw: ds.combine_tests(patients(), tests=["t1", "t2"], reference="y", **kw),
                          nan=("t2", lambda d, **kw: ds.combine_tests(d, tests=["t1", "t2"], reference="y", **kw))),
    "reader_study": Call(lambda **kw: ds.reader_study(  # seed= is the bootstrap covariance's
        _reader_data(), **({"covariance": "bootstrap", "n_boot": 50} if "seed" in kw else {}), **kw),
        seeded=True, figure=True),
    "agreement": Call(lambda **kw: ds.agreement(patients(), raters=["rater_a", "rater_b"], **kw),
                      nan=("rater_b", lambda d, **kw: ds.agreement(d, raters=["rater_a", "rater_b"], **kw))),
    # planning
    "power_auc": Call(lambda: ds.power_auc(0.8, n_diseased=30, n_non_diseased=60), result=False, why="a power"),
    "power_binormal_aucs": Call(lambda: None, result=False, why="a power"),
    "power_paired_sensitivity": Call(lambda: None, result=False, why="a power"),
    "power_roc_curves": Call(lambda: None, result=False, why="a power or a significance level"),
    "auc_variance": Call(lambda: None, result=False, why="a variance"),
    "sample_size_accuracy": Call(lambda **kw: ds.sample_size_accuracy(sensitivity=0.9, prevalence=0.3,
                                                                      half_width=0.07, **kw)),
    "sample_size_accuracy_exact": Call(lambda **kw: ds.sample_size_accuracy_exact(
        sensitivity=0.9, min_sensitivity=0.8, **{"prevalence": 0.3, **kw}), bad=("prevalence", 30)),
    "sample_size_auc": Call(lambda **kw: ds.sample_size_auc(0.8, **kw), bad=("power", 80)),
    "sample_size_roc_curves": Call(lambda **kw: ds.sample_size_roc_curves(*_two_pilot_curves(), **(
        {"method": "bootstrap", "n_boot": 50, "progress": False} if "seed" in kw else {}), **kw),
        bad=("power", 90), seeded=True),   # seed= drives the bootstrap variances
    "sample_size_binormal_aucs": Call(lambda **kw: ds.sample_size_binormal_aucs(1.5, 1.0, 1.0, 1.0, **kw),
                                      bad=("alpha", 5)),
    "sample_size_paired_sensitivity": Call(lambda **kw: ds.sample_size_paired_sensitivity(
        0.9, 0.8, **{"discordance": 0.2, **kw}), bad=("discordance", 2)),
    "reader_study_power": Call(lambda **kw: ds.planning.reader_study_power(
        ds.reader_study(_reader_data()), **{"n_readers": 6, "n_cases": 100, **kw}), bad=("alpha", 5)),
    "sample_size_two_aucs": Call(lambda **kw: ds.sample_size_two_aucs(0.85, 0.75, **kw), bad=("alternative", "both")),
    # simulation (ds.simulate)
    "available": Call(lambda: None, result=False, why="scenario names"),
    "cohort": Call(lambda: None, result=False, why="a DataFrame of simulated patients"),
    "cohort_reads": Call(lambda: None, result=False, why="a DataFrame of simulated reads"),
    "lesions": Call(lambda: None, result=False, why="a DataFrame of simulated vertebrae"),
    "roe_metz": Call(lambda: None, result=False, why="a DataFrame of simulated ratings"),
    "study": Call(lambda: None, result=False, why="a DataFrame of Monte Carlo replicates"),
    "rmh_to_or": Call(lambda **kw: ds.simulate.rmh_to_or(**{"delta": (1.0, 1.5), "b": 0.8, **kw}), bad=("b", 0)),
    "or_to_rmh": Call(lambda **kw: ds.simulate.or_to_rmh(**{
        "auc": (0.897, 0.941), "var_r": 0.00154, "var_tr": 0.000208, "corr1": 0.433, "corr2": 0.430, "corr3": 0.299,
        "var_error": 0.000788, "n_nondiseased": 69, "n_diseased": 45, **kw}), bad=("corr1", 1.5)),
    # work-up strategies
    "evaluate": Call(lambda **kw: ds.pathway.evaluate(patients(), _strategies(), reference="y", **kw),
                     nan=("y", lambda d, **kw: ds.pathway.evaluate(d, _strategies(), reference="y", **kw)),
                     figure=True),
    # bias
    "correct_reference": Call(lambda **kw: ds.correct_reference(ds.accuracy(tp=45, fp=10, fn=5, tn=90),
                                                                reference_specificity=0.98, **kw)),
    "correct_verification": Call(lambda **kw: ds.correct_verification(
        patients(), test="t1", reference="reference", n_boot=20, **{"seed": 1, **kw}), seeded=True,
        nan=("t1", lambda d, **kw: ds.correct_verification(d, test="t1", reference="reference", n_boot=20, **kw))),
    "composite_reference": Call(lambda **kw: ds.composite_reference(
        patients(), **{"components": ["reference", "y"], **kw}),
                                bad=("components", ["reference"])),
    "latent_class": Call(lambda **kw: ds.latent_class(patients(), tests=["t1", "t2", "t3"], n_boot=20, n_starts=3,
                                                      **{"seed": 1, **kw}), seeded=True,
                         nan=("t3", lambda d, **kw: ds.latent_class(d, tests=["t1", "t2", "t3"], n_boot=20,
                                                                    n_starts=3, **kw))),
    # meta-analysis
    "univariate": Call(lambda **kw: ds.meta.univariate(_meta(), study="study", **kw), figure=True),
    "bivariate": Call(lambda **kw: ds.meta.bivariate(_bone_scans(), study="study", **kw), figure=True),
    "mantel_haenszel": Call(lambda **kw: ds.meta.mantel_haenszel(_bone_scans(), study="study", **kw)),
    "describe_studies": Call(lambda **kw: ds.meta.describe_studies(_bone_scans(), study="study", **kw)),
    "proportional_hazards": Call(lambda **kw: ds.meta.proportional_hazards(_bone_scans(), study="study", **kw),
                                 figure=True),
    # markers and clinical utility
    "ratios": Call(lambda: None, result=False, why="the data with ratio columns added (a DataFrame)"),
    "describe": Call(lambda **kw: ds.markers.describe(patients(), ["nlr", "plr"], by="diagnosis", **kw),
                     bad=("test", "anova"),
                     nan=("diagnosis", lambda d, **kw: ds.markers.describe(d, ["nlr", "plr"], by="diagnosis", **kw))),
    "discriminate": Call(lambda **kw: ds.markers.discriminate(
        patients(), ["nlr", "plr"], reference="diagnosis", positive="yes", groups=TWO_GROUPS, cv=3,
        n_boot=20, progress=False, **{"seed": 1, **kw}), seeded=True,
        nan=("nlr", lambda d, **kw: ds.markers.discriminate(
            d, ["nlr", "plr"], reference="diagnosis", positive="yes", groups=TWO_GROUPS, cv=3,
            n_boot=20, progress=False, **kw)), figure=True),
    "predict_origin": Call(lambda **kw: ds.markers.predict_origin(
        patients(), ["nlr", "plr"], reference="origin", cv=3, repeats=1, n_boot=20, progress=False,
        **{"seed": 1, **kw}), seeded=True,
        nan=("nlr", lambda d, **kw: ds.markers.predict_origin(d, ["nlr", "plr"], reference="origin", cv=3, repeats=1,
                                                              n_boot=20, progress=False, **kw)), figure=True),
    "decision_curve": Call(lambda **kw: ds.decision_curve(
        patients(), "y", ["t1"], thresholds=[0.1, 0.2, 0.3], n_boot=20, progress=False, **{"seed": 1, **kw}),
        seeded=True,
        nan=("t1", lambda d, **kw: ds.decision_curve(d, "y", ["t1"], thresholds=[0.1, 0.2], n_boot=None, **kw)),
        figure=True),
    "added_value": Call(lambda **kw: ds.added_value(
        patients(), "y", base=["age", "s2"], new=["s1"], cutoffs=[0.3, 0.6], threshold=0.3, cv=3, n_boot=20,
        progress=False, **{"seed": 1, **kw}), seeded=True,
        nan=("s1", lambda d, **kw: ds.added_value(d, "y", base=["age"], new=["s1"], cv=3, n_boot=20, progress=False,
                                                  **kw))),
    "calibration": Call(lambda **kw: ds.calibration(
        data=patients().assign(p=lambda d: 1 / (1 + np.exp(-d["s1"]))), reference="y", probability="p", n_boot=20,
        progress=False, **{"seed": 1, **kw}), seeded=True,
        nan=("s1", lambda d, **kw: ds.calibration(data=d.assign(p=1 / (1 + np.exp(-d["s1"]))), reference="y",
                                                  probability="p", n_boot=None, **kw)), figure=True),
    "stard_counts": Call(lambda **kw: ds.stard_counts(patients(), **{"test": "t1", "reference": "reference", **kw}),
                         bad=("test", "t9"), figure=True),
    # work-up strategies
    "combine": Call(lambda **kw: ds.pathway.combine([0.784, 0.926], [0.951, 0.979], "parallel", **{
        "cov_positive": 0.035, "cov_negative": -0.001, "prevalence": 0.2, **kw}), bad=("cov_positive", 0.5)),
    "psa": Call(lambda **kw: ds.pathway.psa(
        {"MRI": "MRI", "CT then MRI": ("series", ["MDCT", "MRI"])},
        {"MRI": {"cost": ds.pathway.Gamma(400, 80)}, "MDCT": {"cost": 150}}, prevalence=ds.pathway.Beta(30, 70),
        wtp=[0, 1000], n_draws=200, chunk_size=50, executor="serial", progress=False, **{"seed": 1, **kw}),
        seeded=True, figure=True),
    "psa_cohort": Call(lambda **kw: ds.pathway.psa_cohort(
        [ds.pathway.Strategy("X-ray", [ds.pathway.Step("xray", cost=40)], positive="xray"),
         ds.pathway.Strategy("MRI", [ds.pathway.Step("mri", cost=400)], positive="mri")],
        positive=["malignant_primary", "metastasis"], wtp=[0, 1000], n_patients=300, executor="serial",
        progress=False, **{"seed": 1, "n_draws": 10, **kw}), bad=("n_draws", 2), seeded=True, figure=True),
}


def public_functions() -> set[str]:
    names = set()
    for namespace in (ds, ds.meta, ds.markers, ds.planning, ds.pathway, ds.simulate):
        names |= {n for n in namespace.__all__ if inspect.isfunction(getattr(namespace, n))}
    return names


def test_registry_is_complete():
    missing = public_functions() - set(CALLS)
    assert not missing, f"public functions without an entry in CALLS: {sorted(missing)}"
    assert not set(CALLS) - public_functions(), "CALLS names a function that is not public"


RESULTS = sorted(name for name, call in CALLS.items() if call.result)


@cache
def built(name: str) -> Any:
    return CALLS[name].build()


@pytest.mark.parametrize("name", RESULTS)
def test_result_contract(name):
    check_contract(built(name))


@pytest.mark.parametrize("name", RESULTS)
def test_results_pickle_and_copy(name):
    res = built(name)
    for other in (pickle.loads(pickle.dumps(res)), copy.deepcopy(res)):
        assert type(other) is type(res)
        assert json.dumps(other.to_dict(), allow_nan=False) == json.dumps(res.to_dict(), allow_nan=False)
        check_contract(other)


@pytest.mark.parametrize("name", RESULTS)
def test_plot_where_registered(name):
    assert hasattr(built(name), "plot") == CALLS[name].figure, f"{name}: plot() and the registry disagree"


@pytest.mark.parametrize("name", sorted(n for n, c in CALLS.items() if c.figure))
def test_plot_draws_on_the_axes_given(name):
    res = built(name)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        assert res.plot(ax=ax) is ax
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", RESULTS)
def test_to_dict_is_json_safe_and_complete(name):
    res = built(name)
    out = res.to_dict()
    json.dumps(out, allow_nan=False)
    if isinstance(res, ResultTable):  # one shape: title, the fields, derived counts, rows, notes
        assert {"title", "rows", "notes"} <= set(out), f"{name}: to_dict() is not in the common shape"
        fields = {f.name for f in dataclasses.fields(res)} - set(res.dict_exclude)
        assert fields <= set(out) | {"results"}, f"{name}: to_dict() lacks {sorted(fields - set(out))}"


# results made by methods of other results (or by an option of a registered function), checked in
# test_derived_results_keep_the_contract
DERIVED = (ds.PredictiveValues, ds.ROCComparisonTable, ds.AccuracyTable, ds.BinormalResult, ds.SmoothROCResult,
           ds.CutpointResult, ds.GreyZoneResult, ds.MeasureComparison, ds.ClusteredAccuracyResult,
           ds.ClusteredROCResult, ds.WeightedROCResult, ds.meta.BivariateRegressionResult,
           ds.meta.BivariateHeterogeneityResult)


def test_every_public_result_class_is_covered():
    classes = {type(built(name)) for name in RESULTS}
    for namespace in (ds, ds.meta, ds.markers, ds.planning, ds.pathway, ds.simulate):
        for n in namespace.__all__:
            obj = getattr(namespace, n)
            if inspect.isclass(obj) and hasattr(obj, "to_frame") and obj not in (ds.Estimate, ds.TestResult,
                                                                                  ds.simulate.Scenario):
                assert obj in classes or obj in DERIVED, n


def test_derived_results_keep_the_contract():
    roc = built("roc")
    check_contract(roc.smooth(bins=10))
    for method in ("binormal", "density", "fitdistr"):
        smoothed = roc.smooth(method, fit="least_squares" if method == "binormal" else "ml")
        check_contract(smoothed)
        check_contract(smoothed.best())
    check_contract(roc.threshold(specificity_range=(0.8, 1.0)))
    check_contract(roc.grey_zone(n_boot=50, progress=False))
    check_contract(roc.grey_zone(cutoffs=(0.2, 0.6), n_boot=None))
    check_contract(roc.threshold())
    check_contract(built("accuracy").at_prevalence(0.1))
    patient_tables = ds.datasets.load("imaging_2x2_studies").query("unit == 'patient' and test != '18F-fluoride PET'")
    check_contract(ds.meta.bivariate(patient_tables, covariate="modality"))
    check_contract(built("bivariate").heterogeneity())
    check_contract(ds.accuracy(patients(), test=["t1", "t2"], reference="y"))
    check_contract(ds.compare_roc([roc, ds.roc(patients()["y"], patients()["s2"]),
                                   ds.roc(patients()["y"], patients()["t1"])]))
    check_contract(ds.accuracy(tp=3, fp=0, fn=0, tn=4))
    check_contract(ds.correct_verification(patients(), test="t1", reference="reference", method="em",
                                           covariates=["s1"], n_boot=20, progress=False))
    clustered = patients().assign(patient=np.arange(len(patients())) // 3)
    check_contract(ds.accuracy(clustered, test="t1", reference="y", cluster="patient"))
    check_contract(ds.roc(data=clustered, reference="y", score="s1", cluster="patient"))
    check_contract(ds.roc(data=clustered.assign(w=1.0 + np.arange(len(clustered)) % 3), reference="y", score="s1",
                          weights="w"))
    check_contract(_accuracy(seed=1))
    check_contract(ds.accuracy(clustered, test=["t1", "t2"], reference="y", cluster="patient"))


@pytest.mark.parametrize("name", sorted(n for n, c in CALLS.items() if c.seeded))
def test_same_seed_same_numbers(name):
    a, b = CALLS[name].build(seed=5), CALLS[name].build(seed=5)
    assert json.dumps(a.to_dict(), allow_nan=False) == json.dumps(b.to_dict(), allow_nan=False)


@pytest.mark.parametrize("name", RESULTS)
def test_a_bad_argument_is_refused_naming_it(name):
    argument, value = CALLS[name].bad
    with pytest.raises(DiagstatsError, match=argument):
        CALLS[name].build(**{argument: value})


@pytest.mark.parametrize("name", sorted(n for n, c in CALLS.items() if c.nan))
def test_nan_policy(name):
    column, build = CALLS[name].nan
    data = _with_nan(patients(), column)
    with pytest.raises(DataError):
        build(data, nan_policy="raise")
    res = build(data, nan_policy="omit")
    assert res.to_dict()["n_omitted"] == 3, f"{name}: nan_policy='omit' does not report the 3 omitted rows"


def _has(name: str, parameter: str) -> bool:
    for namespace in (ds, ds.meta, ds.markers, ds.planning, ds.pathway, ds.simulate):
        if name in namespace.__all__:
            return parameter in inspect.signature(getattr(namespace, name)).parameters
    raise AssertionError(name)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_registry_exercises_seed_and_nan_policy_wherever_they_exist(name):
    call = CALLS[name]
    if call.result:
        assert call.seeded == _has(name, "seed"), f"{name}: seed= and the registry disagree"
        assert (call.nan is not None) == _has(name, "nan_policy"), f"{name}: nan_policy= and the registry disagree"
    else:  # plain values; ratios() with "omit" leaves the affected ratios NaN (tested in tests/markers)
        assert not _has(name, "nan_policy") or name == "ratios", name


def test_method_options_are_lower_case_and_upper_case_still_works():
    data = ds.datasets.load("imaging_2x2_studies")
    lower = ds.meta.univariate(data, measure="sensitivity", method="reml", study="study")
    upper = ds.meta.univariate(data, measure="sensitivity", method="reml", study="study")
    assert lower.method == upper.method == "reml"
    assert lower.to_dict() == upper.to_dict()
    assert inspect.signature(ds.meta.univariate).parameters["method"].default == "reml"
    assert ds.meta.bivariate(_bone_scans(), method="ML", study="study").method == "ml"


def test_a_field_holding_frames_is_frozen_like_any_mapping():
    """Only a field that *is* a frame is stored as a frame read back as a copy; a dict of frames is a
    read-only mapping (before: the annotation matched 'DataFrame' and construction failed)."""
    from dataclasses import dataclass

    from diagstats.results import ResultTable

    @dataclass(frozen=True)
    class Tables(ResultTable):
        tables: dict[str, pd.DataFrame]
        one: pd.DataFrame

        def to_frame(self):
            return self.one

    res = Tables({"a": pd.DataFrame({"x": [1]})}, pd.DataFrame({"y": [2]}))
    with pytest.raises(TypeError):
        res.tables["b"] = pd.DataFrame()
    copy = res.one
    copy.loc[0, "y"] = 99
    assert res.one.loc[0, "y"] == 2
