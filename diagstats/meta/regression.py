"""Comparative meta-analysis: the bivariate model with one categorical study-level covariate.

``ds.meta.bivariate(data, covariate="modality")`` fits the Reitsma model with the covariate's levels
as fixed effects on logit sensitivity and logit false-positive rate (one shared between-study
covariance; the result is :class:`~diagstats.meta.models.BivariateRegressionResult`), and this
module computes what a comparison of tests needs: the summary
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

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit

from .._core.quantiles import z_two_sided
from .._input import _show, check_dataframe, column
from ..errors import DataError
from ..results import CONTRACT_COLUMNS, Estimate, TestResult, clip_interval
from . import _fit

__all__ = ["covariate_levels", "level_estimates", "covariate_test", "level_notes"]

#: Column names of the result's to_frame(), which the covariate's key column must not repeat.
RESERVED = (*CONTRACT_COLUMNS, "compared_with")
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
    if covariate in RESERVED:
        raise DataError(f"covariate={covariate!r} would name the key column of the result, which already has a "
                        f"{covariate!r} column; rename it, e.g. data.rename(columns={{{covariate!r}: 'modality'}}).")
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


def _lincomb(contrast: np.ndarray, beta: np.ndarray, vcov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return contrast @ beta, np.sqrt(np.einsum("ij,jk,ik->i", contrast, vcov, contrast))


def level_estimates(beta: np.ndarray, vcov: np.ndarray, q: int, categories: tuple[str, ...], level: float
                    ) -> tuple[dict[str, Estimate], dict[str, Estimate], dict[str, tuple[Estimate, ...]]]:
    """Per-level summary sensitivity and specificity and each level's comparisons with the reference.

    ``beta`` holds the q coefficients of logit sensitivity then the q of logit FPR (intercept and the
    treatment-coded levels, the reference first); ``vcov`` their covariance.
    """
    n_levels = len(categories)
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
    other, ref = contrast[1:], contrast[0]
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
            values = (np.exp(point[name][j]), np.exp(lo[j]), np.exp(hi[j])) if ratio else \
                (point[name][j], lo[j], hi[j])
            estimate = Estimate(*(float(v) for v in values), level, method, name)
            if not ratio:  # a difference of proportions: the delta-method interval can leave [-1, 1]
                estimate, _ = clip_interval(estimate, -1.0, 1.0, f"{name} interval", "delta-method")
            comparisons[c].append(estimate)
    return sensitivities, specificities, {c: tuple(v) for c, v in comparisons.items()}


def covariate_test(y1, y2, s1, s2, z: np.ndarray, covariate: str) -> TestResult:
    """Likelihood-ratio test of the covariate: ML fits with and without it.

    REML likelihoods of models with different fixed effects are not comparable (each is the
    likelihood of different error contrasts), so both models are refitted by ML.
    """
    full = _fit.fit_bivariate(y1, y2, s1, s2, z, reml=False)
    null = _fit.fit_bivariate(y1, y2, s1, s2, np.ones((len(y1), 1)), reml=False)
    statistic = max(0.0, 2 * (full.loglik - null.loglik))
    df = 2 * (z.shape[1] - 1)
    return TestResult(float(statistic), float(stats.chi2.sf(statistic, df)), "likelihood-ratio test of ML fits",
                      df=df, name=covariate)


def level_notes(covariate: str, categories: tuple[str, ...], values: np.ndarray, labels: list[str]) -> list[str]:
    """Tables per level; studies whose tables fall in several levels; levels with a single table."""
    counts = pd.Series(values).value_counts()
    notes = ["; ".join(f"{covariate} = {c}: {int(counts[c])} table{'s' if counts[c] > 1 else ''}"
                       for c in categories)]
    levels_of = pd.Series(values).groupby(pd.Series(labels)).nunique()
    repeated = [str(s) for s in levels_of.index[levels_of > 1]]
    if repeated:
        shown = ", ".join(repeated[:5]) + (", ..." if len(repeated) > 5 else "")
        notes.append(f"{len(repeated)} stud{'y' if len(repeated) == 1 else 'ies'} ({shown}) contribute tables to "
                     f"more than one level of {covariate}; the model treats every table as its own study, ignoring "
                     "that pairing (as the usual test-type meta-regression does)")
    if counts.min() < 2:
        notes.append(f"a level of {covariate} with a single table is estimated from that table and the shared "
                     "between-study covariance alone")
    return notes
