"""Meta-analysis of diagnostic accuracy: univariate pooling and the bivariate (Reitsma) model.

``univariate`` pools one measure (sensitivity, specificity, DOR, LR+, LR- or a plain proportion
such as biopsy accuracy) on the logit or log scale by DerSimonian-Laird, REML or a binomial GLMM.
``bivariate`` fits the bivariate random-effects model of Reitsma et al. (2005) by REML or ML, or
the bivariate binomial GLMM of Chu & Cole (2006), and derives the summary point, LRs, DOR, the
HSROC parameters (Harbord et al. 2007), the SROC curve, its AUC, and confidence and prediction
regions. Study-level covariates enter the bivariate model as meta-regression.

>>> import pandas as pd, diagstats as ds
>>> studies = pd.DataFrame({"tp": [30, 69, 44, 62, 27], "fp": [5, 7, 1, 12, 13],
...                         "fn": [2, 2, 7, 5, 10], "tn": [135, 65, 150, 77, 85]})
>>> fit = ds.meta.bivariate(studies)
>>> print(fit.sensitivity.format(2))
sensitivity 0.90 (95% CI 0.79 to 0.95, Wald on logit scale)
>>> print(ds.meta.univariate(studies, measure="dor", method="dl").pooled.format(1))
dor 150.6 (95% CI 35.4 to 640.5, Wald on log scale, DerSimonian-Laird)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit, logit

from .._core.quantiles import z_two_sided
from . import _fit, _glmm, regression, t_alpha
from .._input import (_show, as_counts, check_dataframe, check_level, check_option, check_positive_number,
                      check_probability, check_whole_number, column)
from ..errors import DataError, OptionError
from ..binary.intervals import _proportion_bounds
from ..results import Estimate, Interval, ResultTable, TestResult, estimates_frame, format_number, format_p, tidy

__all__ = ["univariate", "bivariate", "UnivariateMetaResult", "BivariateMetaResult", "BivariateRegressionResult"]

MEASURES = ("sensitivity", "specificity", "dor", "lr_positive", "lr_negative", "proportion")
UNIVARIATE_METHODS = {"dl": "DerSimonian-Laird", "reml": "REML", "ml": "ML", "glmm": "binomial GLMM"}
#: Inference for the pooled value: normal (Wald), Knapp-Hartung, Knapp-Hartung with its factor truncated at 1
UNIVARIATE_TESTS = {"z": "Wald", "knha": "Knapp-Hartung", "adhoc": "Knapp-Hartung (factor truncated at 1)"}
BIVARIATE_METHODS = {"reml": "REML", "ml": "ML", "glmm": "binomial GLMM"}
CORRECTION_CONTROLS = ("zero_studies", "all")


# ----------------------------------------------------------------------------------------------
# input
# ----------------------------------------------------------------------------------------------

def _counts(data: pd.DataFrame | None, spec: Any, name: str) -> np.ndarray:
    values = column(data, spec, name) if isinstance(spec, str) else spec
    arr = as_counts(np.asarray(values), name)
    if arr.ndim != 1:
        raise DataError(f"{name} must have one count per study; got {_show(values)}.")
    return arr


def _study_labels(data: pd.DataFrame | None, study: Any, k: int) -> list[str]:
    if study is None:
        if isinstance(data, pd.DataFrame) and "study" in data.columns:
            return [str(s) for s in data["study"]]
        return [f"study {i + 1}" for i in range(k)]
    if not isinstance(study, str) and np.ndim(study) != 1:
        raise DataError(f"study={_show(study)} must be a column name or one label per study (a list); e.g. "
                        "study='author' or study=['Lee 2013', 'Ongkeko 2015'].")
    values = column(data, study, "study") if isinstance(study, str) else study
    labels = [str(s) for s in values]
    if len(labels) != k:
        raise DataError(f"study has {len(labels)} labels but there are {k} studies; give one label per row.")
    return labels


def _correct(cells: list[np.ndarray], correction: float, control: str,
             labels: list[str]) -> tuple[list[np.ndarray], tuple[str, ...]]:
    """Add ``correction`` to every cell of the studies that need it; say what was done."""
    correction = check_correction(correction)
    control = check_option(control, "correction_control", CORRECTION_CONTROLS)
    zero = np.zeros(len(cells[0]), dtype=bool)
    for c in cells:
        zero |= c == 0
    if control == "all":
        add = np.full(len(zero), zero.any())
    else:
        add = zero
    corrected = [c + correction * add for c in cells]
    if not add.any():
        return corrected, ()
    which = ", ".join(np.asarray(labels)[add][:5]) + (", ..." if add.sum() > 5 else "")
    rule = "every study, as one study has a zero cell" if control == "all" else "studies with a zero cell"
    return corrected, (f"{correction:g} added to every cell of {int(add.sum())} studies ({rule}: {which})",)


def check_correction(correction: Any) -> float:
    """The continuity correction: a number greater than 0 and at most 1 (0.5 is the usual one; more than 1 would
    outweigh the counts of a small study)."""
    correction = check_positive_number(correction, "correction")
    if correction > 1:
        raise OptionError(f"correction={_show(correction)} must be at most 1: it is added to every cell of a "
                          "study's table (0.5 is the usual choice).")
    return correction


def _check_classes(tp, fp, fn, tn, labels, needs=("diseased", "non-diseased")) -> None:
    for cells, what, fix, sums in (((tp, fn), "diseased", "sensitivity", "tp + fn"),
                                   ((fp, tn), "non-diseased", "specificity", "fp + tn")):
        if what not in needs:
            continue
        empty = (cells[0] + cells[1]) == 0
        if empty.any():
            names = ", ".join(np.asarray(labels)[empty][:5])
            raise DataError(f"{int(empty.sum())} studies in data have no {what} patients ({names}): {sums} = 0, so "
                            f"their {fix} is undefined. Drop them, or pool only the other measure with "
                            "ds.meta.univariate(...).")


def _wald(value: float, se: float, level: float, transform, name: str, method: str, notes=()) -> Estimate:
    return _interval_estimate(value, se, z_two_sided(level), level, transform, name, method, notes)


def _interval_estimate(value: float, se: float, crit: float, level: float, transform, name: str, method: str,
                       notes=()) -> Estimate:
    """``value +- crit * se`` on the analysis scale, back-transformed."""
    return Estimate(float(transform(value)), float(transform(value - crit * se)),
                    float(transform(value + crit * se)), level, method, name, tuple(notes))


# ----------------------------------------------------------------------------------------------
# univariate
# ----------------------------------------------------------------------------------------------

_SCALES = {"sensitivity": ("logit", expit), "specificity": ("logit", expit), "proportion": ("logit", expit),
           "dor": ("log", np.exp), "lr_positive": ("log", np.exp), "lr_negative": ("log", np.exp)}


def _effect_sizes(measure: str, tp, fp, fn, tn) -> tuple[np.ndarray, np.ndarray]:
    """Per-study effect on the analysis scale and its within-study variance (delta method)."""
    if measure == "sensitivity":
        return np.log(tp / fn), 1 / tp + 1 / fn
    if measure == "specificity":
        return np.log(tn / fp), 1 / tn + 1 / fp
    if measure == "dor":
        return np.log(tp * tn / (fp * fn)), 1 / tp + 1 / fp + 1 / fn + 1 / tn
    if measure == "lr_positive":
        return (np.log(tp / (tp + fn)) - np.log(fp / (fp + tn)),
                1 / tp - 1 / (tp + fn) + 1 / fp - 1 / (fp + tn))
    # lr_negative
    return (np.log(fn / (tp + fn)) - np.log(tn / (fp + tn)),
            1 / fn - 1 / (tp + fn) + 1 / tn - 1 / (fp + tn))


@dataclass(frozen=True, repr=False)
class UnivariateMetaResult(ResultTable):
    """Random-effects pooling of one accuracy measure.

    Attributes
    ----------
    measure, method : str
    k : int
        Number of studies.
    pooled : Estimate
        The pooled measure on its natural scale (a proportion or a ratio).
    estimate : Estimate
        The pooled value on the analysis scale (logit or log) with its Wald interval.
    se : float
        Standard error on the analysis scale (Knapp-Hartung adjusted with ``test="knha"``/``"adhoc"``).
    tau2 : Estimate
        Between-study variance with its Q-profile interval (Viechtbauer 2007; NaN for the GLMM).
    q : TestResult
        Cochran's Q test of homogeneity (df = k - 1).
    i2, h2 : float
        I^2 (percent) and H^2 (Higgins & Thompson 2002), from tau^2 and the typical within-study variance.
    prediction : Interval
        Interval for the measure in a new study, ``mu +- z * sqrt(se^2 + tau^2)``, natural scale
        (with ``test="knha"``/``"adhoc"``: t quantile with k - 1 df and the adjusted se, as metafor).
    weights : ndarray
        Percent weight of each study (inverse-variance random-effects weights).
    studies : DataFrame
        Per-study effect, within-study variance and natural-scale value.
    test : str
        "z" (Wald), "knha" or "adhoc" (Knapp-Hartung; see :func:`univariate`).
    """

    measure: str
    method: str
    k: int
    pooled: Estimate
    estimate: Estimate
    se: float
    tau2: Estimate
    q: TestResult
    i2: float
    h2: float
    prediction: Interval
    weights: np.ndarray
    studies: pd.DataFrame
    level: float = 0.95
    notes: tuple[str, ...] = field(default=())
    test: str = "z"

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Univariate meta-analysis of {self.measure} ({UNIVARIATE_METHODS[self.method]}, {self.k} studies)"

    def header_lines(self) -> list[str]:
        return [f"Q = {format_number(self.q.statistic)} (df {self.k - 1}, {format_p(self.q.p_value)}), "
                f"I2 = {self.i2:.1f}%, prediction interval {format_number(self.prediction.lower)} to "
                f"{format_number(self.prediction.upper)}"]

    def to_frame(self) -> pd.DataFrame:
        """Rows: the pooled measure, its analysis-scale value, tau2, I2, H2 and Q.

        I2, H2 and Q are values without an interval, so their ``level`` is NaN (the result contract); the
        method says how each was estimated.
        """
        rows = [self.pooled, self.estimate, self.tau2,
                Estimate(self.i2, np.nan, np.nan, np.nan, "Higgins & Thompson", "I2"),
                Estimate(self.h2, np.nan, np.nan, np.nan, "Higgins & Thompson", "H2"),
                Estimate(self.q.statistic, np.nan, np.nan, np.nan,
                         f"Cochran Q, df {self.k - 1}, p {self.q.p_value:.4g}", "Q")]
        return estimates_frame(rows)

    def __repr__(self) -> str:
        return (f"UnivariateMetaResult(measure={self.measure!r}, method={self.method!r}, k={self.k}, "
                f"pooled={self.pooled.value:.4g})")

    def plot(self, ax=None):
        """Forest plot of the studies and the pooled estimate; returns the Axes."""
        from ..plot.meta import forest_plot
        return forest_plot(self, ax=ax)


def univariate(data: pd.DataFrame | None = None, *, measure: str = "sensitivity", method: str = "reml",
               tp: Any = "tp", fp: Any = "fp", fn: Any = "fn", tn: Any = "tn", events: Any = "events", n: Any = "n",
               study: Any = None, level: float = 0.95, correction: float = 0.5,
               correction_control: str = "zero_studies", nagq: int = 1, test: str = "z") -> UnivariateMetaResult:
    """Random-effects meta-analysis of one accuracy measure on the logit or log scale.

    Parameters
    ----------
    data : DataFrame, optional
        One study a row. Count arguments are column names of ``data`` or arrays.
    measure : {"sensitivity", "specificity", "dor", "lr_positive", "lr_negative", "proportion"}
        ``"proportion"`` pools ``events / n`` (e.g. correct biopsies / biopsies).
    method : {"dl", "reml", "ml", "glmm"}, default "reml"
        DerSimonian & Laird (1986) moments, REML or ML by Fisher scoring (Viechtbauer 2005), or (for
        sensitivity, specificity and proportions) the binomial-normal GLMM (Hamza et al. 2008)
        by adaptive Gauss-Hermite quadrature with ``nagq`` nodes (1 = Laplace, as lme4's default).
        The upper-case spellings ``"DL"``, ``"REML"``, ``"ML"``, ``"GLMM"`` are accepted as well.
    tp, fp, fn, tn : str or array-like, default the column names "tp", "fp", "fn", "tn"
    events, n : str or array-like
        For ``measure="proportion"``.
    study : str or array-like, optional
        Study labels (default: a "study" column if present).
    level : float, default 0.95
    correction : float, default 0.5
        Added to every cell of a study with a zero cell (``correction_control="zero_studies"``) or,
        if any study has one, to every study (``"all"``, mada's default). Not used by the GLMM.
    nagq : int, default 1
        Quadrature nodes for ``method="glmm"``.
    test : {"z", "knha", "adhoc"}, default "z"
        Inference for the pooled value. "z": Wald with the normal quantile. "knha": the
        Hartung-Knapp-Sidik-Jonkman adjustment, recommended by current guidance (Cochrane Handbook
        10.10.4), for every tau^2 estimator: the variance of the pooled value is multiplied by
        ``s^2 = sum w_i (y_i - mu)^2 / (k - 1)`` and the interval (and the prediction interval) use
        t with k - 1 df, as metafor ``rma(test="knha")``. metafor does not truncate ``s^2``, so when
        the studies agree more than their variances imply (``s^2 < 1``) the adjusted interval is
        *narrower* than the Wald one; "adhoc" truncates ``s^2`` at 1 (Knapp & Hartung 2003; Jackson
        et al. 2017; metafor ``test="adhoc"``) so the adjustment never narrows it. ``"hksj"`` is
        accepted for ``"knha"``. Not with the GLMM.

    Returns
    -------
    UnivariateMetaResult

    Notes
    -----
    Q, I^2 and the weights follow Higgins & Thompson (2002); the Q-profile interval for tau^2 is
    Viechtbauer (2007), whichever ``method`` estimates tau^2: it inverts the generalised Q statistic
    and is not built around the DL (or REML) estimate, so the estimate can lie outside it (metafor
    reports the same pair); the result then says so in a note. The prediction interval is
    normal-based, ``mu +- z sqrt(se^2 + tau^2)``, as metafor's ``predict``. DL, REML, tau^2
    interval, I^2, weights and prediction interval agree with R metafor 3.8 to 1e-6, as do ML and the
    Knapp-Hartung intervals (``test="knha"``, ``"adhoc"``); the GLMM with lme4 1.1 ``glmer`` (see
    tests/meta).

    References
    ----------
    DerSimonian R, Laird N (1986). Control Clin Trials 7:177-188.
    Viechtbauer W (2005). J Educ Behav Stat 30:261-293; (2007) Stat Med 26:37-52.
    Higgins JPT, Thompson SG (2002). Stat Med 21:1539-1558.
    Hamza TH, van Houwelingen HC, Stijnen T (2008). J Clin Epidemiol 61:41-51.
    Hartung J, Knapp G (2001). Stat Med 20:3875-3889. Sidik K, Jonkman JN (2002). Stat Med 21:3153-3159.
    Knapp G, Hartung J (2003). Stat Med 22:2693-2710. Jackson D, Law M, Rucker G, Schwarzer G (2017).
    Stat Med 36:3923-3934.

    Examples
    --------
    >>> import pandas as pd, diagstats as ds
    >>> series = pd.DataFrame({"events": [401, 108, 116, 149], "n": [430, 127, 126, 161]})
    >>> res = ds.meta.univariate(series, measure="proportion", method="dl")
    >>> print(res.pooled.format(3))
    proportion 0.912 (95% CI 0.870 to 0.941, Wald on logit scale, DerSimonian-Laird)
    >>> print(ds.meta.univariate(series, measure="proportion", method="ml", test="knha").pooled.format(3))
    proportion 0.912 (95% CI 0.841 to 0.953, Knapp-Hartung t(3) on logit scale, ML)
    """
    measure = check_option(measure, "measure", MEASURES)
    method = check_option(method, "method", list(UNIVARIATE_METHODS),
                          {"DL": "dl", "REML": "reml", "ML": "ml", "GLMM": "glmm"})
    test = check_option(test, "test", list(UNIVARIATE_TESTS), {"KNHA": "knha", "hksj": "knha", "HKSJ": "knha"})
    level = check_level(level)
    if method == "glmm" and test != "z":
        raise OptionError(f"test={test!r} (Knapp-Hartung) adjusts the inverse-variance methods; the GLMM's interval "
                          "is Wald. Use method='reml' (or 'dl', 'ml') with test='knha'.")
    if method == "glmm" and measure not in ("sensitivity", "specificity", "proportion"):
        raise OptionError(f"method='glmm' (the binomial GLMM) pools a proportion; measure={measure!r} is a ratio. "
                          "Use method='reml' or 'dl' for it, or ds.meta.bivariate(..., method='glmm') for the joint "
                          "model.")
    if measure == "proportion":
        x, m = _counts(data, events, "events"), _counts(data, n, "n")
        if len(x) != len(m):
            raise DataError(f"events has {len(x)} studies and n has {len(m)}; give one value per study.")
        if np.any(x > m):
            raise DataError("events is greater than n in some studies; events counts successes among n.")
        if np.any(m == 0):
            raise DataError("n is 0 in some studies; a proportion needs at least one observation. Drop those studies.")
        cells = [x, m - x]
    else:
        cells = [_counts(data, c, nm) for c, nm in ((tp, "tp"), (fp, "fp"), (fn, "fn"), (tn, "tn"))]
        if len({len(c) for c in cells}) > 1:
            raise DataError("tp, fp, fn and tn must have one count per study (their lengths differ).")
    k = len(cells[0])
    labels = _study_labels(data, study, k)
    if k < 2:
        raise DataError(f"A meta-analysis needs at least 2 studies (rows of data); got {k}.")
    if measure != "proportion":
        _check_classes(*cells, labels, needs={"sensitivity": ("diseased",), "specificity": ("non-diseased",)}
                       .get(measure, ("diseased", "non-diseased")))
    scale, back = _SCALES[measure]
    check_option(correction_control, "correction_control", CORRECTION_CONTROLS)  # also with glmm, which ignores it
    check_correction(correction)
    if method == "glmm":
        return _univariate_glmm(measure, cells, labels, level, nagq)
    # a study's table is corrected as a whole (as in the bivariate model), whichever measure is pooled
    cells, notes = _correct([c.astype(float) for c in cells], correction, correction_control, labels)
    cells = [np.asarray(c, dtype=float) for c in cells]
    if measure == "proportion":
        y, v = np.log(cells[0] / cells[1]), 1 / cells[0] + 1 / cells[1]
    else:
        y, v = _effect_sizes(measure, *cells)
    fit = _fit.fit_univariate(y, v, method)
    tau_lo, tau_hi = _fit.q_profile_interval(y, v, level) if k > 1 else (np.nan, np.nan)
    label = UNIVARIATE_METHODS[method]
    if k == 1:
        tau_notes: tuple[str, ...] = ("tau2 has no interval with one study",)
    elif not tau_lo <= fit.tau2 <= tau_hi:
        tau_notes = (f"tau2 interval by Q-profile (Viechtbauer 2007), which is not built around the {label} "
                     f"estimate: here the estimate {fit.tau2:.4g} lies outside it (as in metafor); the interval "
                     "always contains the Paule-Mandel estimate, whose equation it inverts",)
    else:
        tau_notes = ()
    se, crit, how = fit.se, z_two_sided(level), "Wald"
    if test != "z":
        factor = _fit.knapp_hartung_factor(y, v, fit.tau2)
        if test == "adhoc" and factor < 1:
            factor = 1.0
            notes = (*notes, "Knapp-Hartung factor below 1 truncated at 1 (test='adhoc'): the Wald standard error "
                             "is kept, with the t quantile")
        elif factor < 1:
            notes = (*notes, f"Knapp-Hartung factor {factor:.4g} < 1 (studies agree more than their variances imply): "
                             "the interval is narrower than the Wald one, as in metafor; test='adhoc' truncates it")
        se, crit = fit.se * np.sqrt(factor), float(stats.t.ppf(1 - (1 - level) / 2, k - 1))
        how = f"Knapp-Hartung t({k - 1})"
    est = _interval_estimate(fit.mu, se, crit, level, lambda t: t, f"{scale} {measure}", f"{how}, {label}", notes)
    pooled = _interval_estimate(fit.mu, se, crit, level, back, measure, f"{how} on {scale} scale, {label}", notes)
    z = z_two_sided(level)
    half = crit * np.sqrt(se ** 2 + fit.tau2)
    q = TestResult(fit.q, float(stats.chi2.sf(fit.q, k - 1)), "Cochran Q", df=k - 1, name="heterogeneity")
    studies = pd.DataFrame({"study": labels, "effect": y, "variance": v, "value": back(y),
                            "lower": back(y - z * np.sqrt(v)), "upper": back(y + z * np.sqrt(v)),
                            "weight": fit.weights})
    return UnivariateMetaResult(
        measure=measure, method=method, k=k, pooled=pooled, estimate=est, se=se,
        tau2=Estimate(fit.tau2, tau_lo, tau_hi, level, "Q-profile", "tau2", tau_notes), q=q, i2=fit.i2, h2=fit.h2,
        prediction=Interval(float(back(fit.mu - half)), float(back(fit.mu + half))), weights=fit.weights,
        studies=studies, level=level, notes=tuple(notes) + tau_notes, test=test)


def _univariate_glmm(measure, cells, labels, level, nagq) -> UnivariateMetaResult:
    nagq = _check_nagq(nagq)
    if measure == "proportion":
        x, m = cells[0], cells[0] + cells[1]
    elif measure == "sensitivity":
        x, m = cells[0], cells[0] + cells[2]
    else:
        x, m = cells[3], cells[3] + cells[1]
    k = len(x)
    fit = _glmm.fit_proportion_glmm(x.astype(float), m.astype(float), nagq=nagq)
    se = float(np.sqrt(fit.vcov[0, 0]))
    mu, tau2 = float(fit.beta[0]), float(fit.sigma[0, 0])
    label = f"binomial GLMM, {'Laplace' if nagq == 1 else f'{nagq}-node adaptive Gauss-Hermite'}"
    est = _wald(mu, se, level, lambda t: t, f"logit {measure}", f"Wald, {label}")
    pooled = _wald(mu, se, level, expit, measure, f"Wald on logit scale, {label}")
    z = z_two_sided(level)
    half = z * np.sqrt(se ** 2 + tau2)
    # heterogeneity statistics of the GLMM are reported from the (uncorrected) logit proportions' Q
    lo, hi = _wilson(x, m, level)
    studies = pd.DataFrame({"study": labels, "events": x, "n": m, "value": x / m, "lower": lo, "upper": hi,
                            "weight": np.nan})
    nan_q = TestResult(np.nan, np.nan, "Cochran Q (not defined for the GLMM)", df=k - 1, name="heterogeneity")
    return UnivariateMetaResult(
        measure=measure, method="glmm", k=k, pooled=pooled, estimate=est, se=se,
        tau2=Estimate(tau2, np.nan, np.nan, level, "ML (GLMM)", "tau2"), q=nan_q, i2=np.nan, h2=np.nan,
        prediction=Interval(float(expit(mu - half)), float(expit(mu + half))), weights=np.full(k, np.nan),
        studies=studies, level=level,
        notes=(f"exact binomial likelihood, no continuity correction; log-likelihood {fit.loglik:.6f}",))


def _wilson(x: Any, n: Any, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-study Wilson intervals of validated counts (the kernel of ds.proportion_ci: a study with n = 0 keeps
    NaN bounds in the studies table instead of a warning)."""
    return _proportion_bounds(np.asarray(x, dtype=float), np.asarray(n, dtype=float), level, "wilson")


def _check_nagq(nagq: Any) -> int:
    return check_whole_number(nagq, "nagq", minimum=1, maximum=25, what="quadrature nodes (1 is Laplace)")


# ----------------------------------------------------------------------------------------------
# bivariate
# ----------------------------------------------------------------------------------------------

def _design(data: pd.DataFrame | None, covariates: Sequence[str] | None, k: int) -> tuple[np.ndarray, list[str]]:
    if not covariates:
        return np.ones((k, 1)), ["intercept"]
    if isinstance(covariates, str):
        covariates = [covariates]
    check_dataframe(data, what="one row per study (covariates are column names of data)")
    frame = pd.DataFrame({c: column(data, c, "covariates") for c in covariates})
    if frame.isna().any().any():
        raise DataError(f"covariates {list(covariates)} have missing values; fill them or drop those studies.")
    dummies = pd.get_dummies(frame, drop_first=True, dtype=float)
    z = np.column_stack([np.ones(k), dummies.to_numpy(dtype=float)])
    if frame.nunique().min() < 2 or np.linalg.matrix_rank(z) < z.shape[1]:
        raise DataError(f"covariates {list(covariates)} are collinear or constant across studies; "
                        "drop one or merge rare categories.")
    if k < z.shape[1] + 3:
        raise DataError(f"{k} studies are too few for {z.shape[1] - 1} covariate terms (covariates="
                        f"{list(covariates)!r}) in the bivariate model; it needs at least {z.shape[1] + 3}: drop "
                        "covariates or merge categories.")
    return z, ["intercept", *dummies.columns]


def _row_keys(data: pd.DataFrame, covariates: Sequence[str] | str) -> np.ndarray:
    """Each table's covariate values as one text key (tables of one study must differ in them)."""
    names = [covariates] if isinstance(covariates, str) else list(covariates)
    return data[names].astype(str).agg(" / ".join, axis=1).to_numpy(dtype=object)


def _check_one_table_per_study(labels: list[str], by: np.ndarray | None, covariate: Any) -> None:
    """Refuse a study that gives two tables (for the same covariate values): they are not two studies."""
    keys = pd.DataFrame({"study": labels, "by": "" if by is None else by})
    twice = keys[keys.duplicated(keep=False)]
    if twice.empty:
        return
    first = twice["study"].iloc[0]
    rows = [int(i) + 1 for i in twice.index[twice["study"] == first]]
    others = twice["study"].nunique() - 1
    also = f" (and {others} other stud{'y' if others == 1 else 'ies'})" if others else ""
    if by is None:
        raise DataError(
            f"study {first!r} appears {len(rows)} times in data (rows {rows}){also}, but the bivariate model takes "
            "one 2x2 table per study: tables of one study share its patients and are not independent studies. "
            "Choose a subgroup with one table per study (e.g. one test or one unit of analysis), or compare the "
            "tests with covariate='<column naming the test>'.")
    value = twice["by"].iloc[0]
    raise DataError(
        f"study {first!r} gives {len(rows)} tables (rows {rows}) with the same value of {covariate!r} "
        f"({value!r}){also}; the model takes one table per study and level. Keep one of them (e.g. choose a "
        "subgroup), or label them as different levels.")


@dataclass(frozen=True, repr=False)
class BivariateMetaResult(ResultTable):
    """Bivariate random-effects meta-analysis of sensitivity and specificity.

    Attributes
    ----------
    method : str
        "reml", "ml" or "glmm".
    k : int
    coefficients : DataFrame
        Fixed effects on logit sensitivity and logit false-positive rate (``outcome``, ``term``,
        ``estimate``, ``se``, ``z``, ``p_value``, ``lower``, ``upper``).
    vcov : ndarray
        Covariance of the fixed effects (order of ``coefficients``).
    sigma : ndarray (2, 2)
        Between-study covariance of (logit sensitivity, logit FPR); ``tau2`` its diagonal and ``rho``
        the correlation.
    loglik, aic, bic : float
        (Restricted) log-likelihood and information criteria (parameters = fixed effects + 3).
    sensitivity, specificity, false_positive_rate, lr_positive, lr_negative, dor : Estimate
        Summary point and derived measures (at the reference level of any covariates). LRs and
        DOR use the delta method on the log scale with the covariance of the fixed effects.
    hsroc : dict
        Harbord et al. (2007) HSROC parameters: Lambda (accuracy), Theta (threshold), beta (shape),
        sigma2_alpha, sigma2_theta.
    auc : float
        Area under the SROC curve as mada computes it (see :meth:`sroc`).
    studies : DataFrame
        Per-study counts, (corrected) sensitivity and FPR with Wilson intervals, and size.
    alpha : tuple of float
        The t-alpha transformations of sensitivity and FPR the model was fitted on ((1, 1): the logit;
        see ``alpha_sensitivity`` / ``alpha_fpr`` of :func:`bivariate`).
    """

    method: str
    k: int
    coefficients: pd.DataFrame
    vcov: np.ndarray
    sigma: np.ndarray
    loglik: float
    aic: float
    bic: float
    sensitivity: Estimate
    specificity: Estimate
    false_positive_rate: Estimate
    lr_positive: Estimate
    lr_negative: Estimate
    dor: Estimate
    hsroc: dict
    studies: pd.DataFrame
    covariates: tuple[str, ...] = ()
    level: float = 0.95
    notes: tuple[str, ...] = field(default=())
    alpha: tuple[float, float] = (1.0, 1.0)

    @property
    def tau2(self) -> np.ndarray:
        """Between-study variances of logit sensitivity and logit FPR."""
        return np.diag(self.sigma).copy()

    @property
    def rho(self) -> float:
        """Between-study correlation of logit sensitivity and logit FPR."""
        return float(self.sigma[0, 1] / np.sqrt(self.sigma[0, 0] * self.sigma[1, 1]))

    @property
    def mu(self) -> np.ndarray:
        """(logit sensitivity, logit FPR) at the reference level of the covariates."""
        c = self.coefficients
        return c.loc[c["term"] == "intercept", "estimate"].to_numpy()

    @property
    def mu_vcov(self) -> np.ndarray:
        idx = np.flatnonzero(self.coefficients["term"].to_numpy() == "intercept")
        return self.vcov[np.ix_(idx, idx)]

    def _back_transform(self, sensitivity_scale: Any, fpr_scale: Any) -> tuple[np.ndarray, np.ndarray]:
        """(sensitivity, FPR) from values on the model's scale (logit, or t-alpha with ``alpha``)."""
        return (t_alpha.inverse(sensitivity_scale, self.alpha[0]), t_alpha.inverse(fpr_scale, self.alpha[1]))

    @property
    def title(self) -> str:  # type: ignore[override]
        return (f"Bivariate meta-analysis of sensitivity and specificity ({BIVARIATE_METHODS[self.method]}, "
                f"{self.k} studies)")

    def header_lines(self) -> list[str]:
        scale = ("logit sens, logit FPR" if self.alpha == (1.0, 1.0) else
                 f"t-alpha sens, t-alpha FPR; alpha {self.alpha[0]:g}, {self.alpha[1]:g}")
        return [f"tau2 ({scale}) = {format_number(self.tau2[0])}, {format_number(self.tau2[1])}; "
                f"rho = {format_number(self.rho)}; log-likelihood {format_number(self.loglik)}, "
                f"AIC {format_number(self.aic)}, BIC {format_number(self.bic)}; SROC AUC {format_number(self.auc)}"]

    def to_frame(self) -> pd.DataFrame:
        """Rows: summary sensitivity, specificity, FPR, LR+, LR-, DOR, AUC, tau2 and rho."""
        lvl = self.level
        extra = [Estimate(self.auc, np.nan, np.nan, lvl, "SROC (Rutter-Gatsonis), trapezoid as mada", "auc"),
                 Estimate(self.tau2[0], np.nan, np.nan, lvl, BIVARIATE_METHODS[self.method], "tau2_sensitivity"),
                 Estimate(self.tau2[1], np.nan, np.nan, lvl, BIVARIATE_METHODS[self.method], "tau2_fpr"),
                 Estimate(self.rho, np.nan, np.nan, lvl, BIVARIATE_METHODS[self.method], "rho")]
        return estimates_frame([self.sensitivity, self.specificity, self.false_positive_rate, self.lr_positive,
                                self.lr_negative, self.dor, *extra])

    def __repr__(self) -> str:
        return (f"BivariateMetaResult(method={self.method!r}, k={self.k}, sensitivity={self.sensitivity.value:.4g}, "
                f"specificity={self.specificity.value:.4g})")

    # --- SROC --------------------------------------------------------------------------------
    def sroc(self, fpr: Any = None) -> pd.DataFrame:
        """The SROC curve of the HSROC model implied by the fit (Rutter & Gatsonis 2001; Harbord 2007).

        ``logit(sens) = mu_sens + (tau_sens / tau_fpr) * (logit(fpr) - mu_fpr)``, evaluated on
        ``fpr`` (default 0.01, 0.02, ..., 0.99, mada's grid). Returns columns fpr, sensitivity. With
        t-alpha transformations (``alpha``) the line is drawn on their scale and mapped back.
        """
        grid = np.arange(1, 100) / 100 if fpr is None else \
            np.atleast_1d(check_probability(fpr, "fpr", open_interval=True))
        mu1, mu2 = self.mu
        slope = np.sqrt(self.sigma[0, 0] / self.sigma[1, 1])
        line = mu1 + slope * (t_alpha.transform(grid, self.alpha[1]) - mu2)
        return pd.DataFrame({"fpr": grid, "sensitivity": t_alpha.inverse(line, self.alpha[0])})

    @property
    def auc(self) -> float:
        """Area under the SROC curve, computed as mada's ``AUC`` does for a reitsma fit.

        mada evaluates the curve at fpr = 0.01, ..., 0.99 and applies the trapezoidal rule with a
        step of 1/99 (the number of grid points), i.e. the trapezoid area over [0.01, 0.99]
        divided by 0.99. We reproduce that convention so results match mada 0.5 (documented in
        mada's ``AUC`` help as "calculated using the trapezoidal rule" on that grid).
        """
        curve = self.sroc()
        y = curve["sensitivity"].to_numpy()
        return float(np.sum((y[1:] + y[:-1]) / 2) / len(y))

    # --- regions -------------------------------------------------------------------------------
    def _ellipse(self, cov: np.ndarray, level: float, n_points: int) -> pd.DataFrame:
        level = check_level(level)
        n_points = check_whole_number(n_points, "n_points", minimum=3, what="points on the ellipse", example=200)
        radius = np.sqrt(stats.chi2.ppf(level, 2))
        t = np.linspace(0, 2 * np.pi, n_points)
        chol = np.linalg.cholesky(cov)
        pts = self.mu[:, None] + radius * chol @ np.vstack([np.cos(t), np.sin(t)])
        sens, fpr = self._back_transform(pts[0], pts[1])
        return pd.DataFrame({"fpr": fpr, "sensitivity": sens})

    def confidence_region(self, level: float = 0.95, n_points: int = 200) -> pd.DataFrame:
        """Confidence ellipse of the summary point (logit scale, chi-square 2 df), back-transformed."""
        return self._ellipse(self.mu_vcov, level, n_points)

    def prediction_region(self, level: float = 0.95, n_points: int = 200) -> pd.DataFrame:
        """Prediction ellipse for a new study's true (sens, FPR): covariance Sigma + Var(mu)."""
        return self._ellipse(self.sigma + self.mu_vcov, level, n_points)

    def dor_prediction(self, level: float | None = None) -> Interval:
        """Prediction interval of the DOR of a new study (at the reference level of any covariates).

        The new study's log DOR is ``logit sens - logit FPR`` of its true (sens, FPR), normal with mean
        ``mu_sens - mu_fpr`` and variance ``c' (Sigma + Var(mu)) c``, ``c = (1, -1)``: the prediction
        region's covariance projected on the log DOR, with the normal quantile of ``level`` (default the
        fit's). This is the one-dimensional interval, not the shadow of the chi-square(2) prediction
        ellipse (which would be wider). mada reports no DOR prediction interval and metafor's ``predict``
        none for a contrast of the two outcomes; the value agrees to 1e-6 with this formula applied to
        a tightly converged ``rma.mv(struct="UN")`` fit (tests/meta). With t-alpha transformations
        (``alpha`` other than 1) the log DOR is not linear in the model's scale: ``c`` is then the gradient
        of the log DOR at the summary point (delta method), exact for the logit.

        Reference: Riley RD, Higgins JPT, Deeks JJ (2011). Interpretation of random effects
        meta-analyses. BMJ 342:d549 (prediction intervals); Reitsma et al. (2005).

        >>> import pandas as pd, diagstats as ds
        >>> studies = pd.DataFrame({"tp": [30, 69, 44, 62, 27, 37], "fp": [5, 7, 0, 12, 13, 19],
        ...                         "fn": [2, 2, 7, 5, 10, 4], "tn": [135, 65, 150, 77, 85, 113]})
        >>> lower, upper = ds.meta.bivariate(studies).dor_prediction()
        >>> round(lower, 1), round(upper, 1)
        (10.1, 688.5)
        """
        level = self.level if level is None else check_level(level)
        c = _log_dor_gradient(self.mu, self.alpha)
        se = float(np.sqrt(c @ (self.sigma + self.mu_vcov) @ c))
        log_dor = _log_dor(self.mu, self.alpha)
        z = z_two_sided(level)
        return Interval(float(np.exp(log_dor - z * se)), float(np.exp(log_dor + z * se)))

    def heterogeneity(self):
        """Zhou & Dendukuri's I^2 of sensitivity, specificity and of both together (bivariate I^2).

        Each I^2 compares the between-study variance with the within-study variance *expected* under the
        random-effects model, ``mean_i (2 + exp(mu + tau^2/2) + exp(-mu + tau^2/2)) / n_i`` on the logit
        scale, instead of Higgins & Thompson's "typical" variance, which overstates I^2 for proportions when
        tau^2 is large. The bivariate I^2 is ``|Sigma|^(1/2) / (|Sigma|^(1/2) + s_sens s_spec)`` (generalised
        variances), which accounts for the correlation of sensitivity and specificity. Values in %, without
        intervals; the same numbers as Stata's ``metadta`` prints ("Generalized", "Sensitivity",
        "Specificity") for the model it fits, ``method="glmm", nagq=7`` here. Defined for the logit model
        without covariates.

        Returns
        -------
        BivariateHeterogeneityResult

        Raises
        ------
        OptionError
            The fit has covariates or t-alpha transformations.

        References
        ----------
        Zhou Y, Dendukuri N (2014). Statistics for quantifying heterogeneity in univariate and bivariate
        meta-analyses of binary data: the case of meta-analyses of diagnostic accuracy. Stat Med 33:2701-2717.
        Nyaga VN, Arbyn M (2022). Metadta: a Stata command for meta-analysis and meta-regression of
        diagnostic test accuracy data - a tutorial. Arch Public Health 80:95.

        >>> import pandas as pd, diagstats as ds
        >>> studies = pd.DataFrame({"tp": [30, 69, 44, 62, 27, 37], "fp": [5, 7, 0, 12, 13, 19],
        ...                         "fn": [2, 2, 7, 5, 10, 4], "tn": [135, 65, 150, 77, 85, 113]})
        >>> het = ds.meta.bivariate(studies, method="glmm", nagq=7).heterogeneity()
        >>> round(het.i2_bivariate.value, 1)
        70.8
        """
        from .heterogeneity import heterogeneity

        return heterogeneity(self)

    def predictive_values(self, prevalence: Any = None, *, prevalence_sd: Any = None, n_draws: int = 100_000,
                          seed: Any = 0, level: float | None = None) -> pd.DataFrame:
        """Pooled PPV and NPV at a prevalence, a range of prevalences, or an uncertain prevalence.

        Draws of the summary point from N(mu, Var(mu)) (Zwinderman & Bossuyt 2008) give, by Bayes' theorem,
        draws of the PPV and NPV; each row reports their mean (``value``), a percentile interval at ``level``
        (default the fit's), the SD and the percentiles mada's ``predv_r`` / ``predv_d`` print (``p2.5`` ...
        ``p97.5``).

        Parameters
        ----------
        prevalence : float or sequence of float, optional
            The prevalence(s) of the target population. Default: the studies' own prevalences, from the
            lowest to the highest in steps of 0.01 (as mada's ``predv_r``).
        prevalence_sd : float, optional
            With one ``prevalence``: the prevalence is uncertain, drawn from a beta distribution with that
            mean and this SD (as mada's ``predv_d`` with ``prop_m`` and ``prop_sd``); one row per measure.
        n_draws : int, default 100,000
            Draws of the summary point (and prevalence); mada's ``n_iter``.
        seed : int, SeedSequence or Generator, default 0
        level : float, optional

        Returns
        -------
        DataFrame
            prevalence, prevalence_distribution, measure ("ppv" / "npv"), value, lower, upper, level, sd,
            p2.5 ... p97.5.

        Notes
        -----
        A Monte Carlo method: values agree with mada's within simulation error (mada draws from R's
        generator). The summary point's uncertainty is propagated, not the between-study heterogeneity: a
        new study's predictive values vary more (see :meth:`prediction_region`).

        References
        ----------
        Zwinderman AH, Bossuyt PM (2008). We should not pool diagnostic likelihood ratios in systematic
        reviews. Stat Med 27:687-697. Leeflang MMG, Rutjes AWS, Reitsma JB, et al. (2013). Variation of a
        test's sensitivity and specificity with disease prevalence. CMAJ 185:E537-E544.

        >>> import pandas as pd, diagstats as ds
        >>> studies = pd.DataFrame({"tp": [30, 69, 44, 62, 27, 37], "fp": [5, 7, 0, 12, 13, 19],
        ...                         "fn": [2, 2, 7, 5, 10, 4], "tn": [135, 65, 150, 77, 85, 113]})
        >>> pv = ds.meta.bivariate(studies).predictive_values([0.05, 0.3])
        >>> pv["measure"].tolist()
        ['ppv', 'npv', 'ppv', 'npv']
        """
        from .predictive_values import predictive_values

        return predictive_values(self, prevalence, prevalence_sd=prevalence_sd, n_draws=n_draws, seed=seed,
                                 level=level)

    def plot(self, ax=None, kind: str = "sroc"):
        """``kind="sroc"`` (SROC plot) or ``"forest"`` (paired forest plot); returns the Axes."""
        from ..plot.meta import paired_forest_plot, sroc_plot

        kind = check_option(kind, "kind", ["sroc", "forest"])
        return sroc_plot(self, ax=ax, level=self.level) if kind == "sroc" else paired_forest_plot(self, axes=ax)


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


def _scale_slopes(mu: np.ndarray, alpha: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """(sens, FPR) at the summary point and ``r = p (1 - p) t_a'(p)`` for each (1 for the logit), so that
    ``d p / d mu = p (1 - p) / r``."""
    p = np.array([t_alpha.inverse(m, a) for m, a in zip(mu, alpha)], dtype=float)
    r = np.array([1.0 if a == 1.0 else a * (1 - x) + (2 - a) * x for x, a in zip(p, alpha)])
    return p, r


def _log_dor(mu: np.ndarray, alpha: tuple[float, float]) -> float:
    """log DOR = logit sens - logit FPR at the summary point."""
    if alpha == (1.0, 1.0):
        return float(mu[0] - mu[1])
    p, _ = _scale_slopes(mu, alpha)
    return float(logit(p[0]) - logit(p[1]))


def _log_dor_gradient(mu: np.ndarray, alpha: tuple[float, float]) -> np.ndarray:
    """Gradient of the log DOR in the model's (sens, FPR) scale: (1, -1) for the logit."""
    _, r = _scale_slopes(mu, alpha)
    return np.array([1.0 / r[0], -1.0 / r[1]])


def _hsroc(mu_sens: float, mu_fpr: float, sigma: np.ndarray) -> dict:
    """HSROC parameters from the bivariate ones (Harbord et al. 2007, with logit spec = -logit FPR)."""
    s_a, s_b = np.sqrt(sigma[0, 0]), np.sqrt(sigma[1, 1])
    s_ab = -sigma[0, 1]                       # covariance of logit sens and logit spec
    mu_spec = -mu_fpr
    beta = np.log(s_b / s_a)
    return {"Lambda": float(np.sqrt(s_b / s_a) * mu_sens + np.sqrt(s_a / s_b) * mu_spec),
            "Theta": float(0.5 * (np.sqrt(s_b / s_a) * mu_sens - np.sqrt(s_a / s_b) * mu_spec)),
            "beta": float(beta),
            "sigma2_alpha": float(2 * (s_a * s_b + s_ab)),
            "sigma2_theta": float(0.5 * (s_a * s_b - s_ab))}


def bivariate(data: pd.DataFrame | None = None, *, tp: Any = "tp", fp: Any = "fp", fn: Any = "fn", tn: Any = "tn",
              method: str = "reml", covariates: Sequence[str] | str | None = None, covariate: str | None = None,
              study: Any = None, level: float = 0.95, correction: float = 0.5,
              correction_control: str = "zero_studies", nagq: int = 1, alpha_sensitivity: float = 1.0,
              alpha_fpr: float = 1.0) -> BivariateMetaResult:
    """Bivariate random-effects meta-analysis of sensitivity and specificity (Reitsma et al. 2005).

    Parameters
    ----------
    data : DataFrame, optional
        One study a row; ``tp, fp, fn, tn`` name its columns (or are arrays).
    method : {"reml", "ml", "glmm"}, default "reml"
        "reml"/"ml": the normal-approximation model of Reitsma et al. (2005) on (logit sensitivity,
        logit FPR) with known within-study variances, fitted on the likelihood profiled over the
        fixed effects (3 parameters, analytic gradient). "glmm": the bivariate binomial GLMM of
        Chu & Cole (2006) with exact binomial within-study likelihood, by adaptive Gauss-Hermite
        quadrature with ``nagq`` nodes per dimension (1 = Laplace, as lme4's ``glmer``).
    covariates : str or list of str, optional
        Study-level columns for meta-regression (categorical ones dummy-coded, first level as
        reference); each enters both logit sensitivity and logit FPR. Not with ``method="glmm"``.
    covariate : str, optional
        One categorical study-level column (e.g. ``"modality"``) for a comparative meta-analysis:
        returns a :class:`BivariateRegressionResult` with the summary
        point of every level, each level's difference and ratio (relative sensitivity and
        specificity) against the reference level, and ``covariate_test``, the likelihood-ratio test
        of the covariate. The reference is the first category of a pandas Categorical, otherwise the
        first value in sorted order. The test compares ML fits with and without the covariate even
        when ``method="reml"``: REML likelihoods of models with different fixed effects are not
        comparable (each is the likelihood of different error contrasts). Not with ``covariates`` or
        ``method="glmm"``.
    study : str or array-like, optional
        Study labels (default: a "study" column if present). A study may give one table (or, with
        ``covariate``/``covariates``, one table per value of them): two tables of one study are not
        independent studies, and a data set that lists a study twice is refused.
    level : float, default 0.95
    correction : float, default 0.5
        Continuity correction for the normal-approximation model.
    correction_control : {"zero_studies", "all"}, default "zero_studies"
        Add ``correction`` to every cell of the studies with a zero cell, or to every study when
        any has one (mada's default ``correction.control="all"``).
    nagq : int, default 1
        Quadrature nodes for ``method="glmm"``.
    alpha_sensitivity, alpha_fpr : float, default 1
        The t-alpha transformations of Doebler, Holling & Böhning (2012), mada's ``alphasens`` and
        ``alphafpr``: the model is fitted to ``t_a(x) = a log(x) - (2 - a) log(1 - x)`` of each study's
        sensitivity and FPR (``0 < a < 2``; 1 is the logit, other values make the scale asymmetric,
        which can fit studies better, compared by the log-likelihood's AIC), with delta-method
        within-study variances ``t_a'(p)^2 p (1 - p) / n``. The summary point, its interval, the
        SROC curve and the regions are mapped back by the inverse transformation (numerical); LRs,
        DOR and the DOR prediction interval use the delta method. ``coefficients``, ``sigma``,
        ``mu`` and ``hsroc`` are then on the t-alpha scale. Not with ``method="glmm"`` or ``covariate``.

    Returns
    -------
    BivariateMetaResult
        With ``covariate``, its subclass :class:`BivariateRegressionResult`.

    Raises
    ------
    DataError
        Fewer than 3 studies (use :func:`univariate`), negative counts, a study without diseased or
        without non-diseased patients, a study listed twice (choose one table per study, e.g. one
        test, or compare the tests with ``covariate=``).
    ConvergenceError
        The optimiser did not reach a stationary point; the message gives its reason.

    Notes
    -----
    REML and ML fits agree with R metafor 3.8 ``rma.mv(struct="UN")`` run to tight tolerances to
    1e-6 (fixed effects, covariance, tau^2, rho, log-likelihood, AIC, BIC), and with mada 0.5
    ``reitsma`` to 1e-6 except where mada's optimizer stops early (tests/meta). The GLMM with
    ``nagq=1`` agrees with lme4 ``glmer`` to 1e-4. With ``covariate``, the coefficients, per-level
    summary points, variance components, REML and ML log-likelihoods and the likelihood-ratio
    statistic agree with ``rma.mv`` with moderators to 1e-6. With t-alpha transformations the fit
    agrees to 1e-6 with ``rma.mv(struct="UN")`` on the transformed outcomes and variances. The derived LRs and
    DOR use the delta method on the log scale; mada's summary uses simulation (Zwinderman &
    Bossuyt 2008) instead, so its LR intervals differ slightly.

    References
    ----------
    Reitsma JB, Glas AS, Rutjes AWS, et al. (2005). J Clin Epidemiol 58:982-990.
    Takwoingi Y, Leeflang MMG, Deeks JJ (2013). Empirical evidence of the importance of comparative
    studies of diagnostic test accuracy. Ann Intern Med 158:544-554 (test type as a covariate).
    Chu H, Cole SR (2006). J Clin Epidemiol 59:1331-1332.
    Doebler P, Holling H, Böhning D (2012). A mixed model approach to meta-analysis of diagnostic
    studies with binary test outcome. Psychol Methods 17:418-436 (t-alpha transformations).
    Harbord RM, Deeks JJ, Egger M, Whiting P, Sterne JAC (2007). Biostatistics 8:239-251.
    Rutter CM, Gatsonis CA (2001). Stat Med 20:2865-2884.

    Examples
    --------
    >>> import pandas as pd, diagstats as ds
    >>> studies = pd.DataFrame({"tp": [30, 69, 44, 62, 27, 37], "fp": [5, 7, 0, 12, 13, 19],
    ...                         "fn": [2, 2, 7, 5, 10, 4], "tn": [135, 65, 150, 77, 85, 113]})
    >>> fit = ds.meta.bivariate(studies)
    >>> round(fit.specificity.value, 3), round(fit.rho, 3)
    (0.905, -0.273)
    """
    method = check_option(method, "method", list(BIVARIATE_METHODS), {"REML": "reml", "ML": "ml", "GLMM": "glmm"})
    level = check_level(level)
    cells = [_counts(data, c, nm) for c, nm in ((tp, "tp"), (fp, "fp"), (fn, "fn"), (tn, "tn"))]
    if len({len(c) for c in cells}) > 1:
        raise DataError("tp, fp, fn and tn must have one count per study (their lengths differ).")
    k = len(cells[0])
    labels = _study_labels(data, study, k)
    if k < 3:
        raise DataError(f"The bivariate model needs at least 3 studies (rows of data) to estimate two "
                        f"between-study variances and their correlation; got {k}. Pool sensitivity and specificity "
                        "separately with ds.meta.univariate(data, measure='sensitivity') and measure='specificity'.")
    _check_classes(*cells, labels)
    alpha = (t_alpha.check_alpha(alpha_sensitivity, "alpha_sensitivity"), t_alpha.check_alpha(alpha_fpr, "alpha_fpr"))
    if alpha != (1.0, 1.0) and (method == "glmm" or covariate is not None):
        raise OptionError(f"alpha_sensitivity={alpha[0]:g}, alpha_fpr={alpha[1]:g} (t-alpha transformations) are "
                          f"available with method='reml' or 'ml' without covariate=; got "
                          f"{'method=' + repr(method) if method == 'glmm' else 'covariate=' + repr(covariate)}. "
                          "Use the logit (alpha 1) there.")
    if covariate is not None:
        if covariates:
            raise OptionError("give covariate= (one categorical column, compared level by level) or covariates= "
                              "(a meta-regression reported at the reference level), not both.")
        if method == "glmm":
            raise OptionError("covariate= is available with method='reml' or 'ml'; the GLMM here has no "
                              "meta-regression yet. Use method='reml'.")
        group, categories = regression.covariate_levels(data, covariate, k)
        z_design, terms = _design(pd.DataFrame({covariate: pd.Categorical(group, categories=categories)}),
                                  [covariate], k)
        by: Any = group
    else:
        z_design, terms = _design(data, covariates, k)
        by = None if not covariates else _row_keys(data, covariates)
    raw_tp, raw_fp, raw_fn, raw_tn = cells
    check_option(correction_control, "correction_control", CORRECTION_CONTROLS)  # also with glmm, which ignores it
    check_correction(correction)
    if method == "glmm":
        if covariates:
            raise OptionError("covariates are available with method='reml' or 'ml'; the GLMM here has no "
                              "meta-regression yet. Fit subgroups separately or use method='reml'.")
        nagq = _check_nagq(nagq)
        _check_one_table_per_study(labels, None, None)
        gfit = _glmm.fit_bivariate_glmm(*(c.astype(float) for c in (raw_tp, raw_fn, raw_tn, raw_fp)), nagq=nagq)
        flip = np.array([1.0, -1.0])                        # (logit sens, logit spec) -> (logit sens, logit FPR)
        beta = gfit.beta * flip
        vcov = gfit.vcov * np.outer(flip, flip)
        sigma = gfit.sigma * np.outer(flip, flip)
        loglik, n_par, n_obs = gfit.loglik, 5, 2 * k
        quad = "Laplace" if nagq == 1 else f"{nagq}-node adaptive Gauss-Hermite"
        notes: tuple[str, ...] = (f"exact binomial likelihood ({quad}); no continuity correction",)
        tp_c, fp_c, fn_c, tn_c = (c.astype(float) for c in cells)
    else:
        _check_one_table_per_study(labels, by, covariate or covariates)
        (tp_c, fp_c, fn_c, tn_c), notes = _correct([c.astype(float) for c in cells], correction,
                                                   correction_control, labels)
        y1, s1 = np.log(tp_c / fn_c), 1 / tp_c + 1 / fn_c
        y2, s2 = np.log(fp_c / tn_c), 1 / fp_c + 1 / tn_c
        if alpha[0] != 1.0:
            y1 = t_alpha.transform(tp_c / (tp_c + fn_c), alpha[0])
            s1 = t_alpha.within_variance(tp_c, tp_c + fn_c, alpha[0])
        if alpha[1] != 1.0:
            y2 = t_alpha.transform(fp_c / (fp_c + tn_c), alpha[1])
            s2 = t_alpha.within_variance(fp_c, fp_c + tn_c, alpha[1])
        bfit = _fit.fit_bivariate(y1, y2, s1, s2, z_design, reml=method == "reml")
        beta, vcov, sigma = bfit.beta, bfit.vcov, bfit.sigma
        loglik, n_par, n_obs = bfit.loglik, bfit.n_parameters, bfit.n_observations
    aic = -2 * loglik + 2 * n_par
    bic = -2 * loglik + n_par * np.log(n_obs)

    q = len(terms)
    se = np.sqrt(np.diag(vcov))
    zq = z_two_sided(level)
    coefficients = pd.DataFrame({
        "outcome": ["logit_sensitivity"] * q + ["logit_fpr"] * q, "term": terms * 2, "estimate": beta, "se": se,
        "z": beta / se, "p_value": 2 * stats.norm.sf(np.abs(beta / se)),
        "lower": beta - zq * se, "upper": beta + zq * se})
    idx = [0, q]
    mu1, mu2 = beta[idx]
    v = vcov[np.ix_(idx, idx)]
    label = BIVARIATE_METHODS[method]
    if alpha == (1.0, 1.0):
        wald, alpha_note = "Wald on logit scale", ()
    else:
        wald = f"Wald on t-alpha scale (alpha {alpha[0]:g}, {alpha[1]:g})"
        alpha_note = (f"t-alpha transformations (Doebler et al. 2012): alpha {alpha[0]:g} for sensitivity, "
                      f"{alpha[1]:g} for FPR; coefficients, tau2, rho and HSROC parameters are on that scale",)
    ref_note = ("at the reference level of the covariates",) if covariates or covariate is not None else ()
    sens = _wald(mu1, se[0], level, lambda t: t_alpha.inverse(t, alpha[0]), "sensitivity", wald, notes + ref_note)
    fpr = _wald(mu2, se[q], level, lambda t: t_alpha.inverse(t, alpha[1]), "false_positive_rate", wald,
                notes + ref_note)
    spec = Estimate(1 - fpr.value, 1 - fpr.upper, 1 - fpr.lower, level, wald, "specificity", notes + ref_note)
    (ps, pf), (rs, rf) = _scale_slopes(np.array([mu1, mu2]), alpha)
    # gradients of log LR+, log LR- and log DOR in (mu1, mu2): d log p / d mu = (1 - p) / r (logit: r = 1)
    g_lrp = np.array([(1 - ps) / rs, -(1 - pf) / rf])
    g_lrn = np.array([-ps / rs, pf / rf])
    g_dor = np.array([1 / rs, -1 / rf])
    lrp_var, lrn_var, dor_var = (g[0] ** 2 * v[0, 0] + g[1] ** 2 * v[1, 1] + 2 * g[0] * g[1] * v[0, 1]
                                 for g in (g_lrp, g_lrn, g_dor))
    delta = "delta method on log scale"
    lrp = _wald(np.log(ps / pf), np.sqrt(lrp_var), level, np.exp, "lr_positive", delta, ref_note)
    lrn = _wald(np.log((1 - ps) / (1 - pf)), np.sqrt(lrn_var), level, np.exp, "lr_negative", delta, ref_note)
    dor = _wald(_log_dor(np.array([mu1, mu2]), alpha), np.sqrt(dor_var), level, np.exp, "dor", delta, ref_note)

    n_dis, n_non = raw_tp + raw_fn, raw_fp + raw_tn
    s_lo, s_hi = _wilson(raw_tp, n_dis, level)
    f_lo, f_hi = _wilson(raw_fp, n_non, level)
    with np.errstate(divide="ignore"):          # GLMM: uncorrected zero cells give infinite empirical logits
        logit_sens, logit_fpr = np.log(tp_c / fn_c), np.log(fp_c / tn_c)
    studies = pd.DataFrame({"study": labels, "tp": raw_tp, "fp": raw_fp, "fn": raw_fn, "tn": raw_tn,
                            "n": n_dis + n_non, "sensitivity": raw_tp / n_dis, "sensitivity_lower": s_lo,
                            "sensitivity_upper": s_hi, "specificity": raw_tn / n_non, "specificity_lower": 1 - f_hi,
                            "specificity_upper": 1 - f_lo, "fpr": raw_fp / n_non,
                            "logit_sensitivity": logit_sens, "logit_fpr": logit_fpr})
    result = BivariateMetaResult(
        method=method, k=k, coefficients=coefficients, vcov=vcov, sigma=sigma, loglik=float(loglik),
        aic=float(aic), bic=float(bic), sensitivity=sens, specificity=spec, false_positive_rate=fpr,
        lr_positive=lrp, lr_negative=lrn, dor=dor, hsroc=_hsroc(mu1, mu2, sigma), studies=studies,
        covariates=tuple([covariates] if isinstance(covariates, str) else (covariates or ())), level=level,
        notes=notes + ref_note + alpha_note + (f"{label} fit",), alpha=alpha)
    if covariate is None:
        return result
    sensitivities, specificities, comparisons = regression.level_estimates(beta, vcov, q, categories, level)
    fields = {f.name: getattr(result, f.name) for f in dataclasses.fields(BivariateMetaResult)}
    fields.update(studies=studies.assign(group=group), covariates=(covariate,),
                  notes=result.notes + tuple(regression.level_notes(covariate, categories, group, labels)))
    return BivariateRegressionResult(
        **fields, covariate=covariate, categories=categories, sensitivities=sensitivities,
        specificities=specificities, comparisons=comparisons,
        covariate_test=regression.covariate_test(y1, y2, s1, s2, z_design, covariate))
