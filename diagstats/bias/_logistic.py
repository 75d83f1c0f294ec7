"""Logistic regression for many weightings of one data set at once (bootstrap replicates).

statsmodels fits the models whose coefficients are reported; this batched Newton-Raphson is
only used where the same model must be refitted for hundreds of bootstrap replicates, which
statsmodels can only do one at a time. A replicate is a vector of case weights (how many times
each patient was drawn), so all replicates share one design matrix.

>>> import numpy as np
>>> X = np.column_stack([np.ones(6), [0, 0, 0, 1, 1, 1]])
>>> y = np.array([0, 0, 1, 0, 1, 1])
>>> beta, converged = fit_logistic_weighted(X, y, np.ones((1, 6)))
>>> np.round(beta, 4), bool(converged[0])
(array([[-0.6931,  1.3863]]), True)
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit


def fit_logistic_weighted(X: np.ndarray, y: np.ndarray, weights: np.ndarray, *, max_iter: int = 100,
                          tol: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood logistic coefficients for each row of ``weights``.

    Parameters
    ----------
    X : ndarray of shape (n, p)
        Design matrix (with its intercept column).
    y : ndarray of shape (n,)
        0/1 outcome.
    weights : ndarray of shape (B, n)
        Case weights of each fit (bootstrap counts).

    Returns
    -------
    beta : ndarray of shape (B, p)
    converged : ndarray of bool, shape (B,)
        False where the fit did not settle (usually complete separation in a replicate: the
        coefficients drift to infinity while the fitted probabilities approach 0 or 1).
    """
    n_fits, p = weights.shape[0], X.shape[1]
    beta = np.zeros((n_fits, p))
    converged = np.zeros(n_fits, dtype=bool)
    ridge = 1e-10 * np.eye(p)  # keeps the Hessian invertible under separation
    for _ in range(max_iter):
        mu = expit(beta @ X.T)
        score = (weights * (y - mu)) @ X
        info = np.matmul((weights * mu * (1 - mu))[:, None, :] * X.T[None], X) + ridge
        step = np.linalg.solve(info, score[..., None])[..., 0]
        beta = beta + step
        converged = np.max(np.abs(step), axis=1) < tol * (1 + np.max(np.abs(beta), axis=1))
        if converged.all():
            break
    return beta, converged
