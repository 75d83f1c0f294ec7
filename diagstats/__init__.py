"""diagstats: diagnostic accuracy studies in Python, checked against R.

>>> import diagstats as ds
>>> print(ds.accuracy(tp=90, fp=15, fn=10, tn=85).sensitivity)
sensitivity 0.900 (95% CI 0.826 to 0.945, Wilson)

``import diagstats`` is light: the public names below load their module (and pandas, scipy,
statsmodels, matplotlib, Jinja2) on first use (PEP 562 ``__getattr__``), so ``diagstats --help``
starts at once. ``from diagstats import accuracy``, ``dir(diagstats)`` and tab completion work as usual.
"""

from __future__ import annotations

import importlib
import importlib.util
import warnings
from typing import TYPE_CHECKING, Any

from .errors import ColumnError, ConvergenceError, DataError, DiagstatsError, DiagstatsWarning, OptionError

if TYPE_CHECKING:  # what static tools see; at run time the same names load lazily, from _LAZY below
    from . import datasets, markers, meta, pathway, planning, plot, report, simulate
    from .binary.cluster_bootstrap import ClusterBootstrapResult, cluster_bootstrap
    from .binary.comparison import CombinedTests, MeasureComparison, TestComparison, combine_tests, compare_tests
    from .binary.intervals import dor_ci, lr_ci, proportion_ci
    from .binary.rater_agreement import AgreementResult, agreement
    from .binary.screen_positive import ScreenPositiveComparison, compare_screen_positive
    from .binary.stard import StardArm, StardCounts, stard_counts
    from .binary.two_by_two import AccuracyResult, AccuracyTable, ClusteredAccuracyResult, PredictiveValues, accuracy
    from .bias import (CompositeReference, LatentClassResult, ReferenceCorrectionResult, VerificationResult,
                       composite_reference, correct_reference, correct_verification, latent_class)
    from .planning import (SampleSize, power_auc, power_binormal_aucs, power_paired_sensitivity, power_roc_curves,
                           sample_size_accuracy, sample_size_accuracy_exact, sample_size_auc,
                           sample_size_binormal_aucs, sample_size_paired_sensitivity, sample_size_roc_curves,
                           sample_size_two_aucs)
    from .plot import plot_roc
    from .readers import ReaderStudyResult, reader_study
    from .results import Estimate, Interval, TestResult
    from .roc_analysis import (BinormalResult, ClusteredROCResult, CutpointResult, GreyZoneResult,
                               MulticlassROCResult, ROCComparisonTable, ROCResult, SmoothROCResult, WeightedROCResult,
                               compare_roc, roc, roc_multiclass)
    from .utility import (AddedValueResult, CalibrationResult, DecisionCurveResult, added_value, calibration,
                          decision_curve, post_test_odds, post_test_probability)

__version__ = "0.1.0.dev0"

# In Jupyter without ipywidgets, tqdm.auto warns "IProgress not found" and draws a text progress bar, which is
# all diagstats needs: the warning would otherwise be the first thing a new user's notebook shows.
warnings.filterwarnings("ignore", message="IProgress not found", module="tqdm")

# public name -> the module (relative to diagstats) it comes from; "" marks a sub-namespace (ds.meta, ...)
_LAZY: dict[str, str] = {
    **dict.fromkeys(("datasets", "markers", "meta", "pathway", "planning", "plot", "report", "simulate"), ""),
    **dict.fromkeys(("CombinedTests", "MeasureComparison", "TestComparison", "combine_tests", "compare_tests"),
                    ".binary.comparison"),
    **dict.fromkeys(("ClusterBootstrapResult", "cluster_bootstrap"), ".binary.cluster_bootstrap"),
    **dict.fromkeys(("dor_ci", "lr_ci", "proportion_ci"), ".binary.intervals"),
    **dict.fromkeys(("AgreementResult", "agreement"), ".binary.rater_agreement"),
    **dict.fromkeys(("ScreenPositiveComparison", "compare_screen_positive"), ".binary.screen_positive"),
    **dict.fromkeys(("StardArm", "StardCounts", "stard_counts"), ".binary.stard"),
    **dict.fromkeys(("AccuracyResult", "AccuracyTable", "ClusteredAccuracyResult", "PredictiveValues", "accuracy"),
                   ".binary.two_by_two"),
    **dict.fromkeys(("CompositeReference", "LatentClassResult", "ReferenceCorrectionResult", "VerificationResult",
                     "composite_reference", "correct_reference", "correct_verification", "latent_class"), ".bias"),
    **dict.fromkeys(("SampleSize", "power_auc", "power_binormal_aucs", "power_paired_sensitivity", "power_roc_curves",
                     "sample_size_accuracy", "sample_size_accuracy_exact", "sample_size_auc",
                     "sample_size_binormal_aucs", "sample_size_paired_sensitivity", "sample_size_roc_curves",
                     "sample_size_two_aucs"), ".planning"),
    "plot_roc": ".plot",
    **dict.fromkeys(("ReaderStudyResult", "reader_study"), ".readers"),
    **dict.fromkeys(("Estimate", "Interval", "TestResult"), ".results"),
    **dict.fromkeys(("BinormalResult", "ClusteredROCResult", "CutpointResult", "GreyZoneResult",
                     "MulticlassROCResult", "ROCComparisonTable", "ROCResult", "SmoothROCResult", "WeightedROCResult",
                     "compare_roc", "roc", "roc_multiclass"), ".roc_analysis"),
    **dict.fromkeys(("AddedValueResult", "CalibrationResult", "DecisionCurveResult", "added_value", "calibration",
                     "decision_curve", "post_test_odds", "post_test_probability"), ".utility"),
}


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        # the other subpackages too (ds.bias, ds.binary, ...), as when __init__ imported them all
        if name.startswith("__") or importlib.util.find_spec(f"{__name__}.{name}") is None:
            raise AttributeError(f"module 'diagstats' has no attribute {name!r}") from None
        return importlib.import_module(f".{name}", __name__)
    value = importlib.import_module(f".{name}" if not module else module, __name__)
    if module:
        value = getattr(value, name)
    globals()[name] = value  # later look-ups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    # 2x2 accuracy and intervals
    "AccuracyResult", "AccuracyTable", "ClusteredAccuracyResult", "PredictiveValues", "accuracy", "post_test_odds",
    "post_test_probability",
    "dor_ci", "lr_ci", "proportion_ci",
    "ClusterBootstrapResult", "cluster_bootstrap",
    # results and errors
    "Estimate", "Interval", "TestResult",
    "ColumnError", "ConvergenceError", "DataError", "DiagstatsError", "DiagstatsWarning", "OptionError",
    # ROC
    "BinormalResult", "ClusteredROCResult", "CutpointResult", "GreyZoneResult", "MulticlassROCResult",
    "ROCComparisonTable", "ROCResult", "SmoothROCResult", "WeightedROCResult", "compare_roc", "plot_roc", "roc",
    "roc_multiclass",
    # multi-reader multi-case reader studies
    "ReaderStudyResult", "reader_study",
    # comparing and combining binary tests, agreement
    "CombinedTests", "MeasureComparison", "TestComparison", "combine_tests", "compare_tests",
    "ScreenPositiveComparison", "compare_screen_positive",
    "AgreementResult", "agreement",
    # work-up strategies: strategies on patient data, combined tests, probabilistic sensitivity analysis
    "pathway",
    # study planning
    "planning", "SampleSize", "power_auc", "power_binormal_aucs", "power_paired_sensitivity", "power_roc_curves",
    "sample_size_accuracy",
    "sample_size_accuracy_exact", "sample_size_auc", "sample_size_binormal_aucs", "sample_size_paired_sensitivity",
    "sample_size_roc_curves", "sample_size_two_aucs",
    # bias: partial verification, composite and imperfect reference, latent classes
    "CompositeReference", "composite_reference", "LatentClassResult", "ReferenceCorrectionResult",
    "VerificationResult", "correct_reference", "correct_verification", "latent_class",
    # meta-analysis
    "meta",
    # blood markers and clinical utility
    "markers", "AddedValueResult", "CalibrationResult", "DecisionCurveResult", "added_value", "calibration",
    "decision_curve",
    # simulated cohorts and literature datasets
    "datasets", "simulate",
    # reports: STARD flow, figures (ds.plot.stard_flow) and reproducible reports (ds.report.build)
    "plot", "report", "StardArm", "StardCounts", "stard_counts",
]
