"""Cross-validated measures of a multinomial origin model, for many weightings of the data at once.

A *replicate* is a vector of patient counts (all ones for the data as observed, bootstrap counts
for a resample) with a fold label for every drawn patient. All copies of a patient share its
fold, so no patient is ever predicted by a model that was trained on one of its own copies
(Jiang, Varma & Simon 2008 remove the copies of a held-out case for the same reason). The folds
of each replicate are refitted together by :func:`diagstats._core.multinomial.fit_predict_multinomial`.

AUCs are computed within each test fold and averaged over folds ("AUC_avg" of Forman & Scholz
2010), not on out-of-fold predictions pooled across folds: pooling compares patients scored by
different models, each trained on the other's patients, which biases the AUC of a null model
below 0.5 (Airola et al. 2011). Within a fold the model is independent of the test patients, so
under no association the fold AUC has expectation exactly 0.5.

>>> import numpy as np
>>> y = np.array([0, 0, 0, 1, 1, 1])
>>> folds = stratified_folds(np.ones((2, 6), dtype=np.int64), y, 3, np.random.default_rng(0))
>>> [np.bincount(f[y == 0], minlength=3).tolist() for f in folds]
[[1, 1, 1], [1, 1, 1]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._core.auc import hand_till, weighted_class_aucs
from .._core.bootstrap import CHUNK_ELEMENTS
from .._core.multinomial import fit_predict_multinomial
from ..results import FrozenFields


def stratified_folds(counts: np.ndarray, y: np.ndarray, cv: int, rng: np.random.Generator) -> np.ndarray:
    """Fold labels (replicates, n): drawn patients of each class dealt round-robin in random order.

    Each class is dealt starting where the previous class stopped, so fold sizes differ by at
    most one distinct patient. Patients not drawn (count 0) get -1.
    """
    reps, n = counts.shape
    drawn = counts > 0
    labels = np.broadcast_to(y, (reps, n))
    order = np.lexsort((rng.random((reps, n)), ~drawn, labels), axis=-1)
    sorted_y = np.take_along_axis(labels, order, axis=1)
    start = np.searchsorted(np.sort(y), np.arange(y.max() + 1))               # first sorted slot of each class
    rank = np.arange(n)[None, :] - start[sorted_y]
    per_class = np.stack([(drawn & (y == c)).sum(axis=1) for c in range(y.max() + 1)], axis=1)
    offset = np.cumsum(per_class, axis=1) - per_class                          # distinct drawn before class c
    dealt = (rank + np.take_along_axis(offset, sorted_y, axis=1)) % cv
    folds = np.empty((reps, n), dtype=np.int64)
    np.put_along_axis(folds, order, dealt, axis=1)
    return np.where(drawn, folds, -1)


@dataclass(frozen=True)
class CVMeasures(FrozenFields):
    """Per replicate: one-vs-rest AUCs (R, K), ordered-pair AUCs (R, K, K), Hand & Till M, log-losses, accuracy."""

    ovr: np.ndarray
    pairs: np.ndarray
    macro: np.ndarray
    log_loss: np.ndarray
    baseline_log_loss: np.ndarray
    accuracy: np.ndarray
    proba: np.ndarray
    n_unconverged: int
    n_absent_baseline: int = 0  # replicates where an origin was absent from a training fold (see cv_measures)


def cv_measures(X: np.ndarray, y: np.ndarray, n_classes: int, counts: np.ndarray, folds: np.ndarray, cv: int,
                C: float | None) -> CVMeasures:
    """Run the cross-validation of every replicate (row of ``counts`` / ``folds``) and score it.

    Fold AUCs are averaged over the folds where they are defined; a replicate's macro AUC is the
    mean over ordered pairs of origins of the fold-averaged pairwise AUCs (Hand & Till 2001).
    Log-loss and accuracy are count-weighted means over patients of their out-of-fold values.
    """
    reps, n = counts.shape
    k = n_classes
    counts = counts.astype(float)
    proba = np.empty((reps, n, k))
    baseline = np.empty((reps, n))
    n_unconverged = 0
    per_chunk = max(1, CHUNK_ELEMENTS // (n * k * (X.shape[1] + 1) * cv))  # fits x patients x parameters
    for lo in range(0, reps, per_chunk):
        hi = min(reps, lo + per_chunk)
        c, f = counts[lo:hi], folds[lo:hi]
        test = f[:, None, :] == np.arange(cv)[None, :, None]                  # (r, cv, n)
        train = c[:, None, :] * ~test
        fitted, converged = fit_predict_multinomial(X, y, k, train.reshape(-1, n), C)
        n_unconverged += int((~converged).sum())
        fitted = fitted.reshape(hi - lo, cv, n, k)
        own = np.clip(f, 0, None)
        proba[lo:hi] = np.take_along_axis(fitted, own[:, None, :, None], axis=1)[:, 0]
        prevalence = np.stack([(train * (y == j)).sum(axis=2) for j in range(k)], axis=2)
        prevalence /= prevalence.sum(axis=2, keepdims=True)                   # (r, cv, k) training prevalences
        baseline[lo:hi] = np.take_along_axis(prevalence[:, :, y], own[:, None, :], axis=1)[:, 0]

    test = (folds[:, None, :] == np.arange(cv)[None, :, None]) * counts[:, None, :]
    pairs = np.stack([weighted_class_aucs(proba[:, :, i], y, test, i, k) for i in range(k)], axis=2)  # (R, cv, K, K)
    totals = np.stack([(test * (y == j)).sum(axis=2) for j in range(k)], axis=2)                    # (R, cv, K)
    controls = totals.sum(axis=2, keepdims=True) - totals
    with np.errstate(invalid="ignore", divide="ignore"):
        off = ~np.eye(k, dtype=bool)
        ovr = np.nansum(np.where(off, pairs * totals[:, :, None, :], 0.0), axis=3) / controls
        ovr = np.where((totals > 0) & (controls > 0), ovr, np.nan)
        pair_means = _nanmean(pairs, axis=1)                                    # (R, K, K)
        macro = hand_till(pair_means)
        ovr_means = _nanmean(ovr, axis=1)
    eps = np.finfo(float).eps
    loss = -np.log(np.clip(proba[:, np.arange(n), y], eps, 1.0))
    # a bootstrap resample can leave an origin out of a training fold: its prevalence-only probability is then
    # 0, counted as eps like the model's probabilities (log-loss 36.04, not infinite); the caller notes it
    absent = (baseline < eps) & (counts > 0)
    base_loss = -np.log(np.clip(baseline, eps, 1.0))
    correct = proba.argmax(axis=2) == y
    total = counts.sum(axis=1)
    return CVMeasures(ovr=ovr_means, pairs=pair_means, macro=macro,
                      log_loss=(counts * loss).sum(axis=1) / total,
                      baseline_log_loss=(counts * base_loss).sum(axis=1) / total,
                      accuracy=(counts * correct).sum(axis=1) / total, proba=proba, n_unconverged=n_unconverged,
                      n_absent_baseline=int(absent.any(axis=1).sum()))


def _nanmean(values: np.ndarray, axis: int) -> np.ndarray:
    """Mean ignoring NaN; NaN (without a warning) where all are NaN."""
    defined = ~np.isnan(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(defined, values, 0.0).sum(axis=axis) / defined.sum(axis=axis)
