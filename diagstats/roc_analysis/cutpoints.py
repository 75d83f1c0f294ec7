"""Optimal cutpoints of a continuous test, with ties between equally good thresholds reported.

Criteria, evaluated at every distinct threshold (rule: score >= threshold is positive):

* ``"youden"``: maximise sensitivity + specificity - 1 (Youden 1950);
* ``"closest_topleft"``: minimise (1 - sensitivity)^2 + (1 - specificity)^2;
* ``"min_sensitivity"``: the highest specificity among thresholds with sensitivity >= ``value``
  (then the highest sensitivity); ``"min_specificity"`` likewise with the roles swapped;
* ``"cost"``: minimise the expected misclassification cost per patient,
  ``cost_ratio * prevalence * (1 - sens) + (1 - prevalence) * (1 - spec)``, where ``cost_ratio`` is the
  cost of a false negative relative to a false positive (the MCT criterion of OptimalCutpoints;
  Greiner 1995).

Youden and closest-top-left take the costs and the prevalence too (pROC's ``best.weights``; Perkins &
Schisterman 2006): with ``r = (1 - prevalence) / (cost_ratio * prevalence)`` they maximise
``sensitivity + r * specificity`` and minimise ``(1 - sensitivity)^2 + r * (1 - specificity)^2``.
``cost_ratio`` defaults to 1 and ``prevalence`` to the sample's; ``r = 1`` is the unweighted criterion.
The weighted Youden index chooses the same threshold as "cost" with the same two numbers.

With ``n_boot``, a stratified bootstrap re-selects the cutpoint in every replicate (vectorised
over replicates), giving percentile intervals for the threshold, its sensitivity and
specificity, and, for Youden's index, the optimism-corrected index: the apparent index minus the
mean over replicates of (index in the replicate - index of the replicate's cutpoint in the
original data) (Harrell, Lee & Mark 1996).

>>> import diagstats as ds
>>> res = ds.roc([0, 0, 0, 1, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6, 7, 8])
>>> cut = res.threshold("youden")
>>> cut.threshold, cut.sensitivity, cut.specificity, cut.ties
(4.0, 1.0, 0.75, 2)
>>> cut.candidates[["threshold", "sensitivity", "specificity"]].to_numpy().tolist()
[[4.0, 1.0, 0.75], [6.0, 0.75, 1.0]]
>>> res.threshold("youden", cost_ratio=1, prevalence=0.2).threshold   # false positives weigh 4 times more
6.0

References
----------
Perkins NJ, Schisterman EF (2006). The inconsistency of "optimal" cutpoints obtained using two criteria
based on the receiver operating characteristic curve. American Journal of Epidemiology 163:670-675.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._input import check_option, check_positive_number, check_probability
from ..errors import OptionError
from ..results import Estimate, ResultTable, estimates_frame

THRESHOLD_METHODS = ("youden", "closest_topleft", "min_sensitivity", "min_specificity", "cost")
#: The criteria that weigh false negatives against false positives with ``cost_ratio`` and ``prevalence``.
WEIGHTED_METHODS = ("youden", "closest_topleft", "cost")


def check_criterion(method: str, value, cost_ratio, prevalence) -> str:
    method = check_option(method, "method", THRESHOLD_METHODS)
    if method in ("min_sensitivity", "min_specificity"):
        if value is None:
            raise OptionError(f"method={method!r} needs value=, the least acceptable "
                              f"{method.split('_')[1]} (e.g. value=0.9).")
        check_probability(value, "value")
    elif value is not None:
        raise OptionError(f"value= is only used by method='min_sensitivity' or 'min_specificity', not {method!r}.")
    if method == "cost" and cost_ratio is None:
        raise OptionError("method='cost' needs cost_ratio=, the cost of a false negative relative to a "
                          "false positive (e.g. cost_ratio=5 if missing a tumour is 5 times worse).")
    if method not in WEIGHTED_METHODS and (cost_ratio is not None or prevalence is not None):
        raise OptionError(f"cost_ratio= and prevalence= are only used by method='youden', 'closest_topleft' or "
                          f"'cost', not {method!r}.")
    if cost_ratio is not None:
        check_positive_number(cost_ratio, "cost_ratio")
    if prevalence is not None:
        check_probability(prevalence, "prevalence", open_interval=True)
    return method


def error_weights(m: int, n: int, cost_ratio, prevalence) -> tuple[float, float] | None:
    """The weights of sensitivity and specificity, ``(cost_ratio * p, 1 - p)`` scaled so that the larger is 1,
    whose ratio is Perkins & Schisterman's ``r = (1 - p) / (cost_ratio * p)`` (``p`` by default the sample's
    prevalence ``m / (m + n)``, ``cost_ratio`` 1; two factors, so that no division overflows), or None when
    neither is given."""
    if cost_ratio is None and prevalence is None:
        return None
    p = m / (m + n) if prevalence is None else prevalence
    w_sens, w_spec = (1.0 if cost_ratio is None else cost_ratio) * p, 1 - p
    largest = max(w_sens, w_spec)
    return w_sens / largest, w_spec / largest


def weighting_note(m: int, n: int, cost_ratio, prevalence) -> tuple[str, ...]:
    """The note saying how a weighted Youden / closest-top-left criterion weighs specificity."""
    weights = error_weights(m, n, cost_ratio, prevalence)
    if weights is None:
        return ()
    with np.errstate(over="ignore", divide="ignore"):
        r = float(np.float64(weights[1]) / weights[0])
    p = m / (m + n) if prevalence is None else prevalence
    source = "the sample's" if prevalence is None else "given"
    return (f"weighted (Perkins & Schisterman 2006): specificity weighs r = (1 - p) / (cost_ratio p) = {r:.4g} "
            f"times sensitivity (cost_ratio {1.0 if cost_ratio is None else cost_ratio:g}, prevalence p "
            f"{p:.4g}, {source})",)


def criterion(method: str, tp: np.ndarray, tn: np.ndarray, m: int, n: int, *, value=None, cost_ratio=None,
              prevalence=None) -> tuple[np.ndarray, bool]:
    """Score of every threshold (higher is better) and whether it is exact (integer arithmetic).

    ``tp`` and ``tn`` may be 2-d (one row per bootstrap replicate). Infeasible thresholds score -inf.
    """
    sens, spec = tp / m, tn / n
    weights = error_weights(m, n, cost_ratio, prevalence) if method in ("youden", "closest_topleft") else None
    if method == "youden":
        if weights is None:
            return (tp * n + tn * m).astype(float), True
        return weights[0] * sens + weights[1] * spec, False   # sens + r spec, times cost_ratio p > 0
    if method == "closest_topleft":
        w_sens, w_spec = (1.0, 1.0) if weights is None else weights
        return -(w_sens * (1 - sens) ** 2 + w_spec * (1 - spec) ** 2), False
    if method == "min_sensitivity":
        return np.where(sens >= value, tn * (m + 1.0) + tp, -np.inf), True
    if method == "min_specificity":
        return np.where(spec >= value, tp * (n + 1.0) + tn, -np.inf), True
    p = m / (m + n) if prevalence is None else prevalence
    return -(cost_ratio * p * (1 - sens) + (1 - p) * (1 - spec)), False


def best_rows(score: np.ndarray, exact: bool) -> np.ndarray:
    """Indices of all thresholds that are optimal (ties kept)."""
    best = np.max(score)
    if exact:
        return np.flatnonzero(score == best)
    return np.flatnonzero(score >= best - 1e-12 * max(1.0, abs(best)))


@dataclass(frozen=True, repr=False)
class CutpointResult(ResultTable):
    """An optimal cutpoint: threshold, sensitivity and specificity, ties and optional intervals.

    Attributes
    ----------
    method : str
        The criterion.
    threshold, sensitivity, specificity : float
        The optimal threshold (the lowest one if several tie) and its operating point.
    candidates : DataFrame
        Every optimal threshold (ties): threshold, midpoint (pROC's convention: halfway to the
        next lower distinct score), sensitivity, specificity, tp, fp, fn, tn.
    intervals : tuple of Estimate
        With ``n_boot``: bootstrap percentile intervals of threshold, sensitivity, specificity,
        and for Youden the optimism-corrected index.
    direction : str
        "higher" (score >= threshold positive) or "lower" (score <= threshold positive).
    """

    method: str
    threshold: float
    sensitivity: float
    specificity: float
    candidates: pd.DataFrame
    intervals: tuple[Estimate, ...] = ()
    direction: str = "higher"
    notes: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Optimal cutpoint ({self.method})"

    @property
    def ties(self) -> int:
        """Number of equally good thresholds."""
        return len(self.candidates)

    def header_lines(self) -> list[str]:
        rule = ">=" if self.direction == "higher" else "<="
        return [f"positive if score {rule} threshold; {self.ties} optimal threshold(s)"]

    def to_frame(self) -> pd.DataFrame:
        if self.intervals:
            return estimates_frame(list(self.intervals))
        return estimates_frame([Estimate(v, np.nan, np.nan, name=k) for k, v in
                                (("threshold", self.threshold), ("sensitivity", self.sensitivity),
                                 ("specificity", self.specificity))])

    def __repr__(self) -> str:
        return (f"CutpointResult(method={self.method!r}, threshold={self.threshold!r}, "
                f"sensitivity={self.sensitivity:.4f}, specificity={self.specificity:.4f}, ties={self.ties})")
