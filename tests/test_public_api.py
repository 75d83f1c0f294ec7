"""The public namespace: everything imported into ``diagstats`` is listed in ``__all__`` and exists."""

import ast
from pathlib import Path

import diagstats as ds


def test_all_lists_exactly_the_imported_public_names():
    tree = ast.parse((Path(ds.__file__)).read_text())
    imported = {alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom)
                for alias in node.names}
    assert set(ds.__all__) == imported
    assert len(ds.__all__) == len(set(ds.__all__))
    for name in ds.__all__:
        assert getattr(ds, name) is not None


def test_no_module_shadows_a_function_of_its_package():
    # `import diagstats.roc as r` would bind the function ds.roc if a module diagstats/roc.py existed
    import importlib
    import inspect
    import pkgutil

    packages = [ds] + [importlib.import_module(f"diagstats.{m.name}") for m in pkgutil.iter_modules(ds.__path__)
                       if m.ispkg]
    for package in packages:
        submodules = {m.name for m in pkgutil.iter_modules(package.__path__)}
        functions = {name for name, obj in vars(package).items() if inspect.isfunction(obj)}
        assert not submodules & functions, package.__name__
    assert callable(ds.accuracy) and callable(ds.roc) and callable(ds.markers.ratios)
