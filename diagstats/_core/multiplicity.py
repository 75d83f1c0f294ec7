"""Adjusted p-values for multiple comparisons (statsmodels underneath, loaded when first used).

Undefined (NaN) p-values stay undefined and do not count as tests, as in R's ``p.adjust``.

>>> adjust_p([0.01, 0.04, float("nan"), 0.03], "holm").tolist()
[0.03, 0.06, nan, 0.06]
"""

from __future__ import annotations

import numpy as np

#: The adjustments offered (statsmodels' names).
METHODS = ("holm", "fdr_bh", "none")


def adjust_p(p_values, method: str = "holm") -> np.ndarray:
    """Adjusted p-values: ``"holm"`` (Holm 1979, step-down), ``"fdr_bh"`` (Benjamini-Hochberg), ``"none"``."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        if method == "none":
            out[ok] = p[ok]
        else:
            from statsmodels.stats.multitest import multipletests
            out[ok] = multipletests(p[ok], method=method)[1]
    return out
