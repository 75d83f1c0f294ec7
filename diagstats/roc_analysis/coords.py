"""Operating points read off the ROC curve: sensitivity at a given specificity and vice versa, the
curve's corners ("local maxima"), and the points within a partial-AUC range.

The empirical curve is the polygon through the operating points (as for the AUC). Between two
points the value is interpolated linearly; where several points share the requested
specificity (tied scores), the highest sensitivity is reported, i.e. the best that a threshold
at that specificity achieves. Intervals come from the stratified bootstrap (percentile), as
pROC's ``ci.se`` / ``ci.sp`` do.

>>> import numpy as np
>>> from diagstats.roc_analysis._counts import count_by_value
>>> from diagstats.roc_analysis.coords import sensitivity_at_specificity
>>> c = count_by_value(np.array([1., 2, 3, 4, 5, 6]), np.array([0, 0, 1, 0, 1, 1], dtype=bool))
>>> float(sensitivity_at_specificity(c.cases, c.controls, 5 / 6))
0.6666666666666666
"""

from __future__ import annotations

import numpy as np

from ._counts import curve_points, height_at


def sensitivity_at_specificity(cases: np.ndarray, controls: np.ndarray, specificity: float) -> np.ndarray:
    """Sensitivity of the curve(s) at ``specificity`` (row-wise for 2-d count matrices)."""
    fpr, tpr = curve_points(cases, controls)
    return height_at(fpr, tpr, 1 - specificity)


def specificity_at_sensitivity(cases: np.ndarray, controls: np.ndarray, sensitivity: float) -> np.ndarray:
    """Specificity of the curve(s) at ``sensitivity``: the same polygon read with the axes swapped."""
    fpr, tpr = curve_points(cases, controls)
    # walk the curve from (1 - sens, spec) = (0, 0) upwards: the reversed, reflected polygon
    return height_at(1 - tpr[..., ::-1], 1 - fpr[..., ::-1], 1 - sensitivity)


def local_maxima(tp: np.ndarray, fp: np.ndarray) -> np.ndarray:
    """Rows of the curve's upper-left corners (pROC ``coords(x = "local maximas")``), loosest threshold first.

    ``tp`` and ``fp`` are the counts at every threshold, loosest (everybody positive) first. A point
    is a corner when the looser neighbour has a lower specificity (more false positives) and the
    stricter neighbour a lower sensitivity: no single step along the curve gains one measure
    without losing the other. Points inside a vertical or horizontal run are not corners.
    """
    more_fp_before = np.concatenate([[True], fp[:-1] > fp[1:]])
    more_tp_here = np.concatenate([tp[:-1] > tp[1:], [True]])
    return np.flatnonzero(more_fp_before & more_tp_here)


def within_range(sens: np.ndarray, spec: np.ndarray, restriction) -> np.ndarray:
    """Mask of the operating points inside a partial-AUC range ``(focus, low, high)`` (bounds included)."""
    if restriction is None:
        return np.ones(np.shape(sens), dtype=bool)
    focus, low, high = restriction
    values = spec if focus == "specificity" else sens
    return (values >= low) & (values <= high)
