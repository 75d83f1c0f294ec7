"""ROC analysis for more than two classes: one-vs-rest curves, Hand & Till's M, and their averages.

For K classes (e.g. the primary tumour of a spinal metastasis) and one score column per class
(the model's probability of that class), each class gets its one-vs-rest ROC curve with a DeLong
interval. Hand & Till (2001) summarise discrimination by

    M = 2 / (K (K - 1)) * sum over pairs i < j of (A(i|j) + A(j|i)) / 2,

where A(i|j) is the AUC of score i between the patients of class i and those of class j. M gets
a stratified bootstrap percentile interval (patients resampled within each class, all pairs
recomputed from the same resample; vectorised over replicates). pROC's ``multiclass.roc``
reports M without an interval. ``averages`` adds scikit-learn's summaries of the same scores:
one-vs-rest macro, prevalence-weighted and micro averages, and the prevalence-weighted
one-vs-one average (``roc_auc_score(multi_class=..., average=...)``).

With ONE score for every class (a univariate marker such as the NLR across ordered classes), the
curves are those of each pair of classes, the later class in ``classes`` the cases, and M is the
mean of the pairwise AUCs (pROC ``multiclass.roc`` with a single predictor). ``direction="auto"``
chooses each pair's direction from the data as pROC does (with a note naming the pairs turned
round); the default "higher" says that later classes score higher.

References: Hand DJ, Till RJ (2001). A simple generalisation of the area under the ROC curve for
multiple class classification problems. Machine Learning 45:171-186. Robin X, et al. (2011).
pROC. BMC Bioinformatics 12:77.

>>> import numpy as np, pandas as pd, diagstats as ds
>>> rng = np.random.default_rng(0)
>>> y = rng.choice(["lung", "breast", "prostate"], 150)
>>> scores = pd.DataFrame({c: rng.normal(y == c, 1.0) for c in ["lung", "breast", "prostate"]})
>>> res = ds.roc_multiclass(y, scores, n_boot=200, seed=1, progress=False)
>>> res.classes
('breast', 'lung', 'prostate')
>>> bool(res.hand_till.lower < res.hand_till.value < res.hand_till.upper)
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations, permutations
from typing import Any

import numpy as np
import pandas as pd

from .._core.auc import hand_till as hand_till_m
from .._core.bootstrap import percentile_interval, stratified_chunks
from .._input import (MIN_PER_CLASS, as_1d, as_numeric, as_seed_sequence, check_dataframe, check_flag, check_level,
                      check_n_boot, check_nan_policy, check_option, column_names, complete_cases, missing, seed_label)
from ..errors import DataError, OptionError
from ..results import Estimate, ResultTable, estimates_frame
from ._counts import count_by_value
from .bootstrap import ScoreIds
from .curve import ROCResult, _area_function, _check_range, _from_arrays
from .partial import chance_area


@dataclass(frozen=True, repr=False)
class MulticlassROCResult(ResultTable):
    """One-vs-rest (or, for one score, pairwise) ROC curves and Hand & Till's M with a bootstrap interval.

    Attributes
    ----------
    classes : tuple
        Class labels.
    curves : tuple of ROCResult
        One score per class: the one-vs-rest curve of each class (its own score column; DeLong
        intervals), in the order of ``classes``. One score for all classes: the curve of each pair of
        classes, in the order of ``pairwise``.
    hand_till : Estimate
        Hand & Till's M (one score: the mean pairwise AUC) with a stratified bootstrap percentile
        interval (NaN, with a note, when a class has a single patient).
    pairwise : DataFrame
        class_i, class_j, auc_i_vs_j (A(i|j)), auc_j_vs_i (A(j|i)), mean; for one score: class_i
        (controls), class_j (cases), direction, auc.
    averages : dict
        One score per class: the AUC averages of scikit-learn's ``roc_auc_score`` ("ovr_macro",
        "ovr_weighted", "ovr_micro", "ovo_macro" (= M), "ovo_weighted"). Empty for one score.
    univariate : bool
        Whether one score serves all classes.
    """

    classes: tuple
    curves: tuple[ROCResult, ...]
    hand_till: Estimate
    pairwise: pd.DataFrame
    n_omitted: int = 0
    averages: dict = field(default_factory=dict)
    univariate: bool = False
    notes: tuple[str, ...] = field(default=())

    title = "Multiclass ROC analysis"

    def _curve_labels(self) -> list[str]:
        if self.univariate:
            return [f"AUC {row.class_j} vs {row.class_i}" for row in self.pairwise.itertuples()]
        return [f"AUC {label} vs rest" for label in self.classes]

    def to_frame(self) -> pd.DataFrame:
        rows = [Estimate(c.auc.value, c.auc.lower, c.auc.upper, c.auc.level, c.auc.method, name)
                for name, c in zip(self._curve_labels(), self.curves)]
        rows += [Estimate(value, np.nan, np.nan, self.hand_till.level, AVERAGE_METHODS[key], f"AUC {key}",
                          notes=("an average of the AUCs above, without an interval (M has one)",))
                 for key, value in self.averages.items() if key != "ovo_macro"]
        return estimates_frame(rows + [self.hand_till])

    def header_lines(self) -> list[str]:
        sizes = ", ".join(f"{label} {n}" for label, n in self._sizes().items())
        score = "; one score for all classes (pairwise curves)" if self.univariate else ""
        return [f"{len(self.classes)} classes: {sizes}{score}"]

    def _sizes(self) -> dict:
        if not self.univariate:
            return {label: c.n_cases for label, c in zip(self.classes, self.curves)}
        sizes = {}
        for row, curve in zip(self.pairwise.itertuples(), self.curves):
            sizes.setdefault(row.class_i, curve.n_controls)
            sizes.setdefault(row.class_j, curve.n_cases)
        return {label: sizes[label] for label in self.classes}

    def __repr__(self) -> str:
        return f"MulticlassROCResult(classes={self.classes}, M={self.hand_till.value:.4f})"


#: How each average of ``MulticlassROCResult.averages`` is computed (scikit-learn's roc_auc_score options).
AVERAGE_METHODS = {
    "ovr_macro": "mean of the one-vs-rest AUCs (scikit-learn multi_class='ovr', average='macro')",
    "ovr_weighted": "one-vs-rest AUCs weighted by class prevalence (multi_class='ovr', average='weighted')",
    "ovr_micro": "one AUC of all (patient, class) score pairs pooled (multi_class='ovr', average='micro')",
    "ovo_macro": "Hand & Till M (multi_class='ovo', average='macro')",
    "ovo_weighted": "pair means weighted by the pair's prevalence (multi_class='ovo', average='weighted')",
}


def _score_matrix(y_score: Any, classes: Any, labels: np.ndarray) -> tuple[np.ndarray, tuple]:
    if isinstance(y_score, pd.DataFrame):
        check_dataframe(y_score, "y_score", what="one score column per class")
        cols = list(y_score.columns)
        if classes is None:
            classes = tuple(sorted(labels.tolist(), key=str))
        missing_cols = [c for c in classes if c not in cols]
        if missing_cols:
            raise DataError(f"y_score has no column for the class(es) {missing_cols}; it needs one score column "
                            f"per class, named after the class (its columns are {cols}).")
        return np.column_stack([y_score[c].to_numpy() for c in classes]), tuple(classes)
    arr = np.asarray(y_score)
    if arr.ndim != 2:
        raise DataError("y_score must be a DataFrame with one column per class, or a 2-d array (patients x classes) "
                        "with classes= giving the class of each column.")
    if classes is None:
        raise DataError("With a 2-d array of scores, say which class each column scores: classes=[...].")
    if len(classes) != arr.shape[1]:
        raise DataError(f"classes has {len(classes)} labels but y_score has {arr.shape[1]} columns.")
    return arr, tuple(classes)


def roc_multiclass(y_true: Any, y_score: Any, *, classes: Any = None, direction: str = "higher", level: float = 0.95,
                   n_boot: int = 2000, seed=0, progress: bool = True, nan_policy: str = "raise",
                   specificity: tuple[float, float] | None = None, sensitivity: tuple[float, float] | None = None,
                   correct: bool = False) -> MulticlassROCResult:
    """ROC analysis of K >= 2 classes: one-vs-rest curves and Hand & Till's M, or pairwise curves of one score.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        The true class of each patient.
    y_score : DataFrame, array of shape (n, K), Series or array of shape (n,)
        One score column per class (higher = more likely that class): a DataFrame's columns are
        named after the classes; an array needs ``classes=``. Or ONE score for every class (a
        Series or 1-d array, e.g. a marker across ordered classes): pairwise curves (pROC
        ``multiclass.roc`` with a single predictor).
    classes : sequence, optional
        Class labels (for a 2-d array: of its columns, in order; for one score: the order in
        which the score is expected to rise). Default: the sorted labels.
    direction : {"higher", "lower", "auto"}, default "higher"
        One score only: whether later classes in ``classes`` score higher or lower; "auto" lets
        each pair choose the direction that gives an AUC of at least 0.5, as pROC does (with a note).
    level : float, default 0.95
    n_boot : int, default 2000
        Bootstrap replicates for M's interval (stratified by class).
    seed, progress
        Seed of the bootstrap, and whether to show a progress bar.
    nan_policy : {"raise", "omit"}
    specificity, sensitivity : (low, high), optional
        The multiclass PARTIAL AUC over this specificity or sensitivity range: for one score, the
        mean of the pairwise partial AUCs; for one score per class, Hand & Till's M of the partial
        AUCs A(i|j) (pROC ``auc(multiclass.roc(...), partial.auc=, partial.auc.focus=)``), with
        the same stratified bootstrap interval. Give at most one; names and meaning as in
        :meth:`ROCResult.partial_auc`.
    correct : bool, default False
        With a range: McClish's (1989) standardisation of each pairwise partial AUC before the mean.

    Returns
    -------
    MulticlassROCResult
        ``curves``, ``hand_till`` (M with its interval), ``pairwise``, ``averages`` (scikit-learn's
        one-vs-rest macro / weighted / micro and one-vs-one weighted averages), ``to_frame()``.

    Notes
    -----
    A class with a single patient still has its AUCs and M (Hand & Till's M is defined with one
    patient per class), but no bootstrap interval for M (NaN, with a note) and no DeLong interval
    for its curves. Parity: M and the averages equal scikit-learn's ``roc_auc_score`` to 1e-12;
    the one-score pairwise AUCs and M equal pROC's ``multiclass.roc`` (``direction="auto"`` and
    ``"<"``) to 1e-9 (tests/reference/roc/multiclass_proc.json), and so do the partial AUCs
    (``pairwise["partial_auc"]`` and M) over a specificity or sensitivity range, McClish-corrected
    or not. Where one pair's curve lies below the diagonal over the range, pROC's corrected
    partial AUC of that pair (and so its mean) is NA; here the corrected value is reported as it is
    (below 0.5) with a note, and enters the mean (docs/differences_from_r.md). With one score
    column per class, the range gives Hand & Till's M of the partial AUCs A(i|j) (class i the
    cases, scored by column i; ``pairwise`` gains partial_i_vs_j, partial_j_vs_i, partial_mean).
    pROC's multivariate ``multiclass.roc`` takes the scored class as the CONTROLS, so its
    ``partial.auc.focus="specificity"`` is ``sensitivity=`` here and vice versa; so converted, M
    equals pROC's to 1e-9 (tests/reference/roc/multiclass_mv_proc.json).

    Examples
    --------
    One marker across three ordered classes:

    >>> import numpy as np, diagstats as ds
    >>> rng = np.random.default_rng(2)
    >>> y = np.repeat(["benign", "primary", "metastasis"], 40)
    >>> nlr = rng.normal(np.repeat([2.0, 2.5, 3.5], 40), 1.0)
    >>> res = ds.roc_multiclass(y, nlr, classes=["benign", "primary", "metastasis"], n_boot=200, progress=False)
    >>> res.pairwise[["class_i", "class_j"]].values.tolist()
    [['benign', 'primary'], ['benign', 'metastasis'], ['primary', 'metastasis']]

    The multiclass partial AUC over specificities 0.8 to 1 (McClish-corrected):

    >>> part = ds.roc_multiclass(y, nlr, classes=["benign", "primary", "metastasis"], specificity=(0.8, 1.0),
    ...                          correct=True, n_boot=200, progress=False)
    >>> part.hand_till.name
    'multiclass partial AUC (mean pairwise, specificity 0.8 to 1, McClish)'
    """
    level = check_level(level)
    check_nan_policy(nan_policy)
    n_boot = check_n_boot(n_boot)
    direction = check_option(direction, "direction", ["higher", "lower", "auto"])
    y = as_1d(y_true, "y_true")
    if len(y) == 0:
        raise DataError("y_true is empty; give one true class per patient.")
    labels = pd.unique(y[~missing(y)])
    if classes is not None:
        classes = column_names(classes, "classes", example="['breast', 'lung', 'prostate']", minimum=2)
    partial = _partial_range(specificity, sensitivity, correct)
    if _is_one_score(y_score):
        return _univariate(y, y_score, labels, classes, direction, level, n_boot, seed, progress, nan_policy,
                           partial)
    if direction != "higher":
        raise DataError(f"direction={direction!r} is for one score shared by all classes; with one score column per "
                        "class, each column scores its own class (higher = more likely). Drop direction=.")
    matrix, classes = _score_matrix(y_score, classes, labels)
    if len(matrix) != len(y):
        raise DataError(f"y_true has {len(y)} patients but y_score has {len(matrix)} rows; they must match.")
    arrays = {"y_true": y, **{f"y_score[{c}]": matrix[:, i] for i, c in enumerate(classes)}}
    complete = complete_cases(arrays, nan_policy)
    y = complete.arrays["y_true"]
    scores = np.column_stack([as_numeric(complete.arrays[f"y_score[{c}]"], f"y_score[{c}]") for c in classes])
    members = _members(y, classes)
    curves = tuple(_from_arrays(mask, scores[:, i], direction="higher", level=level, score_name=str(c),
                                reference_name="class", positive=c)
                   for i, (c, mask) in enumerate(zip(classes, members)))
    pairs = _pair_data(scores, members)
    pair_auc = {key: counts.auc() for key, (counts, _) in pairs.items()}
    k = len(classes)
    rows = [{"class_i": classes[i], "class_j": classes[j], "auc_i_vs_j": pair_auc[i, j],
             "auc_j_vs_i": pair_auc[j, i], "mean": (pair_auc[i, j] + pair_auc[j, i]) / 2}
            for i in range(k) for j in range(i + 1, k)]
    area, name = None, "Hand & Till M"
    if partial is not None:
        focus, low, high, correct = partial
        area = _area_function(focus, low, high, correct)
        name = f"Hand & Till M of partial AUCs ({focus} {low:g} to {high:g}{', McClish' if correct else ''})"
        pair_auc = {key: float(area(counts.cases, counts.controls)) for key, (counts, _) in pairs.items()}
        for row in rows:
            i, j = classes.index(row["class_i"]), classes.index(row["class_j"])
            row.update(partial_i_vs_j=pair_auc[i, j], partial_j_vs_i=pair_auc[j, i],
                       partial_mean=(pair_auc[i, j] + pair_auc[j, i]) / 2)
    pairwise = pd.DataFrame(rows)
    m_value = float(hand_till_m(np.array([[pair_auc.get((i, j), np.nan) for j in range(k)] for i in range(k)])))
    hand_till, notes = _m_estimate(m_value, pairs, members, classes, hand_till_m, level, n_boot, seed, progress,
                                   name, area)
    if partial is not None:
        floor = 0.5 if partial[3] else chance_area(1 - partial[2], 1 - partial[1])
        below = [f"A({classes[i]}|{classes[j]})" for (i, j), value in pair_auc.items() if value < floor]
        if below:
            notes.insert(0, f"below the chance diagonal over the range: {', '.join(below)}; reported as they are and "
                            "averaged" + (" (pROC gives NA for a McClish-corrected one)" if partial[3] else ""))
    averages = _averages(scores, members, curves, pairwise)
    notes = ([f"{complete.n_omitted} patients with missing values omitted"] if complete.n_omitted else []) + notes
    return MulticlassROCResult(classes=classes, curves=curves, hand_till=hand_till, pairwise=pairwise,
                               n_omitted=complete.n_omitted, averages=averages, notes=tuple(notes))


def _is_one_score(y_score: Any) -> bool:
    return isinstance(y_score, pd.Series) or (not isinstance(y_score, pd.DataFrame) and np.ndim(y_score) == 1)


def _members(y: np.ndarray, classes: tuple) -> list[np.ndarray]:
    """Boolean masks of each class; every label of y has a class and every class at least one patient."""
    unknown = sorted(set(pd.unique(y).tolist()) - set(classes), key=str)
    if unknown:
        raise DataError(f"y_true has label(s) {unknown} without a score column; give scores for every class.")
    if len(classes) < 2:
        raise DataError(f"y_true needs at least two classes; it has {list(classes)}.")
    members = [y == c for c in classes]
    empty = [c for c, mask in zip(classes, members) if not mask.any()]
    if empty:
        raise DataError(f"class(es) {empty} have no patients; drop them from classes= (and y_score).")
    return members


def _m_estimate(value: float, pairs: dict, members: list[np.ndarray], classes: tuple, summary: Callable,
                level: float, n_boot: int, seed: Any, progress: bool, name: str,
                area: Callable | None = None) -> tuple[Estimate, list[str]]:
    """M with its stratified bootstrap interval, or without one (and a note) when a class has one patient.

    ``area(case_counts, control_counts)`` replaces each pair's AUC (a partial AUC) when given.
    """
    sizes = [int(mask.sum()) for mask in members]
    single = [c for c, n in zip(classes, sizes) if n < MIN_PER_CLASS]
    if single:
        why = (f"no bootstrap interval for {name}: class(es) {single} have a single patient, so resampling cannot "
               "show their variability")
        return Estimate(value, np.nan, np.nan, level, "", name, notes=(why,)), [why]
    seeds = as_seed_sequence(seed)
    reps = _bootstrap_m(pairs, sizes, n_boot, seeds, progress, summary, area)
    lo, hi = percentile_interval(reps, level)
    label = f"bootstrap percentile ({n_boot} replicates stratified by class, {seed_label(seed, seeds)})"
    return Estimate(value, lo, hi, level, label, name), []


def _averages(scores: np.ndarray, members: list[np.ndarray], curves: tuple, pairwise: pd.DataFrame) -> dict:
    """scikit-learn's one-vs-rest (macro, weighted, micro) and one-vs-one (macro, weighted) AUC averages."""
    n = len(scores)
    sizes = np.array([mask.sum() for mask in members], dtype=float)
    ovr = np.array([c.auc.value for c in curves])
    indicator = np.column_stack(members)
    micro = count_by_value(scores.ravel(), indicator.ravel()).auc()
    pair_sizes = np.array([sizes[i] + sizes[j] for i, j in combinations(range(len(members)), 2)])
    return {"ovr_macro": float(ovr.mean()), "ovr_weighted": float(np.average(ovr, weights=sizes)),
            "ovr_micro": float(micro), "ovo_macro": float(pairwise["mean"].mean()),
            "ovo_weighted": float(np.average(pairwise["mean"], weights=pair_sizes / n))}


def _partial_range(specificity, sensitivity, correct) -> tuple[str, float, float, bool] | None:
    """``(focus, low, high, correct)`` of a multiclass partial AUC, or None for the whole AUC."""
    correct = check_flag(correct, "correct")
    if specificity is None and sensitivity is None:
        if correct:
            raise OptionError("correct=True standardises a partial AUC; give its range too, e.g. "
                              "specificity=(0.8, 1.0).")
        return None
    focus, (low, high) = _check_range(specificity, sensitivity)
    return focus, low, high, correct


def _univariate(y: np.ndarray, y_score: Any, labels: np.ndarray, classes: Any, direction: str, level: float,
                n_boot: int, seed: Any, progress: bool, nan_policy: str,
                partial: tuple[str, float, float, bool] | None = None) -> MulticlassROCResult:
    """Pairwise curves of one score: for classes i before j, class j the cases, class i the controls.

    With ``partial`` (focus, low, high, correct), M is the mean of the pairwise partial AUCs.
    """
    score = as_1d(y_score, "y_score")
    if len(score) != len(y):
        raise DataError(f"y_true has {len(y)} patients but y_score has {len(score)}; they must match.")
    complete = complete_cases({"y_true": y, "y_score": score}, nan_policy)
    y, score = complete.arrays["y_true"], as_numeric(complete.arrays["y_score"], "y_score")
    classes = tuple(sorted(pd.unique(y).tolist(), key=str)) if classes is None else tuple(classes)
    members = _members(y, classes)
    rows, curves, pairs, flipped = [], [], {}, []
    area, name, floor = None, "multiclass AUC (mean pairwise)", 0.5
    if partial is not None:
        focus, low, high, correct = partial
        area = _area_function(focus, low, high, correct)
        name = f"multiclass partial AUC (mean pairwise, {focus} {low:g} to {high:g}{', McClish' if correct else ''})"
        floor = 0.5 if correct else chance_area(1 - high, 1 - low)
    for i, j in combinations(range(len(classes)), 2):
        in_pair = members[i] | members[j]
        is_case = members[j][in_pair]
        chosen = "lower" if direction == "lower" else "higher"
        curve = _from_arrays(is_case, score[in_pair], direction=chosen, level=level, score_name="score",
                             reference_name="class", positive=classes[j])
        if direction == "auto" and curve.auc.value < 0.5:
            chosen = "lower"
            curve = _from_arrays(is_case, score[in_pair], direction=chosen, level=level, score_name="score",
                                 reference_name="class", positive=classes[j])
            flipped.append(f"{classes[i]} vs {classes[j]}")
        oriented = score if chosen == "higher" else -score
        cases, controls = oriented[members[j]], oriented[members[i]]
        counts = count_by_value(np.concatenate([cases, controls]),
                                np.concatenate([np.ones(len(cases), bool), np.zeros(len(controls), bool)]))
        pairs[j, i] = (counts, ScoreIds(counts, cases, controls))
        curves.append(curve)
        row = {"class_i": classes[i], "class_j": classes[j], "direction": chosen, "auc": curve.auc.value}
        if area is not None:
            row["partial_auc"] = float(area(counts.cases, counts.controls))
        rows.append(row)
    pairwise = pd.DataFrame(rows)
    keys = list(pairs)

    def mean_pairwise(aucs: np.ndarray) -> np.ndarray:
        return np.mean(np.stack([aucs[..., j, i] for j, i in keys], axis=-1), axis=-1)

    value = float(pairwise["auc" if area is None else "partial_auc"].mean())
    hand_till, notes = _m_estimate(value, pairs, members, classes, mean_pairwise, level, n_boot, seed, progress,
                                   name, area)
    below = pairwise[pairwise["partial_auc"] < floor] if area is not None else pairwise.iloc[:0]
    if len(below):
        pairs_below = ", ".join(f"{r.class_i} vs {r.class_j}" for r in below.itertuples())
        notes.insert(0, f"below the chance diagonal over the range in the pair(s) {pairs_below}: their partial AUCs "
                        "are reported as they are and enter the mean"
                        + (" (pROC gives NA for a McClish-corrected one)" if partial[3] else ""))
    if flipped:
        notes.insert(0, f"direction='auto' turned round the pair(s) {', '.join(flipped)}: there the earlier class "
                        "scores higher. Chosen from the same data, these AUCs are optimistic (as pROC's).")
    if complete.n_omitted:
        notes.insert(0, f"{complete.n_omitted} patients with missing values omitted")
    return MulticlassROCResult(classes=classes, curves=tuple(curves), hand_till=hand_till, pairwise=pairwise,
                               n_omitted=complete.n_omitted, univariate=True, notes=tuple(notes))


def _pair_data(scores: np.ndarray, members: list[np.ndarray]) -> dict:
    """For each ordered pair (i, j): counts of score i over classes i (cases) and j (controls), and ids."""
    out = {}
    for i, j in permutations(range(len(members)), 2):
        cases, controls = scores[members[i], i], scores[members[j], i]
        counts = count_by_value(np.concatenate([cases, controls]),
                                np.concatenate([np.ones(len(cases), bool), np.zeros(len(controls), bool)]))
        out[i, j] = (counts, ScoreIds(counts, cases, controls))
    return out


def _bootstrap_m(pairs: dict, sizes: list[int], n_boot: int, seeds: np.random.SeedSequence,
                 progress: bool, summary: Callable, area: Callable | None = None) -> np.ndarray:
    """``summary`` of the pair AUCs (..., K, K) in every replicate: classes resampled separately; every pair
    reuses the same resample. ``area`` of the resampled counts replaces the AUC when given."""
    k = len(sizes)
    width = sum(sizes) + 2 * max(ids.k for _, ids in pairs.values())
    out = []
    for draws in stratified_chunks(seeds, sizes, n_boot, width, progress):
        aucs = np.full((len(draws[0]), k, k), np.nan)
        for (i, j), (_, ids) in pairs.items():
            aucs[:, i, j] = ids.auc(draws[i], draws[j]) if area is None else area(*ids.counts(draws[i], draws[j]))
        out.append(summary(aucs))
    return np.concatenate(out)
