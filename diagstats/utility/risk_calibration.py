"""Can the predicted probabilities be taken at their word? Calibration of a risk model on validation data.

:func:`calibration` compares predicted probabilities with outcomes: calibration-in-the-large and
the calibration slope with profile-likelihood intervals (Cox 1958; Steyerberg 2019), the
observed/expected ratio, a flexible calibration curve with a bootstrap band, the ICI, E50, E90 and
Emax of that curve (Austin & Steyerberg 2019), the Brier and scaled Brier scores, and, only on
request, the Hosmer-Lemeshow test.

Two intercepts go by the name "calibration intercept", and they are kept apart here:

* ``calibration_in_the_large``: the intercept ``a`` of ``logit P(y) = a + logit(p)`` (the logit of the
  prediction as an offset, slope fixed at 1). 0 when the mean risk is right; this is the
  "calibration intercept" of Steyerberg's and Van Calster's papers.
* ``recalibration_intercept``: the intercept of ``logit P(y) = a + b logit(p)`` with the slope ``b``
  free, the model of the calibration slope. rms's ``val.prob`` prints it as "Intercept"; it is not
  calibration-in-the-large unless the slope is 1.

>>> import numpy as np, diagstats as ds
>>> rng = np.random.default_rng(3)
>>> p = rng.uniform(0.05, 0.95, 400)
>>> y = rng.random(400) < p
>>> res = ds.calibration(y, p, n_boot=200, progress=False)
>>> print(res.slope)
calibration slope 1.133 (95% CI 0.904 to 1.384, profile likelihood)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.special import expit, logit

from .._core.bootstrap import (count_matrix, integers, outside_interval_note, percentile_interval, random_chunks,
                               undefined_replicates_note)
from .._core.logistic import fit_logistic_weighted
from .._core.quantiles import z_two_sided
from .._input import (as_1d, as_binary, as_numeric, as_seed_sequence, check_dataframe, check_flag, check_level,
                      check_n_boot, check_nan_policy, check_number, check_option, check_progress, check_same_length,
                      check_whole_number, column, complete_cases, seed_label)
from ..errors import DataError, OptionError
from ..results import Estimate, ResultTable, TestResult, _display_frame, estimates_frame, format_level, tidy
from ._smoothers import LOESS_SPAN, loess_curve, loess_fitted, logistic_curve

__all__ = ["calibration", "CalibrationResult"]

CURVES = ("loess", "logistic")
CURVE_NAMES = {"loess": "loess", "logistic": "secondary logistic curve glm(y ~ p)"}
PROFILE = "profile likelihood"
#: Points of the calibration curve's grid (and of its bootstrap band).
GRID_POINTS = 50


@dataclass(frozen=True, repr=False)
class CalibrationResult(ResultTable):
    """Calibration of predicted probabilities against observed outcomes.

    Attributes
    ----------
    calibration_in_the_large : Estimate
        Intercept of ``logit P(y) = a + logit(p)`` (offset), profile-likelihood interval; 0 is ideal,
        below 0 the risks are too high on average.
    slope : Estimate
        Calibration slope ``b`` of ``logit P(y) = a + b logit(p)``, profile-likelihood interval; 1 is
        ideal, below 1 the predictions are too extreme (overfitting).
    recalibration_intercept : Estimate
        The ``a`` of that slope model (rms ``val.prob``'s "Intercept"), Wald interval; not
        calibration-in-the-large.
    oe : Estimate
        Observed / expected events, ``sum(y) / sum(p)``, interval ``exp(log(O/E) +- z sqrt(1 / O))``.
    ici, e50, e90, emax : Estimate
        Mean, median, 90th percentile and maximum over patients of ``|curve(p_i) - p_i|``, the
        distance between the calibration curve and the diagonal (Austin & Steyerberg 2019).
    brier, scaled_brier : Estimate
        Mean squared error of the probabilities, and ``1 - brier / (ybar (1 - ybar))``.
    hosmer_lemeshow : TestResult or None
        Only when asked for (``hosmer_lemeshow=True``).
    curve : str
        ``"loess"`` or ``"logistic"`` (the secondary logistic curve ``glm(y ~ p)``): the curve of the
        band and of the ICI, E50, E90 and Emax.
    grid, observed, lower, upper : ndarray
        The calibration curve on a grid of predicted probabilities and its pointwise bootstrap band.
    probabilities, outcome : ndarray
        The predictions and outcomes (for the plot; left out of ``to_dict()``).
    n, n_events, n_omitted, span, reference, probability, level, n_boot, seed, notes

    Methods
    -------
    to_frame(), curve_frame(), plot(ax=None), to_html(), to_dict()
    """

    calibration_in_the_large: Estimate
    slope: Estimate
    recalibration_intercept: Estimate
    oe: Estimate
    ici: Estimate
    e50: Estimate
    e90: Estimate
    emax: Estimate
    brier: Estimate
    scaled_brier: Estimate
    hosmer_lemeshow: TestResult | None
    curve: str
    grid: np.ndarray
    observed: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    probabilities: np.ndarray
    outcome: np.ndarray
    n: int
    n_events: int
    span: float
    reference: str
    probability: str
    level: float
    n_boot: int
    seed: Any
    n_omitted: int = 0
    notes: tuple[str, ...] = field(default=())

    title = "Calibration of predicted probabilities"
    dict_exclude = ("probabilities", "outcome")

    def __repr__(self) -> str:
        return (f"CalibrationResult(n={self.n}, calibration_in_the_large={self.calibration_in_the_large.value:.3f}, "
                f"slope={self.slope.value:.3f}, curve={self.curve!r})")

    @property
    def estimates(self) -> list[Estimate]:
        return [self.calibration_in_the_large, self.slope, self.recalibration_intercept, self.oe, self.ici,
                self.e50, self.e90, self.emax, self.brier, self.scaled_brier]

    def header_lines(self) -> list[str]:
        curve = CURVE_NAMES[self.curve] + (f" (span {self.span:g}, degree 2)" if self.curve == "loess" else "")
        lines = [f"{self.n} patients, {self.n_events} with {self.reference}; predictions {self.probability}",
                 f"calibration curve: {curve}; {format_level(self.level)} intervals"
                 + (f", bootstrap n_boot={self.n_boot}, {self.seed}" if self.n_boot else ", no bootstrap")]
        if self.n_omitted:
            lines.append(f"{self.n_omitted} patient(s) with missing values omitted")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per measure, ``measure, value, lower, upper, level, method, notes``, then the
        Hosmer-Lemeshow test's ``statistic, df, p_value, test_method`` (NaN elsewhere) when asked for."""
        frame = estimates_frame(self.estimates)
        if self.hosmer_lemeshow is not None:
            test = self.hosmer_lemeshow
            row = {"measure": "hosmer_lemeshow", "value": np.nan, "lower": np.nan, "upper": np.nan, "level": np.nan,
                   "method": "", "notes": "; ".join(test.notes), "statistic": test.statistic, "df": test.df,
                   "p_value": test.p_value, "test_method": test.method}
            frame = pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
        return tidy(frame)

    def to_text(self, digits: int = 3) -> str:
        """The estimates as a table, then the Hosmer-Lemeshow test (when asked for) on a line of its own."""
        shown = _display_frame(tidy(estimates_frame(self.estimates)), digits)
        lines = [self.title, *self.header_lines(), shown.to_string(index=False)]
        if self.hosmer_lemeshow is not None:
            lines.append(self.hosmer_lemeshow.format(digits))
        return "\n".join(lines + [f"Note: {n}" for n in self.notes])

    def curve_frame(self) -> pd.DataFrame:
        """The calibration curve: ``predicted, observed, lower, upper`` on the grid."""
        return pd.DataFrame({"predicted": self.grid, "observed": self.observed, "lower": self.lower,
                             "upper": self.upper})

    def plot(self, ax: Any = None, band: bool = True) -> Any:
        """Calibration curve with its band over the diagonal, the distribution of the risks underneath."""
        from ..plot.calibration import calibration_plot
        return calibration_plot(self, ax=ax, band=check_flag(band, "band"))


# --------------------------------------------------------------------------------------- the fits

def _deviance(y: np.ndarray, eta: np.ndarray) -> float:
    return float(2 * np.sum(y * np.logaddexp(0, -eta) + (1 - y) * np.logaddexp(0, eta)))


def _offset_intercept(y: np.ndarray, offset: np.ndarray) -> float:
    """Maximum-likelihood ``a`` of ``logit P(y) = a + offset``: the root of the score ``sum(y - expit(a + offset))``.

    The score decreases in ``a``, from ``sum(y) > 0`` to ``sum(y) - n < 0`` (both outcomes are present), so
    the root is bracketed by stepping out from the logit of the event rate and found by Brent's method.
    """
    events = y.sum()

    def score(a: float) -> float:
        return float(events - expit(a + offset).sum())

    start = float(logit(y.mean()) - np.median(offset))
    low, high, width = start - 1.0, start + 1.0, 1.0
    while score(low) < 0:
        width *= 2
        low = start - width
    while score(high) > 0:
        width *= 2
        high = start + width
    return float(optimize.brentq(score, low, high, xtol=1e-14, rtol=4 * np.finfo(float).eps))


def _profile_interval(profile_deviance, estimate: float, se: float, level: float) -> tuple[float, float]:
    """The values where the profile deviance exceeds its minimum by the chi-square(1) quantile."""
    target = profile_deviance(estimate) + stats.chi2.ppf(level, 1)

    def excess(v: float) -> float:
        return profile_deviance(v) - target

    bounds = []
    for sign in (-1.0, 1.0):
        step = max(se, 1e-8)
        far = estimate + sign * step
        while excess(far) < 0:
            step *= 2
            far = estimate + sign * step
            if step > 1e6:  # the profile never reaches the cut-off on this side: the interval is unbounded
                far = sign * np.inf
                break
        bounds.append(far if np.isinf(far) else optimize.brentq(excess, *sorted((estimate, far)), xtol=1e-13,
                                                                   rtol=4 * np.finfo(float).eps))
    return bounds[0], bounds[1]


def _calibration_in_the_large(y: np.ndarray, lp: np.ndarray, level: float) -> Estimate:
    a = _offset_intercept(y, lp)
    mu = expit(a + lp)
    se = 1 / np.sqrt(np.sum(mu * (1 - mu)))
    lower, upper = _profile_interval(lambda v: _deviance(y, v + lp), a, se, level)
    return Estimate(float(a), lower, upper, level, PROFILE, "calibration-in-the-large")


def _slope(y: np.ndarray, lp: np.ndarray, level: float) -> tuple[Estimate, Estimate]:
    """Calibration slope (profile-likelihood interval) and the recalibration intercept (Wald interval)."""
    X = np.column_stack([np.ones_like(lp), lp])
    beta = fit_logistic_weighted(X, y, np.ones((1, y.size)))[0][0]
    mu = expit(X @ beta)
    cov = np.linalg.inv(X.T @ ((mu * (1 - mu))[:, None] * X))
    lower, upper = _profile_interval(lambda b: _deviance(y, _offset_intercept(y, b * lp) + b * lp), beta[1],
                                     float(np.sqrt(cov[1, 1])), level)
    slope = Estimate(float(beta[1]), lower, upper, level, PROFILE, "calibration slope")
    half = z_two_sided(level) * float(np.sqrt(cov[0, 0]))
    intercept = Estimate(float(beta[0]), float(beta[0]) - half, float(beta[0]) + half, level, "Wald",
                         "recalibration intercept (slope free)")
    return slope, intercept


def _weighted_quantiles(values: np.ndarray, weights: np.ndarray, probs: tuple[float, ...]) -> np.ndarray:
    """Row-wise type-7 quantiles (numpy's and R's default) of ``values`` with integer multiplicities:
    shape (rows, len(probs)), as ``np.quantile`` of each row's values repeated by their weights."""
    order = np.argsort(values, axis=1)
    v = np.take_along_axis(values, order, axis=1)
    reach = np.cumsum(np.take_along_axis(weights, order, axis=1), axis=1)
    rows, last = np.arange(values.shape[0]), values.shape[1] - 1
    out = np.empty((values.shape[0], len(probs)))
    for j, q in enumerate(probs):
        position = (reach[:, -1] - 1) * q
        low = np.floor(position)
        i_low = np.minimum((reach <= low[:, None]).sum(axis=1), last)
        i_high = np.minimum((reach <= (low + 1)[:, None]).sum(axis=1), last)
        out[:, j] = v[rows, i_low] + (position - low) * (v[rows, i_high] - v[rows, i_low])
    return out


def _curve_errors(distance: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """ICI, E50, E90 and Emax per row from the distances |curve(p_i) - p_i| and multiplicities: shape (B, 4)."""
    ici = (weights * distance).sum(axis=1) / weights.sum(axis=1)
    emax = np.where(weights > 0, distance, -np.inf).max(axis=1)
    return np.column_stack([ici, _weighted_quantiles(distance, weights, (0.5, 0.9)), emax])


def _hosmer_lemeshow(y: np.ndarray, p: np.ndarray, groups: int) -> TestResult:
    """Hosmer-Lemeshow statistic over groups cut at the quantiles of the predictions, df = groups - 2."""
    edges = np.quantile(p, np.linspace(0, 1, groups + 1))
    codes = np.clip(np.searchsorted(edges, p, side="left") - 1, 0, groups - 1)  # (e_k, e_k+1], the first closed
    size = np.bincount(codes, minlength=groups).astype(float)
    observed = np.bincount(codes, weights=y, minlength=groups)
    expected = np.bincount(codes, weights=p, minlength=groups)
    used = size > 0
    observed, expected, size = observed[used], expected[used], size[used]
    statistic = float(np.sum((observed - expected) ** 2 / (expected * (1 - expected / size))))
    df = int(used.sum()) - 2
    if df < 1:
        return TestResult(np.nan, np.nan, "Hosmer-Lemeshow", df=df, name="goodness of fit",
                          notes=(f"only {int(used.sum())} risk group(s) hold patients (tied predictions): the "
                                 "Hosmer-Lemeshow test needs at least 3",))
    caveat = ("its value depends on the arbitrary grouping (the number of groups and how ties are cut), it has little "
              "power in small samples and rejects trivial miscalibration in large ones, and it gives neither the "
              "size nor the direction of miscalibration: read the calibration curve, slope and intercept instead "
              "(Hosmer et al. 1997; Steyerberg 2019); df = groups - 2, as for development data (for external "
              "validation some use df = groups)" + (f"; {groups - int(used.sum())} of the {groups} groups are empty "
                                                    "(tied predictions)" if not used.all() else ""))
    return TestResult(statistic, float(stats.chi2.sf(statistic, df)), "Hosmer-Lemeshow", df=df,
                      name="goodness of fit", notes=(caveat,))


# --------------------------------------------------------------------------------------- the verb

def _inputs(y_true, y_prob, data, reference, probability, nan_policy):
    if data is not None:
        if y_true is not None or y_prob is not None:
            raise DataError("With data=, name the columns with reference= and probability=, not y_true/y_prob arrays.")
        if reference is None or probability is None:
            raise DataError("With data=, give the column names reference=... (the outcome) and probability=... "
                            "(the predicted risks).")
        check_dataframe(data)
        arrays = {"reference": column(data, reference, "reference").to_numpy(),
                  "probability": column(data, probability, "probability").to_numpy()}
        names = (str(reference), str(probability))
    else:
        if reference is not None or probability is not None:
            raise DataError("reference= and probability= name columns of data=; for arrays use "
                            "calibration(y_true, y_prob).")
        if y_true is None or y_prob is None:
            raise DataError("Give the outcomes and the predicted probabilities: calibration(y_true, y_prob), or "
                            "calibration(data=df, reference='column', probability='column').")
        arrays = {"y_true": as_1d(y_true, "y_true"), "y_prob": as_1d(y_prob, "y_prob")}
        names = ("the outcome", "y_prob")
    check_same_length(**arrays)
    return complete_cases(arrays, check_nan_policy(nan_policy)), names


def calibration(y_true: Any = None, y_prob: Any = None, *, data: pd.DataFrame | None = None, reference: Any = None,
                probability: Any = None, positive: Any = None, curve: str = "loess", span: float = LOESS_SPAN,
                hosmer_lemeshow: bool = False, groups: int = 10, n_boot: int | None = 1000, level: float = 0.95,
                seed: Any = 0, nan_policy: str = "raise", progress: bool = True) -> CalibrationResult:
    """Calibration of predicted probabilities: intercept, slope, O/E, curve, ICI/E50/E90/Emax, Brier.

    Two ways in: arrays (``ds.calibration(y_true, y_prob)``) or a DataFrame with column names
    (``ds.calibration(data=df, reference="malignant", probability="risk")``).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        The outcome: 0/1, booleans, or two labels with ``positive=``.
    y_prob : array-like of shape (n,)
        Predicted probabilities of the outcome, strictly between 0 and 1 (their logits enter the
        intercept and slope models).
    data : DataFrame, optional
        Patients in rows; ``reference`` and ``probability`` then name its columns.
    reference, probability : str
        Column names in ``data``: the outcome (reference standard) and the predicted probability.
    positive : optional
        The outcome label meaning an event, needed unless the outcome is 0/1 or boolean.
    curve : {"loess", "logistic"}, default "loess"
        The calibration curve of the band and of ICI, E50, E90, Emax: loess of y on p (R's
        ``loess`` defaults; Austin & Steyerberg 2019), or the secondary logistic curve
        ``glm(y ~ p)`` (Steyerberg's worked example). They give different ICIs.
    span : float, default 0.75
        Share of patients in each loess neighbourhood (R's default); only for ``curve="loess"``.
    hosmer_lemeshow : bool, default False
        Add the Hosmer-Lemeshow test (with its caveats in its note).
    groups : int, default 10
        Risk groups of the Hosmer-Lemeshow test.
    n_boot : int or None, default 1000
        Bootstrap replicates (>= 20) for the band and the intervals of ICI, E50, E90, Emax, Brier and
        scaled Brier; None for none (those intervals are then NaN).
    level : float, default 0.95
    seed : int, SeedSequence or Generator, default 0
    nan_policy : {"raise", "omit"}, default "raise"
    progress : bool, default True
        Show a progress bar during the bootstrap.

    Returns
    -------
    CalibrationResult
        Attributes ``calibration_in_the_large``, ``slope``, ``recalibration_intercept``, ``oe``, ``ici``,
        ``e50``, ``e90``, ``emax``, ``brier``, ``scaled_brier`` (each an Estimate), ``hosmer_lemeshow``;
        ``to_frame()``, ``curve_frame()``, ``plot()``.

    Notes
    -----
    *Intercept and slope* (Cox 1958; Steyerberg 2019, ch. 15): ``calibration_in_the_large`` is ``a`` in
    ``logit P(y) = a + logit(p)``; ``slope`` is ``b`` in ``logit P(y) = a + b logit(p)``, whose ``a`` is
    the ``recalibration_intercept`` (rms ``val.prob``'s "Intercept", a different quantity, given a Wald
    interval). The intervals of calibration-in-the-large and of the slope invert the likelihood-ratio
    test: the exact roots of the profile deviance, found by Brent's method. R's ``confint()`` on the glm
    (MASS's profile) interpolates the profile by a spline between grid points and differs from the exact
    roots in the 5th digit.

    *O/E*: ``sum(y) / sum(p)`` with the interval ``exp(log(O/E) +- z sqrt(1 / O))`` (O as a Poisson
    count), as in Steyerberg's testicular cancer case study.

    *Curve and its summaries*: ICI is the mean over patients of ``|curve(p_i) - p_i|``; E50, E90 the
    median and 90th percentile (type 7), Emax the maximum (Austin & Steyerberg 2019). rms's
    ``val.prob`` reports "Eavg", "E90", "Emax" from ``lowess(p, y, iter = 0)``, a third smoother
    (degree 1, span 2/3), so its values differ again. The band and the intervals of ICI, E50,
    E90, Emax, Brier and scaled Brier are percentile bootstrap intervals: each replicate is a vector of
    case weights (the shared engine's seed blocks), and the curve is refitted for all replicates at
    once (batched Newton fits for the logistic curve, weighted local regression for loess). In the
    replicates the loess curve is evaluated on the grid of the band and interpolated linearly at the
    patients' predictions; the point estimates evaluate it at every patient.

    *Brier*: ``mean((y - p)^2)``; scaled Brier ``1 - brier / (ybar (1 - ybar))``, the Brier score of
    the model relative to predicting the event rate for everyone (Steyerberg et al. 2010).

    Parity: on Steyerberg et al.'s (2010) testicular cancer data every point estimate, the profile
    intervals and both curves agree with R 4.2 (glm, rms 6.5 ``val.prob``, ``loess(surface =
    "direct")``) to 1e-6 (tests/reference/utility/calibration.json), and the published validation
    numbers (calibration-in-the-large -0.03, O/E 0.99 (0.86 to 1.14), slope 0.74 (0.51 to 0.99),
    ICI 0.04, E50 0.03, E90 0.08) are reproduced. R's default ``loess`` (``surface = "interpolate"``)
    approximates the local fit by kd-tree interpolation and is not reproduced.

    Probabilities of exactly 0 or 1 have an infinite logit and are refused. Constant predictions
    leave the slope undefined (NaN, with a note). Predictions that separate the outcomes perfectly
    give an infinite slope (with a note) and no logistic curve.

    References
    ----------
    Cox DR (1958). Two further applications of a model for binary regression. Biometrika 45:562-565.
    Steyerberg EW (2019). Clinical Prediction Models, 2nd ed. Springer (ch. 15; the testicular cancer data).
    Steyerberg EW, Vickers AJ, Cook NR, et al. (2010). Assessing the performance of prediction models:
    a framework for traditional and novel measures. Epidemiology 21:128-138.
    Austin PC, Steyerberg EW (2019). The Integrated Calibration Index (ICI) and related metrics for
    quantifying the calibration of logistic regression models. Stat Med 38:4051-4065.
    Van Calster B, McLernon DJ, van Smeden M, et al. (2019). Calibration: the Achilles heel of
    predictive analytics. BMC Med 17:230.
    Hosmer DW, Hosmer T, le Cessie S, Lemeshow S (1997). A comparison of goodness-of-fit tests for the
    logistic regression model. Stat Med 16:965-980.

    Examples
    --------
    >>> import pandas as pd, diagstats as ds
    >>> df = pd.DataFrame({"risk": [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 0.15, 0.35, 0.55, 0.85],
    ...                    "malignant": [0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1]})
    >>> res = ds.calibration(data=df, reference="malignant", probability="risk", curve="logistic", n_boot=None)
    >>> round(res.calibration_in_the_large.value, 3), round(res.oe.value, 3), round(res.brier.value, 3)
    (0.047, 1.017, 0.147)
    """
    curve = check_option(curve, "curve", CURVES)
    span = check_number(span, "span", low=0, high=1, what="the share of patients in each loess neighbourhood")
    if span == 0:
        raise OptionError("span=0 leaves no patient in a loess neighbourhood; give a share in (0, 1], e.g. 0.75.")
    hosmer_lemeshow = check_flag(hosmer_lemeshow, "hosmer_lemeshow")
    groups = check_whole_number(groups, "groups", minimum=3, maximum=1000, what="risk groups", example=10)
    n_boot = check_n_boot(n_boot, allow_none=True)
    level = check_level(level)
    progress = check_progress(progress)
    seeds = as_seed_sequence(seed)
    complete, (reference_name, probability_name) = _inputs(y_true, y_prob, data, reference, probability, nan_policy)
    y_arg, p_arg = complete.arrays
    y = as_binary(complete.arrays[y_arg], y_arg, positive, require_both=True).values.astype(float)
    p = as_numeric(complete.arrays[p_arg], p_arg)
    _check_probabilities(p, p_arg)
    n = y.size
    notes: list[str] = []
    lp = logit(p)
    constant = bool(np.ptp(p) == 0)
    separated = bool(p[y == 0].max() < p[y == 1].min() or p[y == 1].max() < p[y == 0].min())

    citl = _calibration_in_the_large(y, lp, level)
    if constant:
        slope = Estimate(np.nan, np.nan, np.nan, level, PROFILE, "calibration slope")
        recal = Estimate(np.nan, np.nan, np.nan, level, "Wald", "recalibration intercept (slope free)")
        notes.append("all predictions are equal: the calibration slope (and its intercept) is undefined, and the "
                     "calibration curve is the observed event rate")
    elif separated:
        sign = 1.0 if p[y == 0].max() < p[y == 1].min() else -1.0
        slope = Estimate(sign * np.inf, np.nan, np.nan, level, PROFILE, "calibration slope")
        recal = Estimate(np.nan, np.nan, np.nan, level, "Wald", "recalibration intercept (slope free)")
        notes.append("the predictions separate the outcomes perfectly (every event has a higher prediction than every "
                     "non-event, or the reverse): the calibration slope is infinite and its interval undefined; "
                     "the probabilities are far too moderate")
    else:
        slope, recal = _slope(y, lp, level)
    for est in (citl, slope):
        if np.isinf(est.lower) or np.isinf(est.upper):
            notes.append(f"the profile likelihood of the {est.name} does not reach the cut-off of the "
                         f"{format_level(level)} interval on one side (near separation): the interval is unbounded "
                         "there")
    observed, expected = y.sum(), p.sum()
    half = z_two_sided(level) * np.sqrt(1 / observed)
    oe = Estimate(float(observed / expected), float(observed / expected * np.exp(-half)),
                  float(observed / expected * np.exp(half)), level, "log-normal, O Poisson", "O/E ratio")

    grid = np.linspace(p.min(), p.max(), GRID_POINTS) if not constant else p[:1].copy()
    if curve == "logistic" and separated:
        notes.append("the logistic calibration curve does not exist under perfect separation; use curve='loess'")

    def curves(weights: np.ndarray, exact: bool) -> tuple[np.ndarray, np.ndarray]:
        """The curve on the grid and the four distance summaries, for each row of case weights."""
        if constant:
            rate = (weights @ y / weights.sum(axis=1))[:, None]
            return rate, _curve_errors(np.abs(rate - p[None, :]), weights)
        if curve == "logistic":
            if separated:
                nan = np.full((weights.shape[0], grid.size), np.nan)
                return nan, np.full((weights.shape[0], 4), np.nan)
            values, converged = logistic_curve(p, y, weights, np.concatenate([grid, p]))
            on_grid, at_patients = values[:, :grid.size], values[:, grid.size:]
            summaries = _curve_errors(np.abs(at_patients - p), weights)
            summaries[~converged] = np.nan
            on_grid[~converged] = np.nan
            return on_grid, summaries
        on_grid = loess_curve(p, y, weights, grid, span)
        if exact:
            at_patients = loess_fitted(p, y, p, span)[None, :]
        else:
            at_patients = np.stack([np.interp(p, grid, row) for row in on_grid]) if weights.shape[0] else on_grid
        return on_grid, _curve_errors(np.abs(at_patients - p), weights)

    ones = np.ones((1, n))
    point_curve, point_errors = curves(ones, exact=True)
    if curve == "loess" and np.any((point_curve < 0) | (point_curve > 1)):
        notes.append("the loess curve leaves [0, 1] (local quadratic fits where predictions are sparse, usually at the "
                     "extremes): Emax, and the curve there, reflect that extrapolation; curve='logistic' stays in "
                     "[0, 1]")
    brier = float(np.mean((y - p) ** 2))
    scaled = 1 - brier / (y.mean() * (1 - y.mean()))
    nan_pair = (np.nan, np.nan)
    bounds = {"curve": (np.full(grid.size, np.nan),) * 2, "errors": [nan_pair] * 4, "brier": nan_pair,
              "scaled": nan_pair}
    boot_method = ""
    if n_boot:
        reps_curve, reps_errors, reps_brier, reps_scaled = [], [], [], []

        def draw(rng: np.random.Generator, rows: int) -> tuple[np.ndarray]:
            return (integers(rng, n, (rows, n)),)

        for (idx,) in random_chunks(seeds, n_boot, draw, row_cost=4 * n, progress=progress, desc="calibration"):
            weights = count_matrix(idx, n).astype(float)
            on_grid, errors = curves(weights, exact=False)
            reps_curve.append(on_grid)
            reps_errors.append(errors)
            b = weights @ (y - p) ** 2 / n
            rate = weights @ y / n
            with np.errstate(divide="ignore", invalid="ignore"):
                reps_scaled.append(1 - b / (rate * (1 - rate)))
            reps_brier.append(b)
        all_curves, all_errors = np.concatenate(reps_curve), np.concatenate(reps_errors)
        all_scaled = np.concatenate(reps_scaled)
        all_scaled[~np.isfinite(all_scaled)] = np.nan
        bounds = {"curve": percentile_interval(all_curves, level),
                  "errors": [percentile_interval(all_errors[:, j], level) for j in range(4)],
                  "brier": percentile_interval(np.concatenate(reps_brier), level),
                  "scaled": percentile_interval(all_scaled, level)}
        notes += [f"{what}: {text}" for what, reps in (("curve summaries", all_errors[:, 0]),
                                                        ("scaled Brier", all_scaled))
                  for text in undefined_replicates_note(reps)]
        boot_method = f"percentile bootstrap (n_boot={n_boot})"
        if curve == "loess":
            notes.append("bootstrap replicates of ICI, E50, E90 and Emax interpolate each replicate's loess curve "
                         f"linearly between {grid.size} grid points")
    label = "loess" if curve == "loess" else "logistic curve"
    errors = [Estimate(float(point_errors[0, j]), *bounds["errors"][j], level, boot_method, f"{label} {name}")
              for j, name in enumerate(("ICI", "E50", "E90", "Emax"))]
    notes += [note for e in errors for note in outside_interval_note(
        e.name, e.value, e.lower, e.upper, "percentile bootstrap",
        "replicates of a distance from the diagonal are shifted upwards, as sampling noise adds apparent "
        "miscalibration")]
    brier_estimate = Estimate(brier, *bounds["brier"], level, boot_method, "Brier score")
    scaled_estimate = Estimate(float(scaled), *bounds["scaled"], level, boot_method, "scaled Brier score")
    for e in (brier_estimate, scaled_estimate):   # a wide level on small data: a skewed replicate distribution
        notes += outside_interval_note(e.name, e.value, e.lower, e.upper, "percentile bootstrap")
    lower_band, upper_band = bounds["curve"]
    return CalibrationResult(
        calibration_in_the_large=citl, slope=slope, recalibration_intercept=recal, oe=oe,
        ici=errors[0], e50=errors[1], e90=errors[2], emax=errors[3],
        brier=brier_estimate, scaled_brier=scaled_estimate,
        hosmer_lemeshow=_hosmer_lemeshow(y, p, groups) if hosmer_lemeshow else None,
        curve=curve, grid=grid, observed=point_curve[0], lower=np.asarray(lower_band), upper=np.asarray(upper_band),
        probabilities=p, outcome=y.astype(np.int8), n=n, n_events=int(observed), span=span,
        reference=reference_name, probability=probability_name, level=level, n_boot=n_boot or 0,
        seed=seed_label(seed, seeds), n_omitted=complete.n_omitted, notes=tuple(notes))


def _check_probabilities(p: np.ndarray, name: str) -> None:
    outside = (p < 0) | (p > 1)
    if outside.any():
        raise DataError(f"{name} has {int(outside.sum())} value(s) outside [0, 1] (e.g. {p[outside][0]:g}); "
                        "calibration needs predicted probabilities. If these are percentages divide by 100; if they "
                        "are linear predictors (log-odds) transform them with scipy.special.expit.")
    infinite = (p == 0) | (p == 1)
    if infinite.any():
        raise DataError(f"{name} has {int(infinite.sum())} probability(ies) of exactly 0 or 1, whose logit is "
                        "infinite, so the calibration intercept and slope do not exist. If they were rounded, give "
                        "the unrounded predictions (or clip them, e.g. np.clip(p, 1e-6, 1 - 1e-6), knowing that the "
                        "slope then depends on the clip).")
