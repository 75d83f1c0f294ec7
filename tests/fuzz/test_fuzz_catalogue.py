"""The exact calls of issue #14 ("Wrong answers found", "Errors that escape", "Messages and warnings"), each run
through the fuzz classifier (plus, where the classifier cannot see the wrong answer, the right answer).

A case whose ``KNOWN_OPEN`` entry still exists is a strict expected failure: when its fix is merged the
case passes, the strict xfail turns into a failure, and the entry in ``known_open.py`` is to be deleted.
Cases without an entry (``known=None``) are fixed (on main before this suite was written, or by h-est) and
stay as regression tests through the same classifier.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest

import diagstats as ds

from .invariants import TIME_LIMIT, Call, check_outcome, make_call, run
from .known_open import KNOWN_OPEN


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[], Call]
    known: str | None = None          # the KNOWN_OPEN id while the fix is not merged
    expect: Callable[[Any], None] | None = None  # the right answer, where the classifier cannot see it
    time_limit: float = TIME_LIMIT


def _roc4(score):
    return ds.roc([0, 0, 1, 1], score)


def _paired_rocs_with_duplicate_index():
    """Two curves on the same patients, the index labels repeated, and one patient omitted from the second."""
    y = pd.Series([0, 1, 0, 1, 0, 1, 0, 1], index=[0, 0, 1, 1, 2, 2, 3, 3])
    s1 = pd.Series([0.1, 0.9, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6], index=y.index)
    s2 = pd.Series([0.2, 0.8, 0.1, 0.9, 0.3, 0.5, 0.6, np.nan], index=y.index)
    return ds.roc(y, s1), ds.roc(y, s2, nan_policy="omit")


def _is_paired(result):
    assert "unpaired" not in str(result).lower(), "a paired comparison became unpaired"


def _kappa_one(result):
    assert result.kappa.value == pytest.approx(1.0)


def _univariate_dl():
    return make_call("meta.univariate", ds.meta.univariate,
                     pd.DataFrame({"events": [0, 0, 116, 149], "n": [430, 127, 126, 161]}),
                     measure="proportion", method="DL")


CASES = [
    # --- Wrong answers found
    Case("agreement_bool_vs_01", lambda: make_call("agreement", ds.agreement,
                                                   raters=([True, False, True, False], [1, 0, 1, 0])),
         None, _kappa_one),
    Case("agreement_categories_bool", lambda: make_call("agreement", ds.agreement, raters=([1, 0, 1, 0], [1, 0, 1, 1]),
                                                        categories=[False, True]), None,
         lambda r: math.isfinite(r.kappa.value) or pytest.fail("kappa undefined")),
    Case(None, lambda: make_call("agreement", ds.agreement, raters=([1, 2, 3, 4, 5], [1, 2, 3, 4, 4])),
         None),
    Case(None, lambda: make_call("agreement", ds.agreement, raters=([1, 1, 1, 1], [1, 0, 1, 0])),
         None, lambda r: r.notes or r.kappa.notes or pytest.fail("a constant rater and no note")),
    Case("accuracy_fp_2_63", lambda: make_call("accuracy", ds.accuracy, tp=30, fp=2**63, fn=10, tn=55), None),
    Case("accuracy_fp_uint64", lambda: make_call("accuracy", ds.accuracy, tp=30, fp=np.uint64(2**63), fn=10, tn=55),
         None),
    Case("accuracy_fp_1e19", lambda: make_call("accuracy", ds.accuracy, tp=30, fp=1e19, fn=10, tn=55), None),
    Case("proportion_ci_2_63", lambda: make_call("proportion_ci", ds.proportion_ci, 2**63, 2**63), None),
    Case("paired_ppv_difference", lambda: make_call("compare_tests", ds.compare_tests, tests=([0, 1], [1, 1]),
                                                    reference=[0, 1]), None,
         lambda r: -1 <= r.ppv.difference.lower <= r.ppv.difference.upper <= 1 or pytest.fail("past 1")),
    Case("roc_multiclass_duplicate_column", lambda: make_call(
        "roc_multiclass", ds.roc_multiclass, ["a", "a", "b", "b", "c", "c"],
        pd.DataFrame([[0.9, 0.1, 0.0], [0.8, 0.1, 0.1], [0.1, 0.9, 0.0], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8],
                      [0.0, 0.2, 0.8]], columns=["a", "b", "b"]), n_boot=20, progress=False), None,
         lambda r: pytest.fail("a duplicate score column was accepted")),
    Case("compare_roc_duplicate_index", lambda: make_call("compare_roc", ds.compare_roc,
                                                          *_paired_rocs_with_duplicate_index()),
         None, _is_paired),
    Case("dl_tau2_outside_its_interval", _univariate_dl, None),  # the note says so (metafor parity)
    Case("stard_exclusions_length", lambda: make_call("stard_counts", ds.stard_counts,
                                                      pd.DataFrame({"t": [0, 1, 1], "r": [0, 1, 0]}), test="t",
                                                      reference="r", exclusions={"c": [True]}), None,
         lambda r: pytest.fail("a flags list of the wrong length was accepted")),
    Case("delong_one_case_one_control", lambda: make_call("compare_roc", ds.compare_roc, ds.roc([0, 1], [0.2, 0.8]),
                                                          ds.roc([0, 1], [0.3, 0.6]), paired=False),
         None),
    Case("welch_with_inf", lambda: make_call("markers.describe", ds.markers.describe,
                                             pd.DataFrame({"nlr": [1.0, 2.0, np.inf, 3.0, 2.5, 1.5],
                                                           "g": list("aaabbb")}), ["nlr"], by="g",
                                             omnibus_test="welch_log"), None),
    Case("lr_ci_correction_0", lambda: make_call("lr_ci", ds.lr_ci, 10, 0, 5, 20, correction=0), None),
    Case("lr_ci_correction_negative", lambda: make_call("lr_ci", ds.lr_ci, 10, 3, 5, 20, correction=-1.0,
                                                        ), None,
         lambda r: pytest.fail("a negative correction was accepted")),
    Case("lr_ci_correction_nan", lambda: make_call("lr_ci", ds.lr_ci, 10, 3, 5, 20, correction=np.nan),
         None, lambda r: pytest.fail("a NaN correction was accepted")),
    Case("lr_ci_positive_none", lambda: make_call("lr_ci", ds.lr_ci, 10, 3, 5, 20, positive=None), None,
         lambda r: pytest.fail("positive=None was accepted")),
    Case("latent_class_tol_negative", lambda: make_call(
        "latent_class", ds.latent_class, pd.DataFrame({"a": [0, 1, 1, 0, 1, 0] * 5, "b": [0, 1, 0, 0, 1, 1] * 5,
                                                       "c": [1, 1, 1, 0, 1, 0] * 5}),
        tests=["a", "b", "c"], tol=-1, n_boot=20, n_starts=2, progress=False), None,
         lambda r: pytest.fail("tol=-1 was accepted")),
    Case("power_paired_sensitivity_2_5", lambda: make_call(
        "planning.power_paired_sensitivity", ds.power_paired_sensitivity, 0.9, 0.8, n_diseased=2.5),
         None, lambda r: pytest.fail("n_diseased=2.5 was accepted")),
    Case("compare_roc_paired_yes", lambda: make_call("compare_roc", ds.compare_roc, _roc4([0, 0, 1, 1]),
                                                     _roc4([1, 2, 3, 4]), paired="yes"), None,
         lambda r: pytest.fail("paired='yes' was accepted")),
    # --- Errors that escape as Python errors
    Case("unpaired_zero_variances", lambda: make_call("compare_roc", ds.compare_roc, _roc4([0, 0, 1, 1]),
                                                      _roc4([1, 2, 3, 4]), paired=False), None),
    Case("accuracy_array_count", lambda: make_call("accuracy", ds.accuracy, tp=[1, 2], fp=5, fn=10, tn=55),
         None),
    Case("proportion_ci_mismatched", lambda: make_call("proportion_ci", ds.proportion_ci, [1, 2], [3, 4, 5]),
         None),
    Case("lr_ci_mismatched", lambda: make_call("lr_ci", ds.lr_ci, [1, 2], [3, 4, 5], 1, 1), None),
    Case("dor_ci_mismatched", lambda: make_call("dor_ci", ds.dor_ci, [1, 2], [3, 4, 5], 1, 1), None),
    Case("at_prevalence_array", lambda: make_call("AccuracyResult.at_prevalence",
                                                  ds.accuracy(tp=20, fp=5, fn=4, tn=30).at_prevalence, [0.1, 0.2])),
    Case("sensitivity_at_array", lambda: make_call("ROCResult.sensitivity_at", _roc4([1, 2, 3, 4]).sensitivity_at,
                                                   [0.8, 0.9], n_boot=None), None),
    Case("post_test_probability_text", lambda: make_call("post_test_probability", ds.post_test_probability, 0.2,
                                                         [1, "a"]), None),
    Case("post_test_odds_text", lambda: make_call("post_test_odds", ds.post_test_odds, "a", 2)),
    Case("agreement_duplicate_categories", lambda: make_call("agreement", ds.agreement, raters=([1, 0, 1], [1, 1, 0]),
                                                             categories=[1, 1, 0]), None),
    Case("correct_verification_test_list", lambda: make_call(
        "correct_verification", ds.correct_verification,
        pd.DataFrame({"mri": [0, 1, 1, 0], "biopsy": [0, 1, np.nan, np.nan]}), test=["mri"], reference="biopsy",
        progress=False)),
    Case("latent_class_no_tests", lambda: make_call("latent_class", ds.latent_class, pd.DataFrame({"a": [0, 1]}),
                                                    tests=[], progress=False)),
    Case("latent_class_empty_frame", lambda: make_call("latent_class", ds.latent_class,
                                                       pd.DataFrame({"a": [], "b": [], "c": []}), tests=["a", "b", "c"],
                                                       progress=False), None),
    Case("cohort_10_12", lambda: make_call("simulate.cohort", ds.simulate.cohort, 10**12), None),
    Case("report_build_bad_config", lambda: make_call("report.build", ds.report.build, "needle_biopsy", {"n": "x"}),
         None),
    Case("dor_ci_exact_slow", lambda: make_call("dor_ci", ds.dor_ci, 10**5, 1, 1, 10**5, method="exact"),
         None, time_limit=5.0),
    # --- Messages and warnings
    Case("object_dtype_reference", lambda: make_call(
        "accuracy", ds.accuracy, pd.DataFrame({"y": pd.Series([0, 1, 0, 1], dtype=object), "t": [0, 1, 1, 1]}),
        test="t", reference="y"), None,
         lambda r: None),
    Case("test_positive_named", lambda: make_call(
        "accuracy", ds.accuracy, pd.DataFrame({"y": [0, 1, 0, 1], "t": ["NEG", "POS", "POS", "x"]}), test="t",
        reference="y", test_positive="POS"), None),
]

_MESSAGE_CHECKS = {
    # the classifier accepts any argument name; these cases need the one the user typed
    "object_dtype_reference": lambda err: pytest.fail(f"a 0/1 reference stored as objects was refused: {err}"),
    "test_positive_named": lambda err: "test_positive=" in str(err) or pytest.fail(f"names positive=: {err}"),
}


def _param(case: Case):
    marks = []
    if case.known is not None:
        marks.append(pytest.mark.xfail(case.known in KNOWN_OPEN, strict=True,
                                       reason=f"KNOWN_OPEN[{case.known!r}]"))
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_catalogue_case(case: Case):
    call = case.build()
    outcome = run(call, case.time_limit)
    check_outcome(call, outcome, xfail_known=True)
    if outcome.error is not None and case.id in _MESSAGE_CHECKS:
        _MESSAGE_CHECKS[case.id](outcome.error)
    if outcome.error is None and case.expect is not None:
        case.expect(outcome.value)
