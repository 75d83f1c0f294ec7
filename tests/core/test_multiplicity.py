"""Adjusted p-values: statsmodels' numbers (R's p.adjust), NaN left out of the count."""

import numpy as np
from statsmodels.stats.multitest import multipletests

from diagstats._core.multiplicity import adjust_p


def _holm_by_hand(p):
    order = np.argsort(p)
    k = len(p)
    adjusted = np.maximum.accumulate((k - np.arange(k)) * p[order])
    out = np.empty(k)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def test_holm_and_bh_equal_statsmodels_and_the_step_down_formula():
    p = np.random.default_rng(0).random(12) ** 3
    np.testing.assert_array_equal(adjust_p(p, "holm"), multipletests(p, method="holm")[1])
    np.testing.assert_array_equal(adjust_p(p, "holm"), _holm_by_hand(p))
    np.testing.assert_array_equal(adjust_p(p, "fdr_bh"), multipletests(p, method="fdr_bh")[1])
    np.testing.assert_array_equal(adjust_p(p, "none"), p)


def test_undefined_p_values_stay_undefined_and_are_not_counted():
    out = adjust_p([0.01, np.nan, 0.02], "holm")        # R: p.adjust(c(0.01, NA, 0.02), "holm")
    np.testing.assert_array_equal(out, [0.02, np.nan, 0.02])
    assert np.all(np.isnan(adjust_p([np.nan, np.nan], "fdr_bh")))
    assert adjust_p([], "holm").shape == (0,)
