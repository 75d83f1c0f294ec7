"""The t-alpha family of transformations of a proportion (Doebler, Holling & Böhning 2012).

``t_a(x) = a log(x) - (2 - a) log(1 - x)`` for ``0 < a < 2``; ``a = 1`` is the logit. The bivariate
model (``ds.meta.bivariate(alpha_sensitivity=, alpha_fpr=)``) is fitted to t-alpha transformed
sensitivities and false-positive rates, and its summary point, SROC curve and regions are mapped back
with the inverse, which has no closed form for ``a != 1`` and is found numerically (vectorised).

Reference: Doebler P, Holling H, Böhning D (2012). A mixed model approach to meta-analysis of
diagnostic studies with binary test outcome. Psychological Methods 17:418-436.

>>> import numpy as np
>>> from diagstats.meta.t_alpha import transform, inverse
>>> y = transform(np.array([0.2, 0.9]), 0.5)
>>> np.round(inverse(y, 0.5), 12).tolist()
[0.2, 0.9]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit, log_expit

from .._input import check_number


def check_alpha(value: Any, name: str) -> float:
    """An alpha of the t-alpha family: a number strictly between 0 and 2."""
    return check_number(value, name, low=0, high=2, strict=True,
                        what="the t-alpha transformation of Doebler et al. 2012; 1 is the logit")


def transform(x: Any, a: float) -> np.ndarray:
    """``t_a(x) = a log(x) - (2 - a) log(1 - x)`` elementwise."""
    x = np.asarray(x, dtype=float)
    return a * np.log(x) - (2 - a) * np.log1p(-x)


def derivative(x: Any, a: float) -> np.ndarray:
    """``t_a'(x) = a / x + (2 - a) / (1 - x)``."""
    x = np.asarray(x, dtype=float)
    return a / x + (2 - a) / (1 - x)


def within_variance(events: Any, n: Any, a: float) -> np.ndarray:
    """Delta-method variance of ``t_a(events / n)``: ``t_a'(p)^2 p (1 - p) / n`` (``1/events + 1/non-events``
    for the logit)."""
    events, n = np.asarray(events, dtype=float), np.asarray(n, dtype=float)
    p = events / n
    return derivative(p, a) ** 2 * p * (1 - p) / n


def _on_logit(u: np.ndarray, a: float) -> np.ndarray:
    """``t_a(expit(u))`` computed without loss of precision in the tails."""
    return a * log_expit(u) - (2 - a) * log_expit(-u)


def inverse(y: Any, a: float) -> np.ndarray:
    """The ``x`` in (0, 1) with ``t_a(x) = y``, elementwise.

    ``g(u) = t_a(expit(u))`` is increasing in ``u = logit(x)`` with slope between ``min(a, 2 - a)``
    and ``max(a, 2 - a)``, so the root lies within ``|y - g(0)| / min(a, 2 - a)`` of 0: bisection
    brackets it and Newton steps polish it to machine precision.
    """
    y = np.asarray(y, dtype=float)
    if a == 1.0:
        return expit(y)
    infinite = np.isinf(y)
    limit = (y > 0).astype(float)                          # t_a^{-1}(-inf) = 0, t_a^{-1}(+inf) = 1
    y = np.where(infinite, 0.0, y)
    slope = min(a, 2 - a)
    centre = (2 - 2 * a) * np.log(2)                       # g(0)
    width = np.abs(y - centre) / slope + 1.0
    lo, hi = -width, width
    for _ in range(60):
        mid = (lo + hi) / 2
        below = _on_logit(mid, a) < y
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    u = (lo + hi) / 2
    for _ in range(3):
        x = expit(u)
        u = u - (_on_logit(u, a) - y) / (a * (1 - x) + (2 - a) * x)
    return np.where(infinite, limit, expit(u))


def inverse_slope(y: Any, a: float) -> np.ndarray:
    """``d t_a^{-1}(y) / dy = 1 / t_a'(x)`` at ``x = t_a^{-1}(y)``."""
    return 1.0 / derivative(inverse(y, a), a)
