"""Venkatraman's permutation tests that two ROC curves are identical (paired and unpaired).

Unlike the DeLong and bootstrap tests, which compare the areas, these test whether the whole
curves coincide, so they also detect curves that cross with similar AUCs.

Paired (Venkatraman & Begg 1996): both tests are read on the same N patients. Each test's scores
become ranks 1..N (ties broken by the patients' order, as in the paper). Calling the k
lowest-ranked patients negative, the two tests then call the same number of patients positive,
and they differ only through whom they misclassify. With a_i = +1 for a diseased and -1 for a
non-diseased patient, the difference in misclassified patients at rank k is
e_k = sum_i a_i [I(R_i <= k) - I(S_i <= k)], and the statistic is E = sum_{k=1}^{N-1} |e_k|.
Under the null hypothesis the two ranks of a patient are exchangeable, so the reference
distribution swaps each patient's pair of ranks with probability 1/2 and ranks each test again
(ties from the swap broken at random).

Unpaired (Venkatraman 2000): the tests are read on different patients, so ranks cannot be
exchanged between patients. Each test's scores are put on a common scale by the mixture
distribution M_j = lam F_j1 + (1 - lam) F_j0 of its own diseased (F_j1) and non-diseased (F_j0)
empirical distributions, with one mixing proportion lam for both tests (here the pooled proportion
of diseased patients). At mixture quantile t, test j's weighted misclassification is
e_j(t) = lam F_j1 + (1 - lam) (1 - F_j0) at the threshold M_j^{-1}(t), and the statistic is the
exact integral E = int_0^1 |e_1(t) - e_2(t)| dt of the two step functions. If the curves are
identical the mixture-transformed values of the diseased (and of the non-diseased) patients have
one distribution for both tests, so the reference distribution pools each class's transformed
values over the two tests and deals them out again at random (class sizes kept).

Parity: the paired E equals pROC 1.18's ``roc.test(method="venkatraman")`` exactly. The unpaired
E is close to pROC's but not equal (0.0412 vs 0.0430 on the committed fixture): pROC's unpaired
discretisation is not described in its documentation, is not symmetric in the two curves, and
was not derived here (its GPL source was not read). Ours is symmetric and exact for the stated
definition; both p-values agree within Monte-Carlo error.

p-values are (1 + #{E_b >= E}) / (B + 1) over B permutations (Phipson & Smyth 2010), never 0.
Permutations are generated in blocks (see :func:`diagstats._core.bootstrap.random_chunks`) and
processed as (chunk, N) matrices: no Python loop over permutations.

References
----------
Venkatraman ES, Begg CB (1996). A distribution-free procedure for comparing receiver operating
characteristic curves from a paired experiment. Biometrika 83:835-848.
Venkatraman ES (2000). A permutation test to compare receiver operating characteristic curves.
Biometrics 56:1134-1138.
Phipson B, Smyth GK (2010). Permutation p-values should never be zero. Stat Appl Genet Mol Biol 9:39.

>>> import numpy as np
>>> from diagstats.roc_analysis.venkatraman import paired_statistic
>>> y = np.array([0, 0, 1, 1], dtype=bool)
>>> float(paired_statistic(np.array([1., 2, 3, 4]), np.array([1., 3, 2, 4]), y))
2.0
"""

from __future__ import annotations

import numpy as np

from .._core.bootstrap import random_chunks


def _first_ranks_order(scores: np.ndarray) -> np.ndarray:
    """Patients ordered by score, ties in the patients' order (R's ``ties.method = "first"``)."""
    return np.argsort(scores, kind="stable")


def _paired_e(order1: np.ndarray, order2: np.ndarray, signs: np.ndarray) -> np.ndarray:
    """E from the rank orders of the two tests (rows: replicates)."""
    c1 = np.cumsum(signs[order1], axis=-1)
    c2 = np.cumsum(signs[order2], axis=-1)
    return np.abs(c1 - c2)[..., :-1].sum(axis=-1)


def paired_statistic(scores1: np.ndarray, scores2: np.ndarray, is_case: np.ndarray) -> float:
    """Venkatraman & Begg's E for two scores on the same patients (higher = diseased)."""
    signs = np.where(is_case, 1, -1)
    return float(_paired_e(_first_ranks_order(scores1), _first_ranks_order(scores2), signs))


def paired_permutations(scores1: np.ndarray, scores2: np.ndarray, is_case: np.ndarray, n_perm: int,
                        seeds: np.random.SeedSequence, progress: bool) -> tuple[float, np.ndarray]:
    """Observed E and its ``n_perm`` permutation replicates (paired design)."""
    n = len(is_case)
    signs = np.where(is_case, 1, -1)
    ranks1 = np.empty(n, dtype=np.int64)
    ranks2 = np.empty(n, dtype=np.int64)
    ranks1[_first_ranks_order(scores1)] = np.arange(n)
    ranks2[_first_ranks_order(scores2)] = np.arange(n)
    observed = float(_paired_e(np.argsort(ranks1), np.argsort(ranks2), signs))

    def draw(rng, rows):
        return rng.random((rows, n)) < 0.5, rng.random((rows, n)), rng.random((rows, n))

    parts = []
    for swap, jitter1, jitter2 in random_chunks(seeds, n_perm, draw, 8 * n, progress, desc="permutations",
                                                unit="permutation"):
        first = np.where(swap, ranks2, ranks1) + jitter1  # integer ranks + U(0, 1): random tie-breaks
        second = np.where(swap, ranks1, ranks2) + jitter2
        parts.append(_paired_e(np.argsort(first, axis=1), np.argsort(second, axis=1), signs))
    return observed, np.concatenate(parts).astype(float)


def _error_steps(values: np.ndarray, is_case: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Breakpoints M (mixture CDF) and weighted errors e of one test, per row, with (0, 1 - lam) first.

    ``values`` has shape (rows, N); ``is_case`` (N,) flags its columns. Tied values form one step.
    """
    rows, n = values.shape
    order = np.argsort(values, axis=1, kind="stable")
    ordered = np.take_along_axis(values, order, axis=1)
    cases = is_case[order]
    f1 = np.cumsum(cases, axis=1) / is_case.sum()
    f0 = np.cumsum(~cases, axis=1) / (n - is_case.sum())
    last_of_tie = np.ones((rows, n), dtype=bool)
    last_of_tie[:, :-1] = ordered[:, 1:] != ordered[:, :-1]
    group_end = np.where(last_of_tie, np.arange(n), n)
    group_end = np.minimum.accumulate(group_end[:, ::-1], axis=1)[:, ::-1]
    f1 = np.take_along_axis(f1, group_end, axis=1)
    f0 = np.take_along_axis(f0, group_end, axis=1)
    start = np.zeros((rows, 1))
    mixture = np.concatenate([start, lam * f1 + (1 - lam) * f0], axis=1)
    error = np.concatenate([start + (1 - lam), lam * f1 + (1 - lam) * (1 - f0)], axis=1)
    return mixture, error


def _unpaired_e(values1, case1, values2, case2, lam: float) -> np.ndarray:
    """Exact integral over [0, 1] of |e_1(t) - e_2(t)|, the two step functions of the mixture quantile."""
    m1, e1 = _error_steps(values1, case1, lam)
    m2, e2 = _error_steps(values2, case2, lam)
    points = np.concatenate([m1, m2], axis=1)
    source = np.concatenate([np.zeros(m1.shape[1], dtype=bool), np.ones(m2.shape[1], dtype=bool)])
    order = np.argsort(points, axis=1, kind="stable")
    merged = np.take_along_axis(points, order, axis=1)
    from_second = source[order]
    at1 = np.cumsum(~from_second, axis=1) - 1  # latest breakpoint of each test at or before each point
    at2 = np.cumsum(from_second, axis=1) - 1
    gap = np.abs(np.take_along_axis(e1, at1, axis=1) - np.take_along_axis(e2, at2, axis=1))
    return (gap[:, :-1] * np.diff(merged, axis=1)).sum(axis=1)


def _mixture_values(values: np.ndarray, is_case: np.ndarray, lam: float) -> np.ndarray:
    """Each patient's value of the (right-continuous) empirical mixture CDF of its own test."""
    mixture, _ = _error_steps(values[None, :], is_case, lam)
    order = np.argsort(values, kind="stable")
    out = np.empty(len(values))
    out[order] = mixture[0, 1:]
    return out


def unpaired_statistic(scores1, case1, scores2, case2) -> float:
    """Venkatraman's E for two tests on different patients (higher = diseased)."""
    lam = (case1.sum() + case2.sum()) / (len(case1) + len(case2))
    return float(_unpaired_e(scores1[None, :], case1, scores2[None, :], case2, lam)[0])


def unpaired_permutations(scores1: np.ndarray, case1: np.ndarray, scores2: np.ndarray, case2: np.ndarray,
                          n_perm: int, seeds: np.random.SeedSequence, progress: bool) -> tuple[float, np.ndarray]:
    """Observed E and its ``n_perm`` permutation replicates (unpaired design)."""
    lam = (case1.sum() + case2.sum()) / (len(case1) + len(case2))
    observed = float(_unpaired_e(scores1[None, :], case1, scores2[None, :], case2, lam)[0])
    u1, u2 = _mixture_values(scores1, case1, lam), _mixture_values(scores2, case2, lam)
    diseased = np.concatenate([u1[case1], u2[case2]])
    healthy = np.concatenate([u1[~case1], u2[~case2]])
    m1, n1 = int(case1.sum()), int((~case1).sum())
    flags1 = np.repeat([True, False], [m1, n1])
    flags2 = np.repeat([True, False], [len(diseased) - m1, len(healthy) - n1])

    def draw(rng, rows):
        return (rng.permuted(np.broadcast_to(diseased, (rows, len(diseased))), axis=1),
                rng.permuted(np.broadcast_to(healthy, (rows, len(healthy))), axis=1))

    parts = []
    width = len(diseased) + len(healthy)
    for d, h in random_chunks(seeds, n_perm, draw, 12 * width, progress, desc="permutations", unit="permutation"):
        first = np.concatenate([d[:, :m1], h[:, :n1]], axis=1)
        second = np.concatenate([d[:, m1:], h[:, n1:]], axis=1)
        parts.append(_unpaired_e(first, flags1, second, flags2, lam))
    return observed, np.concatenate(parts)


def permutation_p_value(observed: float, replicates: np.ndarray) -> float:
    """(1 + #{E_b >= E}) / (B + 1); E_b within 1e-12 (relative) of E counts as reaching it."""
    reach = replicates >= observed - 1e-12 * max(1.0, abs(observed))
    return float((1 + reach.sum()) / (len(replicates) + 1))
