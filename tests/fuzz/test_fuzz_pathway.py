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


def _probability_input(draw):
    kind = draw(st.sampled_from(["number", "beta", "literature"] * 3 + ["bad"]))
    if kind == "number":
        return draw(st.floats(0, 1))
    if kind == "beta":
        return ds.pathway.Beta(draw(st.floats(0.01, 500)), draw(st.floats(0.01, 500)))
    if kind == "literature":
        return None
    return Bad(draw(st.sampled_from([1.5, -0.1, np.nan, "0.9"])))  # (None is valid: the literature counts)


def _cost_input(draw):
    kind = draw(st.sampled_from(["number", "gamma"] * 4 + ["missing", "bad"]))
    if kind == "number":
        return draw(st.floats(0, 1e5))
    if kind == "gamma":
        return ds.pathway.Gamma(draw(st.floats(0.1, 1e4)), draw(st.floats(0.01, 1e4)))
    if kind == "missing":
        return None
    return Bad(draw(st.sampled_from([-1.0, np.inf, "100", None])))


@covers("pathway.psa")
@settings(max_examples=budget(2))
@given(st.data())
def test_psa(data):
    n_strategies = data.draw(st.integers(1, 4), label="n_strategies")
    strategies, strategies_bad = {}, False
    for i in range(n_strategies):
        members = data.draw(st.lists(st.sampled_from(["MRI", "MDCT", "biopsy"] * 3 + ["PET"]), min_size=1, max_size=3,
                                     unique=True), label=f"tests of strategy {i}")
        rule = data.draw(st.sampled_from(["series", "parallel", 1, len(members)] * 2 + [len(members) + 1]),
                         label="rule")
        strategies_bad |= "PET" in members or rule == len(members) + 1   # PET is not in tests=
        strategies[f"s{i}"] = (rule, members)
    used = list(dict.fromkeys(t for _, members in strategies.values() for t in members if t != "PET"))
    tests, tests_bad = {}, False
    for name in used:   # MRI and MDCT have literature counts, biopsy does not
        spec = {}
        for key, make in (("sensitivity", _probability_input), ("specificity", _probability_input),
                          ("cost", _cost_input)):
            value = make(data.draw)
            if isinstance(value, Bad):
                tests_bad, value = True, value.value
            if value is not None:
                spec[key] = value
            elif key == "cost" or name == "biopsy":
                tests_bad = True          # a test without a cost; a test without literature counts
        tests[name] = spec
    # sampled_from shrinks towards its first (valid) values, so most calls get far enough to compute
    options = kw(data, prevalence=st.sampled_from([0.3, 0.0, 1.0, 0.05, Bad(30), Bad(np.nan)]),
                 wtp=st.sampled_from([[0, 1000], 5000, [0, 10, 1e6], Bad([-1]), Bad("x"), Bad([])]),
                 effect=maybe(st.sampled_from(["correct diagnoses", "cases detected", {"tp": 1.0, "fn": 0.5},
                                               Bad("qaly"), Bad({"death": 1})])),
                 n_draws=maybe(st.sampled_from([100, 250, Bad(10), Bad(2.5)])),
                 chunk_size=maybe(st.sampled_from([64, 1, 500, Bad(0), Bad(-1)])))
    check_outcome(make_call("pathway.psa", ds.pathway.psa, Bad(strategies) if strategies_bad else strategies,
                            Bad(tests) if tests_bad and not strategies_bad else tests, executor="serial",
                            progress=False, **options))


#: Steps on the simulator's columns, and one on a column the simulated cohort does not have.
COHORT_STEPS = {"xray": 40, "ct": 200, "mri": 400, "pet": 900, "spect": 300}


@covers("pathway.psa_cohort")
@settings(max_examples=budget(0.4))
@given(st.data())
def test_psa_cohort(data):
    n_strategies = data.draw(st.integers(1, 3), label="n_strategies")
    strategies = []
    for i in range(n_strategies):
        steps = data.draw(st.lists(st.sampled_from(["xray", "ct", "mri"] * 4 + ["pet", "spect"]), min_size=1,
                                   max_size=2, unique=True), label=f"steps of strategy {i}")
        strategies.append(ds.pathway.Strategy(f"s{i}", [ds.pathway.Step(step, cost=COHORT_STEPS[step])
                                                        for step in steps], positive=" or ".join(steps)))
    bad_strategies = any(step.name == "spect" for s in strategies for step in s.steps)
    beta = ds.pathway.Beta
    options = kw(data, inputs=maybe(st.sampled_from([{"tumour_share": beta(60, 40)},
                                                     {"imaging.xray.sensitivity": beta(6, 4)},
                                                     Bad({"tumour_share": 0.6}), Bad({"no.such.path": beta(1, 1)}),
                                                     Bad({"age.no_tumour.mean": beta(5, 5)})])),
                 costs=maybe(st.sampled_from([{"xray": ds.pathway.Gamma(40, 10)}, {"xray": 50},
                                              Bad({"xray": -1}), Bad({"biopsy": 1500})])),
                 positive=st.sampled_from([["malignant_primary", "metastasis"], "metastasis", Bad(["cancer"])]),
                 wtp=st.sampled_from([[0, 1000], 5000, Bad([-1])]),
                 effect=maybe(st.sampled_from(["cases detected", {"tp": 1.0, "fn": 0.5}, Bad("qaly")])),
                 n_patients=st.sampled_from([200, 500, Bad(10), Bad(2.5)]),
                 n_draws=st.sampled_from([10, 12, Bad(2)]))
    # costs for a step no strategy has: refused only if "xray" is not a step, so decide here
    if isinstance(options.get("costs"), dict) and not any(step.name == "xray" for s in strategies for step in s.steps):
        options["costs"] = Bad(options["costs"])
    check_outcome(make_call("pathway.psa_cohort", ds.pathway.psa_cohort,
                            Bad(strategies) if bad_strategies else strategies, executor="serial", progress=False,
                            **options))
