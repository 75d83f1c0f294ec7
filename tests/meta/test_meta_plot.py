"""Meta-analysis figures return Axes and draw the expected artists."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.patches import Polygon  # noqa: E402
from scipy.special import logit  # noqa: E402

import diagstats as ds  # noqa: E402
from diagstats.plot import meta as meta_plot  # noqa: E402
from diagstats.plot.utility import fagan_nomogram  # noqa: E402
from .meta_fixtures import data  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def fit():
    return ds.meta.bivariate(data("meta_studies"))


def test_sroc_plot(fit):
    ax = fit.plot()
    assert isinstance(ax, plt.Axes)
    circles = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(circles) == 1 and len(circles[0].get_offsets()) == fit.k
    sizes = circles[0].get_sizes()
    n = fit.studies["n"].to_numpy()
    assert np.argmax(sizes) == np.argmax(n)                     # sized by n
    labels = [line.get_label() for line in ax.lines]
    assert any(lbl.startswith("SROC") for lbl in labels)
    assert "summary point" in labels
    assert any("confidence region" in lbl for lbl in labels) and any("prediction region" in lbl for lbl in labels)
    summary = next(line for line in ax.lines if line.get_label() == "summary point")
    assert summary.get_xdata()[0] == pytest.approx(fit.false_positive_rate.value)


def test_sroc_plot_on_given_axes_without_regions(fit):
    _, ax = plt.subplots()
    out = meta_plot.sroc_plot(fit, ax=ax, regions=False)
    assert out is ax
    assert not any("region" in line.get_label() for line in ax.lines)


def test_paired_forest_plot(fit):
    ax_sens, ax_spec = fit.plot(kind="forest")
    for ax, pooled in ((ax_sens, fit.sensitivity), (ax_spec, fit.specificity)):
        assert len([c for c in ax.collections if isinstance(c, LineCollection)][0].get_segments()) == fit.k
        diamond = [p for p in ax.patches if isinstance(p, Polygon)]
        assert len(diamond) == 1
        xs = diamond[0].get_xy()[:, 0]
        assert xs.min() == pytest.approx(pooled.lower) and xs.max() == pytest.approx(pooled.upper)


def test_paired_forest_plot_labels_both_panels_and_clips_no_study_at_one():
    fig, axes = plt.subplots(1, 2)          # not sharing y: each panel must name the studies itself
    tables = data("meta_studies")
    fit_at_one = ds.meta.bivariate(tables.assign(fn=0), study="study")   # every sensitivity is 1.0
    meta_plot.paired_forest_plot(fit_at_one, axes=axes)
    studies = list(fit_at_one.studies["study"]) + ["pooled"]
    assert (fit_at_one.studies["sensitivity"] == 1).all()
    for ax in axes:
        fig.canvas.draw()
        assert [t.get_text() for t in ax.get_yticklabels()] == studies
        low, high = ax.get_xlim()
        assert low < 0 and high > 1
        assert all(not c.get_clip_on() for c in ax.collections if not isinstance(c, LineCollection))
    plt.close(fig)


def test_univariate_forest_plot():
    res = ds.meta.univariate(data("meta_studies"), measure="dor")
    ax = res.plot()
    assert isinstance(ax, plt.Axes)
    assert ax.get_xscale() == "log"
    assert len(ax.get_yticklabels()) == res.k + 1


def test_fagan_nomogram(fit):
    ax = fagan_nomogram(0.2, fit)
    drawn = [line for line in ax.lines if line.get_label().startswith("lr")]
    assert len(drawn) == 2
    pos = next(line for line in drawn if line.get_label().startswith("lr positive"))
    # the line is straight from -logit(pre) through log(LR)/2 to logit(post)
    y0, y1 = pos.get_ydata()
    assert y0 == pytest.approx(-logit(0.2))
    assert (y0 + y1) / 2 == pytest.approx(np.log(fit.lr_positive.value) / 2)
    with pytest.raises(ds.OptionError, match="lr_positive"):
        fagan_nomogram(0.2)
    with pytest.raises(ds.OptionError, match="pretest"):
        fagan_nomogram(20, 5.0)
