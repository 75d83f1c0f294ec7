"""The architecture of docs/architecture.md, checked: the import graph of ``diagstats/`` has no cycle,
data flows one way through the layers, and ``import diagstats`` stays light.

The graph is built with ``ast`` from the source (nothing is imported): an edge A -> B for every
``import``/``from ... import`` in A that loads B, including the packages (``__init__``) on B's path
that A is not inside. Imports at module level (including class bodies) run when A is imported;
imports inside a function run when it is called and are recorded separately; imports under
``if TYPE_CHECKING:`` never run and are ignored.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "diagstats"

#: Layers in import order: a module imports at module level only from its own layer or earlier ones.
LAYERS = [
    ("errors", "_input"),
    ("_core",),
    ("results",),
    ("binary", "roc_analysis", "readers", "bias", "meta", "markers", "utility", "planning", "pathway", "datasets"),
    ("plot",),
    ("simulate", "studies"),
    ("report",),
    ("cli",),
    ("",),  # diagstats/__init__.py: the public names, loaded lazily
]
ESTIMATORS = ("binary", "roc_analysis", "readers", "bias", "meta", "markers", "utility", "planning", "pathway",
              "_core", "_input", "results", "errors")
#: Never loaded by ``import diagstats``: they load when first used.
HEAVY = ("statsmodels", "matplotlib", "jinja2", "sklearn", "diagstats.report")


def _module_name(path: Path) -> str:
    parts = ("diagstats",) + path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_package(name: str) -> bool:
    return (ROOT.joinpath(*name.split(".")[1:]) / "__init__.py").is_file()


def _exists(name: str) -> bool:
    relative = name.split(".")[1:]
    return _is_package(name) or ROOT.joinpath(*relative).with_suffix(".py").is_file() if relative else True


def _targets(importer: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The diagstats modules an import statement in ``importer`` loads (packages on the way included)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = importer if _is_package(importer) else importer.rpartition(".")[0]
        for _ in range(node.level - 1):
            base = base.rpartition(".")[0]
        base = (f"{base}.{node.module}" if node.module else base) if node.level else node.module
        names = [base] + [f"{base}.{alias.name}" for alias in node.names if _exists(f"{base}.{alias.name}")]
    loaded = set()
    for name in names:
        if name.split(".")[0] != "diagstats":
            continue
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            # the packages enclosing the importer are already loading; only the rest are new
            if not (importer == prefix or importer.startswith(prefix + ".")) and _exists(prefix):
                loaded.add(prefix)
    return loaded


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return getattr(test, "id", None) == "TYPE_CHECKING" or getattr(test, "attr", None) == "TYPE_CHECKING"


@cache
def import_graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(module-level edges, function-level edges) of every module of diagstats."""
    module_level: dict[str, set[str]] = {}
    function_level: dict[str, set[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        name = _module_name(path)
        module_level[name], function_level[name] = set(), set()

        def visit(node: ast.AST, in_function: bool, name: str = name) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.If) and _is_type_checking(child):
                    for other in child.orelse:
                        visit(other, in_function)
                    continue
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    (function_level if in_function else module_level)[name] |= _targets(name, child)
                visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

        visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return module_level, function_level


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path of module names, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in sorted(graph):
        if state.get(start):
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph.get(nxt, ()))))
    return None


def _top(name: str) -> str:
    return name.split(".")[1] if "." in name else ""


def _layer(name: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if _top(name) in layer)


def test_every_module_is_in_a_layer():
    module_level, _ = import_graph()
    assert len(module_level) > 50
    for name in module_level:
        _layer(name)  # StopIteration names a package missing from LAYERS


def test_no_cycle_among_module_level_imports():
    module_level, _ = import_graph()
    assert _cycle(module_level) is None, " -> ".join(_cycle(module_level))


def test_no_cycle_when_function_level_imports_count_too():
    # except a result's lazy import of its figure function (estimator -> plot): the figure may know the result
    module_level, function_level = import_graph()
    both = {name: module_level[name] | {t for t in function_level[name]
                                        if not (_top(name) in ESTIMATORS and _top(t) == "plot")}
            for name in module_level}
    assert _cycle(both) is None, " -> ".join(_cycle(both))


def test_the_cycle_finder_finds_cycles():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_module_level_imports_follow_the_layers():
    module_level, _ = import_graph()
    upward = sorted(f"{a} -> {b}" for a, targets in module_level.items() for b in targets
                    if _layer(b) > _layer(a))
    assert not upward, "\n".join(upward)


def test_estimators_never_import_plot_report_studies_or_cli():
    # a result's .plot() may import its figure function inside the method (function level)
    module_level, function_level = import_graph()
    for name in module_level:
        if _top(name) in ESTIMATORS:
            assert not {_top(t) for t in module_level[name]} & {"plot", "report", "studies", "simulate", "cli"}, name
            assert not {_top(t) for t in function_level[name]} & {"report", "studies", "cli"}, name


def test_core_kernels_import_only_errors_and_input():
    module_level, function_level = import_graph()
    for name in module_level:
        if _top(name) == "_core":
            assert {_top(t) for t in module_level[name] | function_level[name]} <= {"_core", "errors", "_input"}, name


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_diagstats_loads_no_heavy_dependency_and_reports_still_build():
    loaded = _run(f"""
import json, sys
import diagstats as ds
before = [m for m in {HEAVY!r} + ("pandas", "scipy") if m in sys.modules]
rep = ds.report.build("needle_biopsy", progress=False)
print(json.dumps({{"before": before, "html": "<html" in rep.to_html(), "jinja2": "jinja2" in sys.modules}}))
""")
    assert loaded == {"before": [], "html": True, "jinja2": True}


def test_the_estimators_load_without_plotting_or_reporting():
    estimators = ["diagstats." + p for p in ESTIMATORS]
    loaded = _run(f"""
import importlib, json, sys
for name in {estimators!r}:
    importlib.import_module(name)
print(json.dumps([m for m in {HEAVY!r} + ("diagstats.plot", "diagstats.simulate") if m in sys.modules]))
""")
    assert loaded == []


def test_the_command_line_help_loads_no_numerical_library():
    # diagstats --help must start at once (target: under 0.5 s, benchmarks/imports.py)
    loaded = _run("""
import json, sys
from diagstats.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
print(json.dumps([m for m in ("numpy", "pandas", "scipy") if m in sys.modules]))
""")
    assert loaded == []


def test_percentile_intervals_that_miss_their_estimate_share_one_note():
    """The note "... which is not built around the ... estimate: here the estimate V lies outside it" is written
    once (``_core.bootstrap.outside_interval_note``), so readers and the fuzz suite recognise it everywhere. The
    Q-profile interval of tau2 (meta/models.py) keeps its own: it names the estimator it was not built around."""
    writers = sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")
                     if "which is not built around" in p.read_text(encoding="utf-8"))
    assert writers == ["_core/bootstrap.py", "meta/models.py"]
