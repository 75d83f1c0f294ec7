"""One test that three or more AUCs are all equal: DeLong's chi-square contrast.

DeLong, DeLong & Clarke-Pearson (1988, section 3) test H0: L theta = 0 for the vector theta of k
AUCs with the Wald statistic

    X^2 = (L theta)' (L S L')^-1 (L theta),

S the covariance matrix of the AUCs, referred to a chi-square with rank(L S L') degrees of
freedom. Here L holds the k - 1 successive differences (row i: +1 at curve i, -1 at curve i + 1),
so H0 is "all AUCs are equal"; any full-rank contrast matrix of the k - 1 differences gives the
same statistic. S is DeLong's covariance from the placements when the curves are measured on the
same patients, and the diagonal matrix of DeLong variances when they are measured on different
patients (independent AUCs).

>>> import numpy as np, diagstats as ds
>>> rng = np.random.default_rng(1)
>>> y = rng.random(150) < 0.4
>>> curves = [ds.roc(y, rng.normal(y * shift)) for shift in (1.5, 1.0, 0.5)]
>>> test = ds.compare_roc(curves).omnibus
>>> test.df
2.0
>>> test.p_value < 0.05
True
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from .._core.auc import delong_covariance
from ..results import TestResult
from .delong import delong_variance, patient_placements

__all__ = ["successive_differences", "equal_auc_test"]


def successive_differences(k: int) -> np.ndarray:
    """The (k - 1, k) contrast matrix L of successive differences: row i is e_i - e_(i+1)."""
    return np.eye(k - 1, k) - np.eye(k - 1, k, 1)


def equal_auc_test(curves, paired: bool) -> TestResult:
    """DeLong's chi-square test that the AUCs of ``curves`` are all equal.

    ``paired``: the curves share the same patients in the same order (full covariance);
    otherwise they are independent (diagonal covariance).
    """
    k = len(curves)
    kind = "paired" if paired else "unpaired"
    method = f"DeLong chi-square contrast of {k} AUCs ({kind})"
    name = "all AUCs equal"
    small = [i + 1 for i, r in enumerate(curves) if min(r.n_cases, r.n_controls) < 2]
    if small:
        why = ("no omnibus test: DeLong's covariance needs at least 2 cases and 2 controls per curve, and curve(s) "
               f"{', '.join(map(str, small))} have fewer")
        return TestResult(math.nan, math.nan, method, name=name, notes=(why,))
    theta = np.array([r.auc.value for r in curves])
    if paired:
        cov = delong_covariance([patient_placements(r.counts, r.cases, r.controls) for r in curves])
    else:
        cov = np.diag([delong_variance(r.counts) for r in curves])
    contrast = successive_differences(k)
    differences = contrast @ theta
    middle = contrast @ cov @ contrast.T
    df = int(np.linalg.matrix_rank(middle, hermitian=True))
    notes = ("AUCs " + ", ".join(f"{a:.3f}" for a in theta),)
    if df == 0:
        stat = 0.0 if np.allclose(differences, 0) else math.inf
        why = ("the AUC differences have DeLong covariance 0 (every curve separates its cases and controls "
               "completely, or not at all), so they have no estimated sampling error: the statistic is "
               + ("0" if stat == 0 else "infinite") + "; with so few patients this is not to be trusted")
        return TestResult(stat, 1.0 if stat == 0 else 0.0, method, name=name, notes=notes + (why,))
    stat = float(differences @ np.linalg.pinv(middle, hermitian=True) @ differences)
    if df < k - 1:
        notes += (f"the covariance of the {k - 1} AUC differences has rank {df} only (some curves are identical or "
                  "perfectly correlated); the statistic uses its pseudo-inverse and has df " + str(df),)
    return TestResult(stat, float(stats.chi2.sf(stat, df)), method, df=float(df), name=name, notes=notes)
