"""Per-study descriptives of a diagnostic meta-analysis, as mada's ``madad``.

Each study's sensitivity, specificity and false positive rate with Wilson intervals; its LR+, LR- and
DOR with log-scale Wald intervals; Pearson chi-square tests that all studies share one sensitivity
and one specificity; and the correlation of sensitivities with false positive rates, whose positive
sign suggests a threshold effect (studies differ in their positivity threshold; Zamora et al. 2006).

>>> import pandas as pd, diagstats as ds
>>> studies = pd.DataFrame({"tp": [47, 126, 19, 36], "fn": [9, 51, 10, 3],
...                         "fp": [101, 272, 12, 78], "tn": [738, 1543, 192, 276]})
>>> d = ds.meta.describe_studies(studies)
>>> round(d.sensitivity_test.statistic, 2), round(d.correlation.value, 3)
(11.52, 0.811)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._core.quantiles import z_two_sided
from .._input import check_level
from ..errors import DataError
from ..results import Estimate, ResultTable, TestResult, estimates_frame, format_number, format_p, tidy
from .models import _check_classes, _correct, _counts, _study_labels, _wilson

__all__ = ["describe_studies", "StudyDescriptivesResult"]


@dataclass(frozen=True, repr=False)
class StudyDescriptivesResult(ResultTable):
    """Per-study accuracy and the homogeneity and threshold-effect screens of a set of studies.

    Attributes
    ----------
    k : int
    studies : DataFrame
        One row per study: counts, ``sensitivity``, ``specificity``, ``fpr`` (Wilson intervals),
        ``lr_positive``, ``lr_negative``, ``dor`` (log-scale Wald intervals), each with ``_lower``
        and ``_upper`` columns.
    sensitivity_test, specificity_test : TestResult
        Pearson chi-square test (df k - 1) that the studies share one sensitivity (specificity); the
        test of equal false positive rates is the same as that of equal specificities.
    correlation : Estimate
        Pearson correlation of the studies' sensitivities with their false positive rates, with its
        Fisher-z interval.
    """

    k: int
    studies: pd.DataFrame
    sensitivity_test: TestResult
    specificity_test: TestResult
    correlation: Estimate
    level: float = 0.95
    notes: tuple[str, ...] = field(default=())
    key_columns = ("study",)

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Descriptive statistics of {self.k} diagnostic accuracy studies"

    def header_lines(self) -> list[str]:
        s, p = self.sensitivity_test, self.specificity_test
        r = self.correlation
        return [f"Equal sensitivities: chi2 = {format_number(s.statistic)}, df {s.df:g}, {format_p(s.p_value)}; "
                f"equal specificities: chi2 = {format_number(p.statistic)}, df {p.df:g}, {format_p(p.p_value)}",
                f"Correlation of sensitivities with false positive rates: r = {format_number(r.value)} "
                f"({format_number(r.lower)} to {format_number(r.upper)})"]

    def to_frame(self) -> pd.DataFrame:
        """Rows: each study's six measures (key column ``study``), then the two tests and the correlation."""
        rows, keys = [], []
        for _, row in self.studies.iterrows():
            for m, method in (("sensitivity", "Wilson"), ("specificity", "Wilson"), ("fpr", "Wilson"),
                              ("lr_positive", "Wald on log scale"), ("lr_negative", "Wald on log scale"),
                              ("dor", "Wald on log scale")):
                rows.append(Estimate(row[m], row[f"{m}_lower"], row[f"{m}_upper"], self.level, method, m))
                keys.append(row["study"])
        for t in (self.sensitivity_test, self.specificity_test):
            rows.append(Estimate(t.statistic, np.nan, np.nan, np.nan,
                                 f"{t.method}, df {t.df:g}, p {t.p_value:.4g}", t.name))
            keys.append("")
        rows.append(self.correlation)
        keys.append("")
        frame = estimates_frame(rows)
        frame["study"] = keys
        return tidy(frame, self.key_columns)

    def __repr__(self) -> str:
        return f"StudyDescriptivesResult(k={self.k}, correlation={self.correlation.value:.3g})"


def describe_studies(data: pd.DataFrame | None = None, *, tp: Any = "tp", fp: Any = "fp", fn: Any = "fn",
                     tn: Any = "tn", study: Any = None, level: float = 0.95, correction: float = 0.5,
                     correction_control: str = "zero_studies") -> StudyDescriptivesResult:
    """Per-study sensitivity, specificity, LRs and DOR with intervals, tests of equal sensitivities and
    specificities, and the sensitivity-FPR correlation (mada ``madad``).

    Parameters
    ----------
    data : DataFrame, optional
        One study a row; ``tp, fp, fn, tn`` name its columns (or are arrays).
    study : str or array-like, optional
        Study labels (default: a "study" column if present).
    level : float, default 0.95
    correction : float, default 0.5
        Added to the cells of studies with a zero cell (``correction_control="zero_studies"``) or, when
        any study has one, to every study (``"all"``, mada's default) for the LRs and DOR only; the
        proportions, tests and correlation use the raw counts.

    Returns
    -------
    StudyDescriptivesResult

    Notes
    -----
    Proportions: Wilson (1927) score intervals (mada's default ``method="wilson"``). Ratios:
    ``exp(log ratio +- z se)`` with the delta-method standard errors. Tests: Pearson's chi-square
    on the k x 2 table of each class (R ``prop.test(correct = FALSE)``; mada's ``yates=TRUE`` asks
    for Yates' correction, which R applies only with 2 studies: there the two differ). Correlation:
    Pearson's r with the Fisher-z interval (R ``cor.test``); with fewer than 4 studies Fisher's z
    has no standard error and r is reported without an interval, with a note. All agree with R to 1e-6
    (tests/meta, fixture peer_describe.R on the AuditC data of mada).

    References
    ----------
    Doebler P, Holling H (2015). Meta-analysis of diagnostic accuracy with mada. R vignette.
    Zamora J, Abraira V, Muriel A, Khan K, Coomarasamy A (2006). Meta-DiSc. BMC Med Res Methodol 6:31.
    Wilson EB (1927). J Am Stat Assoc 22:209-212.

    Examples
    --------
    >>> import pandas as pd, diagstats as ds
    >>> studies = pd.DataFrame({"tp": [47, 126, 19], "fn": [9, 51, 10], "fp": [101, 272, 12], "tn": [738, 1543, 192]})
    >>> round(float(ds.meta.describe_studies(studies).studies["dor"].iloc[0]), 2)
    38.16
    """
    level = check_level(level)
    cells = [_counts(data, c, nm).astype(float) for c, nm in ((tp, "tp"), (fp, "fp"), (fn, "fn"), (tn, "tn"))]
    if len({len(c) for c in cells}) > 1:
        raise DataError("tp, fp, fn and tn must have one count per study (their lengths differ).")
    k = len(cells[0])
    labels = _study_labels(data, study, k)
    if k < 2:
        raise DataError(f"describe_studies compares studies and needs at least 2 (rows of data); got {k}.")
    _check_classes(*cells, labels)
    a, c, b, d = cells                                      # tp, fp, fn, tn
    (ca, cc, cb, cd), notes = _correct(cells, correction, correction_control, labels)
    z = z_two_sided(level)
    n_dis, n_non = a + b, c + d
    frame = {"study": labels, "tp": a, "fp": c, "fn": b, "tn": d}
    for name, x, n in (("sensitivity", a, n_dis), ("specificity", d, n_non), ("fpr", c, n_non)):
        lo, hi = _wilson(x, n, level)
        frame.update({name: x / n, f"{name}_lower": lo, f"{name}_upper": hi})
    ratios = {"lr_positive": (np.log(ca / (ca + cb)) - np.log(cc / (cc + cd)),
                              1 / ca - 1 / (ca + cb) + 1 / cc - 1 / (cc + cd)),
              "lr_negative": (np.log(cb / (ca + cb)) - np.log(cd / (cc + cd)),
                              1 / cb - 1 / (ca + cb) + 1 / cd - 1 / (cc + cd)),
              "dor": (np.log(ca * cd / (cb * cc)), 1 / ca + 1 / cb + 1 / cc + 1 / cd)}
    with np.errstate(divide="ignore"):                     # correction=0 with a zero cell: 0 or inf, said below
        for name, (log_value, var) in ratios.items():
            se = np.sqrt(var)
            frame.update({name: np.exp(log_value), f"{name}_lower": np.exp(log_value - z * se),
                          f"{name}_upper": np.exp(log_value + z * se)})
    studies = pd.DataFrame(frame)
    sens_test = _equal_proportions(a, n_dis, "equal_sensitivities")
    spec_test = _equal_proportions(d, n_non, "equal_specificities")
    correlation, corr_notes = _correlation(a / n_dis, c / n_non, level)
    notes = tuple(notes) + corr_notes + sens_test.notes + spec_test.notes
    return StudyDescriptivesResult(k=k, studies=studies, sensitivity_test=sens_test, specificity_test=spec_test,
                                   correlation=correlation, level=level, notes=notes)


def _equal_proportions(x: np.ndarray, n: np.ndarray, name: str) -> TestResult:
    """Pearson chi-square test of one common proportion across the studies (k x 2 table)."""
    pooled = x.sum() / n.sum()
    method = "Pearson chi-square"
    if pooled in (0.0, 1.0):
        what = name.removeprefix("equal_")
        return TestResult(0.0, 1.0, method, df=len(x) - 1, name=name,
                          notes=(f"every study has {what} {pooled:g}: the {what} are equal, chi-square 0",))
    expected = n * pooled
    stat = float(np.sum((x - expected) ** 2 / expected + ((n - x) - (n - expected)) ** 2 / (n - expected)))
    return TestResult(stat, float(stats.chi2.sf(stat, len(x) - 1)), method, df=len(x) - 1, name=name)


def _correlation(sens: np.ndarray, fpr: np.ndarray, level: float) -> tuple[Estimate, tuple[str, ...]]:
    method = "Pearson, Fisher-z interval"
    if np.ptp(sens) == 0 or np.ptp(fpr) == 0:
        which = "sensitivity" if np.ptp(sens) == 0 else "false positive rate"
        return (Estimate(np.nan, np.nan, np.nan, level, method, "correlation_sensitivity_fpr"),
                (f"every study has the same {which}: its correlation with the other is undefined",))
    r = float(np.corrcoef(sens, fpr)[0, 1])
    k = len(sens)
    if k < 4:
        return (Estimate(r, np.nan, np.nan, level, method, "correlation_sensitivity_fpr"),
                (f"the correlation of {k} studies has no Fisher-z interval (it needs 4)",))
    z, half = np.arctanh(np.clip(r, -1, 1)), z_two_sided(level) / np.sqrt(k - 3)
    return Estimate(r, float(np.tanh(z - half)), float(np.tanh(z + half)), level, method,
                    "correlation_sensitivity_fpr"), ()
