"""The two logistic fits statsmodels lacks: batched refits for the bootstrap, and Firth's fit.

statsmodels fits the models whose coefficients are reported. ``fit_logistic_weighted`` is a
batched Newton-Raphson used where the same model must be refitted for hundreds of bootstrap
replicates, which statsmodels can only do one at a time; a replicate is a vector of case weights
(how many times each patient was drawn), so all replicates share one design matrix.
``fit_logistic_firth`` is Firth's penalised fit, finite under separation.

>>> import numpy as np
>>> X = np.column_stack([np.ones(6), [0, 0, 0, 1, 1, 1]])
>>> y = np.array([0, 0, 1, 0, 1, 1])
>>> beta, converged = fit_logistic_weighted(X, y, np.ones((1, 6)))
>>> np.round(beta, 4), bool(converged[0])
(array([[-0.6931,  1.3863]]), True)
"""

from __future__ import annotations

import numpy as np
from scipy import optimize
from scipy.special import expit


def fit_logistic_weighted(X: np.ndarray, y: np.ndarray, weights: np.ndarray, *, max_iter: int = 100,
                          tol: float = 1e-10, start: np.ndarray | None = None,
                          each_to_its_own: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood logistic coefficients for each row of ``weights``.

    Parameters
    ----------
    X : ndarray of shape (n, p)
        Design matrix (with its intercept column).
    y : ndarray of shape (n,)
        0/1 outcome.
    weights : ndarray of shape (B, n)
        Case weights of each fit (bootstrap counts).
    start : ndarray of shape (p,) or (B, p), optional
        Starting coefficients of every fit, or of each (e.g. the fit on all patients, for bootstrap
        refits, or the previous iteration's fits, in EM: fewer Newton steps); zeros by default.
    each_to_its_own : bool, default False
        False: every fit takes Newton steps until all have converged (a fit that converged early is
        polished further, by less than ``tol``). True: a fit stops at its own convergence, so its
        coefficients are exactly those of fitting it alone, whatever the other rows of ``weights``,
        and fits that have converged cost nothing while others (e.g. separated ones) keep iterating.

    Returns
    -------
    beta : ndarray of shape (B, p)
    converged : ndarray of bool, shape (B,)
        False where the fit did not settle (usually complete separation in a replicate: the
        coefficients drift to infinity while the fitted probabilities approach 0 or 1).
    """
    n_fits, p = weights.shape[0], X.shape[1]
    if start is None:
        beta = np.zeros((n_fits, p))
    else:
        beta = np.broadcast_to(np.asarray(start, dtype=float), (n_fits, p)).copy()
    converged = np.zeros(n_fits, dtype=bool)
    ridge = 1e-10 * np.eye(p)  # keeps the Hessian invertible under separation
    # every fit's information X' diag(v) X at once: the row products of X's column pairs, (n, p * p), then one
    # matrix product with the fits' working weights v, (B, n)
    pairs = (X[:, :, None] * X[:, None, :]).reshape(X.shape[0], p * p)
    if each_to_its_own:
        return _fit_each_to_its_own(X, y, weights, beta, pairs, ridge, max_iter, tol)
    for _ in range(max_iter):
        mu = expit(beta @ X.T)
        score = (weights * (y - mu)) @ X
        info = ((weights * mu * (1 - mu)) @ pairs).reshape(n_fits, p, p) + ridge
        step = np.linalg.solve(info, score[..., None])[..., 0]
        beta = beta + step
        converged = np.max(np.abs(step), axis=1) < tol * (1 + np.max(np.abs(beta), axis=1))
        if converged.all():
            break
    return beta, converged


def _fit_each_to_its_own(X: np.ndarray, y: np.ndarray, weights: np.ndarray, beta: np.ndarray, pairs: np.ndarray,
                         ridge: np.ndarray, max_iter: int, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """The Newton steps of :func:`fit_logistic_weighted`, taken only by the fits not yet converged."""
    p = X.shape[1]
    converged = np.zeros(len(beta), dtype=bool)
    active = np.arange(len(beta))
    for _ in range(max_iter):
        b, w = beta[active], weights[active]
        mu = expit(b @ X.T)
        score = (w * (y - mu)) @ X
        info = ((w * mu * (1 - mu)) @ pairs).reshape(len(active), p, p) + ridge
        step = np.linalg.solve(info, score[..., None])[..., 0]
        b = b + step
        done = np.max(np.abs(step), axis=1) < tol * (1 + np.max(np.abs(b), axis=1))
        beta[active] = b
        converged[active[done]] = True
        active = active[~done]
        if not active.size:
            break
    return beta, converged


def fit_logistic_firth(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Firth's (1993) penalised-likelihood logistic fit: the posterior mode under the Jeffreys prior.

    Unlike the maximum-likelihood fit, the estimates stay finite under complete or quasi-complete
    separation (Heinze & Schemper 2002), e.g. when no verified test-negative patient is diseased.
    statsmodels has no Firth fit: scipy's BFGS maximises ``l(beta) + log|I(beta)| / 2``, whose
    gradient is Firth's modified score ``X'(y - mu + h (1/2 - mu))`` with ``h`` the leverages, and
    Newton steps on that score then set it to zero.
    With only an intercept and a binary predictor it gives (y + 1/2) / (n + 1) in each group.

    Returns the coefficients and their covariance, the inverse Fisher information at the estimate.

    Firth D (1993). Bias reduction of maximum likelihood estimates. Biometrika 80:27-38.
    Heinze G, Schemper M (2002). A solution to the problem of separation in logistic regression.
    Stat Med 21:2409-2419.

    >>> X = np.column_stack([np.ones(6), [0, 0, 0, 1, 1, 1]])
    >>> beta, cov = fit_logistic_firth(X, np.array([0, 0, 0, 1, 1, 1]))  # complete separation
    >>> np.round(expit(beta[0] + np.array([0.0, beta[1]])), 4)  # 0.5 / 4 and 3.5 / 4
    array([0.125, 0.875])
    """
    def information(mu: np.ndarray) -> np.ndarray:
        return X.T @ ((mu * (1 - mu))[:, None] * X)

    def objective(beta: np.ndarray) -> tuple[float, np.ndarray]:
        eta = X @ beta
        mu = expit(eta)
        info = information(mu)
        loglik = -np.sum(y * np.logaddexp(0, -eta) + (1 - y) * np.logaddexp(0, eta))
        leverage = mu * (1 - mu) * np.einsum("ij,ij->i", X @ np.linalg.inv(info), X)
        score = X.T @ (y - mu + leverage * (0.5 - mu))
        return -(loglik + 0.5 * np.linalg.slogdet(info)[1]), -score

    beta = optimize.minimize(objective, np.zeros(X.shape[1]), jac=True, method="BFGS",
                             options={"gtol": 1e-10, "maxiter": 1000}).x
    # Near the optimum the penalised likelihood is too flat for line searches in floating point:
    # finish with Newton steps on the modified score itself (its Jacobian by central differences),
    # halved until the score shrinks.
    def score(beta: np.ndarray) -> np.ndarray:
        return -objective(beta)[1]

    for _iteration in range(50):
        current = score(beta)
        if np.max(np.abs(current)) < 1e-12 * len(y):
            break
        eye = 1e-6 * np.eye(len(beta))
        jacobian = np.column_stack([(score(beta + e) - score(beta - e)) / 2e-6 for e in eye])
        step = np.linalg.solve(jacobian, -current)
        for _halving in range(30):
            if np.max(np.abs(score(beta + step))) < np.max(np.abs(current)):
                break
            step /= 2
        else:
            break
        beta = beta + step
    return beta, np.linalg.inv(information(expit(X @ beta)))
