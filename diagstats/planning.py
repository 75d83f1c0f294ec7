"""Sample size and power for diagnostic accuracy studies.

>>> import diagstats as ds
>>> plan = ds.planning.sample_size_accuracy(sensitivity=0.90, specificity=0.85, prevalence=0.2, half_width=0.05)
>>> plan.n, plan.n_diseased, plan.n_non_diseased
(692, 139, 553)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ._input import check_level, check_option, check_positive_number, check_probability
from .errors import OptionError
from .results import ResultTable

ACCURACY_METHODS = {"wald": "Buderer 1996 (normal approximation)", "exact": "Clopper-Pearson interval width"}
AUC_METHODS = {"hanley_mcneil": "Hanley & McNeil 1982/1983", "obuchowski": "Obuchowski & McClish 1997 (binormal, b = 1)"}


@dataclass(frozen=True, repr=False)
class SampleSize(ResultTable):
    """A planned sample size: the total and its parts, with the inputs that produced them.

    Attributes
    ----------
    n : int
        Patients to enrol (rounded up).
    n_diseased, n_non_diseased : int
        Of which diseased / non-diseased (expected, from the prevalence where one was given).
    exact : float
        The total before rounding up.
    power : float or None
        Achieved power at ``n`` (tests), or None (estimation).
    method : str
    inputs : dict
        The arguments, for the record.
    """

    n: int
    n_diseased: int
    n_non_diseased: int
    exact: float
    method: str
    inputs: dict[str, Any]
    power: float | None = None
    notes: tuple[str, ...] = field(default=())

    title = "Sample size"

    def header_lines(self) -> list[str]:
        return [f"method: {self.method}"]

    def to_frame(self) -> pd.DataFrame:
        rows = [("n", self.n), ("n_diseased", self.n_diseased), ("n_non_diseased", self.n_non_diseased),
                ("n_unrounded", self.exact)]
        if self.power is not None:
            rows.append(("power", self.power))
        rows += [(k, v) for k, v in self.inputs.items()]
        return pd.DataFrame({"quantity": [r[0] for r in rows], "value": [r[1] for r in rows]})

    def __repr__(self) -> str:
        return f"SampleSize(n={self.n}, n_diseased={self.n_diseased}, n_non_diseased={self.n_non_diseased})"


def _z(p: float) -> float:
    return float(stats.norm.ppf(p))


def _exact_n(p: float, half_width: float, level: float) -> int:
    """Smallest n whose Clopper-Pearson interval at x = round(n p) is at most 2 * half_width wide."""
    alpha = 1 - level
    start = max(int(_z(1 - alpha / 2) ** 2 * p * (1 - p) / half_width**2 / 2), 1)
    for block in range(40):  # blocks of candidate n, each evaluated as one vector
        n = np.arange(start + 2000 * block, start + 2000 * (block + 1), dtype=float)
        x = np.round(n * p)
        lower = np.where(x > 0, stats.beta.ppf(alpha / 2, np.maximum(x, 1e-300), n - x + 1), 0.0)
        upper = np.where(x < n, stats.beta.ppf(1 - alpha / 2, x + 1, np.maximum(n - x, 1e-300)), 1.0)
        ok = np.nonzero(upper - lower <= 2 * half_width)[0]
        if ok.size:
            return int(n[ok[0]])
    raise OptionError(f"half_width={half_width} is too small to reach with fewer than {start + 80000} patients.")


def sample_size_accuracy(*, sensitivity: float | None = None, specificity: float | None = None, prevalence: float,
                         half_width: float, level: float = 0.95, method: str = "wald") -> SampleSize:
    """Patients needed to estimate sensitivity and/or specificity to a given interval half-width.

    Buderer (1996): the diseased needed for sensitivity are ``z^2 Se (1 - Se) / w^2`` and the
    total is that divided by the prevalence; likewise for specificity with ``1 - prevalence``.
    The total is the larger of the two, rounded up. ``method="exact"`` instead finds the
    smallest number of diseased (non-diseased) patients whose Clopper-Pearson interval, at the
    expected count of true positives (negatives), is at most ``2 * half_width`` wide; useful
    when the accuracy is close to 1, where the normal approximation is too optimistic.

    Parameters
    ----------
    sensitivity, specificity : float, optional
        Expected values (at least one).
    prevalence : float
        Expected proportion diseased among the enrolled, in (0, 1).
    half_width : float
        Desired half-width of the interval (0.05 for +/- 5 percentage points).
    level : float, default 0.95
    method : {"wald", "exact"}, default "wald"

    Returns
    -------
    SampleSize

    Notes
    -----
    With ``method="wald"`` the unrounded total equals epiR 2.0.57 ``epi.ssdxsesp(error="absolute",
    nfractional=TRUE)`` to 1e-9 and the total its default (rounded) output (committed fixture).

    References
    ----------
    Buderer NMF (1996). Statistical methodology: I. Incorporating the prevalence of disease into
    the sample size calculation for sensitivity and specificity. Acad Emerg Med 3:895-900.

    Examples
    --------
    >>> sample_size_accuracy(sensitivity=0.9, prevalence=0.1, half_width=0.05).n
    1383
    """
    level = check_level(level)
    method = check_option(method, "method", ACCURACY_METHODS)
    prevalence = float(check_probability(prevalence, "prevalence", open_interval=True))
    half_width = float(check_probability(half_width, "half_width", open_interval=True))
    if sensitivity is None and specificity is None:
        raise OptionError("Give the expected sensitivity=, specificity= or both.")
    z = _z(0.5 + level / 2)
    totals, parts = [], {"diseased": 0.0, "non_diseased": 0.0}
    for value, name, share, key in ((sensitivity, "sensitivity", prevalence, "diseased"),
                                    (specificity, "specificity", 1 - prevalence, "non_diseased")):
        if value is None:
            continue
        p = float(check_probability(value, name, open_interval=True))
        needed = z**2 * p * (1 - p) / half_width**2 if method == "wald" else _exact_n(p, half_width, level)
        parts[key] = needed
        totals.append(needed / share)
    exact = max(totals)
    n = math.ceil(exact - 1e-9)
    return SampleSize(n=n, n_diseased=math.ceil(n * prevalence - 1e-9), n_non_diseased=n - math.ceil(n * prevalence - 1e-9),
                      exact=exact, method=ACCURACY_METHODS[method],
                      inputs=dict(sensitivity=sensitivity, specificity=specificity, prevalence=prevalence,
                                  half_width=half_width, level=level))


def _discordance(sensitivity1: float, sensitivity2: float, discordance: float | None) -> float:
    delta = sensitivity1 - sensitivity2
    if discordance is None:  # conditional independence of the two tests among the diseased
        return sensitivity1 * (1 - sensitivity2) + sensitivity2 * (1 - sensitivity1)
    psi = float(check_probability(discordance, "discordance", open_interval=True))
    highest = min(sensitivity1 + sensitivity2, 2 - sensitivity1 - sensitivity2)
    if not abs(delta) <= psi <= highest + 1e-12:
        raise OptionError(f"discordance={psi} is impossible for sensitivities {sensitivity1} and {sensitivity2}: the "
                          f"proportion of discordant pairs must lie between |difference| = {abs(delta):g} and "
                          f"{highest:g}.")
    return psi


def _alpha_power(alpha: float, power: float | None) -> None:
    check_probability(alpha, "alpha", open_interval=True)
    if power is not None:
        check_probability(power, "power", open_interval=True)


def sample_size_paired_sensitivity(sensitivity1: float, sensitivity2: float, *, discordance: float | None = None,
                                   prevalence: float | None = None, alpha: float = 0.05,
                                   power: float = 0.8) -> SampleSize:
    """Diseased patients (and total) needed to compare two paired sensitivities with McNemar's test.

    Connor (1987): with ``delta = Se1 - Se2`` and ``psi`` the proportion of diseased patients on
    whom the tests disagree, ``n = [z_{1-alpha/2} sqrt(psi) + z_{power} sqrt(psi - delta^2)]^2 /
    delta^2`` diseased patients; divided by ``prevalence`` for the total. Without
    ``discordance``, the tests are taken as conditionally independent,
    ``psi = Se1 (1 - Se2) + Se2 (1 - Se1)`` (the usual conservative choice for positively
    correlated tests). The same formula serves specificities.

    References
    ----------
    Connor RJ (1987). Sample size for testing differences in proportions for the paired-sample
    design. Biometrics 43:207-211.

    Examples
    --------
    >>> sample_size_paired_sensitivity(0.9, 0.8, discordance=0.2, power=0.9).n_diseased
    206
    """
    p1 = float(check_probability(sensitivity1, "sensitivity1", open_interval=True))
    p2 = float(check_probability(sensitivity2, "sensitivity2", open_interval=True))
    _alpha_power(alpha, power)
    if p1 == p2:
        raise OptionError("sensitivity1 and sensitivity2 are equal; a difference to detect is needed.")
    psi = _discordance(p1, p2, discordance)
    if prevalence is not None:
        prevalence = float(check_probability(prevalence, "prevalence", open_interval=True))
    delta = p1 - p2
    pairs = (_z(1 - alpha / 2) * math.sqrt(psi) + _z(power) * math.sqrt(psi - delta**2)) ** 2 / delta**2
    n_d = math.ceil(pairs - 1e-9)
    total = pairs / prevalence if prevalence is not None else pairs
    n = math.ceil(total - 1e-9) if prevalence is not None else n_d
    achieved = power_paired_sensitivity(p1, p2, n_diseased=n_d, discordance=psi, alpha=alpha)
    return SampleSize(n=n, n_diseased=n_d, n_non_diseased=n - n_d, exact=total, power=achieved,
                      method="Connor 1987 (McNemar)",
                      inputs=dict(sensitivity1=p1, sensitivity2=p2, discordance=psi, prevalence=prevalence,
                                  alpha=alpha, power=power))


def power_paired_sensitivity(sensitivity1: float, sensitivity2: float, *, n_diseased: int,
                             discordance: float | None = None, alpha: float = 0.05) -> float:
    """Power of McNemar's test comparing two paired sensitivities with ``n_diseased`` patients (Connor 1987).

    ``power = Phi[(|delta| sqrt(n) - z_{1-alpha/2} sqrt(psi)) / sqrt(psi - delta^2)]``.

    >>> round(power_paired_sensitivity(0.9, 0.8, n_diseased=206, discordance=0.2), 3)
    0.9
    """
    p1 = float(check_probability(sensitivity1, "sensitivity1", open_interval=True))
    p2 = float(check_probability(sensitivity2, "sensitivity2", open_interval=True))
    n = check_positive_number(n_diseased, "n_diseased")
    _alpha_power(alpha, None)
    psi = _discordance(p1, p2, discordance)
    delta = abs(p1 - p2)
    if psi - delta**2 <= 0:
        return 1.0 if delta > 0 else float(alpha)
    return float(stats.norm.cdf((delta * math.sqrt(n) - _z(1 - alpha / 2) * math.sqrt(psi)) / math.sqrt(psi - delta**2)))


def auc_variance(auc: float, n_diseased: float, n_non_diseased: float, method: str = "hanley_mcneil") -> float:
    """Variance of an empirical AUC with the given numbers of diseased and non-diseased patients.

    ``"hanley_mcneil"`` (Hanley & McNeil 1982): with ``Q1 = A / (2 - A)`` and
    ``Q2 = 2 A^2 / (1 + A)``,
    ``V = [A(1 - A) + (n1 - 1)(Q1 - A^2) + (n0 - 1)(Q2 - A^2)] / (n1 n0)``; exact for the
    Mann-Whitney AUC when scores are negative exponential in both groups.
    ``"obuchowski"`` (Obuchowski & McClish 1997; binormal with equal variances): with
    ``a = sqrt(2) Phi^-1(A)`` and ``R = n0 / n1``,
    ``V = 0.0099 exp(-a^2 / 2) [(5 a^2 + 8) + (a^2 + 8) / R] / n1``.

    >>> round(auc_variance(0.8, 50, 50) ** 0.5, 4)
    0.0445
    """
    a_ = float(check_probability(auc, "auc", open_interval=True))
    n1, n0 = check_positive_number(n_diseased, "n_diseased"), check_positive_number(n_non_diseased, "n_non_diseased")
    method = check_option(method, "method", AUC_METHODS)
    if method == "hanley_mcneil":
        q1, q2 = a_ / (2 - a_), 2 * a_**2 / (1 + a_)
        return (a_ * (1 - a_) + (n1 - 1) * (q1 - a_**2) + (n0 - 1) * (q2 - a_**2)) / (n1 * n0)
    a = math.sqrt(2) * _z(a_)
    return 0.0099 * math.exp(-a * a / 2) * ((5 * a * a + 8) + (a * a + 8) / (n0 / n1)) / n1


def _per_diseased_variance(auc: float, ratio: float, method: str) -> float:
    """Limit of n1 * Var(AUC) as n1 grows with n0 = ratio * n1."""
    if method == "hanley_mcneil":
        q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
        return (q1 - auc**2) + (q2 - auc**2) / ratio
    return auc_variance(auc, 1.0, ratio, method="obuchowski")


def sample_size_two_aucs(auc1: float, auc2: float, *, ratio: float = 1.0, correlation: float = 0.0,
                         alpha: float = 0.05, power: float = 0.8, method: str = "hanley_mcneil") -> SampleSize:
    """Patients needed to detect a difference between two AUCs (z test), paired or unpaired.

    ``n1 = [z_{1-alpha/2} sqrt(V0) + z_{power} sqrt(VA)]^2 / (A1 - A2)^2`` diseased patients and
    ``ratio * n1`` non-diseased, where ``V = v(A1) + v(A2) - 2 r sqrt(v(A1) v(A2))`` with the
    per-patient AUC variances ``v`` (``method``); ``V0`` puts ``A1`` in both places (the null
    hypothesis) and ``VA`` uses both AUCs (Obuchowski & McClish 1997). ``correlation`` is the
    correlation ``r`` between the two AUC estimates when both tests are read on the same
    patients (Hanley & McNeil 1983 tabulate it from the correlation of the scores); 0 gives the
    unpaired design with ``n1`` diseased patients per test.

    References
    ----------
    Hanley JA, McNeil BJ (1982). Radiology 143:29-36. Hanley JA, McNeil BJ (1983). Radiology
    148:839-843. Obuchowski NA, McClish DK (1997). Stat Med 16:1529-1542.

    Examples
    --------
    >>> sample_size_two_aucs(0.85, 0.75, correlation=0.5).n_diseased
    65
    """
    a1 = float(check_probability(auc1, "auc1", open_interval=True))
    a2 = float(check_probability(auc2, "auc2", open_interval=True))
    ratio = check_positive_number(ratio, "ratio")
    method = check_option(method, "method", AUC_METHODS)
    _alpha_power(alpha, power)
    if not -1 < correlation < 1:
        raise OptionError(f"correlation={correlation!r} must lie strictly between -1 and 1.")
    if a1 == a2:
        raise OptionError("auc1 and auc2 are equal; a difference to detect is needed.")
    v1, v2 = _per_diseased_variance(a1, ratio, method), _per_diseased_variance(a2, ratio, method)
    v0 = 2 * v1 * (1 - correlation)
    va = v1 + v2 - 2 * correlation * math.sqrt(v1 * v2)
    n1 = (_z(1 - alpha / 2) * math.sqrt(v0) + _z(power) * math.sqrt(va)) ** 2 / (a1 - a2) ** 2
    n_d = math.ceil(n1 - 1e-9)
    n_0 = math.ceil(ratio * n_d - 1e-9)
    achieved = float(stats.norm.cdf((abs(a1 - a2) * math.sqrt(n_d) - _z(1 - alpha / 2) * math.sqrt(v0)) / math.sqrt(va)))
    design = "paired" if correlation else "unpaired (per test)"
    return SampleSize(n=n_d + n_0, n_diseased=n_d, n_non_diseased=n_0, exact=n1 * (1 + ratio), power=achieved,
                      method=f"{AUC_METHODS[method]}, {design}",
                      inputs=dict(auc1=a1, auc2=a2, ratio=ratio, correlation=correlation, alpha=alpha, power=power))


__all__ = ["SampleSize", "auc_variance", "power_paired_sensitivity", "sample_size_accuracy",
           "sample_size_paired_sensitivity", "sample_size_two_aucs"]
