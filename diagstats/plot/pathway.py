"""Patients through a work-up strategy: what each step found, per 100 patients, and the final call."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._axes import new_axes

#: Colours of the outcomes (positive warm, negative cool, grey for no result).
COLOURS = {"positive": "#c0392b", "negative": "#2e86c1", "non-diagnostic": "#f5b041", "not done": "#e5e8e8",
           "true positive": "#922b21", "false negative": "#f1948a", "false positive": "#85c1e9",
           "true negative": "#1b4f72"}


def pathway_flow(flow: pd.DataFrame, accuracy: Any, name: str = "", ax: Any = None) -> Any:
    """Stacked bars, one per step in the order done and one for the final call, per 100 patients.

    ``flow`` holds one strategy's rows of :attr:`~diagstats.pathway.PathwayEvaluation.flow`;
    ``accuracy`` its :class:`~diagstats.AccuracyResult`. Each step's bar splits all patients into
    positive, negative, non-diagnostic and not done; the last bar splits them by the final call
    against the reference (true/false positives and negatives).

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import diagstats as ds
    >>> df = ds.simulate.cohort(500, seed=1, complete=True)
    >>> s = ds.pathway.Strategy("MRI", [ds.pathway.Step("mri", cost=400)], positive="mri", target="tumour")
    >>> res = ds.pathway.evaluate(df, s, reference="true_diagnosis", positive=["benign_primary",
    ...                           "malignant_primary", "metastasis"])
    >>> res.plot().get_title()
    'MRI'
    """
    ax = new_axes(ax, figsize=(7, 0.5 * len(flow) + 1.6))
    n = accuracy.n
    rows = [(r.step.replace("_", " "), {"positive": r.positive, "negative": r.negative,
                                      "non-diagnostic": r.nondiagnostic, "not done": n - r.done})
            for r in flow.itertuples(index=False)]
    rows.append(("final call", {"true positive": accuracy.tp, "false negative": accuracy.fn,
                                "false positive": accuracy.fp, "true negative": accuracy.tn}))
    labels = [label for label, _ in rows][::-1]
    seen = set()
    for y, (_, parts) in enumerate(rows[::-1]):
        left = 0.0
        for part, count in parts.items():
            width = 100.0 * count / n
            ax.barh(y, width, left=left, color=COLOURS[part], edgecolor="white",
                    label=part if part not in seen else None)
            if width >= 6:
                ax.text(left + width / 2, y, f"{width:.0f}", ha="center", va="center", fontsize=8,
                        color="white" if part not in ("not done", "non-diagnostic") else "black")
            seen.add(part)
            left += width
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel("patients per 100")
    ax.set_title(name)
    handles = dict(zip(*ax.get_legend_handles_labels()[::-1]))
    ax.legend([handles[k] for k in COLOURS if k in handles], [k for k in COLOURS if k in handles],
              loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=7, frameon=False)
    return ax
