"""Power of the comparison of two observed paired ROC curves, or the significance level for a power.

Obuchowski & McClish (1997) write the power to detect a difference delta = A1 - A2 of two AUCs as

    power = Phi[(|delta| - z_alpha sqrt(V0)) / sqrt(VA)],

with VA = Var(A1 - A2) = V1 + V2 - 2 C under the alternative and V0 = 2 (V1 - C) under the null
hypothesis (both tests with the accuracy of test 1, so with test 1's variance and the same
covariance). Here V1, V2 and C are DeLong's (1988) variances and covariance of the two observed
AUCs, as pROC's ``power.roc.test(roc1, roc2)`` does, or (``method="obuchowski"``) Obuchowski &
McClish's (1997) binormal ones at each curve's least-squares binormal line, as
``power.roc.test(roc1, roc2, method = "obuchowski")`` (see
:mod:`diagstats.roc_analysis.obuchowski_variance`), or those of bootstrap resamples; the power is
that of a study of the same patients. With ``specificity=`` or ``sensitivity=`` the two curves are
compared on a partial AUC, with the bootstrap or Obuchowski & McClish's variance of a binormal
partial area (pROC's partial-area Obuchowski variance differs: docs/differences_from_r.md).
Solving the same equation for z_alpha gives the significance level at which the study has a
given power. As in pROC, the null variance is roc1's, so swapping the curves changes the result.
Where no significance level reaches the power (pROC then returns a level above 1), an
OptionError says so.

References
----------
Obuchowski NA, McClish DK (1997). Sample size determination for diagnostic accuracy studies
involving binormal ROC curve indices. Statistics in Medicine 16:1529-1542.
DeLong ER, DeLong DM, Clarke-Pearson DL (1988). Biometrics 44:837-845.

>>> import numpy as np, diagstats as ds
>>> rng = np.random.default_rng(2)
>>> y = rng.random(300) < 0.4
>>> common = rng.normal(size=300)
>>> r1 = ds.roc(y, 1.0 * y + common + rng.normal(size=300))
>>> r2 = ds.roc(y, 0.5 * y + common + rng.normal(size=300))
>>> 0 < ds.planning.power_roc_curves(r1, r2) < 1
True
>>> round(ds.planning.power_roc_curves(r1, r2, method="obuchowski"), 4)
0.8897
>>> round(ds.planning.power_roc_curves(r1, r2, method="obuchowski", specificity=(0.8, 1)), 4)
0.263
"""

from __future__ import annotations

import math

from scipy import stats

from .._core.quantiles import normal_quantile, z_critical
from .._input import check_alternative, check_flag, check_option, check_positive_number
from ..errors import DataError, OptionError
from .sample_size import SampleSize, _alpha_power, _check_direction, _significance_level

__all__ = ["POWER_VARIANCE_METHODS", "power_roc_curves", "sample_size_roc_curves"]

POWER_VARIANCE_METHODS = ("delong", "obuchowski", "bootstrap")


def power_roc_curves(roc1, roc2, *, alpha: float | None = 0.05, power: float | None = None,
                     alternative: str = "two-sided", method: str = "delong",
                     specificity: tuple[float, float] | None = None, sensitivity: tuple[float, float] | None = None,
                     correct: bool = False, n_boot: int = 2000, seed=0, progress: bool = True,
                     stratified: bool = True) -> float:
    """Power of the paired test of two observed ROC curves, or (``alpha=None``, ``power=``) its
    significance level; pROC ``power.roc.test(roc1, roc2, method=)`` (see the module for the formula).

    Parameters
    ----------
    roc1, roc2 : ROCResult
        Two curves of the same patients (from :func:`diagstats.roc`).
    alpha : float or None, default 0.05
        Significance level; ``None`` to solve for it (then give ``power``).
    power : float, optional
        The power for which to solve the significance level.
    alternative : {"two-sided", "greater", "less"}
        "greater": AUC1 > AUC2 (pROC's "one.sided" when AUC1 > AUC2).
    method : {"delong", "obuchowski", "bootstrap"}, default "delong"
        The variances and covariance of the two AUCs: DeLong's (nonparametric), Obuchowski &
        McClish's (1997) binormal ones, or those of ``n_boot`` stratified resamples (``seed``,
        ``progress``; ``stratified=False``: unstratified, pROC ``boot.stratified = FALSE``), as pROC's
        ``cov``/``var(method = "bootstrap")``.
    specificity, sensitivity : (low, high), optional
        Compare partial AUCs over this range (``correct``: McClish-standardised), with
        ``method="bootstrap"`` (pROC's default for a partial AUC) or ``"obuchowski"`` (Obuchowski &
        McClish's variance of a binormal partial area; pROC's differs, see
        docs/differences_from_r.md).

    Returns
    -------
    float
        The power (``alpha`` given) or the significance level (``alpha=None``).

    >>> import diagstats as ds
    >>> y = [0, 0, 1, 0, 1, 1, 0, 1, 0, 1]
    >>> r1, r2 = ds.roc(y, [2, 1, 4, 3, 6, 5, 1, 3, 4, 2]), ds.roc(y, [1, 2, 6, 4, 5, 7, 2, 5, 3, 3])
    >>> round(ds.planning.power_roc_curves(r1, r2), 4)
    0.0323
    >>> round(ds.planning.power_roc_curves(r1, r2, alpha=None, power=0.5), 4)
    0.4227
    """
    alternative = check_alternative(alternative)
    if (alpha is None) == (power is None):
        raise OptionError("Give alpha (to compute the power) or power with alpha=None (to compute the significance "
                          "level), not both or neither; for the patients needed for a power, use "
                          "ds.planning.sample_size_roc_curves.")
    _alpha_power(0.05 if alpha is None else alpha, power)
    area = dict(specificity=specificity, sensitivity=sensitivity, correct=correct)
    delta, v0, va = _difference_variances(roc1, roc2, alternative, method, area,
                                          dict(n_boot=n_boot, seed=seed, progress=progress, stratified=stratified))
    if alpha is not None:
        return float(stats.norm.cdf((abs(delta) - z_critical(alpha, alternative) * math.sqrt(v0)) / math.sqrt(va)))
    z_alpha = (abs(delta) - normal_quantile(power) * math.sqrt(va)) / math.sqrt(v0)
    return _significance_level(z_alpha, alternative, power, float(stats.norm.cdf(abs(delta) / math.sqrt(va))))


def _difference_variances(roc1, roc2, alternative: str, method: str, area: dict | None = None,
                          boot: dict | None = None) -> tuple[float, float, float]:
    """AUC1 - AUC2 and the variances of the difference under the null (2 (V1 - C)) and the alternative
    (V1 + V2 - 2 C), by ``method``, with the checks both functions share; ``area`` the partial-AUC range
    (``specificity``, ``sensitivity``, ``correct``), ``boot`` the bootstrap's ``n_boot``, ``seed``, ``progress``."""
    from ..roc_analysis.curve import ROCResult
    from ..roc_analysis.weighted import refuse_weighted

    for name, r in (("roc1", roc1), ("roc2", roc2)):
        if not isinstance(r, ROCResult):
            raise DataError(f"{name} must be a ROC curve from diagstats.roc(...); got {type(r).__name__}.")
        refuse_weighted(r, name, "power_roc_curves")
    method = check_option(method, "method", POWER_VARIANCE_METHODS)
    if area is not None:
        area = {**area, "correct": check_flag(area["correct"], "correct")}
    area = {} if area is None or (area["specificity"] is None and area["sensitivity"] is None) else area
    if boot:
        from ..roc_analysis.bootstrap import check_stratified

        boot = {**boot, "stratified": check_stratified(boot["stratified"], method)}
    options = {**area, **(boot or {})} if method == "bootstrap" else area
    if area and method == "delong":
        raise OptionError("method='delong' gives variances of full AUCs; compare partial AUCs with "
                          "method='bootstrap' (as pROC does) or method='obuchowski'.")
    delta = (roc1.partial_auc(**area).value - roc2.partial_auc(**area).value if area
             else roc1.auc.value - roc2.auc.value)
    _check_direction(alternative, delta, "AUC1", "AUC2")
    if method == "delong" and min(roc1.n_cases, roc1.n_controls) < 2:
        raise DataError(f"roc1: DeLong's variances need at least 2 cases and 2 controls; the curves have "
                        f"{roc1.n_cases} case(s) and {roc1.n_controls} control(s). Add patients of the rarer class.")
    try:
        c = roc1.auc_covariance(roc2, method, **options)
    except DataError as exc:   # curves of different patients
        raise DataError("roc1, roc2: " + str(exc).removeprefix("other: ")) from None
    v1, v2 = roc1.auc_variance(method, **options), roc2.auc_variance(method, **options)
    va, v0 = v1 + v2 - 2 * c, 2 * (v1 - c)
    label = {"delong": "DeLong", "obuchowski": "Obuchowski", "bootstrap": "bootstrap"}[method]
    if va <= 0:
        raise DataError(f"roc1, roc2: the {label} variance of the AUC difference is {va:.3g}: the curves separate "
                        "their patients completely or are perfectly correlated, so there is no power to compute.")
    if v0 <= 0:
        raise DataError(f"roc1: the null variance of the difference, 2 (V1 - C) = {v0:.3g}, is not positive (roc1's "
                        "AUC variance is below the covariance of the two AUCs). Swap roc1 and roc2: the null "
                        "hypothesis takes roc1's variance.")
    return delta, v0, va


def sample_size_roc_curves(roc1, roc2, *, power: float = 0.8, alpha: float = 0.05, ratio: float | None = None,
                           alternative: str = "two-sided", method: str = "delong",
                           specificity: tuple[float, float] | None = None,
                           sensitivity: tuple[float, float] | None = None, correct: bool = False, n_boot: int = 2000,
                           seed=0, progress: bool = True, stratified: bool = True) -> SampleSize:
    """Patients needed for the paired test of two ROC curves to reach ``power``, with the AUCs, variances and
    covariance of two observed (pilot) curves; pROC ``power.roc.test(roc1, roc2, power=)``.

    Obuchowski & McClish (1997), formula 2: ``n1 = [z_alpha sqrt(n V0) + z_power sqrt(n VA)]^2 / delta^2``
    diseased patients, where ``n V0`` and ``n VA`` are the observed variances of the difference (see the
    module) times the pilot's number of cases ``n`` (the variance per case), and ``ratio * n1``
    non-diseased patients.

    Parameters
    ----------
    roc1, roc2 : ROCResult
        Two pilot curves of the same patients; the null hypothesis takes roc1's variance.
    power, alpha : float
    ratio : float, optional
        Non-diseased per diseased patient to plan; by default the pilot's (roc1's controls per case),
        as pROC's ``kappa``.
    alternative : {"two-sided", "greater", "less"}
    method : {"delong", "obuchowski", "bootstrap"}, default "delong"
        As :func:`power_roc_curves` (``n_boot``, ``seed``, ``progress``, ``stratified`` for the bootstrap).
    specificity, sensitivity : (low, high), optional
        Plan the comparison of partial AUCs over this range (``correct``: McClish-standardised), with
        ``method="bootstrap"`` or ``"obuchowski"``; pROC ``power.roc.test(roc1, roc2, power=)`` of curves
        with ``partial.auc``.

    Returns
    -------
    SampleSize
        ``exact`` is the unrounded number of diseased patients (pROC's ``ncases``); ``power`` the power
        at the rounded numbers.

    References
    ----------
    Obuchowski NA, McClish DK (1997). Statistics in Medicine 16:1529-1542.

    Examples
    --------
    >>> import numpy as np, diagstats as ds
    >>> rng = np.random.default_rng(2)
    >>> y = rng.random(300) < 0.4
    >>> common = rng.normal(size=300)
    >>> r1 = ds.roc(y, 1.0 * y + common + rng.normal(size=300))
    >>> r2 = ds.roc(y, 0.5 * y + common + rng.normal(size=300))
    >>> ds.planning.sample_size_roc_curves(r1, r2, power=0.9).n_diseased
    119
    >>> ds.planning.sample_size_roc_curves(r1, r2, power=0.9, method="obuchowski", specificity=(0.8, 1)).n_diseased
    571
    """
    alternative = check_alternative(alternative)
    _alpha_power(alpha, power)
    area = dict(specificity=specificity, sensitivity=sensitivity, correct=correct)
    delta, v0, va = _difference_variances(roc1, roc2, alternative, method, area,
                                          dict(n_boot=n_boot, seed=seed, progress=progress, stratified=stratified))
    partial = specificity is not None or sensitivity is not None
    auc1, auc2 = ((roc1.partial_auc(**area).value, roc2.partial_auc(**area).value) if partial
                  else (roc1.auc.value, roc2.auc.value))
    if delta == 0:
        raise DataError(f"roc1, roc2: the two curves have the same {'partial ' if partial else ''}AUC ({auc1:.4g}), "
                        "so no number of patients detects their difference; plan with the difference you expect "
                        "(sample_size_two_aucs or sample_size_binormal_aucs).")
    ratio = roc1.n_controls / roc1.n_cases if ratio is None else check_positive_number(ratio, "ratio")
    m = roc1.n_cases
    z_alpha = z_critical(alpha, alternative)
    n1 = (z_alpha * math.sqrt(m * v0) + normal_quantile(power) * math.sqrt(m * va)) ** 2 / delta**2
    n_d = max(math.ceil(n1 - 1e-9), 1)  # at least one patient of each class
    n_0 = max(math.ceil(ratio * n1 - 1e-9), 1)
    achieved = float(stats.norm.cdf((abs(delta) * math.sqrt(n_d) - z_alpha * math.sqrt(m * v0)) / math.sqrt(m * va)))
    label = {"delong": "DeLong", "obuchowski": "Obuchowski", "bootstrap": "bootstrap"}[method]
    what = " of the partial AUCs" if partial else ""
    return SampleSize(n=n_d + n_0, n_diseased=n_d, n_non_diseased=n_0, exact=n1, power=achieved,
                      method=f"Obuchowski & McClish 1997 with the pilot curves' {label} variances{what}",
                      inputs=dict(auc1=auc1, auc2=auc2, pilot_cases=m, pilot_controls=roc1.n_controls, ratio=ratio,
                                  alpha=alpha, power=power, alternative=alternative, method=method,
                                  specificity=specificity, sensitivity=sensitivity, correct=correct))
