"""Meta-analysis of diagnostic accuracy: univariate pooling, the bivariate (Reitsma) model and
its comparative meta-regression on one categorical covariate.

The models are in :mod:`diagstats.meta.models`; their figures in :mod:`diagstats.plot.meta`.
"""

from .models import BivariateMetaResult, BivariateRegressionResult, UnivariateMetaResult, bivariate, univariate

__all__ = ["univariate", "bivariate", "UnivariateMetaResult", "BivariateMetaResult", "BivariateRegressionResult"]
