"""A strategy as data: the rule syntax, the order of steps, and the errors that name the step."""

import pytest

import diagstats as ds
from diagstats.errors import OptionError
from diagstats.pathway import Step, Strategy


def test_rules_are_parsed_into_outcomes_and_columns():
    step = Step("biopsy", cost=1500, when="(mri or ct) and not prior_cancer or nondiagnostic(previous)")
    assert step.rule.steps == {"previous"}
    assert step.rule.names == {"mri", "ct", "prior_cancer"}
    assert Step("xray", cost=40).rule.tree == ("always",)


def test_steps_run_after_the_steps_their_rules_need():
    s = Strategy("biopsy listed first", [Step("biopsy", cost=1500, when="mri"), Step("mri", cost=400)],
                 positive="biopsy")
    assert s.order == ("mri", "biopsy")
    assert s.columns == {"mri", "biopsy"}


@pytest.mark.parametrize("rule", ["__import__('os').system('true')", "mri.sensitivity", "mri == 1", "mri + ct",
                                  "lambda: mri", "[mri]", "done(mri, ct)", "positive(mri=1)", "mri if ct else xray",
                                  "1", "open('x')"])
def test_anything_but_the_small_rule_syntax_is_refused_naming_the_step(rule):
    with pytest.raises(OptionError, match="step 'biopsy'"):
        Step("biopsy", cost=10, when=rule)


def test_a_syntax_error_names_the_step():
    with pytest.raises(OptionError, match="step 'ct'.*not valid"):
        Step("ct", cost=10, when="mri or")


def test_a_missing_cost_names_the_step():
    with pytest.raises(OptionError, match="step 'mri' has no cost"):
        Step("mri")
    with pytest.raises(OptionError, match="step 'mri': cost=-1"):
        Step("mri", cost=-1)


def test_a_cycle_is_refused_naming_its_steps():
    steps = [Step("mri", cost=1, when="ct"), Step("ct", cost=1, when="biopsy"), Step("biopsy", cost=1, when="mri")]
    with pytest.raises(OptionError, match="strategy 'loop'.*'mri' -> 'ct' -> 'biopsy' -> 'mri'.*cycle"):
        Strategy("loop", steps, positive="biopsy")
    with pytest.raises(OptionError, match="'mri' -> 'mri'"):
        Strategy("self", [Step("mri", cost=1, when="negative(mri)")], positive="mri")


def test_an_outcome_of_a_step_that_does_not_exist_is_refused_naming_the_step():
    with pytest.raises(OptionError, match="step 'repeat'.*'biopsie'.*not a step.*biopsy"):
        Strategy("s", [Step("biopsy", cost=1), Step("repeat", cost=1, when="nondiagnostic(biopsie)")],
                 positive="biopsy")


@pytest.mark.parametrize("bad, match", [
    (dict(name="", steps=[Step("mri", cost=1)], positive="mri"), "name"),
    (dict(name="s", steps=[], positive="mri"), "steps"),
    (dict(name="s", steps=["mri"], positive="mri"), "steps"),
    (dict(name="s", steps=[Step("mri", cost=1), Step("mri", cost=2)], positive="mri"), "'mri' is given more than once"),
    (dict(name="s", steps=[Step("mri", cost=1)], positive="mri or"), "positive="),
    (dict(name="s", steps=[Step("mri", cost=1)], positive="mri", target=""), "target"),
])
def test_bad_strategies_are_refused(bad, match):
    with pytest.raises(OptionError, match=match):
        Strategy(**bad)


@pytest.mark.parametrize("bad, match", [(dict(name="1st"), "name"), (dict(name="done"), "name"),
                                        (dict(kind="scan"), "kind"), (dict(test=3), "test=")])
def test_bad_steps_are_refused(bad, match):
    with pytest.raises(OptionError, match=match):
        Step(**{"name": "mri", "cost": 1, **bad})


def test_a_strategy_prints_its_steps_in_order():
    text = str(Strategy("MRI first", [Step("mri", cost=400), Step("biopsy", cost=1500, kind="biopsy", when="mri")],
                        positive="biopsy", target="malignancy"))
    assert text.splitlines() == ["Strategy 'MRI first' (target: malignancy)", "  mri (test, cost 400) when always",
                                 "  biopsy (biopsy, cost 1500) when mri", "  positive when biopsy"]
    assert ds.pathway.Strategy is Strategy
