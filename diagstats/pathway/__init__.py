"""Work-up strategies: a pathway written as data (:mod:`~diagstats.pathway.strategy`), evaluated and compared
paired on patient data (:mod:`~diagstats.pathway.evaluation`)."""

from .evaluation import PathwayEvaluation, evaluate
from .strategy import Step, Strategy

__all__ = ["PathwayEvaluation", "Step", "Strategy", "evaluate"]
