"""Multinomial logistic regression for many weightings of one data set at once.

Cross-validation inside a bootstrap means thousands of refits of the same model (one per
replicate and fold). scikit-learn refits one at a time; here a fit is a vector of case weights
over the same patients (bootstrap counts times "in the training folds"), so all fits share one
design matrix and one batched Newton-Raphson. The model is scikit-learn's
``make_pipeline(StandardScaler(), LogisticRegression(C=C or inf))`` (the tests check the
probabilities against it): predictors standardised on the (weighted) training rows,
softmax over the classes, optional L2 penalty ``1 / (2 C) * sum_k ||w_k||^2`` on the symmetric
(sum-to-zero) coefficients and none on the intercepts, as scikit-learn's multinomial
``LogisticRegression`` does. Coefficients are held against class 0 (fixed at zero); the symmetric
penalty is the quadratic form ``theta' (M kron I) theta`` with ``M = I - J / K`` in those terms.

>>> import numpy as np
>>> X = np.array([[0.0], [1.0], [2.0], [0.5], [1.5], [2.5]])
>>> y = np.array([0, 0, 1, 1, 2, 2])
>>> proba, converged = fit_predict_multinomial(X, y, 3, np.ones((1, 6)))
>>> np.round(proba[0].sum(axis=1), 12).tolist(), bool(converged[0])
([1.0, 1.0, 1.0, 1.0, 1.0, 1.0], True)
"""

from __future__ import annotations

import numpy as np
from scipy.special import softmax


def _standardised_design(X: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per fit: intercept column plus X standardised by the weighted training mean and SD (ddof 0)."""
    total = weights.sum(axis=1, keepdims=True)
    mean = (weights @ X) / total
    var = (weights @ X**2) / total - mean**2
    scale = np.sqrt(np.clip(var, 0.0, None))
    scale = np.where(scale > 1e-12 * (1 + np.abs(mean)), scale, 1.0)  # constant column: as StandardScaler
    Z = (X[None, :, :] - mean[:, None, :]) / scale[:, None, :]
    return np.concatenate([np.ones(Z.shape[:2] + (1,)), Z], axis=2)


def fit_predict_multinomial(X: np.ndarray, y: np.ndarray, n_classes: int, weights: np.ndarray,
                            C: float | None = None, *, max_iter: int = 100,
                            tol: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """Fit one weighted multinomial model per row of ``weights`` and predict every patient.

    Parameters
    ----------
    X : ndarray of shape (n, p)
        Predictors, without an intercept column.
    y : ndarray of shape (n,)
        Class codes ``0 .. n_classes - 1``.
    n_classes : int
    weights : ndarray of shape (F, n)
        Case weights of each fit (zero for patients outside its training set).
    C : float, optional
        Inverse L2 penalty on the standardised coefficients; ``None`` for maximum likelihood.

    Returns
    -------
    proba : ndarray of shape (F, n, n_classes)
        Each fit's predicted probabilities for all n patients (training or not).
    converged : ndarray of bool, shape (F,)
        False where Newton's steps did not settle (separation, or a class absent from the
        training rows: its probabilities then drift towards 0, which is the limit of the fit).
    """
    n_fits, k = weights.shape[0], n_classes
    Z = _standardised_design(np.asarray(X, float), weights)           # (F, n, q)
    q = Z.shape[2]
    d = (k - 1) * q
    onehot = np.eye(k)[y][:, 1:]                                       # (n, k - 1)
    penalty = np.zeros((d, d))
    if C is not None:
        centring = np.eye(k - 1) - 1.0 / k
        mask = np.diag(np.r_[0.0, np.ones(q - 1)])                     # no penalty on intercepts
        penalty = np.kron(centring, mask) / C
    ridge = penalty + 1e-10 * np.eye(d)  # keeps the information invertible under separation
    theta = np.zeros((n_fits, k - 1, q))
    converged = np.zeros(n_fits, dtype=bool)
    active = np.arange(n_fits)                                         # fits still moving
    for _ in range(max_iter):
        Za, wa, ta = Z[active], weights[active], theta[active]
        m = active.size
        proba = _softmax_against_reference(Za @ ta.transpose(0, 2, 1))[:, :, 1:]   # (m, n, k - 1)
        resid = wa[:, :, None] * (onehot[None] - proba)
        score = (resid.transpose(0, 2, 1) @ Za).reshape(m, d) - ta.reshape(m, d) @ penalty
        A = (proba[..., None] * Za[:, :, None, :]).reshape(m, -1, d)   # p_k z, (m, n, d)
        Aw = (A * wa[:, :, None]).transpose(0, 2, 1)
        info = -(Aw @ A)                                               # - sum w p_k p_l z z'
        diagonal = (Aw @ Za).reshape(m, k - 1, q, q)                   # sum w p_k z z'
        blocks = info.reshape(m, k - 1, q, k - 1, q)
        idx = np.arange(k - 1)
        blocks[:, idx, :, idx, :] += diagonal.transpose(1, 0, 2, 3)
        step = np.linalg.solve(info + ridge, score[..., None])[..., 0].reshape(m, k - 1, q)
        theta[active] = ta + step
        done = np.max(np.abs(step), axis=(1, 2)) < tol * (1 + np.max(np.abs(theta[active]), axis=(1, 2)))
        converged[active[done]] = True
        active = active[~done]
        if active.size == 0:
            break
    return _softmax_against_reference(Z @ theta.transpose(0, 2, 1)), converged


def _softmax_against_reference(eta: np.ndarray) -> np.ndarray:
    """Class probabilities from the linear predictors of classes 1..K-1 (class 0 at zero)."""
    return softmax(np.concatenate([np.zeros(eta.shape[:-1] + (1,)), eta], axis=-1), axis=-1)
