"""The ROC curve of a continuous or ordinal test: ``ds.roc`` and :class:`ROCResult`.

>>> import diagstats as ds
>>> res = ds.roc([0, 0, 1, 0, 1, 1], [0.1, 0.4, 0.35, 0.2, 0.8, 0.9])
>>> print(res.auc)
AUC 0.889 (95% CI 0.581 to 1.000, DeLong) [interval truncated to [0, 1]]
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._core.auc import auc_from_counts
from .._core.bootstrap import outside_interval_note, percentile_interval, undefined_replicates_note
from .._input import (MIN_PER_CLASS, _is_numeric, _show, as_1d, as_binary, as_numeric, as_seed_sequence,
                      check_bootstrap_size, check_dataframe, check_flag, check_level, check_n_boot, check_nan_policy,
                      check_option, check_probability, check_same_length, column, complete_cases, seed_label)
from ..errors import DataError, OptionError
from ..results import Estimate, ResultTable, estimates_frame
from ._counts import RocCounts, count_by_value
from .bootstrap import ScoreIds, bootstrap, bootstrap_counts, check_stratified
from .ci import (BOOT_TYPES, CI_METHODS, METHOD_LABELS, bootstrap_auc_interval, bootstrap_auc_replicates,
                 hanley_mcneil_variance, normal_interval)
from .coords import local_maxima, sensitivity_at_specificity, specificity_at_sensitivity, within_range
from .cutpoints import CutpointResult, best_rows, check_criterion, criterion, weighting_note
from .clustered_auc import CLUSTERED_AUC_METHOD, clustered_auc_covariance, logit_interval, unit_placements
from .delong import delong_variance
from .partial import chance_area, mcclish, partial_area
from .weighted import WeightedScoreIds, check_weights, refused

DIRECTIONS = ("higher", "lower")


@dataclass(frozen=True, repr=False, eq=False)
class ROCResult(ResultTable):
    """An empirical ROC curve with its AUC (DeLong interval) and the verbs that read it.

    Attributes
    ----------
    auc : Estimate
        Area under the curve (Mann-Whitney; ties count half) with its DeLong interval.
    curve : DataFrame
        threshold, sensitivity, specificity, tp, fp, fn, tn at every distinct threshold.
    direction : {"higher", "lower"}
        "higher": score >= threshold is positive; "lower": score <= threshold is positive.
    n_cases, n_controls : int
        Diseased and non-diseased patients.
    level : float
        Confidence level of ``auc``.
    score_name, reference_name : str or None
        Column names when built from a DataFrame.
    positive : object
        The reference label taken as diseased.
    n_omitted : int
        Patients dropped for a missing score or reference (``nan_policy="omit"``).
    patients : ndarray or None
        Who the analysed patients are, in the order of ``reference``: the DataFrame's index labels
        (``data=``) or the row positions in the arrays given. ``compare_roc`` uses them to recognise
        curves of the same patients even when different rows were omitted.
    n_rows : int or None
        Rows given before any omission.
    notes : tuple of str

    Methods
    -------
    auc_ci(method, ...), auc_variance(method), confidence_interval(level, method),
    partial_auc(specificity=|sensitivity=, correct), sensitivity_at(specificity),
    specificity_at(sensitivity), threshold(method, ...), local_maxima(), grey_zone(sensitivity, specificity),
    at_threshold(t), smooth(method), plot(ax),
    to_frame(), to_dict(), to_html()
    """

    counts: RocCounts
    cases: np.ndarray
    controls: np.ndarray
    reference: np.ndarray
    direction: str
    auc: Estimate
    level: float = 0.95
    score_name: str | None = None
    reference_name: str | None = None
    positive: Any = 1
    n_omitted: int = 0
    patients: np.ndarray | None = None
    n_rows: int | None = None
    notes: tuple[str, ...] = field(default=())

    dict_exclude = ("counts", "cases", "controls", "reference", "patients")
    dict_include = ("n_cases", "n_controls")

    # ----------------------------------------------------------------- description
    @property
    def _weighted(self) -> bool:
        """Whether the patients carry case weights (a :class:`WeightedROCResult`)."""
        return getattr(self, "case_weights", None) is not None

    @property
    def n_cases(self) -> int:
        return self.counts.m

    @property
    def n_controls(self) -> int:
        return self.counts.n

    @property
    def title(self) -> str:  # type: ignore[override]
        what = self.score_name or "score"
        ref = f" against {self.reference_name}" if self.reference_name else ""
        return f"ROC analysis of {what}{ref}"

    def header_lines(self) -> list[str]:
        rule = "higher" if self.direction == "higher" else "lower"
        lines = [f"n = {self.n_cases + self.n_controls}: {self.n_cases} diseased, {self.n_controls} not diseased; "
                 f"{rule} score = more likely diseased"]
        if self.n_omitted:
            lines.append(f"{self.n_omitted} patients omitted for missing values")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """One row: the AUC with its interval (measure, value, lower, upper, level, method, notes)."""
        return estimates_frame([self.auc])

    def __repr__(self) -> str:
        return (f"ROCResult(auc={self.auc.value:.4f}, n_cases={self.n_cases}, n_controls={self.n_controls}, "
                f"direction={self.direction!r})")

    def _original(self, oriented: np.ndarray) -> np.ndarray:
        return oriented if self.direction == "higher" else -oriented

    @property
    def curve(self) -> pd.DataFrame:
        """Every distinct threshold, loosest first: threshold, sensitivity, specificity, tp, fp, fn, tn.

        The last row is the threshold +inf ("higher") or -inf ("lower"): nobody positive.
        """
        tp, fp = self._positives()
        m, n = self._totals()
        thresholds = self._original(np.append(self.counts.values, np.inf))
        return pd.DataFrame({"threshold": thresholds, "sensitivity": tp / m, "specificity": (n - fp) / n,
                             "tp": tp, "fp": fp, "fn": m - tp, "tn": n - fp})

    def _positives(self) -> tuple[np.ndarray, np.ndarray]:
        """tp and fp at every threshold (distinct values ascending, then +inf)."""
        tp = np.append(np.cumsum(self.counts.cases[::-1])[::-1], 0)
        fp = np.append(np.cumsum(self.counts.controls[::-1])[::-1], 0)
        return tp, fp

    def _totals(self):
        """Cases and controls in all (patients, or their summed weights for a weighted curve)."""
        return self.counts.cases.sum(), self.counts.controls.sum()

    def _midpoints(self) -> np.ndarray:
        """pROC's thresholds: halfway between consecutive distinct scores (-inf and +inf at the ends)."""
        v = self.counts.values
        oriented = np.concatenate([[-np.inf], (v[1:] + v[:-1]) / 2, [np.inf]])
        return self._original(oriented)

    # ----------------------------------------------------------------- AUC intervals
    def auc_variance(self, method: str = "delong", *, n_boot: int = 2000, seed=0, progress: bool = True,
                     specificity: tuple[float, float] | None = None, sensitivity: tuple[float, float] | None = None,
                     correct: bool = False, stratified: bool = True) -> float:
        """Variance of the AUC: "delong", "hanley_mcneil", "bootstrap" (variance of replicates) or
        "obuchowski" (binormal, Obuchowski & McClish 1997; see
        :mod:`diagstats.roc_analysis.obuchowski_variance`); pROC ``var(roc, method=)``.

        ``stratified=False`` (with ``method="bootstrap"`` only; refused otherwise): bootstrap replicates draw
        patients from all of them, not cases and controls separately (pROC ``boot.stratified = FALSE``);
        replicates with one class only are left out.

        ``specificity=`` / ``sensitivity=`` (and ``correct``, as in :meth:`partial_auc`) give the
        variance of a partial AUC, by the bootstrap or Obuchowski's binormal formula for a partial
        area (see docs/differences_from_r.md for pROC's Obuchowski variance of a partial AUC).

        >>> import diagstats as ds
        >>> res = ds.roc([0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0], [1, 5, 3, 4, 2, 6, 2, 5, 3, 7, 4, 1])
        >>> round(res.auc_variance("obuchowski"), 6)
        0.022747
        >>> round(res.auc_variance("obuchowski", specificity=(0.8, 1)), 6)
        0.003128
        """
        method = check_option(method, "method", CI_METHODS + ("obuchowski",))
        stratified = check_stratified(stratified, method)
        area = _partial_range(method, specificity, sensitivity, correct)
        if method == "obuchowski":
            from .obuchowski_variance import obuchowski_variance

            return obuchowski_variance(self, area)
        if area is not None:
            reps = self._bootstrap(_area_function(*area), check_n_boot(n_boot), as_seed_sequence(seed), progress,
                                   stratified=stratified)
        elif method == "delong":
            return delong_variance(self.counts)
        elif method == "hanley_mcneil":
            return hanley_mcneil_variance(self.counts)
        else:
            reps = bootstrap_auc_replicates(self.counts, self.cases, self.controls, n_boot=n_boot, seed=seed,
                                            progress=progress, stratified=stratified)
        return float(np.var(reps[~np.isnan(reps)], ddof=1))

    def auc_covariance(self, other: ROCResult, method: str = "delong", *, n_boot: int = 2000, seed=0,
                       progress: bool = True, specificity: tuple[float, float] | None = None,
                       sensitivity: tuple[float, float] | None = None, correct: bool = False,
                       stratified: bool = True) -> float:
        """Covariance of this curve's AUC with ``other``'s (the same patients): "delong", "bootstrap" or
        "obuchowski" (binormal; Obuchowski & McClish 1997); of partial AUCs (``specificity=`` /
        ``sensitivity=``, ``correct``) by the bootstrap or Obuchowski's formula.

        DeLong (1988) from the placements, or the covariance of the two AUCs over ``n_boot`` paired
        stratified (``stratified=False``: unstratified, leaving out replicates with one class) resamples
        (same seed, same value); pROC ``cov(roc1, roc2, method=)``. See
        :mod:`diagstats.roc_analysis.covariance`. Needs at least 2 cases and 2 controls.

        >>> import diagstats as ds
        >>> y = [0, 0, 1, 0, 1, 1, 0, 1]
        >>> r1, r2 = ds.roc(y, [1, 2, 3, 4, 5, 6, 2, 5]), ds.roc(y, [2, 1, 4, 3, 6, 5, 1, 3])
        >>> round(r1.auc_covariance(r2), 6)
        0.001302
        """
        from .covariance import COVARIANCE_METHODS, auc_covariance

        method = check_option(method, "method", COVARIANCE_METHODS)
        area = _partial_range(method, specificity, sensitivity, correct)
        return auc_covariance(self, other, method, n_boot=n_boot, seed=seed, progress=progress, area=area,
                              statistic=None if area is None else _area_function(*area),
                              stratified=check_stratified(stratified, method))

    def auc_ci(self, method: str = "delong", *, level: float | None = None, n_boot: int = 2000,
               boot_type: str = "percentile", seed=0, progress: bool = True, stratified: bool = True) -> Estimate:
        """The AUC with an interval by ``method``.

        Parameters
        ----------
        method : {"delong", "bootstrap", "hanley_mcneil"}, default "delong"
        level : float, optional
            Defaults to the result's level.
        n_boot : int, default 2000
            Bootstrap replicates (stratified: cases and controls resampled separately).
        boot_type : {"percentile", "bca"}, default "percentile"
        seed : int, SeedSequence or Generator, default 0
            Same seed, same interval (``seed=None`` draws fresh entropy and names it).
        progress : bool, default True
            Show a progress bar for the bootstrap.
        stratified : bool, default True
            False (with ``method="bootstrap"`` only; refused otherwise): each replicate draws its patients
            from all of them, so the numbers of cases and controls vary (pROC ``boot.stratified = FALSE``);
            a replicate with no case or no control has no AUC and is left out, with a note saying how many
            (pROC ignores them too, with a warning).

        Examples
        --------
        >>> import diagstats as ds
        >>> res = ds.roc([0, 0, 1, 0, 1, 1, 0, 1], [1, 2, 3, 4, 5, 6, 2, 5])
        >>> print(res.auc_ci("hanley_mcneil"))
        AUC 0.938 (95% CI 0.745 to 1.000, Hanley-McNeil) [interval truncated to [0, 1]]
        >>> res.auc_ci("bootstrap", stratified=False, n_boot=500, progress=False).notes
        ('6 of 500 bootstrap replicates undefined (NaN) and left out of the interval',)
        """
        method = check_option(method, "method", CI_METHODS)
        level = self.level if level is None else check_level(level)
        boot_type = check_option(boot_type, "boot_type", BOOT_TYPES)   # checked whichever the method, like n_boot
        n_boot = check_n_boot(n_boot)
        stratified = check_stratified(stratified, method)
        if method == "bootstrap":
            seeds = as_seed_sequence(seed)
            reps = bootstrap_auc_replicates(self.counts, self.cases, self.controls, n_boot=n_boot, seed=seeds,
                                            progress=progress, stratified=stratified)
            return bootstrap_auc_interval(self.counts, reps, level, boot_type, n_boot, seed_label(seed, seeds),
                                          stratified)
        variance = self.auc_variance(method)
        return normal_interval(self.counts.auc(), variance, level, METHOD_LABELS[method])

    def confidence_interval(self, level: float = 0.95, method: str | None = None, **options) -> ROCResult:
        """The same curve with the AUC interval at another level or by another method.

        ``options`` are passed to :meth:`auc_ci` (``n_boot``, ``boot_type``, ``seed``, ``progress``).
        """
        level = check_level(level)
        auc = self.auc_ci(method or "delong", level=level, **options)
        return dataclasses.replace(self, auc=auc, level=level)

    # ----------------------------------------------------------------- partial AUC
    def partial_auc(self, *, specificity: tuple[float, float] | None = None,
                    sensitivity: tuple[float, float] | None = None, correct: bool = False, ci: bool = False,
                    level: float | None = None, n_boot: int = 2000, seed=0, progress: bool = True) -> Estimate:
        """Partial area over a specificity range or a sensitivity range, optionally McClish-corrected.

        Parameters
        ----------
        specificity, sensitivity : (low, high)
            The range, within [0, 1]; give exactly one.
        correct : bool, default False
            McClish (1989) standardisation: 0.5 for a useless test, 1 for a perfect one.
        ci : bool, default False
            Add a stratified bootstrap percentile interval (``n_boot``, ``seed``, ``level``).

        Notes
        -----
        Agrees with pROC 1.18 ``auc(partial.auc=c(high, low), partial.auc.focus=...,
        partial.auc.correct=...)`` to 1e-6 on the committed fixtures.

        Examples
        --------
        >>> import diagstats as ds
        >>> res = ds.roc([0, 0, 1, 0, 1, 1, 0, 1], [1, 2, 3, 4, 5, 6, 2, 5])
        >>> round(res.partial_auc(specificity=(0.8, 1.0)).value, 4)
        0.15
        """
        focus, (lo, hi) = _check_range(specificity, sensitivity)
        correct, ci = check_flag(correct, "correct"), check_flag(ci, "ci")
        n_boot = check_n_boot(n_boot)   # checked with or without ci, like auc_ci's
        x_lo, x_hi = 1 - hi, 1 - lo
        area = _area_function(focus, lo, hi, correct)
        value = float(area(self.counts.cases, self.counts.controls))
        name = f"partial AUC ({focus} {lo:g} to {hi:g}{', McClish' if correct else ''})"
        notes = ()
        if value < (0.5 if correct else chance_area(x_lo, x_hi)):
            notes = ("below the chance diagonal over this range",)
        if not ci:
            return Estimate(value, np.nan, np.nan, self.level, "", name, notes)
        level = self.level if level is None else check_level(level)
        seeds = as_seed_sequence(seed)
        reps = self._bootstrap(lambda c, k: area(c, k), n_boot, seeds, progress, instead="ci=False")
        lo_ci, hi_ci = percentile_interval(reps, level)
        return Estimate(value, lo_ci, hi_ci, level, _boot_label(n_boot, seed_label(seed, seeds), self._weighted),
                        name, notes + undefined_replicates_note(reps))

    # ----------------------------------------------------------------- operating points
    def sensitivity_at(self, specificity: float, *, level: float | None = None, n_boot: int | None = 2000,
                       seed=0, progress: bool = True) -> Estimate:
        """Sensitivity at a given specificity, with a stratified bootstrap percentile interval.

        ``n_boot=None`` skips the interval.

        >>> import diagstats as ds
        >>> res = ds.roc([0, 0, 1, 0, 1, 1], [1, 2, 3, 4, 5, 6])
        >>> round(res.sensitivity_at(5 / 6, n_boot=None).value, 4)
        0.6667
        """
        if np.ndim(specificity) and _is_numeric(specificity):
            raise OptionError(f"specificity={_show(specificity)} must be a single number; for the interval of "
                              "sensitivity at several specificities use sensitivity_band(specificity).")
        specificity = check_probability(specificity, "specificity", scalar=True)
        return self._operating(lambda c, k: sensitivity_at_specificity(c, k, specificity),
                               f"sensitivity at specificity {specificity:g}", level, n_boot, seed, progress)

    def specificity_at(self, sensitivity: float, *, level: float | None = None, n_boot: int | None = 2000,
                       seed=0, progress: bool = True) -> Estimate:
        """Specificity at a given sensitivity, with a stratified bootstrap percentile interval."""
        sensitivity = check_probability(sensitivity, "sensitivity", scalar=True)
        return self._operating(lambda c, k: specificity_at_sensitivity(c, k, sensitivity),
                               f"specificity at sensitivity {sensitivity:g}", level, n_boot, seed, progress)

    def sensitivity_band(self, specificity, *, level: float | None = None, n_boot: int = 500, seed=0,
                         progress: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Pointwise stratified-bootstrap percentile band of sensitivity at each of ``specificity``
        (pROC's ``ci.se`` shape): the ``(lower, upper)`` arrays that ``plot(ci=True)`` shades.

        >>> import diagstats as ds
        >>> res = ds.roc([0, 0, 1, 0, 1, 1, 0, 1], [1, 2, 3, 4, 5, 6, 2, 5])
        >>> lower, upper = res.sensitivity_band([0.5, 1.0], n_boot=100)
        >>> bool((lower <= upper).all())
        True
        """
        spec = np.atleast_1d(check_probability(specificity, "specificity"))
        level = self.level if level is None else check_level(level)
        reps = self._bootstrap(lambda c, k: np.column_stack([sensitivity_at_specificity(c, k, s) for s in spec]),
                               n_boot, seed, progress)
        lower, upper = percentile_interval(reps, level)
        return np.atleast_1d(lower), np.atleast_1d(upper)

    def _operating(self, fn, name, level, n_boot, seed, progress) -> Estimate:
        value = float(fn(self.counts.cases, self.counts.controls))
        if check_n_boot(n_boot, allow_none=True) is None:
            return Estimate(value, np.nan, np.nan, self.level, "", name)
        level = self.level if level is None else check_level(level)
        seeds = as_seed_sequence(seed)
        reps = self._bootstrap(fn, n_boot, seeds, progress, instead="n_boot=None")
        lo, hi = percentile_interval(reps, level)
        return Estimate(value, lo, hi, level, _boot_label(n_boot, seed_label(seed, seeds), self._weighted),
                        name, undefined_replicates_note(reps))

    def _bootstrap(self, statistic, n_boot, seed, progress, instead: str = "", stratified: bool = True) -> np.ndarray:
        """Replicates of ``statistic(case_counts, control_counts)`` over (chunk, k) count matrices.

        ``instead`` is the argument of the calling method that skips the interval (``"n_boot=None"``,
        ``"ci=False"``), named in the message when there are too few patients to bootstrap.
        ``stratified=False``: unstratified resamples (NaN where a replicate has one class only).
        """
        ids = ScoreIds(self.counts, self.cases, self.controls)
        return bootstrap_counts(statistic, ids, self.n_cases, self.n_controls, n_boot=n_boot, seed=seed,
                                progress=progress, stratified=stratified, instead=instead)

    def at_threshold(self, threshold: float, *, level: float | None = None, ci_method: str = "wilson"):
        """The full 2x2 accuracy (an :class:`~diagstats.AccuracyResult`) at one cutpoint.

        Positive means score >= threshold (direction "higher") or score <= threshold ("lower").

        >>> import diagstats as ds
        >>> acc = ds.roc([0, 0, 1, 0, 1, 1], [1, 2, 3, 4, 5, 6]).at_threshold(3)
        >>> acc.tp, acc.fp, acc.fn, acc.tn
        (3, 1, 0, 2)
        """
        from ..binary.two_by_two import accuracy

        if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.integer, np.floating)) \
                or np.isnan(threshold):
            raise OptionError(f"threshold={threshold!r} must be a number on the score's scale.")
        oriented = threshold if self.direction == "higher" else -threshold
        start = np.searchsorted(self.counts.values, oriented, side="left")
        tp, fp = int(self.counts.cases[start:].sum()), int(self.counts.controls[start:].sum())
        return accuracy(tp=tp, fp=fp, fn=self.n_cases - tp, tn=self.n_controls - fp,
                        level=self.level if level is None else level, ci_method=ci_method)

    # ----------------------------------------------------------------- cutpoints
    def local_maxima(self, *, specificity_range: tuple[float, float] | None = None,
                     sensitivity_range: tuple[float, float] | None = None) -> pd.DataFrame:
        """The thresholds at the corners of the empirical curve, loosest first (pROC ``coords(r, "local maximas")``).

        A corner is an operating point that no neighbouring threshold improves in one measure
        without worsening the other (the upper-left angles of the step curve); every other
        threshold is dominated by a corner. ``specificity_range`` or ``sensitivity_range``
        ``(low, high)`` keeps only the corners within that partial-AUC range, bounds included, as
        pROC does for a curve built with ``partial.auc``. Columns as in :attr:`curve`, plus
        ``midpoint`` (pROC's threshold). Agrees with pROC 1.18 on the committed fixtures.

        >>> import diagstats as ds
        >>> res = ds.roc([0, 0, 1, 0, 1, 1], [1, 2, 3, 4, 5, 6])
        >>> res.local_maxima()[["threshold", "sensitivity", "specificity"]].to_numpy().tolist()
        [[3.0, 1.0, 0.6666666666666666], [5.0, 0.6666666666666666, 1.0]]
        """
        restriction = _restriction(specificity_range, sensitivity_range, "local_maxima")
        tp, fp = self._positives()
        curve = self.curve
        curve.insert(1, "midpoint", self._midpoints())
        rows = local_maxima(tp, fp)
        rows = rows[within_range(curve["sensitivity"].to_numpy()[rows], curve["specificity"].to_numpy()[rows],
                                 restriction)]
        return curve.iloc[rows].reset_index(drop=True)

    def threshold(self, method: str = "youden", *, value: float | None = None, cost_ratio: float | None = None,
                  prevalence: float | None = None, specificity_range: tuple[float, float] | None = None,
                  sensitivity_range: tuple[float, float] | None = None, n_boot: int | None = None,
                  level: float | None = None, seed=0, progress: bool = True) -> CutpointResult:
        """The optimal cutpoint by ``method`` (see :mod:`diagstats.roc_analysis.cutpoints`); ties are all reported.

        Parameters
        ----------
        method : {"youden", "closest_topleft", "min_sensitivity", "min_specificity", "cost"}
        value : float
            The least acceptable sensitivity / specificity for "min_sensitivity" / "min_specificity".
        cost_ratio : float
            For "cost": cost of a false negative relative to a false positive. Also weighs Youden and
            closest-top-left (default 1; pROC ``best.weights[1]``; Perkins & Schisterman 2006, see
            :mod:`diagstats.roc_analysis.cutpoints`).
        prevalence : float, optional
            For "cost", "youden" and "closest_topleft": the prevalence where the test will be used
            (default: the sample's; pROC ``best.weights[2]``, whose default ``c(1, 0.5)`` is the
            unweighted criterion: give neither here).
        specificity_range, sensitivity_range : (low, high), optional
            Choose only among thresholds whose specificity (or sensitivity) lies in this partial-AUC
            range, bounds included (pROC ``coords(roc(..., partial.auc=c(high, low),
            partial.auc.focus=...), "best")``). In bootstrap replicates with no threshold in the
            range the replicate is undefined.
        n_boot : int, optional
            Add bootstrap percentile intervals (and, for Youden, the optimism-corrected index).

        Notes
        -----
        The reported ``threshold`` is an observed score (rule score >= threshold). pROC reports the
        midpoint to the next lower score instead; it is in ``candidates["midpoint"]``. Youden and
        closest-top-left agree with pROC 1.18 ``coords(r, "best", best.method=...)`` to 1e-6, also within
        a partial-AUC range and weighted (``best.weights=c(cost_ratio, prevalence)``).
        """
        method = check_criterion(method, value, cost_ratio, prevalence)
        restriction = _restriction(specificity_range, sensitivity_range, "threshold")
        m, n = self._totals()
        tp, fp = self._positives()
        options = dict(value=value, cost_ratio=cost_ratio, prevalence=prevalence)
        score, exact = _restricted(criterion(method, tp, n - fp, m, n, **options), tp / m, (n - fp) / n, restriction)
        if not np.isfinite(score).any():
            focus, low, high = restriction
            raise DataError(f"No threshold of this curve has a {focus} within {focus}_range=({low:g}, {high:g}); "
                            f"widen the range (the curve's {focus} values are in .curve).")
        rows = best_rows(score, exact)
        thresholds = self._original(np.append(self.counts.values, np.inf))
        candidates = pd.DataFrame({"threshold": thresholds[rows], "midpoint": self._midpoints()[rows],
                                   "sensitivity": tp[rows] / m, "specificity": (n - fp[rows]) / n,
                                   "tp": tp[rows], "fp": fp[rows], "fn": m - tp[rows], "tn": n - fp[rows]})
        first = candidates.iloc[0]
        notes = (f"{len(rows)} thresholds are equally good; all are in .candidates",) if len(rows) > 1 else ()
        if method != "cost":
            notes += weighting_note(m, n, cost_ratio, prevalence)
        if restriction is not None:
            notes += (f"chosen among the thresholds with {restriction[0]} from {restriction[1]:g} to "
                      f"{restriction[2]:g}",)
        intervals: tuple[Estimate, ...] = ()
        if check_n_boot(n_boot, allow_none=True) is not None:
            level = self.level if level is None else check_level(level)
            intervals = self._cutpoint_bootstrap(method, options, restriction, thresholds, tp / m, (n - fp) / n,
                                                 first, level, n_boot, seed, progress)
        return CutpointResult(method=method, threshold=float(first["threshold"]),
                              sensitivity=float(first["sensitivity"]), specificity=float(first["specificity"]),
                              candidates=candidates, intervals=intervals, direction=self.direction, notes=notes)

    def _cutpoint_bootstrap(self, method, options, restriction, thresholds, sens, spec, first, level, n_boot, seed,
                            progress) -> tuple[Estimate, ...]:
        m, n = self.n_cases, self.n_controls

        def statistic(cases, controls):
            tp = np.concatenate([np.cumsum(cases[:, ::-1], axis=1)[:, ::-1], np.zeros((len(cases), 1))], axis=1)
            fp = np.concatenate([np.cumsum(controls[:, ::-1], axis=1)[:, ::-1], np.zeros((len(cases), 1))],
                                axis=1)
            score, _ = _restricted(criterion(method, tp, n - fp, m, n, **options), tp / m, (n - fp) / n,
                                   restriction)
            j = np.argmax(score, axis=1)
            rows = np.arange(len(j))
            boot_sens, boot_spec = tp[rows, j] / m, (n - fp[rows, j]) / n
            optimism = (boot_sens + boot_spec) - (sens[j] + spec[j])
            out = np.column_stack([thresholds[j], boot_sens, boot_spec, optimism])
            out[~np.isfinite(score[rows, j])] = np.nan  # no threshold within the range in this replicate
            return out

        reps = self._bootstrap(statistic, n_boot, seed, progress, instead="n_boot=None")
        label = _boot_label(n_boot, seed, self._weighted)
        out = [Estimate(float(first[name]), *percentile_interval(reps[:, i], level), level, label, name,
                        undefined_replicates_note(reps[:, i]))
               for i, name in enumerate(("threshold", "sensitivity", "specificity"))]
        if method == "youden":
            apparent = float(first["sensitivity"] + first["specificity"] - 1)
            optimism = reps[:, 3][~np.isnan(reps[:, 3])]
            corrected = apparent - float(np.mean(optimism)) if len(optimism) else np.nan
            out.append(Estimate(corrected, np.nan, np.nan, level, f"optimism-corrected ({label})",
                                "youden (optimism-corrected)", (f"apparent youden {apparent:.4f}",)))
        return tuple(out)

    def grey_zone(self, sensitivity: float | None = None, specificity: float | None = None, *,
                  cutoffs: tuple[float, float] | None = None, n_boot: int | None = 2000, level: float | None = None,
                  seed=0, progress: bool = True):
        """Two cut-offs and the grey zone between them (Coste & Pouchot 2003); see :mod:`.grey_zone`.

        Parameters
        ----------
        sensitivity, specificity : float, default 0.9
            Targets: the rule-out cut-off is the highest threshold with at least this sensitivity, the
            rule-in cut-off the lowest with at least this specificity.
        cutoffs : (low, high), optional
            Evaluate these two cut-offs instead (no targets then).
        n_boot : int or None, default 2000
            Stratified bootstrap percentile intervals (cut-offs re-chosen per replicate); None skips them.

        Returns a :class:`~diagstats.roc_analysis.grey_zone.GreyZoneResult`: the cut-offs, the share of
        patients in the zone and the accuracy of the test outside it, with ``counts``.

        >>> import diagstats as ds
        >>> res = ds.roc([0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        >>> zone = res.grey_zone(0.9, 0.9, n_boot=None)
        >>> round(zone["patients in the grey zone"].value, 4), zone["accuracy outside the grey zone"].value
        (0.4167, 1.0)
        """
        from .grey_zone import grey_zone

        return grey_zone(self, sensitivity, specificity, cutoffs=cutoffs, n_boot=n_boot, level=level, seed=seed,
                         progress=progress)

    # ----------------------------------------------------------------- smoothing and figures
    def smooth(self, method: str = "binormal", *, fit: str = "ml", bins: int | None = None, n: int | None = None,
               bandwidth: str | float = "nrd0"):
        """A smoothed ROC curve.

        Parameters
        ----------
        method : {"binormal", "density", "fitdistr"}
            "binormal": the binormal model, by maximum likelihood on ordinal ratings (``fit="ml"``,
            Dorfman & Alf 1969; see :mod:`.smooth`) or by pROC's least squares on the normal deviates of
            the empirical points (``fit="least_squares"``). "density": kernel densities of cases and
            controls; "fitdistr": normal fits by maximum likelihood (both as pROC; see :mod:`.smoothing`).
        fit : {"ml", "least_squares"}
            For "binormal" only.
        bins : int, optional
            For the maximum-likelihood fit: group a continuous score into this many quantile categories.
        n : int, default 512
            For the pROC smoothers: number of points on the smoothed curve.
        bandwidth : {"nrd0", "nrd"} or float
            For "density": the rule (Silverman's "nrd0", pROC's default) or the bandwidth itself.

        Returns a :class:`~diagstats.roc_analysis.smooth.BinormalResult` (maximum likelihood) or a
        :class:`~diagstats.roc_analysis.smoothing.SmoothROCResult`.

        >>> import diagstats as ds
        >>> res = ds.roc([0] * 10 + [1] * 10, list(range(1, 11)) + list(range(3, 13)))
        >>> round(res.smooth("binormal", fit="least_squares").auc.value, 4)   # pROC auc(smooth(r)): 0.6660144
        0.666
        """
        method = check_option(method, "method", ("binormal", "density", "fitdistr"))
        fit = check_option(fit, "fit", ("ml", "least_squares"))
        if method != "binormal" and fit != "ml":
            raise OptionError(f"fit= chooses how the binormal model is fitted; method={method!r} takes no fit=.")
        if method == "binormal" and fit == "ml":
            if n is not None or not (isinstance(bandwidth, str) and bandwidth == "nrd0"):
                raise OptionError("n= and bandwidth= are for the smoothers on a grid (fit='least_squares', "
                                  "method='density' or 'fitdistr'), not the maximum-likelihood binormal fit.")
            from .smooth import binormal

            return binormal(self, bins)
        if bins is not None:
            raise OptionError("bins= groups the score for the maximum-likelihood binormal fit (fit='ml') only.")
        from .smoothing import smooth_on_grid

        return smooth_on_grid(self, method, n=512 if n is None else n, bandwidth_rule=bandwidth)

    def plot(self, ax=None, *, ci: bool = True, cutpoint: str | None = "youden", n_boot: int = 500, seed=0,
             **plot_kwargs):
        """The ROC curve, chance line, a cutpoint and a bootstrap band of sensitivity; returns the Axes."""
        from ..plot.roc import plot_curve

        if check_flag(ci, "ci"):
            check_bootstrap_size(self.n_cases, self.n_controls, instead="plot(ci=False)")
        return plot_curve(self, ax=ax, ci=ci, cutpoint=cutpoint, n_boot=n_boot, seed=seed, **plot_kwargs)


@dataclass(frozen=True, repr=False, eq=False)
class ClusteredROCResult(ROCResult):
    """An empirical ROC curve of units (lesions, vertebrae, arteries) clustered in patients.

    A :class:`ROCResult` of the units whose AUC interval is Obuchowski's (1997) clustered one, on
    the logit scale (``method="obuchowski"``, the only AUC interval method here). Intervals that
    would bootstrap units (``sensitivity_at``, ``specificity_at``, ``threshold``, ``partial_auc``
    with an interval, the plot's band) are refused: they would treat the units as independent.

    Attributes
    ----------
    cluster : str or None
        The cluster (patient id) column, when given by name.
    n_clusters : int
        Number of clusters (patients).
    clusters : ndarray
        Cluster code of every analysed unit, in the order of ``reference``.
    """

    cluster: str | None = None
    n_clusters: int = 0
    clusters: np.ndarray | None = None

    dict_exclude = ("counts", "cases", "controls", "reference", "patients", "clusters")
    dict_include = ("n_cases", "n_controls", "n_clusters", "cluster")

    @property
    def title(self) -> str:  # type: ignore[override]
        return super().title + " (units clustered in patients)"

    def header_lines(self) -> list[str]:
        lines = super().header_lines()
        lines[0] = f"{self.n_clusters} clusters; " + lines[0].replace("n = ", "units: n = ", 1)
        return lines

    def __repr__(self) -> str:
        return (f"ClusteredROCResult(auc={self.auc.value:.4f}, n_cases={self.n_cases}, "
                f"n_controls={self.n_controls}, n_clusters={self.n_clusters}, level={self.level})")

    def placements(self) -> tuple[np.ndarray, np.ndarray]:
        """DeLong placements of the diseased and of the non-diseased units, in the units' order."""
        return unit_placements(self.cases, self.controls, self.counts.case_placements(),
                               self.counts.control_placements())

    def auc_variance(self, method: str = "obuchowski", **_ignored) -> float:
        """Obuchowski's (1997) clustered variance of the AUC (NaN with fewer than 2 clusters per class)."""
        check_option(method, "method", ("obuchowski",))
        v10, v01 = self.placements()
        cov = clustered_auc_covariance([v10], [v01], self.clusters[self.reference], self.clusters[~self.reference],
                                       self.n_clusters)
        return float(cov[0, 0])

    def auc_ci(self, method: str = "obuchowski", *, level: float | None = None, **_ignored) -> Estimate:
        """The AUC with Obuchowski's clustered interval on the logit scale (the only method here)."""
        check_option(method, "method", ("obuchowski",))
        level = self.level if level is None else check_level(level)
        return logit_interval(self.counts.auc(), self.auc_variance(), level)

    def confidence_interval(self, level: float = 0.95, method: str | None = None, **options) -> ROCResult:
        level = check_level(level)
        return dataclasses.replace(self, auc=self.auc_ci(method or "obuchowski", level=level), level=level)

    def _bootstrap(self, statistic, n_boot, seed, progress, instead: str = "") -> np.ndarray:
        skip = f" (use {instead} for the estimate alone)" if instead else ""
        raise OptionError("This interval bootstraps units, which would treat lesions of the same patient as "
                          f"independent; it is not available for a clustered curve yet{skip}.")

    def plot(self, ax=None, *, ci: bool = False, cutpoint: str | None = "youden", n_boot: int = 500, seed=0,
             **plot_kwargs):
        """The ROC curve of the units (no bootstrap band: it would ignore the clusters); returns the Axes."""
        if check_flag(ci, "ci"):
            raise OptionError("plot(ci=True) draws a bootstrap band of units, which ignores the clusters; use "
                              "plot(ci=False) for a clustered curve.")
        return super().plot(ax, ci=False, cutpoint=cutpoint, n_boot=n_boot, seed=seed, **plot_kwargs)


@dataclass(frozen=True, repr=False, eq=False)
class WeightedROCResult(ROCResult):
    """An empirical ROC curve of weighted patients (``ds.roc(weights=)``): weighted curve and AUC.

    ``.curve``'s tp, fp, fn, tn are summed weights. ``n_cases`` / ``n_controls`` count patients;
    ``case_weight`` / ``control_weight`` are the summed weights. The AUC interval is the stratified
    bootstrap carrying the weights (see :mod:`diagstats.roc_analysis.weighted` for which verbs
    honour the weights and which refuse them).

    Attributes
    ----------
    case_weights, control_weights : ndarray
        Weights of the diseased and of the non-diseased patients (in the order of ``cases`` /
        ``controls``).
    weights_name : str or None
        The weights' column with ``data=``.
    """

    case_weights: np.ndarray | None = None
    control_weights: np.ndarray | None = None
    weights_name: str | None = None

    dict_exclude = ("counts", "cases", "controls", "reference", "patients", "case_weights", "control_weights")
    dict_include = ("n_cases", "n_controls", "case_weight", "control_weight")

    @property
    def n_cases(self) -> int:
        return len(self.cases)

    @property
    def n_controls(self) -> int:
        return len(self.controls)

    @property
    def case_weight(self) -> float:
        return float(self.case_weights.sum())

    @property
    def control_weight(self) -> float:
        return float(self.control_weights.sum())

    @property
    def title(self) -> str:  # type: ignore[override]
        return super().title + " (weighted)"

    def header_lines(self) -> list[str]:
        lines = super().header_lines()
        which = f" ({self.weights_name})" if self.weights_name else ""
        lines.insert(1, f"case weights{which}: {self.case_weight:g} diseased, {self.control_weight:g} not diseased; "
                        "curve and AUC weighted")
        return lines

    def __repr__(self) -> str:
        return (f"WeightedROCResult(auc={self.auc.value:.4f}, n_cases={self.n_cases}, n_controls={self.n_controls}, "
                f"case_weight={self.case_weight:g}, control_weight={self.control_weight:g}, "
                f"direction={self.direction!r})")

    # ------------------------------------------------------------ intervals: the weighted bootstrap only
    def auc_variance(self, method: str = "bootstrap", *, n_boot: int = 2000, seed=0, progress: bool = True,
                     specificity=None, sensitivity=None, correct: bool = False, stratified: bool = True) -> float:
        """Variance of the weighted (partial) AUC over stratified bootstrap replicates carrying the weights."""
        method = check_option(method, "method", CI_METHODS + ("obuchowski",))
        if method != "bootstrap":
            raise refused(f"auc_variance(method={method!r})", "use method='bootstrap'")
        _refuse_unstratified(stratified)
        area = _partial_range(method, specificity, sensitivity, correct)
        statistic = auc_from_counts if area is None else _area_function(*area)
        reps = self._bootstrap(statistic, check_n_boot(n_boot), as_seed_sequence(seed), progress)
        return float(np.var(reps[~np.isnan(reps)], ddof=1))

    def auc_ci(self, method: str = "bootstrap", *, level: float | None = None, n_boot: int = 2000,
               boot_type: str = "percentile", seed=0, progress: bool = True, stratified: bool = True) -> Estimate:
        """The weighted AUC with its stratified bootstrap percentile interval (patients keep their weights)."""
        method = check_option(method, "method", CI_METHODS)
        _refuse_unstratified(stratified)
        boot_type = check_option(boot_type, "boot_type", BOOT_TYPES)
        level = self.level if level is None else check_level(level)
        n_boot = check_n_boot(n_boot)
        if method != "bootstrap":
            raise refused(f"auc_ci(method={method!r})", "use method='bootstrap'")
        if boot_type != "percentile":
            raise refused(f"boot_type={boot_type!r}", "use boot_type='percentile'")
        return _bootstrap_auc(self, level, n_boot, seed, progress)

    def confidence_interval(self, level: float = 0.95, method: str | None = None, **options) -> ROCResult:
        level = check_level(level)
        return dataclasses.replace(self, auc=self.auc_ci(method or "bootstrap", level=level, **options), level=level)

    def _bootstrap(self, statistic, n_boot, seed, progress, instead: str = "") -> np.ndarray:
        """Replicates of ``statistic`` of the resampled weight sums; a replicate that drew only weight-0 patients
        of a class is undefined (NaN, left out of intervals with a note)."""
        ids = WeightedScoreIds(self.counts, self.cases, self.controls, self.case_weights, self.control_weights)

        def replicate(ci, ki):
            with np.errstate(invalid="ignore", divide="ignore"):
                return statistic(*ids.counts(ci, ki))

        return bootstrap(replicate, self.n_cases, self.n_controls, width=ids.k, n_boot=n_boot, seed=seed,
                         progress=progress, instead=instead)

    # ------------------------------------------------------------ verbs that count patients: refused
    def auc_covariance(self, other, method: str = "delong", **options) -> float:
        raise refused("auc_covariance")

    def threshold(self, method: str = "youden", *, value: float | None = None, cost_ratio: float | None = None,
                  prevalence: float | None = None, specificity_range: tuple[float, float] | None = None,
                  sensitivity_range: tuple[float, float] | None = None, n_boot: int | None = None,
                  level: float | None = None, seed=0, progress: bool = True) -> CutpointResult:
        """The weighted optimal cutpoint (:meth:`ROCResult.threshold`), without bootstrap intervals."""
        if check_n_boot(n_boot, allow_none=True) is not None:
            raise refused("threshold(n_boot=...)", "use n_boot=None for the weighted cutpoint alone")
        return super().threshold(method, value=value, cost_ratio=cost_ratio, prevalence=prevalence,
                                 specificity_range=specificity_range, sensitivity_range=sensitivity_range)

    def at_threshold(self, threshold: float, **options):
        raise refused("at_threshold (a 2x2 table of patients)", "read the weighted operating points in .curve")

    def grey_zone(self, *args, **options):
        raise refused("grey_zone")

    def smooth(self, method: str = "binormal", **options):
        raise refused(f"smooth({method!r})")


def _boot_label(n_boot: int, seed_text: str, weighted: bool = False) -> str:
    carrying = " carrying their weights" if weighted else ""
    return f"bootstrap percentile ({n_boot} stratified replicates{carrying}, {seed_text})"


def _check_range(specificity, sensitivity, suffix: str = "") -> tuple[str, tuple[float, float]]:
    """The focus and the sorted bounds of a range; ``suffix`` completes the argument names in messages."""
    if (specificity is None) == (sensitivity is None):
        raise OptionError("Give exactly one range: partial_auc(specificity=(0.8, 1.0)) or "
                          "partial_auc(sensitivity=(0.8, 1.0)).")
    focus, rng = ("specificity", specificity) if specificity is not None else ("sensitivity", sensitivity)
    name = focus + suffix
    try:
        lo, hi = (float(v) for v in rng)
    except (TypeError, ValueError):
        raise OptionError(f"{name}={rng!r} must be a pair (low, high) of numbers in [0, 1].") from None
    if not (0 <= lo <= 1 and 0 <= hi <= 1):
        raise OptionError(f"{name}={rng!r} must lie within [0, 1] (proportions, not percentages).")
    if lo == hi:
        raise OptionError(f"{name}={rng!r} is an empty range; give two different bounds.")
    return focus, (min(lo, hi), max(lo, hi))


def _partial_range(method: str, specificity, sensitivity, correct) -> tuple[str, float, float, bool] | None:
    """``(focus, low, high, correct)`` of a partial AUC whose variance ``method`` gives; None for the full AUC."""
    if specificity is None and sensitivity is None:
        return None
    if method not in ("bootstrap", "obuchowski"):
        raise OptionError(f"method={method!r} gives the variance of the full AUC; for a partial AUC use "
                          "method='bootstrap' or method='obuchowski' (DeLong's placements are for the whole area).")
    focus, (lo, hi) = _check_range(specificity, sensitivity)
    return focus, lo, hi, check_flag(correct, "correct")


def _area_function(focus: str, lo: float, hi: float, correct: bool):
    """The partial area (McClish-corrected if ``correct``) of case and control counts over ``focus`` lo-hi."""
    def area(cases, controls):
        fpr, tpr = _oriented_points(cases, controls, focus)
        a = partial_area(fpr, tpr, 1 - hi, 1 - lo)
        return mcclish(a, 1 - hi, 1 - lo) if correct else a

    return area


def _restriction(specificity_range, sensitivity_range, verb: str):
    """``(focus, low, high)`` of a partial-AUC range given to ``verb``, or None."""
    if specificity_range is None and sensitivity_range is None:
        return None
    if specificity_range is not None and sensitivity_range is not None:
        raise OptionError(f"Give at most one range to {verb}(): specificity_range=(0.8, 1.0) or "
                          "sensitivity_range=(0.9, 1.0).")
    focus, (low, high) = _check_range(specificity_range, sensitivity_range, "_range")
    return focus, low, high


def _restricted(scored, sens, spec, restriction):
    """A criterion's scores with the thresholds outside the range set to -inf."""
    score, exact = scored
    return np.where(within_range(sens, spec, restriction), score, -np.inf), exact


def _oriented_points(cases, controls, focus: str):
    """Polygon to integrate: (1 - spec, sens) for a specificity range, (1 - sens, spec) otherwise."""
    from ._counts import curve_points

    fpr, tpr = curve_points(cases, controls)
    if focus == "specificity":
        return fpr, tpr
    return 1 - tpr[..., ::-1], 1 - fpr[..., ::-1]


def roc(y_true: Any = None, y_score: Any = None, *, data: pd.DataFrame | None = None, reference: Any = None,
        score: Any = None, positive: Any = None, direction: str = "higher", level: float = 0.95,
        nan_policy: str = "raise", cluster: Any = None, weights: Any = None) -> ROCResult:
    """ROC curve and AUC with its DeLong interval.

    Two ways in: arrays (``ds.roc(y_true, y_score)``) or a DataFrame with column names
    (``ds.roc(data=df, reference="biopsy", score="nlr", positive="malignant")``).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Reference standard: 0/1, booleans, or two labels with ``positive=``.
    y_score : array-like of shape (n,)
        The index test's score (continuous or ordinal).
    data : DataFrame, optional
        Patients in rows; ``reference`` and ``score`` then name its columns.
    reference, score : str
        Column names in ``data``.
    positive : optional
        The reference label meaning diseased; needed unless the reference is 0/1 or boolean.
    direction : {"higher", "lower"}, default "higher"
        Whether a higher or a lower score points to disease. Never guessed.
    level : float, default 0.95
        Confidence level of the AUC interval.
    nan_policy : {"raise", "omit"}, default "raise"
        Patients missing the score or the reference: an error, or omitted and counted.
    cluster : str or array-like, optional
        The cluster (patient id) of each unit when the rows are lesions, vertebrae or arteries:
        a column name with ``data=``, else an array. The AUC is that of all pairs of a diseased
        and a non-diseased unit; its interval is Obuchowski's (1997) clustered one on the logit
        scale (a :class:`ClusteredROCResult`).
    weights : str or array-like, optional
        Case weights (survey or inverse-probability weights): a column name with ``data=``, else
        an array; finite and non-negative, zero allowed, not all zero in a class. The curve and
        the AUC are weighted (each patient stands for ``w`` patients), the AUC interval is the
        stratified bootstrap with each patient carrying its weight (2000 replicates, seed 0;
        ``confidence_interval(n_boot=, seed=)`` for others), and the result is a
        :class:`WeightedROCResult`; verbs that count patients
        (DeLong variance, smoothing, ``compare_roc``, ``at_threshold``, ...) refuse it
        (:mod:`diagstats.roc_analysis.weighted` lists which). Integer weights give the curve and AUC
        of the rows repeated; equal to scikit-learn's ``roc_curve`` / ``roc_auc_score(sample_weight=)``.

    Returns
    -------
    ROCResult
        ``.auc`` (Estimate, DeLong), ``.curve`` (DataFrame), and the verbs ``auc_ci``,
        ``partial_auc``, ``sensitivity_at``, ``specificity_at``, ``threshold``, ``at_threshold``,
        ``smooth``, ``plot``.

    Notes
    -----
    The AUC is the Mann-Whitney probability that a diseased patient scores higher than a
    non-diseased one, ties counted half: the area under the polygon through all operating
    points. Its variance is DeLong's (DeLong et al. 1988), computed from midranks in
    O(n log n) (Sun & Xu 2014). AUC, DeLong interval and variance agree with pROC 1.18 to 1e-6 on
    the committed fixtures (tests/reference/roc). An AUC below 0.5 is reported as it is, with a
    note; the direction is never flipped silently (unlike pROC's ``direction="auto"``). Infinite
    scores are ranked as the most (+inf) or least (-inf) suspicious, with a note (pROC refuses
    them; docs/differences_from_r.md).

    With ``cluster=``, the variance is Obuchowski's (1997) from the units' DeLong placements
    summed within clusters (:mod:`diagstats.roc_analysis.clustered_auc`), O(n log n); with one
    unit per cluster it equals DeLong's. The interval logit(A) +/- z SE / (A (1 - A)),
    back-transformed, stays inside (0, 1).

    Examples
    --------
    >>> import pandas as pd, diagstats as ds
    >>> df = pd.DataFrame({"nlr": [1.2, 2.5, 3.1, 4.8, 2.2, 6.0, 1.9, 5.5],
    ...                    "biopsy": ["benign", "benign", "malignant", "malignant", "benign", "malignant",
    ...                               "benign", "benign"]})
    >>> res = ds.roc(data=df, reference="biopsy", score="nlr", positive="malignant")
    >>> round(res.auc.value, 3), res.n_cases, res.n_controls
    (0.867, 3, 5)

    Several lesions per patient:

    >>> lesions = df.assign(patient=[1, 1, 2, 2, 3, 3, 4, 4])
    >>> res = ds.roc(data=lesions, reference="biopsy", score="nlr", positive="malignant", cluster="patient")
    >>> res.n_clusters, res.auc.method
    (4, 'Obuchowski (1997) clustered, logit')
    """
    direction = check_option(direction, "direction", DIRECTIONS)
    level = check_level(level)
    check_nan_policy(nan_policy)
    if data is not None:
        if y_true is not None or y_score is not None:
            raise DataError("With data=, name the columns with reference= and score=, not y_true/y_score arrays.")
        if reference is None or score is None:
            raise DataError("With data=, give the column names reference=... and score=....")
        check_dataframe(data, unique_index=True)  # the curve remembers its patients by index label
        ref_raw = column(data, reference, "reference").to_numpy()
        score_raw = column(data, score, "score").to_numpy()
        ref_name, score_name = str(reference), str(score)
        cluster_raw = None if cluster is None else column(data, cluster, "cluster").to_numpy()
        weights_raw = None if weights is None else column(data, weights, "weights").to_numpy()
    else:
        if reference is not None or score is not None:
            raise DataError("reference= and score= name columns of data=; for arrays use roc(y_true, y_score).")
        if y_true is None or y_score is None:
            raise DataError("Give the reference standard and the scores: roc(y_true, y_score), or "
                            "roc(data=df, reference='column', score='column').")
        ref_raw, score_raw = as_1d(y_true, "y_true"), as_1d(y_score, "y_score")
        ref_name = score_name = None
        cluster_raw = None if cluster is None else as_1d(cluster, "cluster")
        weights_raw = None if weights is None else as_1d(weights, "weights")
    if weights_raw is not None and cluster_raw is not None:
        raise OptionError("weights= and cluster= together are not available: the clustered (Obuchowski) variance "
                          "counts every unit once. Give one of them.")
    ref_arg, score_arg = ("reference", "score") if data is not None else ("y_true", "y_score")
    columns = {ref_arg: ref_raw, score_arg: score_raw}
    cluster_arg = f"cluster {str(cluster)!r}" if data is not None else "cluster"
    if cluster_raw is not None:
        columns[cluster_arg] = cluster_raw
    weights_arg = f"weights {str(weights)!r}" if data is not None else "weights"
    if weights_raw is not None:
        columns[weights_arg] = weights_raw
    n_rows = check_same_length(**columns)
    rows = np.arange(n_rows)  # integers are never missing: marks which rows survive nan_policy
    complete = complete_cases({**columns, "rows": rows}, nan_policy)
    scores = as_numeric(complete.arrays[score_arg], score_arg)
    binary = as_binary(complete.arrays[ref_arg], ref_arg, positive, require_both=True)
    kept = complete.arrays["rows"]
    patients = data.index.to_numpy()[kept] if data is not None else kept
    result = _from_arrays(binary.values, scores, direction=direction, level=level, score_name=score_name,
                          reference_name=ref_name, positive=binary.positive, n_omitted=complete.n_omitted,
                          patients=patients, n_rows=n_rows, delong=cluster_raw is None and weights_raw is None)
    if weights_raw is not None:
        w = check_weights(complete.arrays[weights_arg], weights_arg)
        return _weighted(result, w, None if data is None else str(weights), n_boot=2000, seed=0, progress=False)
    if cluster_raw is None:
        return result
    return _clustered(result, complete.arrays[cluster_arg], None if data is None else str(cluster))


def _clustered(result: ROCResult, clusters: np.ndarray, cluster: str | None) -> ClusteredROCResult:
    """The curve ``result`` of clustered units: Obuchowski's (1997) logit interval and the cluster codes."""
    codes, ids = pd.factorize(clusters, sort=True)
    g = len(ids)
    if g < 2:
        raise DataError(f"cluster= has {g} cluster; a clustered AUC needs at least 2 clusters (patients). With one "
                        "patient, analyse without cluster=, and say the units are not independent.")
    out = ClusteredROCResult(**{f.name: getattr(result, f.name) for f in dataclasses.fields(ROCResult)},
                             cluster=cluster, n_clusters=g, clusters=codes)
    auc = out.auc_ci()
    sizes = np.bincount(codes)
    notes = [f"{g} clusters, {len(codes)} units ({sizes.min()} to {sizes.max()} per cluster); AUC interval "
             f"{CLUSTERED_AUC_METHOD}"]
    if sizes.max() == 1:
        notes.append("every cluster has one unit: the data are not clustered (the variance is DeLong's)")
    notes += list(result.notes) + list(auc.notes)
    return dataclasses.replace(out, auc=auc, notes=tuple(dict.fromkeys(notes)))


def _refuse_unstratified(stratified) -> None:
    if not check_flag(stratified, "stratified"):
        raise refused("stratified=False", "use stratified=True (the weighted bootstrap resamples each class)")


def _bootstrap_auc(res: WeightedROCResult, level: float, n_boot: int, seed, progress: bool) -> Estimate:
    seeds = as_seed_sequence(seed)
    reps = res._bootstrap(auc_from_counts, n_boot, seeds, progress)
    lo, hi = percentile_interval(reps, level)
    method = f"bootstrap percentile ({n_boot} stratified replicates carrying their weights, {seed_label(seed, seeds)})"
    value = res.counts.auc()
    notes = undefined_replicates_note(reps) + outside_interval_note("AUC", value, lo, hi, "bootstrap percentile")
    return Estimate(value, lo, hi, level, method, "AUC", notes)


def _weighted(result: ROCResult, weights: np.ndarray, weights_name: str | None, n_boot: int, seed,
                 progress: bool) -> WeightedROCResult:
    """The curve ``result`` recomputed with case ``weights`` (analysed patients' order), bootstrap interval."""
    is_case = result.reference
    w_cases, w_controls = weights[is_case], weights[~is_case]
    empty = [what for what, w in (("diseased", w_cases), ("non-diseased", w_controls)) if not w.sum() > 0]
    if empty:
        raise DataError(f"weights= are all zero among the {' and '.join(empty)} patients; a weighted curve needs a "
                        "positive weight in each class.")
    oriented = np.empty(len(is_case))
    oriented[is_case], oriented[~is_case] = result.cases, result.controls
    counts = count_by_value(oriented, is_case, weights)
    out = WeightedROCResult(**{f.name: getattr(result, f.name) for f in dataclasses.fields(ROCResult)},
                            case_weights=w_cases, control_weights=w_controls, weights_name=weights_name)
    out = dataclasses.replace(out, counts=counts)
    if min(out.n_cases, out.n_controls) < MIN_PER_CLASS:
        why = (f"no AUC interval: {out.n_cases} diseased and {out.n_controls} non-diseased patients are too few to "
               "bootstrap")
        auc = Estimate(counts.auc(), np.nan, np.nan, result.level, "", "AUC", (why,))
    else:
        auc = out.auc_ci(n_boot=n_boot, seed=seed, progress=progress)
    notes = [n for n in result.notes if "AUC below 0.5" not in n]  # the unweighted AUC's
    notes.append("case weights: curve and AUC weighted; the AUC interval is the stratified bootstrap with every "
                 "patient carrying its weight (no DeLong variance for a weighted AUC)")
    if (weights == 0).any():
        notes.append(f"{int((weights == 0).sum())} patients with weight 0 do not count")
    if auc.value < 0.5:
        notes.append("AUC below 0.5: the score discriminates the other way round than direction="
                     f"{result.direction!r} says; check the direction (it is never flipped automatically)")
    return dataclasses.replace(out, auc=auc, notes=tuple(dict.fromkeys(notes + list(auc.notes))))


def _from_arrays(is_case: np.ndarray, scores: np.ndarray, *, direction: str, level: float,
                 score_name=None, reference_name=None, positive=1, n_omitted: int = 0, patients=None,
                 n_rows=None, delong: bool = True) -> ROCResult:
    """The curve; ``delong=False`` leaves the AUC interval out (a clustered curve replaces it)."""
    oriented = scores if direction == "higher" else -scores
    counts = count_by_value(oriented, is_case)
    if delong:
        auc = normal_interval(counts.auc(), delong_variance(counts), level, "DeLong")
    else:
        auc = Estimate(counts.auc(), np.nan, np.nan, level, "", "AUC")
    notes = list(auc.notes)
    if n_omitted:
        notes.append(f"{n_omitted} patients with a missing score or reference omitted")
    n_infinite = int(np.isinf(scores).sum())
    if n_infinite:
        notes.append(f"{n_infinite} infinite scores are ranked above (+inf) or below (-inf) every finite score: the "
                     "AUC and its interval use only the ranks; an operating point at threshold +inf or -inf is then "
                     "a real cut-off, not only the curve's end (pROC refuses infinite scores)")
    if auc.value < 0.5:
        notes.append("AUC below 0.5: the score discriminates the other way round than direction="
                     f"{direction!r} says; check the direction (it is never flipped automatically)")
    return ROCResult(counts=counts, cases=oriented[is_case], controls=oriented[~is_case], reference=is_case,
                     direction=direction, auc=auc, level=level, score_name=score_name,
                     reference_name=reference_name, positive=positive, n_omitted=n_omitted, patients=patients,
                     n_rows=n_rows, notes=tuple(notes))
