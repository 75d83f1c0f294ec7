"""The empirical partial AUC of every reader x modality and its leave-one-case-out values in closed form.

The partial area over specificities [lo, hi] integrates the empirical ROC polygon (tied ratings give a
diagonal segment) over false positive fractions x in [1 - hi, 1 - lo], as ``ds.roc(...).partial_auc`` and
pROC do; over sensitivities the roles of the diseased and non-diseased cases swap (the area to the right of
the curve), which is the same computation on the negated ratings with the truth reversed. McClish's (1989)
standardisation is linear in the area, so it applies to every leave-one-out value alike.

Leaving one case out needs no refit (the placements idea of the AUC jackknife, extended to a range of x):

* a diseased case i: the polygon's true positive fractions are means over the diseased cases of each case's own
  "curve" (0 until the false positive fraction of the ratings above it, a ramp over its ties with the
  non-diseased, then 1), so the partial area is the mean over the diseased of the partial area p_i under
  each case's curve, and leaving case i out gives (n1 P - p_i) / (n1 - 1);
* a non-diseased case j rated w: every vertex of the polygon above w keeps its false positive count and every
  vertex at or below w loses one, so the new polygon is the old one over [0, F(>w)] stretched by
  s = n0 / (n0 - 1), then the segment of the ratings tied at w shortened by 1 / n0, then the rest of the old
  polygon shifted left by 1 / n0 and stretched by s. Its cumulative area at any x is therefore a few values of
  the old polygon's cumulative area (one ``searchsorted`` per left-out case).

The cost is O(c log c) per reader x modality (a loop over the rows, never over cases).

Reference: McClish DK (1989) Analyzing a portion of the ROC curve. Med Decis Making 9:190-195. Hillis SL
(2007) Stat Med 26:596-619 (the jackknife covariance of a figure of merit for the OR analysis).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._input import check_flag
from ..errors import OptionError
from ..roc_analysis.curve import _check_range
from ..roc_analysis.partial import mcclish


def _polygon(cases: np.ndarray, controls: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vertices (F ascending, T) of the empirical ROC polygon and its cumulative area at each vertex."""
    values = np.unique(np.concatenate([cases, controls]))[::-1]       # thresholds, highest first
    n1, n0 = len(cases), len(controls)
    t = np.concatenate([[0.0], (n1 - np.searchsorted(np.sort(cases), values, side="left")) / n1])
    f = np.concatenate([[0.0], (n0 - np.searchsorted(np.sort(controls), values, side="left")) / n0])
    area = np.concatenate([[0.0], np.cumsum(np.diff(f) * (t[1:] + t[:-1]) / 2)])
    return f, t, area


def _area_to(f: np.ndarray, t: np.ndarray, area: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Cumulative area of the polygon from 0 to each x in [0, 1]."""
    x = np.clip(x, 0.0, 1.0)
    u = np.minimum(np.searchsorted(f, x, side="right") - 1, len(f) - 2)   # segment u -> u + 1 spans x
    width = f[u + 1] - f[u]
    frac = np.divide(x - f[u], width, out=np.zeros_like(x), where=width > 0)
    t_at = t[u] + np.clip(frac, 0.0, 1.0) * (t[u + 1] - t[u])
    return area[u] + np.minimum(x - f[u], width) * (t[u] + t_at) / 2


def _ramp_area(lo: np.ndarray, hi: np.ndarray, x: np.ndarray | float) -> np.ndarray:
    """Area from 0 to x under a ramp rising from 0 at ``lo`` to 1 at ``hi`` (a step where lo == hi)."""
    width = hi - lo
    inside = np.divide((x - lo) ** 2, 2 * width, out=np.zeros_like(lo), where=width > 0)
    return np.where(x <= lo, 0.0, np.where(x >= hi, width / 2 + x - hi, inside))


def _row(cases: np.ndarray, controls: np.ndarray, x_lo: float, x_hi: float) -> tuple[float, np.ndarray]:
    """The partial area over x in [x_lo, x_hi] and its leave-one-out values (diseased first, then the rest)."""
    n1, n0 = len(cases), len(controls)
    f, t, area = _polygon(cases, controls)
    bounds = np.array([x_lo, x_hi])
    value = float(np.diff(_area_to(f, t, area, bounds))[0])
    ordered = np.sort(controls)
    # diseased: each case's own curve is a ramp over its ties with the non-diseased
    above = (n0 - np.searchsorted(ordered, cases, side="right")) / n0
    at_or_above = (n0 - np.searchsorted(ordered, cases, side="left")) / n0
    own = _ramp_area(above, at_or_above, x_hi) - _ramp_area(above, at_or_above, x_lo)
    loo_cases = (n1 * value - own) / (n1 - 1)
    # non-diseased: the old polygon stretched and shifted around the left-out rating w
    s = n0 / (n0 - 1)
    ordered_cases = np.sort(cases)
    f_q = (n0 - np.searchsorted(ordered, controls, side="right")) / n0        # share rated above w
    f_p = (n0 - np.searchsorted(ordered, controls, side="left")) / n0         # share rated w or above
    t_q = (n1 - np.searchsorted(ordered_cases, controls, side="right")) / n1
    t_p = (n1 - np.searchsorted(ordered_cases, controls, side="left")) / n1
    tied = f_p - f_q - 1 / n0                                                 # the tie segment, shortened
    base = s * _area_to(f, t, area, f_q)
    middle = s * tied * (t_q + t_p) / 2

    def new_area(x: float) -> np.ndarray:
        start, end = s * f_q, s * (f_q + tied)
        along = np.clip(x - start, 0.0, None)
        frac = np.divide(along, s * tied, out=np.ones_like(along), where=tied > 0)
        on_tie = base + along * (t_q + (t_q + np.clip(frac, 0, 1) * (t_p - t_q))) / 2
        right = base + middle + s * (_area_to(f, t, area, x / s + 1 / n0) - _area_to(f, t, area, f_p))
        return np.where(x <= start, s * _area_to(f, t, area, np.full(n0, x / s)), np.where(x >= end, right, on_tie))

    loo_controls = new_area(x_hi) - new_area(x_lo)
    return value, np.concatenate([loo_cases, loo_controls])


def partial_auc_jackknife(ratings: np.ndarray, is_case: np.ndarray, focus: str, lo: float, hi: float,
                          correct: bool) -> tuple[np.ndarray, np.ndarray]:
    """Partial AUCs (k,) of the rows of ``ratings`` (k, c) over the ``focus`` ("specificity" or "sensitivity")
    range [lo, hi], McClish-standardised with ``correct``, and the deviations (k, c) of their leave-one-case-out
    values from their mean (for :func:`~diagstats.readers._covariance.jackknife_covariance`)."""
    if focus == "specificity":
        cases, controls = ratings[:, is_case], ratings[:, ~is_case]
    else:   # the area to the right of the curve: the same polygon with the roles of the two classes swapped
        cases, controls = -ratings[:, ~is_case], -ratings[:, is_case]
    x_lo, x_hi = 1 - hi, 1 - lo
    value = np.empty(ratings.shape[0])
    loo = np.empty((ratings.shape[0], ratings.shape[1]))
    for row in range(ratings.shape[0]):   # a loop over the reader x modality rows, vectorised over the cases
        value[row], loo[row] = _row(cases[row], controls[row], x_lo, x_hi)
    if correct:
        value, loo = mcclish(value, x_lo, x_hi), mcclish(loo, x_lo, x_hi)
    return value, loo - loo.mean(axis=1, keepdims=True)


def partial_bounds(lo: float, hi: float, correct: bool) -> tuple[float, float]:
    """The range of the partial area over [lo, hi] (0 to its width), or of its McClish standardisation."""
    x_lo, x_hi = 1 - hi, 1 - lo
    return (float(mcclish(0.0, x_lo, x_hi)), 1.0) if correct else (0.0, hi - lo)


def check_partial(metric: str, specificity: Any, sensitivity: Any, correct: Any) -> tuple[str, float, float, bool]:
    """The (focus, lo, hi, correct) of ``metric="pauc"``, or an OptionError naming the argument and the fix."""
    given = [name for name, v in (("specificity", specificity), ("sensitivity", sensitivity)) if v is not None]
    if metric != "pauc":
        if given or correct is not False:
            name = given[0] if given else "correct"
            raise OptionError(f"{name}= sets the range of a partial AUC: pass metric='pauc' with it, e.g. "
                              "ds.reader_study(data, metric='pauc', specificity=(0.8, 1.0)), or drop it.")
        return "", 0.0, 1.0, False
    if len(given) != 1:
        raise OptionError("metric='pauc' needs exactly one range: specificity=(0.8, 1.0) (the area under the curve "
                          "over those specificities) or sensitivity=(0.8, 1.0) (the area to the right of the curve "
                          "over those sensitivities).")
    focus, (lo, hi) = _check_range(specificity, sensitivity)
    return focus, lo, hi, check_flag(correct, "correct")


def partial_text(focus: str, lo: float, hi: float, correct: bool) -> str:
    """How the printout names the partial area: 'specificity 0.8 to 1, McClish-standardised'."""
    return f"{focus} {lo:g} to {hi:g}{', McClish-standardised' if correct else ''}"
