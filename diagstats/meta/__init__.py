"""Meta-analysis of diagnostic accuracy: univariate pooling and the bivariate (Reitsma) model.

The models are in :mod:`diagstats.meta.models`; their figures in :mod:`diagstats.plot.meta`.
"""

from .models import BivariateMetaResult, UnivariateMetaResult, bivariate, univariate

__all__ = ["univariate", "bivariate", "UnivariateMetaResult", "BivariateMetaResult"]
