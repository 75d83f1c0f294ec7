"""Every figure of diagstats. Each function takes ``ax=None`` and returns the Axes; none calls ``plt.show()``.

:mod:`~diagstats.plot.stard` (STARD 2015 flow diagram), :mod:`~diagstats.plot.roc` (ROC curves),
:mod:`~diagstats.plot.meta` (forest and SROC plots), :mod:`~diagstats.plot.markers` (marker
distributions, origin confusion matrix) and :mod:`~diagstats.plot.utility` (Fagan nomogram, decision
curves). Results draw themselves with ``result.plot()``, which calls these.
"""

from .roc import plot_roc
from .stard import stard_flow

__all__ = ["plot_roc", "stard_flow"]
