"""Accuracy of a binary index test against a reference standard (the 2x2 table).

>>> import diagstats as ds
>>> res = ds.accuracy(tp=198, fp=5, fn=3, tn=433)
>>> print(res.sensitivity)
sensitivity 0.985 (95% CI 0.957 to 0.995, Wilson)
>>> round(res.lr_positive.value, 1)
86.3
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._core.bootstrap import outside_interval_note
from .._input import (_show, as_1d, as_binary, as_counts, as_seed_sequence, check_level, check_n_boot, check_nan_policy,
                     check_option, check_probability, check_progress, check_same_length, column, complete_cases,
                     seed_label)
from .._core.quantiles import z_two_sided
from ..errors import DataError, OptionError
from . import clustered as _cl
from . import clustered_gee as _gee
from . import clustered_glmm as _glmm
from .clustered_intervals import RATIO_INTERVALS
from .intervals import (DOR_METHODS, PROPORTION_ALIASES, PROPORTION_METHODS, _proportion_bounds, dor_values,
                        lr_values, mover_difference)
from ..results import Estimate, ResultTable, estimates_frame, format_level, tidy
from ..utility.post_test import post_test_probability

#: The measures of an :class:`AccuracyResult`, in display order.
MEASURES = ("sensitivity", "specificity", "ppv", "npv", "lr_positive", "lr_negative", "dor",
            "accuracy", "youden", "prevalence")

#: Interval methods of Youden's J (``youden_ci=``).
YOUDEN_METHODS = {"mover": "MOVER", "sum_of_limits": "sum of the sensitivity and specificity limits minus 1 (epiR)"}


def _proportion(x: int, n: int, level: float, method: str, name: str, undefined: str) -> Estimate:
    lower, upper = _proportion_bounds(np.float64(x), np.float64(n), level, method)
    notes = () if n else (undefined,)
    value = x / n if n else np.nan
    return Estimate(float(value), float(lower), float(upper), level, PROPORTION_METHODS[method], name, notes)


def _ratio(values: tuple, level: float, method: str, name: str, cells_note: str) -> Estimate:
    value, lower, upper, corrected = (np.asarray(v) for v in values)
    notes = []
    if bool(corrected):
        notes.append(f"0.5 added to all four cells ({cells_note})")
    if np.isnan(value):
        notes.append("undefined: the table lacks diseased or non-diseased patients")
    return Estimate(float(value), float(lower), float(upper), level, method, name, tuple(notes))


@dataclass(frozen=True, repr=False)
class AccuracyResult(ResultTable):
    """Diagnostic accuracy of one binary test: the 2x2 counts and every measure with its interval.

    Attributes
    ----------
    tp, fp, fn, tn : int
        The 2x2 counts (test by reference).
    sensitivity, specificity, ppv, npv, lr_positive, lr_negative, dor, accuracy, youden, prevalence : Estimate
        Each with its interval, level and method.
    level : float
        Confidence level of all intervals.
    ci_method, dor_method, youden_ci : str
        Interval method of the proportions, of the DOR and of Youden's J (see :func:`accuracy`).
    test, reference : str or None
        Names of the test and reference columns, when given.
    n_omitted : int
        Patients dropped for missing values (``nan_policy="omit"``).
    notes : tuple of str
        Corrections and undefined measures, also attached to the affected estimates.

    Methods
    -------
    to_frame(), to_dict(), to_html(digits), table(), confidence_interval(level, method),
    at_prevalence(prevalence), plot(ax) (Fagan's nomogram); ``nnd``: the number needed to diagnose
    """

    tp: int
    fp: int
    fn: int
    tn: int
    sensitivity: Estimate
    specificity: Estimate
    ppv: Estimate
    npv: Estimate
    lr_positive: Estimate
    lr_negative: Estimate
    dor: Estimate
    accuracy: Estimate
    youden: Estimate
    prevalence: Estimate
    level: float = 0.95
    ci_method: str = "wilson"
    dor_method: str = "woolf"
    test: str | None = None
    reference: str | None = None
    n_omitted: int = 0
    notes: tuple[str, ...] = field(default=())
    youden_ci: str = "mover"

    dict_include = ("n",)

    @property
    def nnd(self) -> Estimate:
        """Number needed to diagnose, 1 / Youden's J (Bandolier 1996; Linn & Grunau 2006), with its interval.

        The patients who must be tested to find one more correctly diagnosed patient than a test
        no better than chance would. The interval is the reciprocal of the Youden interval
        (``youden_ci``), as Altman (1998, BMJ 317:1309) derives the interval of the number needed
        to treat: [1 / upper, 1 / lower] when the Youden interval lies above 0. When it reaches 0 or
        below, the NND interval is unbounded above (upper bound infinite, with a note); when J <= 0
        the test does no better than chance and the NND is undefined (NaN, with a note).

        Parity: with ``ci_method="clopper_pearson", youden_ci="sum_of_limits"`` the value and
        interval agree with epiR 2.0.57 ``epi.tests`` (``nndx``) to 1e-6 whenever its Youden
        interval lies above 0; epiR takes the reciprocals of negative limits too, which is no
        interval (``docs/differences_from_r.md``).

        >>> import diagstats as ds
        >>> print(ds.accuracy(tp=133, fp=3, fn=68, tn=435).nnd)
        nnd 1.527 (95% CI 1.395 to 1.707, reciprocal of the Youden interval (MOVER))
        """
        j = self.youden
        method = f"reciprocal of the Youden interval ({YOUDEN_METHODS[self.youden_ci]})"
        if np.isnan(j.value) or j.value <= 0:
            why = ("undefined: Youden's J is undefined" if np.isnan(j.value) else
                   f"undefined: Youden's J = {j.value:.3g} <= 0, the test does no better than chance")
            return Estimate(np.nan, np.nan, np.nan, self.level, method, "nnd", (why,))
        if j.lower > 0:
            return Estimate(1 / j.value, 1 / j.upper, 1 / j.lower, self.level, method, "nnd", j.notes)
        return Estimate(1 / j.value, 1 / j.upper, np.inf, self.level, method, "nnd", j.notes + (
            f"the Youden interval reaches {j.lower:.3g} (no better than chance), so the NND interval is unbounded "
            "above",))

    @property
    def n(self) -> int:
        """Number of patients in the table."""
        return self.tp + self.fp + self.fn + self.tn

    @property
    def title(self) -> str:  # type: ignore[override]
        name = f"{self.test} " if self.test else "test "
        ref = f" against {self.reference}" if self.reference else ""
        return f"Diagnostic accuracy of {name.strip()}{ref}"

    def header_lines(self) -> list[str]:
        lines = [f"n = {self.n}: TP {self.tp}, FP {self.fp}, FN {self.fn}, TN {self.tn}; "
                 f"{format_level(self.level)} confidence intervals"]
        if self.n_omitted:
            lines.append(f"{self.n_omitted} patients omitted for missing values")
        return lines

    def estimates(self) -> list[Estimate]:
        return [getattr(self, m) for m in MEASURES]

    def to_frame(self) -> pd.DataFrame:
        """One row per measure: measure, value, lower, upper, level, method, notes."""
        return estimates_frame(self.estimates())

    def table(self) -> pd.DataFrame:
        """The 2x2 table with margins, test result in rows and reference in columns."""
        return pd.DataFrame(
            [[self.tp, self.fp, self.tp + self.fp], [self.fn, self.tn, self.fn + self.tn],
             [self.tp + self.fn, self.fp + self.tn, self.n]],
            index=pd.Index(["test positive", "test negative", "total"], name=self.test or "test"),
            columns=pd.Index(["diseased", "not diseased", "total"], name=self.reference or "reference"))

    def __repr__(self) -> str:
        return (f"AccuracyResult(tp={self.tp}, fp={self.fp}, fn={self.fn}, tn={self.tn}, level={self.level}, "
                f"ci_method={self.ci_method!r})")

    def confidence_interval(self, level: float = 0.95, method: str | None = None) -> AccuracyResult:
        """The same table with intervals at another level or by another proportion method."""
        if method is not None:
            method = check_option(method, "method", PROPORTION_METHODS, PROPORTION_ALIASES)
        return _from_counts(self.tp, self.fp, self.fn, self.tn, level=level,
                            ci_method=self.ci_method if method is None else method, dor_method=self.dor_method,
                            test=self.test, reference=self.reference, n_omitted=self.n_omitted,
                            youden_ci=self.youden_ci)

    def plot(self, ax: Any = None, *, pretest: float | None = None) -> Any:
        """Fagan's nomogram of the test's likelihood ratios from ``pretest`` (default: the prevalence
        in this table) to the post-test probabilities; returns the Axes."""
        from ..plot.utility import fagan_nomogram
        return fagan_nomogram(self.prevalence.value if pretest is None else pretest, self.lr_positive,
                              self.lr_negative, ax=ax)

    def at_prevalence(self, prevalence: float) -> PredictiveValues:
        """PPV and NPV if the test were used where the prevalence is ``prevalence`` (Bayes' theorem).

        The intervals carry the uncertainty of sensitivity and specificity through the log
        likelihood ratios: logit(PPV) = logit(prevalence) + log(LR+), and likewise for NPV with
        1/LR- (Mercaldo, Lau & Zhou 2007). Where the LR needed a continuity correction, the
        same corrected LR is used and its note is carried over.

        >>> import diagstats as ds
        >>> pv = ds.accuracy(tp=90, fp=15, fn=10, tn=85).at_prevalence(0.05)
        >>> print(pv.ppv)
        ppv 0.240 (95% CI 0.165 to 0.336, logit (Mercaldo 2007))
        """
        prevalence = check_probability(prevalence, "prevalence", open_interval=True, scalar=True)
        method = "logit (Mercaldo 2007)"
        ppv = post_test_probability(prevalence, self.lr_positive)
        # P(no disease | negative) = 1 - P(disease | negative); the bounds swap
        after_negative = post_test_probability(prevalence, self.lr_negative)
        return PredictiveValues(
            prevalence=float(prevalence),
            ppv=Estimate(ppv.value, ppv.lower, ppv.upper, self.level, method, "ppv", self.lr_positive.notes),
            npv=Estimate(1 - after_negative.value, 1 - after_negative.upper, 1 - after_negative.lower, self.level,
                         method, "npv", self.lr_negative.notes),
            source=self)


@dataclass(frozen=True, repr=False)
class PredictiveValues(ResultTable):
    """PPV and NPV recomputed for another prevalence (see :meth:`AccuracyResult.at_prevalence`)."""

    prevalence: float
    ppv: Estimate
    npv: Estimate
    source: AccuracyResult

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Predictive values at prevalence {self.prevalence:g}"

    @property
    def notes(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(f"{e.name}: {n}" for e in (self.ppv, self.npv) for n in e.notes)

    def to_frame(self) -> pd.DataFrame:
        return estimates_frame([self.ppv, self.npv])

    def __repr__(self) -> str:
        return f"PredictiveValues(prevalence={self.prevalence}, ppv={self.ppv.value:.4f}, npv={self.npv.value:.4f})"


#: Interval methods of the proportions with ``cluster=``.
CLUSTER_METHODS = {"ratio": "ratio estimator (Genders 2012)", "bootstrap": "cluster bootstrap percentile",
                   "gee": _gee.GEE_METHOD, "glmm": _glmm.GLMM_METHOD}


@dataclass(frozen=True, repr=False)
class ClusteredAccuracyResult(AccuracyResult):
    """Accuracy of one binary test on units (lesions, vertebrae, segments) clustered in patients.

    An :class:`AccuracyResult` of the units whose proportions carry intervals that account for
    clustering (``ci_method="ratio"``, ``"bootstrap"``, ``"gee"`` or ``"glmm"``; with ``"glmm"`` the
    proportions are the median patient's, conditional on the patient effect), and in addition:

    Attributes
    ----------
    cluster : str or None
        The cluster (patient id) column, when given by name.
    n_clusters : int
        Number of clusters (patients).
    design_effect, icc : mapping
        ``{"diseased": ..., "non_diseased": ...}``: the design effect 1 + (n_w - 1) ICC of
        sensitivity and of specificity, and the intraclass correlations behind them.
    patient_level : AccuracyResult
        One row per patient: test positive if any unit is, diseased if any unit is (Wilson intervals).
    n_boot, seed : int or None, str or None
        Bootstrap replicates and seed (``ci_method="bootstrap"`` only).
    ratio_interval : str or None
        The interval shape of the ratio estimator (``ci_method="ratio"`` only; see
        :mod:`diagstats.binary.clustered_intervals`).
    """

    cluster: str | None = None
    n_clusters: int = 0
    design_effect: Any = None
    icc: Any = None
    patient_level: AccuracyResult | None = None
    n_boot: int | None = None
    seed: str | None = None
    ratio_interval: str | None = None

    @property
    def title(self) -> str:  # type: ignore[override]
        return super().title + " (units clustered in patients)"

    def header_lines(self) -> list[str]:
        lines = super().header_lines()
        lines[0] = lines[0].replace(f"n = {self.n}:", f"n = {self.n} units in {self.n_clusters} clusters:")
        de, rho = self.design_effect, self.icc
        lines.append(f"design effect: diseased {de['diseased']:.3f}, non-diseased {de['non_diseased']:.3f}; "
                     f"ICC: diseased {rho['diseased']:.3f}, non-diseased {rho['non_diseased']:.3f}")
        pl = self.patient_level
        lines.append(f"patient level ({pl.n} patients; any positive unit vs any diseased unit): "
                     f"sensitivity {pl.sensitivity.value:.3f}, specificity {pl.specificity.value:.3f}")
        return lines

    def __repr__(self) -> str:
        return (f"ClusteredAccuracyResult(tp={self.tp}, fp={self.fp}, fn={self.fn}, tn={self.tn}, "
                f"n_clusters={self.n_clusters}, level={self.level}, ci_method={self.ci_method!r}"
                + (f", ratio_interval={self.ratio_interval!r})" if self.ratio_interval else ")"))

    def confidence_interval(self, level: float = 0.95, method: str | None = None) -> AccuracyResult:
        """Not available for clustered data: call ``ds.accuracy(..., cluster=, level=)`` again."""
        raise OptionError("A clustered result keeps no units to recompute from; call ds.accuracy(data=..., "
                          "cluster=..., level=..., ci_method=...) again with the new level or method.")


def _clustered(t: np.ndarray, r: np.ndarray, clusters: np.ndarray, *, level: float, ci_method: str,
               dor_method: str, n_boot: Any, seed: Any, progress: Any, test: str | None, reference: str | None,
               cluster: str | None, n_omitted: int, ratio_interval: str | None = None) -> ClusteredAccuracyResult:
    """The clustered analysis behind ``accuracy(..., cluster=)``, from clean booleans and cluster ids."""
    codes, names = pd.factorize(clusters, sort=True)
    g = len(names)
    if g < 2:
        raise DataError(f"cluster= has {g} cluster; clustered intervals need at least 2 clusters (patients). "
                        "With one patient, analyse without cluster=, and say the units are not independent.")
    cells = _cl.cluster_cells(t, r, codes, g)
    tp, fp, fn, tn = (int(v) for v in cells.sum(axis=0))
    base = _from_counts(tp, fp, fn, tn, level=level, ci_method="wilson", dor_method=dor_method, test=test,
                        reference=reference, n_omitted=n_omitted)
    if ci_method == "ratio":
        ratio_interval = ratio_interval or "korn_graubard"
    method = RATIO_INTERVALS[ratio_interval] if ci_method == "ratio" else CLUSTER_METHODS[ci_method]
    bounds: dict[str, tuple] = {}
    values: dict[str, float] = {}  # GEE's own estimates, where they are not the proportions of units
    n_boot_used, seed_used = None, None
    labels: dict[str, str] = {}  # interval methods that are not the proportions' one
    if ci_method == "ratio":
        z = z_two_sided(level)
        for name in _cl.PROPORTIONS:
            _, lo, hi, notes = _cl.ratio_bounds(cells, name, level, ratio_interval)
            bounds[name] = (lo, hi, notes)
        for name, (_, log_scale) in _cl.COMBINED.items():
            bounds[name] = _cl.linearized_bounds(cells, name, z)
            labels[name] = "ratio estimator, linearised" + (" (log scale)" if log_scale else "")
    elif ci_method in ("gee", "glmm"):
        z = z_two_sided(level)
        model_bounds = _gee.gee_bounds if ci_method == "gee" else _glmm.glmm_bounds
        for name, (num, den) in _cl.PROPORTIONS.items():
            a, n = _cl.sums(cells, num), _cl.sums(cells, den)
            if n.sum() == 0:
                continue
            values[name], lo, hi, notes = model_bounds(a, n, z)
            bounds[name] = (lo, hi, notes)
    else:
        n_boot_used = check_n_boot(n_boot)
        seeds = as_seed_sequence(seed)
        seed_used = seed_label(seed, seeds)
        bounds = _cl.bootstrap_bounds(cells, n_boot_used, seeds, level, check_progress(progress))
    estimates = {}
    for name in MEASURES:
        e = getattr(base, name)
        undefined = tuple(n for n in e.notes if n.startswith("undefined"))
        if name in bounds:
            lo, hi, notes = bounds[name]
            if np.isnan(e.value):
                lo, hi = np.nan, np.nan
            value = values.get(name, e.value)
            notes = tuple(notes) + outside_interval_note(name, value, lo, hi, "the cluster bootstrap percentile",
                                                         "few patients: the resampled tables are few and discrete")
            estimates[name] = Estimate(values.get(name, e.value), float(lo), float(hi), level,
                                       labels.get(name, method), name, undefined + tuple(notes))
        elif name == "youden":
            estimates[name] = Estimate(e.value, np.nan, np.nan, level, "no clustered interval", name,
                                       (f"no clustered interval for Youden's J with ci_method={ci_method!r} yet",))
        else:
            estimates[name] = Estimate(e.value, np.nan, np.nan, level, "no clustered interval", name,
                                       e.notes + ("no clustered interval for this ratio yet",))
    sizes = np.bincount(codes, minlength=g)
    diseased = (_cl.sums(cells, (0,)), _cl.sums(cells, (0, 2)))
    healthy = (_cl.sums(cells, (3,)), _cl.sums(cells, (1, 3)))
    notes = [f"{g} clusters, {int(sizes.sum())} units ({int(sizes.min())} to {int(sizes.max())} per cluster); "
             f"intervals of the proportions account for clustering ({method})"]
    if int(sizes.max()) == 1:
        notes.append("every cluster has one unit: the data are not clustered (design effect 1)")
    notes += [f"{e.name}: {note}" for e in estimates.values() for note in e.notes]
    any_t = np.bincount(codes, weights=t, minlength=g) > 0
    any_r = np.bincount(codes, weights=r, minlength=g) > 0
    pl = dict(tp=int(np.sum(any_t & any_r)), fp=int(np.sum(any_t & ~any_r)), fn=int(np.sum(~any_t & any_r)),
              tn=int(np.sum(~any_t & ~any_r)))
    patient_level = _from_counts(**pl, level=level, ci_method="wilson", dor_method=dor_method, test=test,
                                 reference=reference)
    return ClusteredAccuracyResult(
        tp=tp, fp=fp, fn=fn, tn=tn, **estimates, level=level, ci_method=ci_method, dor_method=dor_method,
        test=test, reference=reference, n_omitted=n_omitted, notes=tuple(notes), cluster=cluster, n_clusters=g,
        design_effect={"diseased": _cl.design_effect(*diseased), "non_diseased": _cl.design_effect(*healthy)},
        icc={"diseased": _cl.icc(*diseased), "non_diseased": _cl.icc(*healthy)}, patient_level=patient_level,
        n_boot=n_boot_used, seed=seed_used, ratio_interval=ratio_interval if ci_method == "ratio" else None)


def _from_counts(tp: int, fp: int, fn: int, tn: int, *, level: float, ci_method: str, dor_method: str,
                 test: str | None = None, reference: str | None = None, n_omitted: int = 0,
                 youden_ci: str = "mover") -> AccuracyResult:
    level = check_level(level)
    ci_method = check_option(ci_method, "ci_method", PROPORTION_METHODS, PROPORTION_ALIASES)
    dor_method = check_option(dor_method, "dor_method", DOR_METHODS)
    youden_ci = check_option(youden_ci, "youden_ci", YOUDEN_METHODS)
    tp, fp, fn, tn = (int(as_counts(v, k, scalar=True)) for k, v in (("tp", tp), ("fp", fp), ("fn", fn), ("tn", tn)))
    n = tp + fp + fn + tn
    if n == 0:
        raise DataError("The 2x2 table is empty (tp + fp + fn + tn = 0); there is nothing to estimate.")
    n1, n0 = tp + fn, fp + tn
    prop = lambda x, m, name, why: _proportion(x, m, level, ci_method, name, why)  # noqa: E731
    sens = prop(tp, n1, "sensitivity", "undefined: no diseased patients")
    spec = prop(tn, n0, "specificity", "undefined: no non-diseased patients")
    ppv = prop(tp, tp + fp, "ppv", "undefined: no positive test results")
    npv = prop(tn, tn + fn, "npv", "undefined: no negative test results")
    cells = tuple(np.float64(c) for c in (tp, fp, fn, tn))
    lr_pos = _ratio(lr_values(*cells, level=level, positive=True), level, "Simel log", "lr_positive",
                    "a zero in tp or fp")
    lr_neg = _ratio(lr_values(*cells, level=level, positive=False), level, "Simel log", "lr_negative",
                    "a zero in fn or tn")
    dor = _ratio(dor_values(*cells, level=level, method=dor_method), level, DOR_METHODS[dor_method], "dor",
                 "a zero cell")
    youden_value = sens.value + spec.value - 1
    if youden_ci == "mover":
        youden_lo, youden_hi = mover_difference(sens.value, sens.lower, sens.upper,
                                                1 - spec.value, 1 - spec.upper, 1 - spec.lower)
    else:  # epiR's: no coverage basis, offered to reproduce published epiR output
        youden_lo, youden_hi = sens.lower + spec.lower - 1, sens.upper + spec.upper - 1
    youden = Estimate(float(youden_value), float(max(youden_lo, -1.0)), float(min(youden_hi, 1.0)), level,
                      f"{YOUDEN_METHODS[youden_ci]} from {PROPORTION_METHODS[ci_method]} limits", "youden",
                      tuple(sorted(set(sens.notes + spec.notes))))
    estimates = dict(
        sensitivity=sens, specificity=spec, ppv=ppv, npv=npv, lr_positive=lr_pos, lr_negative=lr_neg, dor=dor,
        accuracy=prop(tp + tn, n, "accuracy", ""), youden=youden,
        prevalence=prop(n1, n, "prevalence", ""))
    notes = tuple(f"{e.name}: {note}" for e in estimates.values() if e.name != "youden" for note in e.notes)
    return AccuracyResult(tp=tp, fp=fp, fn=fn, tn=tn, **estimates, level=level, ci_method=ci_method,
                          dor_method=dor_method, test=test, reference=reference, n_omitted=n_omitted,
                          notes=notes, youden_ci=youden_ci)


@dataclass(frozen=True, repr=False)
class AccuracyTable(ResultTable):
    """Accuracy of several index tests against one reference standard.

    ``table["mri"]`` is that test's :class:`AccuracyResult`; ``to_frame()`` is tidy, one row per
    test and measure.
    """

    results: tuple[AccuracyResult, ...]
    reference: str | None = None

    title = "Diagnostic accuracy by test"
    key_columns = ("test",)

    @property
    def tests(self) -> list[str]:
        return [r.test for r in self.results]

    def __getitem__(self, test: str) -> AccuracyResult:
        for r in self.results:
            if r.test == test:
                return r
        raise KeyError(f"{test!r} is not one of the tests {self.tests}")

    def __iter__(self):
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def to_frame(self) -> pd.DataFrame:
        """Columns test, measure, value, lower, upper, level, method, notes, n, n_omitted."""
        frames = []
        for r in self.results:
            f = r.to_frame()
            f.insert(0, "n_omitted", r.n_omitted)
            f.insert(0, "n", r.n)
            f.insert(0, "test", r.test)
            frames.append(f)
        return tidy(pd.concat(frames, ignore_index=True), self.key_columns)

    def counts(self) -> pd.DataFrame:
        """The 2x2 counts of every test, one row per test."""
        return pd.DataFrame([{"test": r.test, "tp": r.tp, "fp": r.fp, "fn": r.fn, "tn": r.tn, "n": r.n,
                              "n_omitted": r.n_omitted} for r in self.results])

    @property
    def notes(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(f"{r.test}: {n}" for r in self.results for n in r.notes)

    def to_dict(self) -> dict[str, Any]:
        """As every result's (title, fields, rows, notes), with the tests as a mapping from their names."""
        out = super().to_dict()
        out["tests"] = dict(zip(self.tests, out.pop("results")))
        return out

    def __repr__(self) -> str:
        return f"AccuracyTable(tests={self.tests}, reference={self.reference!r})"


def _binary_test(values: np.ndarray, name: str, test_positive: Any, reference_labels: tuple) -> np.ndarray:
    """The index test as booleans; it may share the reference's coding."""
    if test_positive is None and reference_labels[0] is not None:
        present = set(pd.unique(values).tolist())
        if present <= set(reference_labels) and not present <= {0, 1}:  # True/False are 1/0
            test_positive = reference_labels[0]
    return as_binary(values, name, test_positive, positive_name="test_positive").values


def accuracy(data: pd.DataFrame | None = None, *, test: Any = None, reference: Any = None, positive: Any = None,
             test_positive: Any = None, tp: Any = None, fp: Any = None, fn: Any = None, tn: Any = None,
             cluster: Any = None, level: float = 0.95, ci_method: str | None = None, dor_method: str = "woolf",
             youden_ci: str = "mover", nan_policy: str = "raise", n_boot: int = 2000, seed: Any = 0,
             progress: bool = True, ratio_interval: str | None = None) -> AccuracyResult | AccuracyTable:
    """Sensitivity, specificity, predictive values, likelihood ratios, DOR and more, with intervals.

    Three ways in: the four counts (``tp=, fp=, fn=, tn=``); two arrays (``test=``, ``reference=``);
    or a DataFrame with column names (``data=df, test="mri", reference="biopsy"``). A list of test
    columns (``test=["xray", "ct", "mri"]``) gives an :class:`AccuracyTable`.

    Parameters
    ----------
    data : DataFrame, optional
        Patients in rows; ``test`` and ``reference`` then name columns.
    test : str, list of str or array-like
        The index test result(s): 0/1, booleans, or labels (then ``test_positive=``, or the same
        labels as the reference).
    reference : str or array-like
        The reference standard: 0/1, booleans, or two labels with ``positive=``.
    positive : optional
        The reference label meaning diseased; needed unless the reference is 0/1 or boolean.
    test_positive : optional
        The test label meaning a positive result; inferred for 0/1 and booleans, and taken to be
        ``positive`` when the test uses the reference's two labels.
    tp, fp, fn, tn : int
        The 2x2 counts, instead of data.
    cluster : str or array-like, optional
        The cluster (patient id) of each unit, when the rows are lesions, vertebrae or segments
        nested in patients: a column name with ``data=``, else an array. Gives a
        :class:`ClusteredAccuracyResult` (see Notes). A missing id is missing data (``nan_policy``).
    level : float, default 0.95
        Confidence level.
    ci_method : str, optional
        Interval for the proportions (sensitivity, specificity, PPV, NPV, accuracy, prevalence).
        Without ``cluster=``: any method of :func:`diagstats.proportion_ci` (default ``"wilson"``).
        With ``cluster=``: ``"ratio"`` (default; the ratio estimator), ``"bootstrap"`` (the
        cluster bootstrap, percentile interval), ``"gee"`` (logistic GEE, exchangeable working
        correlation, robust SE, logit interval; its estimates weight the patients) or ``"glmm"``
        (random-intercept logistic model by maximum likelihood; its estimates are the median
        patient's proportions, see Notes).
    dor_method : {"woolf", "exact"}, default "woolf"
        Interval for the diagnostic odds ratio.
    youden_ci : {"mover", "sum_of_limits"}, default "mover"
        Interval for Youden's J (and so for the number needed to diagnose, ``result.nnd``).
        ``"sum_of_limits"`` is epiR's (the lower limits of sensitivity and specificity summed,
        minus 1, and likewise the upper): it reproduces published ``epi.tests`` output but has no
        coverage basis (see ``docs/differences_from_r.md``). Not available with ``cluster=``.
    nan_policy : {"raise", "omit"}, default "raise"
        What to do with patients missing the test or the reference result; omitted patients are
        counted in ``n_omitted`` (per test for a list of tests).
    n_boot, seed, progress : int, int, bool
        Replicates, seed and progress bar of ``ci_method="bootstrap"`` with ``cluster=``.
    ratio_interval : {"korn_graubard", "wald", "wald_t", "logit", "wilson"}, optional
        With ``cluster=`` and ``ci_method="ratio"``: the interval built on the ratio-estimator
        variance (default ``"korn_graubard"``; ``"wald"`` reproduces Genders et al. 2012). See Notes.

    Returns
    -------
    AccuracyResult or AccuracyTable

    Notes
    -----
    Proportions use the chosen binomial interval (no correction needed at zero cells). LR+ and
    LR- use the log method of Simel, Samsa & Matchar (1991); the DOR the log method of Woolf
    (1955) or the exact conditional interval. When a ratio would be 0, infinite or undefined
    because of a zero cell, 0.5 is added to all four cells for that ratio and the result says so.
    Youden's J = sens + spec - 1 gets the MOVER interval for a difference of independent
    proportions (Newcombe 1998; Zou & Donner 2008) built from the chosen proportion limits.

    Parity: with ``ci_method="clopper_pearson"``, every estimate and bound of epiR 2.0.57
    ``epi.tests`` (sensitivity, specificity, PPV, NPV, LRs, DOR, accuracy, prevalence) agrees to
    1e-6 on the committed fixtures. epiR's Youden interval is the sum of the Clopper-Pearson
    limits minus one, which has no coverage guarantee; diagstats uses MOVER instead, and gives
    epiR's with ``youden_ci="sum_of_limits"`` (then Youden's J and the NND agree with epiR too).

    Clustered units (``cluster=``): the counts and point estimates are those of the units; the
    proportions get intervals that account for the correlation of units within a patient.
    ``ci_method="ratio"`` is the ratio estimator of Rao & Scott (1992) as set out by Genders et al.
    (2012, Radiology 262:844-851, "Methods for calculating sensitivity and specificity of clustered
    data: a tutorial"): var(p) = sum_i (n_i / n_bar)^2 (p_i - p)^2 / (m (m - 1)) over the m patients
    with a unit in the denominator. Its default interval (``ratio_interval="korn_graubard"``) is Korn &
    Graubard's (1998, Survey Methodology 24:193-201): the Clopper-Pearson interval of Kish's (1965)
    effective sample n* = n / deff = p (1 - p) / var, shrunk to n* (z / t_{m-1})^2 for the few degrees
    of freedom of a clustered variance. ``ratio_interval="wald"`` gives the tutorial's Wald interval on
    the proportion scale (cut at 0 and 1, with a note, where it crosses them), ``"wald_t"`` the same with
    a t quantile (m - 1 df), ``"logit"`` Wald on the logit scale (delta method) and ``"wilson"``
    Wilson's interval with n* units (:mod:`diagstats.binary.clustered_intervals`). At the lesion
    simulator's within-patient correlation the Wald interval under-covers (0.84 to 0.93 for
    sensitivity with 50 to 300 patients, its misses on the side near 1) and Korn-Graubard's reaches
    95% within Monte Carlo error (0.943 to 0.957), except for a specificity of 0.97 with design effect
    5 and fewer than 300 patients, where every shape falls short and it comes closest
    (:mod:`diagstats.studies.cluster_validation`). ``ci_method="bootstrap"`` resamples whole patients through the
    shared bootstrap engine (percentile interval; also for Youden's J). ``ci_method="gee"`` fits an
    intercept-only logistic GEE (Liang & Zeger 1986) to each proportion's units with an
    exchangeable working correlation and geepack's moment estimators, and gives a Wald interval
    for logit(p) with the robust (sandwich) SE, back-transformed; the estimate is then GEE's, a
    weighted proportion (:mod:`diagstats.binary.clustered_gee`), and a note gives the proportion
    of units beside it. The exchangeable structure is the one that reproduces Genders et al.'s
    published GEE results (independence gives the proportion of units itself). The result adds the ICC
    among diseased and among non-diseased units (Fleiss's natural estimator), the design effect
    1 + (n_w - 1) ICC (n_w = sum n_i^2 / sum n_i), and ``patient_level``: the per-patient 2x2 table
    (positive if any unit is positive, diseased if any unit is diseased). With the ratio estimator,
    Youden's J, LR+, LR- and the DOR get the ratio-estimator variance of their linearisation in
    sensitivity and specificity (Wald on the log scale for the ratios; with one unit per patient,
    m / (m - 1) times Simel's or Woolf's variance); the cluster bootstrap gives their percentile
    intervals; with GEE or the GLMM they have no clustered interval yet (NaN bounds and a note).

    ``ci_method="glmm"`` fits, to each proportion's units, the random-intercept logistic model
    logit P(y_ij = 1 | u_i) = beta + u_i, u_i ~ N(0, sigma^2) (Genders et al. 2012's random-effects
    logistic regression; lme4's ``glmer(y ~ 1 + (1 | patient), family = binomial, nAGQ = 9)``) by
    maximum likelihood with 9-node adaptive Gauss-Hermite quadrature (Pinheiro & Bates 1995). The
    estimate it reports is the **conditional** proportion expit(beta): that of the median patient
    (u_i = 0), not the proportion of all units. Its interval is the Wald interval of beta
    back-transformed. A note gives the **population-averaged** proportion E[expit(beta + u)] beside it
    (the quantity the ratio estimator and GEE estimate), with sigma and the proportion of units
    (:mod:`diagstats.binary.clustered_glmm`).

    Parity (clustered): on the Genders et al. (2012) CT coronary angiography example (50 patients,
    702 segments) the ratio-estimator intervals (``ratio_interval="wald"``), the ICCs and the
    design-effect intervals agree with the tutorial's reproduction (KataTam/DiagTestCluster,
    ``Outputs/Results``), and the GEE
    estimates, robust SEs and working correlations agree with R geepack 1.3.9 ``geeglm`` to 1e-6
    (fixture ``tests/reference/clustered``), which reproduce the tutorial's GEE Se 53.14 (40.87 to
    65.04) and Sp 88.27 (85.15 to 90.81); see ``tests/clustered/test_clustered_accuracy.py``. On the
    same data the GLMM's beta and sigma agree with R lme4 ``glmer(nAGQ = 9)`` to 1e-6 and its standard
    error to 1e-5 (finite-difference Hessians on both sides; fixture ``tests/reference/clustered``).

    Examples
    --------
    >>> import pandas as pd, diagstats as ds
    >>> df = pd.DataFrame({"mri": [1, 1, 0, 1, 0, 0], "biopsy": ["malignant", "malignant", "malignant",
    ...                    "benign", "benign", "benign"]})
    >>> res = ds.accuracy(data=df, test="mri", reference="biopsy", positive="malignant")
    >>> res.tp, res.fp, res.fn, res.tn
    (2, 1, 1, 2)

    Lesions clustered in patients:

    >>> lesions = pd.DataFrame({"patient": [1, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6],
    ...                         "mri": [1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0],
    ...                         "biopsy": [1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 1]})
    >>> res = ds.accuracy(data=lesions, test="mri", reference="biopsy", cluster="patient")
    >>> print(res.sensitivity)
    sensitivity 0.571 (95% CI 0.148 to 0.925, ratio estimator, Korn-Graubard)
    >>> res.n_clusters, res.patient_level.n
    (6, 6)
    """
    has_counts = any(v is not None for v in (tp, fp, fn, tn))
    has_data = test is not None or reference is not None or data is not None
    if cluster is not None and has_counts:
        raise DataError("cluster= needs the units (data=, test=, reference=, cluster=), not the four counts: "
                        "counts do not say which units share a patient.")
    if ci_method is None:
        ci_method = "wilson" if cluster is None else "ratio"
    youden_ci = check_option(youden_ci, "youden_ci", YOUDEN_METHODS)
    if cluster is not None and youden_ci != "mover":
        raise OptionError(f"youden_ci={youden_ci!r} is for independent patients; with cluster= Youden's J gets "
                          "the clustered interval of ci_method. Leave youden_ci out.")
    if cluster is not None:
        ci_method = check_option(ci_method, "ci_method", CLUSTER_METHODS)
    elif isinstance(ci_method, str) and ci_method in CLUSTER_METHODS:
        raise OptionError(f"ci_method={ci_method!r} is for clustered units; give the patient id as cluster=..., "
                          "or use a proportion method such as ci_method='wilson'.")
    if ratio_interval is not None:
        if cluster is None or ci_method != "ratio":
            raise OptionError(f"ratio_interval={_show(ratio_interval)} is the interval shape of the ratio estimator: "
                              "give it with cluster=... and ci_method='ratio' (the default with cluster=), or leave "
                              "it out.")
        ratio_interval = check_option(ratio_interval, "ratio_interval", RATIO_INTERVALS)
    if has_counts and has_data:
        raise DataError("Give either the four counts (tp=, fp=, fn=, tn=) or the data (test=, reference=), "
                        "not both.")
    if has_counts:
        missing_counts = [k for k, v in (("tp", tp), ("fp", fp), ("fn", fn), ("tn", tn)) if v is None]
        if missing_counts:
            raise DataError(f"All four counts are needed; {', '.join(missing_counts)} missing.")
        return _from_counts(tp, fp, fn, tn, level=level, ci_method=ci_method, dor_method=dor_method,
                            youden_ci=youden_ci)
    if test is None or reference is None:
        raise DataError("Give the index test and the reference standard (test=..., reference=...), "
                        "or the four counts (tp=, fp=, fn=, tn=).")
    check_level(level)
    if cluster is None:
        check_option(ci_method, "ci_method", PROPORTION_METHODS, PROPORTION_ALIASES)
    else:
        if ci_method == "bootstrap":
            check_n_boot(n_boot)
            as_seed_sequence(seed)
            check_progress(progress)
    check_option(dor_method, "dor_method", DOR_METHODS)
    check_nan_policy(nan_policy)
    boot = dict(cluster=cluster, n_boot=n_boot, seed=seed, progress=progress, youden_ci=youden_ci,
                ratio_interval=ratio_interval)
    if data is not None and isinstance(test, (list, tuple)):
        results = tuple(_accuracy_from_data(data, t, reference, positive, test_positive, level, ci_method,
                                            dor_method, nan_policy, **boot) for t in test)
        if len({r.test for r in results}) != len(results):
            raise DataError(f"test lists a column more than once: {list(test)}.")
        return AccuracyTable(results, reference=str(reference))
    return _accuracy_from_data(data, test, reference, positive, test_positive, level, ci_method, dor_method,
                               nan_policy, **boot)


def _accuracy_from_data(data: pd.DataFrame | None, test: Any, reference: Any, positive: Any, test_positive: Any,
                        level: float, ci_method: str, dor_method: str, nan_policy: str, cluster: Any = None,
                        n_boot: Any = 2000, seed: Any = 0, progress: Any = True,
                        youden_ci: str = "mover", ratio_interval: str | None = None) -> AccuracyResult:
    if data is not None:
        test_name, ref_name = str(test), str(reference)
        test_values = column(data, test, "test").to_numpy()
        ref_values = column(data, reference, "reference").to_numpy()
    else:
        test_name, ref_name = None, None
        test_values, ref_values = as_1d(test, "test"), as_1d(reference, "reference")
    check_same_length(test=test_values, reference=ref_values)
    test_label = f"test {test_name!r}" if test_name else "test"
    ref_label = f"reference {ref_name!r}" if ref_name else "reference"
    if cluster is not None:
        if data is not None:
            cluster_name = str(cluster)
            cluster_values = column(data, cluster, "cluster").to_numpy()
        else:
            cluster_name = None
            cluster_values = as_1d(cluster, "cluster")
        check_same_length(test=test_values, reference=ref_values, cluster=cluster_values)
        cluster_label = f"cluster {cluster_name!r}" if cluster_name else "cluster"
        complete = complete_cases({test_label: test_values, ref_label: ref_values, cluster_label: cluster_values},
                                  nan_policy)
    else:
        complete = complete_cases({test_label: test_values, ref_label: ref_values}, nan_policy)
    t_values, r_values = complete.arrays[test_label], complete.arrays[ref_label]
    ref = as_binary(r_values, ref_label, positive, require_both=True)
    t = _binary_test(t_values, test_label, test_positive, (ref.positive, ref.negative))
    r = ref.values
    if cluster is not None:
        return _clustered(t, r, complete.arrays[cluster_label], level=level, ci_method=ci_method,
                          dor_method=dor_method, n_boot=n_boot, seed=seed, progress=progress, test=test_name,
                          reference=ref_name, cluster=cluster_name, n_omitted=complete.n_omitted,
                          ratio_interval=ratio_interval)
    counts = dict(tp=int(np.sum(t & r)), fp=int(np.sum(t & ~r)), fn=int(np.sum(~t & r)), tn=int(np.sum(~t & ~r)))
    return _from_counts(**counts, level=level, ci_method=ci_method, dor_method=dor_method, test=test_name,
                        reference=ref_name, n_omitted=complete.n_omitted, youden_ci=youden_ci)


