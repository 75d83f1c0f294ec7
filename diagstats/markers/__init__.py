"""Blood-count markers of systemic inflammation: ratios, their "Table 1", discrimination, origin.

:func:`ratios` (:mod:`~diagstats.markers.haematology`) turns blood counts into NLR, PLR, LMR and SII;
:func:`describe` (:mod:`~diagstats.markers.table_one`) summarises markers by group with the usual
omnibus and pairwise tests; :func:`discriminate` (:mod:`~diagstats.markers.discrimination`) measures how
well they separate diagnoses; :func:`predict_origin` (:mod:`~diagstats.markers.origin`) predicts the
primary tumour of a metastasis from the markers. Their figures are in :mod:`diagstats.plot.markers`.
"""

from .discrimination import LI2019_QUESTIONS, DiscriminationResult, discriminate
from .haematology import UNITS, ratios
from .origin import OriginResult, predict_origin
from .table_one import MarkerTable, describe

__all__ = ["ratios", "describe", "MarkerTable", "discriminate", "DiscriminationResult", "LI2019_QUESTIONS",
           "predict_origin", "OriginResult", "UNITS"]
