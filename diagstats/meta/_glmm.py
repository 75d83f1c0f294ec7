"""Binomial generalised linear mixed models for meta-analysis, by adaptive Gauss-Hermite quadrature.

The bivariate model of Chu & Cole (2006): in study i, ``tp_i ~ Bin(tp_i + fn_i, expit(mu_1 + u_1i))``
and ``tn_i ~ Bin(tn_i + fp_i, expit(mu_2 + u_2i))`` with ``(u_1i, u_2i) ~ N(0, Sigma)``; and the
univariate random-intercept model for a proportion (Hamza et al. 2008). The marginal likelihood of
each study is integrated by adaptive Gauss-Hermite quadrature (Liu & Pierce 1994; Pinheiro &
Bates 1995) centred at the mode of the random effects; one node is the Laplace approximation,
the one lme4's ``glmer`` uses by default. The modes are found by Newton steps vectorised over
studies, so no Python loop runs over studies.

>>> import numpy as np
>>> from diagstats.meta._glmm import fit_proportion_glmm
>>> fit = fit_proportion_glmm(np.array([40, 45, 30, 48]), np.array([50, 50, 40, 50]), nagq=1)
>>> round(float(fit.beta[0]), 3)
1.883
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize
from scipy.special import expit, gammaln

from ..errors import ConvergenceError


def _log_choose(n: np.ndarray, x: np.ndarray) -> np.ndarray:
    return gammaln(n + 1) - gammaln(x + 1) - gammaln(n - x + 1)


def _log_lik_binomial(x, n, eta):
    """x * eta - n * log(1 + exp(eta)), computed stably."""
    return x * eta - n * np.logaddexp(0.0, eta)


@dataclass(frozen=True)
class GlmmFit:
    beta: np.ndarray       # fixed effects on the logit scale
    vcov: np.ndarray       # their covariance (inverse observed information of the full parameter vector)
    sigma: np.ndarray      # random-effects covariance (d, d)
    loglik: float
    nagq: int
    iterations: int


class _Glmm:
    """Marginal log-likelihood of independent binomial outcomes with d correlated random intercepts.

    ``x`` and ``n`` have shape (k, d): study i's d outcomes each have their own fixed effect.
    """

    def __init__(self, x: np.ndarray, n: np.ndarray, nagq: int):
        self.x, self.n = x.astype(float), n.astype(float)
        self.k, self.d = x.shape
        self.const = float(np.sum(_log_choose(self.n, self.x)))
        nodes, weights = np.polynomial.hermite.hermgauss(nagq)
        grids = np.meshgrid(*([nodes] * self.d), indexing="ij")
        self.nodes = np.stack([g.ravel() for g in grids], axis=1)                    # (m, d)
        wgrid = np.meshgrid(*([weights] * self.d), indexing="ij")
        self.log_weights = np.sum([np.log(w.ravel()) for w in wgrid], axis=0) + np.sum(self.nodes ** 2, axis=1)
        self.u = np.zeros((self.k, self.d))
        self.nagq = nagq

    def unpack(self, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        beta = params[:self.d]
        chol = np.zeros((self.d, self.d))
        chol[np.tril_indices(self.d)] = params[self.d:]
        return beta, chol @ chol.T

    def loglik(self, params: np.ndarray) -> float:
        beta, sigma = self.unpack(params)
        sign, logdet_sigma = np.linalg.slogdet(sigma)
        if sign <= 0 or not np.isfinite(logdet_sigma):
            return -np.inf
        prec = np.linalg.inv(sigma)
        u = self.u.copy()
        for _ in range(100):                                  # Newton steps for all modes at once
            p = expit(beta + u)
            w = self.n * p * (1 - p)
            grad = self.x - self.n * p - u @ prec
            neg_hess = prec[None, :, :] + w[:, :, None] * np.eye(self.d)[None, :, :]
            step = np.linalg.solve(neg_hess, grad[:, :, None])[:, :, 0]
            step = np.clip(step, -2.0, 2.0)           # damped: the log-posterior is concave, so this converges
            u = u + step
            if np.max(np.abs(step)) < 1e-10:
                break
        else:
            return -np.inf
        self.u = u
        p = expit(beta + u)
        neg_hess = prec[None, :, :] + (self.n * p * (1 - p))[:, :, None] * np.eye(self.d)[None, :, :]
        chol_cov = np.linalg.cholesky(np.linalg.inv(neg_hess))                       # (k, d, d)
        # u = mode + sqrt(2) L z at every node, for every study: (k, m, d)
        pts = u[:, None, :] + np.sqrt(2.0) * np.einsum("kij,mj->kmi", chol_cov, self.nodes)
        log_f = (np.sum(_log_lik_binomial(self.x[:, None, :], self.n[:, None, :], beta + pts), axis=2)
                 - 0.5 * np.einsum("kmi,ij,kmj->km", pts, prec, pts))
        log_int = np.logaddexp.reduce(log_f + self.log_weights[None, :], axis=1)
        log_det_l = np.sum(np.log(np.diagonal(chol_cov, axis1=1, axis2=2)), axis=1)
        per_study = log_int + log_det_l - 0.5 * logdet_sigma - 0.5 * self.d * np.log(np.pi)
        return float(np.sum(per_study) + self.const)


def _fit(model: _Glmm, start: np.ndarray, what: str) -> GlmmFit:
    def objective(params):
        value = model.loglik(params)
        return -value if np.isfinite(value) else 1e300

    res = optimize.minimize(objective, start, method="BFGS", options={"gtol": 1e-7, "maxiter": 2000})
    if not np.isfinite(res.fun) or res.fun >= 1e299:
        raise ConvergenceError(f"The {what} did not converge: the marginal likelihood could not be evaluated "
                               "at the optimiser's point (random-effects modes not found). Try method='reml' "
                               "(normal approximation) or check for studies with very few patients.")
    if not res.success and "precision" not in res.message:
        raise ConvergenceError(f"The {what} did not converge: {res.message}. Try method='reml' (normal "
                               "approximation) or check for studies with very few patients.")
    params = res.x
    hess = _numerical_hessian(lambda p: -model.loglik(p), params)
    try:
        cov = np.linalg.inv(hess)
    except np.linalg.LinAlgError:
        cov = np.full_like(hess, np.nan)
    if not np.all(np.isfinite(cov)) or np.any(np.diag(cov)[:model.d] <= 0):
        raise ConvergenceError(f"The {what} converged to a point where the information matrix is singular "
                               "(a variance at 0 or a correlation at +-1); standard errors are undefined. "
                               "Use method='reml' or the univariate models.")
    beta, sigma = model.unpack(params)
    return GlmmFit(beta=beta, vcov=cov[:model.d, :model.d], sigma=sigma, loglik=-float(res.fun),
                   nagq=model.nagq, iterations=int(res.nit))


def _numerical_hessian(f, x: np.ndarray) -> np.ndarray:
    """Central-difference Hessian (step 1e-4 relative), as lme4 computes it for vcov()."""
    n = len(x)
    h = 1e-4 * np.maximum(np.abs(x), 0.1)
    out = np.empty((n, n))
    f0 = f(x)
    for i in range(n):
        for j in range(i, n):
            ei, ej = np.eye(n)[i] * h[i], np.eye(n)[j] * h[j]
            if i == j:
                out[i, i] = (f(x + ei) - 2 * f0 + f(x - ei)) / h[i] ** 2
            else:
                out[i, j] = out[j, i] = ((f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej))
                                         / (4 * h[i] * h[j]))
    return out


def fit_bivariate_glmm(tp, fn, tn, fp, *, nagq: int = 1) -> GlmmFit:
    """Chu & Cole (2006) bivariate binomial GLMM: fixed effects (logit sens, logit spec)."""
    x = np.column_stack([tp, tn])
    n = np.column_stack([tp + fn, tn + fp])
    model = _Glmm(x, n, nagq)
    emp = np.log((x + 0.5) / (n - x + 0.5))
    cov = np.cov(emp, rowvar=False) + 0.05 * np.eye(2)
    chol = np.linalg.cholesky(cov)
    start = np.concatenate([emp.mean(axis=0), chol[np.tril_indices(2)]])
    return _fit(model, start, "bivariate binomial GLMM")


def fit_proportion_glmm(x, n, *, nagq: int = 1) -> GlmmFit:
    """Random-intercept logistic model for one proportion per study."""
    model = _Glmm(np.asarray(x)[:, None], np.asarray(n)[:, None], nagq)
    emp = np.log((x + 0.5) / (n - x + 0.5))
    start = np.array([emp.mean(), max(emp.std(), 0.3)])
    return _fit(model, start, "binomial GLMM")
