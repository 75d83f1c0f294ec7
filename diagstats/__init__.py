"""diagstats: diagnostic accuracy studies in Python, checked against R.

>>> import diagstats as ds
>>> print(ds.accuracy(tp=90, fp=15, fn=10, tn=85).sensitivity)
sensitivity 0.900 (95% CI 0.826 to 0.945, Wilson)
"""

from . import datasets, markers, meta, planning, plot, report, simulate
from .binary.two_by_two import AccuracyResult, AccuracyTable, PredictiveValues, accuracy
from .binary.rater_agreement import AgreementResult, agreement
from .bias import (LatentClassResult, ReferenceCorrectionResult, VerificationResult, correct_reference,
                   correct_verification, latent_class)
from .binary.comparison import CombinedTests, MeasureComparison, TestComparison, combine_tests, compare_tests
from .utility import DecisionCurveResult, decision_curve, post_test_odds, post_test_probability
from .errors import ColumnError, ConvergenceError, DataError, DiagstatsError, DiagstatsWarning, OptionError
from .binary.intervals import dor_ci, lr_ci, proportion_ci
from .planning import (SampleSize, power_auc, power_binormal_aucs, power_paired_sensitivity, sample_size_accuracy,
                       sample_size_accuracy_exact, sample_size_auc, sample_size_binormal_aucs,
                       sample_size_paired_sensitivity, sample_size_two_aucs)
from .results import Estimate, Interval, TestResult
from .plot.roc import plot_roc
from .roc_analysis import (BinormalResult, CutpointResult, MulticlassROCResult, ROCComparisonTable, ROCResult, compare_roc,
                  roc, roc_multiclass)
from .binary.stard import StardArm, StardCounts, stard_counts

__version__ = "0.1.0.dev0"

__all__ = [
    # 2x2 accuracy and intervals
    "AccuracyResult", "AccuracyTable", "PredictiveValues", "accuracy", "post_test_odds", "post_test_probability",
    "dor_ci", "lr_ci", "proportion_ci",
    # results and errors
    "Estimate", "Interval", "TestResult",
    "ColumnError", "ConvergenceError", "DataError", "DiagstatsError", "DiagstatsWarning", "OptionError",
    # ROC
    "BinormalResult", "CutpointResult", "MulticlassROCResult", "ROCComparisonTable", "ROCResult", "compare_roc",
    "plot_roc", "roc", "roc_multiclass",
    # comparing and combining binary tests, agreement
    "CombinedTests", "MeasureComparison", "TestComparison", "combine_tests", "compare_tests",
    "AgreementResult", "agreement",
    # study planning
    "planning", "SampleSize", "power_auc", "power_binormal_aucs", "power_paired_sensitivity", "sample_size_accuracy",
    "sample_size_accuracy_exact", "sample_size_auc", "sample_size_binormal_aucs", "sample_size_paired_sensitivity",
    "sample_size_two_aucs",
    # bias: partial verification, imperfect reference, latent classes
    "LatentClassResult", "ReferenceCorrectionResult", "VerificationResult", "correct_reference",
    "correct_verification", "latent_class",
    # meta-analysis
    "meta",
    # blood markers and clinical utility
    "markers", "DecisionCurveResult", "decision_curve",
    # simulated cohorts and literature datasets
    "datasets", "simulate",
    # reports: STARD flow, figures (ds.plot.stard_flow) and reproducible reports (ds.report.build)
    "plot", "report", "StardArm", "StardCounts", "stard_counts",
]
