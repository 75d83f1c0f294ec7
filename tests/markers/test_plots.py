"""Marker figures: distributions by group, decision curves, origin confusion matrix (Agg backend)."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection

import diagstats as ds
from diagstats.errors import DataError
from diagstats.plot.markers import marker_distributions


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    g = np.repeat(["benign", "metastasis", "primary"], [20, 25, 15])
    return pd.DataFrame({"group": g, "nlr": np.exp(rng.normal(1, 0.5, g.size)),
                         "y": (g != "benign").astype(int), "p": rng.random(g.size)})


def test_marker_distributions(data):
    fig, ax = plt.subplots()
    out = marker_distributions(data, "nlr", by="group", ax=ax)
    assert out is ax and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["benign", "metastasis", "primary"]
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [len(c.get_offsets()) for c in points] == [20, 25, 15]
    np.testing.assert_allclose(np.sort(points[0].get_offsets()[:, 1]), np.sort(data.nlr[data.group == "benign"]))
    assert len(ax.patches) == 3  # one box per group
    again = marker_distributions(data, "nlr", by="group", groups=["primary", "benign"])
    assert [t.get_text() for t in again.get_xticklabels()] == ["primary", "benign"]
    # same seed, same jitter
    a = marker_distributions(data, "nlr", by="group", seed=3).collections[0].get_offsets()
    b = marker_distributions(data, "nlr", by="group", seed=3).collections[0].get_offsets()
    np.testing.assert_array_equal(a, b)


def test_marker_distributions_bad_input(data):
    with pytest.raises(DataError, match="log=False"):
        marker_distributions(data.assign(nlr=data.nlr - 3), "nlr", by="group")
    assert marker_distributions(data.assign(nlr=data.nlr - 3), "nlr", by="group", log=False).get_yscale() == "linear"
    with pytest.raises(DataError, match="have no 'nlr' values"):
        marker_distributions(data, "nlr", by="group", groups=["benign", "lung"])


def test_decision_curve_plot(data):
    res = ds.decision_curve(data, "y", ["p"], n_boot=50, progress=False)
    ax = res.plot()
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["p", "treat all", "treat none"]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), res.net_benefit[1])
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2  # bands for p and treat all
    assert ax.get_xlabel() == "threshold probability" and ax.get_legend() is not None
    bare = ds.decision_curve(data, "y", ["p"], n_boot=None).plot(strategies=["p", "treat none"])
    assert len(bare.lines) == 2 and not bare.collections
    _, own = plt.subplots()
    assert res.plot(ax=own, intervals=False) is own and not own.collections
