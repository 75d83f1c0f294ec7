"""Accuracy of an index test measured against a reference standard that is itself imperfect.

Biopsy is "almost 90%" accurate: a 2x2 table of MRI against biopsy then mixes the errors of both.
If the accuracy of the reference is known, and the two tests err independently given the true
disease status, the index test's own sensitivity and specificity follow in closed form.

>>> import diagstats as ds
>>> observed = ds.accuracy(tp=85, fp=33, fn=16, tn=266)
>>> res = ds.correct_reference(observed, reference_sensitivity=0.9, reference_specificity=0.97)
>>> round(res.sensitivity.value, 3), round(observed.sensitivity.value, 3)
(0.915, 0.842)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import logit

from .._core.quantiles import z_two_sided
from .._input import check_level, check_probability
from ..binary.two_by_two import AccuracyResult
from ..errors import DataError, OptionError
from ..results import Estimate, ResultTable, estimates_frame, format_level, tidy

MEASURES = ("sensitivity", "specificity", "prevalence")


@dataclass(frozen=True, repr=False)
class ReferenceCorrectionResult(ResultTable):
    """Index-test accuracy corrected for a reference standard of known, imperfect accuracy.

    Attributes
    ----------
    sensitivity, specificity, prevalence : Estimate
        Corrected estimates (prevalence of the true disease), with delta-method intervals.
    observed : AccuracyResult
        The uncorrected table against the imperfect reference.
    reference_sensitivity, reference_specificity : float
        The stated accuracy of the reference standard (treated as known, without uncertainty).
    level : float
    notes : tuple of str
    """

    sensitivity: Estimate
    specificity: Estimate
    prevalence: Estimate
    observed: AccuracyResult
    reference_sensitivity: float
    reference_specificity: float
    level: float = 0.95
    notes: tuple[str, ...] = field(default=())

    key_columns = ("analysis",)

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Accuracy of {self.observed.test or 'test'} corrected for an imperfect reference standard"

    def header_lines(self) -> list[str]:
        return [f"reference sensitivity {self.reference_sensitivity:g}, specificity {self.reference_specificity:g}; "
                f"n = {self.observed.n}; {format_level(self.level)} confidence intervals"]

    def to_frame(self) -> pd.DataFrame:
        """Rows per measure and analysis ("corrected", "against imperfect reference")."""
        corrected = estimates_frame([getattr(self, m) for m in MEASURES])
        observed = estimates_frame([getattr(self.observed, m) for m in MEASURES])
        corrected.insert(0, "analysis", "corrected")
        observed.insert(0, "analysis", "against imperfect reference")
        return tidy(pd.concat([corrected, observed], ignore_index=True), self.key_columns)

    def __repr__(self) -> str:
        return (f"ReferenceCorrectionResult(sensitivity={self.sensitivity.value:.4f}, "
                f"specificity={self.specificity.value:.4f}, reference_sensitivity={self.reference_sensitivity}, "
                f"reference_specificity={self.reference_specificity})")


def correct_reference(accuracy_result: AccuracyResult, *, reference_sensitivity: float = 0.9,
                      reference_specificity: float, level: float | None = None) -> ReferenceCorrectionResult:
    """Sensitivity and specificity of the index test against a reference of known accuracy.

    Under conditional independence of the index test and the reference given the true disease
    status, with reference sensitivity ``Se_R`` and specificity ``Sp_R`` (Gart & Buck 1966;
    Staquet et al. 1981), and observed cells a = TP, b = FP, c = FN, d = TN:

    - sensitivity = (a Sp_R - b (1 - Sp_R)) / ((a + c) Sp_R - (b + d)(1 - Sp_R))
    - specificity = (d Se_R - c (1 - Se_R)) / ((b + d) Se_R - (a + c)(1 - Se_R))
    - prevalence = ((a + c) / n + Sp_R - 1) / (Se_R + Sp_R - 1)

    Parameters
    ----------
    accuracy_result : AccuracyResult
        The index test against the imperfect reference, from :func:`diagstats.accuracy`.
    reference_sensitivity, reference_specificity : float
        Accuracy of the reference standard, treated as known; their sum must exceed 1.
    level : float, optional
        Confidence level; by default that of ``accuracy_result``.

    Returns
    -------
    ReferenceCorrectionResult

    Raises
    ------
    DataError
        When the table cannot arise from a reference of the stated accuracy under conditional
        independence (a corrected value outside [0, 1]).

    Notes
    -----
    Intervals: delta method on the logit scale, from the multinomial covariance of the four
    cells; the reference accuracy is taken as exact, so the intervals are too narrow if it is
    itself estimated. If the test and the reference tend to err on the same patients (conditional
    dependence), the correction is biased, usually making the index test look worse than it is.

    References
    ----------
    Gart JJ, Buck AA (1966). Comparison of a screening test and a reference test in epidemiologic
    studies. II. Am J Epidemiol 83:593-602.
    Staquet M, Rozencweig M, Lee YJ, Muggia FM (1981). Methodology for the assessment of new
    dichotomous diagnostic tests. J Chronic Dis 34:599-610.

    Examples
    --------
    >>> import diagstats as ds
    >>> res = ds.correct_reference(ds.accuracy(tp=85, fp=33, fn=16, tn=266), reference_sensitivity=0.9,
    ...                            reference_specificity=0.97)
    >>> print(res.specificity)
    specificity 0.918 (95% CI 0.872 to 0.949, delta method (logit))
    """
    if not isinstance(accuracy_result, AccuracyResult):
        raise DataError("accuracy_result must be the result of ds.accuracy(...) for the index test against the "
                        f"imperfect reference; got {type(accuracy_result).__name__}.")
    se_r = float(check_probability(reference_sensitivity, "reference_sensitivity", scalar=True))
    sp_r = float(check_probability(reference_specificity, "reference_specificity", scalar=True))
    if se_r + sp_r <= 1:
        raise OptionError(f"reference_sensitivity + reference_specificity = {se_r + sp_r:g} must exceed 1: a "
                          "reference no better than a coin toss carries no information about the disease.")
    level = accuracy_result.level if level is None else check_level(level)
    counts = np.array([accuracy_result.tp, accuracy_result.fp, accuracy_result.fn, accuracy_result.tn], float)
    n = counts.sum()
    values, gradients = _estimates_and_gradients(counts, se_r, sp_r)
    _check_compatible(values, counts, se_r, sp_r)
    cov = n * (np.diag(counts / n) - np.outer(counts / n, counts / n))
    z = z_two_sided(level)
    notes = ["assumes the index test and the reference err independently given the true disease status",
             "the reference accuracy is taken as known exactly"]
    out = {}
    for name in MEASURES:
        value, grad = values[name], gradients[name]
        se = np.sqrt(grad @ cov @ grad)
        if 0 < value < 1:
            centre, half = logit(value), z * se / (value * (1 - value))
            lower, upper = 1 / (1 + np.exp(-(centre - half))), 1 / (1 + np.exp(-(centre + half)))
            est_notes = ()
        else:
            lower = upper = np.nan
            est_notes = ("on the boundary: no delta-method interval",)
            notes.append(f"{name}: {est_notes[0]}")
        out[name] = Estimate(float(value), float(lower), float(upper), level, "delta method (logit)", name,
                             est_notes)
    return ReferenceCorrectionResult(**out, observed=accuracy_result, reference_sensitivity=se_r,
                                     reference_specificity=sp_r, level=level, notes=tuple(notes))


def _estimates_and_gradients(counts: np.ndarray, se_r: float, sp_r: float) -> tuple[dict, dict]:
    """Closed forms and their gradients with respect to the cell counts (a, b, c, d)."""
    a, b, c, d = counts
    n = counts.sum()
    fpr_r, fnr_r = 1 - sp_r, 1 - se_r
    num_se, den_se = a * sp_r - b * fpr_r, (a + c) * sp_r - (b + d) * fpr_r
    num_sp, den_sp = d * se_r - c * fnr_r, (b + d) * se_r - (a + c) * fnr_r
    youden_r = se_r + sp_r - 1
    r = (a + c) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        values = {"sensitivity": num_se / den_se, "specificity": num_sp / den_sp,
                  "prevalence": (r + sp_r - 1) / youden_r}
        gradients = {
            "sensitivity": np.array([sp_r * (den_se - num_se), -fpr_r * (den_se - num_se), -num_se * sp_r,
                                     num_se * fpr_r]) / den_se**2,
            "specificity": np.array([num_sp * fnr_r, -num_sp * se_r, -fnr_r * (den_sp - num_sp),
                                     se_r * (den_sp - num_sp)]) / den_sp**2,
            "prevalence": np.array([1 - r, -r, 1 - r, -r]) / (n * youden_r),
        }
    return values, gradients


def _check_compatible(values: dict, counts: np.ndarray, se_r: float, sp_r: float) -> None:
    bad = {k: v for k, v in values.items() if not (np.isfinite(v) and 0 <= v <= 1)}
    if bad:
        shown = ", ".join(f"{k} {v:.3g}" for k, v in bad.items())
        a, b, c, d = counts.astype(int)
        raise DataError(
            f"The table (TP {a}, FP {b}, FN {c}, TN {d}) is incompatible with reference_sensitivity={se_r:g} and "
            f"reference_specificity={sp_r:g}: the correction gives {shown}, outside [0, 1]. Under conditional "
            "independence a reference of that accuracy cannot produce these counts. Check the stated reference "
            "accuracy (the reference may be better than stated) or whether test and reference err on the same "
            "patients (conditional dependence; consider ds.latent_class with more tests).")
