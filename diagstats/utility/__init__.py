"""Clinical utility: post-test probability (:mod:`~diagstats.utility.post_test`), calibration of predicted
probabilities (:mod:`~diagstats.utility.risk_calibration`), decision curves (:mod:`~diagstats.utility.net_benefit`)
and the added value of new predictors (:mod:`~diagstats.utility.incremental_value`)."""

from .incremental_value import AddedValueResult, added_value
from .net_benefit import DecisionCurveResult, decision_curve
from .post_test import post_test_odds, post_test_probability
from .risk_calibration import CalibrationResult, calibration

__all__ = ["AddedValueResult", "CalibrationResult", "DecisionCurveResult", "added_value", "calibration",
           "decision_curve", "post_test_odds", "post_test_probability"]
