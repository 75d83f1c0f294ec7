"""The public namespace: everything imported into ``diagstats`` is listed in ``__all__`` and exists."""

import ast
from pathlib import Path

import pytest

import diagstats as ds


def test_all_lists_exactly_the_public_names():
    # ``diagstats/__init__.py`` names every export three times: the imports static tools read (under
    # TYPE_CHECKING), the lazy table the module ``__getattr__`` loads from, and ``__all__``
    tree = ast.parse((Path(ds.__file__)).read_text())
    type_checking = next(node for node in tree.body if isinstance(node, ast.If)
                         and getattr(node.test, "id", None) == "TYPE_CHECKING")
    static = {alias.asname or alias.name for node in type_checking.body for alias in node.names}
    eager = {alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom)
             and node.level == 1 for alias in node.names}
    assert set(ds.__all__) == static | eager
    assert set(ds._LAZY) == static and not static & eager
    assert len(ds.__all__) == len(set(ds.__all__))
    for name in ds.__all__:
        assert getattr(ds, name) is not None
        assert name in dir(ds)


def test_lazy_names_are_the_objects_of_their_modules():
    import importlib

    for name, module in ds._LAZY.items():
        expected = (importlib.import_module(f"diagstats.{name}") if not module
                    else getattr(importlib.import_module(module, "diagstats"), name))
        assert getattr(ds, name) is expected, name
    from diagstats import accuracy, plot_roc  # noqa: F401 - ``from`` imports go through __getattr__ too

    assert plot_roc is ds.plot.plot_roc and accuracy is ds.binary.two_by_two.accuracy
    with pytest.raises(AttributeError, match="no attribute 'acuracy'"):
        ds.acuracy  # noqa: B018


def test_subpackages_load_on_first_use_in_a_fresh_process():
    import subprocess
    import sys

    code = ("import sys, diagstats as ds; assert 'diagstats.bias' not in sys.modules; "
            "assert ds.bias.correct_verification is ds.correct_verification; print(ds.binary.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "diagstats.binary"


def test_no_module_shadows_a_function_of_its_package():
    # `import diagstats.roc as r` would bind the function ds.roc if a module diagstats/roc.py existed
    import importlib
    import inspect
    import pkgutil

    packages = [ds] + [importlib.import_module(f"diagstats.{m.name}") for m in pkgutil.iter_modules(ds.__path__)
                       if m.ispkg]
    for package in packages:
        submodules = {m.name for m in pkgutil.iter_modules(package.__path__)}
        functions = {name for name in dir(package) if inspect.isfunction(getattr(package, name))}  # lazy names too
        assert not submodules & functions, package.__name__
    assert callable(ds.accuracy) and callable(ds.roc) and callable(ds.markers.ratios)
