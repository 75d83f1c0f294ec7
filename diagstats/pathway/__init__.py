"""Work-up strategies: a pathway written as data, evaluated on patients; combinations of published tests; cost and
probabilistic sensitivity analysis.

* :class:`Step` and :class:`Strategy` write a work-up as ordered steps with rules and costs
  (:mod:`~diagstats.pathway.strategy`); :func:`evaluate` gives each strategy's accuracy, yield and cost
  on patient data, compared paired on the same patients (:mod:`~diagstats.pathway.evaluation`);
* :func:`combine` gives the sensitivity and specificity of 2 or more tests in series, in parallel or
  k-of-n from published values, with conditional dependence (Gardner et al. 2000), and what a
  sequential work-up does per 1,000 patients;
* :func:`psa` propagates the uncertainty of the inputs (:class:`Beta` and :class:`Gamma`
  distributions, by default the shipped literature's counts) to named strategies' accuracy, cost and
  net monetary benefit: the acceptability curve and the expected value of perfect information, run
  through ``ds.simulate.study`` (local cores or a Dask cluster); :func:`psa_cohort` does the same on
  simulated patients, running the :class:`Strategy` objects on a cohort simulated for each draw.

>>> import diagstats as ds
>>> round(ds.pathway.combine([0.9, 0.95], [0.8, 0.85], "parallel").sensitivity.value, 3)
0.995
"""

from .cohort_analysis import psa_cohort
from .combination import CombinedAccuracy, combine
from .evaluation import PathwayEvaluation, evaluate
from .psa_inputs import Beta, Gamma
from .sensitivity_analysis import PSAResult, psa
from .strategy import Step, Strategy

__all__ = ["Beta", "CombinedAccuracy", "Gamma", "PSAResult", "PathwayEvaluation", "Step", "Strategy", "combine",
           "evaluate", "psa", "psa_cohort"]
