"""The STARD 2015 participant flow diagram, drawn from :func:`diagstats.stard_counts`."""

from __future__ import annotations

from ..binary.stard import StardCounts

_BOX = {"boxstyle": "round,pad=0.45", "facecolor": "#f7f7f7", "edgecolor": "#444444", "linewidth": 0.9}
_SIDE_BOX = {**_BOX, "facecolor": "#ffffff", "linestyle": "--"}


def _box(ax, x, y, text, side=False):
    return ax.text(x, y, text, ha="center", va="center", fontsize=8, transform=ax.transAxes,
                   bbox=_SIDE_BOX if side else _BOX, wrap=False)


def _arrow(ax, start, end, *, source=None, target=None):
    """An arrow between two points (axes fractions), clipped at the boxes ``source`` and ``target``."""
    ax.annotate("", xy=end, xytext=start, xycoords="axes fraction", textcoords="axes fraction",
                arrowprops={"arrowstyle": "-|>", "color": "#444444", "linewidth": 0.9, "shrinkA": 0, "shrinkB": 0,
                            "patchA": source.get_bbox_patch() if source is not None else None,
                            "patchB": target.get_bbox_patch() if target is not None else None})


def stard_flow(counts: StardCounts, ax=None):
    """Draw a STARD 2015 flow diagram (Bossuyt et al. 2015) from :func:`diagstats.stard_counts`.

    Boxes: eligible patients; excluded (by reason, dashed); the index test; its positive and negative
    results; in each arm the patients without the reference standard (dashed), with it, with an
    inconclusive reference result, and with the target condition present or absent.

    Parameters
    ----------
    counts : StardCounts
    ax : matplotlib Axes, optional
        Drawn on a new figure's axes if omitted.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd, diagstats as ds
    >>> df = pd.DataFrame({"mri": [1, 1, 0, 0, None], "biopsy": [1, None, 0, 1, None]})
    >>> ax = ds.plot.stard_flow(ds.stard_counts(df, test="mri", reference="biopsy"))
    >>> any("Eligible patients" in t.get_text() for t in ax.texts)
    True
    """
    if not isinstance(counts, StardCounts):
        from ..errors import DataError

        raise DataError(f"counts must be a StardCounts (from ds.stard_counts); got {type(counts).__name__}.")
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(8, 5.5)).subplots()
    ax.set_axis_off()

    eligible = _box(ax, 0.5, 0.94, f"Eligible {counts.unit}\nn = {counts.eligible}")
    n_excluded = sum(counts.excluded.values())
    reasons = "\n".join(f"{reason}: {k}" for reason, k in counts.excluded.items())
    excluded = _box(ax, 0.8, 0.815, f"Excluded, n = {n_excluded}\n{reasons}", side=True)
    index = _box(ax, 0.5, 0.68, f"Index test: {counts.test}\nn = {counts.n_index}")
    _arrow(ax, (0.5, 0.94), (0.5, 0.68), source=eligible, target=index)
    _arrow(ax, (0.5, 0.815), (0.8, 0.815), target=excluded)

    for x, key, label in ((0.25, "positive", "Positive"), (0.75, "negative", "Negative")):
        arm = counts.arms[key]
        result = _box(ax, x, 0.54, f"{label} index test\nn = {arm.n}")
        _arrow(ax, (0.5, 0.68), (x, 0.54), source=index, target=result)
        none = _box(ax, x - 0.12, 0.39, f"No reference standard\nn = {arm.no_reference}", side=True)
        verified = arm.n - arm.no_reference
        done = _box(ax, x + 0.1, 0.39, f"Reference standard\n({counts.reference})\nn = {verified}")
        _arrow(ax, (x, 0.54), (x - 0.12, 0.39), source=result, target=none)
        _arrow(ax, (x, 0.54), (x + 0.1, 0.39), source=result, target=done)
        inconclusive = _box(ax, x - 0.12, 0.15, f"Inconclusive\nn = {arm.reference_inconclusive}", side=True)
        outcome = _box(ax, x + 0.1, 0.15, f"{counts.target}\npresent: {arm.target_present}\n"
                                          f"absent: {arm.target_absent}")
        _arrow(ax, (x + 0.1, 0.39), (x - 0.12, 0.15), source=done, target=inconclusive)
        _arrow(ax, (x + 0.1, 0.39), (x + 0.1, 0.15), source=done, target=outcome)
    return ax
