"""The cost-effectiveness acceptability curve of a probabilistic sensitivity analysis (``ds.pathway.psa``)."""

from __future__ import annotations

from typing import Any

from ._axes import new_axes


def acceptability_curve(result: Any, *, ax: Any = None) -> Any:
    """Probability that each strategy is the most cost-effective against willingness to pay.

    One line per strategy (``ax.lines``, labelled), from a :class:`~diagstats.pathway.PSAResult`
    (Fenwick, Claxton & Sculpher 2001).
    """
    ax = new_axes(ax)
    marker = "o" if len(result.wtp) < 3 else None
    for s, name in enumerate(result.strategies):
        ax.plot(result.wtp, result.acceptability[:, s], label=name, marker=marker)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"willingness to pay per unit of effect ({result.effect})")
    ax.set_ylabel("probability most cost-effective")
    ax.legend(frameon=False)
    return ax
