"""The proportional hazards (Lehmann) SROC model of Holling, Böhning & Böhning (2012), as mada's ``phm``.

Each study's sensitivity ``p`` and false positive rate ``u`` are assumed to lie on one Lehmann ROC
curve ``p = u ** theta`` (Le 2006): a single accuracy parameter ``theta > 0`` (smaller is better),
an SROC curve whose area is ``1 / (1 + theta)``, and a model that needs only one parameter without
heterogeneity and two with it. That makes it usable where the bivariate model is not: few studies,
or studies that disagree on the threshold.

>>> import pandas as pd, diagstats as ds
>>> studies = pd.DataFrame({"tp": [47, 126, 19, 36, 130], "fn": [9, 51, 10, 3, 19],
...                         "fp": [101, 272, 12, 78, 211], "tn": [738, 1543, 192, 276, 959]})
>>> fit = ds.meta.proportional_hazards(studies)
>>> print(fit.auc.format(3))
auc 0.904 (95% CI 0.854 to 0.962, 1 / (1 + theta), from the interval of theta)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._core.quantiles import z_two_sided
from .._input import check_flag, check_level, check_option, check_probability
from ..errors import DataError
from ..results import Estimate, ResultTable, TestResult, clip_interval, estimates_frame, format_number, format_p
from .models import _check_classes, _correct, _counts, _study_labels

__all__ = ["proportional_hazards", "ProportionalHazardsMetaResult"]

#: How the covariance of (theta, tau2) is estimated: the outer product of the per-study scores (mada),
#: or the inverse of the observed information (the negative Hessian of the log-likelihood).
VARIANCES = {"outer_product": "outer product of the per-study scores",
             "hessian": "inverse observed information"}
MAX_ITER = 200
TOL = 1e-12


@dataclass(frozen=True, repr=False)
class ProportionalHazardsMetaResult(ResultTable):
    """A fitted proportional hazards (Lehmann) SROC model.

    Attributes
    ----------
    k : int
        Number of studies.
    random_effects : bool
        Whether theta varies between studies (tau2 estimated) or is common to all.
    theta : Estimate
        The diagnostic accuracy parameter of ``sensitivity = fpr ** theta`` (Wald interval).
    tau2 : Estimate or None
        Between-study variance of theta (Wald interval, cut at 0); None for the fixed-effect model.
    auc : Estimate
        Area under the SROC curve, ``1 / (1 + theta)``, with the interval mapped from theta's.
    partial_auc : Estimate
        Area under the SROC curve over the observed range of false positive rates, divided by its
        width (mada's pAUC), with the interval mapped from theta's.
    fpr_range : tuple of float
        The smallest and largest observed false positive rate (uncorrected counts).
    covariance : ndarray
        Covariance of (theta, tau2) (1 x 1 for the fixed-effect model).
    log_likelihood, aic, bic : float
        Of the normal model of the log sensitivities (constants included; BIC with n = k).
    goodness_of_fit : TestResult
        ``sum((log p_i - theta log u_i)^2 / var_i)`` on k minus the number of parameters df.
    studies : DataFrame
        Per study: counts, the (corrected) sensitivity and FPR, ``theta`` (``log p / log u``), its
        within-study ``variance`` at the fitted theta, and its ``weight`` (percent).
    iterations : int
        Newton iterations of the fit.
    variance : str
        How ``covariance`` was estimated (see ``VARIANCES``).
    """

    k: int
    random_effects: bool
    theta: Estimate
    tau2: Estimate | None
    auc: Estimate
    partial_auc: Estimate
    fpr_range: tuple[float, float]
    covariance: np.ndarray
    log_likelihood: float
    aic: float
    bic: float
    goodness_of_fit: TestResult
    studies: pd.DataFrame
    iterations: int
    variance: str = "outer_product"
    level: float = 0.95
    notes: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:  # type: ignore[override]
        effects = "random effects" if self.random_effects else "fixed effect"
        return f"Proportional hazards (Lehmann) SROC model, {effects} ({self.k} studies)"

    def header_lines(self) -> list[str]:
        g = self.goodness_of_fit
        return [f"Goodness of fit chi2 = {format_number(g.statistic)} (df {g.df:g}, {format_p(g.p_value)}); "
                f"log-likelihood {format_number(self.log_likelihood)}, AIC {format_number(self.aic)}, "
                f"BIC {format_number(self.bic)}"]

    def to_frame(self) -> pd.DataFrame:
        """Rows: theta, tau2 (random effects), the AUC and the partial AUC."""
        rows = [self.theta] + ([self.tau2] if self.tau2 is not None else []) + [self.auc, self.partial_auc]
        return estimates_frame(rows)

    def __repr__(self) -> str:
        return (f"ProportionalHazardsMetaResult(k={self.k}, random_effects={self.random_effects}, "
                f"theta={self.theta.value:.4g}, auc={self.auc.value:.4g})")

    def sroc(self, fpr: Any = None) -> pd.DataFrame:
        """The SROC curve ``sensitivity = fpr ** theta`` with the band from theta's interval.

        ``fpr`` defaults to 0.01, 0.02, ..., 0.99 (mada's grid). Columns: fpr, sensitivity, lower, upper.
        """
        grid = np.arange(1, 100) / 100 if fpr is None else \
            np.atleast_1d(check_probability(fpr, "fpr", open_interval=True))
        t = self.theta
        return pd.DataFrame({"fpr": grid, "sensitivity": grid ** t.value, "lower": grid ** t.upper,
                             "upper": grid ** t.lower})

    def plot(self, ax=None, *, extrapolate: bool = False):
        """The studies, the SROC curve and its confidence band in ROC space; returns the Axes."""
        from ..plot.meta import lehmann_sroc_plot

        return lehmann_sroc_plot(self, ax=ax, extrapolate=check_flag(extrapolate, "extrapolate"))


def proportional_hazards(data: pd.DataFrame | None = None, *, tp: Any = "tp", fp: Any = "fp", fn: Any = "fn",
                         tn: Any = "tn", study: Any = None, random_effects: bool = True, level: float = 0.95,
                         correction: float = 0.5, correction_control: str = "zero_studies",
                         variance: str = "outer_product") -> ProportionalHazardsMetaResult:
    """Fit the proportional hazards (Lehmann) SROC model of Holling, Böhning & Böhning (2012).

    Parameters
    ----------
    data : DataFrame, optional
        One study a row; ``tp, fp, fn, tn`` name its columns (or are arrays).
    study : str or array-like, optional
        Study labels (default: a "study" column if present).
    random_effects : bool, default True
        Let theta vary between studies with variance tau2 (mada's ``hetero = TRUE``); False fits one
        common theta.
    level : float, default 0.95
    correction : float, default 0.5
        Added to the cells of studies with a zero cell (every count must be positive: the model
        works with the logs of each study's sensitivity and false positive rate).
    correction_control : {"zero_studies", "all"}, default "zero_studies"
        Correct only the studies with a zero cell, or every study when one has a zero cell (mada's
        default, ``correction.control = "all"``).
    variance : {"outer_product", "hessian"}, default "outer_product"
        The covariance of the estimates: the inverse of the summed outer products of the per-study
        scores (as mada), or the inverse observed information.

    Returns
    -------
    ProportionalHazardsMetaResult

    Notes
    -----
    With ``y_i = log p_i`` and ``x_i = log u_i`` (both negative), the model is ``y_i = theta_i x_i``.
    By the delta method ``y_i - theta x_i`` has variance ``s_i^2(theta) = (1 - p_i) / (n_i p_i) +
    theta^2 (1 - u_i) / (m_i u_i)`` (n diseased, m non-diseased); with random effects
    ``theta_i ~ N(theta, tau2)`` adds ``tau2 x_i^2``. theta (and tau2 >= 0) maximise the resulting
    normal likelihood of the ``y_i`` given the ``x_i``, found by Newton's method. Because the
    variance depends on theta, the estimate is not the inverse-variance weighted mean of the
    studies' ``theta_i = y_i / x_i``. mada describes its estimator as the adjusted profile maximum
    likelihood estimator, found by a fixed-point iteration; it reaches the same estimates.
    The goodness-of-fit statistic is the sum of squared standardised residuals on k - 1 (fixed) or
    k - 2 (random effects) df. theta, tau2, their variances, the statistic and its p-value, the AUC,
    the partial AUC and the SROC curve agree with mada 0.5.10 ``phm`` to 1e-6 on five data sets
    (tests/meta/test_meta_lehmann.py). mada's log-likelihood, the df it prints for
    the test and its zero covariance of theta and tau2 follow other conventions (see
    docs/differences_from_r.md).

    References
    ----------
    Holling H, Böhning W, Böhning D (2012). Meta-analysis of diagnostic studies based upon SROC-curves:
    a mixed model approach using the Lehmann family. Statistical Modelling 12:347-375.
    Le CT (2006). A solution for the most basic optimization problem associated with an ROC curve.
    Statistical Methods in Medical Research 15:571-584.

    Examples
    --------
    >>> import pandas as pd, diagstats as ds
    >>> studies = pd.DataFrame({"tp": [47, 126, 19, 36], "fn": [9, 51, 10, 3],
    ...                         "fp": [101, 272, 12, 78], "tn": [738, 1543, 192, 276]})
    >>> fit = ds.meta.proportional_hazards(studies, random_effects=False)
    >>> round(fit.theta.value, 4)
    0.1179
    """
    level = check_level(level)
    random_effects = check_flag(random_effects, "random_effects")
    variance = check_option(variance, "variance", VARIANCES)
    tp_, fp_, fn_, tn_ = (_counts(data, col, nm).astype(float)
                          for col, nm in ((tp, "tp"), (fp, "fp"), (fn, "fn"), (tn, "tn")))
    if len({len(tp_), len(fp_), len(fn_), len(tn_)}) > 1:
        raise DataError("tp, fp, fn and tn must have one count per study (their lengths differ).")
    k = len(tp_)
    needed = 3 if random_effects else 2
    if k < needed:
        fix = ("give at least 3 studies, or fit one common theta with random_effects=False" if random_effects
               else "give at least 2 studies")
        raise DataError(f"data has {k} studies; the {'random-effects' if random_effects else 'fixed-effect'} "
                        f"proportional hazards model needs {needed} to estimate theta and its variance: {fix}.")
    labels = _study_labels(data, study, k)
    _check_classes(tp_, fp_, fn_, tn_, labels)
    (a, b, c, d), notes_ = _correct([tp_, fn_, fp_, tn_], correction, correction_control, labels)
    notes = list(notes_)
    n, m = a + b, c + d
    sens, fpr = a / n, c / m
    x, y = np.log(fpr), np.log(sens)
    sens_var, fpr_var = (1 - sens) / (n * sens), (1 - fpr) / (m * fpr)  # of log p and of log u
    model = _LehmannLikelihood(x, y, sens_var, fpr_var)
    n_par = 2 if random_effects else 1
    params, iterations, converged = model.fit(n_par)
    if not converged:
        notes.append(f"Newton's method did not converge in {MAX_ITER} iterations; the estimates are its last ones")
    covariance = model.covariance(params, n_par, variance)
    if not np.all(np.isfinite(covariance)):
        notes.append("the covariance of the estimates is undefined (its matrix is singular or, with variance='hessian' "
                     "at the boundary tau2 = 0, not positive definite), so they have no interval; "
                     "variance='outer_product' may give one")
    z = z_two_sided(level)
    se = np.sqrt(np.diag(covariance))
    method = f"Wald, {VARIANCES[variance]}"
    bounded = [clip_interval(Estimate(float(params[j]), float(params[j] - z * se[j]), float(params[j] + z * se[j]),
                                      level, method, name), 0, np.inf, f"{name} interval", "Wald")
               for j, name in enumerate(("theta", "tau2")[:n_par])]
    notes += [note for _, note in bounded if note]
    theta, tau2 = bounded[0][0], (bounded[1][0] if random_effects else None)
    if random_effects and params[1] == 0:
        notes.append("tau2 is estimated at 0: the studies vary no more than chance allows, and the fit is that of "
                     "one common theta")
    raw_fpr = fp_ / (fp_ + tn_)
    fpr_range = (float(raw_fpr.min()), float(raw_fpr.max()))
    auc, partial_auc = _areas(theta, fpr_range, notes)
    total = model.total_variance(params)
    statistic = float(np.sum((y - params[0] * x) ** 2 / total))
    goodness = TestResult(statistic, float(stats.chi2.sf(statistic, k - n_par)), "chi-square goodness of fit",
                          df=k - n_par, name="goodness_of_fit")
    log_likelihood = model.log_likelihood(params)
    within = total / x**2 - params[1]  # the variance of theta_i = y_i / x_i about theta_i, at the fitted theta
    weight = x**2 / total
    studies = pd.DataFrame({"study": labels, "tp": tp_, "fp": fp_, "fn": fn_, "tn": tn_, "sensitivity": sens,
                            "fpr": fpr, "theta": y / x, "variance": within, "weight": 100 * weight / weight.sum()})
    return ProportionalHazardsMetaResult(
        k=k, random_effects=random_effects, theta=theta, tau2=tau2, auc=auc, partial_auc=partial_auc,
        fpr_range=fpr_range, covariance=covariance, log_likelihood=log_likelihood,
        aic=-2 * log_likelihood + 2 * n_par, bic=-2 * log_likelihood + n_par * np.log(k), goodness_of_fit=goodness,
        studies=studies, iterations=iterations, variance=variance, level=level, notes=tuple(notes))


def _areas(theta: Estimate, fpr_range: tuple[float, float], notes: list[str]) -> tuple[Estimate, Estimate]:
    """The AUC ``1 / (1 + theta)`` and the partial AUC over ``fpr_range`` (divided by its width), each with
    the interval mapped from theta's (both fall as theta rises)."""
    method = "from the interval of theta"
    auc = Estimate(1 / (1 + theta.value), 1 / (1 + theta.upper), 1 / (1 + theta.lower), theta.level,
                   f"1 / (1 + theta), {method}", "auc")
    low, high = fpr_range
    if high <= low:
        notes.append(f"every study has the same false positive rate ({low:g}): the partial AUC over their range "
                     "is undefined")
        return auc, Estimate(np.nan, np.nan, np.nan, theta.level, "", "partial_auc")

    def partial(t: float) -> float:
        return float((high ** (t + 1) - low ** (t + 1)) / ((t + 1) * (high - low)))

    return auc, Estimate(partial(theta.value), partial(theta.upper), partial(theta.lower), theta.level,
                         f"over the observed FPR range {low:.3g} to {high:.3g}, {method}", "partial_auc")


class _LehmannLikelihood:
    """Normal log-likelihood of the log sensitivities ``y`` given the log false positive rates ``x``:
    ``y_i ~ N(theta x_i, sens_var_i + theta^2 fpr_var_i + tau2 x_i^2)``; parameters ``(theta, tau2)``."""

    def __init__(self, x: np.ndarray, y: np.ndarray, sens_var: np.ndarray, fpr_var: np.ndarray) -> None:
        self.x, self.y, self.sens_var, self.fpr_var = x, y, sens_var, fpr_var

    def total_variance(self, params: np.ndarray) -> np.ndarray:
        theta, tau2 = params
        return self.sens_var + theta**2 * self.fpr_var + tau2 * self.x**2

    def log_likelihood(self, params: np.ndarray) -> float:
        s = self.total_variance(params)
        return float(-0.5 * np.sum(np.log(2 * np.pi * s) + (self.y - params[0] * self.x) ** 2 / s))

    def _parts(self, params: np.ndarray):
        s = self.total_variance(params)
        r = self.y - params[0] * self.x
        s_theta = 2 * params[0] * self.fpr_var  # d s / d theta
        g = 0.5 * (r**2 / s**2 - 1 / s)  # d loglik_i / d s
        return s, r, s_theta, g

    def scores(self, params: np.ndarray) -> np.ndarray:
        """(k, 2) per-study derivatives of the log-likelihood by theta and tau2."""
        s, r, s_theta, g = self._parts(params)
        return np.column_stack([self.x * r / s + g * s_theta, g * self.x**2])

    def hessian(self, params: np.ndarray) -> np.ndarray:
        x = self.x
        s, r, s_theta, g = self._parts(params)
        g_theta = -r * x / s**2 - r**2 * s_theta / s**3 + 0.5 * s_theta / s**2
        g_tau = x**2 * (-(r**2) / s**3 + 0.5 / s**2)
        h_tt = np.sum(-(x**2) / s - x * r * s_theta / s**2 + g_theta * s_theta + 2 * g * self.fpr_var)
        h_ta = np.sum(-(x**3) * r / s**2 + s_theta * g_tau)
        h_aa = np.sum(x**2 * g_tau)
        return np.array([[h_tt, h_ta], [h_ta, h_aa]])

    def _information(self, params: np.ndarray) -> np.ndarray:
        """Expected information: positive definite, for steps where the Hessian is not negative definite."""
        s, _, s_theta, _ = self._parts(params)
        x2 = self.x**2
        i_ta = np.sum(0.5 * s_theta * x2 / s**2)
        return np.array([[np.sum(x2 / s + 0.5 * s_theta**2 / s**2), i_ta], [i_ta, np.sum(0.5 * x2**2 / s**2)]])

    def fit(self, n_par: int) -> tuple[np.ndarray, int, bool]:
        """Newton's method with step halving (tau2 kept >= 0); (estimates, iterations, converged)."""
        ratios = self.y / self.x
        start_tau2 = float(np.var(ratios, ddof=1)) / 2 if n_par == 2 else 0.0
        params = np.array([float(np.median(ratios)), start_tau2])
        current = self.log_likelihood(params)
        for iteration in range(1, MAX_ITER + 1):
            grad = self.scores(params).sum(axis=0)
            free = [0, 1][:n_par]
            if n_par == 2 and params[1] == 0 and grad[1] <= 0:
                free = [0]  # at the boundary tau2 = 0, which the likelihood would leave downwards
            hess = self.hessian(params)[np.ix_(free, free)]
            if np.any(np.linalg.eigvalsh(hess) >= 0):
                hess = -self._information(params)[np.ix_(free, free)]
            step = np.zeros(2)
            step[free] = -np.linalg.solve(hess, grad[free])
            scale = 1.0
            while True:
                trial = params + scale * step
                # theta -> |theta| never lowers the likelihood (x, y < 0), so the fit stays where the model is
                trial = np.array([abs(trial[0]), max(trial[1], 0.0)])
                value = self.log_likelihood(trial)
                if value >= current - 1e-12 * abs(current) or scale < 1e-8:
                    break
                scale /= 2
            moved = np.abs(trial - params)
            params, current = trial, value
            if np.all(moved <= TOL * np.maximum(np.abs(params), TOL)):
                return params, iteration, True
        return params, MAX_ITER, False

    def covariance(self, params: np.ndarray, n_par: int, variance: str) -> np.ndarray:
        if variance == "outer_product":
            scores = self.scores(params)[:, :n_par]
            matrix = scores.T @ scores
        else:
            matrix = -self.hessian(params)[:n_par, :n_par]
        if np.any(np.linalg.eigvalsh(matrix) <= 1e-12 * np.abs(matrix).max(initial=0.0)):
            return np.full((n_par, n_par), np.nan)  # singular, or (the Hessian off the maximum) not positive definite
        return np.linalg.inv(matrix)
