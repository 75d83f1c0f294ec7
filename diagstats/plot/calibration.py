"""The calibration plot: observed against predicted risk, with the distribution of the risks underneath.

Takes ``ax=None`` (a new figure is made) and returns the Axes; never calls ``plt.show()``.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import numpy as np, diagstats as ds
>>> rng = np.random.default_rng(0)
>>> p = rng.uniform(0.05, 0.95, 200)
>>> ax = ds.calibration(rng.random(200) < p, p, n_boot=None).plot()
>>> ax.get_xlabel()
'Predicted probability'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._axes import new_axes

__all__ = ["calibration_plot", "origin_calibration_plot", "multinomial_calibration_plot"]

#: Height of the tallest spike of the risk distribution, in probability units.
SPIKE_HEIGHT = 0.08
#: Height of all the origins' strips of spikes under the multinomial calibration curves, a share of the axis.
STRIPS_HEIGHT = 0.25


def calibration_plot(result: Any, ax: Any = None, band: bool = True) -> Any:
    """Calibration curve of a :class:`~diagstats.utility.risk_calibration.CalibrationResult` over the diagonal.

    The band is the pointwise percentile bootstrap band (when bootstrapped and ``band``). Underneath,
    spikes show how many patients have each predicted risk (100 bins): events upwards from the
    baseline, non-events downwards, as in rms's ``val.prob`` and Steyerberg's plots.
    """
    ax = new_axes(ax, figsize=(5.5, 5.5))
    ax.plot([0, 1], [0, 1], color="grey", lw=1, ls="--", label="ideal")
    label = "loess" if result.curve == "loess" else "logistic calibration curve"
    if band and np.any(np.isfinite(result.lower)):
        ax.fill_between(result.grid, result.lower, result.upper, color="C0", alpha=0.2,
                        label=f"{100 * result.level:g}% bootstrap band")
    ax.plot(result.grid, result.observed, color="C0", lw=2, label=label, marker="o" if result.grid.size == 1 else None)
    edges = np.linspace(0, 1, 101)
    events = np.histogram(result.probabilities[result.outcome == 1], edges)[0]
    non_events = np.histogram(result.probabilities[result.outcome == 0], edges)[0]
    top = max(int(events.max()), int(non_events.max()), 1)
    base = -SPIKE_HEIGHT - 0.02
    mids = (edges[:-1] + edges[1:]) / 2
    ax.vlines(mids[events > 0], base, base + SPIKE_HEIGHT * events[events > 0] / top, color="black", lw=1)
    ax.vlines(mids[non_events > 0], base - SPIKE_HEIGHT * non_events[non_events > 0] / top, base, color="grey", lw=1)
    ax.axhline(base, color="black", lw=0.5)
    ax.text(0.01, base + 0.01, "events", ha="left", va="bottom", fontsize=7)
    ax.text(0.01, base - 0.01, "non-events", ha="left", va="top", fontsize=7)
    ax.set_xlim(0, 1)
    ax.set_ylim(base - SPIKE_HEIGHT - 0.02, 1.02)
    ax.set_xlabel("Predicted probability")
    ax.set_ylabel("Observed proportion")
    ax.set_title(f"Calibration: slope {result.slope.value:.2f}, "
                 f"calibration-in-the-large {result.calibration_in_the_large.value:.2f}", fontsize=9)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return ax


def origin_calibration_plot(result: Any, ax: Any = None, band: bool = False) -> Any:
    """One calibration curve per origin of an :class:`~diagstats.markers.origin_calibration.OriginCalibrationResult`
    (one-vs-rest: each origin's probability against having that origin), over the diagonal."""
    ax = new_axes(ax, figsize=(5.5, 5.5))
    ax.plot([0, 1], [0, 1], color="grey", lw=1, ls="--", label="ideal")
    for k, (origin, cal) in enumerate(result.by_origin.items()):
        colour = f"C{k % 10}"
        if band and np.any(np.isfinite(cal.lower)):
            ax.fill_between(cal.grid, cal.lower, cal.upper, color=colour, alpha=0.12)
        ax.plot(cal.grid, cal.observed, color=colour, lw=1.6, label=f"{origin} (slope {cal.slope.value:.2f})",
                marker="o" if cal.grid.size == 1 else None)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("Predicted probability of the origin")
    ax.set_ylabel("Observed proportion with the origin")
    ax.set_title(f"Calibration per origin ({result.curve}, out of fold)", fontsize=9)
    ax.legend(loc="upper left", fontsize=7, frameon=False)
    return ax


def multinomial_calibration_plot(result: Any, ax: Any = None) -> Any:
    """Van Hoorde et al.'s flexible multinomial calibration curves of an
    :class:`~diagstats.markers.origin_calibration.OriginCalibrationResult`: each patient's recalibrated
    probability of each origin against its predicted probability (faint points) and the smoothed curve through
    them, over the diagonal; underneath, one strip per origin with the distribution of that origin's predicted
    probability (spikes, 100 bins over the axis, tallest spike of each strip the same height). Both axes end at
    the largest predicted probability (or point of a curve) rounded up to a tenth."""
    ax = new_axes(ax, figsize=(5.5, 5.5))
    flexible = result.flexible
    predicted = {origin: result.by_origin[origin].probabilities for origin in result.classes}
    largest = max(p.max() for p in predicted.values())
    if flexible is not None:
        largest = max(largest, float(np.nanmax(flexible.frame["observed"], initial=0.0)))
    top = min(1.0, float(np.ceil(10 * largest - 1e-9)) / 10)
    ax.plot([0, top], [0, top], color="grey", lw=1, ls="--", label="ideal")
    edges = np.linspace(0, top, 101)
    mids = (edges[:-1] + edges[1:]) / 2
    strip = STRIPS_HEIGHT * top / len(result.classes)
    for k, origin in enumerate(result.classes):
        colour = f"C{k % 10}"
        if flexible is not None:
            ax.scatter(predicted[origin], flexible.recalibrated[origin], s=4, color=colour, alpha=0.25, linewidths=0)
            curve = flexible.frame[flexible.frame["origin"] == origin]
            ax.plot(curve["predicted"], curve["observed"], color=colour, lw=1.8, label=str(origin))
        counts = np.histogram(predicted[origin], edges)[0]
        base = -(k + 1) * strip
        ax.vlines(mids[counts > 0], base, base + 0.8 * strip * counts[counts > 0] / max(int(counts.max()), 1),
                  color=colour, lw=1)
        ax.axhline(base, color=colour, lw=0.4)
    ax.set_xlim(0, top)
    ax.set_ylim(-len(result.classes) * strip - 0.005 * top, top)
    ax.set_yticks(np.arange(0, top + 1e-9, 0.1 if top <= 0.6 else 0.2))
    ax.set_xlabel("Predicted probability of the origin")
    ax.set_ylabel("Observed (recalibrated) probability of the origin")
    what = (f"flexible multinomial, natural splines df {flexible.df}" if flexible is not None
            else "no flexible multinomial curves (see the notes)")
    ax.set_title(f"Calibration per origin ({what}; out of fold)", fontsize=9)
    ax.legend(loc="upper left", fontsize=7, frameon=False)
    return ax
