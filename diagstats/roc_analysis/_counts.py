"""Diseased and non-diseased patients counted at each distinct score: the ROC curve's raw material.

Every ROC quantity (the curve, the AUC, DeLong's placements, bootstrap replicates) is a function
of these per-value counts, so they are computed once with one sort, O(n log n).

>>> import numpy as np
>>> from diagstats.roc_analysis._counts import count_by_value
>>> c = count_by_value(np.array([0.1, 0.4, 0.4, 0.8]), np.array([False, False, True, True]))
>>> c.values, c.cases, c.controls
(array([0.1, 0.4, 0.8]), array([0, 1, 1]), array([1, 1, 0]))
>>> c.auc()
0.875
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._core.auc import placements
from ..results import FrozenFields


@dataclass(frozen=True, eq=False)
class RocCounts(FrozenFields):
    """Counts of cases (diseased) and controls at each distinct score, scores ascending.

    Scores are oriented so that a higher score means more likely diseased. With case weights the
    "counts" are the summed weights (floats) and ``m`` / ``n`` are not patient numbers.
    """

    values: np.ndarray
    cases: np.ndarray
    controls: np.ndarray

    @property
    def m(self) -> int:
        """Number of cases (diseased)."""
        return int(self.cases.sum())

    @property
    def n(self) -> int:
        """Number of controls (not diseased)."""
        return int(self.controls.sum())

    def case_placements(self) -> np.ndarray:
        """For a case at each distinct value: share of controls below it, ties counted half."""
        return placements(self.cases, self.controls)[0]

    def control_placements(self) -> np.ndarray:
        """For a control at each distinct value: share of cases above it, ties counted half."""
        return placements(self.cases, self.controls)[1]

    def auc(self) -> float:
        """Mann-Whitney AUC: P(case > control) + P(case = control) / 2."""
        return float(np.dot(self.cases, self.case_placements()) / self.cases.sum())

    def ids(self, scores: np.ndarray) -> np.ndarray:
        """Index of each (oriented) score among the distinct values."""
        return np.searchsorted(self.values, scores)


def count_by_value(scores: np.ndarray, is_case: np.ndarray, weights: np.ndarray | None = None) -> RocCounts:
    """Sort once and count cases and controls at every distinct score (scores oriented upward).

    With ``weights`` (one non-negative case weight per patient), the counts are the summed weights.
    """
    order = np.argsort(scores)
    ordered = scores[order]
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    if weights is not None:
        w = weights[order]
        case_w = np.where(is_case[order], w, 0.0)
        return RocCounts(values=ordered[starts], cases=np.add.reduceat(case_w, starts),
                         controls=np.add.reduceat(w - case_w, starts))
    cum_cases = np.cumsum(is_case[order], dtype=np.int64)
    del order
    ends = np.append(starts[1:], len(ordered)) - 1
    cases_to_end = cum_cases[ends]
    cases = np.diff(cases_to_end, prepend=0)
    controls = (ends - starts + 1) - cases
    return RocCounts(values=ordered[starts], cases=cases, controls=controls)


def curve_points(cases: np.ndarray, controls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(1 - specificity, sensitivity) from the strictest threshold (nobody positive) to the loosest.

    ``cases`` and ``controls`` are counts at the distinct scores, ascending; 2-d input gives one
    curve per row (bootstrap replicates). The k + 1 points start at (0, 0) and end at (1, 1).
    """
    c2, k2 = np.atleast_2d(cases), np.atleast_2d(controls)
    zero = np.zeros((c2.shape[0], 1))
    tp = np.concatenate([zero, np.cumsum(c2[:, ::-1], axis=1)], axis=1)
    fp = np.concatenate([zero, np.cumsum(k2[:, ::-1], axis=1)], axis=1)
    fpr, tpr = fp / fp[:, -1:], tp / tp[:, -1:]
    return (fpr, tpr) if np.ndim(cases) == 2 else (fpr[0], tpr[0])


def height_at(x: np.ndarray, y: np.ndarray, at: float) -> np.ndarray:
    """Height of the polygon through (x, y) (x ascending, may repeat) at ``x = at``, row-wise.

    Where the polygon is vertical at ``at`` (tied operating points), the highest point is taken:
    the best sensitivity attainable at that specificity.
    """
    x2, y2 = np.atleast_2d(x), np.atleast_2d(y)
    rows = np.arange(x2.shape[0])
    k = np.clip((x2 <= at).sum(axis=1) - 1, 0, x2.shape[1] - 1)
    nxt = np.minimum(k + 1, x2.shape[1] - 1)
    x0, x1, y0, y1 = x2[rows, k], x2[rows, nxt], y2[rows, k], y2[rows, nxt]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(x1 > x0, (at - x0) / (x1 - x0), 0.0)
    out = y0 + np.clip(frac, 0.0, 1.0) * (y1 - y0)
    return out if np.ndim(x) == 2 else out[0]
