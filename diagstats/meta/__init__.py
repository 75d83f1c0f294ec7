"""Meta-analysis of diagnostic accuracy: per-study descriptives, univariate pooling, the Mantel-Haenszel
DOR, the bivariate (Reitsma) model, its Zhou & Dendukuri I^2, its comparative meta-regression on one
categorical covariate, and the proportional hazards (Lehmann) SROC model of Holling et al.

The models are in :mod:`diagstats.meta.models`; their figures in :mod:`diagstats.plot.meta`.
"""

from .descriptives import StudyDescriptivesResult, describe_studies
from .fixed_effect import MantelHaenszelResult, mantel_haenszel
from .heterogeneity import BivariateHeterogeneityResult
from .models import BivariateMetaResult, BivariateRegressionResult, UnivariateMetaResult, bivariate, univariate
from .lehmann import ProportionalHazardsMetaResult, proportional_hazards

__all__ = ["univariate", "bivariate", "mantel_haenszel", "describe_studies", "proportional_hazards",
           "UnivariateMetaResult", "BivariateMetaResult", "BivariateRegressionResult", "BivariateHeterogeneityResult",
           "MantelHaenszelResult", "StudyDescriptivesResult", "ProportionalHazardsMetaResult"]
