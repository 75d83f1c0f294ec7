"""Which patients two ROC curves share: the positions, in each curve, of the patients both analysed.

Used by the paired comparison (:mod:`diagstats.roc_analysis.compare`) and the covariance of two AUCs
(:mod:`diagstats.roc_analysis.covariance`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .curve import ROCResult

__all__ = ["common_patients"]


def _same_reference(r1: ROCResult, r2: ROCResult) -> bool:
    return len(r1.reference) == len(r2.reference) and bool(np.array_equal(r1.reference, r2.reference))


def common_patients(r1: ROCResult, r2: ROCResult):
    """Positions in r1 and in r2 of the patients both curves analysed, or None if they are not
    recognisably the same patients.

    Patients are recognised by ``ROCResult.patients`` (DataFrame index labels, or row positions of
    the arrays), from inputs of the same number of rows, with the same reference standard on every
    shared patient. Without usable identifiers (none stored, duplicate labels, labels that cannot
    be compared), curves are the same patients when their reference standards are identical.
    """
    p1, p2 = r1.patients, r2.patients
    every = (np.arange(len(r1.reference)), np.arange(len(r2.reference)))
    usable = p1 is not None and p2 is not None and r1.n_rows == r2.n_rows
    try:
        usable = usable and len(np.unique(p1)) == len(p1) and len(np.unique(p2)) == len(p2)
        if usable:
            _, i1, i2 = np.intersect1d(p1, p2, assume_unique=True, return_indices=True)
    except TypeError:  # labels of mixed types cannot be sorted
        usable = False
    if not usable:
        return every if _same_reference(r1, r2) else None
    if len(i1) == len(p1) == len(p2) and np.array_equal(p1, p2):
        return every if _same_reference(r1, r2) else None
    order = np.argsort(i1)  # the shared patients in roc1's order
    i1, i2 = i1[order], i2[order]
    if len(i1) == 0 or not np.array_equal(r1.reference[i1], r2.reference[i2]):
        return None
    return i1, i2
