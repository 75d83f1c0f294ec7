"""Regression tests for what the fuzz suite (tests/fuzz) found in the blood-marker functions."""

import pandas as pd
import pytest

import diagstats as ds


def test_empty_data_with_groups_is_refused_naming_the_reference():
    """Found by the fuzz suite: with groups= and no rows, discriminate raised numpy's TypeError
    "ufunc 'invert' not supported" (the mask of excluded patients was an empty float array)."""
    data = pd.DataFrame({"plr": [], "diagnosis": []})
    with pytest.raises(ds.DataError, match="reference"):
        ds.markers.discriminate(data, ["plr"], reference="diagnosis", positive="yes",
                                groups={"no": ["x"], "yes": ["y"]}, cv=2, n_boot=20, progress=False)


def _fuzz_data(key):
    """A blood-marker frame the fuzz suite drew (the columns the call uses), from fuzz_findings_data.json."""
    import json
    from pathlib import Path

    return pd.DataFrame(json.loads((Path(__file__).with_name("fuzz_findings_data.json")).read_text())[key])


def _no_warnings(call):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call()


def test_predict_origin_origin_absent_from_a_training_fold_warns_nothing_and_says_so():
    """Found by the fuzz suite (KNOWN_OPEN 'dependency_warnings'): numpy's "divide by zero encountered in log"
    reached the user when a bootstrap resample left an origin out of a training fold (prevalence-only
    probability 0); it is counted as machine epsilon, as the model's probabilities are, with a note."""
    import math

    res = _no_warnings(lambda: ds.markers.predict_origin(
        _fuzz_data("origin_absent_in_training_fold"), reference="origin", repeats=1, n_boot=20, progress=False,
        markers=["plr", "nlr"], cv=3))
    assert math.isfinite(res.baseline_log_loss.lower) and math.isfinite(res.baseline_log_loss.upper)
    assert any(n.startswith("in 2 of 40 bootstrap cross-validations an origin was absent from a training fold")
               for n in res.notes)

