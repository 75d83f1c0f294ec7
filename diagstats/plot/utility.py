"""Figures of clinical utility: the Fagan nomogram and decision curves.

Each function takes ``ax=None`` (a new figure is made) and returns the Axes; none calls ``plt.show()``.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from diagstats.plot.utility import fagan_nomogram
>>> ax = fagan_nomogram(0.3, lr_positive=8.0, lr_negative=0.1)
>>> len(ax.lines) >= 5
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.special import expit, logit

from .._input import check_positive_number, check_probability
from ..errors import OptionError
from ._axes import new_axes

__all__ = ["fagan_nomogram", "decision_curves"]


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
    pretest = float(check_probability(pretest, "pretest", open_interval=True, scalar=True))
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
    ax = new_axes(ax)
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


def decision_curves(result: Any, *, ax: Any = None, strategies: Sequence[str] | None = None,
                    intervals: bool = True) -> Any:
    """Net benefit against threshold probability for each strategy of a decision-curve result.

    One line per strategy (``ax.lines``, labelled); bootstrap bands (``ax.collections``) when the
    result has intervals and ``intervals=True``. The value axis is clipped below at a little under
    zero, as is usual, since treat-all falls steeply at high thresholds.
    """
    names = list(result.strategies) if strategies is None else list(strategies)
    ax = new_axes(ax)
    top = 0.0
    for name in names:
        i = result.strategy_index(name)
        style = {"color": "grey", "linestyle": "--"} if name == "treat all" else \
            {"color": "black", "linewidth": 0.8} if name == "treat none" else {}
        line, = ax.plot(result.thresholds, result.net_benefit[i], label=name, **style)
        if intervals and result.n_boot and name != "treat none":
            ax.fill_between(result.thresholds, result.lower[i], result.upper[i], color=line.get_color(), alpha=0.15,
                            linewidth=0)
        top = max(top, float(np.nanmax(result.net_benefit[i])))
    ax.set_ylim(-0.05 * max(top, 0.01) - 0.01, max(top, 0.01) * 1.1)
    ax.set_xlabel("threshold probability")
    ax.set_ylabel("net benefit")
    ax.legend(frameon=False)
    return ax
