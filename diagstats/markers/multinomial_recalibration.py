"""Multinomial calibration of the origin probabilities: Van Hoorde et al.'s (2014) recalibration framework.

A multinomial model gives each patient K probabilities; its linear predictors are the log ratios
``LP_k = log(p_k / p_1)`` against a reference origin (the first). The calibration model is the multinomial
logistic regression of the observed origin on those log ratios,
``log(P(Y = k) / P(Y = 1)) = a_k + sum_j b_kj LP_j`` (k = 2..K), and the predictions are calibrated when
every ``a_k = 0`` and ``B`` is the identity. Three fits of it, as in the binary case (see
:mod:`diagstats.utility.risk_calibration` for the two intercepts):

* calibration-in-the-large: ``a_k`` with ``b_kk = 1`` and ``b_kj = 0`` (each equation's own log ratio as an
  offset); 0 when the share of origin k relative to origin 1 is right on average;
* calibration slope: ``b_kk`` with ``b_kj = 0`` for j != k (each equation its own log ratio, its own slope),
  and that model's intercept (the recalibration intercept); 1 is ideal, below 1 the predictions are too
  extreme;
* the full recalibration model (every ``a_k``, ``b_kj`` free), whose likelihood-ratio test against the
  original predictions (``a = 0``, ``B = I``; df K (K - 1)) tests calibration as a whole. When the log
  ratios are collinear (a model with fewer predictors than K - 1) the full model is not identified; the
  test then compares the slope model with the predictions (``a_k = 0``, ``b_kk = 1``; df 2 (K - 1)).

Intervals of the intercepts and slopes invert the likelihood-ratio test (profile likelihood), as in
:func:`diagstats.calibration`, of which the case K = 2 is exactly that function's intercept and slope.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> p = rng.dirichlet([2, 2, 2], 300)
>>> y = np.array([rng.choice(3, p=row) for row in p])
>>> res = multinomial_recalibration(p, y, ("a", "b", "c"), level=0.95)
>>> round(res.test.p_value, 3) > 0.05
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import log_softmax

from .._core.quantiles import z_two_sided
from ..errors import ConvergenceError
from ..results import Estimate, FrozenFields, TestResult
from ..utility.risk_calibration import PROFILE, _profile_interval

__all__ = ["MultinomialRecalibration", "multinomial_recalibration", "fit_multinomial_offset", "newton_ascent",
           "multinomial_log_likelihood"]

#: Condition number of the log ratios' correlation matrix above which the full model is called unstable
#: (two log ratios correlated beyond 0.98).
COLLINEAR = 100.0


@dataclass(frozen=True)
class MultinomialRecalibration(FrozenFields):
    """Van Hoorde et al.'s (2014) multinomial recalibration of K predicted probabilities.

    Attributes
    ----------
    reference_class : object
        The origin in the denominator of every log ratio (the first origin).
    calibration_in_the_large, slope, recalibration_intercept : dict of origin to Estimate
        Per non-reference origin k: ``a_k`` of the offset model, ``b_kk`` and ``a_k`` of the slope model.
    coefficients : DataFrame
        The full recalibration model: one row per non-reference origin, columns ``intercept`` and
        ``LP_<origin>`` for each log ratio (ideal: 0 and the identity matrix).
    test : TestResult
        Likelihood-ratio test of calibration (the original predictions against the full recalibration
        model, df K (K - 1); against the slope model, df 2 (K - 1), when the full one is not identified).
    notes : tuple of str
    """

    reference_class: Any
    calibration_in_the_large: dict[Any, Estimate]
    slope: dict[Any, Estimate]
    recalibration_intercept: dict[Any, Estimate]
    coefficients: pd.DataFrame
    test: TestResult
    notes: tuple[str, ...] = ()

    def estimates(self) -> list[tuple[Any, Estimate]]:
        """(origin, estimate) of every intercept and slope, origin by origin."""
        return [(k, group[k]) for k in self.slope
                for group in (self.calibration_in_the_large, self.slope, self.recalibration_intercept)]


def multinomial_log_likelihood(codes: np.ndarray, eta: np.ndarray) -> float:
    """Multinomial log-likelihood; ``eta`` (n, K - 1) are the log odds against class 0."""
    full = log_softmax(np.column_stack([np.zeros(len(eta)), eta]), axis=1)
    return float(full[np.arange(codes.size), codes].sum())



def newton_ascent(log_likelihood, newton_step, start: np.ndarray, *, model: str, singular: str,
                  max_iter: int = 100, tol: float = 1e-12) -> tuple[np.ndarray, np.ndarray, float]:
    """Maximise ``log_likelihood(theta)`` by Newton-Raphson with step halving from ``start``.

    ``newton_step(theta)`` returns the Newton step and the information matrix at ``theta``. Returns ``theta``,
    the information at the last step and the log-likelihood. Raises :class:`ConvergenceError` naming ``model``
    when the information is singular (``singular`` says why it may be), when it does not converge, or when the
    coefficients diverge (an origin separated perfectly by the predicted probabilities)."""
    theta = start
    loglik = log_likelihood(theta)
    for _ in range(max_iter):
        try:
            step, information = newton_step(theta)
        except np.linalg.LinAlgError:
            raise ConvergenceError(f"the {model} has a singular information matrix ({singular})") from None
        for _ in range(50):
            new = log_likelihood(theta + step)
            if new >= loglik - 1e-10 * abs(loglik):
                break
            step = step / 2
        theta, change, loglik = theta + step, new - loglik, new
        if abs(change) < tol * (abs(loglik) + 1) and np.max(np.abs(step)) < 1e-8:
            break
    else:
        raise ConvergenceError(f"the {model} did not converge (an origin separated perfectly by the predicted "
                               "probabilities?)")
    if np.max(np.abs(theta)) > 1e3:
        raise ConvergenceError(f"the {model}'s coefficients diverge (an origin separated perfectly by the "
                               "predicted probabilities)")
    return theta, information, loglik


def fit_multinomial_offset(codes: np.ndarray, design: np.ndarray, offset: np.ndarray, *,
                           start: np.ndarray | None = None, max_iter: int = 100,
                           tol: float = 1e-12) -> tuple[np.ndarray, np.ndarray, float]:
    """Maximum likelihood of ``eta_ik = offset_ik + design_ik . theta`` in a multinomial logit against class 0.

    ``codes`` (n,) in 0..K-1, ``design`` (n, K - 1, q) (each equation its own rows, so constraints across
    equations are columns shared or left out), ``offset`` (n, K - 1), ``start`` the first ``theta`` (zeros
    by default). Newton-Raphson with step halving,
    the vector GLM of Yee (2015) with constraint matrices. Returns ``theta``, its inverse information
    (covariance) and the log-likelihood. Raises :class:`ConvergenceError` when it does not converge
    (separation) or the information is singular.
    """
    n, m, q = design.shape
    observed = np.zeros((n, m))
    rows = codes > 0
    observed[np.flatnonzero(rows), codes[rows] - 1] = 1.0
    theta = np.zeros(q) if start is None else np.asarray(start, dtype=float).copy()

    def newton_step(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        eta = offset + design @ theta
        pi = np.exp(log_softmax(np.column_stack([np.zeros(n), eta]), axis=1))[:, 1:]
        score = np.einsum("nkq,nk->q", design, observed - pi)
        weight = pi[:, :, None] * (np.eye(m)[None] - pi[:, None, :])           # (n, K-1, K-1)
        information = np.einsum("nkq,nkl,nlr->qr", design, weight, design)
        return np.linalg.solve(information, score), information

    theta, information, loglik = newton_ascent(
        lambda t: multinomial_log_likelihood(codes, offset + design @ t), newton_step, theta,
        model="multinomial recalibration model", singular="an origin absent, or log ratios that do not vary",
        max_iter=max_iter, tol=tol)
    try:
        return theta, np.linalg.inv(information), loglik
    except np.linalg.LinAlgError:
        raise ConvergenceError("the multinomial recalibration model has a singular information matrix at its "
                               "maximum (log ratios that do not vary)") from None


def _profile_estimate(codes: np.ndarray, design: np.ndarray, offset: np.ndarray, theta: np.ndarray,
                      cov: np.ndarray, j: int, level: float, name: str) -> Estimate:
    """Profile-likelihood interval of ``theta_j``: the other parameters refitted at each fixed value (from
    their estimates). Where a refit fails far from the estimate (a flat profile running into separation),
    the Wald interval instead, with a note."""
    others, rest = np.delete(design, j, axis=2), np.delete(theta, j)
    se = float(np.sqrt(cov[j, j]))

    def profile_deviance(value: float) -> float:
        fixed = offset + value * design[:, :, j]
        if others.shape[2] == 0:
            return -2 * multinomial_log_likelihood(codes, fixed)
        return -2 * fit_multinomial_offset(codes, others, fixed, start=rest)[2]

    try:
        lower, upper = _profile_interval(profile_deviance, float(theta[j]), se, level)
    except ConvergenceError:
        half = z_two_sided(level) * se
        return Estimate(float(theta[j]), float(theta[j]) - half, float(theta[j]) + half, level, "Wald", name,
                        ("Wald interval: the profile likelihood could not be followed to its cut-off (the model "
                         "separates an origin there); the data hardly inform this value",))
    return Estimate(float(theta[j]), lower, upper, level, PROFILE, name)


def multinomial_recalibration(probabilities: np.ndarray, codes: np.ndarray, classes: tuple[Any, ...],
                              level: float) -> MultinomialRecalibration:
    """The recalibration framework of Van Hoorde et al. (2014) for probabilities (n, K) and outcome codes 0..K-1.

    The probabilities must lie strictly inside (0, 1) (the caller clips them). See the module docstring.

    References
    ----------
    Van Hoorde K, Vergouwe Y, Timmerman D, Van Huffel S, Steyerberg EW, Van Calster B (2014). Assessing
    calibration of multinomial risk prediction models. Stat Med 33:2585-2596.
    Yee TW (2015). Vector Generalized Linear and Additive Models. Springer.
    """
    n, k = probabilities.shape
    m = k - 1
    lp = np.log(probabilities[:, 1:]) - np.log(probabilities[:, :1])               # (n, K-1)
    eye = np.broadcast_to(np.eye(m), (n, m, m))
    others = classes[1:]

    theta, cov, _ = fit_multinomial_offset(codes, eye.copy(), lp)
    citl = {c: _profile_estimate(codes, eye, lp, theta, cov, j, level, "multinomial calibration-in-the-large")
            for j, c in enumerate(others)}

    slope_design = np.concatenate([eye, eye * lp[:, None, :]], axis=2)          # intercepts, then own slopes
    theta, cov, slope_loglik = fit_multinomial_offset(codes, slope_design, np.zeros((n, m)))
    z = z_two_sided(level)
    slope, intercept = {}, {}
    for j, c in enumerate(others):
        slope[c] = _profile_estimate(codes, slope_design, np.zeros((n, m)), theta, cov, m + j, level,
                                     "multinomial calibration slope")
        se = float(np.sqrt(cov[j, j]))
        intercept[c] = Estimate(float(theta[j]), float(theta[j]) - z * se, float(theta[j]) + z * se, level,
                                "Wald", "multinomial recalibration intercept (slope free)")

    notes = []
    covariates = np.column_stack([np.ones(n), lp])                                # (n, K)
    full_design = np.einsum("kl,nr->nklr", np.eye(m), covariates).reshape(n, m, m * k)
    original = multinomial_log_likelihood(codes, lp)
    columns = ["intercept", *[f"LP_{c}" for c in others]]
    try:
        if np.linalg.matrix_rank(covariates) < k:
            raise ConvergenceError("collinear log ratios")
        theta, _, full_loglik = fit_multinomial_offset(codes, full_design, np.zeros((n, m)))
        statistic, df, what = 2 * (full_loglik - original), m * k, "intercepts 0, slope matrix identity"
        coefficients = pd.DataFrame(theta.reshape(m, k), columns=columns)
        if m > 1 and np.linalg.cond(np.corrcoef(lp.T)) > COLLINEAR:
            notes.append("the log ratios are (nearly) collinear, as when the model has fewer predictors than "
                         "origins minus one: the full recalibration model's coefficients are unstable; read the "
                         "intercepts, the slopes and the test")
    except ConvergenceError:
        # collinear log ratios (fewer predictors than origins minus one): the full model is not identified
        statistic, df, what = 2 * (slope_loglik - original), 2 * m, "intercepts 0, slopes 1"
        coefficients = pd.DataFrame(np.full((m, k), np.nan), columns=columns)
        notes.append("the full recalibration model (every log ratio in every equation) is not identified: the log "
                     "ratios are collinear (a model with fewer predictors than origins minus one) or the fit "
                     "diverges; the test of "
                     f"calibration compares the intercept-and-slope model with the predictions (df {2 * m}), and "
                     "the full model's coefficients are NaN")
    statistic = max(0.0, statistic)
    test = TestResult(statistic, float(stats.chi2.sf(statistic, df)), "likelihood ratio (multinomial recalibration)",
                      df=float(df), name=f"calibration ({what})")
    coefficients.insert(0, "origin", list(others))
    return MultinomialRecalibration(reference_class=classes[0], calibration_in_the_large=citl, slope=slope,
                                    recalibration_intercept=intercept, coefficients=coefficients, test=test,
                                    notes=tuple(notes))
