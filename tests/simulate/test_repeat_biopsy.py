"""cohort(..., repeat_biopsy=True): a second biopsy from an independent stream; every other column unchanged."""

import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import OptionError

S = ds.simulate.Scenario.load("spine_referral")


@pytest.mark.parametrize("complete", [False, True])
def test_every_existing_column_is_identical_with_and_without_the_repeat_biopsy(complete):
    plain = ds.simulate.cohort(20_000, seed=9, complete=complete)
    repeat = ds.simulate.cohort(20_000, seed=9, complete=complete, repeat_biopsy=True)
    pd.testing.assert_frame_equal(plain, repeat[plain.columns])
    assert list(repeat.columns) == [*ds.simulate.COLUMNS, *ds.simulate.REPEAT_BIOPSY_COLUMNS]


def test_the_repeat_biopsy_has_the_scenario_yield_and_accuracy_independently_of_the_first():
    df = ds.simulate.cohort(100_000, seed=3, complete=True, repeat_biopsy=True)
    malignant = df["true_diagnosis"].isin(["malignant_primary", "metastasis"])
    nondiagnostic = df["repeat_biopsy_nondiagnostic"]
    assert nondiagnostic.mean() == pytest.approx(1 - S["biopsy.yield"], abs=0.003)
    diagnostic = nondiagnostic == 0
    right = (df["repeat_biopsy_result"] == "malignant") == malignant
    assert right[diagnostic].mean() == pytest.approx(S["biopsy.accuracy"], abs=0.003)
    # independent of the first biopsy: the repeat fails as often after a failed first biopsy as after a good one
    first_failed = df["biopsy_nondiagnostic"] == 1
    assert nondiagnostic[first_failed].mean() == pytest.approx(nondiagnostic[~first_failed].mean(), abs=0.01)


def test_on_the_pathway_a_repeat_follows_only_a_non_diagnostic_first_biopsy():
    df = ds.simulate.cohort(20_000, seed=5, repeat_biopsy=True)
    assert (df["repeat_biopsy_nondiagnostic"].notna() == (df["biopsy_nondiagnostic"] == 1)).all()


def test_repeat_biopsy_must_be_a_flag():
    with pytest.raises(OptionError, match="repeat_biopsy="):
        ds.simulate.cohort(10, repeat_biopsy="yes")
