"""Numerical core of the meta-analysis models (no input checking, no result objects).

Univariate random-effects pooling (DerSimonian-Laird, REML, ML) with the Knapp-Hartung factor and
the Q-profile interval for tau^2, and the bivariate normal model of Reitsma et al. (2005) fitted by REML or ML on a
3-parameter profiled likelihood with an analytic gradient. Every study's 2x2 within-study
covariance is handled in closed form, vectorised over studies.

>>> import numpy as np
>>> from diagstats.meta._fit import dersimonian_laird
>>> round(float(dersimonian_laird(np.array([0.1, 0.5, 0.9]), np.array([0.04, 0.05, 0.06]))), 4)
0.1107
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from ..errors import ConvergenceError

LOG_2PI = float(np.log(2 * np.pi))


# ----------------------------------------------------------------------------------------------
# univariate
# ----------------------------------------------------------------------------------------------

def dersimonian_laird(y: np.ndarray, v: np.ndarray) -> float:
    """Method-of-moments tau^2 (DerSimonian & Laird 1986), truncated at 0."""
    w = 1.0 / v
    mu = np.sum(w * y) / np.sum(w)
    q = float(np.sum(w * (y - mu) ** 2))
    c = np.sum(w) - np.sum(w ** 2) / np.sum(w)
    return max(0.0, (q - (len(y) - 1)) / c)


def generalised_q(y: np.ndarray, v: np.ndarray, tau2: float) -> float:
    """Q(tau^2) = sum w_i (y_i - mu(tau^2))^2 with w_i = 1 / (v_i + tau^2)."""
    w = 1.0 / (v + tau2)
    mu = np.sum(w * y) / np.sum(w)
    return float(np.sum(w * (y - mu) ** 2))


def reml_tau2(y: np.ndarray, v: np.ndarray, *, tol: float = 1e-12, max_iter: int = 200) -> tuple[float, int]:
    """REML tau^2 by Fisher scoring (Viechtbauer 2005), truncated at 0.

    Returns the estimate and the number of iterations; raises ConvergenceError if the scoring
    steps do not settle within ``max_iter`` iterations.
    """
    tau2 = dersimonian_laird(y, v)
    for it in range(1, max_iter + 1):
        w = 1.0 / (v + tau2)
        sw = np.sum(w)
        mu = np.sum(w * y) / sw
        # P = W - w w' / sum(w): the REML projection; score = (y'PPy - tr P) / 2, information = tr(PP) / 2
        py = w * (y - mu)
        tr_p = sw - np.sum(w ** 2) / sw
        tr_pp = np.sum(w ** 2) - 2 * np.sum(w ** 3) / sw + (np.sum(w ** 2) / sw) ** 2
        step = (np.sum(py ** 2) - tr_p) / tr_pp
        new = max(0.0, tau2 + step)
        if abs(new - tau2) <= tol * max(1.0, tau2):
            return new, it
        tau2 = new
    raise ConvergenceError(f"The REML estimate of tau^2 did not converge in {max_iter} Fisher scoring steps "
                           f"(last value {tau2:.6g}); use method='dl' or check the data for outlying studies.")


def q_profile_interval(y: np.ndarray, v: np.ndarray, level: float) -> tuple[float, float]:
    """Q-profile confidence interval for tau^2 (Viechtbauer 2007).

    The bounds solve Q(tau^2) = chi^2_{k-1} quantiles; a bound below zero is set to 0.
    """
    df = len(y) - 1
    alpha = 1 - level
    q_hi, q_lo = stats.chi2.ppf(1 - alpha / 2, df), stats.chi2.ppf(alpha / 2, df)
    q0 = generalised_q(y, v, 0.0)

    def bound(target: float) -> float:
        if q0 <= target:
            return 0.0
        hi = max(1.0, 10 * np.var(y, ddof=1))
        while generalised_q(y, v, hi) > target:
            hi *= 10
        return float(optimize.brentq(lambda t: generalised_q(y, v, t) - target, 0.0, hi, xtol=1e-12, rtol=1e-12))

    return bound(q_hi), bound(q_lo)


def ml_tau2(y: np.ndarray, v: np.ndarray, *, tol: float = 1e-12, max_iter: int = 200) -> tuple[float, int]:
    """ML tau^2 by Fisher scoring (Hardy & Thompson 1996; Viechtbauer 2005), truncated at 0.

    score = (sum w^2 (y - mu)^2 - sum w) / 2, information = sum w^2 / 2, with w = 1 / (v + tau^2).
    """
    tau2 = dersimonian_laird(y, v)
    for it in range(1, max_iter + 1):
        w = 1.0 / (v + tau2)
        mu = np.sum(w * y) / np.sum(w)
        step = (np.sum(w ** 2 * (y - mu) ** 2) - np.sum(w)) / np.sum(w ** 2)
        new = max(0.0, tau2 + step)
        if abs(new - tau2) <= tol * max(1.0, tau2):
            return new, it
        tau2 = new
    raise ConvergenceError(f"The ML estimate of tau^2 did not converge in {max_iter} Fisher scoring steps "
                           f"(last value {tau2:.6g}); use method='dl' or check the data for outlying studies.")


def knapp_hartung_factor(y: np.ndarray, v: np.ndarray, tau2: float) -> float:
    """The Knapp-Hartung variance factor s^2 = sum w (y - mu)^2 / (k - 1), w = 1 / (v + tau^2).

    The random-effects variance of mu is multiplied by it and the interval uses t with k - 1 df
    (Hartung & Knapp 2001; Sidik & Jonkman 2002).
    """
    w = 1.0 / (v + tau2)
    mu = np.sum(w * y) / np.sum(w)
    return float(np.sum(w * (y - mu) ** 2) / (len(y) - 1))


@dataclass(frozen=True)
class UnivariateFit:
    mu: float
    se: float
    tau2: float
    q: float
    i2: float
    h2: float
    weights: np.ndarray
    iterations: int


def fit_univariate(y: np.ndarray, v: np.ndarray, method: str) -> UnivariateFit:
    """Random-effects pooling of ``y`` with within-study variances ``v``."""
    k = len(y)
    w_fixed = 1.0 / v
    mu_fixed = np.sum(w_fixed * y) / np.sum(w_fixed)
    q = float(np.sum(w_fixed * (y - mu_fixed) ** 2))
    if method == "dl":
        tau2, iterations = dersimonian_laird(y, v), 0
    elif method == "ml":
        tau2, iterations = ml_tau2(y, v)
    else:
        tau2, iterations = reml_tau2(y, v)
    w = 1.0 / (v + tau2)
    mu = float(np.sum(w * y) / np.sum(w))
    se = float(np.sqrt(1.0 / np.sum(w)))
    # I^2 and H^2 from tau^2 and the "typical" within-study variance (Higgins & Thompson 2002)
    typical = (k - 1) * np.sum(w_fixed) / (np.sum(w_fixed) ** 2 - np.sum(w_fixed ** 2))
    i2 = 100 * tau2 / (tau2 + typical)
    h2 = (tau2 + typical) / typical
    return UnivariateFit(mu, se, tau2, q, float(i2), float(h2), 100 * w / np.sum(w), iterations)


# ----------------------------------------------------------------------------------------------
# bivariate (Reitsma 2005)
# ----------------------------------------------------------------------------------------------

def sigma_from_cholesky(theta: np.ndarray) -> tuple[float, float, float]:
    """(Sigma11, Sigma12, Sigma22) from the Cholesky factor [[a, 0], [b, c]]."""
    a, b, c = theta
    return a * a, a * b, b * b + c * c


#: d Sigma / d(a, b, c) as (d11, d12, d22) per parameter, given (a, b, c)
def _sigma_derivatives(theta: np.ndarray) -> list[tuple[float, float, float]]:
    a, b, c = theta
    return [(2 * a, b, 0.0), (0.0, a, 2 * b), (0.0, 0.0, 2 * c)]


def _block(z: np.ndarray, m11: np.ndarray, m12: np.ndarray, m22: np.ndarray) -> np.ndarray:
    """sum_i X_i' M_i X_i for X_i = blockdiag(z_i', z_i') and symmetric 2x2 M_i."""
    a = z.T @ (m11[:, None] * z)
    b = z.T @ (m12[:, None] * z)
    d = z.T @ (m22[:, None] * z)
    return np.block([[a, b], [b, d]])


@dataclass(frozen=True)
class BivariateFit:
    beta: np.ndarray          # (2q,): q coefficients for logit sens, then q for logit fpr
    vcov: np.ndarray          # (2q, 2q)
    sigma: np.ndarray         # (2, 2) between-study covariance of (logit sens, logit fpr)
    loglik: float
    n_parameters: int
    n_observations: int
    iterations: int
    gradient_norm: float


class _Bivariate:
    """Profiled (RE)ML objective of the Reitsma model for fixed data."""

    def __init__(self, y1, y2, s1, s2, z, reml: bool):
        self.y1, self.y2, self.s1, self.s2, self.z, self.reml = y1, y2, s1, s2, z, reml
        k, q = z.shape
        self.k, self.q = k, q
        self.n_obs = 2 * k
        const = (self.n_obs - 2 * q if reml else self.n_obs) * LOG_2PI
        if reml:  # the REML likelihood of Harville (1977) including 1/2 log|X'X|, as metafor reports it
            const -= 2 * np.linalg.slogdet(z.T @ z)[1]
        self.const = const

    def parts(self, theta: np.ndarray):
        s11, s12, s22 = sigma_from_cholesky(theta)
        v11, v12, v22 = self.s1 + s11, np.full(self.k, s12), self.s2 + s22
        det = v11 * v22 - v12 * v12
        w11, w12, w22 = v22 / det, -v12 / det, v11 / det
        h = _block(self.z, w11, w12, w22)
        g = np.concatenate([self.z.T @ (w11 * self.y1 + w12 * self.y2), self.z.T @ (w12 * self.y1 + w22 * self.y2)])
        h_inv = np.linalg.inv(h)
        beta = h_inv @ g
        r1 = self.y1 - self.z @ beta[:self.q]
        r2 = self.y2 - self.z @ beta[self.q:]
        return det, (w11, w12, w22), h, h_inv, beta, r1, r2

    def objective(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """-2 x (RE)ML log-likelihood and its gradient in the Cholesky parameters."""
        det, (w11, w12, w22), h, h_inv, _, r1, r2 = self.parts(theta)
        if np.any(det <= 0):
            return np.inf, np.zeros(3)
        rss = np.sum(w11 * r1 * r1 + 2 * w12 * r1 * r2 + w22 * r2 * r2)
        value = np.sum(np.log(det)) + rss + self.const
        if self.reml:
            value += np.linalg.slogdet(h)[1]
        # W r per study
        u1, u2 = w11 * r1 + w12 * r2, w12 * r1 + w22 * r2
        grad = np.empty(3)
        for j, (d11, d12, d22) in enumerate(_sigma_derivatives(theta)):
            tr_wd = np.sum(w11 * d11 + 2 * w12 * d12 + w22 * d22)
            quad = np.sum(u1 * u1 * d11 + 2 * u1 * u2 * d12 + u2 * u2 * d22)
            g = tr_wd - quad
            if self.reml:
                # M = W D W per study (symmetric 2x2)
                a1, a2 = w11 * d11 + w12 * d12, w11 * d12 + w12 * d22     # first row of W D
                b1, b2 = w12 * d11 + w22 * d12, w12 * d12 + w22 * d22     # second row of W D
                m11 = a1 * w11 + a2 * w12
                m12 = a1 * w12 + a2 * w22
                m22 = b1 * w12 + b2 * w22
                g -= np.sum(h_inv * _block(self.z, m11, m12, m22))
            grad[j] = g
        return float(value), grad


#: Between-study variance (logit scale) below which a fit is at its boundary and is not polished.
BOUNDARY_VARIANCE = 1e-8


def _polish(model: _Bivariate, theta: np.ndarray, grad_norm: float, *, max_steps: int = 20) -> tuple[np.ndarray, float]:
    """Newton steps from the BFGS optimum until the gradient stops shrinking.

    BFGS stops wherever its line search runs out of precision, which depends on the machine's
    floating point (BLAS kernels): on a flat likelihood the estimates then differ between machines
    in the ninth digit. Newton's method on the analytic gradient (Hessian by central differences)
    converges to the optimum itself, so every machine reports the same numbers to about 1e-13.
    A step is taken only if it lowers the gradient, does not raise the objective, and keeps both
    between-study variances away from 0; a fit whose variance is already at that boundary (studies
    homogeneous in sensitivity or specificity) is left as BFGS found it, since there the Cholesky
    parametrisation has a stationary point at exactly 0 that would make the SROC slope 0/0.
    """
    def interior(t: np.ndarray) -> bool:
        s11, _, s22 = sigma_from_cholesky(t)
        return min(s11, s22) >= BOUNDARY_VARIANCE

    if not interior(theta):
        return theta, grad_norm
    value = model.objective(theta)[0]
    for _ in range(max_steps):
        h = 1e-6 * np.maximum(1.0, np.abs(theta))
        hessian = np.empty((3, 3))
        for j in range(3):
            e = np.zeros(3)
            e[j] = h[j]
            hessian[:, j] = (model.objective(theta + e)[1] - model.objective(theta - e)[1]) / (2 * h[j])
        hessian = (hessian + hessian.T) / 2
        try:
            step = np.linalg.solve(hessian, model.objective(theta)[1])
        except np.linalg.LinAlgError:
            break
        new_value, grad = model.objective(theta - step)
        new_norm = float(np.max(np.abs(grad)))
        if (not np.isfinite(new_value) or not new_norm < grad_norm or new_value > value + 1e-12 * abs(value)
                or not interior(theta - step)):
            break
        theta, grad_norm, value = theta - step, new_norm, new_value
    return theta, grad_norm


def fit_bivariate(y1, y2, s1, s2, z, *, reml: bool, start: np.ndarray | None = None) -> BivariateFit:
    """Fit the bivariate random-effects model by (RE)ML.

    ``y1, y2`` are logit sensitivity and logit false-positive rate per study, ``s1, s2`` their
    within-study variances, ``z`` the (k, q) per-outcome design (first column the intercept).
    """
    model = _Bivariate(y1, y2, s1, s2, z, reml)
    if start is None:
        t1 = max(dersimonian_laird(y1, s1), 0.05)
        t2 = max(dersimonian_laird(y2, s2), 0.05)
        r = 0.0  # the starting correlation; 0 when a logit does not vary (identical studies: no correlation)
        if len(y1) > 2:
            variances = np.diag(np.cov(y1, y2))  # corrcoef divides by their roots: guard, not a warning
            if np.all(variances > 0):
                r = float(np.clip(np.corrcoef(y1, y2)[0, 1], -0.9, 0.9))
        if not np.isfinite(r):
            r = 0.0
        a = np.sqrt(t1)
        start = np.array([a, r * np.sqrt(t2), np.sqrt(t2 * (1 - r * r))])
    res = optimize.minimize(model.objective, start, jac=True, method="BFGS",
                            options={"gtol": 1e-9, "maxiter": 500})
    grad_norm = float(np.max(np.abs(res.jac)))
    # BFGS may stop with "precision loss" at an optimum reached to machine precision; accept it
    # only when the gradient is negligible, otherwise report the optimizer's reason.
    if not np.isfinite(res.fun) or grad_norm > 1e-5:
        raise ConvergenceError(
            f"The bivariate {'REML' if reml else 'ML'} fit did not converge: {res.message} "
            f"(largest gradient component {grad_norm:.3g} after {res.nit} iterations). The between-study "
            "covariance may be at the boundary (a variance near 0 or a correlation near +-1); try "
            "method='ml', fewer covariates, or the univariate models.")
    theta, grad_norm = _polish(model, res.x, grad_norm)
    loglik = -0.5 * model.objective(theta)[0]
    _, _, _, h_inv, beta, _, _ = model.parts(theta)
    s11, s12, s22 = sigma_from_cholesky(theta)
    n_par = 2 * model.q + 3
    return BivariateFit(beta=beta, vcov=h_inv, sigma=np.array([[s11, s12], [s12, s22]]), loglik=loglik,
                        n_parameters=n_par, n_observations=model.n_obs - (2 * model.q if reml else 0),
                        iterations=int(res.nit), gradient_norm=grad_norm)
