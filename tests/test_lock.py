"""requirements/lock.txt pins every dependency of pyproject.toml, within pyproject's ranges."""

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
tomllib = pytest.importorskip("tomllib", reason="reads pyproject.toml with Python 3.11's tomllib")


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / "lock.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)", line.strip()).groups()
            pins[canonicalize_name(name)] = version
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    return [Requirement(r) for r in listed]


def test_every_dependency_is_pinned_within_its_range():
    pins = _lock()
    requirements = _requirements()
    assert {"numpy", "pandas", "statsmodels", "pytest", "distributed"} <= set(pins)
    for requirement in requirements:
        if requirement.marker is not None and not requirement.marker.evaluate({"python_version": "3.11"}):
            continue    # e.g. tomli, needed only on Python 3.10; make installs the lock on Python 3.11+
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is in pyproject.toml but not pinned in requirements/lock.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), \
            f"lock.txt pins {requirement.name}=={pins[name]}, outside pyproject's {requirement}; run `make lock`"
    assert "diagstats" not in pins


def test_the_makefile_installs_the_lock_file_then_the_package_alone():
    makefile = (ROOT / "Makefile").read_text()
    assert "$(STAMP): pyproject.toml $(LOCK)" in makefile
    assert "pip install --quiet -r $(LOCK)" in makefile and "pip install --quiet --no-deps -e ." in makefile
