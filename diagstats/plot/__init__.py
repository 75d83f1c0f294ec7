"""Every figure of diagstats. Each function takes ``ax=None`` and returns the Axes; none calls ``plt.show()``.

:mod:`~diagstats.plot.stard` (STARD 2015 flow diagram), :mod:`~diagstats.plot.roc` (ROC curves),
:mod:`~diagstats.plot.meta` (forest and SROC plots), :mod:`~diagstats.plot.markers` (marker
distributions, origin confusion matrix) and :mod:`~diagstats.plot.utility` (Fagan nomogram, decision
curves). Results draw themselves with ``result.plot()``, which calls these.
"""

from . import markers, meta, pathway, roc, stard, utility
from .markers import confusion_matrix, marker_distributions
from .meta import forest_plot, paired_forest_plot, sroc_plot
from .pathway import pathway_flow
from .roc import plot_roc
from .stard import stard_flow
from .utility import decision_curves, fagan_nomogram

__all__ = ["confusion_matrix", "decision_curves", "fagan_nomogram", "forest_plot", "marker_distributions",
           "paired_forest_plot", "pathway_flow", "plot_roc", "sroc_plot", "stard_flow", "markers", "meta", "pathway",
           "roc", "stard", "utility"]
