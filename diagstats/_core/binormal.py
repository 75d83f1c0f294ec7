"""The binormal ROC curve TPR = Phi(a + b Phi^-1(FPR)) and the variance and covariance of its (partial)
area by Obuchowski & McClish (1997): shared by study planning (``diagstats.planning``) and the
Obuchowski variance of observed curves (``diagstats.roc_analysis.obuchowski_variance``).

References
----------
Obuchowski NA, McClish DK (1997). Sample size determination for diagnostic accuracy studies
involving binormal ROC curve indices. Statistics in Medicine 16:1529-1542.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import integrate, stats

from .quantiles import normal_quantile

__all__ = ["Binormal", "binormal_covariance"]


@dataclass(frozen=True)
class Binormal:
    """One binormal ROC curve TPR = Phi(a + b Phi^-1(FPR)), and its area over an FPR range."""

    a: float
    b: float
    fpr_range: tuple[float, float] | None

    def derivatives(self) -> tuple[float, float]:
        """d(area)/da and d(area)/db (Obuchowski & McClish 1997, Table 1; full or partial area)."""
        a, b = self.a, self.b
        s = math.sqrt(1 + b * b)
        m = a * b / (s * s)
        lo, hi = ((-math.inf, math.inf) if self.fpr_range is None
                  else (normal_quantile(self.fpr_range[0]), normal_quantile(self.fpr_range[1])))
        c1, c2 = s * (lo + m), s * (hi + m)
        height = math.exp(-a * a / (2 * s * s)) / (2 * math.pi)
        mass = stats.norm.cdf(c2) - stats.norm.cdf(c1)
        f = height * math.sqrt(2 * math.pi) / s * mass
        g = height * ((math.exp(-c1 * c1 / 2) - math.exp(-c2 * c2 / 2)) / (s * s)
                      - m * math.sqrt(2 * math.pi) / s * mass)
        return f, g

    def area(self) -> float:
        if self.fpr_range is None:
            return float(stats.norm.cdf(self.a / math.sqrt(1 + self.b**2)))
        lo, hi = normal_quantile(self.fpr_range[0]), normal_quantile(self.fpr_range[1])
        return float(integrate.quad(lambda t: stats.norm.cdf(self.a + self.b * t) * stats.norm.pdf(t), lo, hi,
                                    epsabs=1e-13, epsrel=1e-12)[0])


def binormal_covariance(c1: Binormal, c2: Binormal, r_diseased: float, r_non_diseased: float,
                         ratio: float, same: bool) -> float:
    """n1 * Cov of the two (partial) areas from the ML estimates of (a, b) (Obuchowski & McClish 1997).

    Var: ``f^2 V(a) + g^2 V(b)`` with ``V(a) = (a^2 + 2) / 2 + b^2 / R`` and
    ``V(b) = b^2 (1 + 1 / R) / 2`` (per diseased patient; as published, without a
    ``Cov(a, b)`` term, which makes it Obuchowski's 0.0099 formula when ``b = 1``). Cov (eq. 5):
    ``f1 f2 C(a1, a2) + g1 g2 C(b1, b2) + f1 g2 C(a1, b2) + f2 g1 C(a2, b1)`` with
    ``C(a1, a2) = r_D + r_N b1 b2 / R + r_D^2 a1 a2 / 2``,
    ``C(b1, b2) = b1 b2 (r_N^2 / R + r_D^2) / 2`` and ``C(ai, bj) = r_D^2 ai bj / 2``.
    """
    (f1, g1), (f2, g2) = c1.derivatives(), c2.derivatives()
    a1, b1, a2, b2 = c1.a, c1.b, c2.a, c2.b
    if same:
        return f1**2 * ((a1**2 + 2) / 2 + b1**2 / ratio) + g1**2 * b1**2 * (1 + 1 / ratio) / 2
    rd, rn = r_diseased, r_non_diseased
    c_aa = rd + rn * b1 * b2 / ratio + rd**2 * a1 * a2 / 2
    c_bb = b1 * b2 * (rn**2 / ratio + rd**2) / 2
    return f1 * f2 * c_aa + g1 * g2 * c_bb + f1 * g2 * rd**2 * a1 * b2 / 2 + f2 * g1 * rd**2 * a2 * b1 / 2
