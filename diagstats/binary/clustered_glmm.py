"""A proportion of clustered binary units by a random-intercept logistic model (GLMM), fitted by maximum likelihood.

The arithmetic behind ``ds.accuracy(..., cluster=, ci_method="glmm")``. The units of cluster (patient)
i are independent given a patient effect u_i: y_ij ~ Bernoulli(expit(beta + u_i)), u_i ~ N(0, sigma^2),
the model of Genders et al. (2012, Radiology 262:844-851, "random-effects logistic regression") and of
lme4's ``glmer(y ~ 1 + (1 | patient), family = binomial)``. The marginal likelihood is integrated by
adaptive Gauss-Hermite quadrature with :data:`GLMM_NAGQ` nodes (Liu & Pierce 1994; Pinheiro & Bates
1995), by the same code as the binomial GLMMs of ``ds.meta`` (:mod:`diagstats.meta._glmm`), from
the per-patient counts (a_i positive of n_i units): no loop over units.

What it estimates: expit(beta) is the **conditional** proportion, that of the median patient (a patient
with u_i = 0); it is the estimate reported, with the Wald interval of beta (SE from the
central-difference Hessian of the marginal log-likelihood) back-transformed. It is further from 1/2
than the **population-averaged** proportion E[expit(beta + u)] (the proportion over all patients'
units, what the ratio estimator and GEE estimate), which a note gives beside it with the between-patient
SD sigma of the logit.

>>> import numpy as np
>>> fit = glmm_bounds(np.array([2, 1, 0, 3, 2]), np.array([3, 1, 2, 3, 2]), 1.959964)
>>> round(fit[0], 3)
0.855
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import expit

from ..errors import ConvergenceError
from ..meta._glmm import fit_proportion_glmm

#: Adaptive Gauss-Hermite nodes of ``ci_method="glmm"`` (lme4's ``nAGQ``).
GLMM_NAGQ = 9

#: The interval method of ``ci_method="glmm"``.
GLMM_METHOD = f"random-intercept logistic GLMM (ML, {GLMM_NAGQ}-node adaptive quadrature), median patient, logit Wald"

_POPULATION_NODES = np.polynomial.hermite.hermgauss(40)


def population_averaged(beta: float, sigma: float) -> float:
    """E[expit(beta + sigma Z)], Z standard normal (Gauss-Hermite, 40 nodes)."""
    nodes, weights = _POPULATION_NODES
    return float(np.sum(weights * expit(beta + math.sqrt(2.0) * sigma * nodes)) / math.sqrt(math.pi))


def glmm_bounds(a: np.ndarray, n: np.ndarray, z: float) -> tuple[float, float, float, tuple[str, ...]]:
    """Median-patient estimate, lower and upper bounds (logit Wald) and notes of a clustered proportion."""
    a, n = np.asarray(a, dtype=float), np.asarray(n, dtype=float)
    keep = n > 0
    a, n = a[keep], n[keep]
    raw = float(a.sum() / n.sum()) if n.sum() else math.nan
    if a.size < 2:
        return raw, math.nan, math.nan, ("no GLMM interval: fewer than 2 clusters contribute",)
    if a.sum() in (0, n.sum()):
        return raw, math.nan, math.nan, (f"no GLMM interval: every unit is {'negative' if a.sum() == 0 else 'positive'}"
                                         ", so the maximum-likelihood logit is infinite",)
    try:
        fit = fit_proportion_glmm(a, n, nagq=GLMM_NAGQ)
    except ConvergenceError as error:
        return raw, math.nan, math.nan, (f"no GLMM interval: {error}",)
    beta, se = float(fit.beta[0]), math.sqrt(float(fit.vcov[0, 0]))
    sigma = math.sqrt(float(fit.sigma[0, 0]))
    lower, upper = (float(expit(beta + k * z * se)) for k in (-1, 1))
    note = (f"GLMM estimate {expit(beta):.4f} is the median patient's (conditional) proportion; population-averaged "
            f"{population_averaged(beta, sigma):.4f}, between-patient SD of the logit {sigma:.3f}; the proportion of "
            f"units is {raw:.4f}")
    return float(expit(beta)), lower, upper, (note,)
