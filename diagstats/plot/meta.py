"""Figures for diagnostic meta-analysis: forest plots and the SROC plots (bivariate and Lehmann models).

Every function takes ``ax=None`` (a new figure is made) and returns what it drew on; nothing
calls ``plt.show()``. The Fagan nomogram is in :mod:`diagstats.plot.utility`.
"""

from __future__ import annotations

import numpy as np

from ..errors import OptionError
from ._axes import new_axes


def forest_plot(result, ax=None, *, title: str | None = None):
    """Forest plot of a univariate meta-analysis: study estimates with intervals and the pooled diamond.

    Parameters
    ----------
    result : UnivariateMetaResult
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.patches import Polygon

    ax = new_axes(ax)
    st = result.studies
    k = len(st)
    y = np.arange(k, 0, -1, dtype=float)
    ax.hlines(y, st["lower"], st["upper"], color="black", linewidth=1)
    weights = st["weight"].to_numpy(dtype=float)
    sizes = 20 + 200 * (weights / np.nanmax(weights)) if np.all(np.isfinite(weights)) else np.full(k, 40.0)
    ax.scatter(st["value"], y, s=sizes, marker="s", color="black", zorder=3)
    p = result.pooled
    diamond = Polygon([[p.lower, -0.5], [p.value, -0.2], [p.upper, -0.5], [p.value, -0.8]], closed=True,
                      color="tab:red", label="pooled")
    ax.add_patch(diamond)
    ax.axvline(p.value, color="tab:red", linestyle=":", linewidth=1)
    ax.set_yticks(list(y) + [-0.5])
    ax.set_yticklabels(list(st["study"]) + [f"pooled ({result.method.upper()})"])
    ax.set_xlabel(result.measure.replace("_", " "))
    if result.measure in ("dor", "lr_positive", "lr_negative"):
        ax.set_xscale("log")
    ax.set_ylim(-1.2, k + 0.8)
    ax.set_title(title if title is not None else f"{result.measure.replace('_', ' ')}: {p.format(2)}")
    return ax


def paired_forest_plot(result, axes=None):
    """Paired forest plot of a bivariate fit: sensitivity and specificity of each study side by side.

    Study intervals are Wilson intervals of the raw counts; the pooled estimates (diamonds) are
    those of the bivariate model. Both panels name the studies; the x axis runs a little beyond
    0 and 1 so that a study at 1.0 is drawn whole.

    Parameters
    ----------
    result : BivariateMetaResult
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    tuple of two matplotlib Axes (sensitivity, specificity)
    """
    from matplotlib.patches import Polygon

    if axes is None:
        import matplotlib.pyplot as plt
        _, axes = plt.subplots(1, 2, sharey=True, figsize=(9, 1.5 + 0.35 * result.k))
    if len(axes) != 2:
        raise OptionError("axes must be a pair of matplotlib Axes (sensitivity, specificity).")
    st = result.studies
    y = np.arange(result.k, 0, -1, dtype=float)
    sizes = 15 + 150 * st["n"].to_numpy() / st["n"].max()
    for ax, measure, pooled in ((axes[0], "sensitivity", result.sensitivity),
                                (axes[1], "specificity", result.specificity)):
        ax.hlines(y, st[f"{measure}_lower"], st[f"{measure}_upper"], color="black", linewidth=1)
        ax.scatter(st[measure], y, s=sizes, marker="s", color="black", zorder=3, clip_on=False)
        ax.add_patch(Polygon([[pooled.lower, -0.5], [pooled.value, -0.2], [pooled.upper, -0.5],
                              [pooled.value, -0.8]], closed=True, color="tab:red", clip_on=False))
        ax.set_xlim(-0.04, 1.04)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
        ax.set_ylim(-1.2, result.k + 0.8)
        ax.set_yticks(list(y) + [-0.5])
        ax.set_yticklabels(list(st["study"]) + ["pooled"])
        ax.set_xlabel(measure)
        ax.set_title(pooled.format(2).split(" (")[0] + f" ({pooled.lower:.2f}-{pooled.upper:.2f})", fontsize=9)
    return axes[0], axes[1]


def sroc_plot(result, ax=None, *, level: float = 0.95, regions: bool = True, extrapolate: bool = False):
    """SROC plot: studies as circles sized by n, the SROC curve, summary point, confidence and prediction regions.

    Parameters
    ----------
    result : BivariateMetaResult
    ax : matplotlib Axes, optional
    level : float, default 0.95
        Level of the confidence and prediction regions.
    regions : bool, default True
        Draw the confidence (solid) and prediction (dashed) regions.
    extrapolate : bool, default False
        Draw the SROC over the whole FPR range rather than the range of the observed studies.

    Returns
    -------
    matplotlib Axes
    """
    ax = new_axes(ax)
    st = result.studies
    n = st["n"].to_numpy(dtype=float)
    ax.scatter(1 - st["specificity"], st["sensitivity"], s=20 + 300 * n / n.max(), facecolors="none",
               edgecolors="grey", label="studies (area ~ n)", clip_on=False)   # a study at 0 or 1 drawn whole
    fpr_obs = st["fpr"].to_numpy()
    lo, hi = (0.005, 0.995) if extrapolate else np.clip([fpr_obs.min(), fpr_obs.max()], 0.005, 0.995)
    curve = result.sroc(np.linspace(lo, hi, 200))
    ax.plot(curve["fpr"], curve["sensitivity"], color="tab:blue", label=f"SROC (AUC {result.auc:.3f})")
    if regions:
        conf, pred = result.confidence_region(level), result.prediction_region(level)
        ax.plot(conf["fpr"], conf["sensitivity"], color="tab:red", label=f"{level:.0%} confidence region")
        ax.plot(pred["fpr"], pred["sensitivity"], color="tab:red", linestyle="--",
                label=f"{level:.0%} prediction region")
    ax.plot([result.false_positive_rate.value], [result.sensitivity.value], marker="o", color="tab:red",
            markersize=8, linestyle="none", label="summary point", clip_on=False)
    return roc_space(ax)


def lehmann_sroc_plot(result, ax=None, *, extrapolate: bool = False):
    """SROC plot of the proportional hazards (Lehmann) model: studies as circles sized by n, the curve
    ``sensitivity = fpr ** theta`` and the band from theta's interval (dashed).

    Parameters
    ----------
    result : ProportionalHazardsMetaResult
    ax : matplotlib Axes, optional
    extrapolate : bool, default False
        Draw the curve over the whole FPR range rather than the range of the observed studies.

    Returns
    -------
    matplotlib Axes
    """
    ax = new_axes(ax)
    st = result.studies
    n = (st["tp"] + st["fp"] + st["fn"] + st["tn"]).to_numpy(dtype=float)
    raw_sens = (st["tp"] / (st["tp"] + st["fn"])).to_numpy(dtype=float)
    raw_fpr = (st["fp"] / (st["fp"] + st["tn"])).to_numpy(dtype=float)
    ax.scatter(raw_fpr, raw_sens, s=20 + 300 * n / n.max(), facecolors="none", edgecolors="grey",
               label="studies (area ~ n)", clip_on=False)
    low, high = (0.005, 0.995) if extrapolate else (max(result.fpr_range[0], 0.005), min(result.fpr_range[1], 0.995))
    curve = result.sroc(np.linspace(low, high, 200))
    ax.plot(curve["fpr"], curve["sensitivity"], color="tab:blue",
            label=f"SROC, theta {result.theta.value:.3g} (AUC {result.auc.value:.3f})")
    ax.plot(curve["fpr"], curve["lower"], color="tab:blue", linestyle="--", linewidth=0.8,
            label=f"{result.level:.0%} confidence band")
    ax.plot(curve["fpr"], curve["upper"], color="tab:blue", linestyle="--", linewidth=0.8)
    return roc_space(ax)


def roc_space(ax):
    """Finish ``ax`` as ROC space: both axes 0 to 1 and equal, labelled, the legend at the lower right."""
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("1 - specificity (false-positive rate)")
    ax.set_ylabel("sensitivity")
    ax.set_aspect("equal")
    ax.legend(loc="lower right", fontsize=8)
    return ax
