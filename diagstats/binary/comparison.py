"""Two binary tests compared: paired (same patients) and unpaired (different patients).

>>> import diagstats as ds
>>> import pandas as pd
>>> df = pd.DataFrame({"mri":    [1] * 40 + [0] * 5 + [1] * 5 + [0] * 50,
...                    "ct":     [1] * 30 + [0] * 15 + [0] * 5 + [0] * 50,
...                    "biopsy": [1] * 45 + [0] * 55})
>>> res = ds.compare_tests(data=df, tests=("mri", "ct"), reference="biopsy")
>>> print(res.sensitivity.difference)
difference 0.222 (95% CI 0.125 to 0.363, Tango score)
>>> round(res.sensitivity.p_value, 4)
0.0016
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._core.quantiles import z_two_sided
from . import _paired
from .._input import (as_1d, as_binary, check_flag, check_level, check_nan_policy, check_option, check_same_length,
                     column, complete_cases)
from . import clustered_comparison as _clc
from .two_by_two import AccuracyResult, _binary_test, _clustered, _from_counts
from ..errors import DataError, OptionError
from .intervals import _proportion_bounds, mover_difference
from ..results import CONTRACT_COLUMNS, Estimate, FrozenFields, ResultTable, TestResult, format_level, tidy

#: The compared measures, in display order.
COMPARED = ("sensitivity", "specificity", "ppv", "npv", "lr_positive", "lr_negative")

TEST_METHODS = ("asymptotic", "exact")
PAIRED_CI_METHODS = {"tango": "Tango score", "newcombe": "Newcombe hybrid score (paired)", "wald": "Wald (paired)",
                     "agresti_min": "Agresti-Min adjusted Wald (paired)"}
PAIRED_CI_ALIASES = {"agresti-min": "agresti_min"}
PV_METHODS = {"wgs": "weighted generalised score (Kosinski 2013)",
              "gs": "generalised score (Leisenring 2000)"}

FRAME_COLUMNS = [*CONTRACT_COLUMNS, "effect", "first", "second", "statistic", "df", "p_value", "test_method"]


@dataclass(frozen=True, repr=False)
class MeasureComparison(FrozenFields):
    """One measure of two tests compared: both values, the effect with its interval, and a test.

    Attributes
    ----------
    measure : str
        ``"sensitivity"``, ``"specificity"``, ``"ppv"``, ``"npv"``, ``"lr_positive"`` or
        ``"lr_negative"``.
    first, second : Estimate
        The measure of each test with its own interval.
    difference : Estimate or None
        First minus second (proportions only).
    ratio : Estimate or None
        First over second (likelihood ratios; relative sensitivity, specificity and predictive
        values in a paired design).
    hypothesis_test : TestResult
        The test of equality (McNemar, generalised score, log-ratio z test, chi-square, Fisher).
    ratio_test : TestResult or None
        The z test of the log ratio when both a difference and a ratio are reported.
    statistic, p_value, test_method
        Shortcuts to ``hypothesis_test``; ``method`` is the interval method of ``estimate``.
    """

    measure: str
    first: Estimate
    second: Estimate
    hypothesis_test: TestResult
    difference: Estimate | None = None
    ratio: Estimate | None = None
    ratio_test: TestResult | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def statistic(self) -> float:
        return self.hypothesis_test.statistic

    @property
    def p_value(self) -> float:
        return self.hypothesis_test.p_value

    @property
    def method(self) -> str:
        """The interval method of the main effect (``estimate``); the test's is ``test_method``."""
        return self.estimate.method

    @property
    def test_method(self) -> str:
        return self.hypothesis_test.method


    @property
    def estimate(self) -> Estimate:
        """The main effect: the difference for proportions, the ratio for likelihood ratios."""
        return self.difference if self.difference is not None else self.ratio  # type: ignore[return-value]

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for effect, est, test in (("difference", self.difference, self.hypothesis_test),
                                  ("ratio", self.ratio, self.ratio_test or self.hypothesis_test)):
            if est is None:
                continue
            row = {"measure": self.measure, "first": self.first.value, "second": self.second.value, "effect": effect}
            row.update({k: v for k, v in est._row().items() if k not in ("measure", "notes")})
            row.update({"statistic": test.statistic, "df": test.df, "p_value": test.p_value,
                        "test_method": test.method, "notes": "; ".join(self.notes)})
            out.append(row)
        return out

    def __str__(self) -> str:
        return f"{self.measure}: {self.first.value:.3f} vs {self.second.value:.3f}; {self.hypothesis_test.format()}"

    def __repr__(self) -> str:
        return (f"MeasureComparison(measure={self.measure!r}, first={self.first.value:.4g}, "
                f"second={self.second.value:.4g}, p_value={self.p_value:.4g})")


@dataclass(frozen=True, repr=False)
class TestComparison(ResultTable):
    """Two binary tests compared against one reference standard.

    Attributes
    ----------
    sensitivity, specificity, ppv, npv, lr_positive, lr_negative : MeasureComparison
        Each with both tests' values, the difference (first - second) or ratio (first / second)
        with its interval, and the test statistic, p-value and method
        (``res.sensitivity.p_value``).
    first, second : AccuracyResult
        Each test's own accuracy (Wilson intervals; ``.confidence_interval()`` for others).
    paired : bool
        Whether the tests were read on the same patients.
    crosstab : DataFrame or None
        The paired 2x2x2 table (reference x first test x second test); None when unpaired.
    relative_pv_covariance : ndarray or None
        Covariance of (log relative PPV, log relative NPV) (paired only).
    level : float
    names : tuple of str
        The two tests' names.
    reference : str or None
    n_omitted : int
        Patients dropped for missing values.
    cluster : str or None
        The cluster (patient id) column of a clustered comparison, when given by name.
    n_clusters : int
        Number of clusters (patients) of a clustered comparison; 0 when the units are patients.
    notes : tuple of str

    Methods
    -------
    to_frame(), to_dict(), to_html(digits)
    """

    __test__ = False  # not a pytest test class

    sensitivity: MeasureComparison
    specificity: MeasureComparison
    ppv: MeasureComparison
    npv: MeasureComparison
    lr_positive: MeasureComparison
    lr_negative: MeasureComparison
    first: AccuracyResult
    second: AccuracyResult
    paired: bool
    names: tuple[str, str]
    level: float = 0.95
    reference: str | None = None
    crosstab: pd.DataFrame | None = None
    relative_pv_covariance: np.ndarray | None = None
    n_omitted: int = 0
    notes: tuple[str, ...] = field(default=())
    cluster: str | None = None
    n_clusters: int = 0

    @property
    def title(self) -> str:  # type: ignore[override]
        design = "Paired" if self.paired else "Unpaired"
        if self.n_clusters:
            design = "Paired clustered"
        ref = f" against {self.reference}" if self.reference else ""
        return f"{design} comparison of {self.names[0]} with {self.names[1]}{ref}"

    def header_lines(self) -> list[str]:
        if self.n_clusters:
            lines = [f"n = {self.first.n} units in {self.n_clusters} clusters ({self.first.tp + self.first.fn} "
                     f"diseased units); differences are {self.names[0]} minus {self.names[1]}; "
                     f"{format_level(self.level)} confidence intervals"]
        elif self.paired:
            lines = [f"n = {self.first.n} patients ({self.first.tp + self.first.fn} diseased); "
                     f"differences are {self.names[0]} minus {self.names[1]}, ratios {self.names[0]} over "
                     f"{self.names[1]}; {format_level(self.level)} confidence intervals"]
        else:
            lines = [f"n = {self.first.n} ({self.names[0]}) and {self.second.n} ({self.names[1]}) patients; "
                     f"differences are first minus second; {format_level(self.level)} confidence intervals"]
        if self.n_omitted:
            lines.append(f"{self.n_omitted} {'units' if self.n_clusters else 'patients'} omitted for missing values")
        return lines

    def comparisons(self) -> list[MeasureComparison]:
        return [getattr(self, m) for m in COMPARED]

    def __getitem__(self, measure: str) -> MeasureComparison:
        if measure not in COMPARED:
            raise KeyError(f"{measure!r} is not a compared measure; use one of {COMPARED}.")
        return getattr(self, measure)

    def to_frame(self) -> pd.DataFrame:
        """One row per measure and effect (proportions: difference; paired: also the relative
        value; LRs: ratio). Columns: measure, value, lower, upper, level, method, notes,
        effect, first, second, statistic, df, p_value, test_method."""
        return pd.DataFrame([row for c in self.comparisons() for row in c.rows()], columns=FRAME_COLUMNS)

    def __repr__(self) -> str:
        return (f"TestComparison(names={self.names!r}, paired={self.paired}, n={self.first.n}, "
                f"level={self.level})")


# --- input -------------------------------------------------------------------------------------------

def _check_tests(tests: Any) -> tuple[Any, Any]:
    if not isinstance(tests, (list, tuple)) or len(tests) != 2:
        raise DataError(f"tests must name (or hold) exactly two tests, e.g. tests=('mri', 'ct'); got {tests!r:.80}.")
    return tests[0], tests[1]


def _read_columns(data: pd.DataFrame | None, tests: Any,
                  reference: Any) -> tuple[list[np.ndarray], list[str], str | None]:
    first, second = _check_tests(tests)
    if reference is None:
        raise DataError("reference is missing: give the reference standard (a column name or an array).")
    if data is not None:
        if str(first) == str(second):
            raise DataError(f"tests names the same column twice ({first!r}); give two different tests.")
        if str(reference) in (str(first), str(second)):
            raise DataError(f"reference={reference!r} is also one of tests={list(tests)!r}; a test cannot be its own "
                            "reference standard: name the reference column.")
        arrays = [column(data, t, "tests").to_numpy() for t in (first, second)]
        return arrays + [column(data, reference, "reference").to_numpy()], [str(first), str(second)], str(reference)
    arrays = [as_1d(first, "tests[0]"), as_1d(second, "tests[1]"), as_1d(reference, "reference")]
    return arrays, ["first", "second"], None


def _binary_inputs(values: list[np.ndarray], names: list[str], ref_name: str | None, positive: Any,
                   test_positive: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ref = as_binary(values[2], f"reference {ref_name!r}" if ref_name else "reference", positive)
    labels = (ref.positive, ref.negative)
    t1 = _binary_test(values[0], f"test {names[0]!r}", test_positive, labels)
    t2 = _binary_test(values[1], f"test {names[1]!r}", test_positive, labels)
    return ref.values, t1, t2


# --- paired ------------------------------------------------------------------------------------------

def _crosstab(counts: np.ndarray, names: tuple[str, str], reference: str | None) -> pd.DataFrame:
    index = pd.MultiIndex.from_product([["diseased", "not diseased"], ["positive", "negative"]],
                                       names=[reference or "reference", names[0]])
    table = counts[[7, 6, 5, 4, 3, 2, 1, 0]].reshape(4, 2)
    return pd.DataFrame(table, index=index, columns=pd.Index(["positive", "negative"], name=names[1]))


def _undefined(name: str, level: float, method: str, why: str) -> Estimate:
    return Estimate(math.nan, math.nan, math.nan, level, method, name, (why,))


def _no_test(method: str, name: str, why: str) -> TestResult:
    return TestResult(math.nan, math.nan, method, name=name, notes=(why,))


def _paired_proportion(measure: str, cells: tuple[int, int, int, int], first: Estimate, second: Estimate,
                       level: float, exact: bool, continuity: bool, ci_method: str, why_empty: str
                       ) -> MeasureComparison:
    """Sensitivity or specificity: cells (both hit, first only, second only, neither)."""
    a, b, c, d = cells
    n = a + b + c + d
    ci_label = PAIRED_CI_METHODS[ci_method]
    if exact:
        test_label = "McNemar exact (binomial)"
    else:
        test_label = "McNemar" + (" with continuity correction" if continuity else "")
    if n == 0:
        return MeasureComparison(measure, first, second, _no_test(test_label, measure, why_empty),
                                 difference=_undefined("difference", level, ci_label, why_empty),
                                 ratio=_undefined("ratio", level, "log (Alonzo, Pepe & Moskowitz 2002)", why_empty),
                                 ratio_test=_no_test(f"relative {measure} z test (Alonzo 2002)", measure, why_empty),
                                 notes=(why_empty,))
    statistic, p_value = _paired.mcnemar(b, c, exact=exact, continuity=continuity)
    if ci_method in ("tango", "newcombe"):
        interval = (_paired.tango_interval if ci_method == "tango" else _paired.newcombe_paired_interval)(
            a, b, c, d, level)
    else:
        interval = _paired.wald_interval(a, b, c, d, level, adjusted=ci_method == "agresti_min")
    notes: tuple[str, ...] = ("no discordant pairs: the tests agree on every patient here",) if b + c == 0 else ()
    if interval[0] < -1 or interval[1] > 1:
        notes += (f"{measure} difference interval clipped to [-1, 1] (the Wald interval was {interval[0]:.3f} to "
                  f"{interval[1]:.3f})",)
        interval = (max(interval[0], -1.0), min(interval[1], 1.0))
    difference = Estimate((b - c) / n, interval[0], interval[1], level, ci_label, "difference", notes)
    test = TestResult(statistic, p_value, test_label, estimate=difference, df=None if exact else 1.0, name=measure,
                      notes=notes)
    relative = f"relative {measure}"
    ratio_method, ratio_test_method = "log (Alonzo, Pepe & Moskowitz 2002)", f"{relative} z test (Alonzo 2002)"
    if min(a + b, a + c) == 0:
        why = f"{relative} undefined: a test has {measure} 0"
        notes += (why,)
        ratio, ratio_test = _undefined("ratio", level, ratio_method, why), _no_test(ratio_test_method, measure, why)
    else:
        log_ratio, se = math.log((a + b) / (a + c)), _paired.log_relative_proportion_se(a, b, c)
        ratio, ratio_test = _log_ratio_estimate(log_ratio, se, level, ratio_method, ratio_test_method, measure)
    return MeasureComparison(measure, first, second, test, difference=difference, ratio=ratio, ratio_test=ratio_test,
                             notes=notes)


def _paired_predictive_values(counts: np.ndarray, acc1: AccuracyResult, acc2: AccuracyResult, level: float,
                              pv_method: str) -> tuple[MeasureComparison, MeasureComparison, np.ndarray | None]:
    n1, n0 = counts[4:].sum(), counts[:4].sum()
    z = z_two_sided(level)
    ratio_method = "log (Moskowitz & Pepe 2006)"
    ratio_test_method = "relative predictive value z test (Moskowitz & Pepe 2006)"
    everyone = None
    if n1 == 0 or n0 == 0:
        which, values = ("diseased", "1 and NPV 0") if n0 == 0 else ("non-diseased", "0 and NPV 1")
        everyone = (f"undefined: all patients are {which}, so both tests have PPV {values} and predictive values "
                    "cannot be compared; this needs both diseased and non-diseased patients")
    defined_ratio = {"ppv": min(acc1.tp, acc2.tp) > 0, "npv": min(acc1.tn, acc2.tn) > 0}
    with_ratio = [m for m in ("ppv", "npv") if everyone is None and defined_ratio[m]]
    log_ratio, covariance = _paired.log_relative_predictive_values(counts, [m == "npv" for m in with_ratio])
    out = []
    for measure in ("ppv", "npv"):
        first, second = getattr(acc1, measure), getattr(acc2, measure)
        kind = "positive" if measure == "ppv" else "negative"
        reason = everyone
        if reason is None and min(acc1.tp + acc1.fp, acc2.tp + acc2.fp) == 0 and measure == "ppv" or \
                reason is None and min(acc1.fn + acc1.tn, acc2.fn + acc2.tn) == 0 and measure == "npv":
            reason = f"undefined: a test has no {kind} results, so its {measure.upper()} is undefined"
        if reason is not None:
            out.append(MeasureComparison(measure, first, second, _no_test(PV_METHODS[pv_method], measure, reason),
                                         difference=_undefined("difference", level, "Wald (Kosinski 2013)", reason),
                                         ratio=_undefined("ratio", level, ratio_method, reason),
                                         ratio_test=_no_test(ratio_test_method, measure, reason), notes=(reason,)))
            continue
        negative = measure == "npv"
        diff, statistic, p_value = _paired.predictive_value_test(counts, negative=negative,
                                                                 weighted=pv_method == "wgs")
        se = _paired.predictive_value_difference_se(counts, negative)
        lower, upper = diff - z * se, diff + z * se
        notes: tuple[str, ...] = ()
        if lower < -1 or upper > 1:  # a difference of two proportions lies in [-1, 1]
            notes = (f"{measure.upper()} difference interval clipped to [-1, 1] (the Wald interval was {lower:.3f} "
                     f"to {upper:.3f}; too few patients for the normal approximation)",)
            lower, upper = max(lower, -1.0), min(upper, 1.0)
        difference = Estimate(diff, lower, upper, level, "Wald (Kosinski 2013)", "difference", notes)
        test = TestResult(statistic, p_value, PV_METHODS[pv_method], estimate=difference, df=1.0, name=measure)
        if measure in with_ratio:
            i = with_ratio.index(measure)
            ratio, ratio_test = _log_ratio_estimate(log_ratio[i], math.sqrt(covariance[i, i]), level, ratio_method,
                                                    ratio_test_method, measure)
        else:
            why = f"relative {measure.upper()} undefined: a test has {measure.upper()} 0"
            notes += (why,)
            ratio, ratio_test = _undefined("ratio", level, ratio_method, why), _no_test(ratio_test_method, measure, why)
        out.append(MeasureComparison(measure, first, second, test, difference=difference, ratio=ratio,
                                     ratio_test=ratio_test, notes=notes))
    return out[0], out[1], (covariance if len(with_ratio) == 2 else None)


def _log_ratio_estimate(log_ratio: float, se: float, level: float, method: str, test_method: str,
                        measure: str) -> tuple[Estimate, TestResult]:
    z = z_two_sided(level)
    if se < 1e-10 and abs(log_ratio) < 1e-10:  # identical tests: rounding left a ~1e-16 log ratio and no variance
        log_ratio, se = 0.0, 0.0
    ratio = Estimate(math.exp(log_ratio), math.exp(log_ratio - z * se), math.exp(log_ratio + z * se), level, method,
                     "ratio")
    statistic = log_ratio / se if se > 0 else (0.0 if log_ratio == 0 else math.copysign(math.inf, log_ratio))
    p_value = float(2 * stats.norm.sf(abs(statistic)))
    return ratio, TestResult(statistic, p_value, test_method, estimate=ratio, name=measure)


def _paired_likelihood_ratios(counts: np.ndarray, acc1: AccuracyResult, acc2: AccuracyResult,
                              level: float) -> tuple[MeasureComparison, MeasureComparison]:
    method = "log (Nofuentes & Luna del Castillo 2007)"
    test_method = "relative likelihood ratio z test (Nofuentes & Luna del Castillo 2007)"
    cells_positive = (acc1.tp, acc1.fp, acc2.tp, acc2.fp)
    cells_negative = (acc1.fn, acc1.tn, acc2.fn, acc2.tn)
    defined = {"lr_positive": min(cells_positive) > 0, "lr_negative": min(cells_negative) > 0}
    log_ratio, covariance = (None, None)
    if all(defined.values()):
        log_ratio, covariance = _paired.log_relative_likelihood_ratios(counts)
    out = []
    for i, measure in enumerate(("lr_positive", "lr_negative")):
        first, second = getattr(acc1, measure), getattr(acc2, measure)
        if not defined[measure] or log_ratio is None:
            reason = ("undefined: a zero count (true or false positives for LR+, false or true negatives for LR-, "
                      "or no diseased / non-diseased patients) makes a likelihood ratio 0 or infinite")
            out.append(MeasureComparison(measure, first, second, _no_test(test_method, measure, reason),
                                         ratio=_undefined("ratio", level, method, reason), notes=(reason,)))
            continue
        ratio, test = _log_ratio_estimate(log_ratio[i], math.sqrt(covariance[i, i]), level, method, test_method,
                                          measure)
        out.append(MeasureComparison(measure, first, second, test, ratio=ratio))
    return out[0], out[1]


def _compare_paired(d: np.ndarray, t1: np.ndarray, t2: np.ndarray, *, names: tuple[str, str], reference: str | None,
                    level: float, exact: bool, continuity: bool, ci_method: str, pv_method: str,
                    n_omitted: int) -> TestComparison:
    counts = _paired.cell_counts(d, t1, t2)
    if counts.sum() == 0:
        raise DataError("No patients to compare: no patient has a value of both tests and the reference (after "
                        "removing missing values); check tests= and reference=.")
    c = [int(v) for v in counts]
    common = dict(level=level, ci_method="wilson", dor_method="woolf", reference=reference, n_omitted=n_omitted)
    acc1 = _from_counts(tp=c[6] + c[7], fp=c[2] + c[3], fn=c[4] + c[5], tn=c[0] + c[1], test=names[0], **common)
    acc2 = _from_counts(tp=c[5] + c[7], fp=c[1] + c[3], fn=c[4] + c[6], tn=c[0] + c[2], test=names[1], **common)
    # diseased cells (both +, first only, second only, both -); non-diseased the same for negative results
    diseased, healthy = (c[7], c[6], c[5], c[4]), (c[0], c[1], c[2], c[3])
    sens = _paired_proportion("sensitivity", diseased, acc1.sensitivity, acc2.sensitivity, level, exact, continuity,
                              ci_method, "undefined: no diseased patients")
    spec = _paired_proportion("specificity", healthy, acc1.specificity, acc2.specificity, level, exact, continuity,
                              ci_method, "undefined: no non-diseased patients")
    ppv, npv, covariance = _paired_predictive_values(counts, acc1, acc2, level, pv_method)
    lr_pos, lr_neg = _paired_likelihood_ratios(counts, acc1, acc2, level)
    rows = (sens, spec, ppv, npv, lr_pos, lr_neg)
    notes = tuple(dict.fromkeys(f"{r.measure}: {n}" for r in rows for n in r.notes))
    return TestComparison(*rows, first=acc1, second=acc2, paired=True, names=names, level=level,
                          reference=reference, crosstab=_crosstab(counts, names, reference),
                          relative_pv_covariance=covariance, n_omitted=n_omitted, notes=notes)


# --- paired, units clustered in patients -------------------------------------------------------------

def _clustered_proportion(measure: str, both: np.ndarray, first_only: np.ndarray, second_only: np.ndarray,
                          units: np.ndarray, codes: np.ndarray, n_clusters: int, first: Estimate, second: Estimate,
                          level: float, method: str, interval: str) -> MeasureComparison:
    """Sensitivity (units = diseased) or specificity (units = non-diseased) of two tests on clustered units."""
    test_label = _clc.CLUSTERED_TESTS[method]
    cells = _clc.paired_cells(both, first_only, second_only, units, codes, n_clusters)
    b, c, n = cells[:, 1], cells[:, 2], cells.sum(axis=1)
    kind = "diseased" if measure == "sensitivity" else "non-diseased"
    if n.size < 2:
        why = (f"undefined: {n.size} cluster{'' if n.size == 1 else 's'} with {kind} units; a clustered comparison "
               "needs at least 2")
        return MeasureComparison(measure, first, second, _no_test(test_label, measure, why),
                                 difference=_undefined("difference", level, _clc.DIFFERENCE_INTERVALS[interval], why),
                                 notes=(why,))
    diff = float((b.sum() - c.sum()) / n.sum())
    notes: tuple[str, ...] = ()
    if np.all(b == c):
        # no cluster has more discordant units one way than the other: no evidence of a difference
        statistic, p_value = 0.0, 1.0
        notes = ("no cluster has more discordant units favouring one test: the tests agree here",)
    else:
        if method == "eliasziw":
            statistic, _, why = _clc.eliasziw_statistic(cells)
            notes += (why,) if why else ()
        elif method == "yang":
            statistic = _clc.yang_statistic(b, c, n)
        else:
            statistic = (_clc.obuchowski_statistic(b, c) if method == "obuchowski"
                         else _clc.durkalski_statistic(b, c, n))
        p_value = float(stats.chi2.sf(statistic, 1)) if np.isfinite(statistic) else np.nan
    if interval == "mover":
        lower, upper = _clc.mover_difference(cells, level)
    else:
        half = z_two_sided(level) * math.sqrt(_clc.difference_variance(b, c, n))
        lower, upper = diff - half, diff + half
        if lower < -1 or upper > 1:
            notes += (f"difference interval clipped to [-1, 1] (the Wald interval was {lower:.3f} to {upper:.3f})",)
            lower, upper = max(lower, -1.0), min(upper, 1.0)
    difference = Estimate(diff, lower, upper, level, _clc.DIFFERENCE_INTERVALS[interval], "difference", notes)
    test = TestResult(statistic, p_value, test_label, estimate=difference, df=1.0, name=measure, notes=notes)
    return MeasureComparison(measure, first, second, test, difference=difference, notes=notes)


def _compare_clustered(d: np.ndarray, t1: np.ndarray, t2: np.ndarray, clusters: np.ndarray, *,
                       names: tuple[str, str], reference: str | None, level: float, method: str, interval: str,
                       cluster: str | None, n_omitted: int) -> TestComparison:
    codes, ids = pd.factorize(clusters, sort=True)
    g = len(ids)
    if g < 2:
        raise DataError(f"cluster= has {g} cluster; a clustered comparison needs at least 2 clusters (patients). "
                        "With one patient, compare without cluster=, and say the units are not independent.")
    common = dict(level=level, ci_method="ratio", dor_method="woolf", n_boot=None, seed=None, progress=False,
                  reference=reference, cluster=cluster, n_omitted=n_omitted)
    acc1 = _clustered(t1, d, clusters, test=names[0], **common)
    acc2 = _clustered(t2, d, clusters, test=names[1], **common)
    args = (codes, g)
    sens = _clustered_proportion("sensitivity", t1 & t2, t1 & ~t2, ~t1 & t2, d, *args, acc1.sensitivity,
                                 acc2.sensitivity, level, method, interval)
    spec = _clustered_proportion("specificity", ~t1 & ~t2, ~t1 & t2, t1 & ~t2, ~d, *args, acc1.specificity,
                                 acc2.specificity, level, method, interval)
    why = "no clustered comparison of this measure yet (compare sensitivity and specificity)"
    others = []
    for measure in ("ppv", "npv", "lr_positive", "lr_negative"):
        effect = {"difference" if measure in ("ppv", "npv") else "ratio":
                  _undefined("difference" if measure in ("ppv", "npv") else "ratio", level, "none", why)}
        others.append(MeasureComparison(measure, getattr(acc1, measure), getattr(acc2, measure),
                                        _no_test("none", measure, why), notes=(why,), **effect))
    rows = (sens, spec, *others)
    notes = (f"{g} clusters, {len(d)} units; sensitivity and specificity compared with the "
             f"{_clc.CLUSTERED_TESTS[method]} test",)
    notes += tuple(dict.fromkeys(f"{r.measure}: {n}" for r in rows for n in r.notes))
    return TestComparison(*rows, first=acc1, second=acc2, paired=True, names=names, level=level,
                          reference=reference, n_omitted=n_omitted, notes=notes, cluster=cluster, n_clusters=g)


# --- unpaired ----------------------------------------------------------------------------------------

def _unpaired_proportion(measure: str, x: tuple[int, int], n: tuple[int, int], first: Estimate, second: Estimate,
                         level: float, exact: bool, continuity: bool) -> MeasureComparison:
    ci_label = "Newcombe hybrid score (independent)"
    test_label = ("Fisher exact" if exact else
                  "Pearson chi-square" + (" with continuity correction" if continuity else ""))
    if min(n) == 0:
        reason = f"undefined: a test has no patients for its {measure}"
        return MeasureComparison(measure, first, second, _no_test(test_label, measure, reason),
                                 difference=_undefined("difference", level, ci_label, reason), notes=(reason,))
    xs, ns = np.array(x, dtype=float), np.array(n, dtype=float)
    lower, upper = _proportion_bounds(xs, ns, level, "wilson")
    p = xs / ns
    lo, hi = mover_difference(p[0], lower[0], upper[0], p[1], lower[1], upper[1])
    difference = Estimate(float(p[0] - p[1]), float(max(lo, -1.0)), float(min(hi, 1.0)), level, ci_label, "difference")
    table = np.array([[x[0], n[0] - x[0]], [x[1], n[1] - x[1]]])
    if exact:
        statistic, p_value, df = float(x[0]), float(stats.fisher_exact(table).pvalue), None
    else:
        pooled = (x[0] + x[1]) / (n[0] + n[1])
        variance = pooled * (1 - pooled) * (1 / n[0] + 1 / n[1])
        gap = abs(p[0] - p[1])
        if continuity:
            gap = max(gap - (1 / n[0] + 1 / n[1]) / 2, 0.0)
        statistic = 0.0 if gap == 0 else float(gap**2 / variance)
        p_value, df = float(stats.chi2.sf(statistic, 1)), 1.0
    test = TestResult(statistic, p_value, test_label, estimate=difference, df=df, name=measure)
    return MeasureComparison(measure, first, second, test, difference=difference)


def _unpaired_likelihood_ratio(measure: str, acc1: AccuracyResult, acc2: AccuracyResult,
                               level: float) -> MeasureComparison:
    method = "log (independent Simel variances)"
    test_method = "log ratio z test"
    first, second = getattr(acc1, measure), getattr(acc2, measure)
    log_parts, variance = [], 0.0
    for a in (acc1, acc2):
        hit, miss = (a.tp, a.fp) if measure == "lr_positive" else (a.fn, a.tn)
        n1, n0 = a.tp + a.fn, a.fp + a.tn
        if min(hit, miss) == 0:
            reason = ("undefined: a zero count makes a likelihood ratio 0 or infinite (LR+ needs true and false "
                      "positives, LR- false and true negatives)")
            return MeasureComparison(measure, first, second, _no_test(test_method, measure, reason),
                                     ratio=_undefined("ratio", level, method, reason), notes=(reason,))
        log_parts.append(math.log(hit / n1) - math.log(miss / n0))
        variance += 1 / hit - 1 / n1 + 1 / miss - 1 / n0
    ratio, test = _log_ratio_estimate(log_parts[0] - log_parts[1], math.sqrt(variance), level, method, test_method,
                                      measure)
    return MeasureComparison(measure, first, second, test, ratio=ratio)


def _compare_unpaired(acc1: AccuracyResult, acc2: AccuracyResult, *, names: tuple[str, str], reference: str | None,
                      level: float, exact: bool, continuity: bool, n_omitted: int = 0) -> TestComparison:
    acc1, acc2 = (a.confidence_interval(level, "wilson") for a in (acc1, acc2))
    args = (level, exact, continuity)
    rows = (
        _unpaired_proportion("sensitivity", (acc1.tp, acc2.tp), (acc1.tp + acc1.fn, acc2.tp + acc2.fn),
                             acc1.sensitivity, acc2.sensitivity, *args),
        _unpaired_proportion("specificity", (acc1.tn, acc2.tn), (acc1.fp + acc1.tn, acc2.fp + acc2.tn),
                             acc1.specificity, acc2.specificity, *args),
        _unpaired_proportion("ppv", (acc1.tp, acc2.tp), (acc1.tp + acc1.fp, acc2.tp + acc2.fp), acc1.ppv, acc2.ppv,
                             *args),
        _unpaired_proportion("npv", (acc1.tn, acc2.tn), (acc1.fn + acc1.tn, acc2.fn + acc2.tn), acc1.npv, acc2.npv,
                             *args),
        _unpaired_likelihood_ratio("lr_positive", acc1, acc2, level),
        _unpaired_likelihood_ratio("lr_negative", acc1, acc2, level),
    )
    notes = tuple(dict.fromkeys(f"{r.measure}: {n}" for r in rows for n in r.notes))
    return TestComparison(*rows, first=acc1, second=acc2, paired=False, names=names, level=level,
                          reference=reference, n_omitted=n_omitted, notes=notes)


# --- public ------------------------------------------------------------------------------------------

def _options(method: str, ci_method: str | None, pv_method: str | None, paired: bool, level: float
             ) -> tuple[bool, str, str]:
    check_level(level)
    exact = check_option(method, "method", TEST_METHODS) == "exact"
    if paired:
        ci = check_option("tango" if ci_method is None else ci_method, "ci_method", PAIRED_CI_METHODS,
                          PAIRED_CI_ALIASES)
        pv = check_option("wgs" if pv_method is None else pv_method, "pv_method", PV_METHODS)
        return exact, ci, pv
    if ci_method not in (None, "newcombe"):
        raise OptionError(f"ci_method={ci_method!r} is for paired data; unpaired differences use Newcombe's hybrid "
                          "score interval (ci_method='newcombe' or leave it out).")
    if pv_method is not None:
        raise OptionError(f"pv_method={pv_method!r} applies to paired designs only; unpaired predictive values are "
                          "compared like any two independent proportions. Leave pv_method out.")
    return exact, "newcombe", ""


def compare_tests(data: pd.DataFrame | None = None, *, tests: Any, reference: Any = None, positive: Any = None,
                  test_positive: Any = None, paired: bool | None = None, method: str | None = None,
                  ci_method: str | None = None, pv_method: str | None = None, continuity: bool = False,
                  level: float = 0.95, nan_policy: str = "raise", cluster: Any = None) -> TestComparison:
    """Compare two binary tests against one reference standard, paired or unpaired.

    Parameters
    ----------
    data : DataFrame, optional
        Patients in rows; ``tests`` and ``reference`` then name columns.
    tests : pair of str, pair of array-like, or pair of AccuracyResult
        The two index tests: column names, arrays (one value per patient), or two
        :class:`~diagstats.AccuracyResult` of separate patient groups (unpaired).
    reference : str or array-like
        The reference standard (0/1, booleans, or two labels with ``positive=``).
    positive, test_positive : optional
        The reference label meaning diseased, and the test label meaning a positive result
        (inferred as in :func:`diagstats.accuracy`).
    paired : bool, optional
        Default True for patient-level data (both tests read on every patient) and False for two
        AccuracyResults. ``paired=False`` with data analyses each test on the patients who have it
        (and the reference), as independent groups.
    method : {"asymptotic", "exact"} or, with ``cluster=``, {"obuchowski", "durkalski", "eliasziw", "yang"}
        Test of equal sensitivities / specificities: McNemar's chi-square or the exact binomial
        McNemar test when paired; Pearson's chi-square or Fisher's exact test when unpaired
        (unpaired predictive values too). Default "asymptotic" ("obuchowski" with ``cluster=``).
    ci_method : {"tango", "newcombe", "wald", "agresti_min"}, optional
        Interval for a paired difference in sensitivity or specificity: Tango's (1998) score
        interval (default; it inverts the uncorrected McNemar test, so it excludes 0 exactly when
        that test rejects), Newcombe's (1998) hybrid score interval (method 10), the Wald
        interval with the multinomial SE sqrt((b + c) - (b - c)^2 / n) / n (Altman 1991), or
        Agresti & Min's (2005) adjusted Wald interval (the SE of the table with 1/2 added to each
        cell, around the observed difference; ``"agresti-min"`` is accepted too). Wald intervals
        are clipped to [-1, 1] with a note. Unpaired differences always use Newcombe's hybrid
        score interval for independent proportions.
        With ``cluster=``: ``"mover"`` (default; Zou & Donner's 2008 MOVER from each test's
        Korn-Graubard limits) or ``"wald"`` (the ratio-estimator variance of Obuchowski 1998, which
        is liberal with fewer than a few hundred patients; see
        :mod:`diagstats.studies.cluster_validation`).
    pv_method : {"wgs", "gs"}, optional
        Paired test of equal predictive values: the weighted generalised score statistic
        (Kosinski 2013, default) or the generalised score statistic (Leisenring, Alonzo & Pepe
        2000).
    continuity : bool, default False
        Continuity correction for the asymptotic McNemar / chi-square test.
    level : float, default 0.95
    nan_policy : {"raise", "omit"}, default "raise"
        Paired: patients missing either test or the reference are omitted together.
    cluster : str or array-like, optional
        The cluster (patient id) of each unit when the rows are lesions, vertebrae or glands read
        by both tests. Sensitivities and specificities are then compared with a clustered
        McNemar test (``method``), each ``statistic`` that method's chi-square (1 df), and their
        differences get a Wald interval with the ratio-estimator variance (Obuchowski 1998);
        ``first`` and ``second`` are :class:`~diagstats.ClusteredAccuracyResult`. Predictive
        values and likelihood ratios have no clustered comparison yet (NaN, with a note).

    Returns
    -------
    TestComparison
        ``res.sensitivity``, ``res.specificity``, ``res.ppv``, ``res.npv``, ``res.lr_positive``,
        ``res.lr_negative`` (each a :class:`MeasureComparison` with ``first``, ``second``,
        ``difference`` = first - second and/or ``ratio`` = first / second, ``statistic``,
        ``p_value``, ``method``), ``res.crosstab`` (paired 2x2x2 table), ``res.first`` and
        ``res.second`` (each test's :class:`~diagstats.AccuracyResult`), ``to_frame()``.

    Notes
    -----
    Paired design: sensitivities (and specificities) are compared with McNemar's test on the
    discordant diseased (non-diseased) patients; no discordant pairs give difference 0 and p = 1.
    Predictive values are compared with a score test (``pv_method``); their difference gets the
    Wald interval from the multinomial (empirical) variance (Kosinski 2013), and the relative
    predictive values PPV1/PPV2 and NPV1/NPV2 get log-scale delta-method intervals and z tests
    (Moskowitz & Pepe 2006); ``res.relative_pv_covariance`` is the covariance of the two log
    relative predictive values. Relative likelihood ratios LR1/LR2 get log-scale delta-method
    intervals and z tests (Nofuentes & Luna del Castillo 2007). Relative sensitivity and
    specificity (first over second, ``res.sensitivity.ratio`` with ``ratio_test``) get the log-scale
    delta-method interval and Wald test of Alonzo, Pepe & Moskowitz (2002): var(log rTPF) =
    (b + c) / ((a + b)(a + c)) with ``a`` diseased patients positive on both tests, ``b`` on the first
    only, ``c`` on the second only (the same with the negative results among the non-diseased for
    specificity). A comparison that is undefined
    (no diseased patients, a test with no positive results, a zero count in a likelihood ratio)
    is NaN with a note saying why.

    Clustered units (``cluster=``): among the diseased (non-diseased) units, cluster k has b_k
    units where only the first (second) test is right, D_k = b_k - c_k of n_k units.
    ``method="obuchowski"`` is Obuchowski's (1998) test, the ratio-estimator variance under the
    null hypothesis, X^2 = (K - 1)/K (sum D_k)^2 / sum D_k^2; ``method="durkalski"`` is Durkalski
    et al.'s (2003), X^2 = (sum D_k/n_k)^2 / sum (D_k/n_k)^2; ``method="eliasziw"`` is Eliasziw &
    Donner's (1991), McNemar's statistic divided by 1 + rho sum S_k (S_k - 1) / sum S_k (S_k the
    discordant units of cluster k, rho the intracluster correlation of the discordant responses
    derived from the ANOVA ICC of the four-cell response, section 4 of the paper; a negative ICC is
    set to 0 with a note); ``method="yang"`` is Yang, Sun & Hardin's (2010) modified Obuchowski
    test, whose variance is the mean of Obuchowski's null variance and the ratio-estimator variance
    centred at the observed difference (see :mod:`diagstats.binary.clustered_comparison`). Whatever
    the test, the difference gets the same ratio-estimator Wald interval. On Obuchowski's PET vs
    SPECT example (51 glands in 21 patients) they give 2.86, 2.32, 3.66 and 3.13 where McNemar's
    test gives 4.5, as published (tests/clustered/test_clustered_comparison.py).

    Unpaired design: Newcombe's (1998) hybrid score interval for each difference of independent
    proportions; Pearson's chi-square (= R ``prop.test(correct=FALSE)``) or Fisher's exact test;
    the ratio of two independent likelihood ratios with the sum of their Simel log variances.

    Parity: on the committed fixture every statistic, p-value and interval of DTComPair 1.2.2
    (``sesp.mcnemar``, ``sesp.exactbinom``, ``pv.gs``, ``pv.wgs``, ``pv.rpv``, ``dlr.regtest``)
    agrees to 1e-6 (DTComPair reports second minus first and first over second), and McNemar
    agrees with R ``mcnemar.test`` and ``binom.test``. The Wald and Agresti-Min differences agree
    with DTComPair's documented ``sesp.diff.ci`` example, and the relative sensitivity and
    specificity with its documented ``sesp.rel`` output on Paired1 (DTComPair reports second over
    first there), to the printed digits (``tests/compare/test_dtcompair_documented.py``).

    References
    ----------
    McNemar Q (1947). Psychometrika 12:153-157. Tango T (1998). Stat Med 17:891-908.
    Newcombe RG (1998). Stat Med 17:2635-2650 (paired) and 17:873-890 (independent).
    Leisenring W, Alonzo T, Pepe MS (2000). Biometrics 56:345-351. Kosinski AS (2013). Stat Med
    32:964-977. Moskowitz CS, Pepe MS (2006). Clin Trials 3:272-279. Altman DG (1991). Practical
    statistics for medical research. Agresti A, Min Y (2005). Stat Med 24:729-740. Alonzo TA,
    Pepe MS, Moskowitz CS (2002). Stat Med 21:835-852. Nofuentes JAR, Luna del
    Castillo JD (2007). Stat Med 26:4179-4201. Obuchowski NA (1998). Stat Med 17:1495-1507.
    Durkalski VL, Palesch YY, Lipsitz SR, Rust PF (2003). Stat Med 22:2417-2428. Eliasziw M,
    Donner A (1991). Application of the McNemar test to non-independent matched pair data. Stat Med
    10:1981-1991. Yang Z, Sun X, Hardin JW (2010). A note on the tests for clustered matched-pair
    binary data. Biom J 52:638-652.

    Examples
    --------
    >>> import diagstats as ds
    >>> mri = [1, 1, 1, 1, 0, 0, 1, 0, 0, 0]
    >>> ct = [1, 0, 0, 1, 0, 0, 0, 0, 1, 0]
    >>> biopsy = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    >>> res = ds.compare_tests(tests=(mri, ct), reference=biopsy, method="exact")
    >>> res.sensitivity.difference.value, round(res.sensitivity.p_value, 3)
    (0.4, 0.5)

    Two tests read on every gland of each patient:

    >>> import pandas as pd
    >>> glands = pd.DataFrame({"patient": [1, 1, 2, 2, 3, 3, 4, 4], "pet": [1, 1, 0, 1, 1, 0, 0, 0],
    ...                        "spect": [0, 0, 0, 1, 0, 0, 1, 0], "disease": [1, 1, 0, 1, 1, 0, 1, 0]})
    >>> res = ds.compare_tests(glands, tests=("pet", "spect"), reference="disease", cluster="patient")
    >>> res.sensitivity.difference.value, round(res.sensitivity.statistic, 3), res.n_clusters
    (0.4, 0.5, 4)
    """
    if cluster is not None:
        return _compare_tests_clustered(data, tests=tests, reference=reference, positive=positive,
                                        test_positive=test_positive, paired=paired, method=method,
                                        ci_method=ci_method, pv_method=pv_method, continuity=continuity,
                                        level=level, nan_policy=nan_policy, cluster=cluster)
    if isinstance(method, str) and method in _clc.CLUSTERED_TESTS:
        raise OptionError(f"method={method!r} is a clustered test: give the patient id of each unit as cluster=..., "
                          "or use method='asymptotic' or 'exact' for one unit per patient.")
    method = "asymptotic" if method is None else method
    first, second = _check_tests(tests)
    paired = None if paired is None else check_flag(paired, "paired")
    continuity = check_flag(continuity, "continuity")
    if isinstance(first, AccuracyResult) or isinstance(second, AccuracyResult):
        if not (isinstance(first, AccuracyResult) and isinstance(second, AccuracyResult)):
            raise DataError("tests mixes an AccuracyResult with data; give two AccuracyResults or two tests' data.")
        if paired:
            raise DataError("paired=True needs patient-level data (which patients each test called positive); two "
                            "AccuracyResults only hold counts. Give data=..., tests=(...), reference=... instead.")
        if data is not None or reference is not None:
            raise DataError("Two AccuracyResults already hold the reference's counts; leave data and reference out.")
        exact, _, _ = _options(method, ci_method, pv_method, False, level)
        names = (first.test or "first", second.test or "second")
        return _compare_unpaired(first, second, names=names, reference=first.reference, level=level, exact=exact,
                                 continuity=continuity)
    paired = True if paired is None else bool(paired)
    exact, ci, pv = _options(method, ci_method, pv_method, paired, level)
    check_nan_policy(nan_policy)
    values, names, ref_name = _read_columns(data, tests, reference)
    check_same_length(**{f"tests[0] ({names[0]})": values[0], f"tests[1] ({names[1]})": values[1],
                         "reference": values[2]})
    if not paired:
        from .two_by_two import accuracy
        accs = [accuracy(test=v, reference=values[2], positive=positive, test_positive=test_positive, level=level,
                         nan_policy=nan_policy) for v in values[:2]]
        accs = [AccuracyResult(**{**a.__dict__, "test": name, "reference": ref_name}) for a, name in zip(accs, names)]
        return _compare_unpaired(*accs, names=tuple(names), reference=ref_name, level=level, exact=exact,
                                 continuity=continuity, n_omitted=accs[0].n_omitted + accs[1].n_omitted)
    complete = complete_cases({names[0]: values[0], names[1]: values[1], ref_name or "reference": values[2]},
                              nan_policy)
    d, t1, t2 = _binary_inputs(list(complete.arrays.values()), names, ref_name, positive, test_positive)
    return _compare_paired(d, t1, t2, names=tuple(names), reference=ref_name, level=level, exact=exact,
                           continuity=continuity, ci_method=ci, pv_method=pv, n_omitted=complete.n_omitted)


def _compare_tests_clustered(data: pd.DataFrame | None, *, tests: Any, reference: Any, positive: Any,
                             test_positive: Any, paired: Any, method: str | None, ci_method: Any, pv_method: Any,
                             continuity: Any, level: float, nan_policy: str, cluster: Any) -> TestComparison:
    """``compare_tests(..., cluster=)``: both tests on the same units, units clustered in patients."""
    method = check_option("obuchowski" if method is None else method, "method", _clc.CLUSTERED_TESTS)
    if paired is not None and check_flag(paired, "paired") is False:
        raise OptionError("paired=False with cluster=: a clustered comparison is of two tests read on the same "
                          "units; leave paired out.")
    interval = check_option("mover" if ci_method is None else ci_method, "ci_method", _clc.DIFFERENCE_INTERVALS)
    if pv_method is not None:
        raise OptionError(f"pv_method={pv_method!r} is not used with cluster=: predictive values have no clustered "
                          "comparison yet. Leave pv_method out.")
    if check_flag(continuity, "continuity"):
        raise OptionError("continuity=True is for McNemar's test; the clustered tests have no continuity "
                          "correction. Leave continuity out.")
    check_level(level)
    check_nan_policy(nan_policy)
    first, second = _check_tests(tests)
    if isinstance(first, AccuracyResult) or isinstance(second, AccuracyResult):
        raise DataError("cluster= needs the units (data=, tests=, reference=, cluster=), not two AccuracyResults: "
                        "counts do not say which units share a patient.")
    values, names, ref_name = _read_columns(data, tests, reference)
    if data is not None:
        cluster_name: str | None = str(cluster)
        cluster_values = column(data, cluster, "cluster").to_numpy()
    else:
        cluster_name, cluster_values = None, as_1d(cluster, "cluster")
    cluster_label = f"cluster {cluster_name!r}" if cluster_name else "cluster"
    check_same_length(**{f"tests[0] ({names[0]})": values[0], f"tests[1] ({names[1]})": values[1],
                         "reference": values[2], "cluster": cluster_values})
    complete = complete_cases({names[0]: values[0], names[1]: values[1], ref_name or "reference": values[2],
                               cluster_label: cluster_values}, nan_policy)
    arrays = list(complete.arrays.values())
    d, t1, t2 = _binary_inputs(arrays[:3], names, ref_name, positive, test_positive)
    return _compare_clustered(d, t1, t2, arrays[3], names=tuple(names), reference=ref_name, level=level,
                              method=method, interval=interval, cluster=cluster_name,
                              n_omitted=complete.n_omitted)


COMBINE_RULES = {"either": "positive if either test is positive (believe the positive)",
                 "both": "positive only if both tests are positive (believe the negative)"}


@dataclass(frozen=True, repr=False)
class CombinedTests(ResultTable):
    """A rule combining two tests: its accuracy and its paired comparison with each single test.

    Attributes
    ----------
    rule : str
        ``"either"`` (believe the positive) or ``"both"`` (believe the negative).
    accuracy : AccuracyResult
        Accuracy of the combined rule.
    comparisons : tuple of TestComparison
        The combined rule (first) against each single test (second), paired.
    names : tuple of str
    """

    rule: str
    accuracy: AccuracyResult
    comparisons: tuple[TestComparison, TestComparison]
    names: tuple[str, str]

    key_columns = ("comparison",)
    dict_include = ("n", "n_omitted", "level")

    @property
    def n(self) -> int:
        return self.accuracy.n

    @property
    def n_omitted(self) -> int:
        return self.accuracy.n_omitted

    @property
    def level(self) -> float:
        return self.accuracy.level

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"{self.accuracy.test}: {COMBINE_RULES[self.rule]}"

    def header_lines(self) -> list[str]:
        return self.accuracy.header_lines()

    @property
    def notes(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(dict.fromkeys(self.accuracy.notes + tuple(
            f"vs {c.names[1]}: {n}" for c in self.comparisons for n in c.notes)))

    def __getitem__(self, test: str) -> TestComparison:
        for c in self.comparisons:
            if c.names[1] == test:
                return c
        raise KeyError(f"{test!r} is not one of the combined tests {self.names}.")

    def to_frame(self) -> pd.DataFrame:
        """The combined rule's accuracy (``comparison`` "combined rule"), then its paired comparison with
        each single test (``comparison`` "vs <test>": the effect is combined minus (or over) single, and
        ``combined``, ``single`` are the two values compared)."""
        own = self.accuracy.to_frame()
        own.insert(0, "comparison", "combined rule")
        frames = [own]
        for c in self.comparisons:
            f = c.to_frame().rename(columns={"first": "combined", "second": "single"})
            f.insert(0, "comparison", f"vs {c.names[1]}")
            frames.append(f)
        return tidy(pd.concat(frames, ignore_index=True), self.key_columns)

    def __repr__(self) -> str:
        return f"CombinedTests(rule={self.rule!r}, tests={self.names!r}, n={self.accuracy.n})"


def combine_tests(data: pd.DataFrame | None = None, *, tests: Any, reference: Any = None, rule: str = "either",
                  positive: Any = None, test_positive: Any = None, method: str = "asymptotic",
                  ci_method: str | None = None, pv_method: str | None = None, level: float = 0.95,
                  nan_policy: str = "raise") -> CombinedTests:
    """Accuracy of two tests combined by a rule, compared (paired) with each test alone.

    ``rule="either"`` calls a patient positive when either test is positive (believe the
    positive: sensitivity rises, specificity falls); ``rule="both"`` only when both are (believe
    the negative). The combined rule and each single test are read on the same patients, so the
    comparisons are paired (see :func:`compare_tests` for ``method``, ``ci_method``,
    ``pv_method``).

    Returns
    -------
    CombinedTests
        ``.accuracy`` (the rule's :class:`~diagstats.AccuracyResult`) and ``.comparisons`` (one
        :class:`TestComparison` per single test, combined rule first); ``res["ct"]`` is the
        comparison with ``ct``.

    Examples
    --------
    >>> import diagstats as ds
    >>> ct   = [1, 1, 0, 0, 1, 0, 0, 0, 1, 0]
    >>> bone = [1, 0, 1, 0, 0, 0, 1, 0, 0, 0]
    >>> ref  = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    >>> res = ds.combine_tests(tests=(ct, bone), reference=ref, rule="either")
    >>> res.accuracy.sensitivity.value, res.accuracy.specificity.value
    (0.75, 0.5)
    >>> res["first"].sensitivity.difference.value
    0.25
    """
    rule = check_option(rule, "rule", COMBINE_RULES)
    exact, ci, pv = _options(method, ci_method, pv_method, True, level)
    check_nan_policy(nan_policy)
    values, names, ref_name = _read_columns(data, tests, reference)
    check_same_length(**{f"tests[0] ({names[0]})": values[0], f"tests[1] ({names[1]})": values[1],
                         "reference": values[2]})
    complete = complete_cases({names[0]: values[0], names[1]: values[1], ref_name or "reference": values[2]},
                              nan_policy)
    d, t1, t2 = _binary_inputs(list(complete.arrays.values()), names, ref_name, positive, test_positive)
    combined = (t1 | t2) if rule == "either" else (t1 & t2)
    combined_name = f"{names[0]} {'or' if rule == 'either' else 'and'} {names[1]}"
    options = dict(reference=ref_name, level=level, exact=exact, continuity=False, ci_method=ci, pv_method=pv,
                   n_omitted=complete.n_omitted)
    comparisons = tuple(_compare_paired(d, combined, single, names=(combined_name, name), **options)
                        for single, name in ((t1, names[0]), (t2, names[1])))
    return CombinedTests(rule=rule, accuracy=comparisons[0].first, comparisons=comparisons, names=tuple(names))
