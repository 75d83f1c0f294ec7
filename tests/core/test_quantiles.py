"""Normal quantiles: one function per use, the same numbers as the expressions they replace."""

import numpy as np
import pytest
from scipy import stats

from diagstats._core.quantiles import normal_quantile, z_critical, z_one_sided, z_two_sided


@pytest.mark.parametrize("level", [0.5, 0.8, 0.9, 0.95, 0.99])
def test_two_sided_interval_multiplier(level):
    z = z_two_sided(level)
    assert z == stats.norm.ppf((1 + level) / 2)                      # both spellings used before, bit for bit
    assert stats.norm.cdf(z) - stats.norm.cdf(-z) == pytest.approx(level, abs=1e-12)


def test_one_sided_and_critical_values():
    assert z_one_sided(0.05) == pytest.approx(1.6448536269514722, rel=1e-12)
    assert z_critical(0.05, "two-sided") == z_two_sided(0.95)
    assert z_critical(0.05, "greater") == z_critical(0.05, "less") == z_one_sided(0.05)
    assert normal_quantile(0.5) == 0.0 and normal_quantile(0.8) == pytest.approx(0.8416212335729143, rel=1e-12)
    assert np.isinf(normal_quantile(1.0))
