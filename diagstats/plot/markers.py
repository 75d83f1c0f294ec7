"""Figures for blood-marker studies: distributions by group, origin confusion matrix, decision curves.

Each function takes ``ax=None`` (a new figure is made when None) and returns the Axes; none calls
``plt.show()``.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from diagstats.plot.markers import marker_distributions
>>> df = pd.DataFrame({"nlr": [1.5, 2.0, 2.5, 3.0, 6.0, 9.0], "group": list("aaabbb")})
>>> ax = marker_distributions(df, "nlr", by="group", seed=0)
>>> ax.get_yscale(), [t.get_text() for t in ax.get_xticklabels()]
('log', ['a', 'b'])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._input import _show, as_generator, as_numeric, column, missing
from ..errors import DataError
from ._axes import new_axes

__all__ = ["marker_distributions", "confusion_matrix"]


def marker_distributions(data: pd.DataFrame, marker: str, by: str, *, ax: Any = None, log: bool = True,
                         groups: Sequence[Any] | None = None, seed: Any = 0, jitter: float = 0.15) -> Any:
    """Box plot of a marker by group with every patient overlaid as a jittered point.

    Parameters
    ----------
    data : DataFrame
    marker : str
        Numeric marker column (positive when ``log=True``).
    by : str
        Grouping column; groups in sorted order unless ``groups=`` gives the order.
    ax : matplotlib Axes, optional
    log : bool, default True
        Logarithmic value axis (blood-count ratios are close to log-normal).
    groups : sequence, optional
    seed : int, default 0
        Seed of the horizontal jitter, so the figure is reproducible.
    jitter : float, default 0.15
        Half-width of the jitter, in group-spacing units.

    Returns
    -------
    matplotlib Axes
        Boxes are ``ax.patches``; the points are one ``PathCollection`` per group in ``ax.collections``.
    """
    values = as_numeric(column(data, marker, "marker").to_numpy(), f"marker {marker!r}")
    labels = column(data, by, "by").to_numpy()
    keep = ~np.isnan(values) & ~missing(labels)
    values, labels = values[keep], labels[keep]
    if log and np.any(values <= 0):
        raise DataError(f"marker {marker!r} has values <= 0, which cannot be shown on a log axis; pass log=False.")
    order = list(groups) if groups is not None else sorted(pd.unique(labels), key=str)
    absent = [g for g in order if not np.any(labels == g)]
    if absent:
        raise DataError(f"groups {_show(absent)} have no {marker!r} values in {by!r}.")
    samples = [values[labels == g] for g in order]
    ax = new_axes(ax)
    positions = np.arange(1, len(order) + 1)
    ax.boxplot(samples, positions=positions, widths=0.5, showfliers=False, patch_artist=True,
               boxprops={"facecolor": "none"}, medianprops={"color": "black"})
    rng = as_generator(seed)
    for pos, sample in zip(positions, samples):
        ax.scatter(pos + rng.uniform(-jitter, jitter, sample.size), sample, s=10, alpha=0.5)
    if log:
        ax.set_yscale("log")
    ax.set_xticks(positions)
    ax.set_xticklabels([str(g) for g in order])
    ax.set_xlabel(str(by))
    ax.set_ylabel(f"{marker} (log scale)" if log else str(marker))
    return ax


def confusion_matrix(confusion: pd.DataFrame, *, ax: Any = None, normalize: bool = True) -> Any:
    """Heat map of a confusion matrix (true classes in rows), annotated with counts or row shares."""
    counts = confusion.to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        shown = counts / counts.sum(axis=1, keepdims=True) if normalize else counts
    ax = new_axes(ax)
    # vector cells (not a raster image), so the figure stays self-contained text in SVG reports
    image = ax.pcolormesh(np.arange(shown.shape[1] + 1) - 0.5, np.arange(shown.shape[0] + 1) - 0.5,
                          np.nan_to_num(shown), cmap="Blues", vmin=0, vmax=1 if normalize else None)
    ax.invert_yaxis()
    ax.set_aspect("equal")
    for (i, j), value in np.ndenumerate(shown):
        text = "" if np.isnan(value) else (f"{value:.2f}" if normalize else _count_text(value))
        ax.text(j, i, text, ha="center", va="center",
                color="white" if np.nan_to_num(value) > 0.6 * np.nanmax(np.nan_to_num(shown)) else "black")
    ax.set_xticks(range(counts.shape[1]))
    ax.set_xticklabels([str(c) for c in confusion.columns], rotation=45, ha="right")
    ax.set_yticks(range(counts.shape[0]))
    ax.set_yticklabels([str(c) for c in confusion.index])
    ax.set_xlabel("predicted origin")
    ax.set_ylabel("true origin")
    ax.figure.colorbar(image, ax=ax, label="share of true origin" if normalize else "patients")
    return ax


def _count_text(value: float) -> str:
    """A count as a whole number, or to one decimal when it is a mean over cross-validation repeats."""
    return f"{int(value)}" if float(value).is_integer() else f"{value:.1f}"
