"""The two calibration curves of :func:`~diagstats.utility.risk_calibration.calibration`, for many case weightings
at once.

A bootstrap replicate is a vector of case weights (how often each patient was drawn), so every
replicate shares the patients' predictions and outcomes and all replicates are fitted together.

* ``loess``: R's ``loess(y ~ p)`` with its defaults (local quadratic regression, tricube weights over
  the nearest ``span`` share of patients, no robustness iterations; Cleveland, Grosse & Shyu 1992),
  evaluated directly at each point (R's ``surface = "direct"``). With integer case weights the
  neighbourhood counts each copy of a patient, so a replicate's curve is loess on the resampled data.
* ``logistic``: the secondary logistic curve ``glm(y ~ p, binomial)`` of Steyerberg's worked example.

>>> import numpy as np
>>> p = np.linspace(0.05, 0.95, 40)
>>> y = (np.arange(40) % 3 == 0).astype(float)
>>> curve = loess_curve(p, y, np.ones((1, 40)), np.array([0.5]))
>>> curve.shape
(1, 1)
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from .._core.logistic import fit_logistic_weighted

LOESS_SPAN = 0.75


def loess_curve(p: np.ndarray, y: np.ndarray, weights: np.ndarray, at: np.ndarray,
                span: float = LOESS_SPAN) -> np.ndarray:
    """Loess (degree 2) of ``y`` on ``p`` under each row of case weights, evaluated at ``at``: shape (B, len(at)).

    At a point x0 the neighbourhood radius h is the distance to the q-th nearest patient, q =
    floor(span x n) counting copies (n the sum of the weights); patient i then has weight
    ``w_i (1 - (|p_i - x0| / h)^3)^3`` inside the radius, and the fitted value is the intercept of the
    weighted quadratic in ``(p - x0) / h``. Agrees with R's ``loess(y ~ p, surface = "direct")`` to
    1e-12. A neighbourhood holding fewer than three distinct predictions has no unique quadratic: the
    minimum-norm fit is used there (R's pseudoinverse).
    """
    weights = np.asarray(weights, dtype=float)
    total = weights.sum(axis=1)
    q = np.floor(span * total)
    out = np.empty((weights.shape[0], at.size))
    for g, x0 in enumerate(at):  # a loop over the evaluation points; each handles every replicate at once
        distance = np.abs(p - x0)
        order = np.argsort(distance, kind="stable")
        reach = np.cumsum(weights[:, order], axis=1)
        nearest = np.minimum((reach < q[:, None]).sum(axis=1), p.size - 1)
        h = distance[order][nearest]
        h = np.where(h > 0, h, np.finfo(float).tiny)
        u = distance[None, :] / h[:, None]
        kernel = weights * np.where(u < 1, (1 - np.minimum(u, 1) ** 3) ** 3, 0.0)
        scale = max(float(np.max(distance)), np.finfo(float).tiny)
        t = (p - x0) / scale
        powers = np.column_stack([t ** k for k in range(5)])
        moments = kernel @ powers                               # (B, 5): sums of w t^k
        targets = kernel @ (powers[:, :3] * y[:, None])         # (B, 3): sums of w y t^k
        gram = moments[:, [[0, 1, 2], [1, 2, 3], [2, 3, 4]]]
        beta = np.einsum("bij,bj->bi", np.linalg.pinv(gram, rcond=1e-13, hermitian=True), targets)
        out[:, g] = beta[:, 0]
    return out


def logistic_curve(p: np.ndarray, y: np.ndarray, weights: np.ndarray,
                   at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The secondary logistic curve expit(a + b p) under each row of case weights, at ``at``: (B, len(at)),
    and whether each fit converged (it does not under separation)."""
    X = np.column_stack([np.ones_like(p), p])
    beta, converged = fit_logistic_weighted(X, y, weights)
    return expit(beta[:, :1] + beta[:, 1:] * at[None, :]), converged
