"""Scenarios: every number cited, calibration stored (not run), immutable, validated changes."""

import dataclasses
import json
import pickle
import runpy
from pathlib import Path

import numpy as np
import pytest

import diagstats as ds
from diagstats.simulate import SCHEMA, Scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_DIR = ROOT / "datasets" / "scenarios"


@pytest.fixture(scope="module")
def s():
    return Scenario.load("spine_referral")


def test_every_parameter_has_evidence_and_citation(s):
    frame = s.to_frame()
    assert set(frame["parameter"]) == set(SCHEMA)
    assert set(frame["evidence"]) <= {"verbatim", "derived", "assumption"}
    cited = frame[frame["evidence"] != "assumption"]
    assert not cited["source"].str.contains("none").any()
    assert frame["source"].str.len().min() > 0
    # the headline published inputs are tagged verbatim
    for path, value in {"imaging.mri.sensitivity": 0.93, "imaging.ct.specificity": 0.74,
                        "imaging.pet.sensitivity": 0.82, "imaging.bone_scan.specificity": 0.92,
                        "biopsy.accuracy": 0.89, "biopsy.yield": 0.91}.items():
        assert s[path] == value and s.source(path).evidence == "verbatim"
    assert "LABELLED ASSUMPTION" in s.source("blood.origin_shift_nlr").note


def test_stored_calibration_matches_the_committed_script(s):
    script = runpy.run_path(str(SCENARIO_DIR / "calibrate_spine_referral.py"))
    params = json.loads((SCENARIO_DIR / "spine_referral.json").read_text())["parameters"]
    for path, expected in script["calibrate"](params).items():
        stored = s[path]
        if path.endswith("correlation"):
            np.testing.assert_allclose(np.array(stored), np.array(expected), rtol=0, atol=1e-12)
        else:
            for key, value in expected.items():
                assert stored[key] == pytest.approx(value, abs=1e-12), (path, key)


def test_calibration_reproduces_li_aucs_exactly(s):
    script = runpy.run_path(str(SCENARIO_DIR / "calibrate_spine_referral.py"))
    sd = s["blood.reference.sd_log"]
    corr = np.array(s["blood.reference.correlation"])
    cov = corr * np.outer(*[[sd[c] for c in ("neutrophils", "lymphocytes", "platelets", "monocytes")]] * 2)
    sigma_nlr = np.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])
    aucs = script["model_aucs"](s["tumour_mix"], s["blood.shift_nlr"], s["blood.origin_shift_nlr"],
                                s["origin_shares"], sigma_nlr)
    np.testing.assert_allclose(aucs, (0.704, 0.713, 0.624), atol=1e-9)
    # Fest 2018's log-normal NLR: 2.5%/97.5% limits 0.83 and 3.92
    assert sigma_nlr == pytest.approx(np.log(3.92 / 0.83) / (2 * 1.959963984540054), rel=1e-9)


def test_immutable_and_replace_returns_a_validated_copy(s):
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.name = "x"
    with pytest.raises(TypeError):
        s["origin_shares"]["lung"] = 0.5
    t = s.replace({"imaging.mri.sensitivity": 0.9}, imaging__ct__specificity=0.8, name="test")
    assert (t["imaging.mri.sensitivity"], t["imaging.ct.specificity"], t.name) == (0.9, 0.8, "test")
    assert s["imaging.mri.sensitivity"] == 0.93
    assert t.source("imaging.mri.sensitivity").source == "user change"
    assert Scenario.from_dict(t.to_dict()) == t
    assert pickle.loads(pickle.dumps(t)) == t


def test_load_from_path_and_list(tmp_path, s):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(s.replace(tumour_share=0.5, name="mine").to_dict()))
    assert Scenario.load(path)["tumour_share"] == 0.5
    assert ds.simulate.available() == ["spine_referral"]


@pytest.mark.parametrize("changes, message", [
    ({"imaging.mri.sensitivity": 1.3}, "imaging.mri.sensitivity.*between 0 and 1"),
    ({"imaging.mri.sensitivity": -0.1}, "between 0 and 1"),
    ({"imaging.mri.sensitivty": 0.9}, "not a scenario parameter.*Did you mean 'imaging.mri.sensitivity'"),
    ({"origin_shares": {"lung": 0.5, "breast": 0.6, "prostate": 0, "kidney": 0, "thyroid": 0,
                        "gastrointestinal": 0, "liver": 0, "other": 0, "unknown": 0}}, "sum to 1.1"),
    ({"tumour_mix": {"benign_primary": 1.0}}, "exactly the keys"),
    ({"age.minimum": 99.0}, "minimum must be below the maximum"),
    ({"imaging.rating_cutpoints": [0.0, 1.0, 2.0, 3.0]}, "second is 0"),
    ({"blood.reference.correlation": [[1, 2, 0, 0], [2, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]}, "positive-definite"),
    ({"blood.origin_shifts": "no"}, "True or False"),
])
def test_bad_changes_raise(s, changes, message):
    with pytest.raises(ds.DiagstatsError, match=message):
        s.replace(changes)


def test_bad_scenario_files(s):
    doc = s.to_dict()
    doc["parameters"]["imaging"]["mri"]["colour"] = {"value": 1, "evidence": "assumption", "source": "x"}
    with pytest.raises(ds.OptionError, match="unknown scenario parameter 'imaging.mri.colour'"):
        Scenario.from_dict(doc)
    doc = s.to_dict()
    doc["parameters"]["biopsy"]["yield"]["evidence"] = "hearsay"
    with pytest.raises(ds.DataError, match="biopsy.yield.*evidence"):
        Scenario.from_dict(doc)
    doc = s.to_dict()
    del doc["parameters"]["biopsy"]["yield"]
    with pytest.raises(ds.DataError, match="lacks parameter.*biopsy.yield"):
        Scenario.from_dict(doc)
