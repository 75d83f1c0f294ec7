"""The reader-study figure: every reader's empirical ROC curve and each modality's average curve.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import diagstats as ds
>>> res = ds.reader_study(ds.simulate.roe_metz(n_readers=3, n_nondiseased=30, n_diseased=30,
...                                            delta=(1.2, 1.8), modalities=("CT", "MRI"), seed=0))
>>> ax = res.plot()
>>> [t.get_text().split(" (")[0] for t in ax.get_legend().get_texts()]
['CT', 'each reader', 'MRI']
"""

from __future__ import annotations

from typing import Any

from ..readers._curves import average_curve
from ._axes import new_axes
from .roc import _style


def reader_curves(result: Any, ax: Any = None, *, readers: bool = True) -> Any:
    """Draw a :class:`diagstats.ReaderStudyResult`'s curves (see its ``plot``); returns the Axes."""
    ax = new_axes(ax, figsize=(5.5, 5.5))
    r = len(result.readers)
    for i, modality in enumerate(result.modalities):
        points = result.roc_points[i * r:(i + 1) * r]
        fpr, tpr = average_curve(points)
        line, = ax.plot(1 - fpr, tpr, linewidth=2.2,
                        label=f"{modality} (mean {result.label} {result.modality_auc[i].value:.3f})")
        if readers:
            for j, (x, y) in enumerate(points):
                ax.plot(1 - x, y, color=line.get_color(), linewidth=0.8, alpha=0.45,
                        label="each reader" if i == 0 and j == 0 else "_reader")
    _style(ax)
    ax.legend(loc="lower right", fontsize="small")
    return ax
