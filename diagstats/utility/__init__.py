"""Clinical utility: post-test probability (:mod:`~diagstats.utility.post_test`), decision curves
(:mod:`~diagstats.utility.net_benefit`) and the added value of new predictors
(:mod:`~diagstats.utility.incremental_value`)."""

from .incremental_value import AddedValueResult, added_value
from .net_benefit import DecisionCurveResult, decision_curve
from .post_test import post_test_odds, post_test_probability

__all__ = ["AddedValueResult", "DecisionCurveResult", "added_value", "decision_curve", "post_test_odds",
           "post_test_probability"]
