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


def _cube(x: np.ndarray) -> None:
    """``x ** 3`` in place, by multiplication (several times faster than ``np.power``)."""
    square = x * x
    x *= square


def loess_curve(p: np.ndarray, y: np.ndarray, weights: np.ndarray, at: np.ndarray,
                span: float = LOESS_SPAN) -> np.ndarray:
    """Loess (degree 2) of ``y`` on ``p`` under each row of case weights, evaluated at ``at``: shape (B, len(at)).

    At a point x0 the neighbourhood radius h is the distance to the q-th nearest patient, q =
    floor(span x n) counting copies (n the sum of the weights); patient i then has weight
    ``w_i (1 - (|p_i - x0| / h)^3)^3`` inside the radius, and the fitted value is the intercept of the
    weighted quadratic in ``p - x0``. Agrees with R's ``loess(y ~ p, surface = "direct")`` to
    1e-12. A neighbourhood holding fewer than three distinct predictions has no unique quadratic: the
    minimum-norm fit is used there (R's pseudoinverse).

    Patients are kept sorted by ``p``, so a neighbourhood is a contiguous slice: each replicate's radius
    is found by bisection on the cumulative weights (no sort per replicate), and the kernel is computed
    in place on the slice that the widest radius covers.
    """
    order = np.argsort(p, kind="stable")
    p, y = p[order], y[order]
    weights = np.asarray(weights, dtype=float)[:, order]
    reach = np.concatenate([np.zeros((weights.shape[0], 1)), np.cumsum(weights, axis=1)], axis=1)
    q = np.floor(span * reach[:, -1])
    rows = np.arange(weights.shape[0])
    scale = max(float(np.ptp(p)), np.finfo(float).tiny)
    out = np.empty((weights.shape[0], at.size))
    for g, x0 in enumerate(at):  # a loop over the evaluation points; each handles every replicate at once
        nearest = np.argsort(np.abs(p - x0), kind="stable")   # positions (in p order) by distance from x0
        distances = np.abs(p[nearest] - x0)
        tied_last = np.searchsorted(distances, distances, side="right") - 1
        # the points within distances[k] (ties included) are the contiguous slice [low[k], high[k]) of p order
        low_at = np.minimum.accumulate(nearest)[tied_last]
        high_at = np.maximum.accumulate(nearest)[tied_last] + 1
        first, last = np.zeros(rows.size, dtype=np.int64), np.full(rows.size, p.size - 1)
        while np.any(first < last):  # per replicate, the smallest k with at least q copies within distances[k]
            middle = (first + last) // 2
            enough = reach[rows, high_at[middle]] - reach[rows, low_at[middle]] >= q
            first, last = np.where(enough, first, middle + 1), np.where(enough, middle, last)
        h = distances[first]
        h = np.where(h > 0, h, np.finfo(float).tiny)
        widest = int(first.max())
        low, high = int(low_at[widest]), int(high_at[widest])
        t = (p[low:high] - x0) / scale
        kernel = np.abs(t)[None, :] / (h[:, None] / scale)
        np.minimum(kernel, 1.0, out=kernel)
        _cube(kernel)
        np.subtract(1.0, kernel, out=kernel)
        _cube(kernel)
        kernel *= weights[:, low:high]
        powers = np.column_stack([t ** k for k in range(5)])
        sums = kernel @ np.column_stack([powers, powers[:, :3] * y[low:high, None]])  # (B, 8)
        gram = sums[:, [[0, 1, 2], [1, 2, 3], [2, 3, 4]]]
        beta = np.einsum("bij,bj->bi", np.linalg.pinv(gram, rcond=1e-13, hermitian=True), sums[:, 5:])
        out[:, g] = beta[:, 0]
    return out


def loess_fitted(p: np.ndarray, y: np.ndarray, at: np.ndarray, span: float = LOESS_SPAN,
                 block: int = 16) -> np.ndarray:
    """Loess of ``y`` on ``p`` (every patient once) at many points ``at``, e.g. at every patient: shape (len(at),).

    The same fit as :func:`loess_curve` with unit weights, for blocks of evaluation points at once: the
    radius is the q-th smallest distance (``np.partition``), the local sums are row sums over the block.
    """
    q = max(int(np.floor(span * p.size)) - 1, 0)
    scale = max(float(np.ptp(p)), np.finfo(float).tiny)
    out = np.empty(at.size)
    for start in range(0, at.size, block):  # blocks of evaluation points, memory bounded by block x n
        x0 = at[start:start + block, None]
        t = (p[None, :] - x0) / scale
        kernel = np.abs(t)
        h = np.partition(kernel, q, axis=1)[:, q:q + 1]
        h = np.where(h > 0, h, np.finfo(float).tiny)
        np.divide(kernel, h, out=kernel)
        np.minimum(kernel, 1.0, out=kernel)
        _cube(kernel)
        np.subtract(1.0, kernel, out=kernel)
        _cube(kernel)
        sums = np.empty((x0.shape[0], 8))
        term = kernel
        for k in range(5):
            sums[:, k] = term.sum(axis=1)
            if k < 3:
                sums[:, 5 + k] = term @ y
            term = term * t
        gram = sums[:, [[0, 1, 2], [1, 2, 3], [2, 3, 4]]]
        beta = np.einsum("bij,bj->bi", np.linalg.pinv(gram, rcond=1e-13, hermitian=True), sums[:, 5:])
        out[start:start + block] = beta[:, 0]
    return out


def logistic_curve(p: np.ndarray, y: np.ndarray, weights: np.ndarray,
                   at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The secondary logistic curve expit(a + b p) under each row of case weights, at ``at``: (B, len(at)),
    and whether each fit converged (it does not under separation)."""
    X = np.column_stack([np.ones_like(p), p])
    beta, converged = fit_logistic_weighted(X, y, weights)
    return expit(beta[:, :1] + beta[:, 1:] * at[None, :]), converged
