"""ds.pathway.psa: closed forms at fixed inputs, acceptability and EVPI against a per-draw loop, literature
defaults, identical numbers on 1 or 2 workers and on Dask, bad input naming the argument."""

from __future__ import annotations

import concurrent.futures

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DiagstatsError
from diagstats.pathway import Beta, Gamma

TESTS = {"MRI": {"cost": Gamma(400, 80)}, "MDCT": {"cost": Gamma(150, 30)},
         "biopsy": {"cost": Gamma(1500, 300), "sensitivity": Beta.from_counts(401, 430), "specificity": 0.99}}
STRATEGIES = {"MRI": "MRI", "CT": "MDCT", "CT then MRI": ("series", ["MDCT", "MRI"]),
              "MRI then biopsy": {"rule": "series", "tests": ["MRI", "biopsy"]},
              "CT or MRI": ("parallel", ["MDCT", "MRI"])}
WTP = [0, 500, 2000, 10_000]


def _psa(**kw):
    args = {"prevalence": Beta(30, 70), "wtp": WTP, "outcome_costs": {"fn": Gamma(5000, 1500)}, "n_draws": 1200,
            "chunk_size": 100, "seed": 3, "executor": "serial", "progress": False, **kw}
    return ds.pathway.psa(STRATEGIES, TESTS, **args)


@pytest.fixture(scope="module")
def serial():
    return _psa()


def test_fixed_inputs_give_the_closed_form_in_every_draw():
    tests = {"a": {"sensitivity": 0.9, "specificity": 0.7, "cost": 100},
             "b": {"sensitivity": 0.8, "specificity": 0.95, "cost": 300}}
    res = ds.pathway.psa({"series": ("series", ["a", "b"]), "parallel": ("parallel", ["a", "b"])}, tests,
                         prevalence=0.2, wtp=[0, 1000], outcome_costs={"fn": 2000}, n_draws=100,
                         executor="serial", progress=False)
    for rule in ("series", "parallel"):
        want = ds.pathway.combine([0.9, 0.8], [0.7, 0.95], rule, prevalence=0.2, names=["a", "b"])
        counts = want.counts.set_index("measure")["value"] / 1000
        draws = res.draws[res.draws["strategy"] == rule]
        np.testing.assert_allclose(draws["sensitivity"], want.sensitivity.value, rtol=1e-12)
        np.testing.assert_allclose(draws["specificity"], want.specificity.value, rtol=1e-12)
        cost = 100 * counts["a done"] + 300 * counts["b done"] + 2000 * counts["missed (false negatives)"]
        np.testing.assert_allclose(draws["cost per patient"], cost, rtol=1e-12)
        np.testing.assert_allclose(draws["effect per patient"],
                                   counts["true positives"] + counts["true negatives"], rtol=1e-12)
    np.testing.assert_allclose(res.evpi, 0, atol=1e-12)          # no uncertainty: nothing to learn
    assert set(np.unique(res.acceptability)) <= {0.0, 1.0}


def test_acceptability_and_evpi_match_a_loop_over_draws(serial):
    draws = serial.draws
    effect = draws.pivot(index="draw", columns="strategy", values="effect per patient")[list(serial.strategies)]
    cost = draws.pivot(index="draw", columns="strategy", values="cost per patient")[list(serial.strategies)]
    for w, wtp in enumerate(WTP):
        wins = np.zeros(len(serial.strategies))
        best_sum = 0.0
        for d in range(len(effect)):
            nmb = [wtp * effect.iloc[d, s] - cost.iloc[d, s] for s in range(len(serial.strategies))]
            wins[int(np.argmax(nmb))] += 1
            best_sum += max(nmb)
        mean_nmb = (wtp * effect - cost).mean(axis=0)
        np.testing.assert_allclose(serial.acceptability[w], wins / len(effect), rtol=0, atol=1e-12)
        np.testing.assert_allclose(serial.expected_nmb[w], mean_nmb, rtol=1e-10)
        assert serial.evpi[w] == pytest.approx(best_sum / len(effect) - mean_nmb.max(), rel=1e-9, abs=1e-9)
    np.testing.assert_allclose(serial.acceptability.sum(axis=1), 1)


def test_inputs_are_drawn_from_their_distributions(serial):
    """A one-test strategy's sensitivity is the test's Beta: mean within Monte Carlo error (1,200 draws)."""
    mri = serial.draws[serial.draws["strategy"] == "MRI"]["sensitivity"]
    literature = Beta.from_counts(198, 201)   # Buhmann Kirchhoff 2009, the shipped MRI table
    sd = np.sqrt(literature.mean * (1 - literature.mean) / (literature.alpha + literature.beta + 1))
    assert abs(mri.mean() - literature.mean) < 4 * sd / np.sqrt(len(mri))
    assert mri.std() == pytest.approx(sd, rel=0.1)
    row = serial.inputs.set_index("input").loc["MRI sensitivity"]
    assert row["distribution"] == "Beta(199, 4)" and "Buhmann Kirchhoff 2009" in row["source"]
    assert any("MRI sensitivity and specificity drawn from" in n for n in serial.notes)


def test_strategies_share_the_inputs_of_each_draw(serial):
    """Common random numbers: CT then MRI in series has a sensitivity equal to the product of CT's and MRI's."""
    wide = serial.draws.pivot(index="draw", columns="strategy", values="sensitivity")
    np.testing.assert_allclose(wide["CT then MRI"], wide["CT"] * wide["MRI"], rtol=1e-12)
    np.testing.assert_allclose(wide["CT or MRI"], 1 - (1 - wide["CT"]) * (1 - wide["MRI"]), rtol=1e-12)


def test_same_seed_same_numbers_on_one_or_two_workers(serial):
    for workers in (1, 2):
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            pd.testing.assert_frame_equal(_psa(executor=pool).draws, serial.draws)
    assert not np.array_equal(_psa(seed=4).draws["cost per patient"], serial.draws["cost per patient"])


def test_dask_gives_the_same_numbers(serial):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        on_dask = _psa(executor=client)
    pd.testing.assert_frame_equal(on_dask.draws, serial.draws)
    np.testing.assert_array_equal(on_dask.evpi, serial.evpi)


def test_a_test_no_strategy_uses_is_noted():
    res = ds.pathway.psa({"MRI": "MRI"}, {"MRI": {"cost": 400}, "PET": {"cost": 900}}, prevalence=0.3, wtp=0,
                         n_draws=100, executor="serial", progress=False)
    assert any("used by no strategy (not drawn): PET" in n for n in res.notes)


def test_effect_per_outcome_and_the_summary(serial):
    qaly = _psa(effect={"tp": 0.9, "fn": 0.5, "tn": 1.0, "fp": 0.95}, n_draws=200)
    draws = qaly.draws[qaly.draws["strategy"] == "MRI"]
    assert (draws["effect per patient"] <= 1).all() and (draws["effect per patient"] >= 0.5).all()
    summary = serial.summary.set_index(["strategy", "measure"])
    missed = serial.draws.groupby("strategy")["missed per 1,000"].mean()
    assert summary.loc[("CT", "missed per 1,000"), "value"] == pytest.approx(missed["CT"])
    lower, upper = np.quantile(serial.draws[serial.draws["strategy"] == "CT"]["cost per patient"], [0.025, 0.975])
    assert summary.loc[("CT", "cost per patient"), ["lower", "upper"]].tolist() == pytest.approx([lower, upper])


def test_the_result_keeps_the_contract_and_plots(serial):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from diagstats.results import check_contract

    check_contract(serial)
    assert "draws" not in serial.to_dict()
    fig, ax = plt.subplots()
    assert serial.plot(ax=ax) is ax and len(ax.lines) == len(serial.strategies)
    plt.close(fig)


@pytest.mark.parametrize("change, argument", [
    ({"strategies": {"x": ("series", ["MRI", "PET"])}}, "strategies\\['x'\\] uses test 'PET'"),
    ({"tests": {"MRI": {"sensitivity": 0.9}, "MDCT": {"cost": 150}}}, "tests\\['MRI'\\] has no 'cost'"),
    ({"tests": {"MRI": {"cost": 1, "sensitivity": 1.5}, "MDCT": {"cost": 150}}}, "sensitivity"),
    ({"tests": {"PET scan": {"cost": 1}}, "strategies": {"p": "PET scan"}},
     "tests\\['PET scan'\\] has no 'sensitivity'"),
    ({"tests": {"MRI": {"cost": -5}, "MDCT": {"cost": 150}}}, "cost"),
    ({"strategies": {"x": ("series", [])}}, "strategies\\['x'\\]"),
    ({"strategies": {"x": (3, ["MRI", "MDCT"])}}, "strategies\\['x'\\] rule"),
    ({"strategies": {"x": ("both", ["MRI", "MDCT"])}}, "strategies\\['x'\\] rule"),
    ({"strategies": {}}, "strategies"),
    ({"prevalence": 30}, "prevalence"),
    ({"wtp": [-1, 100]}, "wtp"),
    ({"effect": "qalys"}, "effect"),
    ({"outcome_costs": {"death": 5}}, "outcome_costs"),
    ({"n_draws": 10}, "n_draws"),
    ({"chunk_size": 0}, "chunk_size"),
    ({"level": 95}, "level"),
])
def test_bad_input_is_refused_naming_it(change, argument):
    args = {"strategies": {"MRI": "MRI", "CT": "MDCT"}, "tests": {"MRI": {"cost": 400}, "MDCT": {"cost": 150}},
            "prevalence": 0.3, "wtp": [0, 1000], "n_draws": 100, "executor": "serial", "progress": False, **change}
    with pytest.raises(DiagstatsError, match=argument):
        ds.pathway.psa(**args)


def test_distributions_refuse_bad_parameters():
    with pytest.raises(DiagstatsError, match="alpha"):
        Beta(0, 1)
    with pytest.raises(DiagstatsError, match="events"):
        Beta.from_counts(11, 10)
    with pytest.raises(DiagstatsError, match="sd"):
        Gamma(100, -1)
