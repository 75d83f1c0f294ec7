"""Clinical utility: post-test probability (:mod:`~diagstats.utility.post_test`) and decision curves
(:mod:`~diagstats.utility.net_benefit`)."""

from .net_benefit import DecisionCurveResult, decision_curve
from .post_test import post_test_odds, post_test_probability

__all__ = ["DecisionCurveResult", "decision_curve", "post_test_odds", "post_test_probability"]
