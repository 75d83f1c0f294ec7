"""Standard normal quantiles, named by what they are for.

>>> round(z_two_sided(0.95), 6), round(z_one_sided(0.05), 6), round(z_critical(0.05, "two-sided"), 6)
(1.959964, 1.644854, 1.959964)
"""

from __future__ import annotations

from scipy import stats


def z_two_sided(level: float) -> float:
    """z with P(-z < Z < z) = ``level``: the multiplier of a two-sided ``level`` confidence interval."""
    return float(stats.norm.ppf(0.5 + level / 2))


def z_one_sided(alpha: float) -> float:
    """z with P(Z > z) = ``alpha``: the critical value of a one-sided test at ``alpha``."""
    return float(stats.norm.ppf(1 - alpha))


def z_critical(alpha: float, alternative: str) -> float:
    """Critical value of a test at ``alpha``: z_{1 - alpha/2} if two-sided, else z_{1 - alpha}."""
    return float(stats.norm.ppf(1 - alpha / 2)) if alternative == "two-sided" else z_one_sided(alpha)


def normal_quantile(p: float) -> float:
    """The ``p`` quantile of the standard normal (probit), e.g. for a power or a binormal AUC."""
    return float(stats.norm.ppf(p))
