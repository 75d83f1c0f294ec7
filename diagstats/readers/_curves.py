"""Empirical ROC curves of every reader x modality, and their average over readers, for the reader-study figure.

Each reader x modality curve joins the empirical (1 - specificity, sensitivity) points at every distinct rating,
from (0, 0) to (1, 1), with straight lines (ties give a diagonal step), so the area under it is the empirical
AUC. A modality's average curve is the mean over its readers of the sensitivities at a common grid of
1 - specificity (vertical averaging); its area is the modality's mean AUC.
"""

from __future__ import annotations

import numpy as np

#: Points of 1 - specificity at which the readers' curves are averaged.
GRID = np.linspace(0.0, 1.0, 1001)


def roc_points(ratings: np.ndarray, is_case: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """(false positive rate, true positive rate) points of the empirical ROC curve of every row of ``ratings``
    (k, c); a loop over the k rows, each vectorised over the cases."""
    n1, n0 = int(is_case.sum()), int((~is_case).sum())
    out = []
    for row in ratings:
        values, ids = np.unique(row, return_inverse=True)
        cases = np.bincount(ids[is_case], minlength=len(values))[::-1]   # from the highest rating down
        controls = np.bincount(ids[~is_case], minlength=len(values))[::-1]
        out.append((np.r_[0.0, np.cumsum(controls) / n0], np.r_[0.0, np.cumsum(cases) / n1]))
    return tuple(out)


def average_curve(points: tuple[tuple[np.ndarray, np.ndarray], ...]) -> tuple[np.ndarray, np.ndarray]:
    """The vertical average of several curves: (GRID, mean sensitivity at each point of GRID)."""
    return GRID, np.mean([np.interp(GRID, fpr, tpr) for fpr, tpr in points], axis=0)
