"""Obuchowski's binormal variance of an observed AUC and covariance of two paired AUCs.

Obuchowski & McClish (1997), Table 1 and eq. 4-5, give the variance of a binormal area
``Phi(a / sqrt(1 + b^2))`` and the covariance of two such areas read on the same patients from the
binormal parameters ``(a, b)`` of each curve, the ratio ``R = n_controls / n_cases`` and the
correlations ``r_D``, ``r_N`` of the two tests' scores among the diseased and the non-diseased (the
formulas are in :func:`diagstats.planning.sample_size_binormal_aucs`, which plans a study with them).
pROC's ``var(roc, method = "obuchowski")`` and ``cov(roc1, roc2, method = "obuchowski")`` evaluate
them on observed curves; so does this module, with the same choices, so that the numbers agree:

* ``(a, b)``: pROC's binormal smoothing ("a linear model is fitted to the quantiles of the
  sensitivities and specificities"): the least-squares line
  ``Phi^-1(specificity) = a - b Phi^-1(sensitivity)`` through the empirical ROC points strictly
  inside the unit square. That is the binormal line of the curve read with the classes exchanged
  (specificity against 1 - sensitivity); its area ``Phi(a / sqrt(1 + b^2))`` is the binormal AUC,
  and the variance formula is then evaluated with ``R = n_controls / n_cases`` per case, as pROC does.
* ``r_D``, ``r_N``: Pearson's correlations of the two (oriented) scores among the cases and among
  the controls.

A partial AUC (``area``: focus, low, high, McClish correction) takes the same formulas with the
partial-area derivatives of Table 1, over the range of false-positive rates of the polygon the
partial AUC integrates: for a specificity range (low, high) the curve
``sensitivity = Phi(a/b + (1/b) Phi^-1(1 - specificity))`` (the line solved for the sensitivity)
over FPR ``(1 - high, 1 - low)``, per case with ``R = n_controls / n_cases``; for a sensitivity
range the curve with the classes exchanged, ``specificity = Phi(a + b Phi^-1(1 - sensitivity))``,
over ``(1 - high, 1 - low)``, per control with ``R = n_cases / n_controls`` and the two classes'
correlations exchanged. McClish's correction is linear in the area, so it scales the variance by
the square of its slope. Over the whole range this gives a slightly different number from the
full-AUC variance above (which keeps pROC's convention for parity): the published formula leaves
out Cov(a, b), so it depends on which class the binormal curve calls diseased. (pROC 1.18 evaluates
its partial-area formula over the specificity range itself instead of the false-positive rates,
which gives variances up to hundreds of times too small; see docs/differences_from_r.md.)

The binormal assumption matters here (not for DeLong's or the bootstrap variance); pROC's
documentation suggests normalising a skewed score first (e.g. ``Phi^-1(rank / (n + 1))``).

References
----------
Obuchowski NA, McClish DK (1997). Sample size determination for diagnostic accuracy studies
involving binormal ROC curve indices. Statistics in Medicine 16:1529-1542.

>>> import numpy as np, diagstats as ds
>>> rng = np.random.default_rng(0)
>>> y = rng.random(300) < 0.4
>>> r = ds.roc(y, 1.2 * y + rng.normal(size=300))
>>> v = r.auc_variance("obuchowski")
>>> 0.5 < v / r.auc_variance("delong") < 2
True
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from .._core.binormal import Binormal, binormal_covariance
from ..errors import DataError
from .partial import chance_area

__all__ = ["binormal_line", "obuchowski_covariance", "obuchowski_variance"]


def binormal_line(roc) -> tuple[float, float]:
    """``(a, b)``: least squares of Phi^-1(specificity) on Phi^-1(sensitivity) (pROC's binormal smoothing)."""
    tp, fp = roc._positives()
    sensitivity, specificity = tp / roc.n_cases, 1 - fp / roc.n_controls
    inside = (sensitivity > 0) & (sensitivity < 1) & (specificity > 0) & (specificity < 1)
    x, y = stats.norm.ppf(sensitivity[inside]), stats.norm.ppf(specificity[inside])
    if inside.sum() < 2 or np.ptp(x) == 0:
        raise DataError(f"method='obuchowski': the binormal line needs at least 2 ROC points with different "
                        f"sensitivities strictly between 0 and 1; this curve has {int(inside.sum())} such point(s). "
                        "Use method='delong', which assumes no binormal model.")
    slope, intercept = np.polyfit(x, y, 1)
    return float(intercept), float(-slope)


def _oriented(roc, area) -> tuple[Binormal, int, float, bool]:
    """The binormal curve whose (partial) area is asked, the number of its "diseased" patients, its ratio
    R of the other class to them, and whether the classes are exchanged (a sensitivity range)."""
    a, b = binormal_line(roc)
    if area is None:   # pROC's convention for the whole area
        return Binormal(a, b, None), roc.n_cases, roc.n_controls / roc.n_cases, False
    focus, low, high, _ = area
    fpr = (1 - high, 1 - low)
    if focus == "sensitivity":
        return Binormal(a, b, fpr), roc.n_controls, roc.n_cases / roc.n_controls, True
    if b <= 0:
        raise DataError(f"method='obuchowski': the binormal line of this curve has slope b = {b:.3g} <= 0, so the "
                        "sensitivity is not a binormal function of the specificity and no partial area over a "
                        "specificity range follows from it. Use method='bootstrap'.")
    return Binormal(a / b, 1 / b, fpr), roc.n_cases, roc.n_controls / roc.n_cases, False


def _correction_slope(area) -> float:
    """d(reported area) / d(partial area): McClish's (linear) correction, or 1."""
    if area is None or not area[3]:
        return 1.0
    lo, hi = 1 - area[2], 1 - area[1]
    return 1 / (2 * (hi - lo - chance_area(lo, hi)))


def obuchowski_variance(roc, area: tuple | None = None) -> float:
    """Var(AUC), or of the partial AUC ``area = (focus, low, high, correct)``, by Obuchowski & McClish (1997) at
    the curve's least-squares binormal line (see the module)."""
    curve, n, ratio, _ = _oriented(roc, area)
    return float(binormal_covariance(curve, curve, 0.0, 0.0, ratio, same=True) / n * _correction_slope(area) ** 2)


def _correlation(x: np.ndarray, y: np.ndarray, who: str) -> float:
    if len(x) < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        raise DataError(f"method='obuchowski': the correlation of the two scores among the {who} is undefined (fewer "
                        f"than 2 {who}, or a score constant among them). Use method='delong'.")
    x, y = x / np.max(np.abs(x)), y / np.max(np.abs(y))   # scale-free; no overflow for scores near 1e308
    return float(np.clip(np.corrcoef(x, y)[0, 1], -1.0, 1.0))


def obuchowski_covariance(roc1, roc2, area: tuple | None = None) -> float:
    """Cov(AUC1, AUC2), or of the two partial AUCs over ``area`` (as :func:`obuchowski_variance`), by Obuchowski &
    McClish (1997, eq. 5) for two curves of the same patients, in the same order."""
    r_cases = _correlation(roc1.cases, roc2.cases, "cases")
    r_controls = _correlation(roc1.controls, roc2.controls, "controls")
    (curve1, n, ratio, exchanged), (curve2, *_) = _oriented(roc1, area), _oriented(roc2, area)
    r_diseased, r_non_diseased = (r_controls, r_cases) if exchanged else (r_cases, r_controls)
    covariance = binormal_covariance(curve1, curve2, r_diseased, r_non_diseased, ratio, same=False)
    return float(covariance / n * _correction_slope(area) ** 2)
