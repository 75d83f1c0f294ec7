"""Binormal smoothed ROC curve for ordinal ratings, fitted by maximum likelihood.

The binormal model (Dorfman & Alf 1969) supposes that a rating comes from cutting a latent
normal variable into ordered categories at thresholds c_1 < ... < c_{K-1}: N(0, 1) for the
non-diseased and N(a / b, 1 / b^2) for the diseased. Then P(rating <= k) is Phi(c_k) for a
non-diseased and Phi(b c_k - a) for a diseased patient, the ROC curve is
TPR = Phi(a + b Phi^-1(FPR)) and its area is Phi(a / sqrt(1 + b^2)). All parameters are fitted
jointly by maximum likelihood (scipy BFGS); the AUC's interval uses the delta method on the
inverse observed information (numerical Hessian, statsmodels).

A continuous score has too many distinct values for this model; ``bins=`` groups it into that
many quantile categories first (as LABROC-type analyses do).

References
----------
Dorfman DD, Alf E (1969). Maximum-likelihood estimation of parameters of signal-detection
theory and determination of confidence intervals - rating-method data. Journal of Mathematical
Psychology 6:487-496.

>>> import numpy as np, diagstats as ds
>>> rng = np.random.default_rng(2)
>>> y = rng.random(2000) < 0.5
>>> rating = np.digitize(rng.normal(1.0 * y, 1.0), [-0.5, 0.2, 0.8, 1.5]) + 1
>>> fit = ds.roc(y, rating).smooth()
>>> round(fit.auc.value, 2)
0.76
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .._core.quantiles import z_two_sided
from .._input import check_whole_number
from ..errors import ConvergenceError, DataError, OptionError
from ..results import Estimate, ResultTable, estimates_frame

MAX_CATEGORIES = 20


@dataclass(frozen=True, repr=False)
class BinormalResult(ResultTable):
    """A binormal ROC curve: intercept ``a``, slope ``b``, AUC with a delta-method interval.

    ``curve(fpr)`` gives the smoothed sensitivity at 1 - specificity ``fpr``; ``points(201)`` a
    DataFrame (specificity, sensitivity) for plotting.
    """

    a: Estimate
    b: Estimate
    auc: Estimate
    thresholds: np.ndarray
    log_likelihood: float
    n_categories: int
    notes: tuple[str, ...] = field(default=())

    title = "Binormal ROC curve (maximum likelihood)"

    def curve(self, fpr):
        fpr = np.asarray(fpr, dtype=float)
        with np.errstate(divide="ignore"):
            return stats.norm.cdf(self.a.value + self.b.value * stats.norm.ppf(fpr))

    def points(self, n: int = 201) -> pd.DataFrame:
        fpr = np.linspace(0, 1, n)
        return pd.DataFrame({"specificity": 1 - fpr, "sensitivity": self.curve(fpr)})

    def header_lines(self) -> list[str]:
        return [f"{self.n_categories} categories; log-likelihood {self.log_likelihood:.3f}"]

    def to_frame(self) -> pd.DataFrame:
        return estimates_frame([self.a, self.b, self.auc])

    def __repr__(self) -> str:
        return f"BinormalResult(a={self.a.value:.4f}, b={self.b.value:.4f}, auc={self.auc.value:.4f})"


def _categories(roc, bins: int | None) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    counts = roc.counts
    if bins is None:
        if len(counts.values) > MAX_CATEGORIES:
            raise OptionError(f"The score has {len(counts.values)} distinct values; the binormal fit is for ratings "
                              f"with at most {MAX_CATEGORIES} categories. Pass bins=10 to group it into quantile "
                              "categories first.")
        return counts.cases.astype(float), counts.controls.astype(float), ()
    bins = check_whole_number(bins, "bins", minimum=2, maximum=MAX_CATEGORIES, what="categories", example=10)
    totals = counts.cases + counts.controls
    cum = np.cumsum(totals) / totals.sum()
    group = np.minimum((cum * bins - 1e-12).astype(int), bins - 1)
    _, group = np.unique(group, return_inverse=True)
    note = (f"score grouped into {group.max() + 1} quantile categories",)
    return (np.bincount(group, counts.cases).astype(float), np.bincount(group, counts.controls).astype(float), note)


def start_values(cases: np.ndarray, controls: np.ndarray, auc: float) -> np.ndarray:
    """Starting parameters (a, log b, first threshold, log gaps) from the controls' cumulative shares and the
    empirical AUC ``auc`` (counts ``cases``, ``controls`` per category, ascending)."""
    k = len(cases)
    fpr = np.cumsum(controls[::-1])[::-1][1:] / controls.sum()   # P(control rating >= category k+1)
    start_c = stats.norm.ppf(np.clip(1 - fpr, 0.01, 0.99))
    start_c = np.maximum.accumulate(start_c + np.arange(k - 1) * 1e-3)
    a0 = np.sqrt(2) * stats.norm.ppf(np.clip(auc, 0.01, 0.99))
    return np.concatenate([[a0, 0.0, start_c[0]], np.log(np.maximum(np.diff(start_c), 1e-2))])


def unpack(theta: np.ndarray) -> tuple[float, float, np.ndarray]:
    """(a, b, thresholds) from the unconstrained parameters (a, log b, first threshold, log gaps)."""
    a, b = theta[0], np.exp(theta[1])
    c = theta[2] + np.concatenate([[0.0], np.cumsum(np.exp(theta[3:]))])
    return a, b, c


def negative_log_likelihood(theta: np.ndarray, cases: np.ndarray, controls: np.ndarray) -> float:
    """The binormal model's negative log-likelihood of the category counts."""
    a, b, c = unpack(theta)
    edges = np.concatenate([[-np.inf], c, [np.inf]])
    p_control = np.diff(stats.norm.cdf(edges))
    p_case = np.diff(stats.norm.cdf(b * edges - a))
    tiny = 1e-300
    return -(np.dot(controls, np.log(np.maximum(p_control, tiny)))
             + np.dot(cases, np.log(np.maximum(p_case, tiny))))


def binormal(roc, bins: int | None = None) -> BinormalResult:
    """Fit the binormal model to a :class:`~diagstats.ROCResult` by maximum likelihood."""
    cases, controls, notes = _categories(roc, bins)
    k = len(cases)
    if k < 2:
        raise DataError("method='binormal': the fit needs at least two distinct values of the score; this curve's "
                        "score has one. Smooth a curve whose score (ds.roc(..., score=...)) takes several values.")
    theta0 = start_values(cases, controls, roc.auc.value)

    def negloglik(theta):
        return negative_log_likelihood(theta, cases, controls)

    fit = optimize.minimize(negloglik, theta0, method="BFGS")
    if not np.isfinite(fit.fun) or (not fit.success and np.linalg.norm(fit.jac) > 1e-3):
        raise ConvergenceError(f"The binormal fit did not converge ({fit.message}); with empty or perfectly "
                               "separated categories, merge sparse ratings (bins=) first.")
    from statsmodels.tools.numdiff import approx_fprime, approx_hess

    hess = approx_hess(fit.x, negloglik)
    try:
        cov = np.linalg.inv(hess)
    except np.linalg.LinAlgError:
        cov = np.full_like(hess, np.nan)
    a, b, c = unpack(fit.x)
    level = roc.level
    z = z_two_sided(level)

    def auc_of(theta):
        return stats.norm.cdf(theta[0] / np.sqrt(1 + np.exp(2 * theta[1])))

    grad = approx_fprime(fit.x, auc_of)
    var_auc = float(grad @ cov @ grad)
    ci_notes: tuple[str, ...] = ()
    if not (np.all(np.isfinite(cov)) and np.all(np.diag(cov) > 0) and var_auc > 0):
        # a singular or indefinite information matrix: the likelihood is flat in some direction
        cov, var_auc = np.full_like(cov, np.nan), np.nan
        ci_notes = ("no Wald intervals: the likelihood has no curvature in some direction at the fit (too few "
                    "patients per rating category, or a category that separates cases from controls); merge "
                    "categories with bins= or collect more patients",)
    se_auc = np.sqrt(var_auc)
    se_a, se_logb = np.sqrt(np.diag(cov)[:2])
    method = "binormal ML (Dorfman & Alf 1969), delta method"
    auc_value = float(auc_of(fit.x))
    with np.errstate(over="ignore"):  # a huge standard error of log b gives an infinite upper bound
        b_lower, b_upper = np.exp(fit.x[1] - z * se_logb), np.exp(fit.x[1] + z * se_logb)
    return BinormalResult(
        a=Estimate(float(a), float(a - z * se_a), float(a + z * se_a), level, "Wald", "a (intercept)", ci_notes),
        b=Estimate(float(b), float(b_lower), float(b_upper), level, "Wald on log b", "b (slope)", ci_notes),
        auc=Estimate(auc_value, max(0.0, auc_value - z * se_auc) if ci_notes == () else np.nan,
                     min(1.0, auc_value + z * se_auc) if ci_notes == () else np.nan, level, method, "AUC (binormal)",
                     ci_notes),
        thresholds=c, log_likelihood=float(-fit.fun), n_categories=k, notes=notes + ci_notes)
