"""The AUC kernel: Mann-Whitney areas from counts, from bootstrap draws, or with case weights.

All forms compute P(case score > control score) + P(tie) / 2 with the controls' cumulative
weight in sorted score order (one sort), ties counted half:

* :func:`placements`: DeLong's placements at each distinct score (and :func:`delong_covariance`).
* :func:`auc_from_counts`: rows of counts of cases and controls at the k distinct scores.
* :func:`auc_from_draws`: bootstrap draws given as score-value ids (chunk, m) of the resampled cases
  and (chunk, n) of the resampled controls: a bootstrap multiplicity is how many times a patient
  is drawn, so the AUC is a weighted Mann-Whitney sum of the cases against the cumulative counts of
  the resampled controls. Exact: twice the numerator is an integer.
* :func:`weighted_class_aucs`: real scores per row with case weights (bootstrap multiplicities,
  cross-validation folds, survey weights), for one class against every class (Hand & Till pairs).

>>> import numpy as np
>>> from sklearn.metrics import roc_auc_score
>>> s, y, w = np.array([[0.1, 0.4, 0.4, 0.8]]), np.array([0, 0, 1, 1]), np.array([[1.0, 2.0, 1.0, 3.0]])
>>> float(weighted_auc(s, y == 1, w)[0]) == roc_auc_score(y, s[0], sample_weight=w[0])
True
"""

from __future__ import annotations

import numpy as np


def placements(cases: np.ndarray, controls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DeLong's placements at each distinct value (counts ``cases``, ``controls``, scores ascending).

    For a case at a value: the share of controls below it, ties counted half; for a control: the
    share of cases above it, ties counted half. The AUC is the case-weighted mean of the former.
    """
    below = np.cumsum(controls) - controls
    above = cases.sum() - np.cumsum(cases)
    return (below + 0.5 * controls) / controls.sum(), (above + 0.5 * cases) / cases.sum()


def delong_covariance(placements: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Covariance matrix of several AUCs measured on the same patients (DeLong 1988, eq. 5).

    ``placements`` holds, for each score, the case and control placements in one common patient
    order. S = S10 / m + S01 / n with S10, S01 the sample covariance matrices of the placements.
    """
    v10 = np.vstack([p[0] for p in placements])
    v01 = np.vstack([p[1] for p in placements])
    m, n = v10.shape[1], v01.shape[1]
    return np.atleast_2d(np.cov(v10)) / m + np.atleast_2d(np.cov(v01)) / n


def auc_from_counts(cases: np.ndarray, controls: np.ndarray) -> np.ndarray:
    """AUC of every row of (rows, k) count matrices (columns are the distinct scores, ascending)."""
    m = cases.sum(axis=1)
    n = controls.sum(axis=1)
    below = np.cumsum(controls, axis=1) - controls
    return np.einsum("ij,ij->i", cases, below + 0.5 * controls) / (m * n)


#: Rows of a (rows, k) count matrix handled at once by :func:`auc_from_draws`: about 512 kB, so that the
#: counting, cumulative sums and look-ups of a tile stay in the processor's cache.
CACHE_ELEMENTS = 2**16


def auc_from_draws(case_draws: np.ndarray, control_draws: np.ndarray, k: int, case_ids: np.ndarray | None = None,
                   control_ids: np.ndarray | None = None) -> np.ndarray:
    """AUC of every replicate from the score-value ids (in [0, k), ascending scores) of its drawn patients.

    ``case_draws`` (rows, m) and ``control_draws`` (rows, n) are the value ids of the drawn cases and
    controls, or, with ``case_ids`` / ``control_ids`` (each patient's value id), the drawn patients'
    indices. One ``bincount`` of the drawn controls gives, after a row-wise cumulative sum, the
    number of controls strictly below (``cum[v]``) and up to (``cum[v + 1]``) each value ``v``; each
    drawn case adds ``cum[v] + cum[v + 1]`` = 2 x (controls below + ties / 2). Integer arithmetic, so
    the result equals :func:`auc_from_counts` of the same draws bit for bit. Rows are processed in
    tiles of about :data:`CACHE_ELEMENTS` counts.
    """
    rows, m = case_draws.shape
    n = control_draws.shape[1]
    width = k + 1
    tile = max(1, min(rows, CACHE_ELEMENTS // width))
    offsets = (np.arange(tile, dtype=np.intp) * width)[:, None]
    if case_ids is not None:
        case_ids, control_ids = np.asarray(case_ids, dtype=np.intp), np.asarray(control_ids, dtype=np.intp)
    twice = np.empty(rows, dtype=np.int64)
    for lo in range(0, rows, tile):
        hi = min(rows, lo + tile)
        off = offsets[:hi - lo]
        if case_ids is None:
            cases, controls = case_draws[lo:hi] + off, control_draws[lo:hi] + off
        else:  # look up the value ids, then offset each row in place
            cases, controls = case_ids[case_draws[lo:hi]], control_ids[control_draws[lo:hi]]
            cases += off
            controls += off
        controls += 1
        cum = np.bincount(controls.ravel(), minlength=(hi - lo) * width).reshape(hi - lo, width)
        np.cumsum(cum, axis=1, out=cum)  # cum[:, v]: controls below value v; cum[:, v + 1]: up to v
        flat = cum.ravel()
        twice[lo:hi] = flat[cases].sum(axis=1)
        cases += 1
        twice[lo:hi] += flat[cases].sum(axis=1)
    return twice / (2.0 * m * n)


def weighted_class_aucs(score: np.ndarray, y: np.ndarray, weights: np.ndarray, case: int,
                        n_classes: int) -> np.ndarray:
    """AUC of ``score`` for class ``case`` against each class, with case weights, row-wise.

    ``score`` has shape (rows, n), ``y`` the classes 0..K-1 (n,), ``weights`` (rows, groups, n):
    every group (e.g. a test fold) is scored separately. Returns (rows, groups, K): entry j is
    P(score of a class-``case`` patient > score of a class-j patient), ties one half, patients
    weighted; NaN where either class has no weight. One stable sort per row.
    """
    rows, n = score.shape
    order = np.argsort(score, axis=1, kind="stable")
    s = np.take_along_axis(score, order, axis=1)
    w = np.take_along_axis(weights, order[:, None, :], axis=2)                 # (rows, groups, n)
    yk = y[order]                                                              # (rows, n)
    onehot = (yk[..., None] == np.arange(n_classes)).astype(float)             # (rows, n, K)
    by_class = w[..., None] * onehot[:, None]                                  # (rows, groups, n, K)
    cum = np.cumsum(by_class, axis=2)
    pos = np.arange(n)
    new = np.ones((rows, n), dtype=bool)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    last = np.ones((rows, n), dtype=bool)
    last[:, :-1] = new[:, 1:]
    first_idx = np.maximum.accumulate(np.where(new, pos, 0), axis=1)
    last_idx = np.minimum.accumulate(np.where(last, pos, n - 1)[:, ::-1], axis=1)[:, ::-1]
    zero = np.zeros(cum.shape[:2] + (1, n_classes))
    padded = np.concatenate([zero, cum], axis=2)                               # padded[..., m, :] = sum before m
    below = np.take_along_axis(padded, first_idx[:, None, :, None], axis=2)
    through = np.take_along_axis(padded, last_idx[:, None, :, None] + 1, axis=2)
    wins = below + 0.5 * (through - below)                                     # control weight ranked below
    case_w = by_class[..., case]                                               # (rows, groups, n)
    numerator = np.einsum("rgn,rgnk->rgk", case_w, wins)
    totals = cum[:, :, -1, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        return numerator / (totals[..., [case]] * totals)


def weighted_auc(score: np.ndarray, is_case: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """AUC (ties one half) of every row of ``score`` (rows, n), patients weighted by ``weights`` (rows, n).

    A weight is, e.g., how many times a bootstrap replicate drew the patient; None weighs all alike.
    """
    score = np.atleast_2d(score)
    w = np.ones(score.shape) if weights is None else np.atleast_2d(weights).astype(float)
    score = np.broadcast_to(score, np.broadcast_shapes(score.shape, w.shape))
    # the two-class case of weighted_class_aucs without its class and group axes (the same sums: weights
    # that are counts give the same AUC to the last bit)
    rows, n = score.shape
    order = np.argsort(score, axis=1, kind="stable")
    s = np.take_along_axis(score, order, axis=1)
    case_w = np.where(np.asarray(is_case, dtype=bool)[order], np.take_along_axis(np.broadcast_to(w, score.shape),
                                                                                order, axis=1), 0.0)
    control_w = np.take_along_axis(np.broadcast_to(w, score.shape), order, axis=1) - case_w
    cum = np.concatenate([np.zeros((rows, 1)), np.cumsum(control_w, axis=1)], axis=1)  # cum[:, m]: weight before m
    pos = np.arange(n)
    new = np.ones((rows, n), dtype=bool)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    last = np.ones((rows, n), dtype=bool)
    last[:, :-1] = new[:, 1:]
    below = np.take_along_axis(cum, np.maximum.accumulate(np.where(new, pos, 0), axis=1), axis=1)
    through = np.take_along_axis(cum, np.minimum.accumulate(np.where(last, pos, n - 1)[:, ::-1], axis=1)[:, ::-1]
                                 + 1, axis=1)
    numerator = np.sum(case_w * (below + 0.5 * (through - below)), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return numerator / (case_w.sum(axis=1) * cum[:, -1])


def hand_till(pair_aucs: np.ndarray) -> np.ndarray:
    """Hand & Till (2001) M from ordered-pair AUCs (..., K, K): the mean of A(i|j) over i != j.

    Entry (i, j) is the AUC of the class-i score for class i against class j; M averages the
    K(K - 1) ordered pairs, i.e. the mean of (A(i|j) + A(j|i)) / 2 over the unordered pairs.
    """
    k = pair_aucs.shape[-1]
    return np.mean(pair_aucs[..., ~np.eye(k, dtype=bool)], axis=-1)
