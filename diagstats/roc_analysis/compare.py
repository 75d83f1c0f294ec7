"""Comparing the AUCs (or partial AUCs) of ROC curves: DeLong and bootstrap, paired or unpaired.

* Paired (both curves measured on the same patients, detected when their reference standards
  are identical, or forced with ``paired=``): DeLong's test with the covariance of the two AUCs
  from the placements (DeLong et al. 1988; Sun & Xu 2014), z = (A1 - A2) / SE, and the paired
  stratified bootstrap (the same patients resampled for both curves).
* Unpaired (different patients): DeLong's variances add; as pROC 1.18 does, the statistic is
  referred to a t distribution with Welch-Satterthwaite degrees of freedom
  (V1 + V2)^2 / (V1^2 / (N1 - 1) + V2^2 / (N2 - 1)), N the patients of each curve. The
  bootstrap resamples each curve's patients independently.

* Venkatraman's permutation tests (paired: Venkatraman & Begg 1996; unpaired: Venkatraman 2000;
  see :mod:`diagstats.roc_analysis.venkatraman`) test whether the whole curves coincide; statistic E.

Every test returns the AUC difference as an :class:`~diagstats.Estimate` with its interval
(DeLong: difference +/- z SE, or +/- t SE unpaired; bootstrap: percentile interval of the
replicate differences; Venkatraman, which has no interval of its own: the DeLong interval, paired
or unpaired as the test, named in the estimate's method). The bootstrap statistic is
D = (A1 - A2) / SD(replicate differences), referred to the normal distribution (pROC's definition).
Partial AUCs are compared by bootstrap.

A list of curves is compared pair by pair, with p-values adjusted for multiplicity by Holm's
method (Holm 1979).

>>> import numpy as np, diagstats as ds
>>> rng = np.random.default_rng(0)
>>> y = rng.random(200) < 0.4
>>> r1, r2 = ds.roc(y, rng.normal(y * 1.2)), ds.roc(y, rng.normal(y * 0.5))
>>> res = ds.compare_roc(r1, r2)
>>> res.method
'DeLong (paired)'
>>> round(res.estimate.value, 3) == round(r1.auc.value - r2.auc.value, 3)
True
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from itertools import combinations
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .._core.auc import auc_from_counts, delong_covariance
from .._core.bootstrap import percentile_interval, undefined_replicates_note
from .._core.multiplicity import adjust_p
from .._core.quantiles import z_two_sided
from .._input import (as_seed_sequence, check_alternative, check_bootstrap_size, check_flag, check_level, check_n_boot,
                      check_option, seed_label)
from ..errors import DataError, OptionError
from ..results import Estimate, ResultTable, TestResult, clip_interval, tidy
from .bootstrap import (ScoreIds, check_stratified, resample_chunks, undefined_where_one_class,
                        unstratified_count_chunks)
from .clustered_auc import clustered_auc_covariance
from .curve import ClusteredROCResult, ROCResult, _check_range, _from_arrays, _oriented_points
from .delong import delong_variance, patient_placements
from .weighted import refuse_weighted
from .omnibus import equal_auc_test
from .shared_patients import common_patients as _common_patients
from .partial import mcclish, partial_area
from .venkatraman import paired_permutations, permutation_p_value, unpaired_permutations

COMPARE_METHODS = ("delong", "bootstrap", "venkatraman")


def _p_value(stat: float, alternative: str, dist) -> float:
    if alternative == "two-sided":
        return float(2 * dist.sf(abs(stat)))
    return float(dist.cdf(stat) if alternative == "less" else dist.sf(stat))


def _restrict(r: ROCResult, keep: np.ndarray) -> ROCResult:
    """The curve of the patients at positions ``keep`` only."""
    is_case = r.reference[keep]
    if is_case.all() or not is_case.any():
        raise DataError("The two curves share patients, but among the patients with both scores there are no "
                        f"{'non-' if is_case.all() else ''}diseased ones, so they cannot be compared paired. "
                        "Check the missing values of the two scores.")
    return _from_arrays(is_case, r._original(_patient_scores(r)[keep]), direction=r.direction, level=r.level,
                        score_name=r.score_name, reference_name=r.reference_name, positive=r.positive,
                        n_omitted=r.n_omitted + len(r.reference) - len(keep),
                        patients=None if r.patients is None else r.patients[keep], n_rows=r.n_rows)


def compare_roc(roc1: ROCResult | Sequence[ROCResult], roc2: ROCResult | None = None, *, method: str | None = None,
                paired: bool | None = None, alternative: str = "two-sided", level: float | None = None,
                specificity: tuple[float, float] | None = None, sensitivity: tuple[float, float] | None = None,
                correct: bool = False, n_boot: int = 2000, seed=0, progress: bool = True, stratified: bool = True):
    """Test whether two ROC curves have the same AUC (or partial AUC); or all pairs of a list.

    Parameters
    ----------
    roc1, roc2 : ROCResult
        The curves (from :func:`diagstats.roc`). ``roc1`` may instead be a list of curves (then
        ``roc2`` is omitted) to compare all pairs with Holm-adjusted p-values.
    method : {"delong", "bootstrap", "venkatraman", "obuchowski"}, optional
        Default "delong" ("obuchowski" for clustered curves).
        "venkatraman": permutation test that the two ROC curves are identical (two-sided only;
        ``n_boot`` permutations). Its statistic E is Venkatraman & Begg's (paired) or Venkatraman's
        (unpaired); the estimate is the AUC difference with its DeLong interval.
        "obuchowski": curves of units clustered in patients (``ds.roc(..., cluster=)``, the same
        units and clusters for both): z = (A1 - A2) / SE with Obuchowski's (1997) clustered
        covariance of the two AUCs, the difference with its Wald interval (clipped to [-1, 1]).
        The only method for clustered curves, and paired only.
    paired : bool, optional
        Whether both curves come from the same patients. Default: detected. Curves built by
        :func:`diagstats.roc` remember their patients (DataFrame index labels, or row positions of
        the arrays); two curves from inputs with the same number of rows whose shared patients have
        the same reference standard are paired. If ``nan_policy="omit"`` dropped different patients
        from the two curves, the paired test uses the patients with both scores (a paired analysis
        needs the same patients; treating the curves as independent would ignore their
        correlation), and a note says how many were left out: the AUCs compared are then those of
        the common patients. Curves without patient identifiers are paired when their reference
        standards are identical, in order. ``paired=True`` on different patients is an error.
    alternative : {"two-sided", "less", "greater"}
        "greater": AUC1 > AUC2.
    level : float, optional
        Level of the difference's interval (default: roc1's level).
    specificity, sensitivity, correct
        Compare partial AUCs over this range (bootstrap only), McClish-corrected with ``correct``.
    n_boot, seed, progress
        Bootstrap replicates, seed and progress bar. Same seed, same result, whatever the memory
        (see :mod:`diagstats.roc_analysis.bootstrap`). For a list of curves, pair k (in the order of
        ``pairs``) draws from child k of ``numpy.random.SeedSequence(seed).spawn(n_pairs)`` and its
        method names it ("seed 7, pair stream 2 of 3"); passing that child as ``seed`` to a
        comparison of the pair alone repeats it. Default 0; with ``seed=None`` the method shows the
        entropy drawn.
    stratified : bool, default True
        For ``method="bootstrap"`` (refused with the other methods): False draws each replicate's
        patients from all of them, so the numbers of cases and controls vary (pROC
        ``roc.test(boot.stratified = FALSE)``); replicates with no case or no control are left out, with
        a note saying how many.

    Returns
    -------
    TestResult
        ``statistic``, ``p_value``, ``df`` (unpaired DeLong), ``method`` and ``estimate`` (the
        difference AUC1 - AUC2 with its interval). For a list: :class:`ROCComparisonTable`, whose
        ``omnibus`` holds, for three or more curves compared by DeLong's method, DeLong's (1988)
        chi-square test that all AUCs are equal (paired on the patients every curve shares, or
        unpaired; see :mod:`diagstats.roc_analysis.omnibus`).

    Notes
    -----
    Paired DeLong (statistic, p-value, interval of the difference) and unpaired DeLong
    (statistic, degrees of freedom, p-value) agree with pROC 1.18 ``roc.test`` to 1e-6 on the
    committed fixtures; bootstrap tests agree within Monte-Carlo error. Venkatraman's paired E
    agrees with pROC 1.18 ``roc.test(method="venkatraman")`` exactly, its p-value within
    Monte-Carlo error; the unpaired p-value agrees within Monte-Carlo error but the unpaired E
    differs slightly from pROC's (0.0412 vs 0.0430 on the fixture), see
    :mod:`diagstats.roc_analysis.venkatraman`. Permutation p-values are (1 + #{E_b >= E}) / (B + 1).

    The DeLong (Wald) interval of the difference, difference +/- z SE (t SE unpaired; also the one
    Venkatraman's test reports), can pass -1 or 1 on few patients: diagstats clips it to [-1, 1] with
    a note giving the unclipped interval, where pROC does not clip (the committed pROC fixtures are
    within range, so they agree unchanged).
    """
    if roc2 is None:
        if isinstance(roc1, ROCResult) or not isinstance(roc1, Sequence):
            raise DataError("compare_roc needs two curves (compare_roc(r1, r2)) or a list of curves "
                            "(compare_roc([r1, r2, r3])).")
        curves = list(roc1)
    else:
        curves = [roc1, roc2]
    for name, r in zip(("roc1", "roc2") if roc2 is not None else (f"roc1[{i}]" for i in range(len(curves))),
                       curves):
        if not isinstance(r, ROCResult):
            raise DataError(f"{name} must be a ROC curve from diagstats.roc(...); got {type(r).__name__}.")
        refuse_weighted(r, name, "compare_roc")
    paired = None if paired is None else check_flag(paired, "paired")
    correct = check_flag(correct, "correct")
    clustered = [isinstance(r, ClusteredROCResult) for r in curves]
    if any(clustered):
        if not all(clustered):
            raise DataError("Some curves are of clustered units (ds.roc(..., cluster=)) and some are not; give "
                            "cluster= to ds.roc for every curve to compare them.")
        if paired is False:
            raise OptionError("paired=False: clustered curves are compared paired (the same units read by both "
                              "tests); leave paired out.")
        method = check_option("obuchowski" if method is None else method, "method", ("obuchowski",))
    else:
        if method == "obuchowski":
            raise OptionError("method='obuchowski' compares curves of clustered units: build them with "
                              "ds.roc(..., cluster=...), or use method='delong'.")
        method = check_option("delong" if method is None else method, "method", COMPARE_METHODS)
    options = dict(method=method, paired=paired,
                   alternative=check_alternative(alternative),
                   level=None if level is None else check_level(level), specificity=specificity,
                   sensitivity=sensitivity, correct=correct, n_boot=n_boot, progress=progress,
                   stratified=check_stratified(stratified, method))
    seeds = as_seed_sequence(seed)
    if roc2 is None:
        return _compare_many(curves, seed=seed, seeds=seeds, **options)
    return _compare_pair(roc1, roc2, seeds=seeds, seed_text=seed_label(seed, seeds), **options)


def _compare_pair(roc1: ROCResult, roc2: ROCResult, *, method, paired, alternative, level, specificity, sensitivity,
                  correct, n_boot, progress, seeds: np.random.SeedSequence, seed_text: str,
                  stratified: bool = True) -> TestResult:
    """One comparison; ``seeds`` drives any randomness and ``seed_text`` names it in the method."""
    level = roc1.level if level is None else level
    if method == "obuchowski":
        return _obuchowski_paired(roc1, roc2, alternative, level, specificity, sensitivity)
    common = _common_patients(roc1, roc2)
    if paired is None:
        paired = common is not None
    elif paired and common is None:
        raise DataError("paired=True, but the two curves are not from the same patients (different patients, "
                        "or a different reference standard for the same patients). Use paired=False.")
    note = ()
    if paired and len(common[0]) < max(len(roc1.reference), len(roc2.reference)):
        left_out = len(roc1.reference) - len(common[0]), len(roc2.reference) - len(common[0])
        note = (f"paired comparison on the {len(common[0])} patients with both scores; {left_out[0]} of roc1's "
                f"and {left_out[1]} of roc2's patients lack the other score and were left out, so the AUCs "
                "compared are those of these common patients",)
    if paired and not (np.array_equal(common[0], np.arange(len(roc1.reference)))
                       and np.array_equal(common[1], np.arange(len(roc2.reference)))):
        roc1, roc2 = _restrict(roc1, common[0]), _restrict(roc2, common[1])  # same patients, same order
    result = _compare_curves(roc1, roc2, method=method, paired=paired, alternative=alternative, level=level,
                             specificity=specificity, sensitivity=sensitivity, correct=correct, n_boot=n_boot,
                             progress=progress, seeds=seeds, seed_text=seed_text, stratified=stratified)
    return dataclasses.replace(result, notes=result.notes + note) if note else result


def _compare_curves(roc1, roc2, *, method, paired, alternative, level, specificity, sensitivity, correct, n_boot,
                    progress, seeds, seed_text, stratified=True) -> TestResult:
    partial = specificity is not None or sensitivity is not None
    if partial and method == "delong":
        raise OptionError("method='delong' does not support a partial AUC; use method='bootstrap'.")
    if method == "venkatraman":
        if partial:
            raise OptionError("method='venkatraman' compares whole ROC curves, not partial AUCs; use "
                              "method='bootstrap' for a partial AUC.")
        if alternative != "two-sided":
            raise OptionError(f"alternative={alternative!r}: Venkatraman's test (are the two curves identical?) "
                              "has no direction; use alternative='two-sided', or method='delong' with "
                              "alternative='less' or 'greater' to compare the AUCs in one direction.")
        return _venkatraman_test(roc1, roc2, paired, level, n_boot, seeds, seed_text, progress)
    if method == "delong":
        return _delong_paired(roc1, roc2, alternative, level) if paired else \
            _delong_unpaired(roc1, roc2, alternative, level)
    statistic = _auc_statistic if not partial else _partial_statistic(specificity, sensitivity, correct)
    return _bootstrap_test(roc1, roc2, statistic, paired, alternative, level, n_boot, seeds, seed_text, progress,
                           "AUC difference" if not partial else "partial AUC difference", stratified)


def _difference(value: float, se: float, level: float, method: str, quantile: float) -> Estimate:
    """The Wald interval of the difference, clipped to [-1, 1] with a note on the estimate (pROC does not clip)."""
    half = quantile * se
    return clip_interval(Estimate(value, value - half, value + half, level, method, "AUC difference"), -1.0, 1.0,
                         "AUC difference interval", kind="Wald")[0]


def _delong_paired(r1, r2, alternative, level) -> TestResult:
    too_few = _too_few_for_delong(r1, r2, alternative, level, "DeLong (paired)")
    if too_few is not None:
        return too_few
    placements = [patient_placements(r.counts, r.cases, r.controls) for r in (r1, r2)]
    cov = delong_covariance(placements)
    diff = r1.auc.value - r2.auc.value
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    if var <= 0:
        stat = 0.0 if diff == 0 else np.sign(diff) * np.inf
        se = 0.0
    else:
        se = float(np.sqrt(var))
        stat = diff / se
    p = _p_value(stat, alternative, stats.norm)
    estimate = _difference(diff, se, level, "DeLong (paired)", z_two_sided(level))
    if var <= 0:
        why = ("the AUC difference has DeLong variance 0 (the curves separate their cases and controls completely, "
               "or not at all, on the same patients), so it has no estimated sampling error: the interval has width "
               "0 and the statistic is " + ("0" if diff == 0 else "infinite")
               + "; with so few patients this is not to be trusted")
        estimate = Estimate(diff, diff, diff, level, "DeLong (paired)", "AUC difference", (why,))
        notes = (why,)
    elif cov[0, 0] * cov[1, 1] <= 0:
        notes = ("the correlation of the two AUCs is undefined: one AUC has DeLong variance 0",)
    else:
        notes = (f"correlation of the two AUCs {cov[0, 1] / np.sqrt(cov[0, 0] * cov[1, 1]):.3f}",)
    return TestResult(float(stat), p, "DeLong (paired)", estimate, alternative=alternative, name="AUC1 - AUC2",
                      notes=notes)


def _obuchowski_paired(r1: ClusteredROCResult, r2: ClusteredROCResult, alternative: str, level: float,
                       specificity, sensitivity) -> TestResult:
    """Two AUCs of the same clustered units: Obuchowski's (1997) covariance, z test, Wald interval."""
    if specificity is not None or sensitivity is not None:
        raise OptionError("Partial AUCs of clustered curves cannot be compared yet (the bootstrap would resample "
                          "units, not patients); compare the whole AUCs (leave specificity/sensitivity out).")
    common = _common_patients(r1, r2)
    every = common is not None and len(common[0]) == len(r1.reference) == len(r2.reference) and \
        np.array_equal(common[0], common[1])
    if not every or not np.array_equal(r1.clusters, r2.clusters):
        raise DataError("The two clustered curves are not of the same units in the same clusters (different units, "
                        "rows omitted for missing values in one score only, or other cluster ids); build both "
                        "from the same rows, e.g. drop the rows missing either score first.")
    method = "Obuchowski (1997) clustered (paired)"
    v = [r.placements() for r in (r1, r2)]
    cov = clustered_auc_covariance([v[0][0], v[1][0]], [v[0][1], v[1][1]], r1.clusters[r1.reference],
                                   r1.clusters[~r1.reference], r1.n_clusters)
    diff = r1.auc.value - r2.auc.value
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    if not np.isfinite(var):
        why = "no clustered test: it needs at least 2 clusters with diseased and 2 with non-diseased units"
        estimate = Estimate(diff, math.nan, math.nan, level, method, "AUC difference", (why,))
        return TestResult(math.nan, math.nan, method, estimate, alternative=alternative, name="AUC1 - AUC2",
                          notes=(why,))
    if var <= 0:
        stat = 0.0 if diff == 0 else float(np.sign(diff) * np.inf)
        why = ("the AUC difference has clustered variance 0, so it has no estimated sampling error: the interval "
               "has width 0 and the statistic is " + ("0" if diff == 0 else "infinite"))
        estimate = Estimate(diff, diff, diff, level, method, "AUC difference", (why,))
        return TestResult(stat, _p_value(stat, alternative, stats.norm), method, estimate, alternative=alternative,
                          name="AUC1 - AUC2", notes=(why,))
    se = float(np.sqrt(var))
    stat = diff / se
    notes = ()
    if cov[0, 0] * cov[1, 1] > 0:
        notes = (f"correlation of the two AUCs {cov[0, 1] / np.sqrt(cov[0, 0] * cov[1, 1]):.3f}",)
    return TestResult(float(stat), _p_value(stat, alternative, stats.norm), method,
                      _difference(diff, se, level, method, z_two_sided(level)), alternative=alternative,
                      name="AUC1 - AUC2", notes=notes)


def _too_few_for_delong(r1, r2, alternative, level, method) -> TestResult | None:
    """A NaN test with a note when a curve has fewer than 2 cases or 2 controls (no DeLong variance)."""
    small = [f"{name} has {r.n_cases} case(s) and {r.n_controls} control(s)" for name, r in (("roc1", r1), ("roc2", r2))
             if min(r.n_cases, r.n_controls) < 2]
    if not small:
        return None
    why = f"no DeLong test: the AUC variance needs at least 2 cases and 2 controls per curve, and {' and '.join(small)}"
    estimate = Estimate(r1.auc.value - r2.auc.value, math.nan, math.nan, level, method, "AUC difference", (why,))
    return TestResult(math.nan, math.nan, method, estimate, alternative=alternative, name="AUC1 - AUC2", notes=(why,))


def _delong_unpaired(r1, r2, alternative, level) -> TestResult:
    too_few = _too_few_for_delong(r1, r2, alternative, level, "DeLong (unpaired)")
    if too_few is not None:
        return too_few
    diff = r1.auc.value - r2.auc.value
    v1, v2 = delong_variance(r1.counts), delong_variance(r2.counts)
    n1, n2 = r1.n_cases + r1.n_controls, r2.n_cases + r2.n_controls
    if v1 + v2 <= 0:
        # both curves separate their cases and controls completely (AUC 0 or 1) or not at all
        stat = 0.0 if diff == 0 else float(np.sign(diff) * np.inf)
        why = ("both AUCs have DeLong variance 0 (each curve's cases and controls are completely separated, or "
               "all tied), so the difference has no estimated sampling error: the interval has width 0 and the "
               "statistic is " + ("0" if diff == 0 else "infinite")
               + "; with so few patients this is not to be trusted")
        estimate = Estimate(diff, diff, diff, level, "DeLong (unpaired)", "AUC difference", (why,))
        return TestResult(stat, _p_value(stat, alternative, stats.norm), "DeLong (unpaired)", estimate,
                          alternative=alternative, name="AUC1 - AUC2", notes=(why,))
    se = float(np.sqrt(v1 + v2))
    df = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
    stat = diff / se
    dist = stats.t(df)
    p = _p_value(stat, alternative, dist)
    estimate = _difference(diff, se, level, "DeLong (unpaired)", dist.ppf((1 + level) / 2))
    return TestResult(float(stat), p, "DeLong (unpaired)", estimate, df=float(df), alternative=alternative,
                      name="AUC1 - AUC2")


def _venkatraman_test(r1, r2, paired, level, n_perm, seeds, seed_text, progress) -> TestResult:
    n_perm = check_n_boot(n_perm, "n_boot")
    if paired:
        observed, replicates = paired_permutations(_patient_scores(r1), _patient_scores(r2), r1.reference, n_perm,
                                                   seeds, progress)
        auc_test = _delong_paired(r1, r2, "two-sided", level)
        label = f"Venkatraman & Begg (paired permutation; {n_perm} permutations, {seed_text})"
    else:
        observed, replicates = unpaired_permutations(_patient_scores(r1), r1.reference, _patient_scores(r2),
                                                     r2.reference, n_perm, seeds, progress)
        auc_test = _delong_unpaired(r1, r2, "two-sided", level)
        label = f"Venkatraman (unpaired permutation; {n_perm} permutations, {seed_text})"
    estimate = dataclasses.replace(auc_test.estimate,
                                   method=f"{auc_test.estimate.method} interval (Venkatraman gives none)")
    notes = ("tests whether the whole ROC curves coincide (not only their AUCs); the AUC difference and its "
             f"interval are {auc_test.method}'s",)
    return TestResult(observed, permutation_p_value(observed, replicates), label, estimate,
                      name="E (ROC curve 1 vs 2)", notes=notes)


def _patient_scores(r: ROCResult) -> np.ndarray:
    """The oriented scores (higher = diseased) in the patients' order."""
    scores = np.empty(len(r.reference))
    scores[r.reference] = r.cases
    scores[~r.reference] = r.controls
    return scores


def _auc_statistic(cases, controls):
    return auc_from_counts(cases, controls)


def _partial_statistic(specificity, sensitivity, correct):
    focus, (lo, hi) = _check_range(specificity, sensitivity)

    def statistic(cases, controls):
        x, y = _oriented_points(cases, controls, focus)
        a = partial_area(x, y, 1 - hi, 1 - lo)
        return mcclish(a, 1 - hi, 1 - lo) if correct else a

    return statistic


def _bootstrap_test(r1, r2, statistic, paired, alternative, level, n_boot, seeds, seed_text, progress,
                    name, stratified: bool = True) -> TestResult:
    n_boot = check_n_boot(n_boot)
    for r in (r1, r2):
        check_bootstrap_size(r.n_cases, r.n_controls)
    ids1 = ScoreIds(r1.counts, r1.cases, r1.controls)
    ids2 = ScoreIds(r2.counts, r2.cases, r2.controls)
    observed = float((statistic(np.atleast_2d(r1.counts.cases), np.atleast_2d(r1.counts.controls))
                      - statistic(np.atleast_2d(r2.counts.cases), np.atleast_2d(r2.counts.controls)))[0])
    width = ids1.k + ids2.k

    def replicates(ids, ci, ki):  # the AUC straight from the draws (same values, faster)
        return ids.auc(ci, ki) if statistic is _auc_statistic else statistic(*ids.counts(ci, ki))

    if not stratified:
        diffs = [_unstratified_differences(ids1, ids2, statistic, paired, seeds, n_boot, progress)]
    elif paired:  # the same patients resampled for both curves
        diffs = [replicates(ids1, ci, ki) - replicates(ids2, ci, ki)
                 for ci, ki in resample_chunks(seeds, r1.n_cases, r1.n_controls, n_boot, width, progress)]
    else:  # independent resamples: the two curves use the two children of the seed
        seeds1, seeds2 = seeds.spawn(2)
        first = np.concatenate([replicates(ids1, ci, ki) for ci, ki in
                                resample_chunks(seeds1, r1.n_cases, r1.n_controls, n_boot, ids1.k, progress)])
        second = np.concatenate([replicates(ids2, ci, ki) for ci, ki in
                                 resample_chunks(seeds2, r2.n_cases, r2.n_controls, n_boot, ids2.k, progress)])
        diffs = [first - second]
    diffs = np.concatenate(diffs)
    notes = undefined_replicates_note(diffs)   # unstratified replicates with one class
    sd = float(np.std(diffs[~np.isnan(diffs)], ddof=1))
    stat = observed / sd if sd > 0 else (0.0 if observed == 0 else np.sign(observed) * np.inf)
    kind = "paired" if paired else "unpaired"
    label = f"bootstrap ({kind}; {n_boot} {'stratified' if stratified else 'unstratified'} replicates, {seed_text})"
    lo, hi = percentile_interval(diffs, level)
    estimate = Estimate(observed, lo, hi, level, f"{label}, percentile", name, notes)
    return TestResult(float(stat), _p_value(stat, alternative, stats.norm), label, estimate,
                      alternative=alternative, name=name.replace("difference", "1 - 2"))


def _unstratified_differences(ids1, ids2, statistic, paired, seeds, n_boot, progress) -> np.ndarray:
    """Statistic 1 - statistic 2 over unstratified resamples (NaN where a replicate has one class only): the same
    draws for both curves if paired, else each curve's patients drawn by its own child of the seed."""
    def values(chunks):
        out = []
        for chunk in chunks:
            with np.errstate(invalid="ignore", divide="ignore"):
                out.append([undefined_where_one_class(statistic(c, k), c, k) for c, k in chunk])
        return [np.concatenate(v) for v in zip(*out)]

    if paired:
        first, second = values(unstratified_count_chunks(seeds, [ids1, ids2], n_boot, progress))
    else:
        seeds1, seeds2 = seeds.spawn(2)
        (first,), (second,) = (values(unstratified_count_chunks(s, [ids], n_boot, progress))
                               for s, ids in ((seeds1, ids1), (seeds2, ids2)))
    return first - second


@dataclass(frozen=True, repr=False)
class ROCComparisonTable(ResultTable):
    """All pairwise comparisons of several ROC curves, with Holm-adjusted p-values.

    ``tests`` holds one :class:`~diagstats.TestResult` per pair, in the order of ``pairs``.
    ``omnibus``: for three or more curves compared by DeLong's method, DeLong's (1988) chi-square
    test that all AUCs are equal (df k - 1; see :mod:`diagstats.roc_analysis.omnibus`); else None.
    """

    pairs: tuple[tuple[str, str], ...]
    tests: tuple[TestResult, ...]
    p_adjusted: tuple[float, ...]
    adjustment: str = "holm"
    omnibus: TestResult | None = None

    title = "Pairwise comparison of ROC curves"
    key_columns = ("curve1", "curve2")

    def to_frame(self) -> pd.DataFrame:
        """curve1, curve2, measure, value, lower, upper, level, method (of the interval), notes, then
        statistic, p_value, p_adjusted, test_method."""
        rows = []
        for (a, b), t, padj in zip(self.pairs, self.tests, self.p_adjusted):
            e = t.estimate
            rows.append({"curve1": a, "curve2": b, **e._row(), "statistic": t.statistic, "p_value": t.p_value,
                         "p_adjusted": padj, "test_method": t.method})
        return tidy(pd.DataFrame(rows), self.key_columns)

    def header_lines(self) -> list[str]:
        lines = [f"{len(self.tests)} pairs; p-values adjusted by {self.adjustment.capitalize()}'s method"]
        if self.omnibus is not None:
            lines.insert(0, f"Omnibus: {self.omnibus}")
        return lines

    def __repr__(self) -> str:
        return f"ROCComparisonTable(pairs={list(self.pairs)})"


def _compare_many(curves: list, *, seed, seeds: np.random.SeedSequence, **options) -> ROCComparisonTable:
    """All pairs; pair k (in the order of ``pairs``) draws from child k of ``seeds.spawn(n_pairs)``."""
    if len(curves) < 2:
        raise DataError(f"compare_roc needs at least two curves; got {len(curves)}.")
    names = [c.score_name or f"curve {i + 1}" for i, c in enumerate(curves)]
    if len(set(names)) < len(names):
        names = [f"{n} ({i + 1})" for i, n in enumerate(names)]
    index_pairs = list(combinations(range(len(curves)), 2))
    streams = seeds.spawn(len(index_pairs))
    root = seed_label(seed, seeds)
    pairs, tests = [], []
    for k, ((i, j), stream) in enumerate(zip(index_pairs, streams)):
        pairs.append((names[i], names[j]))
        label = f"{root}, pair stream {k + 1} of {len(index_pairs)}"
        tests.append(_compare_pair(curves[i], curves[j], seeds=stream, seed_text=label, **options))
    p_adj = adjust_p([t.p_value for t in tests], "holm")
    omnibus = None
    if len(curves) >= 3 and options["method"] == "delong" and not _partial(options):
        omnibus = _omnibus(curves, options["paired"])
    return ROCComparisonTable(tuple(pairs), tuple(tests), tuple(float(p) for p in p_adj), omnibus=omnibus)


def _partial(options) -> bool:
    return options["specificity"] is not None or options["sensitivity"] is not None


def _omnibus(curves: list, paired: bool | None) -> TestResult:
    """DeLong's chi-square test of equal AUCs: paired on the patients every curve shares, or unpaired."""
    common = _shared_by_all(curves)
    if paired is None:
        paired = common is not None
    elif paired and common is None:
        raise DataError("paired=True, but the curves are not all from the same patients (different patients, "
                        "or a different reference standard for the same patients). Use paired=False.")
    if not paired:
        return equal_auc_test(curves, paired=False)
    n_common = len(common[0])
    if any(len(k) < len(r.reference) for k, r in zip(common, curves)):
        result = equal_auc_test([_restrict(r, k) for r, k in zip(curves, common)], paired=True)
        note = (f"paired on the {n_common} patients with every score; the AUCs tested are those of these common "
                "patients",)
        return dataclasses.replace(result, notes=result.notes + note)
    return equal_auc_test(curves, paired=True)


def _shared_by_all(curves: list):
    """Positions, in each curve, of the patients all curves share (in the first curve's order), or None."""
    matches = [_common_patients(curves[0], r) for r in curves[1:]]
    if any(m is None for m in matches):
        return None
    keep = matches[0][0]
    for first, _ in matches[1:]:
        keep = np.intersect1d(keep, first)
    if len(keep) == 0:
        return None
    return [keep] + [other[np.isin(first, keep)] for first, other in matches]
