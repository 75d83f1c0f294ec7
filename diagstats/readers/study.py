"""Multi-reader multi-case (MRMC) reader studies: the Obuchowski-Rockette analysis of a figure of merit.

Several readers rate the same cases under each of several modalities (a fully crossed design, long
data: one row per reader x modality x case). The empirical AUC (or another figure of merit, below) of every
reader x modality is analysed by the Obuchowski-Rockette (OR) model (Obuchowski & Rockette 1995): the AUCs
have a treatment x reader ANOVA structure with correlated errors, whose covariances over cases (Var(error);
Cov1: same reader, different modalities; Cov2: different readers, same modality; Cov3: different readers and
modalities) come from the jackknife over cases (``covariance="jackknife"``), DeLong's method (``"delong"``),
Gallas' unbiased U-statistic estimator (``"unbiased"``, :mod:`diagstats.readers._unbiased`) or the stratified
bootstrap of the cases (``"bootstrap"``). Three analyses:

* ``rrrc`` (random readers and random cases): F = MS(T) / [MS(T x R) + r max(Cov2 - Cov3, 0)] on
  t - 1 and Hillis' (2007) denominator degrees of freedom
  ddf = [MS(T x R) + r max(Cov2 - Cov3, 0)]^2 / {MS(T x R)^2 / [(t - 1)(r - 1)]}
  (Hillis 2007; Hillis, Berbaum & Metz 2008): the result generalises to new readers and new cases;
* ``frrc`` (fixed readers, random cases): chi-square = (t - 1) MS(T) / [Var(error) - Cov1 +
  (r - 1) max(Cov2 - Cov3, 0)] on t - 1 df: generalises to new cases read by these readers;
* ``rrfc`` (random readers, fixed cases): F = MS(T) / MS(T x R) on t - 1 and (t - 1)(r - 1) df.

``design="cases_in_readers"`` or ``"cases_in_modalities"`` analyses studies whose cases are nested in readers or
in modalities by the same OR model, with the covariances that the design makes zero (see
:mod:`diagstats.readers._designs`).

``method="dbm"`` runs the Dorfman-Berbaum-Metz analysis of the jackknife pseudovalues instead (see
:mod:`diagstats.readers._dbm`). ``cluster=`` names the patient of each case when the cases are lesions or vertebrae
within patients: the jackknife then leaves out one patient at a time, and ``covariance="delong"`` is Obuchowski's
(1997) clustered covariance (:mod:`diagstats.readers._clusters`).

Each modality's mean AUC has the single-modality RRRC interval (Hillis 2007: standard error
sqrt(MS(R)_i / r + max(Cov2_i, 0)), df (MS(R)_i + r max(Cov2_i, 0))^2 / [MS(R)_i^2 / (r - 1)]). The
jackknife covariance is (c - 1) / c x the sum of products of the leave-one-case-out deviations (the Iowa
OR-DBM MRMC convention), computed in closed form from the AUC placements.

Other figures of merit (``metric=``): the empirical partial AUC over a range of specificity or sensitivity
(``"pauc"``, jackknifed in closed form, :mod:`diagstats.readers._partial`); the binormal maximum-likelihood AUC
(``"binormal_auc"``, Dorfman & Alf 1969, jackknifed by refits, :mod:`diagstats.readers._binormal`); the
sensitivity or specificity of binary reads (or of a rating threshold), whose jackknife runs over the diseased
(resp. non-diseased) cases only, in closed form, as MRMCaov's ``binary_sens`` / ``binary_spec`` (Smith & Hillis
2020); or a user function, jackknifed over all cases by leaving each out (Efron's jackknife, Hillis 2007).

References: Obuchowski NA, Rockette HE (1995) Commun Stat Simul Comput 24:285-308. Hillis SL (2007)
Stat Med 26:596-619. Hillis SL, Berbaum KS, Metz CE (2008) Acad Radiol 15:647-661. DeLong ER et al.
(1988) Biometrics 44:837-845. Gallas BD (2006) Acad Radiol 13:353-362. Obuchowski NA (1997) Biometrics
53:567-578. Hillis SL (2014) Stat Med 33:330-360.

>>> import numpy as np, pandas as pd, diagstats as ds
>>> rng = np.random.default_rng(1)
>>> truth = np.repeat([0, 1], 30)
>>> rows = [{"reader": j, "modality": name, "case": k, "truth": truth[k],
...          "rating": truth[k] * (1.0 + 0.5 * m) + rng.normal()}
...         for j in range(4) for m, name in enumerate(("CT", "MRI")) for k in range(60)]
>>> res = ds.reader_study(pd.DataFrame(rows))
>>> res.rrrc.df is not None and res.modality_auc[1].value > res.modality_auc[0].value
True
>>> print(res.rrrc.estimate.name)
AUC difference CT - MRI
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from itertools import combinations
from types import MappingProxyType
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._input import (_label_list, _show, as_seed_sequence, check_dataframe, check_flag, check_level, check_n_boot,
                      check_number, check_option, column)
from ..errors import DataError, OptionError
from ..results import Estimate, ResultTable, TestResult, clip_interval, format_number, format_p, tidy
from ._curves import roc_points
from . import _clusters as clustered
from . import _dbm as dbm
from . import _designs as designs
from ._covariance import (auc_covariance, bootstrap_covariance, callable_deviations, case_placements,
                          jackknife_covariance, jackknife_deviations, proportion_deviations)
from ._binormal import binormal_jackknife, row_names
from ._partial import check_partial, partial_auc_jackknife, partial_bounds, partial_text
from ._unbiased import unbiased_covariance

METRICS = ("auc", "sensitivity", "specificity", "pauc", "binormal_auc")
#: How each figure of merit is named in the printout, and the range of its values.
LABELS = {"auc": "AUC", "sensitivity": "Sensitivity", "specificity": "Specificity", "pauc": "pAUC",
          "binormal_auc": "Binormal AUC"}
#: The figure of merit in the printout's header.
METRIC_TEXT = {"auc": "empirical AUC", "sensitivity": "sensitivity (jackknife over the diseased cases)",
               "specificity": "specificity (jackknife over the non-diseased cases)",
               "pauc": "empirical partial AUC",
               "binormal_auc": "binormal ML AUC (Dorfman & Alf 1969; jackknife by refits)"}
COVARIANCES = ("jackknife", "delong", "unbiased", "bootstrap")
#: The analyses: Obuchowski-Rockette on the figures of merit, or Dorfman-Berbaum-Metz on their pseudovalues.
METHODS = ("or", "dbm")
#: The names of ``ReaderStudyResult.components``, in print order.
COMPONENTS = ("Var(R)", "Var(TxR)", "Cov1", "Cov2", "Cov3", "Var(error)", "MS(T)", "MS(R)", "MS(TxR)")


@dataclass(frozen=True, repr=False)
class ReaderStudyResult(ResultTable):
    """An Obuchowski-Rockette reader study of a figure of merit, the AUC by default (see :func:`reader_study`).

    ``auc`` is the (modalities, readers) array of the figures of merit (AUCs unless ``metric`` says otherwise;
    the names below say AUC for all); ``auc_covariance`` their covariance over cases
    (rows and columns ordered modality-major: modality i, reader j at i * n_readers + j).
    ``modality_auc`` holds each modality's mean AUC with its single-modality RRRC interval;
    ``differences`` every pairwise difference (first minus second, in ``modalities`` order) with its RRRC
    interval. ``rrrc``, ``frrc``, ``rrfc`` are the three tests (with the difference as their estimate when
    there are two modalities); ``rrrc_pairs``, ``frrc_pairs``, ``rrfc_pairs`` the pairwise tests.
    ``per_reader`` holds, for each reader (in ``readers`` order) and each pair of modalities, the test of the
    difference of that reader's AUCs under fixed readers: a Wald z test with the variance
    Var(AUC_a) + Var(AUC_b) - 2 Cov(AUC_a, AUC_b) of that reader's own AUCs (``covariance``), as the per-reader
    analysis of the Iowa OR-DBM MRMC output (its standard error sqrt(2 (Var_j - Cov1_j)) is the same number).
    ``roc_points`` holds the (false positive rate, true positive rate) points of every reader x modality's
    empirical ROC curve of the ratings (same order as ``auc_covariance``), drawn by :meth:`plot`.
    ``method`` is ``"or"`` or ``"dbm"``: ``components`` holds that analysis' variance components and mean
    squares, ``or_components`` the OR ones in either (the DBM ones converted, Hillis 2014), read by
    :func:`diagstats.planning.reader_study_power`. Under DBM the fixed-readers tests (``frrc``, ``per_reader``)
    are F and t tests on (t - 1)(c - 1) df.
    """

    modalities: tuple
    readers: tuple
    n_cases: int
    n_diseased: int
    n_nondiseased: int
    auc: np.ndarray
    auc_covariance: np.ndarray
    modality_auc: tuple[Estimate, ...]
    modality_df: tuple[float, ...]
    differences: tuple[Estimate, ...]
    rrrc: TestResult
    frrc: TestResult
    rrfc: TestResult
    rrrc_pairs: tuple[TestResult, ...]
    frrc_pairs: tuple[TestResult, ...]
    rrfc_pairs: tuple[TestResult, ...]
    components: Any
    or_components: Any
    df_num: int
    metric: str = "auc"
    method: str = "or"
    covariance: str = "jackknife"
    level: float = 0.95
    notes: tuple[str, ...] = ()
    per_reader: tuple[TestResult, ...] = ()
    roc_points: tuple = ()
    #: For metric="pauc": the range of the partial area (e.g. "specificity 0.8 to 1") and the area's bounds.
    metric_detail: str = ""
    metric_bounds: tuple[float, float] = (0.0, 1.0)
    design: str = "crossed"
    n_ratings: int = 0

    @property
    def title(self) -> str:  # type: ignore[override]
        return ("Reader study: Dorfman-Berbaum-Metz analysis" if self.method == "dbm"
                else "Reader study: Obuchowski-Rockette analysis")
    key_columns = ("analysis", "modality", "reader")
    dict_include = ("n",)
    dict_exclude = ("roc_points", "n_ratings")  # every reader x modality's ROC points: read them from the attribute

    @property
    def label(self) -> str:
        """The figure of merit as printed: "AUC", "Sensitivity", "Specificity" or the name of a user function."""
        return LABELS.get(self.metric, self.metric.removeprefix("custom: "))

    @property
    def _range(self) -> tuple[float, float]:
        return self.metric_bounds if self.metric in LABELS else (-math.inf, math.inf)

    @property
    def n(self) -> int:
        """Rows analysed: readers x modalities x cases (crossed), or the ratings of a nested design."""
        return self.n_ratings or len(self.readers) * len(self.modalities) * self.n_cases

    def auc_frame(self) -> pd.DataFrame:
        """The figures of merit (AUCs) as a readers x modalities table."""
        return pd.DataFrame(np.asarray(self.auc).T, index=pd.Index(self.readers, name="reader"),
                            columns=pd.Index(self.modalities, name="modality"))

    def plot(self, ax: Any = None, *, readers: bool = True) -> Any:
        """Each reader's empirical ROC curve (thin) and each modality's average over readers (thick, its area the
        modality's mean AUC); ``readers=False`` draws the averages only. Returns the Axes."""
        from ..plot.readers import reader_curves
        return reader_curves(self, ax=ax, readers=check_flag(readers, "readers"))

    def _chi_square(self, analysis: str) -> bool:
        """Whether the overall test of ``analysis`` is a chi-square (the OR analysis with fixed readers)."""
        return analysis == "frrc" and self.method == "or"

    @property
    def _component_names(self) -> tuple[str, ...]:
        return dbm.DBM_COMPONENTS if self.method == "dbm" else COMPONENTS

    @property
    def _component_method(self) -> str:
        return ("DBM, jackknife pseudovalues" if self.method == "dbm" else f"OR, {self.covariance} covariance")

    def _pairs(self) -> list[str]:
        return [f"{a} - {b}" for a, b in combinations([str(m) for m in self.modalities], 2)]

    def to_frame(self) -> pd.DataFrame:
        """analysis, modality, reader, measure, value, lower, upper, level, method, notes, then statistic, df_num,
        df, p_value, test_method. Analyses: ``reader x modality`` (AUCs, normal intervals from their variance),
        ``modality`` (means, single-modality RRRC intervals, df), ``rrrc``/``frrc``/``rrfc`` (the overall test,
        modality ``all``, then each pairwise difference), ``per reader`` (each reader's test of each pairwise
        difference under fixed readers, reader in ``reader``), ``components``."""
        rows: list[dict[str, Any]] = []
        sd = np.sqrt(np.clip(np.diag(np.asarray(self.auc_covariance)), 0, None)).reshape(np.shape(self.auc))
        z = stats.norm.ppf(0.5 + self.level / 2)
        for i, m in enumerate(self.modalities):
            for j, r in enumerate(self.readers):
                a = float(self.auc[i, j])
                est, _ = clip_interval(Estimate(a, a - z * sd[i, j], a + z * sd[i, j], self.level,
                                                f"normal ({self.covariance} variance)", self.label), *self._range,
                                       f"{self.label} interval")
                rows.append({"analysis": "reader x modality", "modality": str(m), "reader": str(r), **est._row()})
        for m, est, df in zip(self.modalities, self.modality_auc, self.modality_df):
            rows.append({"analysis": "modality", "modality": str(m), "reader": "", **est._row(), "df": df})
        for name, test, pairs in (("rrrc", self.rrrc, self.rrrc_pairs), ("frrc", self.frrc, self.frrc_pairs),
                                  ("rrfc", self.rrfc, self.rrfc_pairs)):
            rows.append({"analysis": name, "modality": "all", "reader": "", "value": test.statistic,
                         "measure": "chi-square statistic" if self._chi_square(name) else "F statistic",
                         "notes": "; ".join(test.notes), "statistic": test.statistic, "df_num": self.df_num,
                         "df": test.df, "p_value": test.p_value, "test_method": test.method})
            for label, pair in zip(self._pairs(), pairs):
                row = pair.estimate._row()
                row["notes"] = "; ".join((*pair.notes, *pair.estimate.notes))
                rows.append({"analysis": name, "modality": label, "reader": "", **row,
                             "statistic": pair.statistic, "df": pair.df, "p_value": pair.p_value,
                             "test_method": pair.method})
        for j, test in enumerate(self.per_reader):
            row = test.estimate._row()
            row["notes"] = "; ".join((*test.notes, *test.estimate.notes))
            rows.append({"analysis": "per reader", "modality": self._pairs()[j % len(self._pairs())],
                         "reader": str(self.readers[j // len(self._pairs())]), **row, "statistic": test.statistic,
                         "df": test.df, "p_value": test.p_value, "test_method": test.method})
        for key in self._component_names:
            rows.append({"analysis": "components", "modality": "", "reader": "", "measure": key,
                         "value": self.components[key], "method": self._component_method})
        frame = tidy(pd.DataFrame(rows), self.key_columns)
        frame[["method", "notes", "test_method"]] = frame[["method", "notes", "test_method"]].fillna("")
        order = [c for c in ("statistic", "df_num", "df", "p_value", "test_method") if c in frame.columns]
        return frame[[*frame.columns[:len(self.key_columns) + 7], *order]]

    def header_lines(self) -> list[str]:
        return [f"{len(self.readers)} readers x {len(self.modalities)} modalities x {self.n_cases} cases "
                f"({self.n_diseased} diseased, {self.n_nondiseased} non-diseased); "
                f"{METRIC_TEXT.get(self.metric, self.label)}"
                f"{f' ({self.metric_detail})' if self.metric_detail else ''}, "
                f"{'jackknife pseudovalues (DBM)' if self.method == 'dbm' else self.covariance + ' covariance'}; "
                f"{100 * self.level:g}% intervals",
                *([f"Design: {designs.DESIGN_TEXT[self.design]}"] if self.design != "crossed" else [])]

    def to_text(self, digits: int = 3) -> str:
        """The layout of the OR-DBM MRMC output: AUCs, components, then the three analyses."""
        d = max(digits, 3) + 2
        lvl = f"{100 * self.level:g}%"
        out = [self.title, *self.header_lines(), "", f"{self.label} per reader x modality:"]
        out.append(self.auc_frame().map(lambda v: f"{v:.{d}f}").to_string())
        out += ["", "Modality means (single-modality RRRC intervals, Hillis df):"]
        means = pd.DataFrame({"modality": [str(m) for m in self.modalities],
                              self.label: [f"{e.value:.{d}f}" for e in self.modality_auc],
                              "df": [format_number(v, 2) for v in self.modality_df],
                              f"{lvl} CI": [f"{e.lower:.{d}f} to {e.upper:.{d}f}" for e in self.modality_auc]})
        out.append(means.to_string(index=False))
        names = self._component_names
        out += ["", ("DBM variance components and mean squares of the pseudovalues:" if self.method == "dbm"
                     else f"OR variance components and covariances ({self.covariance}):")]
        out.append("  ".join(f"{k} {self.components[k]:.8f}" for k in names[:6]))
        out.append("  ".join(f"{k} {self.components[k]:.8f}" for k in names[6:]))
        for title, test, pairs in (("Random readers and random cases (RRRC)", self.rrrc, self.rrrc_pairs),
                                   ("Fixed readers and random cases (FRRC)", self.frrc, self.frrc_pairs),
                                   ("Random readers and fixed cases (RRFC)", self.rrfc, self.rrfc_pairs)):
            chi = self._chi_square(test.name)
            stat = "chi-square" if chi else "F"
            df = f"df {self.df_num}" if chi else f"df ({self.df_num}, {format_number(test.df, 2)})"
            out += ["", f"{title}: {test.method}", f"  {stat} = {format_number(test.statistic, digits)}, {df}, "
                    f"{format_p(test.p_value, 4)}"]
            for label, pair in zip(self._pairs(), pairs):
                e = pair.estimate
                out.append(f"  {label}: {e.value:.{d}f} ({lvl} CI {e.lower:.{d}f} to {e.upper:.{d}f}), "
                           f"{format_p(pair.p_value, 4)}")
            out += [f"  Note: {n}" for n in test.notes]
        if self.per_reader:
            how = ("t test on the reader's own pseudovalues" if self.method == "dbm"
                   else f"Wald z, {self.covariance} covariance of the reader's {self.label} values")
            out += ["", f"Each reader alone (fixed readers; {how}):"]
            pairs = self._pairs()
            for j, test in enumerate(self.per_reader):
                e = test.estimate
                out.append(f"  reader {self.readers[j // len(pairs)]}, {pairs[j % len(pairs)]}: {e.value:.{d}f} "
                           f"({lvl} CI {e.lower:.{d}f} to {e.upper:.{d}f}), "
                           f"{'t' if self.method == 'dbm' else 'z'} = {format_number(test.statistic, digits)}, "
                           f"{format_p(test.p_value, 4)}")
        out += [f"Note: {n}" for n in self.notes]
        return "\n".join(out)

    def __repr__(self) -> str:
        return (f"ReaderStudyResult(modalities={list(self.modalities)}, readers={len(self.readers)}, "
                f"cases={self.n_cases}, covariance={self.covariance!r})")


def _codes(values: pd.Series) -> tuple[np.ndarray, tuple]:
    try:
        codes, labels = pd.factorize(values, sort=True)
    except TypeError:  # labels of mixed types cannot be sorted: order of appearance
        codes, labels = pd.factorize(values, sort=False)
    return codes, tuple(v.item() if isinstance(v, np.generic) else v for v in labels)


def _check_missing(series: pd.Series, arg: str, col: Any, fix: str) -> None:
    bad = series.isna().to_numpy()
    if bad.any():
        rows = list(series.index[bad][:5])
        raise DataError(f"{arg}={_show(col)} has {int(bad.sum())} missing value(s) (rows {_label_list(rows)}); "
                        f"{fix}")


def _read(data: Any, modality: Any, reader: Any, case: Any, truth: Any, score: Any, binary: bool = False,
          design: str = "crossed"):
    """The (modalities, readers, cases) ratings, the cases' truth and the labels, or a DataError. For a nested
    ``design``: the rows' ratings, modality, reader and case codes, the cases' truth and the labels."""
    data = check_dataframe(data, "data", what="one row per reader x modality x case")
    cols = {arg: column(data, col, arg) for arg, col in
            (("modality", modality), ("reader", reader), ("case", case), ("truth", truth), ("score", score))}
    names = {"modality": modality, "reader": reader, "case": case, "truth": truth, "score": score}
    for arg in ("modality", "reader", "case"):
        _check_missing(cols[arg], arg, names[arg], "every row must say which reader read which case in which "
                       "modality; drop or fill those rows.")
    _check_missing(cols["truth"], "truth", truth, "a case with no truth cannot be scored: give every case its "
                   "reference standard (0 non-diseased, 1 diseased), or drop the case from every reader and modality.")
    _check_missing(cols["score"], "score", score, "every reader must rate every case in every modality; drop the "
                   "case (from every reader and modality) or fill in the rating.")
    rating = cols["score"]
    if binary and rating.dtype.kind == "b":  # binary reads: True is a positive read
        rating = rating.astype(float)
    if rating.dtype.kind not in "iuf":
        converted = pd.to_numeric(rating, errors="coerce") if rating.dtype.kind == "O" else None
        if converted is None or converted.isna().any() or rating.dtype.kind == "b":
            bad = rating[converted.isna()].iloc[0] if converted is not None and converted.isna().any() else rating.dtype
            raise DataError(f"score={_show(score)} must be a numeric rating (higher = more likely diseased), but "
                            f"holds {_show(bad)}; convert it first, e.g. pd.to_numeric(data[{_show(score)}]).")
        rating = converted
    rating = rating.to_numpy(dtype=float)
    if not np.isfinite(rating).all():
        raise DataError(f"score={_show(score)} holds infinite ratings; every rating must be a finite number.")
    t_values = cols["truth"]
    if t_values.dtype.kind == "b":
        is_case = t_values.to_numpy(dtype=bool)
    else:
        distinct = pd.unique(t_values)
        if not all(isinstance(v, (bool, np.bool_, int, float, np.integer, np.floating)) and v in (0, 1)
                   for v in distinct):
            raise DataError(f"truth={_show(truth)} must be binary, 0 (non-diseased) or 1 (diseased); its values are "
                            f"{_label_list(list(distinct)[:10])}. Recode it, e.g. data[{_show(truth)}] == 'malignant'.")
        is_case = t_values.to_numpy() == 1
    m_codes, m_labels = _codes(cols["modality"])
    r_codes, r_labels = _codes(cols["reader"])
    c_codes, c_labels = _codes(cols["case"])
    t, r, c = len(m_labels), len(r_labels), len(c_labels)
    if t < 2:
        raise DataError(f"modality={_show(modality)} has {t} value ({_label_list(m_labels)}); a reader study compares "
                        "at least two modalities. For one modality, analyse each reader with ds.roc.")
    if r < 2:
        raise DataError(f"reader={_show(reader)} has {r} value ({_label_list(r_labels)}); the Obuchowski-Rockette "
                        "analysis needs at least two readers. For one reader, compare the modalities with "
                        "ds.compare_roc.")
    cell = (m_codes * r + r_codes) * c + c_codes
    dup = pd.Series(cell).duplicated().to_numpy()
    if dup.any():
        k = int(np.flatnonzero(dup)[0])
        raise DataError(f"data has {int(dup.sum())} duplicate row(s): reader {_show(r_labels[r_codes[k]])} read case "
                        f"{_show(c_labels[c_codes[k]])} in modality {_show(m_labels[m_codes[k]])} more than once "
                        f"(columns {_show(reader)}, {_show(case)}, {_show(modality)}); keep one rating per reader x "
                        "modality x case, e.g. data.drop_duplicates([reader, modality, case]).")
    per_case = np.full(c, -1)
    per_case[c_codes] = is_case
    conflict = np.zeros(c, dtype=bool)
    conflict[c_codes[is_case != per_case[c_codes].astype(bool)]] = True
    if conflict.any():
        bad = [c_labels[k] for k in np.flatnonzero(conflict)[:5]]
        raise DataError(f"truth={_show(truth)} differs between rows of the same case ({_label_list(bad)}); a case "
                        "has one reference standard, the same for every reader and modality. Fix the truth of "
                        "those cases.")
    if design != "crossed":
        return rating, m_codes, r_codes, c_codes, per_case.astype(bool), (m_labels, r_labels, c_labels)
    if len(cell) != t * r * c:
        counts = np.bincount(m_codes * r + r_codes, minlength=t * r)
        k = int(np.argmin(counts))
        raise DataError(f"data is not a fully crossed design: reader {_show(r_labels[k % r])} read {int(counts[k])} of "
                        f"the {c} cases in modality {_show(m_labels[k // r])}. Every reader must read every case in "
                        "every modality; drop the cases that some reader did not read (in every modality), or the "
                        "reader. " + designs.crossed_hint(m_codes, r_codes, c_codes, t, r, c))
    ratings = np.empty(t * r * c)
    ratings[cell] = rating
    truth_case = per_case.astype(bool)
    n1 = int(truth_case.sum())
    if n1 < 2 or c - n1 < 2:
        raise DataError(f"truth={_show(truth)} has {n1} diseased and {c - n1} non-diseased cases; the jackknife "
                        "over cases needs at least two of each.")
    return ratings.reshape(t, r, c), truth_case, m_labels, r_labels


def _p_two_sided(stat: float, df: float) -> float:
    if math.isnan(stat):
        return math.nan
    return float(2 * (stats.norm.sf(abs(stat)) if math.isinf(df) else stats.t.sf(abs(stat), df)))


def _pair_tests(auc_t: np.ndarray, labels: tuple, var: float, df: float, level: float, method: str,
                interval: str, measure: str = "AUC", bound: float = 1.0) -> list[TestResult]:
    """Every pairwise difference, with standard error sqrt(2 var / r) folded in by the caller as ``var``."""
    q = stats.norm.ppf(0.5 + level / 2) if math.isinf(df) else stats.t.ppf(0.5 + level / 2, df)
    se = math.sqrt(var) if var > 0 else 0.0
    out = []
    for a, b in combinations(range(len(labels)), 2):
        diff = float(auc_t[a] - auc_t[b])
        stat = diff / se if se > 0 else (math.nan if diff == 0 else math.copysign(math.inf, diff))
        est, _ = clip_interval(Estimate(diff, diff - q * se, diff + q * se, level, interval,
                                        f"{measure} difference {labels[a]} - {labels[b]}"), -bound, bound,
                               f"{measure} difference interval",
                               "t" if math.isfinite(df) else "normal")
        note = (("the difference and its standard error are both 0: the test statistic is undefined",)
                if math.isnan(stat) else ())
        out.append(TestResult(float(stat), _p_two_sided(float(stat), df), method, est, df=float(df),
                              name=f"{measure} difference {labels[a]} - {labels[b]}", notes=note))
    return out


def _check_metric_output(values: Any, k: int) -> np.ndarray:
    """The output of a user figure of merit: k finite numbers (one per reader x modality), or a DataError."""
    try:
        out = np.asarray(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        out = None
    if out is None or out.shape != (k,) or not np.isfinite(out).all():
        raise DataError(f"metric returned {_show(values)}; a figure-of-merit function metric(truth, ratings) must "
                        f"return {k} finite numbers, one per row of ratings (reader x modality), for any subset of "
                        "the cases with one left out.")
    return out


def _ratio(num: float, den: float) -> float:
    if den > 0:
        return num / den
    return math.nan if num == 0 else math.inf


def reader_study(data: pd.DataFrame, *, modality: Any = "modality", reader: Any = "reader", case: Any = "case",
                 truth: Any = "truth", score: Any = "rating", metric: str | Callable = "auc",
                 covariance: str = "jackknife", level: float = 0.95, threshold: float | None = None,
                 method: str = "or", n_boot: int = 2000, seed: Any = 0, progress: bool = True,
                 specificity: tuple[float, float] | None = None, sensitivity: tuple[float, float] | None = None,
                 correct: bool = False, design: str = "crossed", cluster: Any = None) -> ReaderStudyResult:
    """Obuchowski-Rockette analysis of a fully crossed multi-reader multi-case study of the empirical AUC (or of
    sensitivity, specificity or a figure of merit of your own).

    Parameters
    ----------
    data : DataFrame
        Long data, one row per reader x modality x case: every reader rates every case in every modality.
    modality, reader, case, truth, score : column names
        The modality (at least two), the reader (at least two), the case id, the case's truth (0/1 or
        bool: 1 diseased; the same on every row of a case) and the rating (numeric, higher = more likely
        diseased).
    metric : "auc", "sensitivity", "specificity", "pauc" or callable
        The figure of merit: the empirical (Mann-Whitney) AUC, ties counted one half; the empirical partial AUC
        (``"pauc"``) over ``specificity=(lo, hi)`` or ``sensitivity=(lo, hi)``, as ``ds.roc(...).partial_auc``
        and pROC, McClish-standardised with ``correct=True``, jackknifed over all cases in closed form
        (:mod:`diagstats.readers._partial`); the binormal maximum-likelihood AUC (``"binormal_auc"``, as
        ``ds.roc(...).smooth()`` and MRMCaov's ``binormal_auc``) of ratings on a scale of at most 20 categories,
        jackknifed by refitting (at most 2 K + 1 fits per reader x modality on K categories, whatever the number
        of cases; :mod:`diagstats.readers._binormal`); the sensitivity or
        specificity of binary reads (``score`` 0/1 or bool, 1 positive) or of the rating at ``threshold``
        (positive when rating >= threshold), whose jackknife runs over the cases the measure depends on (the
        diseased for sensitivity, the non-diseased for specificity), as MRMCaov's ``binary_sens`` /
        ``binary_spec``; or a function ``metric(truth, ratings)`` of the cases' truth (bool, n) and the ratings
        (readers x modalities rows, n columns) returning one finite value per row, jackknifed over all cases
        (it is called n + 1 times).
    covariance : "jackknife", "delong", "unbiased" or "bootstrap"
        How the covariances of the AUCs over cases are estimated: the jackknife over cases (as the Iowa
        OR-DBM MRMC program and RJafroc), DeLong's method (as MRMCaov's ``cov = DeLong``), Gallas' (2006)
        unbiased U-statistic covariance (as MRMCaov's ``cov = unbiased`` and iMRMC; it may be negative; see
        :mod:`diagstats.readers._unbiased`), or the bootstrap:
        ``n_boot`` resamples of the cases within their truth (the same cases for every reader and modality),
        the covariance of the replicate AUCs (random: fixed by ``seed``).
    level : float
        Confidence level of every interval.
    threshold : float, optional
        For sensitivity and specificity of ratings: a rating >= ``threshold`` is a positive read.
    method : "or" or "dbm"
        The Obuchowski-Rockette analysis of the figures of merit (default), or the Dorfman-Berbaum-Metz
        analysis of their normalised jackknife pseudovalues (a treatment x reader x case ANOVA; Dorfman,
        Berbaum & Metz 1992, with Hillis' 2008 denominator df; jackknife only). Its RRRC and RRFC tests equal
        the OR ones with jackknife covariances (Hillis, Berbaum & Metz 2008); its FRRC test is F = MS(T) /
        MS(TxC) on t - 1 and (t - 1)(c - 1) df, its per-reader tests t tests on (t - 1)(c - 1) df, and
        ``components`` holds the DBM variance components (Var(R), Var(C), Var(TxR), Var(TxC), Var(RxC),
        Var(error)) and mean squares; ``or_components`` holds the OR ones in both analyses.
    n_boot, seed : int, seed
        For ``covariance="bootstrap"``: the number of bootstrap resamples and the seed (an int, a
        ``numpy.random.Generator`` or ``SeedSequence``); the same seed gives the same covariance. Unused otherwise.
    progress : bool
        Show a progress bar while bootstrapping (covariance="bootstrap").
    specificity, sensitivity, correct : (low, high), (low, high), bool
        For ``metric="pauc"``: the range of the partial area (give exactly one, within [0, 1]) and McClish's
        (1989) standardisation (0.5 for a useless reader, 1 for a perfect one).
    design : "crossed", "cases_in_readers", "cases_in_modalities" or "auto"
        Which cases each reader reads (Obuchowski 1995; Hillis 2014; MRMCaov's designs 1-3). ``"crossed"``:
        every reader reads every case in every modality. ``"cases_in_readers"``: each reader reads his or her
        own cases (a case id belongs to one reader), in every modality; Cov2 = Cov3 = 0 by design, so the RRRC
        test is F = MS(T) / MS(TxR) on (t - 1)(r - 1) df (the RRFC statistic) and FRRC uses Var(error) - Cov1.
        ``"cases_in_modalities"``: each modality has its own cases (a case id belongs to one modality), read by
        every reader; Cov1 = Cov3 = 0 by design. All three analyses are given for every design; each design's
        covariances come from the cases that measures share (see :mod:`diagstats.readers._designs`). Nested
        designs take ``method="or"`` and the AUC, sensitivity, specificity or a function; when crossed data is
        expected but the rows fit a nested design, the error names the ``design=`` to pass. ``"auto"``: the
        design the rows fit (the three are mutually exclusive), said in a note.
    cluster : column name, optional
        The patient id when the cases are lesions or vertebrae within patients (each case in one patient). The
        jackknife then leaves out one patient at a time, and ``covariance="delong"`` is Obuchowski's (1997)
        clustered covariance, so the OR covariances account for the correlation of a patient's cases
        (:mod:`diagstats.readers._clusters`; OR analysis with ``"jackknife"`` or ``"delong"`` only). With one
        case per patient the result is the unclustered one.

    Returns
    -------
    ReaderStudyResult
        The AUCs, modality means with single-modality intervals, pairwise differences, the ``rrrc``,
        ``frrc`` and ``rrfc`` tests and the variance ``components``.

    Notes
    -----
    Var(R) = [MS(R) - MS(TxR)] / t - Cov1 + Cov3 and Var(TxR) = MS(TxR) - Var(error) + Cov1 + Cov2 - Cov3
    (method of moments; either may be negative). Where Cov2 < Cov3 the term Cov2 - Cov3 is set to 0 in the
    RRRC and FRRC analyses (Hillis 2007), which makes the RRRC ddf equal (t - 1)(r - 1).

    References: Obuchowski & Rockette (1995); Hillis (2007); Hillis, Berbaum & Metz (2008); see the
    module docstring.

    >>> import numpy as np, pandas as pd, diagstats as ds
    >>> rng = np.random.default_rng(0)
    >>> truth = np.repeat([0, 1], 25)
    >>> data = pd.DataFrame([{"reader": f"R{j}", "modality": m, "case": k, "truth": truth[k],
    ...                       "rating": round(truth[k] * (1 + m) + rng.normal(), 1)}
    ...                      for j in range(3) for m in (0, 1) for k in range(50)])
    >>> res = ds.reader_study(data)
    >>> res.rrrc.method
    'OR F test, Hillis (2007) ddf'
    >>> sorted(res.components)[:3]
    ['Cov1', 'Cov2', 'Cov3']

    Cases nested in readers (each reader reads own cases, in both modalities): Cov2 = Cov3 = 0, and the RRRC
    test has (t - 1)(r - 1) df.

    >>> own = ds.simulate.roe_metz(n_readers=4, n_nondiseased=15, n_diseased=15, design="cases_in_readers", seed=2)
    >>> nested = ds.reader_study(own, design="cases_in_readers")
    >>> nested.components["Cov2"], round(nested.rrrc.df, 6), nested.design
    (0.0, 3.0, 'cases_in_readers')
    """
    fn = metric if callable(metric) else None
    method = check_option(method, "method", METHODS)
    metric = f"custom: {getattr(fn, '__name__', 'metric')}" if fn else check_option(metric, "metric", METRICS)
    covariance = check_option(covariance, "covariance", COVARIANCES)
    if method == "dbm" and covariance != "jackknife":
        raise OptionError(f"method='dbm' analyses the jackknife pseudovalues; covariance={_show(covariance)} belongs "
                          "to the Obuchowski-Rockette analysis: use method='or' with it, or drop covariance=.")
    if covariance != "jackknife" and metric != "auc":
        raise OptionError(f"covariance={covariance!r} is a covariance of empirical AUCs; metric={_show(metric)} needs "
                          "covariance='jackknife'.")
    if cluster is not None and (method == "dbm" or covariance not in ("jackknife", "delong") or fn is not None
                                or metric not in ("auc", "sensitivity", "specificity")):
        raise OptionError(f"cluster={_show(cluster)} runs the jackknife (or Obuchowski's DeLong-type covariance) over "
                          "patients for metric='auc', 'sensitivity' or 'specificity' in the OR analysis; drop cluster= "
                          "or use method='or' with covariance='jackknife' or 'delong' and a built-in metric.")
    if covariance == "bootstrap":
        n_boot = check_n_boot(n_boot)
        seeds = as_seed_sequence(seed)
    if threshold is not None:
        if metric not in ("sensitivity", "specificity"):
            raise OptionError(f"threshold={_show(threshold)} makes binary reads for metric='sensitivity' or "
                              f"'specificity'; metric={_show(metric)} uses the ratings as they are. Drop threshold=.")
        threshold = check_number(threshold, "threshold", what="rating threshold")
    level = check_level(level)
    focus, lo, hi, correct = check_partial(metric, specificity, sensitivity, correct)
    binary = metric in ("sensitivity", "specificity")
    design = designs.check_design(design, method, covariance, metric)
    design_note = None
    if design == designs.AUTO:
        rows = _read(data, modality, reader, case, truth, score, design=design)
        design, design_note = designs.detect(*rows[1:4], rows[5])
        designs.check_design(design, method, covariance, metric)
    nested, fit_notes, groups = None, (), None
    if design != "crossed" and cluster is not None:
        raise OptionError(f"cluster={_show(cluster)} is available for a fully crossed design; design={design!r} "
                          "nests the cases in readers or modalities. Drop cluster= (or analyse a crossed study).")
    if design != "crossed":  # cases nested in readers or in modalities: see diagstats.readers._designs
        rows = _read(data, modality, reader, case, truth, score, binary=binary, design=design)
        nested = designs.measures(
            *rows, design, metric=metric, fn=fn, threshold=threshold, covariance=covariance,
            n_boot=n_boot if covariance == "bootstrap" else 0, seeds=seeds if covariance == "bootstrap" else None,
            progress=check_flag(progress, "progress"), check_output=_check_metric_output, score=score)
        m_labels, r_labels = rows[5][:2]
        t, r, c = len(m_labels), len(r_labels), len(rows[4])
        value, cov, is_case = nested.value, nested.cov, nested.is_case
    else:
        ratings, is_case, m_labels, r_labels = _read(data, modality, reader, case, truth, score, binary=binary)
        t, r, c = ratings.shape
        flat = ratings.reshape(t * r, c)
        deviations = None
        groups = None if cluster is None else clustered.case_clusters(
            data, case, cluster, _codes(column(data, case, "case"))[0], c, is_case)
        if fn is not None:
            value, deviations = callable_deviations(fn, flat, is_case, _check_metric_output)
        elif binary:
            if threshold is not None:
                flat = (flat >= threshold).astype(float)
            elif not np.isin(flat, (0.0, 1.0)).all():
                bad = flat[~np.isin(flat, (0.0, 1.0))][0]
                raise DataError(f"metric={metric!r} needs binary reads: score={_show(score)} holds "
                                f"{format_number(bad)}; give reads coded 0/1 (1 positive), or threshold= (a rating >= "
                                "threshold is positive), e.g. threshold=3 on a 1-5 scale.")
            value, deviations = (proportion_deviations(flat, is_case, metric) if groups is None else
                                 clustered.proportion_deviations(flat, is_case, groups, metric))
        elif groups is not None:
            if covariance == "jackknife":
                value, deviations = clustered.auc_deviations(flat, is_case, groups)
            else:
                value, cov = clustered.delong_covariance(flat, is_case, groups)
        elif metric == "pauc":
            value, deviations = partial_auc_jackknife(flat, is_case, focus, lo, hi, correct)
        elif metric == "binormal_auc":
            value, deviations, fit_notes = binormal_jackknife(flat, is_case, row_names(m_labels, r_labels))
        else:
            value, v10, v01 = case_placements(flat, is_case)
            if covariance == "jackknife":
                deviations = jackknife_deviations(value, v10, v01)
            elif covariance == "bootstrap":
                cov = bootstrap_covariance(flat, is_case, n_boot, seeds, check_flag(progress, "progress"))
            elif covariance == "unbiased":
                cov = unbiased_covariance(flat, is_case, value, v10, v01)
            else:
                cov = auc_covariance(value, v10, v01, covariance)
        if deviations is not None:
            cov = jackknife_covariance(deviations)
    auc = value.reshape(t, r)
    label = LABELS.get(metric, metric.removeprefix("custom: "))
    low, high = ((partial_bounds(lo, hi, correct) if metric == "pauc" else (0.0, 1.0)) if metric in LABELS
                 else (-math.inf, math.inf))

    mod = np.repeat(np.arange(t), r)
    rdr = np.tile(np.arange(r), t)
    same_m, same_r = mod[:, None] == mod[None, :], rdr[:, None] == rdr[None, :]
    var_error = float(np.mean(np.diag(cov)))
    cov1 = float(cov[~same_m & same_r].mean())
    cov2 = float(cov[same_m & ~same_r].mean())
    cov3 = float(cov[~same_m & ~same_r].mean())
    theta_t, theta_r, theta = auc.mean(axis=1), auc.mean(axis=0), float(auc.mean())
    ms_t = float(r * np.sum((theta_t - theta) ** 2) / (t - 1))
    ms_r = float(t * np.sum((theta_r - theta) ** 2) / (r - 1))
    ms_tr = float(np.sum((auc - theta_t[:, None] - theta_r[None, :] + theta) ** 2) / ((t - 1) * (r - 1)))
    components = {"Var(R)": (ms_r - ms_tr) / t - cov1 + cov3, "Var(TxR)": ms_tr - var_error + cov1 + cov2 - cov3,
                  "Cov1": cov1, "Cov2": cov2, "Cov3": cov3, "Var(error)": var_error, "MS(T)": ms_t, "MS(R)": ms_r,
                  "MS(TxR)": ms_tr}
    notes: list[str] = list(fit_notes)
    if groups is not None:
        notes.append(f"cases clustered in {int(groups.max()) + 1} patients ({_show(cluster)}): "
                     f"{'jackknife over patients' if covariance == 'jackknife' else 'Obuchowski (1997) covariance'}")
    labels = tuple(str(m) for m in m_labels)
    df1 = t - 1

    def p_f(stat: float, d2: float) -> float:
        if math.isnan(stat):
            return math.nan
        return float(stats.chi2.sf(stat * df1, df1) if math.isinf(d2) else stats.f.sf(stat, df1, d2))

    degenerate = (f"{label} values do not vary between modalities or readers and have no variance over cases: the "
                  "statistic is undefined",)
    two = t == 2
    if method == "dbm":
        pseudo = dbm.pseudovalues(value, deviations).reshape(t, r, -1)
        m = pseudo.shape[2]
        ms = dbm.mean_squares(pseudo)
        dbm_components = dbm.components(ms, t, r, m)
        trunc = max(ms["MS(TxC)"] - ms["MS(TxRxC)"], 0.0)
        trunc_note = ((f"MS(TxC) < MS(TxRxC) ({ms['MS(TxC)']:.3g} < {ms['MS(TxRxC)']:.3g}): MS(TxC) - MS(TxRxC) set "
                       "to 0 (Hillis 2008)",) if trunc == 0 and ms["MS(TxC)"] < ms["MS(TxRxC)"] else ())
        # random readers and random cases: F = MS(T) / [MS(TxR) + max(MS(TxC) - MS(TxRxC), 0)], Hillis (2008) ddf
        den = ms["MS(TxR)"] + trunc
        f_rrrc = _ratio(ms["MS(T)"], den)
        ddf = den ** 2 / (ms["MS(TxR)"] ** 2 / (df1 * (r - 1))) if ms["MS(TxR)"] > 0 else math.inf
        rrrc_pairs = _pair_tests(theta_t, labels, 2 * den / (r * m), ddf, level, "DBM t test, Hillis (2008) ddf",
                                 "DBM RRRC, t (Hillis df)", label, high - low)
        rrrc = TestResult(float(f_rrrc), p_f(f_rrrc, ddf), "DBM F test, Hillis (2008) ddf",
                          rrrc_pairs[0].estimate if two else None, df=float(ddf), name="rrrc",
                          notes=trunc_note + (degenerate if math.isnan(f_rrrc) else ()))
        # fixed readers and random cases: F = MS(T) / MS(TxC) on t - 1 and (t - 1)(c - 1) df
        ddf_frrc = float(df1 * (m - 1))
        f_frrc = _ratio(ms["MS(T)"], ms["MS(TxC)"])
        frrc_pairs = _pair_tests(theta_t, labels, 2 * ms["MS(TxC)"] / (r * m), ddf_frrc, level,
                                 "DBM t test (fixed readers)", "DBM FRRC, t", label, high - low)
        frrc = TestResult(float(f_frrc), p_f(f_frrc, ddf_frrc), "DBM F test (fixed readers)",
                          frrc_pairs[0].estimate if two else None, df=ddf_frrc, name="frrc",
                          notes=degenerate if math.isnan(f_frrc) else ())
        # random readers and fixed cases: F = MS(T) / MS(TxR), the same test as the OR one
        rrfc_var, rrfc_name = 2 * ms["MS(TxR)"] / (r * m), "DBM"
    else:
        trunc = max(cov2 - cov3, 0.0)
        trunc_note = ((f"Cov2 < Cov3 ({cov2:.3g} < {cov3:.3g}): Cov2 - Cov3 set to 0 (Hillis 2007)",)
                      if cov2 < cov3 else ())
        # random readers and random cases
        den = ms_tr + r * trunc
        f_rrrc = _ratio(ms_t, den)
        ddf = den ** 2 / (ms_tr ** 2 / (df1 * (r - 1))) if ms_tr > 0 else math.inf
        rrrc_pairs = _pair_tests(theta_t, labels, 2 * den / r, ddf, level, "OR t test, Hillis (2007) ddf",
                                 "OR RRRC, t (Hillis df)", label, high - low)
        rrrc = TestResult(float(f_rrrc), p_f(f_rrrc, ddf), "OR F test, Hillis (2007) ddf",
                          rrrc_pairs[0].estimate if two else None, df=float(ddf), name="rrrc",
                          notes=trunc_note + (degenerate if math.isnan(f_rrrc) else ()))
        # fixed readers and random cases
        den_f = var_error - cov1 + (r - 1) * trunc
        chi = df1 * _ratio(ms_t, den_f)
        frrc_pairs = _pair_tests(theta_t, labels, 2 * den_f / r, math.inf, level, "OR z test (fixed readers)",
                                 "OR FRRC, normal", label, high - low)
        frrc = TestResult(float(chi), float(stats.chi2.sf(chi, df1)) if not math.isnan(chi) else math.nan,
                          "OR chi-square test (fixed readers)", frrc_pairs[0].estimate if two else None,
                          df=float(df1), name="frrc", notes=trunc_note + (degenerate if math.isnan(chi) else ()))
        rrfc_var, rrfc_name = 2 * ms_tr / r, "OR"
    # random readers and fixed cases
    ddf_rrfc = float(df1 * (r - 1))
    f_rrfc = _ratio(ms_t, ms_tr)
    rrfc_pairs = _pair_tests(theta_t, labels, rrfc_var, ddf_rrfc, level, "t test (fixed cases)",
                             f"{rrfc_name} RRFC, t", label, high - low)
    rrfc = TestResult(float(f_rrfc), p_f(f_rrfc, ddf_rrfc), "F test (fixed cases)",
                      rrfc_pairs[0].estimate if two else None, df=ddf_rrfc, name="rrfc",
                      notes=degenerate if math.isnan(f_rrfc) else ())

    # each modality alone: random readers and random cases (Hillis 2007)
    modality_auc, modality_df = [], []
    for i in range(t):
        ms_ri = float(np.var(auc[i], ddof=1))
        block = cov[np.ix_(mod == i, mod == i)]
        cov2_i = float(block[~np.eye(r, dtype=bool)].mean())
        v = ms_ri + r * max(cov2_i, 0.0)
        df_i = v ** 2 / (ms_ri ** 2 / (r - 1)) if ms_ri > 0 else math.inf
        q = stats.norm.ppf(0.5 + level / 2) if math.isinf(df_i) else stats.t.ppf(0.5 + level / 2, df_i)
        se = math.sqrt(v / r)
        est, note = clip_interval(Estimate(float(theta_t[i]), float(theta_t[i] - q * se), float(theta_t[i] + q * se),
                                           level, "OR single-modality RRRC, t (Hillis df)", f"{label} {labels[i]}"),
                                  low, high, f"{label} {labels[i]} interval", "normal" if math.isinf(df_i) else "t")
        if note:
            notes.append(note)
        modality_auc.append(est)
        modality_df.append(float(df_i))
    if trunc_note:
        notes.append(trunc_note[0])
    notes += [n for n in (design_note, designs.DESIGN_NOTES.get(design)) if n]

    # each reader alone, fixed readers: Wald z with the covariance of that reader's own AUCs (OR), or the t test
    # on (t - 1)(c - 1) df with that reader's own MS(TxC) of the pseudovalues (DBM)
    per_reader = []
    for j in range(r):
        idx = np.arange(t) * r + j
        block = cov[np.ix_(idx, idx)]
        if method == "dbm":
            own = pseudo[:, j, :]
            res = own - own.mean(axis=1, keepdims=True) - own.mean(axis=0, keepdims=True) + own.mean()
            ms_tc_j = float(np.sum(res ** 2) / (df1 * (m - 1)))
        for a, b in combinations(range(t), 2):
            if method == "dbm":
                test = _pair_tests(auc[[a, b], j], (labels[a], labels[b]), 2 * ms_tc_j / m, float(df1 * (m - 1)),
                                   level, f"DBM t test (reader {r_labels[j]}, fixed readers)", "DBM, t", label,
                                   high - low)[0]
            else:
                var_d = float(block[a, a] + block[b, b] - 2 * block[a, b])
                test = _pair_tests(auc[[a, b], j], (labels[a], labels[b]), max(var_d, 0.0), math.inf, level,
                                   f"Wald z test (reader {r_labels[j]}, {covariance} covariance)", "Wald, normal",
                                   label, high - low)[0]
            per_reader.append(dataclasses.replace(test, name=f"reader {r_labels[j]}: {test.name}"))

    reported = dbm_components if method == "dbm" else components
    return ReaderStudyResult(
        modalities=m_labels, readers=r_labels, n_cases=int(c), n_diseased=int(is_case.sum()),
        n_nondiseased=int((~is_case).sum()), auc=auc, auc_covariance=cov, modality_auc=tuple(modality_auc),
        modality_df=tuple(modality_df), differences=tuple(p.estimate for p in rrrc_pairs), rrrc=rrrc, frrc=frrc,
        rrfc=rrfc, rrrc_pairs=tuple(rrrc_pairs), frrc_pairs=tuple(frrc_pairs), rrfc_pairs=tuple(rrfc_pairs),
        components=MappingProxyType({k: float(v) for k, v in reported.items()}),
        or_components=MappingProxyType({k: float(components[k]) for k in COMPONENTS}), df_num=int(df1),
        metric=metric, method=method, covariance=covariance, level=level, notes=tuple(notes),
        per_reader=tuple(per_reader), metric_detail=partial_text(focus, lo, hi, correct) if focus else "",
        metric_bounds=(low, high) if metric in LABELS else (0.0, 1.0),
        roc_points=nested.roc_points if nested else roc_points(ratings.reshape(t * r, c), is_case), design=design,
        n_ratings=nested.n_ratings if nested else 0)
