"""Interval shapes for a proportion of clustered units, built on its ratio-estimator variance.

``ds.accuracy(..., cluster=, ci_method="ratio", ratio_interval=...)``. Each proportion
p = sum(a_i) / sum(n_i) of the units has the ratio-estimator variance v (Rao & Scott 1992; Genders
et al. 2012) over the m patients that contribute to it. The shapes differ in what they build on it:

- ``"korn_graubard"`` (the default): the Clopper-Pearson interval of an *effective* sample. Kish's
  (1965, Survey Sampling, section 8.2) effective number of units is n* = n / deff = p (1 - p) / v;
  Korn & Graubard (1998, Survey Methodology 24:193-201, "Confidence intervals for proportions with
  small expected number of positive counts estimated from survey data") shrink it further for the
  few degrees of freedom of a clustered variance, n*_df = n* (z / t_{m-1})^2, and take the exact
  binomial (beta) limits with x* = p n*_df "successes" in n*_df trials. Recommended for clustered
  proportions by Dean & Pagano (2015, J Surv Stat Methodol 3:484-503).
- ``"wald"``: p +/- z sqrt(v), cut at 0 and 1 (Genders et al. 2012's interval; their published
  numbers are reproduced with it).
- ``"wald_t"``: p +/- t_{m-1} sqrt(v).
- ``"logit"``: Wald on the logit scale with the delta-method SE sqrt(v) / (p (1 - p)), back-transformed.
- ``"wilson"``: Wilson's score interval with n* units (Kish's effective sample size; no df adjustment).

Where every contributing unit agrees (p = 0 or 1) the variance is 0 and n* undefined; the
effective-sample shapes then take n* = n (no design effect; Korn-Graubard still shrinks it for the
degrees of freedom), as Korn & Graubard do, and the logit
interval, undefined there, falls back to the Clopper-Pearson interval of the units. The Wald shapes
give the single point p.

:mod:`diagstats.studies.cluster_validation` measures their coverage at the lesion simulator's
within-patient correlation.

>>> import numpy as np
>>> lo, hi = ratio_interval(np.array([0.9]), np.array([0.0009]), np.array([100]), np.array([40]), 0.95,
...                         "korn_graubard")
>>> round(float(lo[0]), 4), round(float(hi[0]), 4)
(0.8208, 0.9523)
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.special import expit, logit

from .._core.quantiles import z_two_sided

#: The interval shapes, by ``ratio_interval=`` name, with the label results carry.
RATIO_INTERVALS = {
    "korn_graubard": "ratio estimator, Korn-Graubard",
    "wald": "ratio estimator (Genders 2012)",
    "wald_t": "ratio estimator, Wald with t (m - 1 df)",
    "logit": "ratio estimator, logit Wald",
    "wilson": "ratio estimator, Wilson with effective n",
}


def effective_size(p: np.ndarray, var: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Kish's effective number of units p (1 - p) / v = n / deff; n where v is 0 (p at 0 or 1)."""
    p, var, n = (np.asarray(v, dtype=float) for v in (p, var, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(var > 0, p * (1 - p) / var, n)


def ratio_interval(p: np.ndarray, var: np.ndarray, n: np.ndarray, m: np.ndarray, level: float,
                   shape: str) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of proportions ``p`` with ratio-estimator variances ``var``, ``n`` units
    and ``m`` contributing clusters (arrays of one shape; m >= 2), by the interval ``shape``."""
    p, var, n, m = (np.asarray(v, dtype=float) for v in (p, var, n, m))
    z = z_two_sided(level)
    t = stats.t.ppf(0.5 + level / 2, m - 1)
    se = np.sqrt(var)
    if shape in ("wald", "wald_t"):
        half = (z if shape == "wald" else t) * se
        return np.maximum(p - half, 0.0), np.minimum(p + half, 1.0)
    n_eff = effective_size(p, var, n)
    if shape == "wilson":
        return _wilson(p, n_eff, z)
    if shape == "korn_graubard":
        return _clopper_pearson(p * n_eff * (z / t) ** 2, n_eff * (z / t) ** 2, level)
    inner = (p > 0) & (p < 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre, half = logit(p), z * se / (p * (1 - p))
    exact = _clopper_pearson(p * n, n, level)
    return (np.where(inner, expit(centre - half), exact[0]), np.where(inner, expit(centre + half), exact[1]))


def _wilson(p: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson's score interval for proportion p of n (possibly fractional) units."""
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def _clopper_pearson(x: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Beta-quantile (Clopper-Pearson) limits for x of n, both possibly fractional; 0 and 1 at the edges."""
    alpha = 1 - level
    with np.errstate(invalid="ignore"):
        lower = np.where(x > 0, stats.beta.ppf(alpha / 2, x, n - x + 1), 0.0)
        upper = np.where(x < n, stats.beta.ppf(1 - alpha / 2, x + 1, n - x), 1.0)
    return lower, upper
