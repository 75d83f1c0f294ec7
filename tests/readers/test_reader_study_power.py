"""ds.planning.reader_study_power: the power of a planned reader study from a pilot OR analysis.

Parity (data: ``vandyke.csv`` in ``../shared/reference/public/``, Van Dyke et al. 1993, RJafroc ``dataset02``;
see that folder's README): RJafroc's tests (dpc10ster/RJafroc, ``tests/testthat/test-SsPower.R``, "SsPowerGivenJK
OR VarComp Input VanDyke data: after updating Ss routines from Hillis 2011 and 2018 papers") publish, for the
Van Dyke pilot (jackknife, Wilcoxon AUC) and the observed effect -0.043800322:

* ``SsPowerGivenJK(dataset02, method = "OR", J = 10, K = 165)$powerRRRC`` = 0.80541995 (tolerance 1e-8);
* ``analysisOption = "FRRC"``, J = 10, K = 131: ``powerFRRC`` = 0.80091813;
* ``analysisOption = "RRFC"``, J = 10, K = 53: ``powerRRFC`` = 0.80496663;
* J = 6, K = 111: ``powerRRRC`` = 0.5526116 (printed to 7 digits).

Sample size (same test file): ``SsSampleSizeKGivenJ(dataset02, J = 6, FOM = "Wilcoxon", method = "OR")$KRRRC``
= 251 (default desiredPower 0.8, observed effect; ``SsPowerTable`` prints power 0.801 there), and for the Franken
data (``franken.csv``, RJafroc ``dataset03``) ``SsSampleSizeKGivenJ(dataset03, effectSize = 0.05, J = 6, method =
"OR")$powerRRRC`` = 0.8004469 (the power at the cases found; the number of cases itself is not printed).

Hillis, Obuchowski & Berbaum (2011) Acad Radiol 18:129-142 give the method. Published 8-digit numbers are
compared within half a unit of the 8th decimal.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DiagstatsError
from diagstats.results import check_contract

from ..public_data import published, read_public


def _pilot(t: int = 2, seed: int = 3) -> ds.ReaderStudyResult:
    rng = np.random.default_rng(seed)
    truth = np.repeat([0, 1], 20)
    return ds.reader_study(pd.DataFrame([{"reader": j, "modality": m, "case": k, "truth": truth[k],
                                          "rating": truth[k] * (1 + 0.4 * m) + rng.normal()}
                                         for j in range(3) for m in range(t) for k in range(40)]))


def test_vandyke_rrrc_power_matches_rjafroc(vandyke):
    res = ds.planning.reader_study_power(vandyke, n_readers=10, n_cases=165)
    assert res.power == published(0.80541995, 8)
    assert res.effect == pytest.approx(-0.043800322, abs=5e-10)
    assert res.pilot_cases == 114
    # the same with the effect given as RJafroc's test gives it
    given = ds.planning.reader_study_power(vandyke, n_readers=10, n_cases=165, effect=-0.043800322)
    assert given.power == published(0.80541995, 8)


def test_vandyke_frrc_and_rrfc_power_match_rjafroc(vandyke):
    frrc = ds.planning.reader_study_power(vandyke, n_readers=10, n_cases=131)
    assert frrc.frrc_power == published(0.80091813, 8)
    assert math.isinf(frrc.analyses["frrc"]["df"])
    rrfc = ds.planning.reader_study_power(vandyke, n_readers=10, n_cases=53)
    assert rrfc.rrfc_power == published(0.80496663, 8)
    assert rrfc.analyses["rrfc"]["df"] == 9


def test_vandyke_six_readers(vandyke):
    assert ds.planning.reader_study_power(vandyke, n_readers=6, n_cases=111).power == published(0.5526116, 7)


def test_formulas_by_hand(vandyke):
    """ddf and noncentrality from the components (Hillis et al. 2011), written out."""
    c = vandyke.components
    k = 114 / 165
    trunc = max(c["Cov2"] - c["Cov3"], 0)
    den = c["Var(TxR)"] + k * (c["Var(error)"] - c["Cov1"] + 9 * trunc)
    ms_tr = c["Var(TxR)"] + k * (c["Var(error)"] - c["Cov1"] - trunc)
    res = ds.planning.reader_study_power(vandyke, n_readers=10, n_cases=165)
    assert res.noncentrality == pytest.approx(10 * res.effect ** 2 / 2 / den, rel=1e-12)
    assert res.ddf == pytest.approx(den ** 2 / (ms_tr ** 2 / 9), rel=1e-12)


def test_power_grows_with_readers_cases_and_effect():
    pilot = _pilot()
    base = ds.planning.reader_study_power(pilot, n_readers=5, n_cases=100, effect=0.05)
    assert ds.planning.reader_study_power(pilot, n_readers=10, n_cases=100, effect=0.05).power > base.power
    assert ds.planning.reader_study_power(pilot, n_readers=5, n_cases=400, effect=0.05).power > base.power
    assert ds.planning.reader_study_power(pilot, n_readers=5, n_cases=100, effect=0.08).power > base.power
    null = ds.planning.reader_study_power(pilot, n_readers=5, n_cases=100, effect=0.0)
    assert null.power == pytest.approx(0.05, abs=1e-12)
    assert null.frrc_power == pytest.approx(0.05, abs=1e-12) and null.rrfc_power == pytest.approx(0.05, abs=1e-12)
    # the sign of the effect does not matter
    assert ds.planning.reader_study_power(pilot, n_readers=5, n_cases=100, effect=-0.05).power == base.power


def test_three_modality_pilot_needs_an_effect():
    pilot = _pilot(t=3)
    with pytest.raises(DiagstatsError, match="effect"):
        ds.planning.reader_study_power(pilot, n_readers=5, n_cases=100)
    res = ds.planning.reader_study_power(pilot, n_readers=5, n_cases=100, effect=0.05)
    assert 0 < res.power < 1 and any("3 modalities" in n for n in res.notes)


@pytest.mark.parametrize("kwargs, name", [
    ({"n_readers": 1}, "n_readers"), ({"n_readers": 2.5}, "n_readers"), ({"n_readers": True}, "n_readers"),
    ({"n_readers": 10**6 + 1}, "n_readers"), ({"n_cases": 1}, "n_cases"), ({"n_cases": "100"}, "n_cases"),
    ({"n_cases": 10**9 + 1}, "n_cases"),
    ({"alpha": 0}, "alpha"), ({"alpha": 1}, "alpha"), ({"alpha": 5}, "alpha"), ({"alpha": np.nan}, "alpha"),
    ({"effect": np.inf}, "effect"), ({"effect": 2.0}, "effect"), ({"effect": "0.05"}, "effect"),
])
def test_bad_input_is_refused_naming_the_argument(kwargs, name):
    args = {"n_readers": 5, "n_cases": 100, **kwargs}
    with pytest.raises(DiagstatsError, match=name):
        ds.planning.reader_study_power(_pilot(), **args)


@pytest.mark.parametrize("pilot", [None, {"Var(TxR)": 0.001}, pd.DataFrame({"a": [1]}), 0.8])
def test_pilot_must_be_a_reader_study(pilot):
    with pytest.raises(DiagstatsError, match="pilot"):
        ds.planning.reader_study_power(pilot, n_readers=5, n_cases=100)


def test_pilot_without_variance_is_refused():
    truth = np.repeat([0, 1], 4)
    perfect = ds.reader_study(pd.DataFrame([{"reader": j, "modality": m, "case": k, "truth": truth[k],
                                             "rating": float(truth[k])}
                                            for j in range(2) for m in range(2) for k in range(8)]))
    with pytest.raises(DiagstatsError, match="pilot"):
        ds.planning.reader_study_power(perfect, n_readers=5, n_cases=100, effect=0.05)


def test_result_contract_and_printout(vandyke):
    res = ds.planning.reader_study_power(vandyke, n_readers=10, n_cases=165)
    check_contract(res)
    frame = res.to_frame()
    assert list(frame["analysis"][:3]) == ["rrrc", "frrc", "rrfc"]
    assert frame.loc[0, "value"] == res.power and frame.loc[0, "df"] == res.ddf
    text = str(res)
    assert "0.8054" in text and "10 readers x 165 cases" in text


def test_the_largest_studies_give_power_one_without_warnings(recwarn):
    """Found by the fuzz test: 2**63 readers made scipy's noncentral F fail to converge (now refused); at the
    largest accepted sizes the power is 1 and no warning is raised."""
    res = ds.planning.reader_study_power(_pilot(), n_readers=10**6, n_cases=10**9, effect=1.0)
    assert res.power == 1.0 and res.frrc_power == 1.0 and res.rrfc_power == 1.0
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_vandyke_sample_size_matches_rjafroc(vandyke):
    plan = ds.planning.reader_study_power(vandyke, n_readers=6, power=0.8)
    assert plan.solved == "n_cases" and plan.n_cases == 251
    assert plan.power == published(0.801, 3) and plan.target_power == 0.8
    assert ds.planning.reader_study_power(vandyke, n_readers=6, n_cases=250).power < 0.8


def test_franken_sample_size_power_matches_rjafroc():
    franken = ds.reader_study(read_public("franken.csv"))
    plan = ds.planning.reader_study_power(franken, n_readers=6, effect=0.05, power=0.8)
    assert plan.power == published(0.8004469, 7)
    assert ds.planning.reader_study_power(franken, n_readers=6, n_cases=plan.n_cases - 1, effect=0.05).power < 0.8


def test_vandyke_frrc_and_rrfc_sample_sizes_give_rjafroc_powers(vandyke):
    """RJafroc's FRRC and RRFC powers above are published at K = 131 and 53: the sizes solved here for 0.8."""
    frrc = ds.planning.reader_study_power(vandyke, n_readers=10, power=0.8, analysis="frrc")
    assert frrc.n_cases == 131 and frrc.frrc_power == published(0.80091813, 8)
    rrfc = ds.planning.reader_study_power(vandyke, n_readers=10, power=0.8, analysis="rrfc")
    assert rrfc.n_cases == 53 and rrfc.rrfc_power == published(0.80496663, 8)


@pytest.mark.parametrize("analysis", ["rrrc", "frrc", "rrfc"])
def test_solved_cases_are_the_smallest_reaching_the_target(vandyke, analysis):
    plan = ds.planning.reader_study_power(vandyke, n_readers=10, power=0.9, analysis=analysis)
    assert plan.analyses[analysis]["power"] >= 0.9
    fewer = ds.planning.reader_study_power(vandyke, n_readers=10, n_cases=plan.n_cases - 1)
    assert fewer.analyses[analysis]["power"] < 0.9
    assert plan.solved == "n_cases" and plan.analysis == analysis


def test_solved_readers_are_the_smallest_reaching_the_target(vandyke):
    plan = ds.planning.reader_study_power(vandyke, n_cases=200, power=0.8)
    assert plan.solved == "n_readers" and plan.power >= 0.8
    assert ds.planning.reader_study_power(vandyke, n_readers=plan.n_readers - 1, n_cases=200).power < 0.8
    frame = plan.to_frame()
    solved = frame[frame["analysis"] == "solved"]
    assert list(solved["measure"]) == ["n_readers"] and solved["value"].iloc[0] == plan.n_readers
    assert "smallest giving the RRRC analysis a power of at least 0.8" in str(plan)


def test_unreachable_target_is_refused_with_the_reachable_power(vandyke):
    """With 2 readers the RRRC power is bounded whatever the cases (Var(TxR) does not shrink with cases)."""
    limit = ds.planning.reader_study_power(vandyke, n_readers=2, n_cases=10**9).power
    assert limit < 0.99
    with pytest.raises(DiagstatsError, match="cannot be reached with n_readers=2"):
        ds.planning.reader_study_power(vandyke, n_readers=2, power=0.99)


@pytest.mark.parametrize("kwargs, name", [
    ({"n_readers": None}, "n_readers"), ({"n_cases": None}, "n_cases"),
    ({"power": 0.8}, "power"), ({"power": 0.8, "n_readers": None, "n_cases": None}, "power"),
    ({"power": 80, "n_cases": None}, "power"), ({"power": 0.8, "n_cases": None, "analysis": "dbm"}, "analysis"),
])
def test_sample_size_arguments_are_checked(kwargs, name):
    args = {"n_readers": 5, "n_cases": 100, **kwargs}
    with pytest.raises(DiagstatsError, match=name):
        ds.planning.reader_study_power(_pilot(), **args)
