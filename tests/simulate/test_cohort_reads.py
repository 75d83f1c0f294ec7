"""ds.simulate.cohort_reads: several readers rate the simulated cohort's MRI and CT (issue 17 point 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

import diagstats as ds
from diagstats.errors import OptionError
from diagstats.readers._covariance import case_placements
from diagstats.simulate.engine import _simulate
from diagstats.simulate.scenario import MODALITIES, Scenario


def _auc(frame: pd.DataFrame) -> float:
    return float(case_placements(frame["score"].to_numpy()[None], frame["truth"].to_numpy() == 1)[0][0])


def test_the_cohort_is_unchanged_and_the_scenarios_reader_reproduces_its_ratings():
    patients = ds.simulate.cohort(500, seed=11)
    pd.testing.assert_frame_equal(_simulate(500, "spine_referral", 11, complete=False, keep_signal=True)[0], patients)
    reads = ds.simulate.cohort_reads(500, seed=11, readers={"skill": [1.0], "bias": [0.0]}, agreement=1.0,
                                     modalities=list(MODALITIES), complete=True)
    complete = ds.simulate.cohort(500, seed=11, complete=True)
    for m in MODALITIES:
        mine = reads[reads["modality"] == m].set_index("case")
        assert len(mine) == 500
        np.testing.assert_array_equal(mine["rating"].to_numpy(), complete[f"{m}_rating"].to_numpy())
        np.testing.assert_array_equal(mine["truth"].to_numpy(), (complete["true_diagnosis"] != "no_tumour").to_numpy())


def test_only_patients_imaged_by_every_modality_are_read_in_a_crossed_design():
    patients = ds.simulate.cohort(800, seed=4)
    reads = ds.simulate.cohort_reads(800, seed=4, readers=3)
    both = patients.index[patients["mri"].notna() & patients["ct"].notna()]
    assert 0 < len(both) < 800
    assert len(reads) == 3 * 2 * len(both)
    for _, one in reads.groupby(["reader", "modality"]):
        np.testing.assert_array_equal(one["case"].to_numpy(), both.to_numpy())
    assert reads.attrs["n_patients"] == 800 and len(reads.attrs["skill"]) == 3
    pd.testing.assert_frame_equal(reads, ds.simulate.cohort_reads(800, seed=4, readers=3))
    assert not reads.equals(ds.simulate.cohort_reads(800, seed=5, readers=3))


def test_skill_sets_the_binormal_auc_bias_moves_the_reads_not_the_auc_agreement_is_the_correlation():
    """Large sample (60,000 patients): each reader's AUC is Phi(g (Phi^-1(Se) + Phi^-1(Sp)) / sqrt(2)) within 0.005,
    two readers' scores correlate by the agreement within each truth state (within 0.02)."""
    reads = ds.simulate.cohort_reads(60_000, seed=9, readers={"skill": [1.0, 0.6, 1.0], "bias": [0.0, 0.0, 0.8]},
                                     complete=True, agreement=0.5)
    s = Scenario.load("spine_referral")
    for m in ("mri", "ct"):
        d = norm.ppf(s[f"imaging.{m}.sensitivity"]) + norm.ppf(s[f"imaging.{m}.specificity"])
        rows = reads[reads["modality"] == m]
        for reader, skill in (("reader 1", 1.0), ("reader 2", 0.6), ("reader 3", 1.0)):
            assert _auc(rows[rows["reader"] == reader]) == pytest.approx(norm.cdf(skill * d / np.sqrt(2)), abs=0.005)
        positive = rows.assign(pos=rows["rating"] >= 3).groupby("reader")["pos"].mean()
        assert positive["reader 3"] < positive["reader 1"] - 0.05
        wide = rows.pivot(index="case", columns="reader", values="score")
        truth = rows[rows["reader"] == "reader 1"].set_index("case")["truth"]
        for state in (0, 1):
            one = wide[truth == state]
            assert np.corrcoef(one["reader 1"], one["reader 3"])[0, 1] == pytest.approx(0.5, abs=0.02)


def test_the_reads_feed_reader_study():
    reads = ds.simulate.cohort_reads(1500, seed=20, readers=4)
    res = ds.reader_study(reads)
    assert res.modalities == ("ct", "mri") and len(res.readers) == 4
    assert res.modality_auc[1].value > res.modality_auc[0].value


@pytest.mark.parametrize("options, match", [
    ({"readers": 0}, "readers"), ({"readers": {"skill": [1.0]}}, "readers"),
    ({"readers": {"skill": [1.0, 2.0], "bias": [0.0]}}, "readers"), ({"readers": {"skill": [-1.0], "bias": [0.0]}},
                                                                       "readers"),
    ({"modalities": ["mri", "ultrasound"]}, "modalities"), ({"modalities": "mri"}, "modalities"),
    ({"modalities": []}, "modalities"), ({"agreement": 1.5}, "agreement")])
def test_bad_options_are_refused(options, match):
    with pytest.raises(OptionError, match=match):
        ds.simulate.cohort_reads(50, seed=1, **options)
