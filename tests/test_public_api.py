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


def test_functions_are_not_shadowed_by_their_modules():
    # ds.accuracy and ds.roc are functions even though diagstats.accuracy / diagstats.roc are modules
    import diagstats.accuracy  # noqa: F401
    import diagstats.roc.curve  # noqa: F401

    assert callable(ds.accuracy) and callable(ds.roc)
