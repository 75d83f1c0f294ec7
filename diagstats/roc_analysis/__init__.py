"""ROC analysis: curve and AUC (DeLong, bootstrap, Hanley-McNeil intervals), partial AUC,
operating points, cutpoints, grey zones, smoothing (binormal, kernel density, normal fits), comparisons of curves,
multiclass AUC.
Their figures are in :mod:`diagstats.plot.roc`.

One verb per module; the public names are re-exported by :mod:`diagstats`.
"""

from .curve import ClusteredROCResult, ROCResult, WeightedROCResult, roc
from .compare import ROCComparisonTable, compare_roc
from .cutpoints import CutpointResult
from .grey_zone import GreyZoneResult
from .multiclass import MulticlassROCResult, roc_multiclass
from .smooth import BinormalResult
from .smoothing import SmoothROCResult

__all__ = ["ROCResult", "ClusteredROCResult", "roc", "CutpointResult", "ROCComparisonTable", "compare_roc",
           "MulticlassROCResult", "roc_multiclass", "BinormalResult", "SmoothROCResult",
           "GreyZoneResult", "WeightedROCResult"]
