"""How well do blood markers separate two groups of patients? ``ds.markers.discriminate``.

For one binary question (benign vs malignant tumour, primary vs metastatic, ...) and each
marker: the ROC curve with its DeLong interval, the Youden cutpoint with its sensitivity and
specificity, and their optimism-corrected values (Harrell's bootstrap); the paired DeLong
comparison between markers; and a logistic model of the log markers plus covariates, judged
by cross-validation and by its added value over the covariates alone.

>>> import diagstats as ds
>>> df = ds.markers.ratios(ds.simulate.cohort(600, seed=1), neutrophils="neutrophils",
...                        lymphocytes="lymphocytes", platelets="platelets")
>>> res = ds.markers.discriminate(df, markers=["nlr", "plr"], reference="true_diagnosis",
...                               groups="benign vs malignant", covariates=["age"], n_boot=100, progress=False)
>>> res.n_cases, res.n_controls, res.n_excluded
(211, 139, 250)
>>> print(res.markers["nlr"].roc.auc)
AUC 0.714 (95% CI 0.660 to 0.769, DeLong)
>>> print(res.model.auc_cv)
auc_cv 0.814 (95% CI 0.767 to 0.860, DeLong)
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._input import (_show, as_binary, as_generator, as_numeric, check_dataframe, check_flag, check_level,
                      check_n_boot, check_option, check_progress, check_whole_number, column, column_names,
                      complete_cases, renamed_arguments)
from ..binary.two_by_two import accuracy
from .._core.auc import weighted_auc
from .._core.bootstrap import count_matrix, outside_interval_note, percentile_interval
from .._core.logistic import fit_logistic_weighted
from .._core.quantiles import z_two_sided
from ..errors import ConvergenceError, DataError, OptionError
from ..results import (Estimate, FrozenFields, ResultTable, TestResult, clip_value, estimates_frame, format_level,
                       tidy)
from ..roc_analysis import ROCComparisonTable, ROCResult, compare_roc
from ..roc_analysis.bootstrap import ScoreIds, bootstrap
from ..roc_analysis.cutpoints import CutpointResult
from ..roc_analysis.curve import DIRECTIONS, _from_arrays

__all__ = ["discriminate", "DiscriminationResult", "MarkerDiscrimination", "LogisticSummary", "LI2019_QUESTIONS"]

#: Li et al. (2019)'s three questions on the simulator's ``true_diagnosis``, as ``groups=`` mappings:
#: {control group: diagnoses, case group: diagnoses}. Pass the name, e.g. ``groups="benign vs malignant"``;
#: the case group (the second, with the higher markers) is then the default ``positive``.
LI2019_QUESTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "benign vs malignant": {"benign": ("benign_primary",), "malignant": ("malignant_primary", "metastasis")},
    "primary vs metastatic": {"primary": ("benign_primary", "malignant_primary"), "metastatic": ("metastasis",)},
    "primary benign vs primary malignant": {"primary benign": ("benign_primary",),
                                            "primary malignant": ("malignant_primary",)},
}


@dataclass(frozen=True, repr=False)
class MarkerDiscrimination(FrozenFields):
    """One marker's accuracy for the question.

    Attributes
    ----------
    marker : str
    roc : ROCResult
        The curve; ``roc.auc`` has the DeLong interval.
    cutpoint : CutpointResult
        The Youden cutpoint (``roc.threshold("youden")``; ties listed in ``cutpoint.candidates``).
    threshold : Estimate
        The cutpoint with a bootstrap percentile interval (the cutpoint re-chosen in every replicate).
    sensitivity, specificity : Estimate
        At the cutpoint, with Wilson intervals (conditional on the cutpoint).
    youden : Estimate
        Apparent Youden index, sensitivity + specificity - 1.
    youden_corrected, sensitivity_corrected, specificity_corrected : Estimate
        Harrell's optimism-corrected values (no interval); NaN without a bootstrap. Apparent minus mean
        optimism can leave the range on small data: such a value is clipped to [0, 1] ([-1, 1] for
        Youden's index, which is corrected from the unclipped values) with a note giving it unclipped.
    """

    marker: str
    roc: ROCResult
    cutpoint: CutpointResult
    threshold: Estimate
    sensitivity: Estimate
    specificity: Estimate
    youden: Estimate
    youden_corrected: Estimate
    sensitivity_corrected: Estimate
    specificity_corrected: Estimate

    def estimates(self) -> list[Estimate]:
        return [dataclasses.replace(self.roc.auc, name="auc"), self.threshold, self.sensitivity,
                self.specificity, self.youden, self.youden_corrected, self.sensitivity_corrected,
                self.specificity_corrected]

    def __repr__(self) -> str:
        return (f"MarkerDiscrimination(marker={self.marker!r}, auc={self.roc.auc.value:.3f}, "
                f"threshold={self.threshold.value:.4g})")


@dataclass(frozen=True, repr=False)
class LogisticSummary(FrozenFields):
    """The logistic model of the log markers plus covariates.

    Attributes
    ----------
    terms : tuple of str
        Predictors: ``log(marker)`` for each marker, then the covariates.
    coefficients : DataFrame
        statsmodels ``Logit`` on all patients: ``term, odds_ratio, lower, upper, p_value, level,
        method`` (Wald), per natural-log unit of a marker or unit of a covariate.
    auc_apparent : Estimate
        AUC of the fitted model on the patients it was fitted to (DeLong interval; optimistic).
    auc_corrected : Estimate
        Harrell's optimism-corrected AUC (no interval); NaN without a bootstrap; clipped to [0, 1]
        with a note when apparent minus optimism leaves it.
    auc_cv : Estimate
        AUC of the out-of-fold predictions (DeLong interval).
    covariates_auc_cv : Estimate or None
        The same for the covariates alone (None without covariates).
    added_value : TestResult or None
        Paired DeLong test of the out-of-fold AUCs, model minus covariates alone.
    lr_test : TestResult
        Likelihood-ratio test of the markers, given the covariates (statsmodels fits on all patients).
    roc_cv, covariates_roc_cv : ROCResult
        Curves of the out-of-fold predictions (for figures and further comparisons).
    """

    terms: tuple[str, ...]
    coefficients: pd.DataFrame
    auc_apparent: Estimate
    auc_corrected: Estimate
    auc_cv: Estimate
    covariates_auc_cv: Estimate | None
    added_value: TestResult | None
    lr_test: TestResult
    roc_cv: ROCResult
    covariates_roc_cv: ROCResult | None

    def estimates(self) -> list[tuple[str, Estimate]]:
        rows = [("model", self.auc_apparent), ("model", self.auc_corrected), ("model", self.auc_cv)]
        if self.covariates_auc_cv is not None:
            rows.append(("covariates", self.covariates_auc_cv))
        return rows

    def __repr__(self) -> str:
        return f"LogisticSummary(terms={list(self.terms)}, auc_cv={self.auc_cv.value:.3f})"


@dataclass(frozen=True, repr=False)
class DiscriminationResult(ResultTable):
    """Accuracy of blood markers for one binary question, alone and combined.

    Attributes
    ----------
    question : str
        "case group vs control group" (or the preset's name).
    reference : str
        The reference standard's column, which the groups come from.
    positive, negative : object
        The case and control labels.
    markers : dict of str to MarkerDiscrimination
        Each marker's ROC, Youden cutpoint and optimism-corrected values.
    comparison : ROCComparisonTable or None
        Paired DeLong comparisons between the markers (Holm-adjusted); None for one marker.
    model : LogisticSummary
        The logistic model of the log markers plus covariates.
    covariates : tuple of str
    n_cases, n_controls : int
    n_excluded : int
        Patients in neither group (e.g. no tumour, for benign vs malignant).
    n_omitted : int
        Patients of the two groups dropped for missing values.
    cv, n_boot, seed, level, notes

    Methods
    -------
    to_frame(), tests_frame(), plot(ax), to_html(digits), to_dict()
    """

    question: str
    reference: str
    positive: Any
    negative: Any
    markers: dict[str, MarkerDiscrimination]
    comparison: ROCComparisonTable | None
    model: LogisticSummary
    covariates: tuple[str, ...]
    n_cases: int
    n_controls: int
    n_excluded: int
    n_omitted: int
    cv: int
    n_boot: int | None
    seed: Any
    level: float
    notes: tuple[str, ...] = field(default=())

    key_columns = ("term",)

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Discrimination by blood markers: {self.question}"

    def __repr__(self) -> str:
        aucs = ", ".join(f"{m}={r.roc.auc.value:.3f}" for m, r in self.markers.items())
        return (f"DiscriminationResult(question={self.question!r}, n_cases={self.n_cases}, "
                f"n_controls={self.n_controls}, auc: {aucs}, model_cv={self.model.auc_cv.value:.3f})")

    def header_lines(self) -> list[str]:
        boot = (f"optimism by Harrell's bootstrap ({self.n_boot} stratified replicates, seed {self.seed})"
                if self.n_boot else "no bootstrap (n_boot=None): no optimism correction")
        lines = [f"{self.n_cases} {self.positive} (cases) vs {self.n_controls} {self.negative} (controls), "
                 f"column {self.reference!r}; {format_level(self.level)} intervals",
                 f"model: logistic regression on {', '.join(self.model.terms)}; {self.cv}-fold cross-validation; "
                 + boot]
        if self.n_excluded:
            lines.append(f"{self.n_excluded} patient(s) in neither group excluded")
        if self.n_omitted:
            lines.append(f"{self.n_omitted} patient(s) with missing values omitted")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """Tidy estimates: ``term, measure, value, lower, upper, level, method, notes``.

        ``term`` is a marker, "model", "covariates", or a difference such as "nlr - plr".
        """
        terms, estimates = [], []
        for name, m in self.markers.items():
            for e in m.estimates():
                terms.append(name)
                estimates.append(e)
        for term, e in self.model.estimates():
            terms.append(term)
            estimates.append(e)
        for term, t in self._tests():
            if t.estimate is not None:
                terms.append(term)
                estimates.append(dataclasses.replace(t.estimate, name="auc_difference"))
        frame = estimates_frame(estimates)
        frame.insert(0, "term", terms)
        return tidy(frame, self.key_columns)

    def _tests(self) -> list[tuple[str, TestResult]]:
        tests = []
        if self.comparison is not None:
            tests += [(f"{a} - {b}", t) for (a, b), t in zip(self.comparison.pairs, self.comparison.tests)]
        if self.model.added_value is not None:
            tests.append(("model - covariates", self.model.added_value))
        tests.append(("markers given covariates", self.model.lr_test))
        return tests

    def tests_frame(self) -> pd.DataFrame:
        """The tests: ``term, statistic, df, p_value, p_adjusted, test_method``.

        ``p_adjusted`` is Holm's adjustment across the marker comparisons (NaN for other tests).
        """
        adjusted = dict(zip([f"{a} - {b}" for a, b in self.comparison.pairs], self.comparison.p_adjusted)) \
            if self.comparison is not None else {}
        rows = [{"term": term, "statistic": t.statistic, "df": np.nan if t.df is None else t.df,
                 "p_value": t.p_value, "p_adjusted": adjusted.get(term, np.nan), "test_method": t.method}
                for term, t in self._tests()]
        return pd.DataFrame(rows, columns=["term", "statistic", "df", "p_value", "p_adjusted", "test_method"])

    def to_text(self, digits: int = 3) -> str:
        tests = self.tests_frame()
        for col in ("statistic", "df", "p_value", "p_adjusted"):
            tests[col] = [f"{v:.{digits}g}" if np.isfinite(v) else "" for v in tests[col]]
        return super().to_text(digits) + "\nTests:\n" + tests.to_string(index=False)

    def plot(self, ax: Any = None, *, model: bool = True, **plot_kwargs: Any) -> Any:
        """Overlay the markers' ROC curves and, with ``model``, the model's out-of-fold curve.

        ``plot_kwargs`` go to every curve's ``ax.plot``. Returns the Axes.
        """
        curves = [m.roc for m in self.markers.values()]
        labels = list(self.markers)  # plot_roc adds each curve's AUC to its label
        if check_flag(model, "model"):
            curves.append(self.model.roc_cv)
            labels.append("model, cross-validated")
        from ..plot.roc import plot_roc

        return plot_roc(curves, ax=ax, labels=labels, **plot_kwargs)


# ---------------------------------------------------------------------------------------------- groups
def _resolve_groups(groups: Any, positive: Any) -> tuple[dict[Any, tuple[Any, ...]], Any, str | None]:
    """(label -> target values, positive label, preset name) from a preset name or a mapping."""
    preset = None
    if isinstance(groups, str):
        preset = check_option(groups, "groups", list(LI2019_QUESTIONS))
        groups = LI2019_QUESTIONS[preset]
        if positive is None:
            positive = list(groups)[1]
    if not isinstance(groups, Mapping) or len(groups) != 2:
        raise OptionError(f"groups={_show(groups)} must map two group labels to values of reference, e.g. "
                          "{'benign': ['benign_primary'], 'malignant': ['malignant_primary', 'metastasis']}, or "
                          f"name a preset: {', '.join(map(repr, LI2019_QUESTIONS))}.")
    mapping = {label: (tuple(v) if isinstance(v, (list, tuple, set, frozenset)) else (v,))
               for label, v in groups.items()}
    first, second = mapping.values()
    shared = set(first) & set(second)
    if shared:
        raise OptionError(f"groups lists {_show(sorted(map(str, shared)))} in both groups; each value of reference "
                          "belongs to at most one group.")
    if positive is None:
        raise OptionError(f"positive= is needed to say which group is the cases: one of {_show(list(mapping))}.")
    if positive not in mapping:
        raise OptionError(f"positive={_show(positive)} is not a group label; the groups are {_show(list(mapping))}.")
    return mapping, positive, preset


def _labels(raw: np.ndarray, mapping: dict[Any, tuple[Any, ...]], target: str) -> tuple[np.ndarray, list[str]]:
    """Group label per patient (None outside both groups; NaN kept as NaN) and notes."""
    values = pd.Series(raw, dtype=object)
    labels = pd.Series([None] * len(values), dtype=object)
    notes = []
    present = set(values.dropna().tolist())
    for label, members in mapping.items():
        absent = [v for v in members if v not in present]
        if absent:
            notes.append(f"group {label!r}: value(s) {_show(absent)} do not occur in {target!r}")
        labels[values.isin(members).to_numpy()] = label
    labels[values.isna().to_numpy()] = np.nan
    return labels.to_numpy(), notes


# ---------------------------------------------------------------------------------------------- model
def _design(columns: list[np.ndarray], standardise: bool) -> np.ndarray:
    """Intercept plus the columns, standardised for the batched fits (it only helps Newton's method;
    linear predictors, hence AUCs, are unchanged); as given for the reported coefficients."""
    X = np.column_stack(columns) if columns else np.empty((0, 0))
    if standardise:
        if X.size:  # columns beyond 1e150 are scaled first, or their squares would overflow
            big = np.abs(X).max(axis=0)
            X = X / np.where(big > 1e150, big, 1.0)
        scale = X.std(axis=0)
        scale[scale == 0] = 1.0
        X = (X - X.mean(axis=0)) / scale
    return np.column_stack([np.ones(len(X)), X])


def _statsmodels_logit(y: np.ndarray, X: np.ndarray) -> Any:
    import statsmodels.api as sm
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            fit = sm.Logit(y.astype(float), X).fit(method="newton", maxiter=100, disp=False)
            bse = np.asarray(fit.bse)  # NaN (without numpy's warning) where the covariance is not positive: refused
    except (np.linalg.LinAlgError, ValueError) as exc:
        raise ConvergenceError(f"The logistic model could not be fitted ({exc}); the predictors may be collinear "
                               "or separate the groups perfectly. Drop a marker from markers= (or a covariate from "
                               "covariates=).") from None
    if not fit.mle_retvals.get("converged", False) or not np.all(np.isfinite(bse)):
        raise ConvergenceError("The logistic model did not converge (the predictors may separate the groups "
                               "perfectly). Drop a marker from markers= (or a covariate from covariates=), or "
                               "check the data.")
    return fit


def _cv_linear_predictor(X: np.ndarray, y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Out-of-fold linear predictor: all folds' fits at once (a fold is a 0/1 weighting of the patients)."""
    weights = np.ones((len(folds), len(y)))
    for f, (_, test) in enumerate(folds):
        weights[f, test] = 0.0
    beta, converged = fit_logistic_weighted(X, y.astype(float), weights)
    if not converged.all():
        raise ConvergenceError("The logistic model did not converge in some cross-validation fold (perhaps "
                               "separation). Drop a marker from markers= (or a covariate from covariates=), or use "
                               "fewer folds (cv=).")
    out = np.empty(len(y))
    for f, (_, test) in enumerate(folds):
        out[test] = X[test] @ beta[f]
    return out


def _coefficients(fit: Any, terms: list[str], level: float) -> pd.DataFrame:
    z = z_two_sided(level)
    b, se = np.asarray(fit.params)[1:], np.asarray(fit.bse)[1:]
    return pd.DataFrame({"term": terms, "odds_ratio": np.exp(b), "lower": np.exp(b - z * se),
                         "upper": np.exp(b + z * se), "p_value": np.asarray(fit.pvalues)[1:], "level": level,
                         "method": "Logit, Wald"})


# ---------------------------------------------------------------------------------------------- bootstrap
def _optimism(curves: list[ROCResult], X: np.ndarray, y: np.ndarray, n_boot: int,
              rng: np.random.Generator | np.random.SeedSequence, progress: bool) -> tuple[np.ndarray, np.ndarray, int]:
    """Harrell's bootstrap: per marker (threshold, sens/spec optimism); the model's AUC optimism.

    Every replicate resamples the cases and the controls separately (as the ROC module does) and
    re-selects each marker's Youden cutpoint and re-fits the model. Optimism of a statistic =
    its value in the replicate minus the value of the replicate's choice (cutpoint or fitted
    model) in the original patients. Returns (markers: (B, n_markers, 3) thresholds and
    sensitivity/specificity optimism; model AUC optimism (B,); unconverged replicates).
    """
    case_pos, control_pos = np.flatnonzero(y), np.flatnonzero(~y)
    m, n = case_pos.size, control_pos.size
    marker_ids = [ScoreIds(c.counts, c.cases, c.controls) for c in curves]
    originals = []
    for c in curves:
        tp, fp = c._positives()
        originals.append((tp / m, (n - fp) / n, np.append(c._original(c.counts.values), np.inf)))

    def statistic(case_idx: np.ndarray, control_idx: np.ndarray) -> np.ndarray:
        rows = np.arange(case_idx.shape[0])
        out = []
        for ids, (sens, spec, thresholds) in zip(marker_ids, originals):
            cases, controls = ids.counts(case_idx, control_idx)
            zero = np.zeros((len(rows), 1), dtype=np.int64)
            tp = np.concatenate([np.cumsum(cases[:, ::-1], axis=1)[:, ::-1], zero], axis=1)
            fp = np.concatenate([np.cumsum(controls[:, ::-1], axis=1)[:, ::-1], zero], axis=1)
            j = np.argmax(tp * n + (n - fp) * m, axis=1)        # Youden, exact; ties -> lowest threshold
            out += [thresholds[j], tp[rows, j] / m - sens[j], (n - fp[rows, j]) / n - spec[j]]
        drawn = np.hstack([case_pos[case_idx], control_pos[control_idx]])
        weights = count_matrix(drawn, y.size).astype(float)
        beta, converged = fit_logistic_weighted(X, y.astype(float), weights)
        scores = beta @ X.T
        apparent = weighted_auc(scores, y, weights)
        test = weighted_auc(scores, y)
        out.append(np.where(converged, apparent - test, np.nan))
        return np.column_stack(out)

    reps = bootstrap(statistic, m, n, width=sum(ids.k for ids in marker_ids) + 3 * y.size, n_boot=n_boot,
                     seed=rng, progress=progress)
    markers = reps[:, :-1].reshape(reps.shape[0], len(curves), 3)
    return markers, reps[:, -1], int(np.isnan(reps[:, -1]).sum())


# ---------------------------------------------------------------------------------------------- main
@renamed_arguments(target="reference")
def discriminate(data: pd.DataFrame, markers: Sequence[str] = ("nlr", "plr"), reference: str = "true_diagnosis", *,
                 positive: Any = None, groups: Any = None, covariates: Sequence[str] = (),
                 direction: str | Mapping[str, str] = "higher", cv: int = 5, n_boot: int | None = 1000,
                 level: float = 0.95, seed: Any = 0, nan_policy: str = "raise",
                 progress: bool = True) -> DiscriminationResult:
    """Accuracy of blood markers for one binary question: ROC, Youden cutpoint, optimism, model.

    Parameters
    ----------
    data : DataFrame
        One patient per row.
    markers : sequence of str, default ("nlr", "plr")
        Positive marker columns (see :func:`diagstats.markers.ratios`).
    reference : str, default "true_diagnosis"
        The column defining the two groups: either binary itself (with ``positive=`` unless 0/1 or
        boolean) or split into two groups by ``groups=``.
    positive : optional
        The case label: a value of a binary ``reference``, or a group label of ``groups``.
    groups : str or mapping, optional
        Two groups of ``reference`` values, ``{label: value or list of values}``; patients in
        neither are excluded (and counted). A name from :data:`LI2019_QUESTIONS`
        ("benign vs malignant", "primary vs metastatic", "primary benign vs primary malignant")
        gives Li et al. (2019)'s questions on the simulator's ``true_diagnosis``, with the case
        group as the default ``positive``.
    covariates : sequence of str, optional
        Numeric covariates of the logistic model (e.g. "age"); code categories as 0/1 first.
    direction : {"higher", "lower"} or mapping of marker to it, default "higher"
        Whether higher marker values point to the cases (e.g. "lower" for LMR). Never guessed.
    cv : int, default 5
        Stratified cross-validation folds for the model (at least 2).
    n_boot : int or None, default 1000
        Bootstrap replicates for Harrell's optimism correction and the cutpoints' intervals
        (>= 20); ``None`` skips the bootstrap.
    level : float, default 0.95
    seed : int, SeedSequence or Generator, default 0
        Drives the fold split and the bootstrap; the same seed gives the same numbers.
    nan_policy : {"raise", "omit"}, default "raise"
        Missing reference, markers or covariates among the patients of the two groups.
    progress : bool, default True
        Show a progress bar during the bootstrap.

    Returns
    -------
    DiscriminationResult
        ``markers[name]`` (ROC, cutpoint, optimism-corrected values), ``comparison`` (paired
        DeLong between markers), ``model`` (logistic model), ``to_frame()``, ``tests_frame()``,
        ``plot()``.

    Notes
    -----
    *Markers.* The AUC and its interval are DeLong's (DeLong et al. 1988; pROC parity in
    :func:`diagstats.roc`); the cutpoint maximises Youden's index (Youden 1950), the lowest one if
    several tie. Its sensitivity and specificity carry Wilson intervals, conditional on the
    cutpoint; the threshold's interval is the bootstrap percentile interval of the re-chosen
    cutpoint. A marker with a fixed direction has no fitted parameter, so its AUC needs no
    optimism correction; its cutpoint does: Harrell's correction (Harrell, Lee & Mark 1996;
    Steyerberg 2019 ch. 17) subtracts from the apparent sensitivity the mean over replicates of
    (sensitivity of the replicate's cutpoint in the replicate - its sensitivity in the original
    patients), and likewise for specificity and Youden's index.
    *Model.* Logistic regression of the case status on the natural logs of the markers and the
    covariates. Its apparent AUC is optimistic; the optimism-corrected AUC refits the model in
    every replicate (a batched Newton-Raphson with the bootstrap counts as case weights, all
    replicates at once). The cross-validated AUC uses out-of-fold linear predictors; the added
    value of the markers is the paired DeLong test of the out-of-fold AUCs of the model and of the
    covariates alone (same folds), and the likelihood-ratio test of the markers given the
    covariates from statsmodels fits on all patients (against the intercept-only model when there
    are no covariates). The bootstrap resamples cases and controls separately, as the ROC module.

    References
    ----------
    DeLong ER, DeLong DM, Clarke-Pearson DL (1988). Biometrics 44:837-845.
    Harrell FE, Lee KL, Mark DB (1996). Stat Med 15:361-387.
    Li Y, Wang B, Zhou S, et al. (2019). Medicine 98:e14902.
    Youden WJ (1950). Cancer 3:32-35.
    """
    from sklearn.model_selection import StratifiedKFold

    check_dataframe(data, what="one row per patient")
    level = check_level(level)
    markers = column_names(markers, "markers", example="['nlr', 'plr']")
    covariates = column_names(covariates, "covariates", example="['age']", minimum=0)
    if len(set(markers + covariates)) != len(markers + covariates) or reference in markers + covariates:
        raise DataError(f"a column is listed twice among reference, markers and covariates: "
                        f"{[reference] + markers + covariates}.")
    directions = _directions(direction, markers)
    cv = check_whole_number(cv, "cv", minimum=2, what="folds", example=5)
    n_boot = check_n_boot(n_boot, allow_none=True)
    progress = check_progress(progress)
    rng = as_generator(seed)

    raw_target = column(data, reference, "reference").to_numpy()
    notes: list[str] = []
    preset = None
    if groups is not None:
        mapping, positive, preset = _resolve_groups(groups, positive)
        raw_target, group_notes = _labels(raw_target, mapping, str(reference))
        notes += group_notes
        outside = np.array([v is None for v in raw_target], dtype=bool)
    else:
        outside = np.zeros(len(raw_target), dtype=bool)
    n_excluded = int(outside.sum())
    arrays = {f"reference {reference!r}": raw_target[~outside]}
    for name in markers:
        arrays[name] = as_numeric(column(data, name, "markers").to_numpy(), f"marker {name!r}")[~outside]
    for name in covariates:
        arrays[name] = as_numeric(column(data, name, "covariates").to_numpy(), f"covariate {name!r}")[~outside]
    complete = complete_cases(arrays, nan_policy)
    binary = as_binary(complete.arrays.pop(f"reference {reference!r}"), "reference", positive, require_both=True)
    y = binary.values
    m, n = int(y.sum()), int((~y).sum())
    if min(m, n) < cv:
        small = binary.positive if m < n else binary.negative
        raise DataError(f"group {small!r} has {min(m, n)} patient(s), fewer than cv={cv} folds; stratified "
                        "cross-validation needs one in every fold. Use fewer folds or more patients.")
    for name in markers:
        bad = int(np.sum(complete.arrays[name] <= 0))
        if bad:
            raise DataError(f"marker {name!r} has {bad} value(s) <= 0, which have no logarithm; markers enter the "
                            "model on the log scale. Check those values (a zero lymphocyte count?).")
        if np.isinf(complete.arrays[name]).any():
            raise DataError(f"marker {name!r} has infinite values; markers must be finite positive numbers.")

    curves = [_from_arrays(y, complete.arrays[name], direction=directions[name], level=level, score_name=name,
                           reference_name=str(reference), positive=binary.positive) for name in markers]
    terms = [f"log({name})" for name in markers] + covariates
    predictors = [np.log(complete.arrays[name]) for name in markers] + [complete.arrays[c] for c in covariates]
    X = _design(predictors, standardise=True)
    X_cov = _design(predictors[len(markers):], standardise=True) if covariates else np.ones((y.size, 1))

    splitter = StratifiedKFold(n_splits=cv, shuffle=True, random_state=int(rng.integers(2**31 - 1)))
    folds = list(splitter.split(X, y))
    if n_boot is not None:
        marker_reps, model_optimism, n_failed = _optimism(curves, X, y, n_boot, rng, progress)
        if n_failed:
            notes.append(f"the model did not converge in {n_failed} bootstrap replicate(s) (perhaps separation); "
                         "they are left out of the optimism")
    boot_label = f"Harrell's bootstrap optimism ({n_boot} stratified replicates, seed {seed})" if n_boot else ""

    def corrected(value: float, label: str, bounds: tuple[float, float], what: str, marker: str = "") -> Estimate:
        """An optimism-corrected value, clipped (with a note) to its range: apparent minus a bootstrap mean
        optimism can pass 0 or 1 on small data."""
        estimate, note = clip_value(Estimate(value, np.nan, np.nan, level, boot_label, label), *bounds,
                                    f"optimism-corrected {what}" + (f" of {marker!r}" if marker else ""))
        if note:
            notes.append(note)
        return estimate

    results = {}
    for name, curve, k in zip(markers, curves, range(len(markers))):
        cut = curve.threshold("youden")
        acc = accuracy(tp=int(cut.candidates["tp"].iloc[0]), fp=int(cut.candidates["fp"].iloc[0]),
                       fn=int(cut.candidates["fn"].iloc[0]), tn=int(cut.candidates["tn"].iloc[0]), level=level)
        youden = cut.sensitivity + cut.specificity - 1
        if n_boot is None:
            lo = hi = sens_opt = spec_opt = np.nan
            threshold_method = ""
        else:
            with np.errstate(invalid="ignore"):  # a replicate may choose the +inf threshold (nobody positive)
                lo, hi = percentile_interval(marker_reps[:, k, 0], level)
            sens_opt, spec_opt = marker_reps[:, k, 1].mean(), marker_reps[:, k, 2].mean()
            threshold_method = f"bootstrap percentile ({n_boot} stratified replicates, seed {seed})"
        threshold_notes = cut.notes
        threshold_notes += outside_interval_note(
            "youden_threshold", cut.threshold, lo, hi, "bootstrap percentile of the re-chosen cutpoint",
            "the Youden cutpoint is unstable in these data; read the interval as the range of cutpoints the "
            "resamples choose")
        results[name] = MarkerDiscrimination(
            marker=name, roc=curve, cutpoint=cut,
            threshold=Estimate(cut.threshold, float(lo), float(hi), level, threshold_method, "youden_threshold",
                               threshold_notes),
            sensitivity=dataclasses.replace(acc.sensitivity, name="sensitivity"),
            specificity=dataclasses.replace(acc.specificity, name="specificity"),
            youden=Estimate(youden, np.nan, np.nan, level, "apparent", "youden_index"),
            youden_corrected=corrected(youden - sens_opt - spec_opt, "youden_index_corrected", (-1.0, 1.0),
                                       "Youden index", name),
            sensitivity_corrected=corrected(cut.sensitivity - sens_opt, "sensitivity_corrected", (0.0, 1.0),
                                            "sensitivity", name),
            specificity_corrected=corrected(cut.specificity - spec_opt, "specificity_corrected", (0.0, 1.0),
                                            "specificity", name))
        notes += [f"{name}: {note}" for note in curve.notes]

    full = _statsmodels_logit(y, _design(predictors, standardise=False))
    reduced = _statsmodels_logit(y, _design(predictors[len(markers):], standardise=False) if covariates
                                 else np.ones((y.size, 1)))
    lr = 2 * (full.llf - reduced.llf)
    lr_test = TestResult(float(lr), float(stats.chi2.sf(lr, len(markers))), "likelihood ratio (Logit)",
                         df=float(len(markers)), name="markers given covariates" if covariates else "markers")
    apparent = _from_arrays(y, np.asarray(full.fittedvalues), direction="higher", level=level, score_name="model")
    auc_apparent = dataclasses.replace(apparent.auc, name="auc_apparent")
    model_opt = np.nan
    if n_boot is not None and np.isnan(model_optimism).all():
        notes.append("the model did not converge in any bootstrap replicate, so its AUC has no optimism correction "
                     "(auc_corrected is NaN)")
    elif n_boot is not None:
        model_opt = np.nanmean(model_optimism)
    auc_corrected = corrected(apparent.auc.value - model_opt, "auc_corrected", (0.0, 1.0), "AUC of the model")
    roc_cv = _from_arrays(y, _cv_linear_predictor(X, y, folds), direction="higher", level=level,
                          score_name="model (cross-validated)", reference_name=str(reference), positive=binary.positive)
    cov_roc = added = None
    if covariates:
        cov_roc = _from_arrays(y, _cv_linear_predictor(X_cov, y, folds), direction="higher", level=level,
                               score_name="covariates (cross-validated)", reference_name=str(reference),
                               positive=binary.positive)
        added = compare_roc(roc_cv, cov_roc, method="delong", paired=True, level=level)
    else:
        notes.append("no covariates: the likelihood-ratio test is against the intercept-only model, and the "
                     "cross-validated AUC's interval shows the gain over chance (0.5)")
    summary = LogisticSummary(
        terms=tuple(terms), coefficients=_coefficients(full, terms, level), auc_apparent=auc_apparent,
        auc_corrected=auc_corrected, auc_cv=dataclasses.replace(roc_cv.auc, name="auc_cv"),
        covariates_auc_cv=None if cov_roc is None else dataclasses.replace(cov_roc.auc, name="auc_cv"),
        added_value=added, lr_test=lr_test, roc_cv=roc_cv, covariates_roc_cv=cov_roc)
    comparison = compare_roc(curves, method="delong", level=level) if len(curves) > 1 else None
    question = preset if preset is not None else f"{binary.negative} vs {binary.positive}"
    return DiscriminationResult(
        question=question, reference=str(reference), positive=binary.positive, negative=binary.negative,
        markers=results, comparison=comparison, model=summary, covariates=tuple(covariates), n_cases=m,
        n_controls=n, n_excluded=n_excluded, n_omitted=complete.n_omitted, cv=cv, n_boot=n_boot,
        seed=seed if not isinstance(seed, np.random.Generator) else "Generator", level=level, notes=tuple(notes))


def _directions(direction: Any, markers: list[str]) -> dict[str, str]:
    if isinstance(direction, Mapping):
        unknown = [k for k in direction if k not in markers]
        if unknown:
            raise OptionError(f"direction names {_show(unknown)}, which are not among markers {_show(markers)}.")
        return {name: check_option(direction.get(name, "higher"), f"direction[{name!r}]", DIRECTIONS)
                for name in markers}
    value = check_option(direction, "direction", DIRECTIONS)
    return dict.fromkeys(markers, value)
