"""A proportion of clustered binary units by GEE: logit link, exchangeable working correlation, robust SE.

The arithmetic behind ``ds.accuracy(..., cluster=, ci_method="gee")``. For an intercept-only
logistic GEE (Liang & Zeger 1986) with an exchangeable working correlation alpha, every unit has the
same mean mu, and the estimating equation sum_i D_i' V_i^-1 (y_i - mu) = 0 reduces, because the
rows of an exchangeable inverse sum to 1 / (1 + (n_i - 1) alpha), to a weighted ratio over the
clusters,

    mu = sum_i w_i a_i / sum_i w_i n_i,   w_i = 1 / (1 + (n_i - 1) alpha),

a_i the positive units of the n_i units of cluster i. The robust (sandwich) variance of
beta = logit(mu) is sum_i w_i^2 (a_i - n_i mu)^2 / (mu (1 - mu) sum_i w_i n_i)^2. alpha and the
scale phi are the moment estimators of R's geepack (Halekoh, Hojsgaard & Yan 2006, J Stat Softw
15(2)) from the Pearson residuals r = (y - mu) / sqrt(mu (1 - mu)): phi = sum r^2 / N and
alpha = sum_i sum_{j<k} r_ij r_ik / (phi sum_i n_i (n_i - 1) / 2), iterated with mu to a fixed
point (everything from a_i and n_i: no loop over units). The interval is Wald's on the logit scale,
back-transformed, as in Genders et al. (2012, Radiology 262:844-851), whose GEE results this matches.

>>> import numpy as np
>>> fit = gee_exchangeable(np.array([2, 1, 0, 3]), np.array([3, 1, 2, 3]))
>>> round(fit.estimate, 4), round(float(fit.alpha), 4)
(0.6561, 0.2906)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: The interval method of ``ci_method="gee"``.
GEE_METHOD = "GEE, exchangeable, robust SE, logit (Genders 2012)"

_TOLERANCE = 1e-12
_MAX_ITERATIONS = 200


@dataclass(frozen=True)
class GeeFit:
    """mu, the robust SE of logit(mu), the working correlation alpha and the scale phi; ``why`` if undefined."""

    estimate: float
    se_logit: float
    alpha: float
    phi: float
    why: str = ""


def _pearson_sums(a: np.ndarray, n: np.ndarray, mu: float) -> tuple[float, float]:
    """(sum of r^2, sum over clusters of the within-cluster pair products) of the Pearson residuals."""
    v = mu * (1 - mu)
    squares = (a * (1 - mu) ** 2 + (n - a) * mu ** 2) / v
    cluster_sum = (a - n * mu) / math.sqrt(v)
    return float(squares.sum()), float(np.sum(cluster_sum ** 2 - squares) / 2)


def gee_exchangeable(a: np.ndarray, n: np.ndarray) -> GeeFit:
    """Intercept-only logistic GEE with exchangeable working correlation, from per-cluster counts."""
    a, n = np.asarray(a, dtype=float), np.asarray(n, dtype=float)
    keep = n > 0
    a, n = a[keep], n[keep]
    if a.size < 2:
        return GeeFit(float(a.sum() / n.sum()) if n.sum() else math.nan, math.nan, math.nan, math.nan,
                      "no GEE interval: fewer than 2 clusters contribute")
    total, pairs = n.sum(), float(np.sum(n * (n - 1)) / 2)
    alpha = 0.0
    for _ in range(_MAX_ITERATIONS):
        w = 1 / (1 + (n - 1) * alpha)
        mu = float(np.sum(w * a) / np.sum(w * n))
        if mu <= 0 or mu >= 1:
            return GeeFit(mu, math.nan, alpha, math.nan,
                          f"no GEE interval: every unit is {'negative' if mu <= 0 else 'positive'}, so the logit "
                          "is infinite")
        if pairs == 0:  # every cluster has one unit: independence, nothing to estimate
            squares, _ = _pearson_sums(a, n, mu)
            new_alpha = 0.0
        else:
            squares, products = _pearson_sums(a, n, mu)
            new_alpha = products / (squares / total) / pairs
        if np.any(1 + (n - 1) * new_alpha <= 0):
            return GeeFit(mu, math.nan, new_alpha, math.nan,
                          "no GEE interval: the exchangeable working correlation is too negative for the "
                          "largest cluster (a non-positive-definite working matrix)")
        converged = abs(new_alpha - alpha) < _TOLERANCE
        alpha = new_alpha
        if converged:
            break
    else:
        return GeeFit(mu, math.nan, alpha, math.nan,
                      f"no GEE interval: the working correlation did not converge in {_MAX_ITERATIONS} iterations")
    w = 1 / (1 + (n - 1) * alpha)
    mu = float(np.sum(w * a) / np.sum(w * n))
    variance = np.sum(w ** 2 * (a - n * mu) ** 2) / (mu * (1 - mu) * np.sum(w * n)) ** 2
    squares, _ = _pearson_sums(a, n, mu)
    return GeeFit(mu, float(math.sqrt(variance)), float(alpha), squares / total)


def gee_bounds(a: np.ndarray, n: np.ndarray, z: float) -> tuple[float, float, float, tuple[str, ...]]:
    """GEE estimate, lower and upper bounds (logit Wald, back-transformed) and notes of sum(a) / sum(n)."""
    fit = gee_exchangeable(a, n)
    if fit.why:
        return fit.estimate, math.nan, math.nan, (fit.why,)
    centre = math.log(fit.estimate / (1 - fit.estimate))
    lower, upper = (1 / (1 + math.exp(-(centre + k * z * fit.se_logit))) for k in (-1, 1))
    raw = float(np.sum(a) / np.sum(n))
    notes = ()
    if fit.estimate != raw:
        notes = (f"GEE estimate {fit.estimate:.4f} (clusters weighted by the exchangeable working correlation "
                 f"{fit.alpha:.3f}); the proportion of units is {raw:.4f}",)
    return fit.estimate, lower, upper, notes
