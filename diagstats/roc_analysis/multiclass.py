"""ROC analysis for more than two classes: one-vs-rest curves and Hand & Till's M.

For K classes (e.g. the primary tumour of a spinal metastasis) and one score column per class
(the model's probability of that class), each class gets its one-vs-rest ROC curve with a DeLong
interval. Hand & Till (2001) summarise discrimination by

    M = 2 / (K (K - 1)) * sum over pairs i < j of (A(i|j) + A(j|i)) / 2,

where A(i|j) is the AUC of score i between the patients of class i and those of class j. M gets
a stratified bootstrap percentile interval (patients resampled within each class, all pairs
recomputed from the same resample; vectorised over replicates). pROC's ``multiclass.roc``
reports M without an interval.

Reference: Hand DJ, Till RJ (2001). A simple generalisation of the area under the ROC curve for
multiple class classification problems. Machine Learning 45:171-186.

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

from dataclasses import dataclass, field
from itertools import permutations
from typing import Any

import numpy as np
import pandas as pd

from .._core.auc import hand_till as hand_till_m
from .._core.bootstrap import percentile_interval, stratified_chunks
from .._input import (MIN_PER_CLASS, as_1d, as_numeric, as_seed_sequence, check_dataframe, check_level, check_n_boot,
                      check_nan_policy, column_names, complete_cases, missing, seed_label)
from ..errors import DataError
from ..results import Estimate, ResultTable, estimates_frame
from ._counts import count_by_value
from .bootstrap import ScoreIds
from .curve import ROCResult, _from_arrays


@dataclass(frozen=True, repr=False)
class MulticlassROCResult(ResultTable):
    """One-vs-rest ROC curves and Hand & Till's M with a bootstrap interval.

    Attributes
    ----------
    classes : tuple
        Class labels, in the order of ``curves``.
    curves : tuple of ROCResult
        One-vs-rest curve of each class (its own score column; DeLong intervals).
    hand_till : Estimate
        Hand & Till's M with a stratified bootstrap percentile interval.
    pairwise : DataFrame
        class_i, class_j, auc_i_vs_j (A(i|j)), auc_j_vs_i (A(j|i)), mean.
    """

    classes: tuple
    curves: tuple[ROCResult, ...]
    hand_till: Estimate
    pairwise: pd.DataFrame
    n_omitted: int = 0
    notes: tuple[str, ...] = field(default=())

    title = "Multiclass ROC analysis"

    def to_frame(self) -> pd.DataFrame:
        rows = [Estimate(c.auc.value, c.auc.lower, c.auc.upper, c.auc.level, c.auc.method,
                         f"AUC {label} vs rest") for label, c in zip(self.classes, self.curves)]
        return estimates_frame(rows + [self.hand_till])

    def header_lines(self) -> list[str]:
        sizes = ", ".join(f"{label} {c.n_cases}" for label, c in zip(self.classes, self.curves))
        return [f"{len(self.classes)} classes: {sizes}"]

    def __repr__(self) -> str:
        return f"MulticlassROCResult(classes={self.classes}, M={self.hand_till.value:.4f})"


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


def roc_multiclass(y_true: Any, y_score: Any, *, classes: Any = None, level: float = 0.95, n_boot: int = 2000,
                   seed=0, progress: bool = True, nan_policy: str = "raise") -> MulticlassROCResult:
    """One-vs-rest ROC curves and Hand & Till's M (with a bootstrap interval) for K >= 2 classes.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        The true class of each patient.
    y_score : DataFrame or array of shape (n, K)
        One score column per class (higher = more likely that class). A DataFrame's columns are
        named after the classes; an array needs ``classes=``.
    classes : sequence, optional
        Class labels (for an array: of its columns, in order). Default: the sorted labels.
    level : float, default 0.95
    n_boot : int, default 2000
        Bootstrap replicates for M's interval (stratified by class).
    seed, progress
        Seed of the bootstrap, and whether to show a progress bar.
    nan_policy : {"raise", "omit"}

    Returns
    -------
    MulticlassROCResult
    """
    level = check_level(level)
    check_nan_policy(nan_policy)
    n_boot = check_n_boot(n_boot)
    y = as_1d(y_true, "y_true")
    if len(y) == 0:
        raise DataError("y_true is empty; give one true class per patient.")
    labels = pd.unique(y[~missing(y)])
    if classes is not None:
        classes = column_names(classes, "classes", example="['breast', 'lung', 'prostate']", minimum=2)
    matrix, classes = _score_matrix(y_score, classes, labels)
    if len(matrix) != len(y):
        raise DataError(f"y_true has {len(y)} patients but y_score has {len(matrix)} rows; they must match.")
    arrays = {"y_true": y, **{f"y_score[{c}]": matrix[:, i] for i, c in enumerate(classes)}}
    complete = complete_cases(arrays, nan_policy)
    y = complete.arrays["y_true"]
    scores = np.column_stack([as_numeric(complete.arrays[f"y_score[{c}]"], f"y_score[{c}]") for c in classes])
    unknown = sorted(set(pd.unique(y).tolist()) - set(classes), key=str)
    if unknown:
        raise DataError(f"y_true has label(s) {unknown} without a score column; give scores for every class.")
    members = [y == c for c in classes]
    small = [c for c, mask in zip(classes, members) if mask.sum() < MIN_PER_CLASS]
    if len(classes) < 2 or small:
        raise DataError(f"Every class needs at least {MIN_PER_CLASS} patients and there must be at least two classes;"
                        f" too few patients in {small}." if small else "y_true needs at least two classes.")
    curves = tuple(_from_arrays(mask, scores[:, i], direction="higher", level=level, score_name=str(c),
                                reference_name="class", positive=c)
                   for i, (c, mask) in enumerate(zip(classes, members)))
    pairs = _pair_data(scores, members)
    pair_auc = {key: counts.auc() for key, (counts, _) in pairs.items()}
    k = len(classes)
    rows = [{"class_i": classes[i], "class_j": classes[j], "auc_i_vs_j": pair_auc[i, j],
             "auc_j_vs_i": pair_auc[j, i], "mean": (pair_auc[i, j] + pair_auc[j, i]) / 2}
            for i in range(k) for j in range(i + 1, k)]
    pairwise = pd.DataFrame(rows)
    m_value = float(hand_till_m(np.array([[pair_auc.get((i, j), np.nan) for j in range(k)] for i in range(k)])))
    seeds = as_seed_sequence(seed)
    reps = _bootstrap_m(pairs, [int(mask.sum()) for mask in members], n_boot, seeds, progress)
    lo, hi = percentile_interval(reps, level)
    label = f"bootstrap percentile ({n_boot} replicates stratified by class, {seed_label(seed, seeds)})"
    hand_till = Estimate(m_value, lo, hi, level, label, "Hand & Till M")
    notes = (f"{complete.n_omitted} patients with missing values omitted",) if complete.n_omitted else ()
    return MulticlassROCResult(classes=classes, curves=curves, hand_till=hand_till, pairwise=pairwise,
                               n_omitted=complete.n_omitted, notes=notes)


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
                 progress: bool) -> np.ndarray:
    """M in every replicate: classes resampled separately; every pair reuses the same resample."""
    k = len(sizes)
    width = sum(sizes) + 2 * max(ids.k for _, ids in pairs.values())
    out = []
    for draws in stratified_chunks(seeds, sizes, n_boot, width, progress):
        aucs = np.full((len(draws[0]), k, k), np.nan)
        for (i, j), (_, ids) in pairs.items():
            aucs[:, i, j] = ids.auc(draws[i], draws[j])
        out.append(hand_till_m(aucs))
    return np.concatenate(out)
