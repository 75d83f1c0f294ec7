"""Clinical utility: post-test probability (:mod:`~diagstats.utility.post_test`), calibration of predicted
probabilities (:mod:`~diagstats.utility.risk_calibration`) and decision curves
(:mod:`~diagstats.utility.net_benefit`)."""

from .risk_calibration import CalibrationResult, calibration
from .net_benefit import DecisionCurveResult, decision_curve
from .post_test import post_test_odds, post_test_probability

__all__ = ["CalibrationResult", "calibration", "DecisionCurveResult", "decision_curve", "post_test_odds",
           "post_test_probability"]
