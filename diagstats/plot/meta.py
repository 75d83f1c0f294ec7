"""Figures for diagnostic meta-analysis: forest plots, the SROC plot and the Fagan nomogram.

Every function takes ``ax=None`` (a new figure is made) and returns what it drew on; nothing
calls ``plt.show()``.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import diagstats as ds
>>> from diagstats.plot.meta import fagan_nomogram
>>> ax = fagan_nomogram(0.3, lr_positive=8.0, lr_negative=0.1)
>>> len(ax.lines) >= 5
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit, logit

from .._input import check_probability, check_positive_number
from ..errors import OptionError


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots()
    return ax


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

    ax = _axes(ax)
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
    ax.set_yticklabels(list(st["study"]) + [f"pooled ({result.method})"])
    ax.set_xlabel(result.measure.replace("_", " "))
    if result.measure in ("dor", "lr_positive", "lr_negative"):
        ax.set_xscale("log")
    ax.set_ylim(-1.2, k + 0.8)
    ax.set_title(title if title is not None else f"{result.measure.replace('_', ' ')}: {p.format(2)}")
    return ax


def paired_forest_plot(result, axes=None):
    """Paired forest plot of a bivariate fit: sensitivity and specificity of each study side by side.

    Study intervals are Wilson intervals of the raw counts; the pooled estimates (diamonds) are
    those of the bivariate model.

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
        ax.scatter(st[measure], y, s=sizes, marker="s", color="black", zorder=3)
        ax.add_patch(Polygon([[pooled.lower, -0.5], [pooled.value, -0.2], [pooled.upper, -0.5],
                              [pooled.value, -0.8]], closed=True, color="tab:red"))
        ax.set_xlim(0, 1.02)
        ax.set_ylim(-1.2, result.k + 0.8)
        ax.set_xlabel(measure)
        ax.set_title(pooled.format(2).split(" (")[0] + f" ({pooled.lower:.2f}-{pooled.upper:.2f})", fontsize=9)
    axes[0].set_yticks(list(y) + [-0.5])
    axes[0].set_yticklabels(list(st["study"]) + ["pooled"])
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
    ax = _axes(ax)
    st = result.studies
    n = st["n"].to_numpy(dtype=float)
    ax.scatter(1 - st["specificity"], st["sensitivity"], s=20 + 300 * n / n.max(), facecolors="none",
               edgecolors="grey", label="studies (area ~ n)")
    fpr_obs = st["fpr"].to_numpy()
    lo, hi = (0.005, 0.995) if extrapolate else (max(fpr_obs.min(), 0.005), min(fpr_obs.max(), 0.995))
    curve = result.sroc(np.linspace(lo, hi, 200))
    ax.plot(curve["fpr"], curve["sensitivity"], color="tab:blue", label=f"SROC (AUC {result.auc:.3f})")
    if regions:
        conf, pred = result.confidence_region(level), result.prediction_region(level)
        ax.plot(conf["fpr"], conf["sensitivity"], color="tab:red", label=f"{level:.0%} confidence region")
        ax.plot(pred["fpr"], pred["sensitivity"], color="tab:red", linestyle="--",
                label=f"{level:.0%} prediction region")
    ax.plot([result.false_positive_rate.value], [result.sensitivity.value], marker="o", color="tab:red",
            markersize=8, linestyle="none", label="summary point")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("1 - specificity (false-positive rate)")
    ax.set_ylabel("sensitivity")
    ax.set_aspect("equal")
    ax.legend(loc="lower right", fontsize=8)
    return ax


_PROB_TICKS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9,
               0.95, 0.98, 0.99, 0.995, 0.998, 0.999]
_LR_TICKS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]


def fagan_nomogram(pretest: Any, lr_positive: Any = None, lr_negative: Any = None, ax=None):
    """Fagan's nomogram: pre-test probability, likelihood ratio and post-test probability on straight lines.

    Parameters
    ----------
    pretest : float
        Pre-test probability (prevalence), strictly between 0 and 1.
    lr_positive, lr_negative : float or Estimate or BivariateMetaResult, optional
        Likelihood ratios to draw (a positive test in red, a negative one in blue). Passing a
        BivariateMetaResult as ``lr_positive`` uses its pooled LR+ and LR-.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    Fagan TJ (1975). N Engl J Med 293:257. The axes are placed so that
    logit(post) = logit(pre) + log(LR) is a straight line: pre-test at ``-logit(p)``, the LR at
    ``log(LR) / 2`` and post-test at ``logit(p)``.
    """
    pretest = float(check_probability(pretest, "pretest", open_interval=True))
    if hasattr(lr_positive, "lr_positive") and hasattr(lr_positive, "lr_negative"):
        lr_positive, lr_negative = lr_positive.lr_positive, lr_positive.lr_negative
    lrs = []
    for value, name, color in ((lr_positive, "lr_positive", "tab:red"), (lr_negative, "lr_negative", "tab:blue")):
        if value is None:
            continue
        value = getattr(value, "value", value)
        lrs.append((check_positive_number(float(value), name), name, color))
    if not lrs:
        raise OptionError("Give lr_positive and/or lr_negative (numbers, Estimates or a bivariate result).")
    ax = _axes(ax)
    p = np.array(_PROB_TICKS)
    lr = np.array(_LR_TICKS)
    span = float(logit(0.999))
    for x in (-1, 0, 1):
        ax.plot([x, x], [-span, span], color="black", linewidth=1)
    for t in p:
        ax.plot([-1.03, -1], [-logit(t)] * 2, color="black", linewidth=0.8)
        ax.text(-1.06, -logit(t), f"{100 * t:g}", ha="right", va="center", fontsize=7)
        ax.plot([1, 1.03], [logit(t)] * 2, color="black", linewidth=0.8)
        ax.text(1.06, logit(t), f"{100 * t:g}", ha="left", va="center", fontsize=7)
    for t in lr:
        ax.plot([-0.02, 0.02], [np.log(t) / 2] * 2, color="black", linewidth=0.8)
        ax.text(0.04, np.log(t) / 2, f"{t:g}", ha="left", va="center", fontsize=7)
    pre_y = -logit(pretest)
    for value, name, color in lrs:
        post = float(expit(logit(pretest) + np.log(value)))
        ax.plot([-1, 1], [pre_y, logit(post)], color=color, linewidth=1.5,
                label=f"{name.replace('_', ' ')} {value:.3g}: post-test {post:.1%}")
    ax.text(-1, span + 0.6, "pre-test\nprobability (%)", ha="center", va="bottom", fontsize=8)
    ax.text(0, span + 0.6, "likelihood\nratio", ha="center", va="bottom", fontsize=8)
    ax.text(1, span + 0.6, "post-test\nprobability (%)", ha="center", va="bottom", fontsize=8)
    ax.set_xlim(-1.5, 1.5)
    ax.set_ylim(-span - 0.5, span + 2.2)
    ax.axis("off")
    ax.legend(loc="lower center", fontsize=8, bbox_to_anchor=(0.5, -0.12))
    return ax
