"""Every figure of diagstats. Each function takes ``ax=None`` and returns the Axes; none calls ``plt.show()``.

:mod:`~diagstats.plot.stard` (STARD 2015 flow diagram), :mod:`~diagstats.plot.roc` (ROC curves),
:mod:`~diagstats.plot.meta` (forest and SROC plots), :mod:`~diagstats.plot.markers` (marker
distributions, origin confusion matrix), :mod:`~diagstats.plot.calibration` (calibration plot) and
:mod:`~diagstats.plot.utility` (Fagan nomogram, decision curves). Results draw themselves with
``result.plot()``, which calls these.
"""

from . import calibration, markers, meta, roc, stard, utility
from .calibration import calibration_plot, origin_calibration_plot
from .markers import confusion_matrix, marker_distributions
from .meta import forest_plot, paired_forest_plot, sroc_plot
from .roc import plot_roc
from .stard import stard_flow
from .utility import decision_curves, fagan_nomogram

__all__ = ["calibration_plot", "confusion_matrix", "decision_curves", "fagan_nomogram", "forest_plot",
           "marker_distributions", "origin_calibration_plot", "paired_forest_plot", "plot_roc", "sroc_plot",
           "stard_flow", "calibration", "markers", "meta", "roc", "stard", "utility"]
