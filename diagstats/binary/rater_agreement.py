"""Agreement between readers: Cohen's (weighted) kappa, PABAK with the bias and prevalence indices, Fleiss' kappa.

>>> import diagstats as ds
>>> r1 = ["met", "met", "benign", "benign", "met", "benign", "met", "benign", "met", "met"]
>>> r2 = ["met", "benign", "benign", "benign", "met", "benign", "met", "met", "met", "met"]
>>> res = ds.agreement(raters=(r1, r2))
>>> round(res.kappa.value, 3), res.percent_agreement.value
(0.583, 0.8)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._core.quantiles import z_two_sided
from .._input import as_1d, check_level, check_nan_policy, check_option, check_same_length, column, complete_cases
from ..errors import DataError
from .intervals import PROPORTION_ALIASES, PROPORTION_METHODS, _proportion_bounds
from ..results import Estimate, ResultTable, TestResult, estimates_frame, format_level

WEIGHTS = ("linear", "quadratic")

#: Standard errors of the bias and prevalence indices (``index_se=``).
INDEX_SE = {"multinomial": "Wald, multinomial SE",
            "independent": "Wald, SE treating the two proportions as independent (epiR)"}


@dataclass(frozen=True, repr=False)
class AgreementResult(ResultTable):
    """Agreement between two or more raters of the same subjects.

    Attributes
    ----------
    kappa : Estimate
        Cohen's kappa (weighted with ``weights``) for two raters, Fleiss' kappa for more; with a
        large-sample interval (two raters; Fleiss' kappa has none, see Notes of :func:`agreement`).
    kappa_test : TestResult
        z test of kappa = 0 with the null standard error.
    percent_agreement : Estimate
        Observed agreement (weighted agreement when weighted; mean pairwise agreement for more
        than two raters), with a Wilson interval when it is a simple proportion.
    expected_agreement : float
        Agreement expected by chance from the marginal distributions.
    pabak : Estimate or None
        Prevalence- and bias-adjusted kappa (two raters, unweighted).
    bias_index, prevalence_index : Estimate or None
        Byrt, Bishop & Carlin's (1993) indices for two raters and two categories (unweighted):
        BI = (n12 - n21) / n, the difference between the raters' proportions of the first
        category, and PI = (n11 - n22) / n, the difference between the proportions of subjects
        both raters put in the first and in the second category. Wald intervals (``index_se``).
    index_standard_errors : mapping or None
        ``{"bias_index": se, "prevalence_index": se}``, the standard errors behind those intervals.
    table : DataFrame or None
        The k x k cross-table of two raters (first rater in rows).
    raters : tuple of str
    categories : tuple
    weights : str or None
    n : int
        Subjects rated.
    n_omitted : int
    level : float
    """

    kappa: Estimate
    kappa_test: TestResult
    percent_agreement: Estimate
    expected_agreement: float
    pabak: Estimate | None
    table: pd.DataFrame | None
    raters: tuple[str, ...]
    categories: tuple[Any, ...]
    weights: str | None
    n: int
    n_omitted: int = 0
    level: float = 0.95
    notes: tuple[str, ...] = field(default=())
    bias_index: Estimate | None = None
    prevalence_index: Estimate | None = None
    index_standard_errors: Any = None

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Agreement between {', '.join(self.raters)}"

    def header_lines(self) -> list[str]:
        lines = [f"n = {self.n} subjects, {len(self.raters)} raters, {len(self.categories)} categories; "
                 f"{format_level(self.level)} confidence intervals; kappa = 0: z = "
                 f"{self.kappa_test.statistic:.3f}, p = {self.kappa_test.p_value:.4g}"]
        if self.n_omitted:
            lines.append(f"{self.n_omitted} subjects omitted for missing ratings")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """One row per measure: kappa, percent_agreement, pabak, bias_index, prevalence_index (when defined)."""
        return estimates_frame([e for e in (self.kappa, self.percent_agreement, self.pabak, self.bias_index,
                                            self.prevalence_index) if e is not None])

    def __repr__(self) -> str:
        return f"AgreementResult(raters={self.raters!r}, kappa={self.kappa.value:.4f}, n={self.n})"


def _weight_matrix(k: int, weights: str | None) -> np.ndarray:
    """Agreement weights: 1 on the diagonal, falling linearly or quadratically with distance."""
    if weights is None or k == 1:
        return np.eye(k)
    distance = np.abs(np.subtract.outer(np.arange(k), np.arange(k))) / (k - 1)
    return 1 - distance if weights == "linear" else 1 - distance**2


def cohen_kappa_table(table: np.ndarray, weights: str | None = None) -> dict[str, float]:
    """Cohen's (weighted) kappa of a k x k count table with the Fleiss, Cohen & Everitt (1969) variances.

    With cell proportions ``p_ij``, margins ``p_i.``, ``p_.j``, agreement weights ``w_ij``,
    ``w_i. = sum_j p_.j w_ij`` and ``w_.j = sum_i p_i. w_ij``::

        kappa = (po - pe) / (1 - pe),  po = sum w p_ij,  pe = sum w p_i. p_.j
        var   = [sum p_ij (w_ij - (w_i. + w_.j)(1 - kappa))^2 - (kappa - pe (1 - kappa))^2] / (n (1 - pe)^2)
        var0  = [sum p_i. p_.j (w_ij - (w_i. + w_.j))^2 - pe^2] / (n (1 - pe)^2)

    ``var`` is the large-sample variance (for the interval), ``var0`` the one under kappa = 0
    (for the test). Unweighted kappa is the case ``w = I``.

    >>> out = cohen_kappa_table(np.array([[0, 4, 1], [0, 8, 0], [0, 1, 5]]))
    >>> round(out["kappa"], 4), round(math.sqrt(out["var"]), 4), round(math.sqrt(out["var0"]), 4)
    (0.4842, 0.138, 0.1484)
    """
    counts = np.asarray(table, dtype=float)
    n = counts.sum()
    p = counts / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    w = _weight_matrix(len(p), weights)
    po, pe = np.float64((w * p).sum()), np.float64((w * np.outer(rows, cols)).sum())
    w_row, w_col = w @ cols, rows @ w
    spread = w_row[:, None] + w_col[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (po - pe) / (1 - pe)
        var = ((float((p * (w - spread * (1 - kappa)) ** 2).sum()) - (kappa - pe * (1 - kappa)) ** 2)
               / (n * (1 - pe) ** 2))
        var0 = (float((np.outer(rows, cols) * (w - spread) ** 2).sum()) - pe**2) / (n * (1 - pe) ** 2)
    return {"kappa": float(kappa), "var": float(var) if var > 0 else 0.0 if var == var else math.nan,
            "var0": float(var0) if var0 > 0 else 0.0 if var0 == var0 else math.nan, "po": float(po), "pe": float(pe),
            "n": float(n)}


def fleiss_kappa_counts(counts: np.ndarray) -> dict[str, float]:
    """Fleiss' (1971) kappa from subject x category counts (each row sums to the m raters).

    ``P_i = (sum_j n_ij^2 - m) / (m (m - 1))``, ``P = mean P_i``, ``p_j`` the overall category
    proportions, ``Pe = sum p_j^2`` and ``kappa = (P - Pe) / (1 - Pe)``. The null variance is
    that of Fleiss, Nee & Landis (1979):
    ``2 [(sum p_j q_j)^2 - sum p_j q_j (q_j - p_j)] / (N m (m - 1) (sum p_j q_j)^2)``.

    >>> round(fleiss_kappa_counts(np.array([[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6],
    ...     [0, 3, 9, 2, 0], [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
    ...     [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]))["kappa"], 3)
    0.21
    """
    counts = np.asarray(counts, dtype=float)
    subjects, m = counts.shape[0], counts[0].sum()
    agreement = ((counts**2).sum(axis=1) - m) / (m * (m - 1))
    p = counts.sum(axis=0) / (subjects * m)
    po, pe = np.float64(agreement.mean()), np.float64((p**2).sum())
    pq = p * (1 - p)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (po - pe) / (1 - pe)
        var0 = 2 * (pq.sum() ** 2 - (pq * (1 - 2 * p)).sum()) / (subjects * m * (m - 1) * pq.sum() ** 2)
    return {"kappa": float(kappa), "var0": float(var0), "po": float(po), "pe": float(pe), "n": float(subjects)}


def _read_raters(data: pd.DataFrame | None, raters: Any) -> tuple[list[np.ndarray], list[str]]:
    if not isinstance(raters, (list, tuple)) or len(raters) < 2:
        raise DataError(f"raters must list at least two raters (columns or arrays), e.g. raters=('reader1', "
                        f"'reader2'); got {raters!r:.80}.")
    if data is not None:
        names = [str(r) for r in raters]
        if len(set(names)) != len(names):
            raise DataError(f"raters names a column more than once: {names}.")
        return [column(data, r, "raters").to_numpy() for r in raters], names
    return [as_1d(r, f"raters[{i}]") for i, r in enumerate(raters)], [f"rater{i + 1}" for i in range(len(raters))]


def _as_codes(values: np.ndarray) -> np.ndarray:
    """Ratings with booleans as 0/1 and numbers stored as objects as numbers, so that True and 1
    (or 1 and 1.0) are one category."""
    if values.dtype.kind == "b":
        return values.astype(np.int64)
    if values.dtype.kind == "O" and pd.api.types.infer_dtype(values, skipna=False) in (
            "boolean", "integer", "floating", "mixed-integer-float", "mixed", "decimal"):
        try:
            numeric = np.asarray(pd.to_numeric(values))
        except (TypeError, ValueError):
            return values
        return numeric.astype(np.int64) if numeric.dtype.kind == "b" else numeric
    return values


def _categories(values: list[np.ndarray], categories: Any, weights: str | None) -> tuple[list[Any], list[Any]]:
    """The categories as shown, and as compared (booleans and numbers normalised, see :func:`_as_codes`)."""
    all_bool = all(v.dtype.kind == "b" for v in values)
    keys = values if all_bool else [_as_codes(v) for v in values]
    seen = pd.unique(np.concatenate([np.asarray(v, dtype=object) for v in keys]))
    if categories is not None:
        if isinstance(categories, (str, bytes)) or not np.iterable(categories):
            raise DataError(f"categories={categories!r:.60} must be a list of the rating categories in their order, "
                            "e.g. categories=['benign', 'indeterminate', 'malignant'].")
        shown = list(categories)
        given = np.array(shown, dtype=object)
        cat_keys = list(given) if all_bool else list(_as_codes(given))
        repeated = [c for i, c in enumerate(shown) if any(cat_keys[i] == k for k in cat_keys[:i])]
        if repeated:
            raise DataError(f"categories={shown!r:.80} lists {repeated[0]!r} more than once; list each category "
                            "once, in order.")
        index = pd.Index(cat_keys, dtype=object)
        extra = [v for v in seen if index.get_indexer([v])[0] < 0]
        if extra:
            raise DataError(f"The ratings contain {extra[:5]!r}, which categories={shown!r} does not list; "
                            "add them to categories or recode the ratings.")
        return shown, cat_keys
    try:
        ordered = sorted(seen)
    except TypeError:
        ordered = sorted(seen, key=str)
    if weights is not None and not all(isinstance(v, (int, float, np.integer, np.floating, bool)) for v in ordered):
        raise DataError(f"weights={weights!r} needs ordered categories, but the ratings are labels "
                        f"({', '.join(map(repr, ordered[:5]))}); give their order with categories=[...].")
    return ordered, ordered


def agreement(data: pd.DataFrame | None = None, *, raters: Any, weights: str | None = None,
              categories: Any = None, level: float = 0.95, ci_method: str = "wilson",
              index_se: str = "multinomial", nan_policy: str = "raise") -> AgreementResult:
    """Agreement between raters: Cohen's kappa (two raters) or Fleiss' kappa (more), PABAK, percent agreement.

    Parameters
    ----------
    data : DataFrame, optional
        Subjects in rows; ``raters`` then names columns.
    raters : sequence of str or of array-like
        Two or more raters' ratings of the same subjects.
    weights : {None, "linear", "quadratic"}, default None
        Weighted kappa for ordinal ratings (two raters): agreement weights
        ``1 - |i - j| / (k - 1)`` or ``1 - (i - j)^2 / (k - 1)^2``.
    categories : sequence, optional
        The categories in their order (needed for weighted kappa of labelled ratings; also lets
        a category that nobody used count in the table).
    level : float, default 0.95
    ci_method : str, default "wilson"
        Interval of the percent agreement (and so of PABAK): any method of
        :func:`diagstats.proportion_ci`.
    index_se : {"multinomial", "independent"}, default "multinomial"
        Standard error of the bias and prevalence indices (two raters, two categories). Each index
        is a difference of two proportions of the same subjects; ``"multinomial"`` is its exact
        variance under multinomial sampling, ``((n12 + n21) / n - BI^2) / n`` and
        ``((n11 + n22) / n - PI^2) / n``; ``"independent"`` (epiR's) adds the two proportions'
        binomial variances as if they came from different subjects, which overstates the SE of BI
        and understates that of PI (``docs/differences_from_r.md``).
    nan_policy : {"raise", "omit"}, default "raise"
        Subjects missing any rating are omitted together.

    Returns
    -------
    AgreementResult

    Notes
    -----
    Two raters: kappa with the large-sample standard error of Fleiss, Cohen & Everitt (1969)
    for the Wald interval and their null standard error for the z test; this is what SAS PROC
    FREQ reports, and it agrees with statsmodels ``cohens_kappa``. Percent agreement gets a
    binomial interval (``ci_method``); PABAK = (k po - 1) / (k - 1) (Byrt, Bishop & Carlin 1993;
    2 po - 1 for two categories), a linear function of po, gets that interval mapped through it.
    For two categories, kappa, observed and expected agreement and PABAK with
    ``ci_method="clopper_pearson"`` agree with epiR 2.0.57 ``epi.kappa`` to 1e-6, and so do its bias
    and prevalence indices with their SEs and intervals with ``index_se="independent"``; epiR's kappa
    standard error is Cohen's (1960) approximation ``sqrt(po (1 - po) / n) / (1 - pe)``, not the
    Fleiss-Cohen-Everitt one, and for more than two categories epiR reports 2 po - 1 as PABAK.
    The bias and prevalence indices take the first category (of ``categories``, else the first in
    sorted order) as epiR's first row and column: with 0/1 ratings that is 0, so give
    ``categories=[1, 0]`` for Byrt's sign convention (positive category first).
    More than two raters (each subject rated by all): Fleiss' (1971) kappa with the null
    standard error of Fleiss, Nee & Landis (1979) for its test; no interval is given, because
    that standard error is valid only at kappa = 0 (the result says so).
    Ratings True/False and 1/0 (or 1 and 1.0) are the same categories. The Wald interval is clipped
    to [-1, 1], with a note. A rater who gives every subject the same rating agrees with the other
    exactly as much as chance predicts, so kappa is 0 and has neither interval nor test (a note says
    so); when both raters use one and the same category kappa is undefined (0/0).

    References
    ----------
    Cohen J (1960). Educ Psychol Meas 20:37-46. Cohen J (1968). Psychol Bull 70:213-220.
    Fleiss JL, Cohen J, Everitt BS (1969). Psychol Bull 72:323-327. Fleiss JL (1971). Psychol
    Bull 76:378-382. Fleiss JL, Nee JCM, Landis JR (1979). Psychol Bull 86:974-977. Byrt T,
    Bishop J, Carlin JB (1993). J Clin Epidemiol 46:423-429.

    Examples
    --------
    >>> import diagstats as ds
    >>> res = ds.agreement(raters=([1, 2, 3, 3, 2, 1, 3], [1, 2, 3, 2, 2, 2, 3]), weights="quadratic")
    >>> round(res.kappa.value, 3)
    0.741
    """
    level = check_level(level)
    ci_method = check_option(ci_method, "ci_method", PROPORTION_METHODS, PROPORTION_ALIASES)
    index_se = check_option(index_se, "index_se", INDEX_SE)
    weights = None if weights is None else check_option(weights, "weights", WEIGHTS)
    check_nan_policy(nan_policy)
    values, names = _read_raters(data, raters)
    check_same_length(**{f"raters[{i}]": v for i, v in enumerate(values)})
    complete = complete_cases(dict(zip(names, values)), nan_policy)
    values = list(complete.arrays.values())
    if len(values[0]) == 0:
        raise DataError("No subject has ratings from every rater in raters; there is nothing to compare.")
    cats, keys = _categories(values, categories, weights)
    index = pd.Index(keys, dtype=object)
    all_bool = all(v.dtype.kind == "b" for v in values)
    codes = np.array([index.get_indexer(np.asarray(v if all_bool else _as_codes(v), dtype=object)) for v in values])
    k, z = len(cats), z_two_sided(level)
    if len(values) == 2:
        table = np.zeros((k, k), dtype=np.int64)
        np.add.at(table, (codes[0], codes[1]), 1)
        return _two_raters(table, names, cats, weights, level, z, ci_method, complete.n_omitted, index_se)
    if weights is not None:
        raise DataError(f"weights={weights!r} is for two raters; Fleiss' kappa for {len(values)} raters is "
                        "unweighted. Leave weights out.")
    counts = np.zeros((codes.shape[1], k), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(codes.shape[1]), len(values)), codes.T.ravel()), 1)
    return _many_raters(counts, names, cats, level, complete.n_omitted)


def _indices(table: np.ndarray, level: float, z: float, index_se: str) -> tuple[Estimate, Estimate, dict]:
    """Bias and prevalence indices of a 2 x 2 agreement table (Byrt, Bishop & Carlin 1993), Wald intervals."""
    n = float(table.sum())
    p = table / n
    bi, pi = p[0, 1] - p[1, 0], p[0, 0] - p[1, 1]
    if index_se == "multinomial":
        var_bi, var_pi = (p[0, 1] + p[1, 0] - bi ** 2) / n, (p[0, 0] + p[1, 1] - pi ** 2) / n
    else:  # the two margins (cells) as independent binomial proportions
        row, col = p[0].sum(), p[:, 0].sum()
        var_bi = (row * (1 - row) + col * (1 - col)) / n
        var_pi = (p[0, 0] * (1 - p[0, 0]) + p[1, 1] * (1 - p[1, 1])) / n
    method = INDEX_SE[index_se]
    out, ses = [], {}
    for name, value, var in (("bias_index", bi, var_bi), ("prevalence_index", pi, var_pi)):
        se = ses[name] = math.sqrt(max(var, 0.0))
        lower, upper = value - z * se, value + z * se
        notes = () if se > 0 else (f"{name} has standard error 0 here (the table allows it no variation)",)
        if lower < -1 or upper > 1:
            notes += (f"{name} interval clipped to [-1, 1] (the Wald interval was {lower:.3f} to {upper:.3f})",)
            lower, upper = max(lower, -1.0), min(upper, 1.0)
        out.append(Estimate(float(value), float(lower), float(upper), level, method, name, notes))
    return out[0], out[1], ses


def _two_raters(table: np.ndarray, names: list[str], cats: list[Any], weights: str | None, level: float, z: float,
                ci_method: str, n_omitted: int, index_se: str = "multinomial") -> AgreementResult:
    out = cohen_kappa_table(table, weights)
    n, k = int(table.sum()), len(cats)
    kind = "Cohen's kappa" if weights is None else f"Cohen's weighted kappa ({weights} weights)"
    notes: list[str] = []
    se, se0 = math.sqrt(out["var"]), math.sqrt(out["var0"])
    lower, upper = out["kappa"] - z * se, out["kappa"] + z * se
    constant = [name for name, margin in zip(names, (table.sum(axis=1), table.sum(axis=0)))
                if np.count_nonzero(margin) == 1]
    if math.isnan(out["kappa"]):
        notes.append("kappa undefined: both raters used a single category (chance agreement is 1); no interval "
                     "and no test")
    elif constant:
        lower = upper = math.nan
        notes.append(f"{' and '.join(constant)} gave every subject the same rating, so the observed agreement equals "
                     f"the agreement expected by chance and kappa is 0 whatever the other rater did; kappa has no "
                     "interval and no test here")
    elif lower < -1 or upper > 1:
        notes.append(f"kappa interval clipped to [-1, 1] (the Wald interval was {lower:.3f} to {upper:.3f})")
        lower, upper = max(lower, -1.0), min(upper, 1.0)
    kappa = Estimate(out["kappa"], lower, upper, level, "Wald, Fleiss-Cohen-Everitt 1969 SE", "kappa", tuple(notes))
    if se0 > 0 and not constant:
        statistic = out["kappa"] / se0
        p_value = float(2 * stats.norm.sf(abs(statistic)))
    else:
        statistic = p_value = math.nan
        if not notes:
            notes.append("no z test of kappa = 0: its null standard error is 0")
    test = TestResult(statistic, p_value, f"{kind} z test (null SE)", estimate=kappa, name="kappa")
    if weights is None:
        lo, hi = _proportion_bounds(np.float64(np.trace(table)), np.float64(n), level, ci_method)
        agree = Estimate(out["po"], float(lo), float(hi), level, PROPORTION_METHODS[ci_method], "percent_agreement")
        scale = lambda x: (k * x - 1) / (k - 1) if k > 1 else math.nan  # noqa: E731
        pabak = Estimate(scale(out["po"]), scale(float(lo)), scale(float(hi)), level,
                         f"{PROPORTION_METHODS[ci_method]} interval of agreement, mapped", "pabak")
    else:
        agree = Estimate(out["po"], math.nan, math.nan, level, "", "percent_agreement", ("weighted agreement",))
        pabak = None
    bias_index, prevalence_index, ses = (_indices(table, level, z, index_se) if weights is None and k == 2
                                         else (None, None, None))
    frame = pd.DataFrame(table, index=pd.Index(cats, name=names[0]), columns=pd.Index(cats, name=names[1]))
    return AgreementResult(kappa=kappa, kappa_test=test, percent_agreement=agree, expected_agreement=out["pe"],
                           pabak=pabak, table=frame, raters=tuple(names), categories=tuple(cats), weights=weights,
                           n=n, n_omitted=n_omitted, level=level, notes=tuple(notes), bias_index=bias_index,
                           prevalence_index=prevalence_index, index_standard_errors=ses)


def _many_raters(counts: np.ndarray, names: list[str], cats: list[Any], level: float,
                 n_omitted: int) -> AgreementResult:
    out = fleiss_kappa_counts(counts)
    note = ("Fleiss' kappa: no interval; its standard error (Fleiss, Nee & Landis 1979) holds only under "
            "kappa = 0 and is used for the test")
    notes = [note]
    if out["var0"] > 0:
        statistic = out["kappa"] / math.sqrt(out["var0"])
        p_value = float(2 * stats.norm.sf(abs(statistic)))
    else:
        statistic = p_value = math.nan
        notes.append("kappa undefined and no test: every rating is in one category (chance agreement is 1)"
                     if math.isnan(out["kappa"]) else "no z test of kappa = 0: its null standard error is 0")
    kappa = Estimate(out["kappa"], math.nan, math.nan, level, "", "kappa", tuple(notes))
    test = TestResult(statistic, p_value, "Fleiss' kappa z test (null SE)", estimate=kappa, name="kappa")
    agree = Estimate(out["po"], math.nan, math.nan, level, "", "percent_agreement",
                     ("mean agreement over rater pairs",))
    return AgreementResult(kappa=kappa, kappa_test=test, percent_agreement=agree, expected_agreement=out["pe"],
                           pabak=None, table=None, raters=tuple(names), categories=tuple(cats), weights=None,
                           n=int(out["n"]), n_omitted=n_omitted, level=level, notes=tuple(notes))
