"""Every figure of diagstats. Each function takes ``ax=None`` and returns the Axes; none calls ``plt.show()``.

:mod:`~diagstats.plot.stard` (STARD 2015 flow diagram), :mod:`~diagstats.plot.roc` (ROC curves),
:mod:`~diagstats.plot.readers` (reader-study curves), :mod:`~diagstats.plot.meta` (forest and SROC plots),
:mod:`~diagstats.plot.markers` (marker distributions, origin confusion matrix), :mod:`~diagstats.plot.calibration`
(calibration plots), :mod:`~diagstats.plot.utility` (Fagan nomogram, decision curves), :mod:`~diagstats.plot.pathway`
(patients' flow through a work-up strategy) and :mod:`~diagstats.plot.acceptability` (the cost-effectiveness
acceptability curve of ``ds.pathway.psa``). Results draw themselves with ``result.plot()``, which calls these.
"""

from . import acceptability, calibration, markers, meta, pathway, readers, roc, stard, utility
from .acceptability import acceptability_curve
from .calibration import calibration_plot, origin_calibration_plot
from .markers import confusion_matrix, marker_distributions
from .meta import forest_plot, paired_forest_plot, sroc_plot
from .pathway import pathway_flow
from .readers import reader_curves
from .roc import plot_roc
from .stard import stard_flow
from .utility import decision_curves, fagan_nomogram

__all__ = ["acceptability_curve", "calibration_plot", "confusion_matrix", "decision_curves", "fagan_nomogram",
           "forest_plot", "marker_distributions", "origin_calibration_plot", "paired_forest_plot", "pathway_flow",
           "plot_roc", "reader_curves", "sroc_plot", "stard_flow", "acceptability", "calibration", "markers", "meta",
           "pathway", "readers", "roc", "stard", "utility"]
