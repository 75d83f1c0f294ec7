"""The one helper every figure function shares: draw on the caller's Axes, or on a new figure."""

from __future__ import annotations

from typing import Any


def new_axes(ax: Any = None, **subplots: Any) -> Any:
    """``ax`` itself, or the Axes of a new pyplot figure (``plt.subplots(**subplots)``) when ``ax`` is None."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(**subplots)
    return ax
