"""Comparative meta-analysis: the bivariate model with one categorical study-level covariate.

``ds.meta.bivariate(data, covariate="modality")`` fits the Reitsma model with the covariate's levels
as fixed effects on logit sensitivity and logit false-positive rate (one shared between-study
covariance), and this module turns that fit into what a comparison of tests needs: the summary
point of every level, each level's difference and ratio against the reference level (relative
sensitivity and specificity), and the likelihood-ratio test of the covariate from ML fits.

>>> import pandas as pd, diagstats as ds
>>> tables = pd.DataFrame({"tp": [30, 69, 44, 62, 27, 37, 52], "fp": [5, 7, 2, 12, 13, 19, 4],
...                        "fn": [2, 2, 7, 5, 10, 4, 9], "tn": [135, 65, 150, 77, 85, 113, 98],
...                        "test": ["A", "A", "A", "A", "B", "B", "B"]})
>>> fit = ds.meta.bivariate(tables, covariate="test")
>>> print(fit.sensitivities["B"].format(2))
sensitivity 0.83 (95% CI 0.71 to 0.91, Wald on logit scale)
>>> print(fit.covariate_test.format(2))
test: likelihood-ratio test of ML fits, statistic 5.15 (df 2), p = 0.08
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit

from .._core.quantiles import z_two_sided
from .._input import _show, check_dataframe, column
from ..errors import DataError
from ..results import Estimate, TestResult, estimates_frame, format_number, format_p, tidy
from . import _fit
from .models import BIVARIATE_METHODS, BivariateMetaResult

__all__ = ["BivariateRegressionResult", "covariate_levels", "compare_levels"]

COMPARISONS = ("sensitivity_difference", "specificity_difference", "relative_sensitivity", "relative_specificity")


def covariate_levels(data: Any, covariate: Any, k: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """The covariate's value per table (as text) and its levels, the reference first.

    A pandas Categorical keeps its category order (unused categories dropped); other columns are
    sorted (numbers in numeric order). At least two levels are needed.
    """
    check_dataframe(data, what="one 2x2 table per row (covariate is a column name of data)")
    if not isinstance(covariate, str):
        raise DataError(f"covariate={_show(covariate)} must be the name of one column of data, e.g. "
                        "covariate='modality'; for several covariates use covariates=[...].")
    values = column(data, covariate, "covariate")
    if values.isna().any():
        n = int(values.isna().sum())
        raise DataError(f"covariate={covariate!r} is missing for {n} table{'s' if n > 1 else ''}; fill it in or "
                        "drop those rows.")
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = [str(c) for c in values.cat.remove_unused_categories().cat.categories]
    else:
        distinct = values.unique()
        try:                                   # numbers in numeric order, text alphabetically
            distinct = sorted(distinct)
        except TypeError:
            distinct = sorted(distinct, key=str)
        categories = list(dict.fromkeys(str(v) for v in distinct))
    if len(categories) < 2:
        raise DataError(f"covariate={covariate!r} has one value ({categories[0]!r}) in every table, so there is "
                        "nothing to compare; pool them without covariate=.")
    if len(values) != k:  # pragma: no cover - data is the frame the counts were read from
        raise DataError(f"covariate={covariate!r} has {len(values)} values for {k} tables.")
    return np.array([str(v) for v in values], dtype=object), tuple(categories)


@dataclass(frozen=True, repr=False)
class BivariateRegressionResult(BivariateMetaResult):
    """Bivariate meta-regression on one categorical covariate (comparative meta-analysis).

    Everything of :class:`BivariateMetaResult` (its ``sensitivity``, ``specificity``, LRs, SROC and
    regions are those of the reference level), and:

    Attributes
    ----------
    covariate : str
        The column compared; ``categories`` its levels, the reference first.
    sensitivities, specificities : mapping level -> Estimate
        Summary sensitivity and specificity of every level (Wald on the logit scale).
    comparisons : mapping level -> tuple of Estimate
        For each level other than the reference: sensitivity and specificity difference (level minus
        reference) and relative sensitivity and specificity (level / reference), delta method.
    covariate_test : TestResult
        Likelihood-ratio test that all levels share one summary point (ML fits, df = 2 x (levels - 1)).
    studies : DataFrame
        As in :class:`BivariateMetaResult`, with the covariate's level of each table in ``group``.
    """

    covariate: str = ""
    categories: tuple[str, ...] = ()
    sensitivities: Mapping[str, Estimate] = field(default_factory=dict)
    specificities: Mapping[str, Estimate] = field(default_factory=dict)
    comparisons: Mapping[str, tuple[Estimate, ...]] = field(default_factory=dict)
    covariate_test: TestResult | None = None

    @property
    def key_columns(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.covariate,)

    @property
    def reference(self) -> str:
        return self.categories[0]

    @property
    def title(self) -> str:  # type: ignore[override]
        return (f"Bivariate meta-regression of sensitivity and specificity on {self.covariate} "
                f"({BIVARIATE_METHODS[self.method]}, {self.k} tables)")

    def header_lines(self) -> list[str]:
        test = self.covariate_test
        return [f"{self.covariate}: {len(self.categories)} levels, reference {self.reference}; likelihood-ratio "
                f"test (ML fits) chi2 = {format_number(test.statistic)}, df {test.df:g}, {format_p(test.p_value)}",
                f"tau2 (logit sens, logit FPR) = {format_number(self.tau2[0])}, {format_number(self.tau2[1])}; "
                f"rho = {format_number(self.rho)}; log-likelihood {format_number(self.loglik)}"]

    def to_frame(self) -> pd.DataFrame:
        """Rows: sensitivity and specificity of every level, then each level's differences and ratios
        against the reference (``compared_with``), then tau2, rho and the covariate's LR test (key empty)."""
        keys, compared, rows = [], [], []
        for c in self.categories:
            rows += [self.sensitivities[c], self.specificities[c]]
            keys += [c, c]
            compared += ["", ""]
        for c, estimates in self.comparisons.items():
            rows += list(estimates)
            keys += [c] * len(estimates)
            compared += [self.reference] * len(estimates)
        label = BIVARIATE_METHODS[self.method]
        test = self.covariate_test
        shared = [Estimate(self.tau2[0], np.nan, np.nan, np.nan, label, "tau2_sensitivity"),
                  Estimate(self.tau2[1], np.nan, np.nan, np.nan, label, "tau2_fpr"),
                  Estimate(self.rho, np.nan, np.nan, np.nan, label, "rho"),
                  Estimate(test.statistic, np.nan, np.nan, np.nan,
                           f"{test.method}, df {test.df:g}, p {test.p_value:.4g}", "covariate_lr_test")]
        frame = estimates_frame(rows + shared)
        frame[self.covariate] = keys + [""] * len(shared)
        frame["compared_with"] = compared + [""] * len(shared)
        return tidy(frame, self.key_columns)

    def __repr__(self) -> str:
        return (f"BivariateRegressionResult(covariate={self.covariate!r}, method={self.method!r}, k={self.k}, "
                f"levels={list(self.categories)}, p={self.covariate_test.p_value:.3g})")


def _lincomb(contrast: np.ndarray, beta: np.ndarray, vcov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return contrast @ beta, np.sqrt(np.einsum("ij,jk,ik->i", contrast, vcov, contrast))


def compare_levels(base: BivariateMetaResult, covariate: str, categories: tuple[str, ...], values: np.ndarray,
                   labels: list[str], y1, y2, s1, s2, z: np.ndarray) -> BivariateRegressionResult:
    """Per-level summary points, comparisons with the reference level and the covariate's LR test."""
    q, n_levels = z.shape[1], len(categories)
    level, beta, vcov = base.level, base.coefficients["estimate"].to_numpy(), base.vcov
    # level j's linear predictor is intercept + its dummy (treatment coding, the reference first)
    contrast = np.zeros((n_levels, q))
    contrast[:, 0] = 1.0
    contrast[np.arange(1, n_levels), np.arange(1, n_levels)] = 1.0
    zq = z_two_sided(level)
    wald = "Wald on logit scale"
    eta_s, se_s = _lincomb(contrast, beta[:q], vcov[:q, :q])
    eta_f, se_f = _lincomb(contrast, beta[q:], vcov[q:, q:])
    sens_lo, sens_hi = expit(eta_s - zq * se_s), expit(eta_s + zq * se_s)
    fpr_lo, fpr_hi = expit(eta_f - zq * se_f), expit(eta_f + zq * se_f)
    p, f = expit(eta_s), expit(eta_f)
    sensitivities = {c: Estimate(float(p[j]), float(sens_lo[j]), float(sens_hi[j]), level, wald, "sensitivity")
                     for j, c in enumerate(categories)}
    specificities = {c: Estimate(float(1 - f[j]), float(1 - fpr_hi[j]), float(1 - fpr_lo[j]), level, wald,
                                 "specificity") for j, c in enumerate(categories)}

    # delta method: gradients of (sens diff, spec diff, log relative sens, log relative spec) in beta
    other = contrast[1:]
    ref = contrast[0]
    zeros = np.zeros_like(other)
    grads = {
        "sensitivity_difference": np.hstack([(p[1:] * (1 - p[1:]))[:, None] * other - p[0] * (1 - p[0]) * ref,
                                             zeros]),
        "specificity_difference": np.hstack([zeros, -(f[1:] * (1 - f[1:]))[:, None] * other
                                             + f[0] * (1 - f[0]) * ref]),
        "relative_sensitivity": np.hstack([(1 - p[1:])[:, None] * other - (1 - p[0]) * ref, zeros]),
        "relative_specificity": np.hstack([zeros, -f[1:, None] * other + f[0] * ref]),
    }
    point = {"sensitivity_difference": p[1:] - p[0], "specificity_difference": (1 - f[1:]) - (1 - f[0]),
             "relative_sensitivity": np.log(p[1:] / p[0]), "relative_specificity": np.log((1 - f[1:]) / (1 - f[0]))}
    comparisons: dict[str, list[Estimate]] = {c: [] for c in categories[1:]}
    for name in COMPARISONS:
        g = grads[name]
        se = np.sqrt(np.einsum("ij,jk,ik->i", g, vcov, g))
        lo, hi = point[name] - zq * se, point[name] + zq * se
        ratio = name.startswith("relative")
        method = (f"delta method on log scale, vs {categories[0]}" if ratio
                  else f"delta method, vs {categories[0]}")
        for j, c in enumerate(categories[1:]):
            values_ = (np.exp(point[name][j]), np.exp(lo[j]), np.exp(hi[j])) if ratio else \
                (point[name][j], lo[j], hi[j])
            comparisons[c].append(Estimate(*(float(v) for v in values_), level, method, name))

    # likelihood-ratio test of the covariate: ML fits with and without it (REML likelihoods of models with
    # different fixed effects are not comparable)
    full = _fit.fit_bivariate(y1, y2, s1, s2, z, reml=False)
    null = _fit.fit_bivariate(y1, y2, s1, s2, np.ones((len(y1), 1)), reml=False)
    statistic = max(0.0, 2 * (full.loglik - null.loglik))
    df = 2 * (n_levels - 1)
    test = TestResult(float(statistic), float(stats.chi2.sf(statistic, df)),
                      "likelihood-ratio test of ML fits", df=df, name=covariate)

    counts = pd.Series(values).value_counts()
    level_notes = [f"{covariate} = {c}: {int(counts[c])} table{'s' if counts[c] > 1 else ''}" for c in categories]
    shared = pd.Series(labels).groupby(pd.Series(values)).agg(set)
    repeated = sorted({s for s in labels if sum(s in studies for studies in shared) > 1})
    notes = list(base.notes) + ["; ".join(level_notes)]
    if repeated:
        shown = ", ".join(repeated[:5]) + (", ..." if len(repeated) > 5 else "")
        notes.append(f"{len(repeated)} stud{'y' if len(repeated) == 1 else 'ies'} ({shown}) contribute tables to "
                     f"more than one level of {covariate}; the model treats every table as its own study, ignoring "
                     "that pairing (as the usual test-type meta-regression does)")
    if min(counts) < 2:
        notes.append(f"a level of {covariate} with a single table is estimated from that table and the shared "
                     "between-study covariance alone")
    studies = base.studies.assign(group=values)
    fields = {f.name: getattr(base, f.name) for f in dataclasses.fields(BivariateMetaResult)}
    fields.update(studies=studies, covariates=(covariate,), notes=tuple(notes))
    return BivariateRegressionResult(
        **fields, covariate=covariate, categories=categories, sensitivities=sensitivities,
        specificities=specificities, comparisons={c: tuple(v) for c, v in comparisons.items()}, covariate_test=test)
