"""Cubic splines built on scipy's B-splines: a natural cubic regression-spline basis and a cubic smoothing spline.

* :func:`natural_spline_basis`: the natural cubic splines (cubic between knots, linear beyond the boundary
  knots) with ``df - 1`` interior knots at the quantiles ``j / df`` of ``x`` and boundary knots at its
  range, without the constant: ``df`` columns spanning the same space as R's ``splines::ns(x, df)``, so a
  model fitted on either has the same fitted values (Hastie, Tibshirani & Friedman 2009, section 5.2.1). Built
  as the cubic B-splines of the knots whose second derivative vanishes at both boundary knots and whose
  coefficients sum to 0 (the constant is the model's intercept).
* :func:`smoothing_spline`: a cubic smoothing spline with a given number of equivalent degrees of freedom
  (the trace of the smoother matrix; 2 is the straight line): the minimiser over the cubic splines with
  knots at the distinct ``x`` (at most ``MAX_KNOTS`` of them, evenly spaced by rank, as R's
  ``smooth.spline`` thins its knots) of ``sum_i w_i (y_i - f(x_i))^2 + lambda * integral f''(t)^2 dt`` on
  ``x`` rescaled to [0, 1] (Green & Silverman 1994; Hastie, Tibshirani & Friedman 2009, section 5.4),
  ``lambda`` solved for the degrees of freedom.

>>> import numpy as np
>>> x = np.linspace(0, 1, 50)
>>> natural_spline_basis(x, 3).shape
(50, 3)
>>> fit = smoothing_spline(x, np.sin(3 * x), df=5)
>>> round(float(fit.curve(0.5)), 2)
1.0
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import optimize
from scipy.interpolate import BSpline
from scipy.linalg import null_space

from ..errors import DataError

__all__ = ["natural_spline_basis", "distinct_knots", "smoothing_spline", "SmoothingSpline"]

#: Most knots of :func:`smoothing_spline` (distinct ``x`` evenly spaced by rank beyond that).
MAX_KNOTS = 40
#: Knots of :func:`smoothing_spline` closer than this (on ``x`` rescaled to [0, 1]) are merged.
MIN_KNOT_GAP = 1e-4


class SmoothingSpline(NamedTuple):
    """A fitted :func:`smoothing_spline`: the ``curve`` (a function of the original ``x``), the ``lam`` of the
    criterion on ``x`` rescaled to [0, 1], and the ``knots`` on that scale."""

    curve: BSpline
    lam: float
    knots: np.ndarray


#: Gauss-Legendre nodes and weights on [0, 1], exact for the piecewise quadratic products of second derivatives.
_NODES, _WEIGHTS = (np.polynomial.legendre.leggauss(2)[0] + 1) / 2, np.polynomial.legendre.leggauss(2)[1] / 2


def _cubic_bsplines(knots: np.ndarray) -> BSpline:
    """The cubic B-splines of distinct knots (boundary knots repeated four times), all at once."""
    t = np.r_[[knots[0]] * 3, knots, [knots[-1]] * 3]
    return BSpline(t, np.eye(t.size - 4), 3)


def natural_spline_basis(x: np.ndarray, df: int) -> np.ndarray:
    """Natural cubic spline basis of ``x`` (n,) with ``df`` columns (see the module docstring); the knots must
    be distinct (at least ``df + 1`` distinct values at the quantiles; the caller checks)."""
    knots = np.quantile(x, np.linspace(0, 1, df + 1))
    splines = _cubic_bsplines(knots)
    second = splines.derivative(2)(knots[[0, -1]])                                 # (2, df + 3)
    second = second / np.abs(second).max(axis=1, keepdims=True)
    constraints = np.vstack([second, np.ones(second.shape[1]) / second.shape[1]])
    return splines(x) @ null_space(constraints)


def distinct_knots(x: np.ndarray, df: int) -> bool:
    """Whether the knots of :func:`natural_spline_basis` (quantiles ``j / df``, ``j = 0..df``) are distinct."""
    return np.unique(np.quantile(x, np.linspace(0, 1, df + 1))).size == df + 1


def _penalty(splines: BSpline, knots: np.ndarray) -> np.ndarray:
    """``Sigma[i, j]``: the integral of the product of the second derivatives of B-splines i and j over the knots."""
    edges = np.diff(knots)
    at = knots[:-1, None] + edges[:, None] * _NODES[None, :]                         # (intervals, 2)
    second = splines.derivative(2)(at.ravel()).reshape(*at.shape, -1)                # (intervals, 2, basis)
    return np.einsum("i,j,ija,ijb->ab", edges, _WEIGHTS, second, second)


def _thinned(knots: np.ndarray, gap: float) -> np.ndarray:
    """The sorted ``knots`` (on [0, 1], both ends included) without those closer than ``gap`` to the previous one
    kept; the last knot (1) replaces a kept one too close to it."""
    kept = [knots[0]]
    for knot in knots[1:]:   # at most MAX_KNOTS knots: a short loop over knots, not over patients
        if knot - kept[-1] >= gap:
            kept.append(knot)
    if kept[-1] != knots[-1]:
        kept[-1] = knots[-1]
    return np.asarray(kept)


def smoothing_spline(x: np.ndarray, y: np.ndarray, df: float, max_knots: int = MAX_KNOTS) -> SmoothingSpline:
    """Penalised cubic spline of ``y`` on ``x`` with ``df`` equivalent degrees of freedom (see the module docstring).

    Tied ``x`` are pooled (mean ``y``, weight their count); knots closer than ``MIN_KNOT_GAP`` of the range are
    merged (two predictions 1e-8 apart would make the penalty numerically indefinite). The degrees of freedom
    are those of the Demmler-Reinsch form, ``sum 1 / (1 + lambda mu_k)`` over the eigenvalues ``mu_k`` of the
    penalty relative to the weighted Gram matrix, exact and monotone in ``lambda``. Raises :class:`DataError`
    when ``x`` has too few distinct values for ``df`` (the caller checks the obvious cases first)."""
    distinct, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    means = np.bincount(inverse, weights=y) / counts
    low, width = distinct[0], distinct[-1] - distinct[0]
    scaled = (distinct - low) / width
    knots = scaled if scaled.size <= max_knots else scaled[np.round(np.linspace(0, scaled.size - 1,
                                                                                  max_knots)).astype(int)]
    knots = _thinned(knots, MIN_KNOT_GAP)
    splines = _cubic_bsplines(knots)
    design = splines(scaled)
    gram = design.T @ (counts[:, None] * design)
    penalty = _penalty(splines, knots)
    # Gram = V diag(values) V'; its null space (splines vanishing at every x) carries penalty alone, so the
    # penalty enters the degrees of freedom through its Schur complement on the range of the Gram matrix.
    values, vectors = np.linalg.eigh(gram)
    in_range = values > values.max() * 1e-12
    seen, unseen = vectors[:, in_range], vectors[:, ~in_range]
    reduced = seen.T @ penalty @ seen
    if unseen.size:
        cross = seen.T @ penalty @ unseen
        reduced -= cross @ np.linalg.solve(unseen.T @ penalty @ unseen, cross.T)
    whiten = 1.0 / np.sqrt(values[in_range])
    mu = np.clip(np.linalg.eigvalsh(whiten[:, None] * reduced * whiten[None, :]), 0.0, None)
    scale = 1.0 / max(float(np.median(mu[mu > 0])) if (mu > 0).any() else 1.0, 1e-300)
    if df >= mu.size - 1e-9:
        raise DataError(f"x has {mu.size} effectively distinct values: too few for a smoothing spline with {df:g} "
                        "degrees of freedom")

    def excess_df(log_lambda: float) -> float:
        return float(np.sum(1.0 / (1.0 + scale * np.exp(log_lambda) * mu))) - df

    log_lambda = optimize.brentq(excess_df, -60.0, 60.0, xtol=1e-12)
    lam = scale * np.exp(log_lambda)
    coef = np.linalg.solve(gram + lam * penalty, design.T @ (counts * means))
    t = splines.t
    return SmoothingSpline(BSpline(t * width + low, coef, 3), float(lam), knots)
