"""diagstats: diagnostic accuracy studies in Python, checked against R.

>>> import diagstats as ds
>>> print(ds.accuracy(tp=90, fp=15, fn=10, tn=85).sensitivity)
sensitivity 0.900 (95% CI 0.826 to 0.945, Wilson)
"""

from .accuracy import AccuracyResult, AccuracyTable, PredictiveValues, accuracy, post_test_odds, post_test_probability
from .errors import ColumnError, ConvergenceError, DataError, DiagstatsError, DiagstatsWarning, OptionError
from .intervals import dor_ci, lr_ci, proportion_ci
from .results import Estimate, Interval, TestResult
from . import markers
from .decision import DecisionCurveResult, decision_curve

__version__ = "0.1.0.dev0"

__all__ = [
    "AccuracyResult", "AccuracyTable", "PredictiveValues", "accuracy", "post_test_odds", "post_test_probability",
    "ColumnError", "ConvergenceError", "DataError", "DiagstatsError", "DiagstatsWarning", "OptionError",
    "dor_ci", "lr_ci", "proportion_ci",
    "Estimate", "Interval", "TestResult",
    "markers", "DecisionCurveResult", "decision_curve",
]
