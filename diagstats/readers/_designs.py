"""Reader studies whose cases are not crossed with readers and modalities: the nested designs of ``reader_study``.

The Obuchowski-Rockette (OR) model of the figures of merit theta_ij (modality i, reader j) holds for any design;
what the design changes is which error covariances exist (Obuchowski 1995; Hillis 2014, the marginal-mean
ANOVA approach; MRMCaov's designs 2 and 3):

* ``"crossed"``: every reader reads every case in every modality; Var(error), Cov1, Cov2 and Cov3 are all
  estimated.
* ``"cases_in_readers"`` (cases nested in readers; MRMCaov design 2): each reader reads his or her own cases,
  in every modality. Two readers share no case, so Cov2 = Cov3 = 0 by design; Var(error) and Cov1 (same
  reader, two modalities, the same cases) are estimated. The RRRC test becomes F = MS(T) / MS(TxR) on
  (t - 1) and (t - 1)(r - 1) df (Hillis' ddf reduces to it), the same statistic as the RRFC test; the FRRC
  chi-square is (t - 1) MS(T) / [Var(error) - Cov1].
* ``"cases_in_modalities"`` (cases nested in modalities, the unpaired or split-plot design of the cases;
  MRMCaov design 3): each modality has its own cases, read by every reader. Cases are shared only within a
  modality, so Cov1 = Cov3 = 0 by design; Var(error) and Cov2 are estimated, and the tests are the crossed
  ones with those zeros: RRRC F = MS(T) / [MS(TxR) + r max(Cov2, 0)] with Hillis' ddf, FRRC chi-square
  (t - 1) MS(T) / [Var(error) + (r - 1) max(Cov2, 0)], RRFC F = MS(T) / MS(TxR).

The covariances of the figures of merit are computed within each group of cases that measures share (a
reader's cases, or a modality's), by the jackknife over that group's cases ((n_g - 1) / n_g x the sum of
products of the leave-one-out deviations), DeLong's method or the stratified bootstrap of that group's cases;
measures on different groups have covariance 0. Var(error), Cov1, Cov2 and Cov3 are the means of the
corresponding entries, the structural zeros included, as in the crossed analysis.

References: Obuchowski NA (1995) Acad Radiol 2:S22-S29 (multireader studies with cases nested in readers).
Obuchowski NA, Rockette HE (1995) Commun Stat Simul Comput 24:285-308. Hillis SL (2014) Stat Med 33:330-360.
Smith BJ, Hillis SL (2020) Proc SPIE 11316:113160K (MRMCaov).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._input import _label_list, _show
from ..errors import DataError, OptionError
from ..results import format_number
from ._covariance import (auc_covariance, bootstrap_covariance, callable_deviations, case_placements,
                          jackknife_covariance, proportion_deviations)
from ._curves import roc_points

DESIGNS = ("crossed", "cases_in_readers", "cases_in_modalities")
#: ``design="auto"``: the design that the rows fit (unambiguous: a nested design's rows never fit the other).
AUTO = "auto"
#: How each design is named in the printout.
DESIGN_TEXT = {"crossed": "fully crossed",
               "cases_in_readers": "cases nested in readers (each reader reads own cases, in every modality)",
               "cases_in_modalities": "cases nested in modalities (each modality has its own cases, read by every "
                                      "reader)"}
#: What the tests of a nested design mean, as notes of the result.
DESIGN_NOTES = {
    "cases_in_readers": "cases nested in readers: no two readers share a case, so Cov2 = Cov3 = 0 by design; the "
                        "RRRC test is F = MS(T) / MS(TxR) on (t - 1)(r - 1) df, the same statistic as the RRFC test "
                        "(Obuchowski 1995; Hillis 2014)",
    "cases_in_modalities": "cases nested in modalities: no two modalities share a case, so Cov1 = Cov3 = 0 by design; "
                           "the per-reader tests compare independent case samples (Hillis 2014)",
}
COVARIANCES = ("jackknife", "delong", "bootstrap")
METRICS = ("auc", "sensitivity", "specificity")


@dataclass(frozen=True)
class NestedMeasures:
    """The figures of merit of a nested design and their covariance, in the crossed layout of ``reader_study``:
    ``value`` (t * r,) and ``cov`` (t * r, t * r), modality-major (modality i, reader j at i * r + j), zero
    between measures on different cases."""

    value: np.ndarray
    cov: np.ndarray
    is_case: np.ndarray
    n_ratings: int
    roc_points: tuple


def check_design(design: Any, method: str, covariance: str, metric: str) -> str:
    """``design`` spelled canonically, or an OptionError (also for the options a nested design does not take)."""
    if not isinstance(design, str) or design not in (*DESIGNS, AUTO):
        raise OptionError(f"design={_show(design)} is not a reader-study design; use one of {_label_list(DESIGNS)}: "
                          "'crossed' (every reader reads every case in every modality), 'cases_in_readers' (each "
                          "reader reads own cases) or 'cases_in_modalities' (each modality has its own cases); or "
                          "'auto' (the one the rows fit).")
    if design in ("crossed", AUTO):
        return design
    if method != "or":
        raise OptionError(f"method={_show(method)} analyses a crossed design's pseudovalues; design={design!r} is "
                          "analysed by the Obuchowski-Rockette model (Hillis 2014): use method='or'.")
    if covariance not in COVARIANCES:
        raise OptionError(f"covariance={_show(covariance)} is not available with design={design!r}; use one of "
                          f"{_label_list(COVARIANCES)}.")
    if metric not in METRICS and not metric.startswith("custom: "):
        raise OptionError(f"metric={_show(metric)} is not available with design={design!r}; use one of "
                          f"{_label_list(METRICS)} or a function.")
    return design


def fitting_design(m_codes: np.ndarray, r_codes: np.ndarray, c_codes: np.ndarray, t: int, r: int, c: int
                   ) -> str | None:
    """The design that rows of (modality, reader, case) codes, without duplicates, fit, or None."""
    if len(c_codes) == t * r * c:
        return "crossed"
    rows_per_case = np.bincount(c_codes, minlength=c)
    readers_per_case = np.bincount(np.unique(c_codes * r + r_codes) // r, minlength=c)
    modalities_per_case = np.bincount(np.unique(c_codes * t + m_codes) // t, minlength=c)
    if (readers_per_case == 1).all() and (rows_per_case == t).all():
        return "cases_in_readers"
    if (modalities_per_case == 1).all() and (rows_per_case == r).all():
        return "cases_in_modalities"
    return None


#: Rows where each reader read one modality only: a design ``reader_study`` does not analyse.
READERS_IN_MODALITIES = ("each reader read one modality only (readers nested in modalities, the split-plot design of "
                         "the readers): then no reader compares the modalities, and reader_study does not analyse "
                         "this design (it needs a readers-nested model, Hillis 2014). Have the readers read every "
                         "modality, or analyse each modality's readers alone.")


#: Rows that fit neither nested design.
NO_NESTED_FIT = ("they fit no nested design either (design='cases_in_readers': each case read by one reader, in every "
                 "modality; design='cases_in_modalities': each case seen in one modality, by every reader).")


def readers_in_modalities(m_codes: np.ndarray, r_codes: np.ndarray, t: int, r: int) -> bool:
    """Whether every reader read exactly one modality."""
    return bool((np.bincount(np.unique(r_codes * t + m_codes) // t, minlength=r) == 1).all())


def detect(m_codes: np.ndarray, r_codes: np.ndarray, c_codes: np.ndarray, labels: tuple[tuple, tuple, tuple]
           ) -> tuple[str, str]:
    """``design="auto"``: the design the rows fit and a note saying so, or a DataError when they fit none."""
    t, r, c = (len(x) for x in labels)
    if readers_in_modalities(m_codes, r_codes, t, r):
        raise DataError(f"design='auto' found no design that the rows fit: {READERS_IN_MODALITIES}")
    fit = fitting_design(m_codes, r_codes, c_codes, t, r, c)
    if fit is None:
        counts = np.bincount(m_codes * r + r_codes, minlength=t * r)
        k = int(np.argmin(counts))
        m_labels, r_labels, _ = labels
        raise DataError(f"design='auto' found no design that the rows fit: reader {_show(r_labels[k % r])} read "
                        f"{int(counts[k])} of the {c} cases in modality {_show(m_labels[k // r])}, so not every reader "
                        f"read every case in every modality (design='crossed'), and {NO_NESTED_FIT} Drop the cases "
                        "that some reader did not read (in every modality), or the reader.")
    return fit, f"design='auto': the rows fit a {DESIGN_TEXT[fit]} design, design={fit!r}"


def crossed_hint(m_codes: np.ndarray, r_codes: np.ndarray, c_codes: np.ndarray, t: int, r: int, c: int) -> str:
    """The end of the error for rows that are not fully crossed: the nested design they fit, if any."""
    if readers_in_modalities(m_codes, r_codes, t, r):
        return "But " + READERS_IN_MODALITIES
    fit = fitting_design(m_codes, r_codes, c_codes, t, r, c)
    if fit is not None:
        return (f"These rows fit {DESIGN_TEXT[fit]}: pass design={fit!r}.")
    return f"And {NO_NESTED_FIT}"


def _misfit(design: str, m_codes, r_codes, c_codes, t: int, r: int, c_labels, m_labels, r_labels) -> str | None:
    """Why the rows do not fit the nested ``design`` (the first offending case), or None if they do."""
    if design == "cases_in_readers":
        group, members, whole = r_codes, r_labels, "reader"
    else:
        group, members, whole = m_codes, m_labels, "modality"
    # the distinct (case, reader) or (case, modality) pairs
    pairs = np.unique(c_codes * len(members) + group)
    per_case = np.bincount(pairs // len(members), minlength=len(c_labels))
    rows_per_case = np.bincount(c_codes, minlength=len(c_labels))
    full = t if design == "cases_in_readers" else r
    shared = np.flatnonzero(per_case > 1)
    if shared.size:
        k = int(shared[0])
        names = [members[g] for g in pairs[pairs // len(members) == k] % len(members)]
        plural = "readers" if whole == "reader" else "modalities"
        return (f"case {_show(c_labels[k])} appears under {plural} {_label_list(names)}; with design={design!r} "
                f"each case belongs to one {whole}. If case ids are only unique within a {whole}, make them unique "
                f"(join the {whole} and the case id, e.g. 'R1:17'); if every {whole} reads the same cases, the "
                "design is 'crossed'.")
    short = np.flatnonzero(rows_per_case != full)
    if short.size:
        k = int(short[0])
        other = "modalities" if design == "cases_in_readers" else "readers"
        return (f"case {_show(c_labels[k])} has {int(rows_per_case[k])} of its {full} ratings; with "
                f"design={design!r} the case must be rated in every one of the {full} {other} (drop the case, or "
                "fill in its ratings).")
    return None


def measures(rating: np.ndarray, m_codes: np.ndarray, r_codes: np.ndarray, c_codes: np.ndarray, case_truth: np.ndarray,
             labels: tuple[tuple, tuple, tuple], design: str, *, metric: str, fn: Callable | None,
             threshold: float | None, covariance: str, n_boot: int, seeds: Any, progress: bool,
             check_output: Callable[[Any, int], np.ndarray], score: Any) -> NestedMeasures:
    """The (t * r) figures of merit of a nested ``design`` and their covariance (see the module docstring).

    ``rating``, ``m_codes``, ``r_codes``, ``c_codes``: one entry per row (validated, without duplicates);
    ``case_truth`` (c,) the truth of every case; ``labels`` the (modality, reader, case) labels."""
    m_labels, r_labels, c_labels = labels
    t, r, c = len(m_labels), len(r_labels), len(c_labels)
    if readers_in_modalities(m_codes, r_codes, t, r):
        raise DataError(f"data does not fit design={design!r}: {READERS_IN_MODALITIES}")
    why = _misfit(design, m_codes, r_codes, c_codes, t, r, c_labels, m_labels, r_labels)
    if why is not None:
        raise DataError(f"data does not fit design={design!r}: {why}")
    if metric in ("sensitivity", "specificity"):
        if threshold is not None:
            rating = (rating >= threshold).astype(float)
        elif not np.isin(rating, (0.0, 1.0)).all():
            bad = rating[~np.isin(rating, (0.0, 1.0))][0]
            raise DataError(f"metric={metric!r} needs binary reads: score={_show(score)} holds {format_number(bad)}; "
                            "give reads coded 0/1 (1 positive), or threshold= (a rating >= threshold is positive).")
    by_reader = design == "cases_in_readers"
    group_of_row = r_codes if by_reader else m_codes
    local_row = m_codes if by_reader else r_codes
    n_groups, k_group = (r, t) if by_reader else (t, r)
    group_of_case = np.empty(c, dtype=np.intp)
    group_of_case[c_codes] = group_of_row
    # each case's position within its group (cases in label order)
    order = np.argsort(group_of_case, kind="stable")
    starts = np.searchsorted(group_of_case[order], np.arange(n_groups))
    position = np.empty(c, dtype=np.intp)
    position[order] = np.arange(c) - starts[group_of_case[order]]
    value = np.empty(t * r)
    cov = np.zeros((t * r, t * r))
    points: list[Any] = [None] * (t * r)
    group_labels = r_labels if by_reader else m_labels
    spawned = seeds.spawn(n_groups) if covariance == "bootstrap" else [None] * n_groups
    for g in range(n_groups):  # one vectorised analysis per group of cases (a reader's, or a modality's)
        cases = np.flatnonzero(group_of_case == g)
        truth_g = np.empty(len(cases), dtype=bool)
        truth_g[position[cases]] = case_truth[cases]
        n1 = int(truth_g.sum())
        if n1 < 2 or len(cases) - n1 < 2:
            whole = "reader" if by_reader else "modality"
            raise DataError(f"{whole} {_show(group_labels[g])} has {n1} diseased and {len(cases) - n1} non-diseased "
                            f"cases; with design={design!r} the jackknife runs over each {whole}'s own cases and "
                            "needs at least two of each.")
        rows = group_of_row == g
        ratings_g = np.empty((k_group, len(cases)))
        ratings_g[local_row[rows], position[c_codes[rows]]] = rating[rows]
        idx = np.arange(k_group) * r + g if by_reader else g * r + np.arange(k_group)
        if fn is not None:
            value_g, deviations = callable_deviations(fn, ratings_g, truth_g, check_output)
            cov_g = jackknife_covariance(deviations)
        elif metric in ("sensitivity", "specificity"):
            value_g, deviations = proportion_deviations(ratings_g, truth_g, metric)
            cov_g = jackknife_covariance(deviations)
        else:
            value_g, v10, v01 = case_placements(ratings_g, truth_g)
            cov_g = (bootstrap_covariance(ratings_g, truth_g, n_boot, spawned[g], progress)
                     if covariance == "bootstrap" else auc_covariance(value_g, v10, v01, covariance))
        value[idx] = value_g
        cov[np.ix_(idx, idx)] = cov_g
        for k, pts in zip(idx, roc_points(ratings_g, truth_g)):
            points[k] = pts
    return NestedMeasures(value=value, cov=cov, is_case=case_truth, n_ratings=int(len(rating)),
                          roc_points=tuple(points))
