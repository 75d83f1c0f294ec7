"""Which primary tumour did a spinal metastasis come from? Prediction from blood markers.

:func:`predict_origin` fits a multinomial logistic regression of the primary origin on log
markers (and covariates), judges it by cross-validation (out-of-fold probabilities: one-vs-rest
AUCs, Hand & Till's macro AUC, confusion matrix, calibration, and the gain over predicting the
prevalences), and reports odds ratios per log-unit of each marker from statsmodels' MNLogit.
It is re-exported as ``ds.markers.predict_origin``.

>>> import numpy as np, pandas as pd, diagstats as ds
>>> rng = np.random.default_rng(1)
>>> origin = np.repeat(["breast", "lung", "prostate"], 40)
>>> nlr = np.exp(rng.normal(np.repeat([0.6, 1.2, 0.8], 40), 0.4))
>>> res = ds.markers.predict_origin(pd.DataFrame({"nlr": nlr, "origin": origin}), markers=["nlr"],
...                                 origin="origin", n_boot=200, progress=False)
>>> print(res.macro_auc)
macro AUC (Hand & Till) 0.710 (95% CI 0.646 to 0.772, percentile bootstrap of out-of-fold predictions)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ._bootstrap import count_rows, percentile_interval, resampled_indices
from ._input import _show, as_generator, as_numeric, check_level, column, complete_cases
from .errors import ConvergenceError, DataError, OptionError
from .results import Estimate, ResultTable, estimates_frame, format_level

__all__ = ["predict_origin", "OriginResult"]

BOOT_METHOD = "percentile bootstrap of out-of-fold predictions"


@dataclass(frozen=True, repr=False)
class OriginResult(ResultTable):
    """Cross-validated prediction of the primary origin, with odds ratios for interpretation.

    Attributes
    ----------
    classes : tuple
        The origins, in sorted order; ``reference`` is the baseline class of the odds ratios.
    markers, covariates : tuple of str
        Predictors: markers enter as natural logs, covariates as given.
    probabilities : DataFrame
        Out-of-fold predicted probabilities (one column per origin, index of the patients used).
    auc : dict of origin to Estimate
        One-vs-rest AUC of each origin's predicted probability.
    macro_auc : Estimate
        Hand & Till's (2001) multi-class AUC M (mean over pairs of origins).
    macro_auc_gain : Estimate
        ``macro_auc - 0.5``: the gain over the prevalence-only prediction, which cannot rank patients.
    log_loss, baseline_log_loss, log_loss_difference : Estimate
        Mean out-of-fold log-loss of the model, of the prevalence-only prediction (training-fold
        prevalences), and model minus baseline (negative = the markers help).
    accuracy : Estimate
        Share of patients whose most probable origin is their true origin.
    confusion : DataFrame
        True origin (rows) by predicted origin (columns), counts.
    calibration : DataFrame
        Per origin: ``observed`` share, mean ``predicted`` probability, ``difference``.
    odds_ratios : DataFrame
        ``origin, reference, term, odds_ratio, lower, upper, p_value`` from MNLogit on all patients
        (Wald intervals), per natural-log unit of a marker (an e-fold higher marker) or per unit
        of a covariate.
    n, cv, n_boot, seed, level, n_omitted, notes
    """

    classes: tuple[Any, ...]
    reference: Any
    origin: str
    markers: tuple[str, ...]
    covariates: tuple[str, ...]
    probabilities: pd.DataFrame
    auc: dict[Any, Estimate]
    macro_auc: Estimate
    macro_auc_gain: Estimate
    log_loss: Estimate
    baseline_log_loss: Estimate
    log_loss_difference: Estimate
    accuracy: Estimate
    confusion: pd.DataFrame
    calibration: pd.DataFrame
    odds_ratios: pd.DataFrame
    n: int
    cv: int
    n_boot: int
    seed: Any
    level: float
    n_omitted: int = 0
    notes: tuple[str, ...] = field(default=())

    title = "Prediction of the primary origin"

    def __repr__(self) -> str:
        return (f"OriginResult(classes={list(self.classes)}, n={self.n}, macro_auc={self.macro_auc.value:.3f}, "
                f"cv={self.cv})")

    def header_lines(self) -> list[str]:
        predictors = [f"log({m})" for m in self.markers] + list(self.covariates)
        lines = [f"{self.n} patients, origins: " + ", ".join(f"{c} ({int(self.confusion.loc[c].sum())})"
                                                            for c in self.classes),
                 f"multinomial logistic regression on {', '.join(predictors)}; {self.cv}-fold stratified "
                 f"cross-validation; {format_level(self.level)} intervals by {BOOT_METHOD} "
                 f"(n_boot={self.n_boot}, seed={self.seed})"]
        if self.n_omitted:
            lines.append(f"{self.n_omitted} patient(s) with missing values omitted")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """Tidy estimates: ``measure, origin, value, lower, upper, level, method, notes``."""
        estimates = [*self.auc.values(), self.macro_auc, self.macro_auc_gain, self.log_loss,
                     self.baseline_log_loss, self.log_loss_difference, self.accuracy]
        frame = estimates_frame(estimates)
        frame.insert(1, "origin", [*self.auc.keys()] + [""] * 6)
        frame["measure"] = ["auc_one_vs_rest"] * len(self.auc) + list(frame["measure"][len(self.auc):])
        return frame

    def plot_confusion(self, ax: Any = None, normalize: bool = True) -> Any:
        """Heat map of the confusion matrix (rows normalised to shares when ``normalize``)."""
        from .markers_plot import confusion_matrix
        return confusion_matrix(self.confusion, ax=ax, normalize=normalize)


def _auc_from_counts(cases: np.ndarray, controls: np.ndarray) -> np.ndarray:
    """AUC (ties count one half) from counts per tied-score group in ascending order, row-wise.

    ``cases`` and ``controls`` have shape (rows, groups); NaN where a row lacks either class.
    """
    below = np.cumsum(controls, axis=1) - controls
    numerator = np.sum(cases * (below + 0.5 * controls), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return numerator / (cases.sum(axis=1) * controls.sum(axis=1))


def _auc_codes(score: np.ndarray, case: np.ndarray, member: np.ndarray) -> tuple[np.ndarray, int]:
    """Cell codes for an AUC: tied-score group x case/control; non-members go to a last, ignored cell."""
    groups = np.unique(score[member], return_inverse=False)
    g = np.searchsorted(groups, score)
    codes = np.where(member, 2 * g + case, 2 * groups.size)
    return codes.astype(np.int64), 2 * groups.size + 1


def _auc_replicates(codes: np.ndarray, n_codes: int, counts: np.ndarray | None = None) -> np.ndarray:
    counts = np.bincount(codes, minlength=n_codes)[None, :] if counts is None else counts
    cells = counts[:, : n_codes - 1]
    return _auc_from_counts(cells[:, 1::2], cells[:, 0::2])


def _pairs(k: int) -> list[tuple[int, int]]:
    return [(i, j) for i in range(k) for j in range(k) if i != j]


def _origin_model(C: float | None) -> Any:
    """The multinomial logistic model used in every fold: standardise, then fit (unpenalised when C is None).

    Newton-CG converges to the maximum-likelihood estimate to ~1e-10 here; lbfgs stops on its
    relative-reduction criterion while coefficients still move in the 7th digit.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    return make_pipeline(StandardScaler(), LogisticRegression(C=np.inf if C is None else C, solver="newton-cg",
                                                              tol=1e-10, max_iter=1000))


def _fit_mnlogit(y: np.ndarray, X: np.ndarray) -> Any:
    """statsmodels MNLogit of integer codes ``y`` (0 = reference) on ``X`` with an intercept."""
    import statsmodels.api as sm
    design = sm.add_constant(X, has_constant="add")
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            fit = sm.MNLogit(y, design).fit(method="newton", maxiter=200, disp=False)
    except (np.linalg.LinAlgError, ValueError) as exc:
        raise ConvergenceError(f"The multinomial model for the odds ratios could not be fitted ({exc}); the "
                               "predictors may be collinear or an origin perfectly separated. Drop a predictor "
                               "or merge small origins.") from None
    params, bse = np.asarray(fit.params), np.asarray(fit.bse)
    if not fit.mle_retvals.get("converged", False) or not np.all(np.isfinite(params)) or not np.all(np.isfinite(bse)):
        raise ConvergenceError("The multinomial model for the odds ratios did not converge (some origin may be "
                               "perfectly separated by the markers). Merge small origins or drop a predictor.")
    return fit


def _odds_ratios(y: np.ndarray, X: np.ndarray, terms: list[str], classes: list[Any], level: float) -> pd.DataFrame:
    fit = _fit_mnlogit(y, X)
    params, bse, pvalues = np.asarray(fit.params), np.asarray(fit.bse), np.asarray(fit.pvalues)
    z = stats.norm.ppf(0.5 + level / 2)
    rows = []
    for k in range(1, len(classes)):
        for t, term in enumerate(terms, start=1):
            b, se = params[t, k - 1], bse[t, k - 1]
            rows.append({"origin": classes[k], "reference": classes[0], "term": term, "odds_ratio": np.exp(b),
                         "lower": np.exp(b - z * se), "upper": np.exp(b + z * se), "p_value": pvalues[t, k - 1],
                         "level": level, "method": "MNLogit, Wald"})
    return pd.DataFrame(rows)


def _check_classes(labels: np.ndarray, cv: int, origin: str) -> tuple[list[Any], np.ndarray]:
    classes, y, counts = np.unique(labels, return_inverse=True, return_counts=True)
    if classes.size < 2:
        raise DataError(f"origin={origin!r} has a single class ({_show(classes.tolist())}); predicting the origin "
                        "needs at least 2 origins.")
    small = [f"{c!r} has {n}" for c, n in zip(classes.tolist(), counts.tolist()) if n < cv]
    if small:
        raise DataError(f"origin={origin!r}: {', '.join(small)} patient(s), fewer than cv={cv} folds, so "
                        "stratified cross-validation cannot put one in every fold. Merge small origins (e.g. into "
                        "'other'), drop them, or use fewer folds.")
    return classes.tolist(), y


def predict_origin(data: pd.DataFrame, markers: Sequence[str], origin: str = "true_origin", *,
                   covariates: Sequence[str] = (), cv: int = 5, C: float | None = None, reference: Any = None,
                   n_boot: int = 1000, level: float = 0.95, seed: Any = 0, nan_policy: str = "raise",
                   progress: bool = True) -> OriginResult:
    """Cross-validated multinomial prediction of the primary origin from blood markers.

    Parameters
    ----------
    data : DataFrame
        One patient per row.
    markers : sequence of str
        Positive marker columns (e.g. "nlr", "plr"); they enter the model as natural logs.
    origin : str, default "true_origin"
        The column of primary origins (at least two, each with at least ``cv`` patients).
    covariates : sequence of str, optional
        Numeric covariates entered as given (e.g. "age"); code categories as 0/1 columns first.
    cv : int, default 5
        Number of stratified cross-validation folds (at least 2).
    C : float, optional
        Inverse L2 penalty on the standardised predictors; ``None`` (default) fits the
        unpenalised maximum-likelihood model, as MNLogit does.
    reference : optional
        Baseline origin of the odds ratios; default the first in sorted order.
    n_boot : int, default 1000
        Bootstrap replicates for the intervals (resampling patients' out-of-fold predictions).
    level : float, default 0.95
    seed : int, SeedSequence or Generator, default 0
        Drives the fold split and the bootstrap; the same seed gives the same numbers.
    nan_policy : {"raise", "omit"}, default "raise"
    progress : bool, default True
        Show a progress bar during the bootstrap.

    Returns
    -------
    OriginResult

    Notes
    -----
    Out-of-fold probabilities come from a model fitted on the other folds (scikit-learn's
    multinomial ``LogisticRegression`` after standardising). One-vs-rest AUCs and Hand & Till's
    (2001) M are computed from them; ties count one half (sklearn's ``roc_auc_score`` agrees). The
    intervals resample patients' out-of-fold predictions (paired across measures); they do not
    re-run the cross-validation, so they ignore the variability of refitting. The prevalence-only
    prediction gives every patient the training-fold prevalences: it cannot rank patients (AUC
    0.5 exactly), so the macro AUC gain is ``M - 0.5``. Odds ratios come from statsmodels' MNLogit
    on all patients; its unpenalised coefficients equal scikit-learn's after re-expressing them
    against the reference origin (tested to 1e-6).

    References
    ----------
    Hand DJ, Till RJ (2001). A simple generalisation of the area under the ROC curve for multiple
    class classification problems. Machine Learning 45:171-186.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import StratifiedKFold

    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame; got {type(data).__name__}.")
    level = check_level(level)
    if isinstance(markers, str):
        markers = [markers]
    markers, covariates = list(markers), list(covariates)
    if not markers:
        raise DataError("markers is empty; name at least one marker column, e.g. markers=['nlr', 'plr'].")
    if len(set(markers + covariates)) != len(markers + covariates):
        raise DataError(f"a column is listed twice among markers and covariates: {markers + covariates}.")
    if isinstance(cv, bool) or not isinstance(cv, (int, np.integer)) or cv < 2:
        raise OptionError(f"cv={_show(cv)} must be a whole number of folds >= 2, e.g. cv=5.")
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise OptionError(f"n_boot={_show(n_boot)} must be a whole number of bootstrap replicates >= 1.")
    if C is not None and (not isinstance(C, (int, float)) or not C > 0):
        raise OptionError(f"C={_show(C)} must be a positive number (inverse penalty), or None for no penalty.")
    rng = as_generator(seed)

    arrays = {f"origin {origin!r}": column(data, origin, "origin").to_numpy()}
    for name in markers:
        arrays[name] = as_numeric(column(data, name, "markers").to_numpy(), f"marker {name!r}")
    for name in covariates:
        arrays[name] = as_numeric(column(data, name, "covariates").to_numpy(), f"covariate {name!r}")
    complete = complete_cases(arrays, nan_policy)
    kept_index = data.index[~np.any([pd.isna(a) for a in arrays.values()], axis=0)]
    labels = complete.arrays.pop(f"origin {origin!r}")
    for name in markers:
        bad = int(np.sum(complete.arrays[name] <= 0))
        if bad:
            raise DataError(f"marker {name!r} has {bad} value(s) <= 0, which have no logarithm; markers enter the "
                            "model on the log scale. Check those values (a zero lymphocyte count?).")
    classes, y = _check_classes(labels, cv, origin)
    if reference is not None:
        if reference not in classes:
            raise DataError(f"reference={_show(reference)} is not an origin; the origins are {_show(classes)}.")
        order = [reference] + [c for c in classes if c != reference]
    else:
        order = classes
    X = np.column_stack([np.log(complete.arrays[m]) for m in markers] + [complete.arrays[c] for c in covariates])
    terms = [f"log({m})" for m in markers] + covariates
    n, k = X.shape[0], len(classes)

    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=int(rng.integers(2**31 - 1)))
    proba, baseline = np.empty((n, k)), np.empty((n, k))
    notes = []
    for train, test in folds.split(X, y):
        model = _origin_model(C)
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
            warnings.simplefilter("always")
            model.fit(X[train], y[train])
        trouble = [w for w in caught if issubclass(w.category, (ConvergenceWarning, RuntimeWarning))]
        if trouble and not notes:
            notes.append("the logistic fit did not fully converge in some fold (perhaps separation); "
                         "consider a penalty, e.g. C=1.0")
        proba[test] = model.predict_proba(X[test])
        baseline[test] = np.bincount(y[train], minlength=k) / train.size

    eps = np.finfo(float).eps
    loss = -np.log(np.clip(proba[np.arange(n), y], eps, 1.0))
    base_loss = -np.log(baseline[np.arange(n), y])
    correct = (proba.argmax(axis=1) == y).astype(float)

    ovr = [_auc_codes(proba[:, c], y == c, np.ones(n, dtype=bool)) for c in range(k)]
    pair_codes = {(i, j): _auc_codes(proba[:, i], y == i, (y == i) | (y == j)) for i, j in _pairs(k)}
    point_ovr = [float(_auc_replicates(*codes)[0]) for codes in ovr]
    point_pairs = {p: float(_auc_replicates(*codes)[0]) for p, codes in pair_codes.items()}
    point_m = float(np.mean(list(point_pairs.values())))

    boot_ovr = [[] for _ in range(k)]
    boot_m, boot_loss, boot_base, boot_acc = [], [], [], []
    for idx in resampled_indices(n, n_boot, rng, progress, desc="predict_origin bootstrap"):
        for c, (codes, n_codes) in enumerate(ovr):
            boot_ovr[c].append(_auc_replicates(codes, n_codes, count_rows(idx, codes, n_codes)))
        pair_aucs = [_auc_replicates(codes, n_codes, count_rows(idx, codes, n_codes))
                     for codes, n_codes in pair_codes.values()]
        boot_m.append(np.mean(pair_aucs, axis=0))
        boot_loss.append(loss[idx].mean(axis=1))
        boot_base.append(base_loss[idx].mean(axis=1))
        boot_acc.append(correct[idx].mean(axis=1))
    boot_m_all = np.concatenate(boot_m)
    n_undefined = int(np.isnan(boot_m_all).sum())
    if n_undefined:
        notes.append(f"{n_undefined} bootstrap replicate(s) lacked an origin and were left out of the macro AUC "
                     "interval")

    def estimate(value: float, reps: np.ndarray, name: str, method: str = BOOT_METHOD) -> Estimate:
        lower, upper = percentile_interval(reps, level)
        return Estimate(float(value), float(lower), float(upper), level, method, name)

    auc = {classes[c]: estimate(point_ovr[c], np.concatenate(boot_ovr[c]), f"AUC {classes[c]} vs rest")
           for c in range(k)}
    loss_reps, base_reps = np.concatenate(boot_loss), np.concatenate(boot_base)
    confusion = pd.crosstab(pd.Categorical(np.asarray(classes, dtype=object)[y], categories=classes),
                            pd.Categorical(np.asarray(classes, dtype=object)[proba.argmax(axis=1)], categories=classes),
                            rownames=["true"], colnames=["predicted"], dropna=False)
    observed = np.bincount(y, minlength=k) / n
    calibration = pd.DataFrame({"origin": classes, "observed": observed, "predicted": proba.mean(axis=0),
                                "difference": proba.mean(axis=0) - observed})
    y_ref = np.array([order.index(c) for c in classes])[y]
    return OriginResult(
        classes=tuple(classes), reference=order[0], origin=str(origin), markers=tuple(markers),
        covariates=tuple(covariates),
        probabilities=pd.DataFrame(proba, columns=classes, index=kept_index),
        auc=auc,
        macro_auc=estimate(point_m, boot_m_all, "macro AUC (Hand & Till)"),
        macro_auc_gain=estimate(point_m - 0.5, boot_m_all - 0.5, "macro AUC gain over prevalence only"),
        log_loss=estimate(loss.mean(), loss_reps, "log-loss"),
        baseline_log_loss=estimate(base_loss.mean(), base_reps, "log-loss, prevalence only"),
        log_loss_difference=estimate(loss.mean() - base_loss.mean(), loss_reps - base_reps,
                                     "log-loss difference (model - prevalence only)"),
        accuracy=estimate(correct.mean(), np.concatenate(boot_acc), "accuracy"),
        confusion=confusion, calibration=calibration,
        odds_ratios=_odds_ratios(y_ref, X, terms, order, level),
        n=n, cv=cv, n_boot=n_boot, seed=seed if not isinstance(seed, np.random.Generator) else "Generator",
        level=level, n_omitted=complete.n_omitted, notes=tuple(notes))
