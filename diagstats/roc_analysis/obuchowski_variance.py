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


def _binormal(roc):
    a, b = binormal_line(roc)
    return Binormal(a, b, None)


def obuchowski_variance(roc) -> float:
    """Var(AUC) by Obuchowski & McClish (1997) at the curve's least-squares binormal line (see the module)."""
    curve = _binormal(roc)
    ratio = roc.n_controls / roc.n_cases
    return float(binormal_covariance(curve, curve, 0.0, 0.0, ratio, same=True) / roc.n_cases)


def _correlation(x: np.ndarray, y: np.ndarray, who: str) -> float:
    if len(x) < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        raise DataError(f"method='obuchowski': the correlation of the two scores among the {who} is undefined (fewer "
                        f"than 2 {who}, or a score constant among them). Use method='delong'.")
    x, y = x / np.max(np.abs(x)), y / np.max(np.abs(y))   # scale-free; no overflow for scores near 1e308
    return float(np.clip(np.corrcoef(x, y)[0, 1], -1.0, 1.0))


def obuchowski_covariance(roc1, roc2) -> float:
    """Cov(AUC1, AUC2) by Obuchowski & McClish (1997, eq. 5) for two curves of the same patients, in the same order."""
    r_cases = _correlation(roc1.cases, roc2.cases, "cases")
    r_controls = _correlation(roc1.controls, roc2.controls, "controls")
    ratio = roc1.n_controls / roc1.n_cases
    covariance = binormal_covariance(_binormal(roc1), _binormal(roc2), r_cases, r_controls, ratio, same=False)
    return float(covariance / roc1.n_cases)
