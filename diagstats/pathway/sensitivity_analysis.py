"""Probabilistic sensitivity analysis of work-up strategies built from aggregate inputs.

Each draw takes every test's sensitivity, specificity and cost, the prevalence and the outcome costs
from their distributions (common to all strategies in that draw), evaluates every strategy in closed
form (:mod:`diagstats.pathway.combination`, tests done sequentially) and keeps its accuracy, cost and
health effect per patient. Draws are computed in chunks, vectorised within a chunk; the chunks are the
replicates of ``ds.simulate.study``, so they run on all local cores or a Dask cluster with the same
numbers (chunk ``r`` always draws from ``SeedSequence(seed, spawn_key=(0, r))``).

>>> import diagstats as ds
>>> tests = {"MRI": {"cost": 400}, "MDCT": {"cost": 150}}
>>> res = ds.pathway.psa({"MRI": "MRI", "CT then MRI": ("series", ["MDCT", "MRI"])}, tests, prevalence=0.3,
...                      wtp=[0, 5000], n_draws=2000, seed=1, executor="serial", progress=False)
>>> res.acceptability.shape
(2, 2)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._core.bootstrap import outside_interval_note
from .._input import _show, check_level, check_progress, check_seed, check_whole_number
from ..errors import OptionError
from ..results import ResultTable, format_level, format_number, tidy
from .combination import check_rule, pattern_probabilities, patterns, rule_label, tests_done
from .psa_inputs import Fixed, as_cost_input, as_probability_input, literature_accuracy

#: Outcomes of a patient under a strategy; ``effect=`` and ``outcome_costs=`` are given per outcome.
OUTCOMES = ("tp", "fp", "fn", "tn")
#: Named effects: health effect per patient of each outcome.
EFFECTS = {"correct diagnoses": {"tp": 1.0, "tn": 1.0}, "cases detected": {"tp": 1.0}}
#: What each draw keeps per strategy.
MEASURES = ("sensitivity", "specificity", "tests per patient", "missed per 1,000", "cost per patient",
            "effect per patient")
#: Most tests in one strategy (2**n result patterns per draw).
MAX_STRATEGY_TESTS = 8


@dataclass(frozen=True)
class _Model:
    """Everything a chunk needs; picklable, sent to the workers."""

    test_names: tuple[str, ...]
    sensitivity: tuple[Any, ...]
    specificity: tuple[Any, ...]
    cost: tuple[Any, ...]
    prevalence: Any
    outcome_costs: tuple[Any, ...]
    effects: tuple[float, ...]
    strategies: tuple[tuple[tuple[int, ...], int], ...]  # (test indices in order, k)
    chunk_size: int


def _chunk(model: _Model, scenario: Any, rng: np.random.Generator) -> dict[str, np.ndarray]:  # noqa: ARG001
    """One chunk of draws, vectorised: arrays of shape ``(chunk_size, n_strategies)`` per measure."""
    m = model.chunk_size
    se = np.column_stack([d.draw(rng, m) for d in model.sensitivity])
    sp = np.column_stack([d.draw(rng, m) for d in model.specificity])
    cost = np.column_stack([d.draw(rng, m) for d in model.cost])
    prevalence = model.prevalence.draw(rng, m)
    outcome_cost = np.column_stack([d.draw(rng, m) for d in model.outcome_costs])
    out = {name: np.empty((m, len(model.strategies))) for name in MEASURES}
    for s, (tests, k) in enumerate(model.strategies):
        idx = list(tests)
        x = patterns(len(idx))
        positive = x.sum(axis=1) >= k
        given_d = pattern_probabilities(se[:, idx], None, x)
        given_n = pattern_probabilities(1 - sp[:, idx], None, x)
        sens, spec = given_d[:, positive].sum(axis=1), given_n[:, ~positive].sum(axis=1)
        done = prevalence[:, None] * (given_d @ tests_done(x, k)) + (1 - prevalence)[:, None] * (
            given_n @ tests_done(x, k))
        rates = np.column_stack([prevalence * sens, (1 - prevalence) * (1 - spec), prevalence * (1 - sens),
                                 (1 - prevalence) * spec])
        out["sensitivity"][:, s], out["specificity"][:, s] = sens, spec
        out["tests per patient"][:, s] = done.sum(axis=1)
        out["missed per 1,000"][:, s] = 1000 * rates[:, 2]
        out["cost per patient"][:, s] = (done * cost[:, idx]).sum(axis=1) + (rates * outcome_cost).sum(axis=1)
        out["effect per patient"][:, s] = rates @ np.asarray(model.effects)
    return out


# --------------------------------------------------------------------------------------------- arguments

def _strategy_list(strategies: Any, tests: Mapping[str, Any]) -> tuple[list[str], list[tuple[list[str], int]]]:
    if not isinstance(strategies, Mapping) or not strategies:
        raise OptionError(f"strategies={_show(strategies)} must be a non-empty mapping of strategy names to a test "
                          "name or (rule, [tests]), e.g. {'MRI': 'MRI', 'CT then MRI': ('series', ['MDCT', 'MRI'])}.")
    names, parsed = [], []
    for name, spec in strategies.items():
        where = f"strategies[{name!r}]"
        if isinstance(spec, str):
            rule, members = "series", [spec]
        elif isinstance(spec, Mapping):
            rule, members = spec.get("rule", "series"), spec.get("tests")
            unknown = set(spec) - {"rule", "tests"}
            if unknown:
                raise OptionError(f"{where} has unknown keys {sorted(map(str, unknown))}; use 'tests' and 'rule'.")
        elif isinstance(spec, (tuple, list)) and len(spec) == 2:
            rule, members = spec
        else:
            raise OptionError(f"{where}={_show(spec)} must be a test name, (rule, [tests]) or "
                              "{'rule': ..., 'tests': [...]}.")
        if isinstance(members, str) or not isinstance(members, Sequence) or not members:
            raise OptionError(f"{where}: tests={_show(members)} must be a non-empty list of test names, in the order "
                              "they are done.")
        if len(members) > MAX_STRATEGY_TESTS or len(set(members)) != len(members):
            raise OptionError(f"{where}: tests={_show(members)} must be distinct tests, at most {MAX_STRATEGY_TESTS}.")
        for test in members:
            if not isinstance(test, str) or test not in tests:
                raise OptionError(f"{where} uses test {test!r}, which is not in tests= (tests given: "
                                  f"{', '.join(map(repr, tests))}); add it to tests with its cost.")
        k = check_rule(rule, len(members), f"{where} rule")
        names.append(str(name))
        parsed.append((list(members), k))
    return names, parsed


def _check_tests(tests: Any) -> None:
    if not isinstance(tests, Mapping) or not tests:
        raise OptionError(f"tests={_show(tests)} must be a non-empty mapping of test names to their inputs, e.g. "
                          "{'MRI': {'cost': 400}} (sensitivity and specificity from the literature) or "
                          "{'MRI': {'sensitivity': Beta(...), 'specificity': 0.9, 'cost': Gamma(...)}}.")


def _test_inputs(tests: Mapping[str, Any], used: list[str]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    out, notes = {}, []
    for test in used:
        spec = tests[test]
        where = f"tests[{test!r}]"
        if not isinstance(spec, Mapping):
            raise OptionError(f"{where}={_show(spec)} must be a mapping with 'cost' and optionally 'sensitivity' and "
                              "'specificity'.")
        unknown = set(spec) - {"sensitivity", "specificity", "cost"}
        if unknown:
            raise OptionError(f"{where} has unknown keys {sorted(map(str, unknown))}; use 'sensitivity', "
                              "'specificity' and 'cost'.")
        if "cost" not in spec:
            raise OptionError(f"{where} has no 'cost'; give the cost of one {test} (a number or a ds.pathway.Gamma).")
        entry = {"cost": as_cost_input(spec["cost"], f"{where}['cost']")}
        missing = [m for m in ("sensitivity", "specificity") if m not in spec]
        literature = literature_accuracy(test) if missing else None
        for measure in ("sensitivity", "specificity"):
            if measure in spec:
                entry[measure] = as_probability_input(spec[measure], f"{where}[{measure!r}]")
            elif literature is None:
                raise OptionError(f"{where} has no {measure!r} and the shipped literature "
                                  "(ds.datasets.load('imaging_2x2_studies')) has no 2x2 table of a test named "
                                  f"{test!r}; give its {measure} (a number or a ds.pathway.Beta).")
            else:
                entry[measure] = literature[0 if measure == "sensitivity" else 1]
        if literature is not None:
            notes.append(f"{test} {' and '.join(missing)} drawn from {literature[0].source}; units within a study "
                         "are counted as independent, so the spread is a lower bound.")
        out[test] = entry
    return out, list(dict.fromkeys(notes))


def _effects(effect: Any) -> tuple[str, tuple[float, ...]]:
    if isinstance(effect, str):
        if effect not in EFFECTS:
            raise OptionError(f"effect={_show(effect)} is not a valid choice; use one of "
                              f"{', '.join(map(repr, EFFECTS))} or a mapping of outcomes {OUTCOMES} to health effects "
                              "per patient (e.g. QALYs).")
        values = EFFECTS[effect]
        label = effect
    elif isinstance(effect, Mapping) and effect:
        unknown = set(effect) - set(OUTCOMES)
        if unknown:
            raise OptionError(f"effect has unknown outcomes {sorted(map(str, unknown))}; use {OUTCOMES}.")
        values = {}
        for outcome, v in effect.items():
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)) \
                    or not math.isfinite(v):
                raise OptionError(f"effect[{outcome!r}]={_show(v)} must be a finite number (the health effect of "
                                  "that outcome per patient).")
            values[outcome] = float(v)
        label = "health effect (" + ", ".join(f"{o} {format_number(v)}" for o, v in values.items()) + ")"
    else:
        raise OptionError(f"effect={_show(effect)} must be 'correct diagnoses', 'cases detected' or a mapping of "
                          f"outcomes {OUTCOMES} to health effects.")
    return label, tuple(float(values.get(o, 0.0)) for o in OUTCOMES)


def _wtp(wtp: Any) -> np.ndarray:
    values = np.atleast_1d(np.asarray(wtp, dtype=object))
    ok = values.ndim == 1 and len(values) > 0 and all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
        and math.isfinite(v) and v >= 0 for v in values)
    if not ok:
        raise OptionError(f"wtp={_show(wtp)} must be one or more finite numbers >= 0: what one unit of effect is "
                          "worth, in the currency of the costs.")
    return np.asarray(values, dtype=float)


# ------------------------------------------------------------------------------------------------ result

@dataclass(frozen=True)
class PSAResult(ResultTable):
    """Strategies' outcomes over draws of their uncertain inputs; acceptability curve and EVPI.

    Attributes
    ----------
    strategies : tuple of str
    definitions : tuple of str
        Each strategy's rule and tests, in the order they are done.
    inputs : DataFrame
        ``input, distribution, mean, source``: what each draw takes.
    summary : DataFrame
        ``strategy, measure, value, lower, upper``: the mean over draws and the percentile interval.
    wtp : ndarray
        Willingness to pay per unit of effect.
    expected_nmb : ndarray, shape (len(wtp), n_strategies)
        Expected net monetary benefit per patient, ``wtp * effect - cost``, averaged over draws.
    acceptability : ndarray, shape (len(wtp), n_strategies)
        Share of draws in which each strategy has the largest net monetary benefit.
    evpi : ndarray, shape (len(wtp),)
        Expected value of perfect information per patient: mean of the best net benefit per draw minus
        the best mean net benefit.
    draws : DataFrame
        One row per draw and strategy with every measure (left out of ``to_dict()``).
    """

    strategies: tuple[str, ...]
    definitions: tuple[str, ...]
    inputs: pd.DataFrame
    summary: pd.DataFrame
    wtp: np.ndarray
    expected_nmb: np.ndarray
    acceptability: np.ndarray
    evpi: np.ndarray
    draws: pd.DataFrame
    effect: str
    n_draws: int
    chunk_size: int
    level: float
    seed: int
    notes: tuple[str, ...] = ()

    title = "Probabilistic sensitivity analysis of work-up strategies"
    key_columns = ("strategy", "wtp")
    dict_exclude = ("draws",)

    def header_lines(self) -> list[str]:
        lines = [f"{self.n_draws:,} draws (seed {self.seed}); effect: {self.effect}; intervals: "
                 f"{format_level(self.level)} of the draws."]
        lines += [f"{name}: {definition}" for name, definition in zip(self.strategies, self.definitions)]
        return lines

    def to_frame(self) -> pd.DataFrame:
        """The summary (``wtp`` empty), then per willingness to pay each strategy's expected net monetary
        benefit and probability of being the most cost-effective, and the EVPI (``strategy`` "all strategies")."""
        rows = [self.summary.assign(wtp=np.nan, method=f"mean, percentile interval of {self.n_draws} draws")]
        w, s = np.meshgrid(self.wtp, np.arange(len(self.strategies)), indexing="ij")
        names = np.asarray(self.strategies, dtype=object)[s.ravel()]
        rows.append(pd.DataFrame({"strategy": names, "wtp": w.ravel(), "measure": "expected net monetary benefit",
                                  "value": self.expected_nmb.ravel(), "method": "mean of draws"}))
        rows.append(pd.DataFrame({"strategy": names, "wtp": w.ravel(), "measure": "probability most cost-effective",
                                  "value": self.acceptability.ravel(), "method": "share of draws"}))
        rows.append(pd.DataFrame({"strategy": "all strategies", "wtp": self.wtp, "measure": "EVPI per patient",
                                  "value": self.evpi, "method": "mean of draws"}))
        return tidy(pd.concat(rows, ignore_index=True), self.key_columns)

    def plot(self, ax: Any = None) -> Any:
        """The cost-effectiveness acceptability curve."""
        from ..plot.acceptability import acceptability_curve

        return acceptability_curve(self, ax=ax)


def _net_benefit(effect: np.ndarray, cost: np.ndarray, wtp: np.ndarray) -> tuple[np.ndarray, ...]:
    """Acceptability (share of draws each strategy has the largest net monetary benefit), expected net monetary
    benefit and EVPI per patient, at each willingness to pay; ``effect`` and ``cost`` are ``(draws, strategies)``.
    One pass per willingness to pay, vectorised over draws (no draws x strategies x wtp array)."""
    n_draws, n_strategies = effect.shape
    acceptability = np.empty((len(wtp), n_strategies))
    expected = np.empty((len(wtp), n_strategies))
    evpi = np.empty(len(wtp))
    for w, value in enumerate(wtp):
        nmb = value * effect - cost
        best = np.argmax(nmb, axis=1)
        acceptability[w] = np.bincount(best, minlength=n_strategies) / n_draws
        expected[w] = nmb.mean(axis=0)
        evpi[w] = max(nmb[np.arange(n_draws), best].mean() - expected[w].max(), 0.0)
    return acceptability, expected, evpi


def psa(strategies: Mapping[str, Any], tests: Mapping[str, Mapping[str, Any]], *, prevalence: Any,
        wtp: Any, effect: Any = "correct diagnoses", outcome_costs: Mapping[str, Any] | None = None,
        n_draws: int = 10_000, chunk_size: int = 500, level: float = 0.95, seed: int = 0, executor: Any = None,
        progress: bool = True) -> PSAResult:
    """Probabilistic sensitivity analysis: input uncertainty propagated to strategies' outcomes.

    Parameters
    ----------
    strategies : mapping of name to test name, (rule, [tests]) or {"rule": ..., "tests": [...]}
        Each strategy: its tests in the order they are done and its rule ("series", "parallel" or k
        of n, as :func:`combine`). A strategy stops testing once its result is decided.
    tests : mapping of test name to {"cost": ..., "sensitivity": ..., "specificity": ...}
        Each input a number (fixed) or a distribution: :class:`Beta` for sensitivity and specificity,
        :class:`Gamma` for the cost. Without a sensitivity or specificity the test's Beta comes from
        the 2x2 counts of the shipped literature (``ds.datasets.load("imaging_2x2_studies")``, matched
        by name); the cost is required.
    prevalence : float or Beta
        Of the target condition among the patients worked up.
    wtp : float or sequence of float
        Willingness to pay per unit of effect (the acceptability curve's axis).
    effect : "correct diagnoses", "cases detected" or mapping, default "correct diagnoses"
        The health effect per patient; a mapping gives the effect of each outcome ``tp, fp, fn, tn``
        (e.g. QALYs; omitted outcomes 0).
    outcome_costs : mapping of outcome to number or Gamma, optional
        Costs that follow each outcome (e.g. treatment of a false positive, a missed cancer).
    n_draws : int, default 10000
    chunk_size : int, default 500
        Draws computed together (vectorised) in one replicate of ``ds.simulate.study`` (at most
        ``n_draws``); the numbers depend on it (each chunk has its own random stream), not on the
        executor.
    level : float, default 0.95
        Of the percentile intervals of the outcomes.
    seed : int, default 0
    executor : None, "serial", an Executor or a dask.distributed Client
        As ``ds.simulate.study``: None uses all local cores.
    progress : bool, default True
        A progress bar over chunks.

    Returns
    -------
    PSAResult
        ``summary``, ``expected_nmb``, ``acceptability`` (the curve), ``evpi``, ``draws``; ``plot()``
        draws the acceptability curve.

    Notes
    -----
    Tests within a strategy are conditionally independent given disease status in every draw (the
    covariances of ``combine`` are not drawn). The net monetary benefit of a strategy in a draw is
    ``wtp * effect - cost`` per patient; the acceptability curve is the share of draws in which it is
    largest (Fenwick, Claxton & Sculpher 2001), the EVPI is ``E[max_s NMB] - max_s E[NMB]`` per patient
    (Claxton 1999); multiply by the number of patients affected for a population EVPI. All strategies
    of a draw share its inputs (common random numbers), so differences between strategies are not
    blurred by independent sampling.

    References
    ----------
    Briggs A, Claxton K, Sculpher M (2006). Decision Modelling for Health Economic Evaluation. OUP.
    Fenwick E, Claxton K, Sculpher M (2001). Representing uncertainty: the role of cost-effectiveness
    acceptability curves. Health Econ 10:779-787.
    Claxton K (1999). The irrelevance of inference. J Health Econ 18:341-364.

    Examples
    --------
    >>> import diagstats as ds
    >>> from diagstats.pathway import Beta, Gamma
    >>> tests = {"MRI": {"cost": Gamma(400, 80)}, "MDCT": {"cost": 150}}
    >>> res = ds.pathway.psa({"MRI": "MRI", "MDCT": "MDCT"}, tests, prevalence=Beta(30, 70), wtp=[0, 2000],
    ...                      n_draws=1000, executor="serial", progress=False)
    >>> res.acceptability[0].tolist()   # at wtp 0 the cheaper test always wins
    [0.0, 1.0]
    """
    from ..simulate.montecarlo import study

    n_draws = check_whole_number(n_draws, "n_draws", minimum=100, what="draws", example=10_000)
    chunk_size = check_whole_number(chunk_size, "chunk_size", minimum=1, maximum=100_000, what="draws per chunk",
                                    example=500)
    chunk_size = min(chunk_size, n_draws)
    level = check_level(level)
    seed = check_seed(seed, integer=True)
    progress = check_progress(progress)
    wtp_values = _wtp(wtp)
    effect_label, effects = _effects(effect)
    _check_tests(tests)
    names, parsed = _strategy_list(strategies, tests)
    used = list(dict.fromkeys(t for members, _ in parsed for t in members))
    inputs, notes = _test_inputs(tests, used)
    unused = [str(t) for t in tests if t not in used]
    if unused:
        notes.append(f"tests given but used by no strategy (not drawn): {', '.join(unused)}.")
    prevalence_input = as_probability_input(prevalence, "prevalence")
    if outcome_costs is None:
        outcome_costs = {}
    if not isinstance(outcome_costs, Mapping) or set(outcome_costs) - set(OUTCOMES):
        raise OptionError(f"outcome_costs={_show(outcome_costs)} must be a mapping of outcomes {OUTCOMES} to costs "
                          "(numbers or ds.pathway.Gamma).")
    outcome_inputs = tuple(as_cost_input(outcome_costs.get(o, 0), f"outcome_costs[{o!r}]") for o in OUTCOMES)

    position = {t: i for i, t in enumerate(used)}
    model = _Model(test_names=tuple(used), sensitivity=tuple(inputs[t]["sensitivity"] for t in used),
                   specificity=tuple(inputs[t]["specificity"] for t in used),
                   cost=tuple(inputs[t]["cost"] for t in used), prevalence=prevalence_input,
                   outcome_costs=outcome_inputs, effects=effects,
                   strategies=tuple((tuple(position[t] for t in members), k) for members, k in parsed),
                   chunk_size=chunk_size)
    n_chunks = math.ceil(n_draws / chunk_size)
    chunks = study(functools.partial(_chunk, model), n_replicates=n_chunks, seed=seed, executor=executor,
                   progress=progress)
    values = {m: np.concatenate(chunks[m].tolist(), axis=0)[:n_draws] for m in MEASURES}

    input_rows = [{"input": f"{t} {p}", "distribution": inputs[t][p].describe(), "mean": inputs[t][p].mean,
                   "source": inputs[t][p].source} for t in used for p in ("sensitivity", "specificity", "cost")]
    input_rows.append({"input": "prevalence", "distribution": prevalence_input.describe(),
                       "mean": prevalence_input.mean, "source": prevalence_input.source})
    input_rows += [{"input": f"cost after {o}", "distribution": d.describe(), "mean": d.mean, "source": d.source}
                   for o, d in zip(OUTCOMES, outcome_inputs) if not (isinstance(d, Fixed) and d.mean == 0)]
    definitions = tuple(f"{rule_label(k, len(members))}: {', '.join(members)}" if len(members) > 1 else members[0]
                        for members, k in parsed)
    notes.append("tests within a strategy conditionally independent given disease status; each strategy stops "
                 "testing once its result is decided.")
    return psa_result(names, definitions, values, wtp_values, pd.DataFrame(input_rows), notes, effect=effect_label,
                      n_draws=n_draws, chunk_size=chunk_size, level=level, seed=seed)


def psa_result(names: list[str], definitions: tuple[str, ...], values: dict[str, np.ndarray], wtp: np.ndarray,
               inputs: pd.DataFrame, notes: list[str], *, effect: str, n_draws: int, chunk_size: int, level: float,
               seed: int) -> PSAResult:
    """The PSAResult of per-draw measures ``values[measure]`` of shape ``(n_draws, n_strategies)``: summary,
    acceptability, expected net benefit and EVPI (shared by :func:`psa` and :func:`~diagstats.pathway.psa_cohort`)."""
    notes = list(notes)
    acceptability, expected_nmb, evpi = _net_benefit(values["effect per patient"], values["cost per patient"],
                                                     wtp)

    alpha = 1 - level
    summary_rows = []
    for measure in MEASURES:
        mean = values[measure].mean(axis=0)
        lower, upper = np.quantile(values[measure], [alpha / 2, 1 - alpha / 2], axis=0)
        for s, name in enumerate(names):
            summary_rows.append({"strategy": name, "measure": measure, "value": mean[s], "lower": lower[s],
                                 "upper": upper[s], "level": level})
            notes += outside_interval_note(measure, mean[s], lower[s], upper[s], "percentiles of the draws",
                                           f"{name}; a very skewed input distribution")
    summary = pd.DataFrame(summary_rows)
    draws = pd.concat([pd.DataFrame({"draw": np.arange(n_draws), "strategy": name,
                                     **{m: values[m][:, s] for m in MEASURES}}) for s, name in enumerate(names)],
                      ignore_index=True)
    return PSAResult(strategies=tuple(names), definitions=definitions, inputs=inputs, summary=summary, wtp=wtp,
                     expected_nmb=expected_nmb, acceptability=acceptability, evpi=evpi, draws=draws, effect=effect,
                     n_draws=n_draws, chunk_size=chunk_size, level=level, seed=seed,
                     notes=tuple(dict.fromkeys(notes)))

