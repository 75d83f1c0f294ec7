"""The Mantel-Haenszel pooled diagnostic odds ratio (fixed effect), as metafor ``rma.mh(measure="OR")``.

The pooled odds ratio is Mantel & Haenszel's (1959) ``sum(tp tn / n) / sum(fn fp / n)`` on the raw
counts (no continuity correction: a study with a zero cell still contributes), its log-scale
standard error that of Robins, Breslow & Greenland (1986), and the heterogeneity test Cochran's Q
of the per-study log DORs around the Mantel-Haenszel estimate (0.5 added to the cells of studies
with a zero cell for that test only).

>>> import pandas as pd, diagstats as ds
>>> studies = pd.DataFrame({"tp": [30, 69, 44, 62, 27], "fp": [5, 7, 1, 12, 13],
...                         "fn": [2, 2, 7, 5, 10], "tn": [135, 65, 150, 77, 85]})
>>> print(ds.meta.mantel_haenszel(studies).dor.format(1))
dor 87.9 (95% CI 51.0 to 151.6, Mantel-Haenszel, Robins-Breslow-Greenland SE on log scale)
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
from .models import _check_classes, _counts, _study_labels
from ..results import (Estimate, ResultTable, TestResult, estimates_frame, format_number, format_p,
                       format_p_value)

__all__ = ["mantel_haenszel", "MantelHaenszelResult"]

METHOD = "Mantel-Haenszel, Robins-Breslow-Greenland SE on log scale"


@dataclass(frozen=True, repr=False)
class MantelHaenszelResult(ResultTable):
    """Mantel-Haenszel pooled diagnostic odds ratio.

    Attributes
    ----------
    k : int
        Number of studies.
    dor : Estimate
        Pooled DOR with its interval (``exp(log DOR +- z se)``).
    log_dor : Estimate
        The same on the log scale.
    se : float
        Robins-Breslow-Greenland standard error of the log DOR.
    q : TestResult
        Cochran's Q of the per-study log DORs around the pooled value (df k - 1).
    studies : DataFrame
        Per-study counts, log DOR (0.5 added to studies with a zero cell) and its variance.
    """

    k: int
    dor: Estimate
    log_dor: Estimate
    se: float
    q: TestResult
    studies: pd.DataFrame
    level: float = 0.95
    notes: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Mantel-Haenszel pooled diagnostic odds ratio ({self.k} stud{'y' if self.k == 1 else 'ies'})"

    def header_lines(self) -> list[str]:
        return [f"Heterogeneity Q = {format_number(self.q.statistic)} (df {self.q.df:g}, {format_p(self.q.p_value)})"]

    def to_frame(self) -> pd.DataFrame:
        """Rows: the pooled DOR, its log, and Q (a value without an interval, so its level is NaN)."""
        q = Estimate(self.q.statistic, np.nan, np.nan, np.nan,
                     f"Cochran Q, df {self.q.df:g}, p {format_p_value(self.q.p_value)}", "Q", self.q.notes)
        return estimates_frame([self.dor, self.log_dor, q])

    def __repr__(self) -> str:
        return f"MantelHaenszelResult(k={self.k}, dor={self.dor.value:.4g})"


def mantel_haenszel(data: pd.DataFrame | None = None, *, tp: Any = "tp", fp: Any = "fp", fn: Any = "fn",
                    tn: Any = "tn", study: Any = None, level: float = 0.95) -> MantelHaenszelResult:
    """Fixed-effect Mantel-Haenszel pooled diagnostic odds ratio with its Robins-Breslow-Greenland interval.

    Parameters
    ----------
    data : DataFrame, optional
        One study a row; ``tp, fp, fn, tn`` name its columns (or are arrays).
    study : str or array-like, optional
        Study labels (default: a "study" column if present).
    level : float, default 0.95

    Returns
    -------
    MantelHaenszelResult

    Notes
    -----
    ``DOR_MH = sum(tp_i tn_i / n_i) / sum(fn_i fp_i / n_i)``; the variance of its log is the
    Robins-Breslow-Greenland (1986) estimator. A fixed-effect estimate: it assumes one common DOR,
    so with heterogeneous studies (see ``q``) prefer :func:`univariate` (``measure="dor"``) or the
    bivariate model. DOR, interval and Q agree with R metafor 3.8 ``rma.mh(measure="OR")`` to 1e-6
    (tests/meta). A pooled DOR that is infinite (no study with both a false negative and a false
    positive) or zero is reported as such without an interval, with a note.

    References
    ----------
    Mantel N, Haenszel W (1959). J Natl Cancer Inst 22:719-748.
    Robins J, Breslow N, Greenland S (1986). Biometrics 42:311-323.
    Glas AS, Lijmer JG, Prins MH, Bonsel GJ, Bossuyt PMM (2003). J Clin Epidemiol 56:1129-1135.

    Examples
    --------
    >>> import pandas as pd, diagstats as ds
    >>> studies = pd.DataFrame({"tp": [30, 69, 44], "fp": [5, 7, 1], "fn": [2, 2, 7], "tn": [135, 65, 150]})
    >>> round(ds.meta.mantel_haenszel(studies).dor.value, 2)
    459.29
    """
    level = check_level(level)
    a, c, b, d = (_counts(data, col, nm).astype(float) for col, nm in ((tp, "tp"), (fp, "fp"), (fn, "fn"), (tn, "tn")))
    if len({len(a), len(b), len(c), len(d)}) > 1:
        raise DataError("tp, fp, fn and tn must have one count per study (their lengths differ).")
    k = len(a)
    labels = _study_labels(data, study, k)
    if k < 1:
        raise DataError("data has no studies; give at least one 2x2 table.")
    _check_classes(a, c, b, d, labels)
    n = a + b + c + d
    r_sum, s_sum = np.sum(a * d / n), np.sum(b * c / n)
    zero = (a == 0) | (b == 0) | (c == 0) | (d == 0)
    ca, cb, cc, cd = (x + 0.5 * zero for x in (a, b, c, d))
    y, v = np.log(ca * cd / (cb * cc)), 1 / ca + 1 / cb + 1 / cc + 1 / cd
    studies = pd.DataFrame({"study": labels, "tp": a, "fp": c, "fn": b, "tn": d, "log_dor": y, "variance": v})
    notes: list[str] = []
    if zero.any():
        notes.append(f"{int(zero.sum())} studies have a zero cell: they enter the Mantel-Haenszel DOR uncorrected; "
                     "0.5 is added to their cells for the per-study log DORs of the Q test only")
    if r_sum == 0 or s_sum == 0:
        value = 0.0 if r_sum == 0 else np.inf
        notes.append(f"the pooled DOR is {value:g}: no study has both a "
                     f"{'true positive and a true negative' if r_sum == 0 else 'false negative and a false positive'}"
                     ", so it has no interval")
        lor = np.log(value) if value > 0 else -np.inf
        se = np.nan
        q_stat = np.nan
    else:
        lor = float(np.log(r_sum / s_sum))
        p_, q_ = (a + d) / n, (b + c) / n
        var = (np.sum(p_ * a * d / n) / (2 * r_sum ** 2) + np.sum(p_ * b * c / n + q_ * a * d / n) / (2 * r_sum * s_sum)
               + np.sum(q_ * b * c / n) / (2 * s_sum ** 2))
        se = float(np.sqrt(var))
        q_stat = float(np.sum((y - lor) ** 2 / v)) if k > 1 else np.nan
    z = z_two_sided(level)
    lo, hi = (lor - z * se, lor + z * se) if np.isfinite(se) else (np.nan, np.nan)
    notes_t = tuple(notes)
    log_dor = Estimate(float(lor), float(lo), float(hi), level, METHOD, "log dor", notes_t)
    dor = Estimate(float(np.exp(lor)), float(np.exp(lo)), float(np.exp(hi)), level, METHOD, "dor", notes_t)
    q_p = float(stats.chi2.sf(q_stat, k - 1)) if np.isfinite(q_stat) else np.nan
    q_notes: tuple[str, ...] = ()
    if not np.isfinite(q_stat):
        q_notes = (("one study: no heterogeneity test (Q compares at least 2 studies)",) if k == 1 else
                   ("no heterogeneity test: the pooled DOR is not finite",))
    q = TestResult(q_stat, q_p, "Cochran Q around the Mantel-Haenszel DOR", df=k - 1, name="heterogeneity",
                   notes=q_notes)
    return MantelHaenszelResult(k=k, dor=dor, log_dor=log_dor, se=se, q=q, studies=studies, level=level,
                                notes=tuple(dict.fromkeys(notes_t + q_notes)))
