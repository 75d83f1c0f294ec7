"""ds.cluster_bootstrap: any statistic, patients resampled whole (Davison & Hinkley 1997, section 3.8)."""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds


def _vertebrae():
    units = ds.simulate.lesions(ds.simulate.cohort(300, seed=3), seed=3)
    return units[["patient_id", "involved", "mri"]].dropna().astype(float)


def _sensitivity(d, w):
    return (w @ (d["mri"] * d["involved"]).to_numpy()) / (w @ d["involved"].to_numpy())


def test_sensitivity_equals_the_built_in_cluster_bootstrap_of_accuracy():
    data = _vertebrae()
    res = ds.cluster_bootstrap(data, _sensitivity, cluster="patient_id", n_boot=1000, seed=4, progress=False,
                               name="sensitivity")
    built_in = ds.accuracy(data=data, test="mri", reference="involved", cluster="patient_id", ci_method="bootstrap",
                           n_boot=1000, seed=4, progress=False).sensitivity
    assert (res.estimate.value, res.estimate.lower, res.estimate.upper) == pytest.approx(
        (built_in.value, built_in.lower, built_in.upper), abs=1e-12)
    assert res.n_clusters == data["patient_id"].nunique() and res.replicates.shape == (1000,)


def test_the_statistic_sees_whole_patients_drawn_with_replacement():
    data = pd.DataFrame({"patient": [1, 1, 1, 2, 3, 3], "x": [1.0, 2, 3, 4, 5, 6]})
    seen = []

    def spy(d, w):
        seen.append(w)
        return w @ d["x"].to_numpy() / w.sum(axis=1)

    ds.cluster_bootstrap(data, spy, cluster="patient", n_boot=300, progress=False)
    weights = np.vstack(seen[1:])
    assert weights.shape == (300, 6)
    assert np.all(weights[:, 0] == weights[:, 1]) and np.all(weights[:, 1] == weights[:, 2])
    assert np.all(weights[:, 4] == weights[:, 5])
    assert np.all(weights[:, [0, 3, 4]].sum(axis=1) == 3)      # three patients drawn in every replicate


def test_undefined_replicates_are_left_out_with_a_note():
    data = pd.DataFrame({"patient": [1, 2, 3, 4], "disease": [1.0, 0, 0, 0], "test": [1.0, 0, 1, 0]})
    sens = lambda d, w: (w @ (d.test * d.disease).to_numpy()) / (w @ d.disease.to_numpy())  # noqa: E731
    with np.errstate(invalid="ignore", divide="ignore"):
        res = ds.cluster_bootstrap(data, sens, cluster="patient", n_boot=400, progress=False)
    assert np.isnan(res.replicates).any() and "bootstrap replicates undefined (NaN)" in res.notes[0]


@pytest.mark.parametrize("kwargs, message", [
    ({"statistic": 3}, "statistic=3 must be a function statistic(data, weights)"),
    ({"statistic": lambda d, w: 1.0}, "statistic returned shape (1,) for"),
    ({"cluster": "nope"}, "nope"),
    ({"cluster": "one"}, "has 1 cluster; resampling clusters needs at least 2"),
    ({"cluster": "gap"}, "has 1 rows without a cluster id"),
    ({"n_boot": 0}, "n_boot"),
])
def test_bad_input_names_the_argument(kwargs, message):
    data = pd.DataFrame({"patient": [1, 1, 2, 3], "one": [1, 1, 1, 1], "gap": [1, None, 2, 3], "x": [1.0, 2, 3, 4]})
    options = {"statistic": lambda d, w: w @ d["x"].to_numpy() / w.sum(axis=1), "cluster": "patient",
               "progress": False, **kwargs}
    statistic = options.pop("statistic")
    with pytest.raises(ds.DiagstatsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ds.cluster_bootstrap(data, statistic, **options)
