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
from scipy import optimize, stats

from .._core.binormal import Binormal, binormal_covariance
from .._core.quantiles import normal_quantile, z_critical, z_two_sided
from .._input import (PLANNING_MARGIN, _show, check_alternative, check_level, check_number, check_option,
                      check_planning_probability, check_positive_number, check_whole_number)
from ..errors import OptionError
from ..results import ResultTable, tidy

AUC_METHODS = {"hanley_mcneil": "Hanley & McNeil 1982/1983",
               "obuchowski": "Obuchowski & McClish 1997 (binormal, b = 1)"}


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
    key_columns = ("part",)

    def header_lines(self) -> list[str]:
        return [f"method: {self.method}"]

    def to_frame(self) -> pd.DataFrame:
        """``part`` ("plan": the sizes and achieved power, by ``method``; "input": the arguments), then
        ``measure, value`` (no intervals)."""
        rows = [("n", self.n), ("n_diseased", self.n_diseased), ("n_non_diseased", self.n_non_diseased),
                ("n_unrounded", self.exact)]
        if self.power is not None:
            rows.append(("power", self.power))
        planned = len(rows)
        rows += [(k, v) for k, v in self.inputs.items()]
        frame = pd.DataFrame({"part": ["plan"] * planned + ["input"] * (len(rows) - planned),
                              "measure": [r[0] for r in rows], "value": [r[1] for r in rows]})
        frame["method"] = [self.method] * planned + [""] * (len(rows) - planned)
        return tidy(frame, self.key_columns)

    def __repr__(self) -> str:
        return f"SampleSize(n={self.n}, n_diseased={self.n_diseased}, n_non_diseased={self.n_non_diseased})"


def _flahault_power(n: np.ndarray, expected: float, minimum: float, alpha: float) -> np.ndarray:
    """P(the one-sided exact lower limit exceeds ``minimum``) for each n, when the truth is ``expected``.

    The Clopper-Pearson lower limit at ``x`` exceeds ``minimum`` exactly when the exact binomial
    test of ``p <= minimum`` rejects, ``P(X >= x | minimum) <= alpha``; the smallest such ``x``
    is one more than the ``1 - alpha`` quantile of Binomial(n, minimum).
    """
    critical = stats.binom.ppf(1 - alpha, n, minimum) + 1
    return stats.binom.sf(critical - 1, n, expected)


def _flahault_n(expected: float, minimum: float, alpha: float, power: float) -> tuple[int, float]:
    """Smallest n whose power reaches ``power`` (Flahault et al. 2005), and that power."""
    for block in range(50):  # blocks of candidate n, each evaluated as one vector
        n = np.arange(1 + 2000 * block, 1 + 2000 * (block + 1))
        achieved = _flahault_power(n, expected, minimum, alpha)
        ok = np.nonzero(achieved >= power)[0]
        if ok.size:
            return int(n[ok[0]]), float(achieved[ok[0]])
    raise OptionError(f"The expected value {expected} is too close to the minimal acceptable value {minimum}: more "
                      f"than 100000 patients would be needed. Lower the minimum or the power.")


def sample_size_accuracy_exact(*, sensitivity: float | None = None, min_sensitivity: float | None = None,
                               specificity: float | None = None, min_specificity: float | None = None,
                               prevalence: float, alpha: float = 0.05, power: float = 0.95) -> SampleSize:
    """Patients needed so that the exact lower confidence limit of sensitivity (specificity) clears a minimum.

    Flahault, Cadilhac & Thomas (2005): the number of diseased patients is the smallest ``n``
    such that, if the sensitivity is the expected one, the one-sided ``1 - alpha`` lower
    Clopper-Pearson limit (equivalently, the exact binomial test of ``Se <= min_sensitivity``)
    exceeds ``min_sensitivity`` with probability at least ``power``. The total follows from the
    prevalence, ``n / prevalence``; specificity likewise with the non-diseased and
    ``1 - prevalence``; with both, the larger total.

    Parameters
    ----------
    sensitivity, min_sensitivity : float, optional
        Expected sensitivity and the minimal acceptable one (below it); give both or neither.
    specificity, min_specificity : float, optional
        The same for specificity (at least one pair is needed).
    prevalence : float
        Expected proportion diseased among the enrolled, in (0, 1).
    alpha : float, default 0.05
        One-sided level of the lower limit (0.05: the lower limit of a one-sided 95% interval).
    power : float, default 0.95
        Probability that the lower limit clears the minimum (Flahault et al. tabulate 0.95).

    Returns
    -------
    SampleSize
        ``n_diseased`` (``n_non_diseased``) is the number found for sensitivity
        (specificity) where that was asked for, otherwise derived from the prevalence;
        ``power`` is the lower of the achieved powers.

    Notes
    -----
    The power of an exact test is a saw-tooth function of ``n``: following the paper, the
    smallest ``n`` reaching the power is returned, and a few more patients can have slightly
    less power (Bailly et al. 2014 discuss taking the smallest ``n`` from which all larger ones
    reach it).

    References
    ----------
    Flahault A, Cadilhac M, Thomas G (2005). Sample size calculation should be performed for
    design accuracy in diagnostic test studies. J Clin Epidemiol 58:859-862.

    Examples
    --------
    >>> plan = sample_size_accuracy_exact(sensitivity=0.9, min_sensitivity=0.8, prevalence=0.2)
    >>> plan.n_diseased, plan.n
    (135, 675)
    """
    prevalence = check_planning_probability(prevalence, "prevalence")
    check_planning_probability(alpha, "alpha")
    check_planning_probability(power, "power")
    totals, found, powers = [], {}, []
    for value, minimum, name, share in ((sensitivity, min_sensitivity, "sensitivity", prevalence),
                                        (specificity, min_specificity, "specificity", 1 - prevalence)):
        if value is None and minimum is None:
            continue
        if value is None or minimum is None:
            raise OptionError(f"Give both the expected {name}= and the minimal acceptable min_{name}=.")
        p = check_planning_probability(value, name)
        p0 = check_planning_probability(minimum, f"min_{name}")
        if not p0 < p:
            raise OptionError(f"min_{name}={p0} must be below the expected {name}={p}.")
        found[name], achieved = _flahault_n(p, p0, alpha, power)
        powers.append(achieved)
        totals.append(found[name] / share)
    if not totals:
        raise OptionError("Give sensitivity= and min_sensitivity=, specificity= and min_specificity=, or both pairs.")
    exact = max(totals)
    n_d = max(math.ceil(math.ceil(exact - 1e-9) * prevalence - 1e-9), found.get("sensitivity", 0))
    n_0 = max(math.ceil(exact - 1e-9) - n_d, found.get("specificity", 0))
    return SampleSize(n=n_d + n_0, n_diseased=n_d, n_non_diseased=n_0, exact=exact,
                      power=min(powers), method="Flahault, Cadilhac & Thomas 2005 (exact binomial)",
                      inputs=dict(sensitivity=sensitivity, min_sensitivity=min_sensitivity, specificity=specificity,
                                  min_specificity=min_specificity, prevalence=prevalence, alpha=alpha, power=power))


def sample_size_accuracy(*, sensitivity: float | None = None, specificity: float | None = None, prevalence: float,
                         half_width: float, level: float = 0.95) -> SampleSize:
    """Patients needed to estimate sensitivity and/or specificity to a given interval half-width.

    Buderer (1996): the diseased needed for sensitivity are ``z^2 Se (1 - Se) / w^2`` and the
    total is that divided by the prevalence; likewise for specificity with ``1 - prevalence``.
    The total is the larger of the two, rounded up. Near 1 the normal approximation is too
    optimistic: :func:`sample_size_accuracy_exact` (Flahault et al. 2005) plans with the exact
    binomial distribution instead.

    Parameters
    ----------
    sensitivity, specificity : float, optional
        Expected values (at least one).
    prevalence : float
        Expected proportion diseased among the enrolled, in (0, 1).
    half_width : float
        Desired half-width of the interval (0.05 for +/- 5 percentage points).
    level : float, default 0.95

    Returns
    -------
    SampleSize

    Notes
    -----
    The unrounded total equals epiR 2.0.57 ``epi.ssdxsesp(error="absolute", nfractional=TRUE)``
    to 1e-9 and the total its default (rounded) output (committed fixture).

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
    prevalence = check_planning_probability(prevalence, "prevalence")
    half_width = check_planning_probability(half_width, "half_width")
    if sensitivity is None and specificity is None:
        raise OptionError("Give the expected sensitivity=, specificity= or both.")
    z = z_two_sided(level)
    totals = []
    for value, name, share in ((sensitivity, "sensitivity", prevalence), (specificity, "specificity", 1 - prevalence)):
        if value is None:
            continue
        p = check_planning_probability(value, name)
        totals.append(z**2 * p * (1 - p) / half_width**2 / share)
    exact = max(totals)
    n = max(math.ceil(exact - 1e-9), 1)  # a plan has at least one patient
    n_d = math.ceil(n * prevalence - 1e-9)
    return SampleSize(n=n, n_diseased=n_d, n_non_diseased=n - n_d, exact=exact,
                      method="Buderer 1996 (normal approximation)",
                      inputs=dict(sensitivity=sensitivity, specificity=specificity, prevalence=prevalence,
                                  half_width=half_width, level=level))


def _discordance(sensitivity1: float, sensitivity2: float, discordance: float | None) -> float:
    delta = sensitivity1 - sensitivity2
    if discordance is None:  # conditional independence of the two tests among the diseased
        return sensitivity1 * (1 - sensitivity2) + sensitivity2 * (1 - sensitivity1)
    psi = check_planning_probability(discordance, "discordance")
    highest = min(sensitivity1 + sensitivity2, 2 - sensitivity1 - sensitivity2)
    if not abs(delta) <= psi <= highest + 1e-12:
        raise OptionError(f"discordance={psi} is impossible for sensitivities {sensitivity1} and {sensitivity2}: the "
                          f"proportion of discordant pairs must lie between |difference| = {abs(delta):g} and "
                          f"{highest:g}.")
    return psi


def _alpha_power(alpha: float, power: float | None) -> None:
    check_planning_probability(alpha, "alpha")
    if power is not None:
        check_planning_probability(power, "power")


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
    p1 = check_planning_probability(sensitivity1, "sensitivity1")
    p2 = check_planning_probability(sensitivity2, "sensitivity2")
    _alpha_power(alpha, power)
    if p1 == p2:
        raise OptionError("sensitivity1 and sensitivity2 are equal; a difference to detect is needed.")
    psi = _discordance(p1, p2, discordance)
    if prevalence is not None:
        prevalence = check_planning_probability(prevalence, "prevalence")
    delta = p1 - p2
    pairs = ((z_critical(alpha, "two-sided") * math.sqrt(psi) + normal_quantile(power) * math.sqrt(psi - delta**2)) ** 2
             / delta**2)
    n_d = max(math.ceil(pairs - 1e-9), 1)  # a plan has at least one patient (a huge difference needs ~0)
    total = pairs / prevalence if prevalence is not None else pairs
    n = max(math.ceil(total - 1e-9), n_d) if prevalence is not None else n_d
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
    p1 = check_planning_probability(sensitivity1, "sensitivity1")
    p2 = check_planning_probability(sensitivity2, "sensitivity2")
    n = check_whole_number(n_diseased, "n_diseased", minimum=1, what="diseased patients", example=100)
    _alpha_power(alpha, None)
    psi = _discordance(p1, p2, discordance)
    delta = abs(p1 - p2)
    if psi - delta**2 <= 0:
        return 1.0 if delta > 0 else float(alpha)
    z = (delta * math.sqrt(n) - z_critical(alpha, "two-sided") * math.sqrt(psi)) / math.sqrt(psi - delta**2)
    return float(stats.norm.cdf(z))


def auc_variance(auc: float, n_diseased: float, n_non_diseased: float, method: str = "hanley_mcneil") -> float:
    """Variance of an empirical AUC with the given numbers of diseased and non-diseased patients.

    ``"hanley_mcneil"`` (Hanley & McNeil 1982): with ``Q1 = A / (2 - A)`` and
    ``Q2 = 2 A^2 / (1 + A)``,
    ``V = [A(1 - A) + (n1 - 1)(Q1 - A^2) + (n0 - 1)(Q2 - A^2)] / (n1 n0)``; exact for the
    Mann-Whitney AUC when scores are negative exponential in both groups.
    ``"obuchowski"`` (Obuchowski 1998; Obuchowski, Lieber & Wians 2004, eq. 3; binormal with
    equal variances): with ``a = 1.414 Phi^-1(A)`` and ``R = n0 / n1``,
    ``V = 0.0099 exp(-a^2 / 2) [(5 a^2 + 8) + (a^2 + 8) / R] / n1``, with the published
    rounded constants 1.414 and 0.0099 (so that it matches published tables and pROC).

    >>> round(auc_variance(0.8, 50, 50) ** 0.5, 4)
    0.0445
    """
    a_ = check_planning_probability(auc, "auc")
    n1, n0 = check_positive_number(n_diseased, "n_diseased"), check_positive_number(n_non_diseased, "n_non_diseased")
    for n, name in ((n1, "n_diseased"), (n0, "n_non_diseased")):
        if n < 1:    # the variance formulas need at least one patient per class (below, they can turn negative)
            raise OptionError(f"{name}={_show(n)} must be at least 1 patient (an AUC needs a patient of each class).")
    method = check_option(method, "method", AUC_METHODS)
    if method == "hanley_mcneil":
        q1, q2 = a_ / (2 - a_), 2 * a_**2 / (1 + a_)
        return (a_ * (1 - a_) + (n1 - 1) * (q1 - a_**2) + (n0 - 1) * (q2 - a_**2)) / (n1 * n0)
    return _obuchowski_variance(a_, n0 / n1) / n1


def _obuchowski_variance(auc: float, ratio: float) -> float:
    """n1 * Var(AUC), Obuchowski's closed form (binormal, b = 1) with its published constants."""
    a = 1.414 * normal_quantile(auc)
    return 0.0099 * math.exp(-a * a / 2) * ((5 * a * a + 8) + (a * a + 8) / ratio)


def _significance_level(z_alpha: float, alternative: str, power: float, best_power: float) -> float:
    """The significance level whose critical value is ``z_alpha``, or an OptionError when it would exceed 1.

    A two-sided level above 1 (``z_alpha < 0``) means that no test reaches ``power``: even at
    ``alpha = 1`` the power is ``best_power`` (pROC returns the level above 1 as it is).
    """
    sides = 2 if alternative == "two-sided" else 1
    alpha = sides * stats.norm.sf(z_alpha)
    if alpha > 1:
        raise OptionError(f"power={_show(power)} cannot be reached at any significance level: even alpha = 1 gives a "
                          f"power of {best_power:.4g}. Ask for a lower power, or plan more patients or a larger "
                          "difference.")
    return float(alpha)


def _check_direction(alternative: str, difference: float, first: str, second: str) -> None:
    """A one-sided plan must test the direction of the difference it expects (first - second)."""
    wrong = (alternative == "greater" and difference < 0) or (alternative == "less" and difference > 0)
    if wrong:
        sign, right = ("<", "less") if difference < 0 else (">", "greater")
        raise OptionError(f"alternative={alternative!r} tests {first} {'>' if alternative == 'greater' else '<'} "
                          f"{second}, but the expected {first} {sign} {second}: that test would have no power. Use "
                          f"alternative={right!r} (or 'two-sided').")


def sample_size_auc(auc: float, *, null_auc: float = 0.5, ratio: float = 1.0, alpha: float = 0.05,
                    power: float = 0.8, alternative: str = "two-sided") -> SampleSize:
    """Patients needed to show that a test's AUC differs from ``null_auc`` (0.5: no discrimination).

    Obuchowski, Lieber & Wians (2004), eq. 2 and 3: ``n1 = [z_alpha sqrt(V0) + z_power
    sqrt(VA)]^2 / (A - A0)^2`` diseased patients and ``ratio * n1`` non-diseased, where ``V0``
    and ``VA`` are Obuchowski's binormal variances (see :func:`auc_variance`) at ``A0`` and ``A``.

    Parameters
    ----------
    auc : float
        Expected AUC of the test.
    null_auc : float, default 0.5
    ratio : float, default 1
        Non-diseased per diseased patient.
    alpha, power : float
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        One-sided: ``"greater"`` tests AUC > ``null_auc``, ``"less"`` AUC < ``null_auc`` (it must
        be the direction of ``auc - null_auc``).

    Returns
    -------
    SampleSize
        ``exact`` is the unrounded number of diseased patients (as pROC's ``ncases``).

    Notes
    -----
    Equals pROC 1.18 ``power.roc.test(auc=, kappa=ratio, power=)`` to 1e-9 (committed fixture).

    References
    ----------
    Obuchowski NA, Lieber ML, Wians FH (2004). ROC curves in clinical chemistry: uses, misuses,
    and possible solutions. Clin Chem 50:1118-1125.

    Examples
    --------
    >>> plan = sample_size_auc(0.73, ratio=1.7, power=0.95)
    >>> plan.n_diseased, plan.n_non_diseased
    (30, 51)
    """
    a1 = check_planning_probability(auc, "auc")
    a0 = check_planning_probability(null_auc, "null_auc")
    ratio = check_positive_number(ratio, "ratio")
    alternative = check_alternative(alternative)
    _alpha_power(alpha, power)
    if a1 == a0:
        raise OptionError("auc equals null_auc; a difference to detect is needed.")
    _check_direction(alternative, a1 - a0, "auc", "null_auc")
    v0, va = _obuchowski_variance(a0, ratio), _obuchowski_variance(a1, ratio)
    n1 = (z_critical(alpha, alternative) * math.sqrt(v0) + normal_quantile(power) * math.sqrt(va)) ** 2 / (a1 - a0) ** 2
    n_d = max(math.ceil(n1 - 1e-9), 1)  # at least one patient of each class (a huge difference needs ~0)
    n_0 = max(math.ceil(ratio * n1 - 1e-9), 1)
    return SampleSize(n=n_d + n_0, n_diseased=n_d, n_non_diseased=n_0, exact=n1,
                      power=power_auc(a1, n_diseased=n_d, n_non_diseased=n_0, null_auc=a0, alpha=alpha,
                                      alternative=alternative),
                      method="Obuchowski, Lieber & Wians 2004 (one AUC)",
                      inputs=dict(auc=a1, null_auc=a0, ratio=ratio, alpha=alpha, power=power,
                                  alternative=alternative))


def _patient_ratio(n1: float, n_non_diseased: Any) -> float:
    """n_non_diseased / n_diseased, which the variances divide by: it must be a positive finite number."""
    ratio = check_positive_number(n_non_diseased, "n_non_diseased") / n1
    if not 0 < ratio < math.inf:
        raise OptionError(f"n_non_diseased={_show(n_non_diseased)} and n_diseased={_show(n1)} differ too much (their "
                          "ratio is 0 or infinite in floating point); give realistic numbers of patients.")
    return ratio


def power_auc(auc: float | None, *, n_diseased: float, n_non_diseased: float, null_auc: float = 0.5,
              alpha: float | None = 0.05, alternative: str = "two-sided", power: float | None = None) -> float:
    """Power of the z test of ``AUC = null_auc`` (Obuchowski, Lieber & Wians 2004), or the significance
    level or the AUC that gives a power.

    ``power = Phi[(|A - A0| sqrt(n1) - z_alpha sqrt(V0)) / sqrt(VA)]`` with the variances of
    :func:`sample_size_auc` at ``R = n0 / n1``; ``alternative`` as there. Leave exactly one of
    ``auc``, ``alpha`` and ``power`` unknown (``None``); the default computes the power:

    * ``alpha=None, power=p``: the significance level at which the study has power ``p``, solved
      in closed form, ``z_alpha = (|A - A0| sqrt(n1) - z_power sqrt(VA)) / sqrt(V0)``;
    * ``auc=None, power=p``: the smallest AUC beyond ``null_auc`` (above it, or below it with
      ``alternative="less"``) that the study detects with power ``p`` (Brent's method; the power
      rises with the distance from ``null_auc``).

    A power that no significance level (or no AUC) reaches is refused with an OptionError saying
    how close one gets; pROC returns a significance level above 1, or an error, there.

    Notes
    -----
    Equals pROC 1.18 ``power.roc.test(auc=, ncases=, ncontrols=, sig.level=, power=)`` with the
    missing one computed (``sig.level=NULL`` or ``auc`` omitted), on the committed fixture; pROC's
    AUC comes from ``uniroot`` at its default tolerance (about 1e-4), so the test checks pROC's AUC
    by the power it gives rather than digit for digit.

    References
    ----------
    Obuchowski NA, Lieber ML, Wians FH (2004). ROC curves in clinical chemistry: uses, misuses,
    and possible solutions. Clin Chem 50:1118-1125.

    Examples
    --------
    >>> round(power_auc(0.73, n_diseased=41, n_non_diseased=72), 4)
    0.9897
    >>> round(power_auc(0.73, n_diseased=41, n_non_diseased=72, alpha=None, power=0.9), 5)
    0.00317
    >>> round(power_auc(None, n_diseased=41, n_non_diseased=72, power=0.9), 4)
    0.6771
    """
    a0 = check_planning_probability(null_auc, "null_auc")
    n1 = check_positive_number(n_diseased, "n_diseased")
    ratio = _patient_ratio(n1, n_non_diseased)
    alternative = check_alternative(alternative)
    unknown = [name for name, value in (("auc", auc), ("alpha", alpha), ("power", power)) if value is None]
    if len(unknown) != 1:
        raise OptionError("Leave exactly one of auc, alpha and power unknown (None): give auc and alpha for the power "
                          "(the default), alpha=None and power= for the significance level, or auc=None and power= "
                          f"for the detectable AUC; {' and '.join(unknown) + ' are' if unknown else 'nothing is'} "
                          "unknown here.")
    _alpha_power(0.05 if alpha is None else alpha, power)
    v0 = _obuchowski_variance(a0, ratio)
    if auc is None:
        return _detectable_auc(a0, n1, ratio, alpha, power, alternative)
    a1 = check_planning_probability(auc, "auc")
    _check_direction(alternative, a1 - a0, "auc", "null_auc")
    va = _obuchowski_variance(a1, ratio)
    if alpha is None:
        z_alpha = (abs(a1 - a0) * math.sqrt(n1) - normal_quantile(power) * math.sqrt(va)) / math.sqrt(v0)
        return _significance_level(z_alpha, alternative, power,
                                   float(stats.norm.cdf(abs(a1 - a0) * math.sqrt(n1) / math.sqrt(va))))
    return float(stats.norm.cdf((abs(a1 - a0) * math.sqrt(n1) - z_critical(alpha, alternative) * math.sqrt(v0))
                                / math.sqrt(va)))


def _detectable_auc(a0: float, n1: float, ratio: float, alpha: float, power: float, alternative: str) -> float:
    """The AUC beyond ``a0`` at which the z test of one AUC has the given power (see :func:`power_auc`)."""
    sign = -1.0 if alternative == "less" else 1.0
    z_alpha, v0 = z_critical(alpha, alternative), _obuchowski_variance(a0, ratio)

    def shortfall(a1: float) -> float:
        va = _obuchowski_variance(a1, ratio)
        return float(stats.norm.cdf((abs(a1 - a0) * math.sqrt(n1) - z_alpha * math.sqrt(v0)) / math.sqrt(va))) - power

    edge = 1 - PLANNING_MARGIN if sign > 0 else PLANNING_MARGIN
    if shortfall(edge) < 0:
        raise OptionError(f"power={_show(power)} cannot be reached: even an AUC of {edge:g} gives a power of "
                          f"{shortfall(edge) + power:.4g} with {_show(n1)} diseased patients. Ask for a lower power or "
                          "plan more patients.")
    if shortfall(a0 + sign * 1e-12) >= 0:    # alpha >= power: any difference is detected with that power
        return a0
    return float(optimize.brentq(shortfall, a0 + sign * 1e-12, edge, xtol=1e-14, rtol=1e-14))


def _binormal_design(a1, b1, a2, b2, correlation_diseased, correlation_non_diseased, fpr_range, difference):
    for value, name in ((a1, "a1"), (a2, "a2")):
        check_number(value, name, what="the binormal intercept")
    for value, name in ((b1, "b1"), (b2, "b2")):
        check_positive_number(value, name)
    for value, name in ((correlation_diseased, "correlation_diseased"),
                        (correlation_non_diseased, "correlation_non_diseased")):
        check_number(value, name, low=-1, high=1, strict=True)
    if fpr_range is not None:
        try:
            lo, hi = (float(v) for v in fpr_range)
        except (TypeError, ValueError):
            lo = hi = np.nan
        if not 0 <= lo < hi <= 1:
            raise OptionError(f"fpr_range={fpr_range!r} must be (low, high) with 0 <= low < high <= 1.")
        fpr_range = (lo, hi)
    c1, c2 = Binormal(float(a1), float(b1), fpr_range), Binormal(float(a2), float(b2), fpr_range)
    delta = c1.area() - c2.area() if difference is None else float(difference)
    if delta == 0:
        raise OptionError("The two curves have the same area; give curves (or difference=) that differ.")
    return c1, c2, delta


def _binormal_variances(c1, c2, rd, rn, ratio):
    """n1 * variance of the difference of areas under the null and the alternative hypothesis.

    Under the null the second test's variance is replaced by the first's: ``V0 = 2 V1 - 2 C12``,
    ``VA = V1 + V2 - 2 C12``.
    """
    var1 = binormal_covariance(c1, c1, rd, rn, ratio, same=True)
    var2 = binormal_covariance(c2, c2, rd, rn, ratio, same=True)
    cov12 = binormal_covariance(c1, c2, rd, rn, ratio, same=False)
    return 2 * var1 - 2 * cov12, var1 + var2 - 2 * cov12


def sample_size_binormal_aucs(a1: float, b1: float, a2: float, b2: float, *, correlation_diseased: float = 0.0,
                              correlation_non_diseased: float = 0.0, fpr_range: tuple[float, float] | None = None,
                              difference: float | None = None, ratio: float = 1.0, alpha: float = 0.05,
                              power: float = 0.8, alternative: str = "two-sided") -> SampleSize:
    """Patients needed to compare the (partial) AUCs of two binormal ROC curves read on the same patients.

    Obuchowski & McClish (1997): each test's ROC curve is ``TPR = Phi(a + b Phi^-1(FPR))``; the
    two tests' scores correlate ``correlation_diseased`` among the diseased and
    ``correlation_non_diseased`` among the others. The variance and covariance of the
    maximum-likelihood areas come from the delta method (the paper's Table 1 and eq. 4-5), and
    ``n1 = [z_alpha sqrt(V0) + z_power sqrt(VA)]^2 / delta^2`` diseased patients, where
    ``VA = V1 + V2 - 2 C12`` is the variance of the difference of areas and ``V0 = 2 V1 - 2 C12``
    its value under the null hypothesis (the second test's variance replaced by the first's).
    ``fpr_range=(0, 0.2)`` compares partial areas.

    Parameters
    ----------
    a1, b1, a2, b2 : float
        Binormal intercept and slope of each curve (``b > 0``; ``b = 1`` is the equal-variance
        model, where ``AUC = Phi(a / sqrt(2))``).
    correlation_diseased, correlation_non_diseased : float, default 0
        Correlation of the two tests' (latent normal) scores in each class; 0 for both is the
        unpaired design with ``n1`` diseased patients per test.
    fpr_range : (float, float), optional
        Range of false-positive rates for a partial area; the full area by default.
    difference : float, optional
        Difference of areas to detect; by default the difference of the two curves' areas.
    ratio : float, default 1
        Non-diseased per diseased patient.
    alpha, power : float
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        One-sided: ``"greater"`` tests area 1 > area 2, ``"less"`` area 1 < area 2 (it must be the
        direction of the difference to detect).

    Returns
    -------
    SampleSize
        ``exact`` is the unrounded number of diseased patients (as pROC's ``ncases``).

    Notes
    -----
    Equals pROC 1.18 ``power.roc.test(list(A1=, B1=, A2=, B2=, rn=, ra=, delta=), kappa=ratio)``
    to 1e-9 (committed fixture), including Example 2 of Obuchowski & McClish (1997), partial
    area over FPR 0-0.2: 107 patients per class. The published variance leaves out the
    covariance of the estimated ``a`` and ``b`` of a curve (it reduces to Obuchowski's
    ``0.0099 exp(-a^2/2) [(5a^2 + 8) + (a^2 + 8)/R]`` when ``b = 1``); it is followed here so
    that the numbers are those of the paper.

    References
    ----------
    Obuchowski NA, McClish DK (1997). Sample size determination for diagnostic accuracy studies
    involving binormal ROC curve indices. Stat Med 16:1529-1542.

    Examples
    --------
    >>> plan = sample_size_binormal_aucs(2.6, 1, 1.9, 1, correlation_diseased=0.6, correlation_non_diseased=0.6,
    ...                                  fpr_range=(0, 0.2), difference=0.037)
    >>> plan.n_diseased
    108
    """
    ratio = check_positive_number(ratio, "ratio")
    alternative = check_alternative(alternative)
    _alpha_power(alpha, power)
    c1, c2, delta = _binormal_design(a1, b1, a2, b2, correlation_diseased, correlation_non_diseased, fpr_range,
                                     difference)
    _check_direction(alternative, delta, "area 1", "area 2")
    v0, va = _binormal_variances(c1, c2, correlation_diseased, correlation_non_diseased, ratio)
    n1 = (z_critical(alpha, alternative) * math.sqrt(v0) + normal_quantile(power) * math.sqrt(va)) ** 2 / delta**2
    n_d = max(math.ceil(n1 - 1e-9), 1)  # at least one patient of each class (a huge difference needs ~0)
    n_0 = max(math.ceil(ratio * n1 - 1e-9), 1)
    achieved = power_binormal_aucs(a1, b1, a2, b2, n_diseased=n_d, n_non_diseased=n_0,
                                   correlation_diseased=correlation_diseased,
                                   correlation_non_diseased=correlation_non_diseased, fpr_range=fpr_range,
                                   difference=delta, alpha=alpha, alternative=alternative)
    return SampleSize(n=n_d + n_0, n_diseased=n_d, n_non_diseased=n_0, exact=n1, power=achieved,
                      method="Obuchowski & McClish 1997 (binormal, paired)",
                      inputs=dict(a1=a1, b1=b1, a2=a2, b2=b2, correlation_diseased=correlation_diseased,
                                  correlation_non_diseased=correlation_non_diseased, fpr_range=fpr_range,
                                  difference=delta, ratio=ratio, alpha=alpha, power=power, alternative=alternative))


def power_binormal_aucs(a1: float, b1: float, a2: float, b2: float, *, n_diseased: float, n_non_diseased: float,
                        correlation_diseased: float = 0.0, correlation_non_diseased: float = 0.0,
                        fpr_range: tuple[float, float] | None = None, difference: float | None = None,
                        alpha: float = 0.05, alternative: str = "two-sided") -> float:
    """Power to detect the difference of two binormal (partial) AUCs (Obuchowski & McClish 1997).

    ``power = Phi[(|delta| sqrt(n1) - z_alpha sqrt(V0)) / sqrt(VA)]``, with the variances of
    :func:`sample_size_binormal_aucs` at ``R = n0 / n1``; ``alternative`` as there.

    >>> round(power_binormal_aucs(1.2, 0.9, 0.8, 1.1, n_diseased=100, n_non_diseased=150,
    ...                           correlation_diseased=0.4, correlation_non_diseased=0.5), 4)
    0.8425
    """
    n1 = check_positive_number(n_diseased, "n_diseased")
    ratio = _patient_ratio(n1, n_non_diseased)
    alternative = check_alternative(alternative)
    _alpha_power(alpha, None)
    c1, c2, delta = _binormal_design(a1, b1, a2, b2, correlation_diseased, correlation_non_diseased, fpr_range,
                                     difference)
    _check_direction(alternative, delta, "area 1", "area 2")
    v0, va = _binormal_variances(c1, c2, correlation_diseased, correlation_non_diseased, ratio)
    return float(stats.norm.cdf((abs(delta) * math.sqrt(n1) - z_critical(alpha, alternative) * math.sqrt(v0))
                                / math.sqrt(va)))


def _per_diseased_variance(auc: float, ratio: float, method: str) -> float:
    """Limit of n1 * Var(AUC) as n1 grows with n0 = ratio * n1.

    For Hanley & McNeil this is the limit of n1 times :func:`auc_variance`: the ``(n1 - 1)(Q1 - A^2)``
    term (pairs sharing a non-diseased patient) becomes ``(Q1 - A^2) / ratio`` and the
    ``(n0 - 1)(Q2 - A^2)`` term becomes ``Q2 - A^2``.
    """
    if method == "hanley_mcneil":
        q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
        return (q1 - auc**2) / ratio + (q2 - auc**2)
    return _obuchowski_variance(auc, ratio)


def sample_size_two_aucs(auc1: float, auc2: float, *, ratio: float = 1.0, correlation: float = 0.0,
                         alpha: float = 0.05, power: float = 0.8, alternative: str = "two-sided",
                         method: str = "hanley_mcneil") -> SampleSize:
    """Patients needed to detect a difference between two AUCs (z test), paired or unpaired.

    ``n1 = [z_alpha sqrt(V0) + z_power sqrt(VA)]^2 / (A1 - A2)^2`` diseased patients and
    ``ratio * n1`` non-diseased, where ``V = v(A1) + v(A2) - 2 r sqrt(v(A1) v(A2))`` with the
    per-patient AUC variances ``v`` (``method``); ``V0`` puts ``A1`` in both places (the null
    hypothesis: give the reference test's AUC as ``auc1``) and ``VA`` uses both AUCs (Hanley &
    McNeil 1982, Table III; Obuchowski & McClish 1997). ``correlation`` is the correlation ``r``
    between the two AUC estimates when both tests are read on the same patients (Hanley & McNeil
    1983 tabulate it from the correlation of the scores); 0 gives the unpaired design with ``n1``
    diseased patients per test. ``z_alpha`` is ``z_{1-alpha/2}`` (``alternative="two-sided"``) or
    ``z_{1-alpha}`` (one-sided: ``"greater"`` tests auc1 > auc2, ``"less"`` auc1 < auc2, the
    direction of ``auc1 - auc2``).

    References
    ----------
    Hanley JA, McNeil BJ (1982). Radiology 143:29-36. Hanley JA, McNeil BJ (1983). Radiology
    148:839-843. Obuchowski NA, McClish DK (1997). Stat Med 16:1529-1542.

    Examples
    --------
    >>> sample_size_two_aucs(0.75, 0.85, correlation=0.5).n_diseased
    88
    """
    a1 = check_planning_probability(auc1, "auc1")
    a2 = check_planning_probability(auc2, "auc2")
    ratio = check_positive_number(ratio, "ratio")
    method = check_option(method, "method", AUC_METHODS)
    alternative = check_alternative(alternative)
    _alpha_power(alpha, power)
    check_number(correlation, "correlation", low=-1, high=1, strict=True)
    if a1 == a2:
        raise OptionError("auc1 and auc2 are equal; a difference to detect is needed.")
    _check_direction(alternative, a1 - a2, "auc1", "auc2")
    v1, v2 = _per_diseased_variance(a1, ratio, method), _per_diseased_variance(a2, ratio, method)
    v0 = 2 * v1 * (1 - correlation)
    va = v1 + v2 - 2 * correlation * math.sqrt(v1 * v2)
    z_alpha = z_critical(alpha, alternative)
    n1 = (z_alpha * math.sqrt(v0) + normal_quantile(power) * math.sqrt(va)) ** 2 / (a1 - a2) ** 2
    n_d = max(math.ceil(n1 - 1e-9), 1)  # at least one patient of each class (a huge difference needs ~0)
    n_0 = max(math.ceil(ratio * n_d - 1e-9), 1)
    achieved = float(stats.norm.cdf((abs(a1 - a2) * math.sqrt(n_d) - z_alpha * math.sqrt(v0)) / math.sqrt(va)))
    design = "paired" if correlation else "unpaired (per test)"
    return SampleSize(n=n_d + n_0, n_diseased=n_d, n_non_diseased=n_0, exact=n1 * (1 + ratio), power=achieved,
                      method=f"{AUC_METHODS[method]}, {design}",
                      inputs=dict(auc1=a1, auc2=a2, ratio=ratio, correlation=correlation, alpha=alpha, power=power,
                                  alternative=alternative))


__all__ = ["SampleSize", "auc_variance", "power_auc", "power_binormal_aucs", "power_paired_sensitivity",
           "sample_size_accuracy", "sample_size_accuracy_exact", "sample_size_auc", "sample_size_binormal_aucs",
           "sample_size_paired_sensitivity", "sample_size_two_aucs"]
