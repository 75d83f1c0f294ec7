"""Fuzz: work-up strategies as data (ds.pathway.Strategy, Step, evaluate): random strategies, damaged data.

Building a Strategy either succeeds or raises an OptionError naming the strategy or a step; evaluating
it gives a valid result or a DiagstatsError naming an argument (``strategies[i]`` for a step's data).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds
from diagstats.errors import OptionError

from . import strategies as s
from .invariants import budget, check_outcome, covers, make_call
from .strategies import kw, maybe

#: Mostly usable columns; a column holding NaN used as yes/no, and names not in the data, now and then.
TESTS = ("t0", "t0", "t1", "t1", "t1", "label", "label", "missing_column")
FLAGS = ("flag", "flag", "not flag", "not flag", "flag_with_nan", "no_such_flag")


@st.composite
def rules(draw, earlier: list[str]) -> str:
    """A rule over earlier steps (outcomes, bare names) and yes/no columns; sometimes a later step (a cycle)."""
    atoms = list(FLAGS) + [f"{o}({e})" for e in earlier for o in ("done", "negative", "nondiagnostic")] + earlier
    atoms += ["always", "always", "always", "later"]
    parts = draw(st.lists(st.sampled_from(atoms), min_size=1, max_size=3))
    joins = draw(st.lists(st.sampled_from([" and ", " or ", " and not "]), min_size=len(parts) - 1,
                          max_size=len(parts) - 1))
    return parts[0] + "".join(j + p for j, p in zip(joins, parts[1:]))


@st.composite
def pathway(draw, name: str) -> ds.pathway.Strategy | None:
    steps, names = [], []
    for i in range(draw(st.integers(1, 3))):
        test = draw(st.sampled_from(TESTS))
        step = dict(name="later" if i == 2 else f"s{i}", test=test,
                    cost=draw(st.sampled_from([0, 10.5, 400, 400, 400, None, -1])),
                    when=draw(rules(names)), kind=draw(st.sampled_from(["test", "biopsy"])),
                    positive="pos" if test == "label" and draw(st.integers(0, 4)) > 0 else None,
                    nondiagnostic="nd" if draw(st.integers(0, 3)) == 0 else None)
        try:
            steps.append(ds.pathway.Step(**step))
        except OptionError as e:  # a missing or negative cost, a bad rule: named
            assert f"step {step['name']!r}" in str(e), str(e)
            return None
        names.append(step["name"])
    try:
        return ds.pathway.Strategy(name, steps, positive=draw(rules(names)))
    except OptionError as e:  # a cycle or an outcome of a step that does not exist: named
        assert f"strategy {name!r}" in str(e), str(e)
        return None


@st.composite
def frames(draw) -> pd.DataFrame:
    n = draw(st.sampled_from([1, 2, 5, 30, 30, 30]))
    col = lambda: np.asarray(draw(st.lists(st.sampled_from([0.0, 1.0, np.nan]), min_size=n, max_size=n)))  # noqa: E731
    binary = lambda: np.asarray(draw(st.lists(st.booleans(), min_size=n, max_size=n)))  # noqa: E731
    frame = pd.DataFrame({"t0": col(), "t1": col(), "nd": col(),
                          "label": pd.Series(np.where(binary(), "pos", "neg"), dtype=object).where(binary()),
                          "flag": binary(), "flag_with_nan": col(), "truth": binary().astype(float)})
    if draw(st.integers(0, 9)) == 0:
        frame.loc[frame.index[:1], "truth"] = np.nan
    return frame


@covers("pathway.evaluate")
@settings(max_examples=budget(3))
@given(st.data())
def test_evaluate(data):
    built = [data.draw(pathway(name), label=name) for name in ("A", "B")]
    built = [b for b in built if b is not None]
    if not built:
        return
    frame = data.draw(frames(), label="data")
    options = kw(data, reference=s.arg(["truth"], "no_such_column", p_bad=3),
                 positive=maybe(s.arg([1.0, [1.0]], "yes", p_bad=3)),
                 baseline=maybe(s.arg([built[0].name], "Z")), level=maybe(s.levels()),
                 nan_policy=maybe(s.options(["raise", "omit"])))
    check_outcome(make_call("pathway.evaluate", ds.pathway.evaluate, frame, built, **options))


def test_the_fuzz_strategies_reach_results_and_errors():
    """The generators above produce both evaluable strategies and refusals (not only one kind)."""
    good = ds.pathway.Strategy("A", [ds.pathway.Step("s0", cost=1, test="t0")], positive="s0")
    frame = pd.DataFrame({"t0": [1.0, 0.0, np.nan], "truth": [1.0, 0.0, 1.0]})
    assert ds.pathway.evaluate(frame, good, reference="truth").n == 3
    with pytest.raises(OptionError):
        ds.pathway.Step("s0", cost=None)
