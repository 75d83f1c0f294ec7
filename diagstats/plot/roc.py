"""ROC figures: one curve with its cutpoint and confidence band, or several curves overlaid.

The band is a pointwise stratified-bootstrap percentile interval of sensitivity at 101
specificities (pROC's ``ci.se`` shape). Functions take ``ax=`` and return the Axes; they never
call ``plt.show()``.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import diagstats as ds
>>> r = ds.roc([0, 0, 1, 0, 1, 1, 0, 1], [1, 2, 3, 4, 5, 6, 2, 5])
>>> ax = r.plot(ci=True, n_boot=100)
>>> ax.get_xlabel()
'Specificity'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import OptionError
from ._axes import new_axes

BAND_POINTS = 101


def _style(ax):
    ax.plot([1, 0], [0, 1], linestyle=":", color="grey", linewidth=1, label="_chance")
    ax.set_xlim(1.02, -0.02)  # specificity runs from 1 down to 0, as in pROC and most papers
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("Specificity")
    ax.set_ylabel("Sensitivity")
    ax.set_aspect("equal")


def plot_curve(result, ax=None, *, ci: bool = True, cutpoint: str | None = "youden", n_boot: int = 500, seed=0,
               label: str | None = None, **plot_kwargs):
    """Draw one ROC curve (see :meth:`diagstats.ROCResult.plot`). ``plot_kwargs`` go to ``ax.plot``."""
    ax = new_axes(ax, figsize=(5, 5))
    curve = result.curve
    name = label or result.score_name or "ROC"
    line, = ax.plot(curve["specificity"], curve["sensitivity"], label=f"{name} (AUC {result.auc.value:.3f})",
                    **plot_kwargs)
    if ci:
        spec = np.linspace(0, 1, BAND_POINTS)
        lo, hi = result.sensitivity_band(spec, n_boot=n_boot, seed=seed, progress=False)
        ax.fill_between(spec, lo, hi, color=line.get_color(), alpha=0.2, linewidth=0,
                        label=f"{100 * result.level:g}% CI of sensitivity")
    if cutpoint is not None:
        cut = result.threshold(cutpoint)
        ax.plot([cut.specificity], [cut.sensitivity], "o", color=line.get_color())
        ax.annotate(f"{cut.threshold:.4g}", (cut.specificity, cut.sensitivity), textcoords="offset points",
                    xytext=(6, -12))
    _style(ax)
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_roc(results: Sequence, ax=None, *, labels: Sequence[str] | None = None, ci: bool = False,
             n_boot: int = 500, seed=0, **plot_kwargs):
    """Overlay several ROC curves with their AUCs in the legend; returns the Axes.

    Parameters
    ----------
    results : ROCResult or list of ROCResult
    ax : matplotlib Axes, optional
    labels : list of str, optional
        Legend names (default: the score names).
    ci : bool, default False
        Draw each curve's bootstrap band too.
    plot_kwargs
        Passed to every ``ax.plot`` call.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import diagstats as ds
    >>> y = [0, 0, 1, 0, 1, 1, 0, 1]
    >>> ax = ds.plot_roc([ds.roc(y, [1, 2, 3, 4, 5, 6, 2, 5]), ds.roc(y, [2, 1, 4, 3, 6, 5, 1, 2])])
    >>> len(ax.get_legend().get_texts())
    2
    """
    from ..roc_analysis.curve import ROCResult

    if isinstance(results, ROCResult):
        results = [results]
    if isinstance(results, (str, bytes)) or not isinstance(results, Sequence) or not all(
            isinstance(r, ROCResult) for r in results):
        raise OptionError(f"results={results!r:.60} must be a ROC curve or a list of them (from ds.roc).")
    if labels is not None and (isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence)
                               or len(labels) != len(results)):
        raise OptionError(f"labels={labels!r:.60} must be a list of {len(results)} legend name(s), one per curve.")
    ax = new_axes(ax, figsize=(5, 5))
    for i, r in enumerate(results):
        label = labels[i] if labels is not None else (r.score_name or f"curve {i + 1}")
        plot_curve(r, ax=ax, ci=ci, cutpoint=None, n_boot=n_boot, seed=seed, label=label, **plot_kwargs)
    return ax
