"""Does a new marker add to what is already known? ``ds.added_value`` for two nested logistic models.

A base model (e.g. age, a known cancer, imaging) and the same model with new terms (e.g. log NLR and
log PLR), or two columns of predicted risks, compared by: the likelihood-ratio test of the added
terms (the test to use; Kerr et al. 2014, Pepe et al. 2015); the change in AUC (paired DeLong test of
cross-validated predictions); the net reclassification improvement at risk cut-offs and the
continuous one, each as its event and non-event components (Leening et al. 2014: never one
"percent reclassified"); the integrated discrimination improvement and the two discrimination
slopes; the change in Brier score; and the change in net benefit at a decision threshold. Every
measure has a percentile bootstrap interval and, for fitted models, Harrell's optimism-corrected value
beside it: both models are refitted in every replicate (batched Newton-Raphson, all replicates at once).

>>> import numpy as np, pandas as pd, diagstats as ds
>>> rng = np.random.default_rng(1)
>>> df = pd.DataFrame({"age": rng.normal(60, 10, 400), "marker": rng.normal(size=400)})
>>> df["cancer"] = rng.random(400) < 1 / (1 + np.exp(-(-3 + 0.04 * df.age + 0.8 * df.marker)))
>>> res = ds.added_value(df, reference="cancer", base=["age"], new=["marker"], cutoffs=[0.3, 0.6], n_boot=100,
...                      progress=False)
>>> print(res.lr_test)
added terms: likelihood ratio (logistic), statistic 47.955 (df 1.000), p < 0.001
>>> round(res.nri_events.value, 3), round(res.nri_nonevents.value, 3)
(0.241, 0.108)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit

from .._core.auc import delong_covariance, placements, weighted_auc
from .._core.bootstrap import count_matrix, integers, outside_interval_note, percentile_interval, random_chunks
from .._core.logistic import fit_logistic_weighted
from .._core.quantiles import z_two_sided
from .._input import (_show, as_binary, as_numeric, as_seed_sequence, check_dataframe, check_level, check_n_boot,
                      check_probability, check_progress, check_whole_number, column, column_names, complete_cases,
                      renamed_arguments, seed_label)
from ..errors import ConvergenceError, DataError, OptionError
from ..results import Estimate, ResultTable, TestResult, format_level, tidy

__all__ = ["added_value", "AddedValueResult"]

#: (field, model row, what it is), in the order of ``to_frame()``.
MEASURES = (
    ("auc_base", "base", "AUC of the base model"),
    ("auc_new", "new", "AUC of the new model"),
    ("auc_difference_apparent", "new vs base", "AUC of the new model minus the base model's, on the fitted patients"),
    ("slope_base", "base", "discrimination slope of the base model: mean risk of events minus of non-events"),
    ("slope_new", "new", "discrimination slope of the new model"),
    ("idi", "new vs base", "integrated discrimination improvement: slope of the new model minus the base model's"),
    ("nri_events", "new vs base", "categorical NRI of the events: share moving up a risk category minus down"),
    ("nri_nonevents", "new vs base", "categorical NRI of the non-events: share moving down minus up"),
    ("continuous_nri_events", "new vs base", "continuous NRI of the events: share with a higher risk minus lower"),
    ("continuous_nri_nonevents", "new vs base", "continuous NRI of the non-events: share with a lower risk minus "
                                                "higher"),
    ("brier_base", "base", "Brier score of the base model (lower is better)"),
    ("brier_new", "new", "Brier score of the new model"),
    ("delta_brier", "new vs base", "Brier score of the new model minus the base model's (negative: better)"),
    ("net_benefit_base", "base", "net benefit of the base model at the threshold"),
    ("net_benefit_new", "new", "net benefit of the new model at the threshold"),
    ("delta_net_benefit", "new vs base", "net benefit of the new model minus the base model's at the threshold"),
)


@dataclass(frozen=True, repr=False)
class AddedValueResult(ResultTable):
    """What the new terms (or the new model's risks) add to the base model.

    Attributes
    ----------
    reference : str
        The binary outcome column (the reference standard).
    base, new : tuple of str
        The base model's columns and the added ones; with ``risks=``, the two risk columns.
    form : str
        "nested logistic models" or "given risks".
    auc_base, auc_new, auc_difference_apparent : Estimate
        Apparent AUCs and their difference (percentile bootstrap intervals).
    delta_auc : TestResult
        Paired DeLong test of the AUCs of cross-validated predictions (given risks: of the risks).
    lr_test : TestResult or None
        Likelihood-ratio test of the added terms given the base model; None for given risks.
    slope_base, slope_new, idi : Estimate
        Discrimination slopes (mean risk of the events minus of the non-events) and their difference, the IDI.
    nri_events, nri_nonevents : Estimate or None
        Categorical NRI components at ``cutoffs`` (None without cut-offs).
    continuous_nri_events, continuous_nri_nonevents : Estimate
        Continuous (category-free) NRI components.
    brier_base, brier_new, delta_brier : Estimate
    net_benefit_base, net_benefit_new, delta_net_benefit : Estimate or None
        At ``threshold`` (None without one).
    corrected : dict of str to Estimate
        Harrell's optimism-corrected value of each measure above (fitted models only; empty otherwise).
    risks : DataFrame
        Per patient (rows of the complete cases, in data order): ``reference`` (0/1), ``base`` and ``new``
        (the fitted or given risks) and ``base_cv``, ``new_cv`` (cross-validated risks of the fitted models;
        the given risks again for ``risks=``), e.g. for :func:`diagstats.decision_curve`. Not in ``to_dict()``.
    reclassification : DataFrame or None
        Patients by base and new risk category, for events and non-events: ``outcome, base_category``
        then one column per new category.
    cutoffs : tuple of float
    threshold : float or None
    n, n_events, n_nonevents, n_omitted, cv, n_boot, seed, level, notes
    """

    reference: str
    base: tuple[str, ...]
    new: tuple[str, ...]
    form: str
    auc_base: Estimate
    auc_new: Estimate
    auc_difference_apparent: Estimate
    delta_auc: TestResult
    lr_test: TestResult | None
    slope_base: Estimate
    slope_new: Estimate
    idi: Estimate
    nri_events: Estimate | None
    nri_nonevents: Estimate | None
    continuous_nri_events: Estimate
    continuous_nri_nonevents: Estimate
    brier_base: Estimate
    brier_new: Estimate
    delta_brier: Estimate
    net_benefit_base: Estimate | None
    net_benefit_new: Estimate | None
    delta_net_benefit: Estimate | None
    corrected: dict[str, Estimate]
    risks: pd.DataFrame
    reclassification: pd.DataFrame | None
    cutoffs: tuple[float, ...]
    threshold: float | None
    n: int
    n_events: int
    n_nonevents: int
    n_omitted: int
    cv: int | None
    n_boot: int
    seed: Any
    level: float
    notes: tuple[str, ...] = field(default=())

    key_columns = ("model",)
    dict_exclude = ("risks",)  # one row per patient: read them from the attribute

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Added value of {', '.join(self.new)} over {', '.join(self.base)}" if self.form != "given risks" \
            else f"Added value of risk {self.new[0]!r} over risk {self.base[0]!r}"

    def __repr__(self) -> str:
        return (f"AddedValueResult(reference={self.reference!r}, base={list(self.base)}, new={list(self.new)}, "
                f"n={self.n}, auc={self.auc_base.value:.3f}->{self.auc_new.value:.3f}, idi={self.idi.value:.4f})")

    def header_lines(self) -> list[str]:
        lines = [f"{self.n} patients: {self.n_events} events, {self.n_nonevents} non-events ({self.reference!r}); "
                 f"{format_level(self.level)} percentile bootstrap intervals ({self.n_boot} replicates, {self.seed})"]
        if self.form == "nested logistic models":
            lines.append(f"logistic models: base {', '.join(self.base)}; new adds {', '.join(self.new)}; "
                         "'corrected': Harrell's bootstrap optimism correction (both models refitted per replicate)")
        if self.cutoffs:
            lines.append("risk categories cut at " + ", ".join(f"{c:g}" for c in self.cutoffs))
        if self.threshold is not None:
            lines.append(f"net benefit at a threshold probability of {self.threshold:g}")
        if self.n_omitted:
            lines.append(f"{self.n_omitted} patient(s) with missing values omitted")
        return lines

    def estimates(self) -> list[tuple[str, Estimate]]:
        """(model, estimate) of every measure present, in the order of :data:`MEASURES`."""
        return [(row, getattr(self, name)) for name, row, _ in MEASURES if getattr(self, name) is not None]

    def to_frame(self) -> pd.DataFrame:
        """Tidy: ``model`` ("base", "new", "new vs base"), ``measure, value, lower, upper, level, method,
        notes``, then ``corrected`` (the optimism-corrected value; NaN for given risks) and the tests'
        ``statistic, df, p_value, test_method`` (on the rows ``auc_difference_cv``, the test ``delta_auc``,
        and ``lr_test``)."""
        rows = []
        for model, e in self.estimates():
            row = {"model": model, **e._row()}
            row["corrected"] = self.corrected[e.name].value if e.name in self.corrected else np.nan
            rows.append(row)
        for name, test in (("auc_difference_cv", self.delta_auc), ("lr_test", self.lr_test)):
            if test is None:
                continue
            e = test.estimate
            row = {"model": "new vs base", "measure": name, "value": e.value if e else np.nan,
                   "lower": e.lower if e else np.nan, "upper": e.upper if e else np.nan,
                   "level": e.level if e else np.nan, "method": e.method if e else "", "notes": "; ".join(test.notes),
                   "corrected": np.nan, "statistic": test.statistic, "df": np.nan if test.df is None else test.df,
                   "p_value": test.p_value, "test_method": test.method}
            rows.append(row)
        frame = pd.DataFrame(rows)
        for col in ("statistic", "df", "p_value"):
            if col not in frame:
                frame[col] = np.nan
        frame["test_method"] = frame.get("test_method", pd.Series([""] * len(frame))).fillna("")
        return tidy(frame, self.key_columns)


# ------------------------------------------------------------------------------------------ measures
def _categories(p: np.ndarray, cutoffs: np.ndarray) -> np.ndarray:
    """Risk category of each risk: k where cutoffs[k-1] < p <= cutoffs[k] (intervals closed on the right,
    as R's ``cut`` in PredictABEL's ``reclassification``)."""
    return np.searchsorted(cutoffs, p, side="left")


def _measures(p_base: np.ndarray, p_new: np.ndarray, y: np.ndarray, w: np.ndarray, cutoffs: np.ndarray,
              threshold: float | None) -> dict[str, np.ndarray]:
    """Every measure, row-wise: risks (rows, n) or (1, n) and patient weights (rows, n) -> arrays (rows,)."""
    w = np.broadcast_to(w, np.broadcast_shapes(p_base.shape, p_new.shape, w.shape)).astype(float)
    p_base, p_new = np.broadcast_to(p_base, w.shape), np.broadcast_to(p_new, w.shape)
    events, nonevents = w * y, w * (1 - y)
    n_events, n_nonevents, n = events.sum(axis=1), nonevents.sum(axis=1), w.sum(axis=1)
    out: dict[str, np.ndarray] = {}
    with np.errstate(invalid="ignore", divide="ignore"):     # a replicate without events or non-events: NaN
        out["auc_base"] = weighted_auc(p_base, y, w)
        out["auc_new"] = weighted_auc(p_new, y, w)
        out["auc_difference_apparent"] = out["auc_new"] - out["auc_base"]
        for name, p in (("base", p_base), ("new", p_new)):
            out[f"slope_{name}"] = (events * p).sum(axis=1) / n_events - (nonevents * p).sum(axis=1) / n_nonevents
            out[f"brier_{name}"] = (w * (y - p) ** 2).sum(axis=1) / n
        out["idi"] = out["slope_new"] - out["slope_base"]
        out["delta_brier"] = out["brier_new"] - out["brier_base"]

        def components(up: np.ndarray, down: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return ((events * (up.astype(float) - down)).sum(axis=1) / n_events,
                    (nonevents * (down.astype(float) - up)).sum(axis=1) / n_nonevents)

        if cutoffs.size:
            old, now = _categories(p_base, cutoffs), _categories(p_new, cutoffs)
            out["nri_events"], out["nri_nonevents"] = components(now > old, now < old)
        out["continuous_nri_events"], out["continuous_nri_nonevents"] = components(p_new > p_base, p_new < p_base)
        if threshold is not None:
            odds = threshold / (1 - threshold)
            for name, p in (("base", p_base), ("new", p_new)):
                treated = p >= threshold
                out[f"net_benefit_{name}"] = ((events * treated).sum(axis=1)
                                              - (nonevents * treated).sum(axis=1) * odds) / n
            out["delta_net_benefit"] = out["net_benefit_new"] - out["net_benefit_base"]
    return out


def _reclassification(p_base: np.ndarray, p_new: np.ndarray, y: np.ndarray, cutoffs: np.ndarray) -> pd.DataFrame:
    """Patients by base (rows) and new (columns) risk category, events then non-events."""
    edges = [0.0, *cutoffs.tolist(), 1.0]
    labels = [f"{'[' if k == 0 else '('}{edges[k]:g}, {edges[k + 1]:g}]" for k in range(len(edges) - 1)]
    old, now = _categories(p_base, cutoffs), _categories(p_new, cutoffs)
    k = len(labels)
    rows = []
    for label, mask in (("events", y == 1), ("non-events", y == 0)):
        table = np.bincount(old[mask] * k + now[mask], minlength=k * k).reshape(k, k)
        for i in range(k):
            rows.append({"outcome": label, "base_category": labels[i], **dict(zip(labels, table[i].tolist()))})
    return pd.DataFrame(rows)


def _patient_placements(score: np.ndarray, is_case: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DeLong's placements of every case and every control (in data order) for one score."""
    values, inverse = np.unique(score, return_inverse=True)
    cases = np.bincount(inverse[is_case], minlength=values.size)
    controls = np.bincount(inverse[~is_case], minlength=values.size)
    case_place, control_place = placements(cases, controls)
    return case_place[inverse[is_case]], control_place[inverse[~is_case]]


def _paired_delong(new: np.ndarray, base: np.ndarray, is_case: np.ndarray, level: float, what: str) -> TestResult:
    """DeLong's paired test of AUC(new) - AUC(base) on the same patients (DeLong et al. 1988), with its
    normal interval (truncated to [-1, 1])."""
    pl_new, pl_base = _patient_placements(new, is_case), _patient_placements(base, is_case)
    cov = delong_covariance([pl_new, pl_base])
    diff = float(pl_new[0].mean() - pl_base[0].mean())
    se = float(np.sqrt(max(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1], 0.0)))
    half = z_two_sided(level) * se
    estimate = Estimate(diff, max(diff - half, -1.0), min(diff + half, 1.0), level, "DeLong (paired)",
                        "auc_difference_cv")
    z = diff / se if se > 0 else np.nan
    notes = () if se > 0 else ("the two risks rank every pair of patients alike: no test (p NA)",)
    return TestResult(z, float(2 * stats.norm.sf(abs(z))) if se > 0 else np.nan, f"DeLong (paired), {what}",
                      estimate=estimate, name="auc_difference_cv", notes=notes)


# ------------------------------------------------------------------------------------------ models
def _design(columns: list[np.ndarray]) -> np.ndarray:
    """Intercept plus standardised columns (the fit is the same; Newton's method converges better)."""
    X = np.column_stack(columns)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    return np.column_stack([np.ones(len(X)), (X - X.mean(axis=0)) / scale])


def _loglik(X: np.ndarray, y: np.ndarray, beta: np.ndarray) -> float:
    eta = X @ beta
    return float(-np.sum(y * np.logaddexp(0, -eta) + (1 - y) * np.logaddexp(0, eta)))


def _fit(X: np.ndarray, y: np.ndarray, which: str, columns: list[str]) -> np.ndarray:
    """Maximum-likelihood coefficients on all patients; separation is refused."""
    beta, converged = fit_logistic_weighted(X, y, np.ones((1, y.size)))
    p = expit(X @ beta[0])
    if not converged[0] or np.min(np.minimum(p, 1 - p)) < 1e-12:
        raise ConvergenceError(f"The {which} model ({', '.join(columns)}) separates the events from the non-events "
                               "(perfectly or almost): its maximum-likelihood fit has no finite coefficients, so no "
                               "likelihood-ratio test or risks can be computed. Drop or merge the column that "
                               f"separates them from {'new=' if which == 'new' else 'base='}, or use more patients.")
    return beta[0]


def _cv_risks(X: np.ndarray, y: np.ndarray, folds: list[np.ndarray]) -> np.ndarray:
    """Out-of-fold risks: every fold's fit at once (a fold is a 0/1 weighting of the patients)."""
    weights = np.ones((len(folds), y.size))
    for f, test in enumerate(folds):
        weights[f, test] = 0.0
    beta, converged = fit_logistic_weighted(X, y, weights)
    if not converged.all():
        raise ConvergenceError("A logistic model did not converge in a cross-validation fold (perhaps separation in "
                               "that fold). Use fewer folds (cv=) or more patients.")
    out = np.empty(y.size)
    for f, test in enumerate(folds):
        out[test] = expit(X[test] @ beta[f])
    return out


# ------------------------------------------------------------------------------------------ main
@renamed_arguments(outcome="reference")
def added_value(data: pd.DataFrame, reference: str, base: Sequence[str] = (), new: Sequence[str] = (), *,
                risks: Sequence[str] | None = None, positive: Any = None, cutoffs: Sequence[float] | None = None,
                threshold: float | None = None, cv: int = 5, n_boot: int = 1000, level: float = 0.95,
                seed: Any = 0, nan_policy: str = "raise", progress: bool = True) -> AddedValueResult:
    """What new predictors add to a base logistic model: LR test, ΔAUC, NRI components, IDI, Brier, net benefit.

    Parameters
    ----------
    data : DataFrame
        One patient per row.
    reference : str
        The binary outcome (reference standard) column: 0/1, booleans, or two labels with ``positive=``.
    base : sequence of str
        Numeric columns of the base model (code categories as 0/1 first), e.g. ["age", "known_cancer"].
    new : sequence of str
        The columns added to it (the new model is base + new, so the two are nested).
    risks : pair of str, optional
        Instead of ``base`` and ``new``: two columns of predicted risks in [0, 1], base model first
        (e.g. from models fitted elsewhere). No likelihood-ratio test and no optimism correction then.
    positive : optional
        The outcome label meaning an event, needed unless the outcome is 0/1 or boolean.
    cutoffs : sequence of float, optional
        Risk cut-offs in (0, 1) defining the categories of the categorical NRI (e.g. [0.1, 0.3]); choose
        them clinically, before the analysis. Without them, only the continuous NRI.
    threshold : float, optional
        Threshold probability in (0, 1) at which the net benefits are compared (e.g. the risk of
        malignancy at which one would biopsy).
    cv : int, default 5
        Stratified cross-validation folds for the out-of-sample ΔAUC (fitted models).
    n_boot : int, default 1000
        Bootstrap replicates (>= 20): patients resampled, both models refitted per replicate.
    level : float, default 0.95
    seed : int, SeedSequence or Generator, default 0
    nan_policy : {"raise", "omit"}, default "raise"
    progress : bool, default True

    Returns
    -------
    AddedValueResult
        ``lr_test``, ``delta_auc``, ``nri_events``, ``nri_nonevents``, ``continuous_nri_events``,
        ``continuous_nri_nonevents``, ``idi``, ``slope_base``, ``slope_new``, ``delta_brier``,
        ``delta_net_benefit``, ``corrected``, ``reclassification``, ``to_frame()``.

    Notes
    -----
    *Tests.* Whether the new terms add anything is tested by the likelihood-ratio test of the nested
    logistic models, 2 (l_new - l_base) against chi-squared with as many df as added terms; tests
    based on the NRI, IDI or ΔAUC of nested models are invalid or weak (Kerr et al. 2014; Pepe et al.
    2015), so those measures carry intervals but no p-value. The AUC difference is also tested, by
    DeLong's paired test on cross-validated risks (same folds for both models), as in
    :func:`diagstats.markers.discriminate`.
    *Measures* (Pencina et al. 2008, 2011): the categorical NRI of the events is the share of events
    moving up a risk category minus the share moving down, that of the non-events the share moving
    down minus up; the continuous NRI counts any rise or fall in risk. They are reported as the two
    components, never summed into a "percent reclassified" (Leening et al. 2014; Kerr et al. 2014).
    The discrimination slope is the mean risk of the events minus that of the non-events (Yates);
    the IDI is the new slope minus the base one. Brier score: mean squared error of the risks. Net
    benefit at t: TP/n - FP/n x t/(1 - t) (Vickers & Elkin 2006), treating risks >= t.
    *Intervals and optimism.* The bootstrap resamples patients; for fitted models both are refitted
    in every replicate (batched Newton-Raphson with the bootstrap counts as case weights, all
    replicates of a chunk at once), the percentile interval is that of the refitted measures, and
    Harrell's optimism-corrected value is the apparent value minus the mean over replicates of
    (measure in the replicate - measure of the replicate's models in the original patients) (Harrell,
    Lee & Mark 1996; Steyerberg 2019). Replicates without events or whose fit does not converge are
    left out (and counted in a note). Parity: PredictABEL's ``reclassification`` (categorical and
    continuous NRI, IDI) and Steyerberg et al. (2010)'s discrimination slopes; see
    tests/markers/test_added_value.py.

    References
    ----------
    Harrell FE, Lee KL, Mark DB (1996). Stat Med 15:361-387.
    Kerr KF, Wang Z, Janes H, McClelland RL, Psaty BM, Pepe MS (2014). Net reclassification indices
    for evaluating risk prediction instruments: a critical review. Epidemiology 25:114-121.
    Leening MJG, Vedder MM, Witteman JCM, Pencina MJ, Steyerberg EW (2014). Net reclassification
    improvement: computation, interpretation, and controversies. Ann Intern Med 160:122-131.
    Pencina MJ, D'Agostino RB Sr, D'Agostino RB Jr, Vasan RS (2008). Stat Med 27:157-172.
    Pencina MJ, D'Agostino RB Sr, Steyerberg EW (2011). Stat Med 30:11-21.
    Pepe MS, Janes H, Li CI (2015). Net risk reclassification p values: valid or misleading?
    J Natl Cancer Inst 106:dju041.
    Steyerberg EW, Vickers AJ, Cook NR, et al. (2010). Assessing the performance of prediction models.
    Epidemiology 21:128-138.
    """
    check_dataframe(data, what="one row per patient")
    level = check_level(level)
    n_boot = check_n_boot(n_boot)
    progress = check_progress(progress)
    seeds = as_seed_sequence(seed)
    cv = check_whole_number(cv, "cv", minimum=2, what="folds", example=5)
    cuts = np.array([], dtype=float) if cutoffs is None else np.unique(
        np.atleast_1d(check_probability(cutoffs, "cutoffs", open_interval=True)).ravel())
    if cutoffs is not None and cuts.size == 0:
        raise OptionError("cutoffs is empty; give risk cut-offs, e.g. cutoffs=[0.1, 0.3], or leave it out.")
    if threshold is not None:
        threshold = check_probability(threshold, "threshold", open_interval=True, scalar=True)

    given_risks = risks is not None
    if given_risks:
        if list(base) or list(new):
            raise OptionError("give either base= and new= (columns of two nested models) or risks= (two columns of "
                              "predicted risks), not both.")
        risks = column_names(risks, "risks", example="['risk_base', 'risk_new']", minimum=2)
        if len(risks) != 2 or risks[0] == risks[1]:
            raise OptionError(f"risks={_show(risks)} must name two different columns: the base model's predicted "
                              "risks, then the new model's.")
        base, new = [risks[0]], [risks[1]]
    else:
        base = column_names(base, "base", example="['age', 'known_cancer']")
        new = column_names(new, "new", example="['log_nlr']")
        shared = [c for c in new if c in base]
        if shared:
            raise DataError(f"new= repeats {_show(shared)} from base=: the new model is base + new, so new= lists only "
                            "the added columns (the likelihood-ratio test needs nested models).")
        if len(set(base)) != len(base) or len(set(new)) != len(new):
            raise DataError(f"a column is listed twice in base= or new=: {base + new}.")
    if reference in base + new:
        raise DataError(f"reference {reference!r} is also a predictor; it cannot predict itself.")

    arrays = {f"reference {reference!r}": column(data, reference, "reference").to_numpy()}
    for name in base + new:
        values = column(data, name, "risks" if given_risks else ("base" if name in base else "new")).to_numpy()
        arrays[name] = values.astype(float) if values.dtype.kind == "b" else as_numeric(values, f"column {name!r}")
    complete = complete_cases(arrays, nan_policy)
    y = as_binary(complete.arrays.pop(f"reference {reference!r}"), "reference", positive, require_both=True).values
    y = y.astype(float)
    n, n_events = y.size, int(y.sum())
    notes: list[str] = []
    for name, values in complete.arrays.items():
        if np.isinf(values).any():
            raise DataError(f"column {name!r} has infinite values; predictors and risks must be finite.")
        if np.all(values == values[0]):
            what = "predicted risks" if given_risks else "predictor"
            raise DataError(f"{what} {name!r} is constant ({values[0]:g} for every patient): it cannot separate "
                            "events from non-events. Drop it" + (", or check the column." if given_risks else "."))
    if min(n_events, n - n_events) < cv:
        raise DataError(f"the reference has {min(n_events, n - n_events)} patient(s) in its smaller class, fewer than "
                        f"cv={cv} folds; use fewer folds or more patients.")

    folds_seed, boot_seed = seeds.spawn(2)
    lr_test = None
    if given_risks:
        p_base, p_new = complete.arrays[base[0]], complete.arrays[new[0]]
        for name, p in ((base[0], p_base), (new[0], p_new)):
            if np.any((p < 0) | (p > 1)):
                raise DataError(f"risks column {name!r} has values outside [0, 1]; risks= needs predicted "
                                "probabilities (use base=/new= to fit models on predictors).")
        cv_base, cv_new = p_base, p_new
        notes.append("risks given, not fitted here: no optimism correction; if they come from models fitted on "
                     "these patients, the apparent values are optimistic")
        notes.append("no likelihood-ratio test: two columns of risks need not come from nested models (the test "
                     "compares a model with the same model plus terms); give base= and new= to fit nested models "
                     "here and test the added terms")
        used_cv = None
    else:
        X_base = _design([complete.arrays[c] for c in base])
        X_new = _design([complete.arrays[c] for c in base + new])
        beta_base, beta_new = _fit(X_base, y, "base", base), _fit(X_new, y, "new", base + new)
        p_base, p_new = expit(X_base @ beta_base), expit(X_new @ beta_new)
        lr = max(0.0, 2 * (_loglik(X_new, y, beta_new) - _loglik(X_base, y, beta_base)))
        lr_test = TestResult(lr, float(stats.chi2.sf(lr, len(new))), "likelihood ratio (logistic)",
                             df=float(len(new)), name="added terms")
        from sklearn.model_selection import StratifiedKFold
        splitter = StratifiedKFold(n_splits=cv, shuffle=True,
                                   random_state=int(np.random.default_rng(folds_seed).integers(2**31 - 1)))
        folds = [test for _, test in splitter.split(X_new, y)]
        cv_base, cv_new = _cv_risks(X_base, y, folds), _cv_risks(X_new, y, folds)
        used_cv = cv

    delta_auc = _paired_delong(cv_new, cv_base, y == 1, level,
                               "cross-validated risks" if not given_risks else "the given risks")

    apparent = {k: float(v[0]) for k, v in _measures(p_base[None], p_new[None], y, np.ones((1, n)), cuts,
                                                     threshold).items()}

    # ---- bootstrap: resampled patients as weights; fitted models refitted per replicate
    p_cols = 0 if given_risks else X_new.shape[1]

    def draw(rng, rows):
        return (integers(rng, n, (rows, n)),)

    boot: dict[str, list[np.ndarray]] = {k: [] for k in apparent}
    optimism: dict[str, list[np.ndarray]] = {k: [] for k in apparent}
    n_failed = 0
    for (idx,) in random_chunks(boot_seed, n_boot, draw, row_cost=n * (2 * p_cols + 8), progress=progress):
        w = count_matrix(idx, n).astype(float)
        if given_risks:
            reps = _measures(p_base[None], p_new[None], y, w, cuts, threshold)
        else:
            b_base, ok_base = fit_logistic_weighted(X_base, y, w, start=beta_base)
            b_new, ok_new = fit_logistic_weighted(X_new, y, w, start=beta_new)
            r_base, r_new = expit(b_base @ X_base.T), expit(b_new @ X_new.T)
            reps = _measures(r_base, r_new, y, w, cuts, threshold)
            tested = _measures(r_base, r_new, y, np.ones((1, n)), cuts, threshold)
            failed = ~(ok_base & ok_new)
            n_failed += int(failed.sum())
            for k in reps:
                reps[k] = np.where(failed, np.nan, reps[k])
                optimism[k].append(reps[k] - tested[k])
        for k in reps:
            boot[k].append(reps[k])
    if n_failed:
        notes.append(f"{n_failed} of {n_boot} bootstrap replicates left out: a model did not converge (separation "
                     "in the resample)")
    method = f"percentile bootstrap ({n_boot} replicates)"
    estimates: dict[str, Estimate] = {}
    corrected: dict[str, Estimate] = {}
    for k, value in apparent.items():
        reps = np.concatenate(boot[k])
        lo, hi = percentile_interval(reps, level)
        why = "" if given_risks else "the models refitted in the resamples are optimistic; see the corrected value"
        outside = outside_interval_note(k, value, lo, hi, "bootstrap percentile of the refitted measure", why)
        estimates[k] = Estimate(value, lo, hi, level, method, k, outside)
        if not given_risks:
            opt = np.concatenate(optimism[k])
            mean = float(np.nanmean(opt)) if np.isfinite(opt).any() else np.nan
            corrected[k] = Estimate(value - mean, np.nan, np.nan, level,
                                    f"Harrell's bootstrap optimism ({n_boot} replicates)", k + "_corrected")
    lost = int(np.isnan(np.concatenate(boot["auc_base"])).sum()) - n_failed
    if lost > 0:
        notes.append(f"{lost} bootstrap replicate(s) without events or non-events left out of the intervals")
    if not cuts.size:
        notes.append("no cutoffs=: categorical NRI not computed (give clinically chosen risk cut-offs)")
    notes.append("NRI reported as its event and non-event components (Leening et al. 2014); they are not "
                 "proportions of patients reclassified and are not summed")
    return AddedValueResult(
        reference=str(reference), base=tuple(base), new=tuple(new),
        form="given risks" if given_risks else "nested logistic models",
        auc_base=estimates["auc_base"], auc_new=estimates["auc_new"],
        auc_difference_apparent=estimates["auc_difference_apparent"], delta_auc=delta_auc, lr_test=lr_test,
        slope_base=estimates["slope_base"], slope_new=estimates["slope_new"], idi=estimates["idi"],
        nri_events=estimates.get("nri_events"), nri_nonevents=estimates.get("nri_nonevents"),
        continuous_nri_events=estimates["continuous_nri_events"],
        continuous_nri_nonevents=estimates["continuous_nri_nonevents"],
        brier_base=estimates["brier_base"], brier_new=estimates["brier_new"], delta_brier=estimates["delta_brier"],
        net_benefit_base=estimates.get("net_benefit_base"), net_benefit_new=estimates.get("net_benefit_new"),
        delta_net_benefit=estimates.get("delta_net_benefit"), corrected=corrected,
        risks=pd.DataFrame({"reference": y.astype(int), "base": p_base, "new": p_new, "base_cv": cv_base,
                            "new_cv": cv_new}),
        reclassification=_reclassification(p_base, p_new, y, cuts) if cuts.size else None,
        cutoffs=tuple(float(c) for c in cuts), threshold=threshold, n=n, n_events=n_events,
        n_nonevents=n - n_events, n_omitted=complete.n_omitted, cv=used_cv, n_boot=n_boot,
        seed=seed_label(seed, seeds), level=level, notes=tuple(notes))
