"""Partial area under the ROC curve over a specificity or a sensitivity range, and McClish's correction.

The empirical ROC curve is the polygon through its operating points (tied scores give a
diagonal segment), the same curve whose full area is the Mann-Whitney AUC. The partial area
over specificities [a, b] integrates sensitivity over 1 - specificity in [1 - b, 1 - a], with
linear interpolation at the ends. Over sensitivities [a, b] the roles swap: specificity is
integrated over 1 - sensitivity in [1 - b, 1 - a] (the area to the right of the curve), as pROC's
``partial.auc.focus="sensitivity"`` does.

McClish (1989) standardises a partial area A over a range to 0.5 for a useless test and 1 for
a perfect one: (1 + (A - min) / (max - min)) / 2, where min is the area under the chance
diagonal over the range and max the area of the whole range.

Reference: McClish DK (1989). Analyzing a portion of the ROC curve. Medical Decision Making
9:190-195.

>>> import numpy as np
>>> from diagstats.roc_analysis.partial import partial_area
>>> fpr, tpr = np.array([0.0, 0.0, 1.0]), np.array([0.0, 1.0, 1.0])
>>> float(partial_area(fpr, tpr, 0.0, 0.2))
0.2
"""

from __future__ import annotations

import numpy as np


def partial_area(x: np.ndarray, y: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Area under the polygon (x ascending, may repeat) between x = lo and x = hi.

    ``x`` and ``y`` may be 2-d with one curve per row (bootstrap replicates); the area of each row
    is returned.
    """
    return _cumulative_area(x, y, hi) - _cumulative_area(x, y, lo)


def _cumulative_area(x: np.ndarray, y: np.ndarray, at: float) -> np.ndarray:
    """Area under the polygon from x[0] to ``at``, row-wise."""
    x2, y2 = np.atleast_2d(x), np.atleast_2d(y)
    seg = (np.diff(x2, axis=1) * (y2[:, 1:] + y2[:, :-1]) / 2)
    cum = np.concatenate([np.zeros((x2.shape[0], 1)), np.cumsum(seg, axis=1)], axis=1)
    # last point with x <= at; the next point is strictly to the right, so the segment is not vertical
    k = np.minimum((x2 <= at).sum(axis=1) - 1, x2.shape[1] - 2)
    k = np.maximum(k, 0)
    rows = np.arange(x2.shape[0])
    x0, x1, y0, y1 = x2[rows, k], x2[rows, k + 1], y2[rows, k], y2[rows, k + 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(x1 > x0, (at - x0) / (x1 - x0), 0.0)
    frac = np.clip(frac, 0.0, 1.0)
    y_at = y0 + frac * (y1 - y0)
    area = cum[rows, k] + (frac * (x1 - x0)) * (y0 + y_at) / 2
    return area if np.ndim(x) == 2 else area[0]


def mcclish(area, lo: float, hi: float):
    """McClish's standardised partial area over x in [lo, hi] (1 - specificity or 1 - sensitivity)."""
    chance = (hi ** 2 - lo ** 2) / 2
    perfect = hi - lo
    return (1 + (area - chance) / (perfect - chance)) / 2


def chance_area(lo: float, hi: float) -> float:
    """Area under the diagonal over x in [lo, hi]."""
    return (hi ** 2 - lo ** 2) / 2
