"""Two tests compared when only patients positive on either test are verified (paired screen-positive design).

In screening (and in a work-up where a negative scan ends it) the reference standard is often done only in
patients positive on at least one of two tests. Patients negative on both are never verified, so neither
test's sensitivity nor its specificity can be estimated; their ratios can, because the unverified patients
are negative on both tests and cancel out of each ratio (Schatzkin et al. 1987):

    rTPF = TPF(first) / TPF(second) = (a + b) / (a + c)    among the diseased,
    rFPF = FPF(first) / FPF(second) = (a' + b') / (a' + c') among the non-diseased,

with ``a`` verified patients positive on both tests, ``b`` on the first only, ``c`` on the second only. Each
gets a log-scale Wald interval with var(log rTPF) = (b + c) / ((a + b)(a + c)) (Cheng & Macaluso 1997) and
the Wald z test of rTPF = 1 (rFPF = 1). A test with a higher TPF and a higher FPF finds more disease at the
price of more false alarms; both ratios are needed to judge it.

Cheng & Macaluso's (1997) Table 2: physical examination and mammography, biopsy only after a positive one.

>>> import pandas as pd, diagstats as ds
>>> cells = [(10, 1, 1, 1), (24, 1, 0, 1), (21, 0, 1, 1), (13, 1, 1, 0), (144, 1, 0, 0), (95, 0, 1, 0)]
>>> rows = [(pe, mammo, cancer) for n, pe, mammo, cancer in cells for _ in range(n)]
>>> verified = pd.DataFrame(rows, columns=["physical", "mammography", "cancer"])
>>> res = ds.compare_screen_positive(verified, tests=("physical", "mammography"), reference="cancer")
>>> round(res.relative_tpf.value, 4), round(res.relative_fpf.value, 4)
(1.0968, 1.4537)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._input import as_binary, check_level, check_nan_policy, check_same_length, missing
from ..errors import DataError
from .._core.quantiles import z_two_sided
from ..results import Estimate, ResultTable, TestResult, estimates_frame, tidy
from .comparison import _read_columns

METHOD = "log scale Wald (Cheng & Macaluso 1997)"
TEST_METHOD = "Wald z test of log ratio = 0 (Cheng & Macaluso 1997)"


@dataclass(frozen=True, repr=False)
class ScreenPositiveComparison(ResultTable):
    """Relative true and false positive fractions of two tests (first over second), screen-positive design.

    Attributes
    ----------
    relative_tpf, relative_fpf : Estimate
        TPF (sensitivity) and FPF (1 - specificity) of the first test over those of the second.
    tpf_test, fpf_test : TestResult
        Wald z tests of rTPF = 1 and rFPF = 1.
    counts : DataFrame
        Verified patients by reference class and by which test was positive (both, first only, second only).
    names : tuple of str
        The two tests, first and second.
    n_verified : int
        Patients with a reference result and a positive test.
    n_unverified : int
        Patients negative on both tests without a reference result (they cannot enter either ratio).
    n_double_negative_verified : int
        Patients negative on both tests who had the reference anyway; they do not enter the ratios either.
    n_omitted : int
        Patients dropped by ``nan_policy="omit"``.
    level : float
    """

    relative_tpf: Estimate
    relative_fpf: Estimate
    tpf_test: TestResult
    fpf_test: TestResult
    counts: pd.DataFrame
    names: tuple[str, str]
    n_verified: int
    n_unverified: int
    n_double_negative_verified: int = 0
    n_omitted: int = 0
    level: float = 0.95
    notes: tuple[str, ...] = ()

    dict_exclude = ("counts",)

    @property
    def title(self) -> str:  # type: ignore[override]
        return (f"Relative true and false positive fractions, {self.names[0]} over {self.names[1]} "
                "(paired screen-positive design)")

    def header_lines(self) -> list[str]:
        lines = [f"{self.n_verified} verified patients positive on at least one test; {self.n_unverified} negative on "
                 "both and not verified"]
        if self.n_double_negative_verified:
            lines.append(f"{self.n_double_negative_verified} negative on both but verified (not used)")
        if self.n_omitted:
            lines.append(f"{self.n_omitted} omitted (missing values)")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """Rows ``relative_tpf`` and ``relative_fpf``: value, interval, method, and the z test's statistic and p."""
        frame = estimates_frame([self.relative_tpf, self.relative_fpf])
        frame["statistic"] = [self.tpf_test.statistic, self.fpf_test.statistic]
        frame["p_value"] = [self.tpf_test.p_value, self.fpf_test.p_value]
        return tidy(frame)

    def confidence_rectangle(self) -> pd.DataFrame:
        """A joint ``level`` confidence region for (rTPF, rFPF): each ratio's interval at level sqrt(level).

        rTPF and rFPF are estimated from different patients (diseased, non-diseased) and so are independent;
        the rectangle of two sqrt(level) intervals covers both at ``level`` (as DTComPair's ``tpffpf.rel``
        documentation describes). Columns measure, value, lower, upper, level.
        """
        per_axis = math.sqrt(self.level)
        rows = []
        for estimate in (self.relative_tpf, self.relative_fpf):
            wide = _widen(estimate, per_axis)
            rows.append({"measure": estimate.name, "value": estimate.value, "lower": wide[0], "upper": wide[1],
                         "level": per_axis})
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        return (f"ScreenPositiveComparison(relative_tpf={self.relative_tpf.value:.4g}, "
                f"relative_fpf={self.relative_fpf.value:.4g}, n_verified={self.n_verified})")


def _widen(estimate: Estimate, level: float) -> tuple[float, float]:
    """The log-scale Wald interval of ``estimate`` at another level (its SE recovered from its own interval)."""
    if not np.isfinite(estimate.lower) or estimate.lower <= 0:
        return (math.nan, math.nan)
    se = (math.log(estimate.upper) - math.log(estimate.lower)) / (2 * z_two_sided(estimate.level))
    z = z_two_sided(level)
    return (math.exp(math.log(estimate.value) - z * se), math.exp(math.log(estimate.value) + z * se))


def _relative(both: int, first_only: int, second_only: int, name: str, what: str, level: float
              ) -> tuple[Estimate, TestResult, str | None]:
    first, second = both + first_only, both + second_only
    if first == 0 or second == 0:
        why = (f"{name} is undefined: no {what} verified patient was positive on the "
               f"{'first' if first == 0 else 'second'} test.")
        return (Estimate(math.nan, math.nan, math.nan, level, METHOD, name, notes=(why,)),
                TestResult(math.nan, math.nan, TEST_METHOD, name=name, notes=(why,)), why)
    log_ratio = math.log(first / second)
    se = math.sqrt((first_only + second_only) / (first * second))
    z = z_two_sided(level)
    estimate = Estimate(first / second, math.exp(log_ratio - z * se), math.exp(log_ratio + z * se), level, METHOD,
                        name)
    statistic = log_ratio / se if se > 0 else 0.0
    return estimate, TestResult(statistic, float(2 * stats.norm.sf(abs(statistic))), TEST_METHOD,
                                estimate=estimate, name=name), None


def compare_screen_positive(data: pd.DataFrame | None = None, *, tests: Any, reference: Any, positive: Any = None,
                            test_positive: Any = None, level: float = 0.95,
                            nan_policy: str = "raise") -> ScreenPositiveComparison:
    """Relative TPF and FPF of two tests when only patients positive on either test were verified.

    Parameters
    ----------
    data : DataFrame, optional
        Patients in rows; ``tests`` and ``reference`` then name columns.
    tests : pair of str or pair of array-like
        The two binary tests, read on every patient. Ratios are first over second.
    reference : str or array-like
        The reference standard: known for every patient positive on at least one test, missing (NaN or
        None) for the unverified patients negative on both.
    positive, test_positive : optional
        The reference label meaning diseased, and the test label meaning positive (as in
        :func:`diagstats.accuracy`).
    level : float, default 0.95
    nan_policy : {"raise", "omit"}, default "raise"
        A patient missing a test result, or positive on a test without a reference result, is an error;
        ``"omit"`` drops them with a note (valid only if they are missing at random).

    Returns
    -------
    ScreenPositiveComparison
        ``relative_tpf``, ``relative_fpf`` (Estimates), ``tpf_test``, ``fpf_test`` (Wald z tests),
        ``counts``, ``confidence_rectangle()``, ``to_frame()``.

    Notes
    -----
    Neither test's TPF or FPF is estimable in this design, nor is a relative specificity; McNemar's test
    of equal specificities is still valid (Schatzkin et al. 1987). On fully verified data rTPF equals
    :func:`diagstats.compare_tests`' relative sensitivity (``res.sensitivity.ratio``) and rFPF is the ratio
    of false positive fractions. Parity: the documented ``tpffpf.rel`` example of DTComPair 1.2.6 (Cheng &
    Macaluso's Table 2, breast cancer) to its printed digits (DTComPair reports Test2 over Test1).

    References
    ----------
    Schatzkin A, Connor RJ, Taylor PR, Bunnag B (1987). Comparing new and old screening tests when a
    reference procedure cannot be performed on all screenees. Am J Epidemiol 125:672-678.
    Cheng H, Macaluso M (1997). Comparison of the accuracy of two tests with a confirmatory procedure
    limited to positive results. Epidemiology 8:104-106.
    Alonzo TA, Pepe MS, Moskowitz CS (2002). Stat Med 21:835-852.

    Examples
    --------
    >>> import diagstats as ds
    >>> res = ds.compare_screen_positive(tests=([1, 1, 0, 1, 0, 1, 0], [1, 0, 1, 1, 0, 0, 1]),
    ...                                  reference=[1, 1, 1, 0, None, 0, 0])
    >>> res.relative_tpf.value, res.relative_fpf.value
    (1.0, 1.0)
    """
    level = check_level(level)
    check_nan_policy(nan_policy)
    values, names, ref_name = _read_columns(data, tests, reference)
    check_same_length(**{f"tests[0] ({names[0]})": values[0], f"tests[1] ({names[1]})": values[1],
                         "reference": values[2]})
    test_missing = missing(values[0]) | missing(values[1])
    ref_missing = missing(values[2])
    keep = ~test_missing
    t1 = np.zeros(len(keep), dtype=bool)
    t2 = np.zeros(len(keep), dtype=bool)
    for out, raw, name in ((t1, values[0], names[0]), (t2, values[1], names[1])):
        if keep.any():
            out[keep] = as_binary(raw[keep], f"test {name!r}", test_positive, positive_name="test_positive").values
    unverified_positive = keep & ref_missing & (t1 | t2)
    problems = test_missing | unverified_positive
    if problems.any() and nan_policy == "raise":
        k = int(np.flatnonzero(problems)[0])
        what = ("has a missing test result" if test_missing[k] else
                "is positive on a test but has no reference result")
        raise DataError(f"patient {k} (row {k} of the data) {what}: in a screen-positive design every patient has "
                        f"both tests and every patient positive on either is verified. Fill it in, or pass "
                        f"nan_policy='omit' to drop such patients (valid only if they are missing at random); "
                        f"{int(problems.sum())} patients are affected.")
    notes = []
    if problems.any():
        notes.append(f"{int(problems.sum())} patients with a missing test result or an unverified positive test were "
                     "omitted (nan_policy='omit'); the ratios assume they are missing at random.")
    used = ~problems & ~ref_missing & (t1 | t2)
    if not used.any():
        raise DataError("no verified patient is positive on either test; the ratios need verified screen "
                        "positives. Check tests= and reference=.")
    disease = as_binary(values[2][used], f"reference {ref_name!r}" if ref_name else "reference", positive).values
    counts, estimates, tests_out = [], {}, {}
    for diseased, key, what in ((True, "relative_tpf", "diseased"), (False, "relative_fpf", "non-diseased")):
        group = disease == diseased
        a1, a2 = t1[used][group], t2[used][group]
        both, first_only, second_only = int(np.sum(a1 & a2)), int(np.sum(a1 & ~a2)), int(np.sum(~a1 & a2))
        counts.append({"reference": what, "both positive": both, f"{names[0]} only": first_only,
                       f"{names[1]} only": second_only})
        estimates[key], tests_out[key], why = _relative(both, first_only, second_only, key, what, level)
        if why:
            notes.append(why)
    double_negative_verified = int(np.sum(~problems & ~ref_missing & ~t1 & ~t2))
    if double_negative_verified:
        notes.append(f"{double_negative_verified} patients negative on both tests were verified; they do not enter "
                     "either ratio (on fully verified data, ds.compare_tests gives each test's accuracy too).")
    return ScreenPositiveComparison(
        estimates["relative_tpf"], estimates["relative_fpf"], tests_out["relative_tpf"], tests_out["relative_fpf"],
        pd.DataFrame(counts), (names[0], names[1]), int(used.sum()),
        int(np.sum(~problems & ref_missing & ~t1 & ~t2)), double_negative_verified,
        int(problems.sum()) if nan_policy == "omit" else 0, level, tuple(notes))


