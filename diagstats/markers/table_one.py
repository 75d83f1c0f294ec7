"""Blood-count markers by group: the "Table 1" of a marker study, with omnibus and pairwise tests."""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass, field
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._core.multiplicity import adjust_p
from .._input import (_show, as_numeric, check_dataframe, check_nan_policy, check_option, check_whole_number,
                      column, column_names, missing, renamed_arguments)
from ..errors import DataError
from ..results import ResultTable, TestResult, format_number, format_p_value, tidy

__all__ = ["describe", "MarkerTable"]


TESTS = {"kruskal": "Kruskal-Wallis", "welch_log": "Welch ANOVA on log values"}
ADJUSTMENTS = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg", "none": "unadjusted"}
ADJUST_ALIASES = {"BH": "fdr_bh", "bh": "fdr_bh", "fdr": "fdr_bh"}
SUMMARIES = {"median": "median (IQR)", "mean": "mean (SD)"}
PAIRWISE_METHOD = "Mann-Whitney U (normal approximation, tie and continuity corrected)"


@dataclass(frozen=True, repr=False)
class MarkerTable(ResultTable):
    """Markers summarised by group, with an omnibus test and adjusted pairwise tests ("Table 1").

    Attributes
    ----------
    markers : tuple of str
        The marker columns, in the order given.
    by : str
        The grouping column.
    groups : tuple
        The group labels, in display order.
    summary : DataFrame
        One row per marker and group: ``marker, group, n, n_missing, median, q1, q3, mean, sd``
        (quartiles by linear interpolation, R's type 7; SD with n - 1).
    omnibus : dict of str to TestResult
        The omnibus test of each marker.
    pairwise : DataFrame
        One row per marker and pair of groups: ``marker, group1, group2, n1, n2, statistic`` (the
        Mann-Whitney U of group1, R's W), ``p_value, p_adjusted, adjust, method``.
    omnibus_test, adjust : str
        The omnibus test and the multiplicity adjustment (within each marker).
    n_omitted : int
        Patients dropped because their group is missing (or not listed in ``groups``).
    denominator_df : dict of str to float
        Welch ANOVA only: the denominator degrees of freedom of each marker's F test.
    notes : tuple of str

    Methods
    -------
    to_frame(), tests_frame(), table1(digits, summary), footnote, to_html(digits), to_dict()
    """

    markers: tuple[str, ...]
    by: str
    groups: tuple[Any, ...]
    summary: pd.DataFrame
    omnibus: dict[str, TestResult]
    pairwise: pd.DataFrame
    omnibus_test: str
    adjust: str
    n_omitted: int = 0
    denominator_df: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = field(default=())

    title = "Markers by group"
    key_columns = ("marker", "group")

    def __repr__(self) -> str:
        return (f"MarkerTable(markers={list(self.markers)}, by={self.by!r}, groups={len(self.groups)}, "
                f"omnibus_test={self.omnibus_test!r})")

    def to_frame(self) -> pd.DataFrame:
        """One row per marker and group: the median as ``measure, value`` (no interval), then the whole
        summary ``n, n_missing, median, q1, q3, mean, sd`` (no rounding)."""
        frame = self.summary
        frame.insert(2, "measure", "median")
        frame.insert(3, "value", frame["median"])
        return tidy(frame, self.key_columns)

    def tests_frame(self) -> pd.DataFrame:
        """The omnibus test of each marker: ``marker, omnibus_test, statistic, df, df2, p_value, test_method``.

        ``df2`` is the denominator df of Welch's F test (NaN for Kruskal-Wallis).
        """
        rows = [{"marker": m, "omnibus_test": self.omnibus_test, "statistic": r.statistic, "df": r.df,
                 "df2": self.denominator_df.get(m, np.nan), "p_value": r.p_value, "test_method": r.method}
                for m, r in self.omnibus.items()]
        return pd.DataFrame(rows, columns=["marker", "omnibus_test", "statistic", "df", "df2", "p_value",
                                           "test_method"])

    def header_lines(self) -> list[str]:
        lines = [f"{self.by}: " + ", ".join(f"{g} (n={n})" for g, n in self._group_sizes().items()),
                 f"omnibus test: {TESTS[self.omnibus_test]}; pairwise: {PAIRWISE_METHOD}, "
                 f"{ADJUSTMENTS[self.adjust]}-adjusted within each marker"]
        if self.n_omitted:
            lines.append(f"{self.n_omitted} patient(s) without a {self.by} value omitted")
        return lines

    def _group_sizes(self) -> dict[Any, int]:
        first = self.summary[self.summary["marker"] == self.markers[0]]
        return dict(zip(first["group"], first["n"] + first["n_missing"]))

    def table1(self, digits: int | Mapping[str, int] | None = None,
               summary: str | Mapping[str, str] = "median") -> pd.DataFrame:
        """The published layout: one row per variable, its summary named once, a column per group, p.

        Parameters
        ----------
        digits : int, mapping of marker to int, or None
            Decimals of each variable's cells. None (default) chooses them from the variable's size, so
            that the median shows about two significant digits: 0 decimals from 10 up (platelets 250,
            PLR 140, age), 1 from 1 to 10 (NLR 2.3), 2 below 1 (monocytes 0.52). A mapping sets some
            variables and leaves the others automatic.
        summary : {"median", "mean"} or mapping of marker to it, default "median"
            "median": median (interquartile range), for skewed variables such as blood counts and their
            ratios; "mean": mean (standard deviation).

        The test is named in :attr:`footnote`, not in the table.

        >>> import pandas as pd, diagstats as ds
        >>> df = pd.DataFrame({"nlr": [1.5, 2.0, 2.5, 3.0, 4.5, 6.0], "platelets": [210, 250, 260, 300, 320, 280],
        ...                    "grp": list("aaabbb")})
        >>> res = ds.markers.describe(df, markers=["nlr", "platelets"], by="grp")
        >>> res.table1()
                          variable        a (n=3)        b (n=3)      p
        0        nlr, median (IQR)  2.0 (1.8-2.2)  4.5 (3.8-5.2)  0.050
        1  platelets, median (IQR)  250 (230-255)  300 (290-310)  0.050
        >>> res.footnote
        'Median (interquartile range). p: Kruskal-Wallis test across the 2 groups.'
        """
        sizes = self._group_sizes()
        rows = []
        for marker in self.markers:
            part = self.summary[self.summary["marker"] == marker].set_index("group")
            kind = summary.get(marker, "median") if isinstance(summary, Mapping) else summary
            kind = check_option(kind, f"summary[{marker!r}]" if isinstance(summary, Mapping) else "summary",
                               list(SUMMARIES))
            given = digits.get(marker) if isinstance(digits, Mapping) else digits
            places = _decimals(part["median"].to_numpy()) if given is None else \
                check_whole_number(given, "digits", maximum=10, what="decimals", example=1)
            row = {"variable": f"{marker}, {SUMMARIES[kind]}"}
            for g in self.groups:
                r = part.loc[g]
                centre, a, b = (r["median"], r["q1"], r["q3"]) if kind == "median" else (r["mean"], r["sd"], None)
                text = f"{_fixed(centre, places)} ({_fixed(a, places)}" + (f"-{_fixed(b, places)})" if b is not None
                                                                          else ")")
                row[f"{g} (n={sizes[g]})"] = text
            row["p"] = format_p_value(self.omnibus[marker].p_value)
            rows.append(row)
        return pd.DataFrame(rows)

    @property
    def footnote(self) -> str:
        """What the cells are and which test gives p: the footnote of :meth:`table1`."""
        return (f"Median (interquartile range). p: {TESTS[self.omnibus_test]} test across the {len(self.groups)} "
                "groups.")

    def to_text(self, digits: int = 2) -> str:
        lines = [self.title, *self.header_lines(), self.table1().to_string(index=False), self.footnote,
                 "Pairwise comparisons:", self._pairwise_display(digits).to_string(index=False)]
        return "\n".join(lines + [f"Note: {n}" for n in self.notes])

    def _pairwise_display(self, digits: int) -> pd.DataFrame:
        shown = self.pairwise[["marker", "group1", "group2", "statistic", "p_value", "p_adjusted"]].copy()
        shown["statistic"] = [format_number(v, digits) for v in shown["statistic"]]
        for col in ("p_value", "p_adjusted"):
            shown[col] = [format_p_value(v) for v in shown[col]]
        return shown

    def to_html(self, digits: int = 2) -> str:
        """Table 1 as HTML (one row per variable, its footnote), then the pairwise tests; text is escaped."""
        parts = [f"<div class='diagstats-result'><strong>{html.escape(self.title)}</strong>"]
        parts += [f"<div>{html.escape(line)}</div>" for line in self.header_lines()]
        parts.append(self.table1().to_html(index=False, escape=True, border=0))
        parts.append(f"<div><em>{html.escape(self.footnote)}</em></div>")
        parts.append("<div><em>Pairwise comparisons</em></div>")
        parts.append(self._pairwise_display(digits).to_html(index=False, escape=True, border=0))
        parts += [f"<div><em>Note:</em> {html.escape(n)}</div>" for n in self.notes]
        parts.append("</div>")
        return "\n".join(parts)


def _decimals(medians: np.ndarray) -> int:
    """Decimals showing about two significant digits of a variable's typical value (its group medians)."""
    typical = float(np.nanmedian(np.abs(medians))) if np.isfinite(medians).any() else np.nan
    if not np.isfinite(typical) or typical == 0:
        return 2
    return int(np.clip(1 - np.floor(np.log10(typical)), 0, 3))


def _fixed(x: float, places: int) -> str:
    return "NA" if not np.isfinite(x) else f"{x:.{places}f}"


def _group_summary(values: np.ndarray) -> dict[str, float]:
    if values.size == 0:
        return {"median": np.nan, "q1": np.nan, "q3": np.nan, "mean": np.nan, "sd": np.nan}
    q1, median, q3 = np.quantile(values, [0.25, 0.5, 0.75])
    # values beyond 1e150 are scaled first, or their squares (and sums) would overflow
    scale = float(np.max(np.abs(values)))
    scale = scale if scale > 1e150 else 1.0
    sd = scale * float(np.std(values / scale, ddof=1)) if values.size > 1 else np.nan
    return {"median": float(median), "q1": float(q1), "q3": float(q3), "mean": scale * float(np.mean(values / scale)),
            "sd": sd}


def _omnibus(samples: list[np.ndarray], test: str, marker: str) -> tuple[TestResult, float]:
    """The omnibus test, and Welch's denominator df (NaN for Kruskal-Wallis)."""
    if test == "kruskal":
        pooled = np.concatenate(samples)
        if np.all(pooled == pooled[0]):
            return TestResult(np.nan, np.nan, TESTS[test], df=float(len(samples) - 1), name=marker,
                              notes=("all values are equal: no test possible",)), np.nan
        res = stats.kruskal(*samples)
        return TestResult(float(res.statistic), float(res.pvalue), TESTS[test], df=float(len(samples) - 1),
                          name=marker), np.nan
    for s in samples:
        if s.size < 2 or np.all(s == s[0]):
            raise DataError(f"omnibus_test='welch_log' needs at least 2 different values of {marker!r} in every "
                            "group; one group has fewer. Use omnibus_test='kruskal'.")
    from statsmodels.stats.oneway import anova_oneway

    res = anova_oneway([np.log(s) for s in samples], use_var="unequal", welch_correction=True)
    df1, df2 = (float(d) for d in res.df)
    return TestResult(float(res.statistic), float(res.pvalue), TESTS[test], df=df1, name=marker), df2


def _mann_whitney(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """U of ``x`` and its two-sided p-value, as R's ``wilcox.test(exact=FALSE, correct=TRUE)``."""
    both = np.concatenate([x, y])
    if x.size == 0 or y.size == 0 or np.all(both == both[0]):
        return (x.size * y.size / 2.0 if x.size and y.size else np.nan), np.nan
    res = stats.mannwhitneyu(x, y, alternative="two-sided", use_continuity=True, method="asymptotic")
    return float(res.statistic), float(res.pvalue)


@renamed_arguments(test="omnibus_test")
def describe(data: pd.DataFrame, markers: Sequence[str] = ("nlr", "plr"), by: Any = "true_diagnosis", *,
             omnibus_test: str = "kruskal", adjust: str = "holm", groups: Sequence[Any] | None = None,
             nan_policy: str = "raise") -> MarkerTable:
    """Summarise markers by group and test whether they differ: the "Table 1" of a marker study.

    Per group: n, median (IQR), mean (SD). Per marker: an omnibus test across the groups, and
    Mann-Whitney tests between every pair of groups with a multiplicity adjustment within the
    marker (as R's ``pairwise.wilcox.test``).

    Parameters
    ----------
    data : DataFrame
        One patient per row.
    markers : sequence of str, default ("nlr", "plr")
        Numeric marker columns (e.g. from :func:`ratios`).
    by : str, default "true_diagnosis"
        The grouping column (at least two groups).
    omnibus_test : {"kruskal", "welch_log"}, default "kruskal"
        Omnibus test: Kruskal-Wallis (Kruskal & Wallis 1952, tie-corrected), or Welch's
        heteroscedastic one-way ANOVA (Welch 1951) on the natural log of the marker (all values
        must then be > 0; ratios of blood counts are close to log-normal).
    adjust : {"holm", "fdr_bh", "none"}, default "holm"
        Adjustment of the pairwise p-values: Holm (1979) or Benjamini & Hochberg (1995)
        (alias "BH").
    groups : sequence, optional
        The groups to show, in this order (others are dropped and counted as omitted); by default
        all groups in sorted order.
    nan_policy : {"raise", "omit"}, default "raise"
        Missing marker values: "omit" drops them per marker (counted in ``n_missing``). Patients
        without a group are dropped under "omit" and counted in ``n_omitted``.

    Returns
    -------
    MarkerTable
        ``to_frame()`` (tidy summary), ``tests_frame()``, ``pairwise``, ``table1()`` and the HTML
        "Table 1" in Jupyter.

    Notes
    -----
    The pairwise test uses the normal approximation with tie and continuity corrections; R's
    ``wilcox.test(exact=FALSE, correct=TRUE)`` agrees to 1e-6, as do ``kruskal.test``,
    ``oneway.test(log(x) ~ g, var.equal=FALSE)`` and ``p.adjust`` (R 4.2.2; see
    tests/reference/markers).

    Examples
    --------
    >>> import pandas as pd, diagstats as ds
    >>> df = pd.DataFrame({"nlr": [1.2, 1.9, 2.2, 2.8, 3.1, 4.0, 4.4, 6.3, 7.0],
    ...                    "diagnosis": ["benign"] * 3 + ["primary"] * 3 + ["metastasis"] * 3})
    >>> res = ds.markers.describe(df, markers=["nlr"], by="diagnosis")
    >>> round(res.omnibus["nlr"].p_value, 4)
    0.0273
    >>> res.pairwise[["group1", "group2", "p_adjusted"]].round(3)
           group1      group2  p_adjusted
    0      benign  metastasis       0.243
    1      benign     primary       0.243
    2  metastasis     primary       0.243
    """
    check_dataframe(data, what="one row per patient")
    omnibus_test = check_option(omnibus_test, "omnibus_test", list(TESTS))
    adjust = check_option(adjust, "adjust", list(ADJUSTMENTS), ADJUST_ALIASES)
    nan_policy = check_nan_policy(nan_policy)
    markers = column_names(markers, "markers", example="['nlr', 'plr']")
    group_values = column(data, by, "by").to_numpy()
    no_group = missing(group_values)
    values = {m: as_numeric(column(data, m, "markers").to_numpy(), f"marker {m!r}") for m in markers}
    for m, v in values.items():
        if np.isinf(v).any():
            raise DataError(f"marker {m!r} has {int(np.isinf(v).sum())} infinite value(s) (e.g. a ratio whose "
                            "denominator is 0), which have no mean, standard deviation or logarithm; replace them "
                            "with NaN and pass nan_policy='omit', or with a finite value.")
    if nan_policy == "raise":
        counts = [f"{by!r} has {int(no_group.sum())}"] if no_group.any() else []
        counts += [f"{m!r} has {int(np.isnan(v).sum())}" for m, v in values.items() if np.isnan(v).any()]
        if counts:
            raise DataError(f"Missing values ({', '.join(counts)}). Pass nan_policy='omit' to summarise the "
                            "available values (the numbers missing are reported).")
    present = pd.unique(group_values[~no_group])
    if groups is None:
        try:
            order = sorted(present)
        except TypeError:
            order = sorted(present, key=str)
    else:
        order = list(groups)
        unknown = [g for g in order if g not in set(present.tolist())]
        if unknown:
            raise DataError(f"groups names {_show(unknown)}, not values of {by!r}; its values are "
                            f"{_show(sorted(map(str, present)))}.")
    if len(order) < 2:
        raise DataError(f"by={by!r} has {len(order)} group(s) ({_show(list(order))}); comparing markers needs "
                        "at least 2.")
    keep = ~no_group & pd.Series(group_values).isin(order).to_numpy()
    n_omitted = int((~keep).sum())
    notes = []
    if groups is not None and int((~no_group & ~keep).sum()):
        notes.append(f"{int((~no_group & ~keep).sum())} patient(s) in groups not listed in groups= omitted")

    summary_rows, omnibus, pair_rows, df2 = [], {}, [], {}
    for m in markers:
        v = values[m]
        if omnibus_test == "welch_log" and np.any(v[keep & ~np.isnan(v)] <= 0):
            raise DataError(f"marker {m!r} has values <= 0, which have no logarithm; omnibus_test='welch_log' "
                            "needs positive values. Use omnibus_test='kruskal'.")
        samples = []
        for g in order:
            in_group = keep & (group_values == g)
            s = v[in_group & ~np.isnan(v)]
            samples.append(s)
            summary_rows.append({"marker": m, "group": g, "n": int(s.size),
                                 "n_missing": int(np.sum(in_group & np.isnan(v))), **_group_summary(s)})
        empty = [g for g, s in zip(order, samples) if s.size == 0]
        if empty:
            raise DataError(f"marker {m!r} has no values in group(s) {_show(empty)}; drop the group with groups=.")
        omnibus[m], denominator = _omnibus(samples, omnibus_test, m)
        if omnibus_test == "welch_log":
            df2[m] = denominator
        pairs = list(itertools.combinations(range(len(order)), 2))
        tests = [_mann_whitney(samples[i], samples[j]) for i, j in pairs]
        p_raw = np.array([p for _, p in tests])
        p_adj = adjust_p(p_raw, adjust)
        for (i, j), (u, p), pa in zip(pairs, tests, p_adj):
            pair_rows.append({"marker": m, "group1": order[i], "group2": order[j], "n1": int(samples[i].size),
                              "n2": int(samples[j].size), "statistic": u, "p_value": p, "p_adjusted": float(pa),
                              "adjust": adjust, "test_method": PAIRWISE_METHOD})
        notes += [f"{m}: {n}" for n in omnibus[m].notes]
        if not omnibus[m].notes:
            untested = [f"{order[i]} vs {order[j]}" for (i, j), (_, p) in zip(pairs, tests) if np.isnan(p)]
            if untested:
                notes.append(f"{m}: {', '.join(untested)}: all values equal in both groups, so no pairwise test "
                             "(p NA, left out of the adjustment)")
    return MarkerTable(markers=tuple(markers), by=str(by), groups=tuple(order), summary=pd.DataFrame(summary_rows),
                       omnibus=omnibus, pairwise=pd.DataFrame(pair_rows), omnibus_test=omnibus_test, adjust=adjust,
                       n_omitted=n_omitted, denominator_df=df2, notes=tuple(notes))
