"""Zhou & Dendukuri's I^2 for the bivariate meta-analysis of sensitivity and specificity.

Higgins & Thompson's I^2 compares the between-study variance tau^2 with a "typical" within-study
variance. For a proportion that typical variance is misleading: the within-study variance of a study's
logit sensitivity, about ``1 / (n p (1 - p))``, depends on its true sensitivity ``p``, which varies between
studies. Zhou & Dendukuri (2014) use instead the within-study variance *expected* under the random-effects
model. With logit sensitivity ``N(mu, tau^2)`` across studies and ``n_i`` diseased in study i, the
lognormal moments give

    E[1 / (n_i p (1 - p))] = (2 + exp(mu + tau^2 / 2) + exp(-mu + tau^2 / 2)) / n_i,

and the expected within-study variance ``s^2`` is its mean over the studies; then
``I^2 = tau^2 / (tau^2 + s^2)`` (likewise for specificity, with the non-diseased). The bivariate I^2
accounts for the correlation of sensitivity and specificity through generalised variances (determinants):
with ``Sigma`` the between-study covariance and ``S = diag(s^2_sens, s^2_spec)`` (sensitivity and
specificity are estimated on different patients),

    I^2_bivariate = |Sigma|^(1/2) / (|Sigma|^(1/2) + |S|^(1/2)).

These are the statistics that Stata's ``metadta`` (Nyaga & Arbyn 2022) prints for a model without
covariates ("Generalized" tau^2 = |Sigma| and I^2, and the I^2 of sensitivity and specificity). The paper's
full text was not at hand: the formulas follow its abstract (the expected within-study variance in place of
the typical one; a bivariate I^2 that accounts for the correlation) and are confirmed by metadta's printed
output, whose every digit they reproduce on its dementia example, from metandi's printed estimates and from
this package's GLMM fit (tests/meta/test_meta_heterogeneity.py).

>>> import pandas as pd, diagstats as ds
>>> studies = pd.DataFrame({"tp": [30, 69, 44, 62, 27, 37], "fp": [5, 7, 0, 12, 13, 19],
...                         "fn": [2, 2, 7, 5, 10, 4], "tn": [135, 65, 150, 77, 85, 113]})
>>> het = ds.meta.bivariate(studies).heterogeneity()
>>> round(het.i2_sensitivity.value, 1), round(het.i2_specificity.value, 1), round(het.i2_bivariate.value, 1)
(62.0, 68.5, 64.4)

References
----------
Zhou Y, Dendukuri N (2014). Statistics for quantifying heterogeneity in univariate and bivariate
meta-analyses of binary data: the case of meta-analyses of diagnostic accuracy. Stat Med 33:2701-2717.
Nyaga VN, Arbyn M (2022). Metadta: a Stata command for meta-analysis and meta-regression of diagnostic
test accuracy data - a tutorial. Arch Public Health 80:95.
Higgins JPT, Thompson SG (2002). Quantifying heterogeneity in a meta-analysis. Stat Med 21:1539-1558.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import OptionError
from ..results import Estimate, ResultTable, estimates_frame, format_number

if TYPE_CHECKING:
    from .models import BivariateMetaResult

__all__ = ["BivariateHeterogeneityResult", "heterogeneity"]

METHOD = "Zhou & Dendukuri (expected within-study variance)"
#: |rho| this close to 1 puts the between-study covariance on its boundary (a singular matrix).
SINGULAR_RHO = 1 - 1e-4


@dataclass(frozen=True, repr=False)
class BivariateHeterogeneityResult(ResultTable):
    """Heterogeneity of a bivariate meta-analysis: Zhou & Dendukuri's I^2 (in %) and their ingredients.

    Attributes
    ----------
    k : int
        Number of studies.
    fit_method : str
        The bivariate fit the statistics come from ("reml", "ml" or "glmm").
    i2_sensitivity, i2_specificity : Estimate
        ``100 tau^2 / (tau^2 + s^2)`` of logit sensitivity and logit specificity, ``s^2`` the expected
        within-study variance.
    i2_bivariate : Estimate
        ``100 |Sigma|^(1/2) / (|Sigma|^(1/2) + s_sens s_spec)``: the share of the generalised standard
        deviation due to between-study heterogeneity, accounting for the correlation.
    tau2_sensitivity, tau2_specificity : float
        Between-study variances of logit sensitivity and logit specificity.
    generalized_variance : float
        ``|Sigma|``, the determinant of the between-study covariance ("Generalized tau^2" in metadta).
    within_variance_sensitivity, within_variance_specificity : float
        The expected within-study variances ``s^2``.
    """

    k: int
    fit_method: str
    i2_sensitivity: Estimate
    i2_specificity: Estimate
    i2_bivariate: Estimate
    tau2_sensitivity: float
    tau2_specificity: float
    generalized_variance: float
    within_variance_sensitivity: float
    within_variance_specificity: float
    notes: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Heterogeneity of the bivariate meta-analysis: Zhou & Dendukuri I^2 ({self.k} studies)"

    def header_lines(self) -> list[str]:
        return [f"tau2 (logit sens, logit spec) = {format_number(self.tau2_sensitivity)}, "
                f"{format_number(self.tau2_specificity)}; generalized variance |Sigma| = "
                f"{format_number(self.generalized_variance)} ({self.fit_method} fit)"]

    def to_frame(self) -> pd.DataFrame:
        """Rows: the three I^2 (%), then tau2, |Sigma| and the expected within-study variances (values
        without an interval, so their ``level`` is NaN)."""
        plain = [("tau2_sensitivity", self.tau2_sensitivity, "between-study variance, logit sensitivity"),
                 ("tau2_specificity", self.tau2_specificity, "between-study variance, logit specificity"),
                 ("generalized_variance", self.generalized_variance, "determinant of the between-study covariance"),
                 ("within_variance_sensitivity", self.within_variance_sensitivity, METHOD),
                 ("within_variance_specificity", self.within_variance_specificity, METHOD)]
        rows = [Estimate(value, np.nan, np.nan, np.nan, method, name) for name, value, method in plain]
        return estimates_frame([self.i2_sensitivity, self.i2_specificity, self.i2_bivariate, *rows])

    def __repr__(self) -> str:
        return (f"BivariateHeterogeneityResult(k={self.k}, i2_sensitivity={self.i2_sensitivity.value:.4g}, "
                f"i2_specificity={self.i2_specificity.value:.4g}, i2_bivariate={self.i2_bivariate.value:.4g})")


def expected_within_variance(mu: float, tau2: float, n: np.ndarray) -> float:
    """Mean over the studies of E[1 / (n_i p (1 - p))] for logit p ~ N(mu, tau2) (lognormal moments)."""
    return float(np.mean((2 + np.exp(mu + tau2 / 2) + np.exp(-mu + tau2 / 2)) / n))


def _share(between: float, within: float) -> float:
    return float(100 * between / (between + within)) if between + within > 0 else 0.0


def heterogeneity(fit: BivariateMetaResult) -> BivariateHeterogeneityResult:
    """Zhou & Dendukuri's I^2 of sensitivity, specificity and both together, from a bivariate fit.

    See :meth:`diagstats.meta.BivariateMetaResult.heterogeneity`.
    """
    if fit.covariates:
        raise OptionError(f"heterogeneity() is defined for the bivariate model without covariates (Zhou & "
                          f"Dendukuri 2014; metadta reports it only then); this fit has {list(fit.covariates)}, "
                          "whose tau2 is the residual variance around study-specific means. Refit without "
                          "covariate=/covariates= (or per subgroup) to quantify the heterogeneity.")
    if fit.alpha != (1.0, 1.0):
        raise OptionError(f"heterogeneity() needs the logit model (alpha_sensitivity=1, alpha_fpr=1): the expected "
                          f"within-study variance of Zhou & Dendukuri is that of a logit; this fit uses t-alpha "
                          f"transformations (alpha {fit.alpha[0]:g}, {fit.alpha[1]:g}).")
    studies = fit.studies
    n_diseased = (studies["tp"] + studies["fn"]).to_numpy(float)
    n_healthy = (studies["fp"] + studies["tn"]).to_numpy(float)
    mu_sens, mu_fpr = (float(m) for m in fit.mu)
    tau2_sens, tau2_spec = (float(t) for t in fit.tau2)   # Var(logit spec) = Var(logit FPR)
    within_sens = expected_within_variance(mu_sens, tau2_sens, n_diseased)
    within_spec = expected_within_variance(-mu_fpr, tau2_spec, n_healthy)
    generalized = max(float(np.linalg.det(fit.sigma)), 0.0)
    notes = (f"from the {fit.method} fit; the within-study variances from the studies' numbers of diseased "
             "and non-diseased (raw counts)",)
    if abs(fit.rho) >= SINGULAR_RHO:
        notes += (f"the between-study correlation is at its bound (rho = {fit.rho:.4f}): the between-study "
                 "covariance is (nearly) singular, so the bivariate I^2 is close to 0 although sensitivity and "
                 "specificity may each be heterogeneous; read the univariate I^2",)
    def i2(value: float, name: str) -> Estimate:
        return Estimate(value, np.nan, np.nan, np.nan, METHOD, name)

    return BivariateHeterogeneityResult(
        k=fit.k, fit_method=fit.method,
        i2_sensitivity=i2(_share(tau2_sens, within_sens), "i2_sensitivity"),
        i2_specificity=i2(_share(tau2_spec, within_spec), "i2_specificity"),
        i2_bivariate=i2(_share(np.sqrt(generalized), np.sqrt(within_sens * within_spec)), "i2_bivariate"),
        tau2_sensitivity=tau2_sens, tau2_specificity=tau2_spec, generalized_variance=generalized,
        within_variance_sensitivity=within_sens, within_variance_specificity=within_spec, notes=notes)
