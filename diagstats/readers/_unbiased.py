"""Gallas' unbiased (U-statistic) covariance of empirical AUCs measured on the same cases.

Every empirical AUC is the mean of a kernel over the n1 x n0 (diseased i, non-diseased j) pairs,
s(i, j) = 1 if the diseased case is rated higher, 1/2 if tied, 0 otherwise. For two AUCs a and b read on
the same cases, E[A_a A_b] mixes four moments of the kernels (Gallas 2006; Gallas, Pennello & Myers 2007):
M1 = E[s_a(i, j) s_b(i, j)] (same pair), M2 = E[s_a(i, j) s_b(i, j')] (same diseased case),
M3 = E[s_a(i, j) s_b(i', j)] (same non-diseased case) and M4 = E[s_a(i, j) s_b(i', j')] = E[A_a] E[A_b], so

    Cov(A_a, A_b) = [M1 + (n0 - 1) M2 + (n1 - 1) M3 - (n1 + n0 - 1) M4] / (n1 n0).

Each moment is estimated without bias by its U-statistic (the average over all the pairs of pairs of that kind),
which makes the covariance estimate unbiased (it may be negative, unlike DeLong's or the jackknife's, which are
biased upwards). The sums come from the placements (:func:`~diagstats.readers._covariance.case_placements`):
with V10 and V01 the diseased and non-diseased placements,

* R_ab = sum_i (sum_j s_a)(sum_j' s_b) = n0^2 sum_i V10_a V10_b;  C_ab = n1^2 sum_j V01_a V01_b;
* T_ab = (n1 n0)^2 A_a A_b;  S_ab = sum_ij s_a(i, j) s_b(i, j), the only sum that needs the kernels themselves
  (one matrix product of the (rows, pairs) kernels, in chunks of diseased cases: cost rows^2 x n1 x n0);

M1 = S / (n1 n0), M2 = (R - S) / (n1 n0 (n0 - 1)), M3 = (C - S) / (n1 (n1 - 1) n0) and
M4 = (T - R - C + S) / (n1 (n1 - 1) n0 (n0 - 1)). This is MRMCaov's ``cov = unbiased`` and iMRMC's U-statistic
covariance for a fully crossed design.

References: Gallas BD (2006) One-shot estimate of MRMC variance: AUC. Acad Radiol 13:353-362. Gallas BD,
Pennello GA, Myers KJ (2007) Multireader multicase variance analysis for binary data. J Opt Soc Am A
24:B70-B80. Gallas BD, Bandos A, Samuelson FW, Wagner RF (2009) A framework for random-effects ROC analysis:
biases with the bootstrap and other variance estimators. Commun Stat Theory Methods 38:2586-2603.
"""

from __future__ import annotations

import numpy as np

#: Kernel values (rows x diseased cases x non-diseased cases) built at once: about 32 MB of float64.
CHUNK_ELEMENTS = 2**22


def same_pair_sums(ratings: np.ndarray, is_case: np.ndarray) -> np.ndarray:
    """S_ab = sum over (diseased, non-diseased) pairs of s_a s_b for every two rows of ``ratings`` (k, c)."""
    cases, controls = ratings[:, is_case], ratings[:, ~is_case]
    k, n1 = cases.shape
    n0 = controls.shape[1]
    step = max(1, CHUNK_ELEMENTS // max(1, k * n0))
    total = np.zeros((k, k))
    for start in range(0, n1, step):  # chunks of diseased cases, to bound the memory of the kernels
        x = cases[:, start:start + step, None]
        s = (x > controls[:, None, :]) + 0.5 * (x == controls[:, None, :])
        flat = s.reshape(k, -1)
        total += flat @ flat.T
    return total


def unbiased_covariance(ratings: np.ndarray, is_case: np.ndarray, auc: np.ndarray, v10: np.ndarray,
                        v01: np.ndarray) -> np.ndarray:
    """Gallas' unbiased covariance (k, k) of the empirical AUCs ``auc`` (k,) of the rows of ``ratings`` (k, c),
    from their placements ``v10`` (k, n1) and ``v01`` (k, n0)."""
    n1, n0 = v10.shape[1], v01.shape[1]
    s = same_pair_sums(ratings, is_case)
    r = n0 ** 2 * (v10 @ v10.T)
    c = n1 ** 2 * (v01 @ v01.T)
    t = (n1 * n0) ** 2 * np.outer(auc, auc)
    m1 = s / (n1 * n0)
    m2 = (r - s) / (n1 * n0 * (n0 - 1))
    m3 = (c - s) / (n1 * (n1 - 1) * n0)
    m4 = (t - r - c + s) / (n1 * (n1 - 1) * n0 * (n0 - 1))
    return (m1 + (n0 - 1) * m2 + (n1 - 1) * m3 - (n1 + n0 - 1) * m4) / (n1 * n0)
