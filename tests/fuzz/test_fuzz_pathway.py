"""Fuzz: work-up strategies from aggregate inputs (ds.pathway)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds

from . import strategies as s
from .invariants import Bad, budget, check_outcome, covers, make_call
from .strategies import kw, maybe


def _accuracies(draw, n: int) -> list:
    values = draw(st.lists(st.one_of(st.floats(0.3, 0.99), st.floats(0, 1)), min_size=n, max_size=n))
    defect = draw(st.sampled_from(["none"] * 20 + ["above", "nan", "text"]))
    if defect != "none":
        values[0] = {"above": 1.2, "nan": np.nan, "text": "0.9"}[defect]
        return Bad(values)
    return values


def _covariance(draw, n: int):
    """A number (two tests), a symmetric matrix, or something malformed; inside or outside the bounds (both fine:
    outside must be refused naming the argument, which the classification checks)."""
    kind = draw(st.sampled_from(["zero"] * 3 + ["number", "matrix", "matrix", "asymmetric", "text"]))
    if kind == "zero":
        return 0
    if kind == "number":
        return draw(st.floats(-0.05, 0.05, allow_nan=False))
    if kind == "text" or (kind == "asymmetric" and n < 2):
        return Bad("0.1")
    values = np.asarray(draw(st.lists(st.floats(-0.01, 0.01, allow_nan=False), min_size=n * n, max_size=n * n)))
    matrix = values.reshape(n, n)
    if kind == "asymmetric":
        matrix[0, 1] = matrix[1, 0] + 0.01
        return Bad(matrix)
    return (matrix + matrix.T) / 2


@covers("pathway.combine")
@settings(max_examples=budget(2))
@given(st.data())
def test_combine(data):
    n = data.draw(st.sampled_from([1, 2, 2, 2, 3, 3, 4, 5]), label="n_tests")
    se = _accuracies(data.draw, n)
    if n == 1:  # one test is not a combination
        se = Bad(se.value if isinstance(se, Bad) else se)
    mismatched = data.draw(st.integers(0, 19), label="mismatched") == 0
    sp = _accuracies(data.draw, n + 1 if mismatched else n)
    if mismatched:
        sp = Bad(sp.value if isinstance(sp, Bad) else sp)
    bad_rules = [Bad(0), Bad(n + 1), Bad(True), Bad(1.5), Bad("Series"), Bad("both"), Bad(None)]
    rule = data.draw(s.weighted(st.one_of(st.sampled_from(["series", "parallel"]), st.integers(1, n)),
                                st.sampled_from(bad_rules), 10), label="rule")
    options = {}
    for name in ("cov_positive", "cov_negative"):
        if data.draw(st.booleans(), label=f"give {name}"):
            options[name] = _covariance(data.draw, n)
    options.update(kw(data, prevalence=maybe(s.probability()), names=maybe(st.sampled_from(
        [[f"t{i}" for i in range(n)], Bad(["t"] * max(n, 2)), Bad("t")]))))
    check_outcome(make_call("pathway.combine", ds.pathway.combine, se, sp, rule, **options))
