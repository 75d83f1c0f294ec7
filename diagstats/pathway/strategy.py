"""A work-up strategy as data: ordered steps, each with a rule saying for whom it is done, and a cost.

A :class:`Strategy` is a list of :class:`Step` objects and a final ``positive`` rule (when the
pathway calls the target condition present). Rules are small boolean expressions in a safe syntax
(parsed with :mod:`ast` and checked against a whitelist; nothing is ever evaluated as Python):

* ``mri`` -- the step ``mri`` was done and its result is positive;
* ``negative(mri)``, ``nondiagnostic(biopsy)``, ``done(mri)`` -- its other outcomes;
* ``prior_cancer`` -- any other name is a yes/no column of the data (a history item, a red flag);
* ``not``, ``and``, ``or`` and parentheses combine them; ``"always"`` (the default) means everyone.

A step may use only steps done before it. Steps run in dependency order (the order given, unless a
rule needs a later step first); a rule that needs itself, directly or through other steps, is a cycle
and refused naming the steps.

>>> import diagstats as ds
>>> s = ds.pathway.Strategy("MRI first", steps=[
...     ds.pathway.Step("mri", cost=400, when="not mri_contraindication"),
...     ds.pathway.Step("ct_myelography", cost=600, when="mri_contraindication"),
...     ds.pathway.Step("biopsy", kind="biopsy", cost=1500, when="mri or ct_myelography",
...                     test="biopsy_result", positive="malignant", nondiagnostic="biopsy_nondiagnostic")],
...     positive="biopsy", target="malignant spinal tumour")
>>> s.order
('mri', 'ct_myelography', 'biopsy')
>>> sorted(s.columns)
['biopsy_nondiagnostic', 'biopsy_result', 'ct_myelography', 'mri', 'mri_contraindication']
"""

from __future__ import annotations

import ast
import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .._input import _show, _suggest
from ..errors import OptionError

#: The outcomes of a step a rule can ask for; a bare step name means ``positive(step)``.
OUTCOMES = ("positive", "negative", "nondiagnostic", "done")
KINDS = ("test", "biopsy")
ALWAYS = "always"


@dataclass(frozen=True)
class Rule:
    """A parsed rule: its text and the tree of ``("and" | "or", a, b)``, ``("not", a)``,
    ``("step", outcome, name)``, ``("column", name)`` and ``("always",)`` nodes."""

    text: str
    tree: tuple

    @property
    def steps(self) -> frozenset[str]:
        return frozenset(node[2] for node in _nodes(self.tree) if node[0] == "step")

    @property
    def names(self) -> frozenset[str]:
        """Every bare name: step names (``mri``) and data columns (``prior_cancer``) alike."""
        return frozenset(node[1] for node in _nodes(self.tree) if node[0] == "column")

    def __str__(self) -> str:
        return self.text


def _nodes(tree: tuple) -> Iterable[tuple]:
    yield tree
    for child in tree[1:]:
        if isinstance(child, tuple):
            yield from _nodes(child)


def _parse(text: Any, where: str) -> Rule:
    """Parse a rule, refusing anything but names, not/and/or, parentheses and the outcome calls."""
    if text is None or text is True or text == ALWAYS:
        return Rule(ALWAYS, ("always",))
    if not isinstance(text, str) or not text.strip():
        raise OptionError(f"{where}: a rule must be a string such as \"mri or ct\" or \"not prior_cancer\" "
                          f"(or \"always\"); got {_show(text)}.")
    hint = ("use step and column names, not / and / or, parentheses, and done(step), negative(step), "
            "nondiagnostic(step)")
    try:
        body = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise OptionError(f"{where}: the rule {text!r} is not valid; {hint}.") from None

    def convert(node: ast.AST) -> tuple:
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            out = convert(node.values[0])
            for value in node.values[1:]:
                out = (op, out, convert(value))
            return out
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return ("not", convert(node.operand))
        if isinstance(node, ast.Name):
            return ("column", node.id) if node.id != ALWAYS else ("always",)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in OUTCOMES
                and len(node.args) == 1 and not node.keywords and isinstance(node.args[0], ast.Name)):
            return ("step", node.func.id, node.args[0].id)
        shown = ast.get_source_segment(text.strip(), node) or type(node).__name__
        raise OptionError(f"{where}: {shown!r} is not allowed in the rule {text!r}; {hint}.")

    return Rule(text.strip(), convert(body))


def _cost(value: Any, step: str) -> float:
    if value is None:
        raise OptionError(f"step {step!r} has no cost; give Step({step!r}, cost=...) (0 if it costs nothing), "
                          "so that cost per patient and per correct diagnosis can be computed.")
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 0:
        raise OptionError(f"step {step!r}: cost={_show(value)} must be a finite number >= 0.")
    return float(value)


@dataclass(frozen=True)
class Step:
    """One step of a work-up: a test or biopsy, for whom it is done, and what it costs.

    Parameters
    ----------
    name : str
        The step's name, used in rules (``"mri"``). A Python identifier.
    cost : float
        Cost of doing the step once (any currency; >= 0). Required.
    when : str, default "always"
        Rule saying for whom the step is done (see :mod:`diagstats.pathway.strategy`).
    test : str, optional
        The data column holding the step's result (default: ``name``): 1/0 (True/False), or labels
        with ``positive=``; NaN where the patient did not have it.
    positive : optional
        The label of a positive result when the column holds labels (``"malignant"``).
    nondiagnostic : str, optional
        A 0/1 column that is 1 where the step was done but gave no result (a non-diagnostic biopsy);
        the result column is then ignored for those patients.
    kind : {"test", "biopsy"}, default "test"
        Counted as a test or as a biopsy in the yield per 100 patients.

    >>> Step("xray", cost=40).when
    'always'
    """

    name: str
    cost: float | None = None
    when: str = ALWAYS
    test: str | None = None
    positive: Any = None
    nondiagnostic: str | None = None
    kind: str = "test"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier() or self.name in OUTCOMES + (ALWAYS,):
            raise OptionError(f"Step name {_show(self.name)} must be a simple name (letters, digits, underscores, "
                              f"not starting with a digit), e.g. Step(\"mri\", ...), and not one of "
                              f"{', '.join(OUTCOMES + (ALWAYS,))}.")
        object.__setattr__(self, "cost", _cost(self.cost, self.name))
        if self.kind not in KINDS:
            raise OptionError(f"step {self.name!r}: kind={_show(self.kind)} must be \"test\" or \"biopsy\".")
        for arg in ("test", "nondiagnostic"):
            value = getattr(self, arg)
            if value is not None and not isinstance(value, str):
                raise OptionError(f"step {self.name!r}: {arg}={_show(value)} must be a column name (a string).")
        object.__setattr__(self, "when", str(self.rule))

    @property
    def rule(self) -> Rule:
        return _parse(self.when, f"step {self.name!r}, when=")

    @property
    def column(self) -> str:
        """The data column of the step's result."""
        return self.test if self.test is not None else self.name


@dataclass(frozen=True)
class Strategy:
    """A work-up strategy: named steps with rules and costs, and the rule of its final call.

    Parameters
    ----------
    name : str
    steps : list of Step
        In the order they are done (a rule may use only earlier steps' results; a step that needs
        a later one is moved after it, and a cycle is refused).
    positive : str
        Rule for the final call "target condition present" (e.g. ``"biopsy or repeat_biopsy"``);
        patients for whom it is false are called negative.
    target : str, default "target condition"
        The target condition, in words (all strategies compared together must share it).

    Attributes
    ----------
    order : tuple of str
        Step names in the order they are evaluated.
    columns : frozenset of str
        Every data column the strategy reads (results, non-diagnostic flags, and rule columns).

    >>> Strategy("X-ray only", steps=[Step("xray", cost=40)], positive="xray").order
    ('xray',)
    """

    name: str
    steps: tuple[Step, ...]
    positive: str
    target: str = "target condition"
    order: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise OptionError(f"Strategy name {_show(self.name)} must be a non-empty string, e.g. \"MRI first\".")
        if not isinstance(self.target, str) or not self.target.strip():
            raise OptionError(f"strategy {self.name!r}: target={_show(self.target)} must name the target "
                              "condition, e.g. target=\"malignant spinal tumour\".")
        steps = tuple(self.steps) if isinstance(self.steps, (list, tuple)) else None
        if not steps or not all(isinstance(s, Step) for s in steps):
            raise OptionError(f"strategy {self.name!r}: steps={_show(self.steps)} must be a non-empty list of "
                              "Step objects, e.g. steps=[Step(\"mri\", cost=400)].")
        names = [s.name for s in steps]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise OptionError(f"strategy {self.name!r}: step {repeated[0]!r} is given more than once; give each "
                              "step a different name (e.g. \"biopsy\" and \"repeat_biopsy\").")
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "positive", str(self.final_rule))
        for step in steps:
            _check_outcome_steps(step.rule, names, f"strategy {self.name!r}, step {step.name!r}")
        _check_outcome_steps(self.final_rule, names, f"strategy {self.name!r}, positive=")
        object.__setattr__(self, "order", _dependency_order(self.name, steps))

    @property
    def final_rule(self) -> Rule:
        return _parse(self.positive, f"strategy {self.name!r}, positive=")

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)

    @property
    def columns(self) -> frozenset[str]:
        steps = {s.name for s in self.steps}
        rule_columns = set().union(*(r.names for r in (self.final_rule, *(s.rule for s in self.steps)))) - steps
        results = {s.column for s in self.steps} | {s.nondiagnostic for s in self.steps if s.nondiagnostic}
        return frozenset(rule_columns | results)

    def __str__(self) -> str:
        lines = [f"Strategy {self.name!r} (target: {self.target})"]
        for name in self.order:
            s = self.step(name)
            lines.append(f"  {s.name} ({s.kind}, cost {s.cost:g}) when {s.when}")
        lines.append(f"  positive when {self.positive}")
        return "\n".join(lines)


def _check_outcome_steps(rule: Rule, steps: list[str], where: str) -> None:
    for name in rule.steps - set(steps):
        raise OptionError(f"{where}: the rule {rule.text!r} asks for an outcome of {name!r}, which is not a step of "
                          f"the strategy (its steps: {', '.join(steps)}).{_suggest(name, steps)}")


def _dependency_order(strategy: str, steps: tuple[Step, ...]) -> tuple[str, ...]:
    """Steps in the order given, each moved after the steps its rule needs; a cycle is refused."""
    names = [s.name for s in steps]
    needs = {s.name: (s.rule.steps | s.rule.names) & set(names) for s in steps}
    order: list[str] = []
    while len(order) < len(names):
        ready = next((n for n in names if n not in order and needs[n] <= set(order)), None)
        if ready is None:
            cycle = _find_cycle({n: needs[n] - set(order) for n in names if n not in order})
            raise OptionError(f"strategy {strategy!r}: the steps {' -> '.join(repr(n) for n in cycle)} form a cycle "
                              f"(step {cycle[0]!r} needs a result that needs its own); a step's rule may use only "
                              "steps done before it.")
        order.append(ready)
    return tuple(order)


def _find_cycle(needs: dict[str, set[str]]) -> list[str]:
    start = next(iter(needs))
    path = [start]
    while True:
        following = sorted(needs[path[-1]])[0]
        if following in path:
            return path[path.index(following):] + [following]
        path.append(following)
