"""Probabilistic sensitivity analysis of work-up strategies on simulated patients.

Each draw takes the scenario's uncertain inputs (test accuracies, the tumour share, any scenario
parameter) and the step costs from their distributions, simulates a cohort of patients with every
result (``ds.simulate.cohort(n, complete=True, repeat_biopsy=True)``), and runs every
:class:`~diagstats.pathway.Strategy` on those patients with the vectorised evaluator of
:func:`~diagstats.pathway.evaluate`: the strategies of a draw share its inputs and its patients. The
draws are the replicates of ``ds.simulate.study`` (draw ``d`` always uses ``SeedSequence(seed,
spawn_key=(0, d))``), so they run on all local cores or a Dask cluster with the same numbers; the
acceptability curve and the EVPI are those of :func:`~diagstats.pathway.psa` (one :class:`PSAResult`).

>>> import diagstats as ds
>>> mri = ds.pathway.Strategy("MRI", [ds.pathway.Step("mri", cost=400)], positive="mri", target="tumour")
>>> ct = ds.pathway.Strategy("CT", [ds.pathway.Step("ct", cost=200)], positive="ct", target="tumour")
>>> res = ds.pathway.psa_cohort([mri, ct], positive=["benign_primary", "malignant_primary", "metastasis"],
...                             wtp=[0, 5000], n_patients=2000, n_draws=20, executor="serial", progress=False)
>>> res.acceptability[0].tolist()    # at wtp 0 the cheaper strategy always wins
[0.0, 1.0]
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._input import _show, _suggest, check_level, check_progress, check_seed, check_whole_number
from ..errors import DiagstatsError, OptionError
from .evaluation import _Columns, _reference, _run, _strategies
from .psa_inputs import Beta, Fixed, Gamma, as_cost_input, literature_accuracy
from .sensitivity_analysis import OUTCOMES, _effects, _wtp, psa_result

#: Scenario imaging modalities (``imaging.<name>``) and the test of the shipped literature
#: (``ds.datasets.load("imaging_2x2_studies")``) whose 2x2 counts give their default Beta distributions.
LITERATURE_TESTS = {"mri": "MRI", "ct": "MDCT", "pet": "FDG PET/CT", "bone_scan": "bone scintigraphy"}


@dataclass(frozen=True)
class _Model:
    """Everything a draw needs; picklable, sent to the workers."""

    strategies: tuple[Any, ...]
    paths: tuple[str, ...]
    distributions: tuple[Any, ...]
    step_costs: tuple[tuple[str, Any], ...]
    outcome_costs: tuple[Any, ...]
    effects: tuple[float, ...]
    reference: str
    positive: Any
    n_patients: int


def _draw(model: _Model, scenario: Any, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One draw: inputs, a cohort, every strategy on it; each measure an array over strategies."""
    from ..simulate.engine import cohort

    changes = {path: float(d.draw(rng, 1)[0]) for path, d in zip(model.paths, model.distributions)}
    costs = {step: float(d.draw(rng, 1)[0]) for step, d in model.step_costs}
    outcome_cost = np.array([float(d.draw(rng, 1)[0]) for d in model.outcome_costs])
    patients = cohort(model.n_patients, scenario.replace(changes) if changes else scenario, seed=rng,
                      complete=True, repeat_biopsy=True)
    return _measures(model, patients, costs, outcome_cost)


def _measures(model: _Model, patients: pd.DataFrame, costs: Mapping[str, float],
              outcome_cost: np.ndarray) -> dict[str, np.ndarray]:
    _, diseased = _reference(patients, model.reference, model.positive, "raise")
    cols = _Columns(patients)
    n, n_diseased = len(patients), int(diseased.sum())
    out: dict[str, list[float]] = {m: [] for m in ("sensitivity", "specificity", "tests per patient",
                                                     "missed per 1,000", "cost per patient", "effect per patient")}
    for i, strategy in enumerate(model.strategies):
        run = _run(strategy, i, cols, n)
        tp = int(np.count_nonzero(run.call & diseased))
        fp = int(np.count_nonzero(run.call & ~diseased))
        rates = np.array([tp, fp, n_diseased - tp, n - n_diseased - fp]) / n
        done = {row["step"]: row["done"] for row in run.flow}
        step_cost = sum(costs.get(step, strategy.step(step).cost) * k for step, k in done.items()) / n
        out["sensitivity"].append(tp / n_diseased if n_diseased else np.nan)
        out["specificity"].append(rates[3] * n / (n - n_diseased) if n > n_diseased else np.nan)
        out["tests per patient"].append(sum(done.values()) / n)
        out["missed per 1,000"].append(1000 * rates[2])
        out["cost per patient"].append(step_cost + float(rates @ outcome_cost))
        out["effect per patient"].append(float(rates @ np.asarray(model.effects)))
    return {m: np.asarray(v) for m, v in out.items()}


# --------------------------------------------------------------------------------------------- arguments

def _scenario_inputs(inputs: Any, scenario: Any, strategies: list) -> tuple[dict[str, Any], list[dict], list[str]]:
    """Distributions per scenario parameter path: the given ones, and by default the literature's Beta of the
    sensitivity and specificity of each imaging modality a strategy uses."""
    if inputs is None:
        inputs = {}
    if not isinstance(inputs, Mapping):
        raise OptionError(f"inputs={_show(inputs)} must be a mapping of scenario parameter paths to distributions, "
                          "e.g. {'imaging.mri.sensitivity': Beta(93, 7), 'tumour_share': Beta(60, 40)}.")
    chosen, rows, notes = {}, [], []
    for path, value in inputs.items():
        where = f"inputs[{path!r}]"
        if path not in scenario.parameters:
            raise OptionError(f"{where}: {path!r} is not a parameter of scenario {scenario.name!r}."
                              f"{_suggest(str(path), list(scenario.parameters))} See "
                              "ds.simulate.Scenario.load(...).parameters.")
        if not isinstance(value, (Beta, Gamma)):
            raise OptionError(f"{where}={_show(value)} must be a ds.pathway.Beta (a probability) or a "
                              "ds.pathway.Gamma (a positive quantity); fixed values go in the scenario "
                              "(Scenario.replace).")
        current = scenario[path]
        probability = isinstance(current, float) and 0 <= current <= 1
        if isinstance(value, Beta) and not probability:
            raise OptionError(f"{where}: a Beta distribution is for a probability, and {path!r} is {current!r}.")
        if isinstance(value, Gamma) and probability:
            raise OptionError(f"{where}: {path!r} is a probability ({current!r}), which a Gamma distribution can "
                              "draw above 1; give a ds.pathway.Beta.")
        try:
            scenario.replace({path: value.mean})
        except DiagstatsError as error:
            raise OptionError(f"{where}: the scenario refuses its mean {value.mean:g}: {error}") from None
        chosen[path] = value
        rows.append({"input": path, "distribution": value.describe(), "mean": value.mean,
                     "source": value.source or "given"})
    columns = set().union(*(s.columns for s in strategies))
    for modality, test in LITERATURE_TESTS.items():
        paths = [f"imaging.{modality}.{m}" for m in ("sensitivity", "specificity")]
        if modality not in columns or any(p in chosen for p in paths):
            continue
        literature = literature_accuracy(test)
        if literature is None:
            continue
        for path, beta in zip(paths, literature):
            chosen[path] = beta
            rows.append({"input": path, "distribution": beta.describe(), "mean": beta.mean, "source": beta.source})
        notes.append(f"{modality} sensitivity and specificity drawn from the shipped literature's {test} 2x2 counts "
                     f"(scenario values {scenario[paths[0]]:g} and {scenario[paths[1]]:g} replaced by those draws).")
    return chosen, rows, notes


def _step_costs(costs: Any, strategies: list) -> tuple[dict[str, Any], list[dict]]:
    steps = list(dict.fromkeys(step.name for s in strategies for step in s.steps))
    if costs is None:
        costs = {}
    if not isinstance(costs, Mapping):
        raise OptionError(f"costs={_show(costs)} must be a mapping of step names to a ds.pathway.Gamma or a number, "
                          "e.g. {'mri': Gamma(mean=400, sd=80)}.")
    chosen, rows = {}, []
    for step, value in costs.items():
        if step not in steps:
            raise OptionError(f"costs[{step!r}]: {step!r} is not a step of the strategies (their steps: "
                              f"{', '.join(steps)}).{_suggest(str(step), steps)}")
        chosen[step] = as_cost_input(value, f"costs[{step!r}]")
        rows.append({"input": f"cost of {step}", "distribution": chosen[step].describe(), "mean": chosen[step].mean,
                     "source": chosen[step].source})
    for step in steps:
        if step not in chosen:
            fixed = sorted({s.step(step).cost for s in strategies if step in s.order})
            rows.append({"input": f"cost of {step}", "distribution": "fixed " + " / ".join(f"{c:g}" for c in fixed),
                         "mean": fixed[0] if len(fixed) == 1 else np.nan, "source": "Step(cost=...)"})
    return chosen, rows


def psa_cohort(strategies: Any, *, positive: Any, wtp: Any, reference: str = "true_diagnosis",
               inputs: Mapping[str, Any] | None = None, costs: Mapping[str, Any] | None = None,
               effect: Any = "correct diagnoses", outcome_costs: Mapping[str, Any] | None = None,
               scenario: Any = "spine_referral", n_patients: int = 100_000, n_draws: int = 1000,
               level: float = 0.95, seed: int = 0, executor: Any = None, progress: bool = True) -> Any:
    """Probabilistic sensitivity analysis of work-up strategies on simulated patients.

    Parameters
    ----------
    strategies : Strategy or list of Strategy
        As :func:`evaluate`; run on every simulated patient of every draw.
    positive : label or list of labels
        The reference values meaning the target condition (e.g. ``["malignant_primary", "metastasis"]``).
    wtp : float or sequence of float
        Willingness to pay per unit of effect (the acceptability curve's axis).
    reference : str, default "true_diagnosis"
        The simulated column the strategies' calls are judged against.
    inputs : mapping of scenario parameter path to Beta or Gamma, optional
        Uncertain scenario parameters, e.g. ``{"tumour_share": Beta(60, 40)}`` (the prevalence) or
        ``{"imaging.ct.sensitivity": Beta(70, 30)}``. By default each imaging modality a strategy uses
        and the shipped literature has (MRI, CT as MDCT, PET, bone scan) gets the Beta of its pooled
        2x2 counts (``ds.datasets.load("imaging_2x2_studies")``); every other parameter keeps the
        scenario's value.
    costs : mapping of step name to Gamma or number, optional
        Uncertain cost of a step (shared by every strategy that has it); other steps cost their
        ``Step(cost=...)``.
    effect : "correct diagnoses", "cases detected" or mapping, default "correct diagnoses"
        As :func:`psa`.
    outcome_costs : mapping of outcome to number or Gamma, optional
        As :func:`psa`.
    scenario : str or Scenario, default "spine_referral"
    n_patients : int, default 100000
        Simulated patients per draw.
    n_draws : int, default 1000
        Draws (each a replicate of ``ds.simulate.study``).
    level : float, default 0.95
        Of the percentile intervals of the outcomes.
    seed : int, default 0
    executor : None, "serial", an Executor or a dask.distributed Client
        As ``ds.simulate.study``: None uses all local cores.
    progress : bool, default True
        A progress bar over draws.

    Returns
    -------
    PSAResult
        As :func:`psa`: per draw and strategy sensitivity, specificity, steps done per patient
        ("tests per patient", biopsies included), missed per 1,000, cost and effect per patient; the
        acceptability curve and the EVPI.

    Notes
    -----
    Unlike :func:`psa`, the tests' conditional dependence, the pathway's rules (contraindications,
    neurological deficit, known cancer), non-diagnostic and repeat biopsies all come from the
    simulated patients, and each draw's outcomes carry the Monte Carlo error of ``n_patients``
    patients (it adds to the spread of the draws; keep ``n_patients`` large). The net monetary
    benefit, acceptability curve (Fenwick, Claxton & Sculpher 2001) and EVPI (Claxton 1999) are
    computed as in :func:`psa`.

    References
    ----------
    Briggs A, Claxton K, Sculpher M (2006). Decision Modelling for Health Economic Evaluation. OUP.

    Examples
    --------
    >>> import diagstats as ds
    >>> from diagstats.pathway import Beta, Gamma, Step, Strategy
    >>> s = [Strategy("MRI", [Step("mri", cost=400)], positive="mri"),
    ...      Strategy("X-ray", [Step("xray", cost=40)], positive="xray")]
    >>> res = ds.pathway.psa_cohort(s, positive=["malignant_primary", "metastasis"], wtp=[0, 10000],
    ...                             inputs={"tumour_share": Beta(60, 40)}, costs={"mri": Gamma(400, 80)},
    ...                             n_patients=2000, n_draws=20, executor="serial", progress=False)
    >>> res.n_draws, len(res.draws)
    (20, 40)
    """
    from ..simulate.montecarlo import study
    from ..simulate.scenario import Scenario

    items = _strategies(strategies)
    n_patients = check_whole_number(n_patients, "n_patients", minimum=100, what="simulated patients per draw",
                                    example=100_000)
    n_draws = check_whole_number(n_draws, "n_draws", minimum=10, what="draws", example=1000)
    level = check_level(level)
    seed = check_seed(seed, integer=True)
    progress = check_progress(progress)
    wtp_values = _wtp(wtp)
    effect_label, effects = _effects(effect)
    if not isinstance(reference, str):
        raise OptionError(f"reference={_show(reference)} must be the name of a simulated column, e.g. "
                          "\"true_diagnosis\".")
    base = Scenario.load(scenario)
    distributions, input_rows, notes = _scenario_inputs(inputs, base, items)
    step_costs, cost_rows = _step_costs(costs, items)
    if outcome_costs is None:
        outcome_costs = {}
    if not isinstance(outcome_costs, Mapping) or set(outcome_costs) - set(OUTCOMES):
        raise OptionError(f"outcome_costs={_show(outcome_costs)} must be a mapping of outcomes {OUTCOMES} to costs "
                          "(numbers or ds.pathway.Gamma).")
    outcome_inputs = tuple(as_cost_input(outcome_costs.get(o, 0), f"outcome_costs[{o!r}]") for o in OUTCOMES)
    model = _Model(strategies=tuple(items), paths=tuple(distributions), distributions=tuple(distributions.values()),
                   step_costs=tuple(step_costs.items()), outcome_costs=outcome_inputs, effects=effects,
                   reference=reference, positive=positive, n_patients=n_patients)
    # the strategies' steps, rules and reference checked on a small cohort before any draw is sent out
    from ..simulate.engine import cohort
    _measures(model, cohort(200, base, seed=0, complete=True, repeat_biopsy=True), {}, np.zeros(len(OUTCOMES)))

    draws = study(functools.partial(_draw, model), scenario=base, n_replicates=n_draws, seed=seed,
                  executor=executor, progress=progress)
    measures = [c for c in draws.columns if c not in ("scenario", "replicate")]
    values = {m: np.vstack(draws[m].tolist()) for m in measures}

    input_rows += cost_rows
    input_rows += [{"input": f"cost after {o}", "distribution": d.describe(), "mean": d.mean, "source": d.source}
                   for o, d in zip(OUTCOMES, outcome_inputs) if not (isinstance(d, Fixed) and d.mean == 0)]
    notes.append(f"each draw simulates {n_patients:,} patients of scenario {base.name!r} (complete=True, "
                 "repeat_biopsy=True) and runs every strategy on them: the draws' spread includes that Monte Carlo "
                 "error.")
    definitions = tuple("; ".join(f"{name} when {s.step(name).when}" for name in s.order) +
                        f"; positive when {s.positive}" for s in items)
    return psa_result([s.name for s in items], definitions, values, wtp_values, pd.DataFrame(input_rows), notes,
                      effect=effect_label, n_draws=n_draws, chunk_size=1, level=level, seed=seed)
