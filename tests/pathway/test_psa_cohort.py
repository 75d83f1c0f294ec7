"""ds.pathway.psa_cohort: each draw equals evaluate() on that draw's simulated cohort, inputs drawn from their
distributions, identical numbers on 1 or 2 workers and on Dask, bad input naming the step or argument."""

from __future__ import annotations

import concurrent.futures

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DiagstatsError
from diagstats.pathway import Beta, Gamma, Step, Strategy
from diagstats.simulate.montecarlo import _replicate_generator

MALIGNANT = ["malignant_primary", "metastasis"]
TARGET = "malignant spinal tumour"


def _strategies():
    biopsy = Step("biopsy", kind="biopsy", cost=1500, when="xray or ct", test="biopsy_result", positive="malignant",
                  nondiagnostic="biopsy_nondiagnostic")
    return [Strategy("X-ray then biopsy", [Step("xray", cost=40), Step("ct", cost=200, when="neuro_deficit"), biopsy],
                     positive="biopsy", target=TARGET),
            Strategy("X-ray alone", [Step("xray", cost=40)], positive="xray", target=TARGET)]


def _psa(strategies=None, **kw):
    args = {"positive": MALIGNANT, "wtp": [0, 1000, 20_000], "n_patients": 1500, "n_draws": 12, "seed": 5,
            "executor": "serial", "progress": False, **kw}
    return ds.pathway.psa_cohort(_strategies() if strategies is None else strategies, **args)


@pytest.fixture(scope="module")
def uncertain():
    return _psa(inputs={"tumour_share": Beta(60, 40), "imaging.xray.sensitivity": Beta(60, 40)},
                costs={"biopsy": Gamma(1500, 300)}, outcome_costs={"fn": Gamma(5000, 1000)})


def test_without_uncertain_inputs_each_draw_is_evaluate_on_that_draws_cohort():
    """X-ray and biopsy have no literature counts and nothing is given a distribution: draw d is evaluate() on the
    cohort simulated from replicate d's generator."""
    biopsy = Step("biopsy", kind="biopsy", cost=1500, when="xray", test="biopsy_result", positive="malignant",
                  nondiagnostic="biopsy_nondiagnostic")
    strategies = [Strategy("X-ray then biopsy", [Step("xray", cost=40), biopsy], positive="biopsy", target=TARGET),
                  Strategy("X-ray alone", [Step("xray", cost=40)], positive="xray", target=TARGET)]
    res = _psa(strategies, outcome_costs={"fn": 2000})
    assert list(res.inputs["distribution"]) == ["fixed 40", "fixed 1500", "fixed 2000"]
    for d in (0, 7):
        cohort = ds.simulate.cohort(1500, seed=_replicate_generator(5, 0, d), complete=True, repeat_biopsy=True)
        want = ds.pathway.evaluate(cohort, strategies, reference="true_diagnosis", positive=MALIGNANT)
        draw = res.draws[res.draws["draw"] == d].set_index("strategy")
        for name, acc, yields in zip(want.strategies, want.accuracy, want.yields):
            row = draw.loc[name]
            assert row["sensitivity"] == pytest.approx(acc.sensitivity.value, rel=1e-12)
            assert row["specificity"] == pytest.approx(acc.specificity.value, rel=1e-12)
            assert row["missed per 1,000"] == pytest.approx(yields["missed_per_1000"].value, rel=1e-12)
            assert row["tests per patient"] == pytest.approx(
                (yields["tests_per_100"].value + yields["biopsies_per_100"].value) / 100, rel=1e-12)
            assert row["cost per patient"] == pytest.approx(
                yields["cost_per_patient"].value + 2 * yields["missed_per_1000"].value, rel=1e-12)
            assert row["effect per patient"] == pytest.approx((acc.tp + acc.tn) / want.n, rel=1e-12)


def test_inputs_are_drawn_and_shared_by_the_strategies(uncertain):
    inputs = uncertain.inputs.set_index("input")
    assert inputs.loc["tumour_share", "distribution"] == "Beta(60, 40)"
    assert inputs.loc["cost of biopsy", "distribution"] == "Gamma(mean 1500, sd 300)"
    assert inputs.loc["cost of xray", "distribution"] == "fixed 40"
    # CT appears in a rule's strategy, so its accuracy comes from the shipped literature (MDCT counts)
    assert inputs.loc["imaging.ct.sensitivity", "source"].startswith("imaging_2x2_studies")
    assert any("ct sensitivity and specificity drawn from the shipped literature" in n for n in uncertain.notes)
    wide = uncertain.draws.pivot(index="draw", columns="strategy", values="sensitivity")
    # X-ray alone's sensitivity follows the drawn X-ray sensitivity Beta(60, 40): sd 0.049 (plus sampling error)
    assert wide["X-ray alone"].std() > 0.03
    assert abs(wide["X-ray alone"].mean() - 0.6) < 4 * 0.055 / np.sqrt(len(wide))
    # X-ray alone costs 40 per patient plus the drawn cost of each missed malignancy (Gamma(5000, 1000))
    draws = uncertain.draws[uncertain.draws["strategy"] == "X-ray alone"]
    per_missed = (draws["cost per patient"] - 40) / (draws["missed per 1,000"] / 1000)
    assert per_missed.std() > 300 and abs(per_missed.mean() - 5000) < 4 * 1000 / np.sqrt(len(per_missed))
    assert draws["tests per patient"].eq(1).all()


def test_acceptability_and_evpi_are_those_of_the_draws(uncertain):
    effect = uncertain.draws.pivot(index="draw", columns="strategy", values="effect per patient")
    cost = uncertain.draws.pivot(index="draw", columns="strategy", values="cost per patient")
    effect, cost = effect[list(uncertain.strategies)], cost[list(uncertain.strategies)]
    for w, wtp in enumerate(uncertain.wtp):
        nmb = (wtp * effect - cost).to_numpy()
        wins = np.bincount(nmb.argmax(axis=1), minlength=2) / len(nmb)
        np.testing.assert_allclose(uncertain.acceptability[w], wins, atol=1e-12)
        assert uncertain.evpi[w] == pytest.approx(nmb.max(axis=1).mean() - nmb.mean(axis=0).max(), abs=1e-9)
    assert uncertain.acceptability[0].tolist() == [0.0, 1.0]   # at wtp 0 the cheaper strategy always wins


def test_same_seed_same_numbers_on_one_or_two_workers(uncertain):
    kw = {"inputs": {"tumour_share": Beta(60, 40), "imaging.xray.sensitivity": Beta(60, 40)},
          "costs": {"biopsy": Gamma(1500, 300)}, "outcome_costs": {"fn": Gamma(5000, 1000)}}
    for workers in (1, 2):
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            pd.testing.assert_frame_equal(_psa(executor=pool, **kw).draws, uncertain.draws)
    assert not np.array_equal(_psa(seed=6, **kw).draws["cost per patient"], uncertain.draws["cost per patient"])


def test_dask_gives_the_same_numbers(uncertain):
    distributed = pytest.importorskip("dask.distributed")
    kw = {"inputs": {"tumour_share": Beta(60, 40), "imaging.xray.sensitivity": Beta(60, 40)},
          "costs": {"biopsy": Gamma(1500, 300)}, "outcome_costs": {"fn": Gamma(5000, 1000)}}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        on_dask = _psa(executor=client, **kw)
    pd.testing.assert_frame_equal(on_dask.draws, uncertain.draws)
    np.testing.assert_array_equal(on_dask.evpi, uncertain.evpi)


def test_a_cost_missing_for_a_step_is_refused_naming_it():
    with pytest.raises(DiagstatsError, match="step 'mri' has no cost"):
        Step("mri")
    with pytest.raises(DiagstatsError, match=r"costs\['mri'\]: 'mri' is not a step of the strategies"):
        _psa(costs={"mri": 400})
    with pytest.raises(DiagstatsError, match=r"costs\['biopsy'\]"):
        _psa(costs={"biopsy": "1500"})


def test_a_distribution_with_invalid_parameters_is_refused_naming_it():
    with pytest.raises(DiagstatsError, match="Gamma mean"):
        Gamma(mean=-1, sd=10)
    with pytest.raises(DiagstatsError, match="Beta alpha"):
        Beta(0, 5)
    with pytest.raises(DiagstatsError, match=r"inputs\['age.no_tumour.mean'\]: a Beta distribution is for a "
                                             "probability"):
        _psa(inputs={"age.no_tumour.mean": Beta(5, 5)})
    with pytest.raises(DiagstatsError, match=r"inputs\['tumour_share'\]: .* give a ds.pathway.Beta"):
        _psa(inputs={"tumour_share": Gamma(0.6, 0.2)})
    with pytest.raises(DiagstatsError, match=r"inputs\['imaging.mri.sensitivty'\]: .* not a parameter"):
        _psa(inputs={"imaging.mri.sensitivty": Beta(93, 7)})
    with pytest.raises(DiagstatsError, match=r"inputs\['tumour_share'\]=0.6 must be a ds.pathway.Beta"):
        _psa(inputs={"tumour_share": 0.6})


def test_a_strategy_referring_to_a_test_not_in_the_data_is_refused_naming_the_step():
    spect = Strategy("SPECT", [Step("spect", cost=300)], positive="spect", target=TARGET)
    with pytest.raises(DiagstatsError, match=r"strategy 'SPECT' \(strategies\[2\]\), step 'spect': 'spect' is not a "
                                             "column"):
        _psa([*_strategies(), spect])


def test_other_bad_arguments_are_named():
    for kw, name in (({"n_patients": 10}, "n_patients"), ({"n_draws": 2}, "n_draws"), ({"wtp": [-1]}, "wtp"),
                     ({"positive": ["cancer"]}, "positive"), ({"outcome_costs": {"death": 1}}, "outcome_costs"),
                     ({"reference": "histology"}, "reference"), ({"costs": ["biopsy"]}, "costs"),
                     ({"inputs": ["tumour_share"]}, "inputs"), ({"scenario": "no_such_scenario"}, "scenario")):
        with pytest.raises(DiagstatsError, match=name):
            _psa(**kw)
