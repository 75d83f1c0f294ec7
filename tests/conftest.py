"""Shared test setup: a non-interactive matplotlib backend, the fixture folder, the hypothesis profiles.

Hypothesis profiles: ``ci`` (the default: reproducible, derandomized, no example database, no shrinking, so
the fuzz suite in ``tests/fuzz`` runs in bounded time and leaves git clean) and ``long`` (thousands of examples,
random, for a search before a release): ``pytest tests/fuzz --hypothesis-profile=long``.
"""

from pathlib import Path

import matplotlib
import pytest
from hypothesis import HealthCheck, Phase, settings

matplotlib.use("Agg")

REFERENCE = Path(__file__).parent / "reference"

_SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
# ci does not shrink a failing example (shrinking a bootstrap or a model fit can take minutes): CI stays
# bounded, and the failing call is printed as found; the long profile shrinks.
settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_SLOW_DATA, print_blob=True,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate])
settings.register_profile("long", max_examples=1000, deadline=None, database=None,
                          suppress_health_check=_SLOW_DATA, print_blob=True)


def pytest_configure(config):
    if not config.getoption("hypothesis_profile", None):
        settings.load_profile("ci")


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    return REFERENCE
