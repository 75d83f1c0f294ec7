"""The standard bivariate normal distribution function F(h, k; rho) = P(Z1 <= h, Z2 <= k), vectorised.

Owen's (1956) reduction to his T function (``scipy.special.owens_t``, accurate to machine precision):

    F(h, k; rho) = (Phi(h) + Phi(k)) / 2 - T(h, a_h) - T(k, a_k) - beta,
    a_h = (k - rho h) / (h sqrt(1 - rho^2)),  a_k = (h - rho k) / (k sqrt(1 - rho^2)),

with beta = 1/2 when h k < 0 (or h k = 0 with h + k < 0) and 0 otherwise; T(0, +-inf) = +-1/4, F(0, 0; rho) =
1/4 + arcsin(rho) / (2 pi), and F(h, k; +-1) the degenerate limits. Used by the Roe-Metz to Obuchowski-Rockette
mapping (:mod:`diagstats.simulate.or_parameters`), where every AUC (co)variance is a sum of such probabilities.

Reference: Owen DB (1956) Tables for computing bivariate normal probabilities. Ann Math Stat 27:1075-1090.
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["bivariate_normal_cdf"]


def _owen_term(h: np.ndarray, k: np.ndarray, root: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """T(h, (k - rho h) / (h root)), with its limit sign(k - rho h) / 4 at h = 0."""
    zero = h == 0
    a = (k - rho * h) / (np.where(zero, 1.0, h) * root)
    return np.where(zero, np.sign(k - rho * h) / 4, special.owens_t(h, a))


def bivariate_normal_cdf(h: np.ndarray | float, k: np.ndarray | float, rho: np.ndarray | float) -> np.ndarray:
    """P(Z1 <= h, Z2 <= k) for standard normals with correlation ``rho`` (arrays broadcast; |rho| <= 1).

    >>> float(bivariate_normal_cdf(0.0, 0.0, 0.5))  # 1/4 + arcsin(1/2) / (2 pi) = 1/3
    0.3333333333333333
    >>> float(bivariate_normal_cdf(1.0, 2.0, 1.0)) == float(special.ndtr(1.0))
    True
    """
    h, k, rho = np.broadcast_arrays(np.asarray(h, dtype=float), np.asarray(k, dtype=float),
                                    np.asarray(rho, dtype=float))
    inner = np.abs(rho) < 1
    r = np.where(inner, rho, 0.0)
    root = np.sqrt(1 - r * r)
    both_zero = (h == 0) & (k == 0)
    hs, ks = np.where(both_zero, 1.0, h), np.where(both_zero, 1.0, k)
    beta = np.where((hs * ks < 0) | ((hs * ks == 0) & (hs + ks < 0)), 0.5, 0.0)
    general = ((special.ndtr(hs) + special.ndtr(ks)) / 2 - _owen_term(hs, ks, root, r) - _owen_term(ks, hs, root, r)
               - beta)
    general = np.where(both_zero, 0.25 + np.arcsin(r) / (2 * np.pi), general)
    upper = special.ndtr(np.minimum(h, k))                                    # rho = 1
    lower = np.maximum(special.ndtr(h) + special.ndtr(k) - 1, 0.0)           # rho = -1
    out = np.where(inner, general, np.where(rho > 0, upper, lower))
    return np.clip(out, 0.0, 1.0)
