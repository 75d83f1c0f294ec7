"""Work-up strategies evaluated on patient data, and compared paired on the same patients.

Each :class:`~diagstats.pathway.Strategy` is run on every patient at once (vectorised: one pass of
boolean arrays per step, no loop over patients): a step is done where its rule holds, its result is
read from the data, and the final rule makes the strategy's call. On a simulated cohort with
``complete=True`` every patient has every result, so a strategy can order a test the real pathway
did not (the counterfactual result is there); on observed data a strategy can only use what was
done, and a step it orders for a patient who lacks that result counts as not done (a note says how
often).

>>> import diagstats as ds
>>> df = ds.simulate.cohort(3000, seed=1, complete=True)
>>> mri = ds.pathway.Strategy("MRI", [ds.pathway.Step("mri", cost=400)], positive="mri", target="tumour")
>>> xray = ds.pathway.Strategy("X-ray", [ds.pathway.Step("xray", cost=40)], positive="xray", target="tumour")
>>> res = ds.pathway.evaluate(df, [mri, xray], reference="true_diagnosis",
...                           positive=["benign_primary", "malignant_primary", "metastasis"])
>>> print(res.accuracy[0].sensitivity)
sensitivity 0.926 (95% CI 0.913 to 0.937, Wilson)
>>> round(res.comparisons[0].sensitivity.difference.value, 3)
-0.32
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._core.quantiles import z_two_sided
from .._input import _show, _suggest, check_dataframe, check_level, check_nan_policy, column
from ..binary._paired import cell_counts
from ..binary.comparison import TestComparison, _compare_paired
from ..binary.intervals import _proportion_bounds
from ..binary.two_by_two import AccuracyResult, _from_counts
from ..errors import ColumnError, DataError, OptionError
from ..results import CONTRACT_COLUMNS, Estimate, ResultTable, format_level
from .strategy import Rule, Strategy

#: Yield and cost measures, in display order, with how each is scaled and its interval method.
YIELDS = {
    "tests_per_100": "tests (imaging and other non-biopsy steps) per 100 patients",
    "biopsies_per_100": "biopsies per 100 patients",
    "nondiagnostic_biopsies_per_100": "non-diagnostic biopsies per 100 patients",
    "missed_per_1000": "patients with the target condition called negative (missed) per 1,000 patients",
    "cost_per_patient": "mean cost per patient",
    "cost_per_correct_diagnosis": "total cost over the number of correct calls (true positives + true negatives)",
}
ACCURACY = ("sensitivity", "specificity", "ppv", "npv")
MEAN_METHOD = "Wald (per-patient mean)"
PAIRED_METHOD = "Wald (paired per-patient differences)"
RATIO_METHOD = "delta method (ratio of means)"
FLOW_COLUMNS = ["strategy", "step", "kind", "ordered", "done", "positive", "negative", "nondiagnostic", "unavailable"]


# --- reading the data --------------------------------------------------------------------------------

class _Columns:
    """The data columns the strategies read, converted once (shared by all strategies)."""

    def __init__(self, data: pd.DataFrame) -> None:
        self.data = data
        self._flags: dict[str, np.ndarray] = {}
        self._results: dict[tuple[str, Any], tuple[np.ndarray, np.ndarray]] = {}

    def _series(self, name: str, where: str) -> pd.Series:
        if name not in self.data.columns:
            names = [str(c) for c in self.data.columns]
            shown = ", ".join(repr(c) for c in names[:20]) + (", ..." if len(names) > 20 else "")
            raise ColumnError(f"{where}: {name!r} is not a column of data (its columns: {shown}); a rule's names are "
                              f"the strategy's steps or yes/no columns of data.{_suggest(name, names)}")
        return self.data[name]

    def flag(self, name: str, where: str) -> np.ndarray:
        """A yes/no column used in a rule (bool, or 0/1 without missing values)."""
        if name not in self._flags:
            values = self._series(name, where)
            if values.dtype == bool:
                self._flags[name] = values.to_numpy()
            else:
                numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
                if values.isna().any() or np.isnan(numeric).any() or not np.isin(numeric, (0.0, 1.0)).all():
                    raise DataError(f"{where}: the rule uses column {name!r} as yes/no, so it must hold True/False "
                                    f"or 1/0 for every patient; it has {_describe(values)}. Fill or recode it "
                                    f"(e.g. data[{name!r}] = data[{name!r}] == 'yes').")
                self._flags[name] = numeric == 1.0
        return self._flags[name]

    def result(self, name: str, positive: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
        """(available, positive) of a result column: NaN means the patient did not have the step."""
        key = (name, positive if isinstance(positive, (str, int, float, bool)) else repr(positive))
        if key not in self._results:
            values = self._series(name, where)
            available = values.notna().to_numpy()
            numeric = values.dtype == bool or pd.api.types.is_numeric_dtype(values)
            if positive is not None:
                present = set(values.cat.categories) if isinstance(values.dtype, pd.CategoricalDtype) \
                    else set(values[available].unique())
                if len(present) > 1 and positive not in present:  # one value: maybe only negatives here
                    raise DataError(f"{where}: positive={_show(positive)} is not a value of column {name!r} (its "
                                    f"values: {', '.join(sorted(map(repr, present))[:10])}).")
                hit = (values == positive).to_numpy(dtype=bool)
            elif numeric:
                x = values.to_numpy(dtype=float)
                if not np.isin(x[available], (0.0, 1.0)).all():
                    raise DataError(f"{where}: column {name!r} must hold 1 (positive), 0 (negative) or NaN (not "
                                    f"done); it has {_describe(values)}. For labels give Step(..., positive=...).")
                hit = x == 1.0
            else:
                raise DataError(f"{where}: column {name!r} holds labels ({_describe(values)}); say which label is a "
                                "positive result with Step(..., positive=\"...\").")
            self._results[key] = (available, hit & available)
        return self._results[key]


def _describe(values: pd.Series) -> str:
    shown = ", ".join(repr(v) for v in pd.unique(values.dropna())[:5])
    missing = int(values.isna().sum())
    return f"values {shown}" + (f" and {missing} missing" if missing else "")


# --- running one strategy ----------------------------------------------------------------------------

@dataclass
class _Run:
    """One strategy run on every patient: the call and the per-patient counts."""

    call: np.ndarray
    tests: np.ndarray
    biopsies: np.ndarray
    nondiagnostic: np.ndarray
    cost: np.ndarray
    flow: list[dict[str, Any]]
    unavailable: dict[str, int]


def _rule(rule: Rule, state: dict[str, dict[str, np.ndarray]], cols: _Columns, where: str, n: int) -> np.ndarray:
    def value(node: tuple) -> np.ndarray:
        kind = node[0]
        if kind == "always":
            return np.ones(n, dtype=bool)
        if kind == "not":
            return ~value(node[1])
        if kind in ("and", "or"):
            a, b = value(node[1]), value(node[2])
            return a & b if kind == "and" else a | b
        if kind == "step":
            return state[node[2]][node[1]]
        name = node[1]
        return state[name]["positive"] if name in state else cols.flag(name, where)

    return value(rule.tree)


def _run(strategy: Strategy, index: int, cols: _Columns, n: int) -> _Run:
    state: dict[str, dict[str, np.ndarray]] = {}
    tests, biopsies = np.zeros(n, dtype=np.int16), np.zeros(n, dtype=np.int16)
    nondiagnostic, cost = np.zeros(n, dtype=np.int16), np.zeros(n)
    flow, unavailable = [], {}
    for name in strategy.order:
        step = strategy.step(name)
        where = f"strategy {strategy.name!r} (strategies[{index}]), step {name!r}"
        ordered = _rule(step.rule, state, cols, where, n)
        available, hit = cols.result(step.column, step.positive, where)
        failed = np.zeros(n, dtype=bool)
        if step.nondiagnostic is not None:
            _, failed = cols.result(step.nondiagnostic, None, f"{where}: nondiagnostic")
            available = available | failed
        done = ordered & available
        outcome = {"done": done, "nondiagnostic": done & failed, "positive": done & ~failed & hit,
                   "negative": done & ~failed & ~hit}
        state[name] = outcome
        if step.kind == "biopsy":
            biopsies += done
            nondiagnostic += outcome["nondiagnostic"]
        else:
            tests += done
        if step.cost:
            cost += step.cost * done
        missing = int(np.count_nonzero(ordered & ~available))
        if missing:
            unavailable[name] = missing
        flow.append({"strategy": strategy.name, "step": name, "kind": step.kind,
                     "ordered": int(np.count_nonzero(ordered)), "done": int(np.count_nonzero(done)),
                     **{k: int(np.count_nonzero(outcome[k])) for k in ("positive", "negative", "nondiagnostic")},
                     "unavailable": missing})
    call = _rule(strategy.final_rule, state, cols, f"strategy {strategy.name!r} (strategies[{index}]), positive=", n)
    return _Run(call, tests, biopsies, nondiagnostic, cost, flow, unavailable)


# --- estimates ---------------------------------------------------------------------------------------

def _mean(influence: np.ndarray, value: float, level: float, method: str, name: str) -> Estimate:
    """An estimate with the Wald interval from its per-patient influence values (mean zero)."""
    n = influence.size
    if n < 2:
        return Estimate(float(value), math.nan, math.nan, level, method, name,
                        ("no interval from a single patient",))
    se = math.sqrt(float(np.dot(influence, influence)) / (n * (n - 1.0)))
    z = z_two_sided(level)
    return Estimate(float(value), float(value - z * se), float(value + z * se), level, method, name)


def _influences(run: _Run, correct: np.ndarray, missed: np.ndarray) -> dict[str, tuple[float, np.ndarray | None]]:
    """Each yield measure's value and per-patient influence values (None: a Wilson proportion)."""
    out: dict[str, tuple[float, np.ndarray | None]] = {}
    for name, counts, scale in (("tests_per_100", run.tests, 100.0), ("biopsies_per_100", run.biopsies, 100.0),
                                ("nondiagnostic_biopsies_per_100", run.nondiagnostic, 100.0),
                                ("cost_per_patient", run.cost, 1.0)):
        x = np.multiply(counts, scale, dtype=float)
        mean = float(x.mean())
        x -= mean
        out[name] = (mean, x)
    out["missed_per_1000"] = (1000.0 * float(missed.mean()), None)
    k = float(correct.mean())
    if k > 0:
        ratio = float(run.cost.mean()) / k
        out["cost_per_correct_diagnosis"] = (ratio, (run.cost - ratio * correct) / k)  # linearised ratio of means
    else:
        out["cost_per_correct_diagnosis"] = (math.nan, None)
    return out


def _yield_estimates(values: dict[str, tuple[float, np.ndarray | None]], missed: np.ndarray,
                     level: float) -> dict[str, Estimate]:
    out = {}
    for name, (value, influence) in values.items():
        if name == "missed_per_1000":
            lower, upper = _proportion_bounds(np.float64(missed.sum()), np.float64(missed.size), level, "wilson")
            out[name] = Estimate(value, 1000 * float(lower), 1000 * float(upper), level, "Wilson", name)
        elif influence is None:
            out[name] = Estimate(math.nan, math.nan, math.nan, level, RATIO_METHOD, name,
                                 ("undefined: no correct calls",))
        else:
            out[name] = _mean(influence, value, level, RATIO_METHOD if name.startswith("cost_per_correct")
                              else MEAN_METHOD, name)
    return {name: out[name] for name in YIELDS}


def _differences(first: dict, second: dict, level: float) -> dict[str, Estimate]:
    """Paired differences (first minus second) of the yield measures, from per-patient influences."""
    out = {}
    for name in YIELDS:
        (a, ia), (b, ib) = first[name], second[name]
        if name == "missed_per_1000":
            ia, ib = first["_missed"][1], second["_missed"][1]
        if ia is None or ib is None:
            out[name] = Estimate(math.nan, math.nan, math.nan, level, PAIRED_METHOD, name,
                                 ("undefined: a strategy has no correct calls",))
            continue
        out[name] = _mean(ia - ib, a - b, level, PAIRED_METHOD, name)
    return out


# --- the result --------------------------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class PathwayEvaluation(ResultTable):
    """Work-up strategies evaluated on the same patients and compared paired.

    Attributes
    ----------
    strategies : tuple of str
        Strategy names, in the order given; ``baseline`` is the one the others are compared with.
    descriptions : tuple of str
        Each strategy's steps, rules and costs, as text.
    accuracy : tuple of AccuracyResult
        Each strategy's final call against the reference (sensitivity, specificity, PPV, NPV, ...;
        Wilson intervals).
    yields : tuple of mapping of str to Estimate
        Each strategy's tests, biopsies and non-diagnostic biopsies per 100 patients, missed
        patients with the target condition per 1,000, cost per patient and per correct call.
    comparisons : tuple of TestComparison
        Each other strategy compared with the baseline, paired (differences are strategy minus
        baseline: McNemar and Tango intervals for sensitivity and specificity, Kosinski for
        predictive values).
    yield_differences : tuple of mapping of str to Estimate
        The paired differences of the yield measures, strategy minus baseline.
    flow : DataFrame
        Patients through each step: ``strategy, step, kind, ordered, done, positive, negative,
        nondiagnostic, unavailable`` (counts).
    n, n_diseased, n_omitted : int
    target, reference, baseline : str
    level : float
    notes : tuple of str

    Methods
    -------
    to_frame(), to_dict(), plot(ax=None, strategy=None)
    """

    strategies: tuple[str, ...]
    descriptions: tuple[str, ...]
    accuracy: tuple[AccuracyResult, ...]
    yields: tuple[Any, ...]
    comparisons: tuple[TestComparison, ...]
    yield_differences: tuple[Any, ...]
    flow: pd.DataFrame
    n: int
    n_diseased: int
    target: str
    reference: str
    baseline: str
    level: float = 0.95
    n_omitted: int = 0
    notes: tuple[str, ...] = field(default=())

    key_columns = ("strategy", "compared_with")

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Work-up strategies for {self.target}: accuracy, yield and cost"

    def header_lines(self) -> list[str]:
        lines = [f"n = {self.n} patients ({self.n_diseased} with {self.target}, reference {self.reference}); "
                 f"{format_level(self.level)} confidence intervals; differences are each strategy minus "
                 f"{self.baseline!r}, paired on the same patients"]
        if self.n_omitted:
            lines.append(f"{self.n_omitted} patients omitted for a missing reference")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """One row per strategy and measure (``compared_with`` empty) and per compared strategy and
        measure (the difference from the baseline). Columns: strategy, compared_with, measure, value,
        lower, upper, level, method, notes, effect, n."""
        rows = []
        for name, acc, yields in zip(self.strategies, self.accuracy, self.yields):
            estimates = [getattr(acc, m) for m in ACCURACY] + list(yields.values())
            rows += [{"strategy": name, "compared_with": "", **e._row(), "effect": "value", "n": self.n}
                     for e in estimates]
        compared = [s for s in self.strategies if s != self.baseline]
        for name, comparison, differences in zip(compared, self.comparisons, self.yield_differences):
            estimates = [comparison[m].difference for m in ACCURACY] + list(differences.values())
            rows += [{"strategy": name, "compared_with": self.baseline, **e._row(), "measure": m,
                      "effect": "difference", "n": self.n}
                     for m, e in zip(ACCURACY + tuple(YIELDS), estimates)]
        return pd.DataFrame(rows, columns=[*self.key_columns, *CONTRACT_COLUMNS, "effect", "n"])

    def plot(self, ax: Any = None, strategy: str | None = None) -> Any:
        """Patients through one strategy's steps and its final call (default: the baseline)."""
        from ..plot.pathway import pathway_flow

        name = self.baseline if strategy is None else strategy
        if name not in self.strategies:
            raise OptionError(f"strategy={_show(strategy)} is not one of the evaluated strategies "
                              f"({', '.join(map(repr, self.strategies))}).")
        i = self.strategies.index(name)
        return pathway_flow(self.flow[self.flow["strategy"] == name], self.accuracy[i], name, ax=ax)

    def __repr__(self) -> str:
        return f"PathwayEvaluation(strategies={self.strategies!r}, n={self.n}, target={self.target!r})"


# --- the function ------------------------------------------------------------------------------------

def _strategies(strategies: Any) -> list[Strategy]:
    if isinstance(strategies, Strategy):
        strategies = [strategies]
    if not isinstance(strategies, (list, tuple)) or not strategies or \
            not all(isinstance(s, Strategy) for s in strategies):
        raise OptionError(f"strategies={_show(strategies)} must be a Strategy or a non-empty list of Strategy "
                          "objects (ds.pathway.Strategy(name, steps=[...], positive=...)).")
    names = [s.name for s in strategies]
    if len(set(names)) < len(names):
        raise OptionError(f"strategies: two strategies are named {next(n for n in names if names.count(n) > 1)!r}; "
                          "give each a different name.")
    targets = sorted({s.target for s in strategies})
    if len(targets) > 1:
        raise OptionError(f"strategies have different targets ({', '.join(map(repr, targets))}); strategies compared "
                          "on the same patients must have one target condition (Strategy(..., target=...)).")
    return list(strategies)


def _reference(data: pd.DataFrame, reference: Any, positive: Any, nan_policy: str) -> tuple[np.ndarray, np.ndarray]:
    """(keep, diseased): rows with a reference, and the target condition among them."""
    values = column(data, reference, "reference")
    keep = values.notna().to_numpy()
    if not keep.all() and nan_policy == "raise":
        raise DataError(f"reference={reference!r} is missing for {int((~keep).sum())} patients; a strategy's accuracy "
                        "needs the reference for every patient (nan_policy=\"omit\" drops them, which on observed "
                        "data with partial verification biases the estimates).")
    present = values[keep]
    if positive is None:
        numeric = present.dtype == bool or pd.api.types.is_numeric_dtype(present)
        if not numeric or not np.isin(present.to_numpy(dtype=float), (0.0, 1.0)).all():
            raise DataError(f"reference={reference!r} holds {_describe(present)}; say which value(s) mean the target "
                            "condition with positive=..., e.g. positive=[\"malignant_primary\", \"metastasis\"].")
        return keep, present.to_numpy(dtype=float) == 1.0
    labels = list(positive) if isinstance(positive, (list, tuple, set, frozenset)) else [positive]
    known = set(present.cat.categories) if isinstance(present.dtype, pd.CategoricalDtype) else set(present.unique())
    unknown = [label for label in labels if label not in known]
    text = {isinstance(v, str) for v in known}
    refused = [label for label in unknown if len(known) > 1 or {isinstance(label, str)} != text]
    if not labels or refused:  # a label absent from a one-valued reference of its kind: maybe all negative
        raise DataError(f"positive={_show(positive)}: {_show(refused[0]) if refused else 'nothing'} is not a value "
                        f"of reference={reference!r} (its values: {', '.join(sorted(map(repr, known))[:10])}).")
    return keep, present.isin(labels).to_numpy()


def evaluate(data: pd.DataFrame, strategies: Any, *, reference: Any, positive: Any = None,
             baseline: str | None = None, level: float = 0.95, nan_policy: str = "raise") -> PathwayEvaluation:
    """Evaluate work-up strategies on the same patients and compare them paired.

    Parameters
    ----------
    data : DataFrame
        One row per patient: every column the strategies read (test results 1/0/NaN or labels,
        non-diagnostic flags, yes/no columns of the rules) and the reference. A simulated cohort
        with ``complete=True`` (``ds.simulate.cohort(n, complete=True, repeat_biopsy=True)``) has
        every result for every patient, so any strategy can be evaluated on it.
    strategies : Strategy or list of Strategy
        All with the same target condition.
    reference : str
        The column of the reference standard (on simulated data the truth, ``"true_diagnosis"``).
    positive : label or list of labels, optional
        The reference value(s) meaning the target condition (needed unless it is 0/1).
    baseline : str, optional
        The strategy the others are compared with (default: the first).
    level : float, default 0.95
    nan_policy : {"raise", "omit"}, default "raise"
        Patients without a reference: an error, or omitted (and counted in ``n_omitted``).

    Returns
    -------
    PathwayEvaluation
        Per strategy: sensitivity, specificity, PPV and NPV of the final call (Wilson), tests,
        biopsies and non-diagnostic biopsies per 100 patients and cost per patient (Wald interval
        of a per-patient mean), missed patients with the target condition per 1,000 (Wilson), cost
        per correct call (ratio of means, delta method); every other strategy minus the baseline,
        paired: accuracy by :func:`diagstats.compare_tests`'s paired methods (McNemar with Tango's
        score interval; Kosinski's weighted generalised score for predictive values) and the yield
        and cost measures by the Wald interval of the per-patient differences.

    Notes
    -----
    Observed data: a strategy can only use the results that were obtained. A step the strategy
    orders for a patient who did not have it counts as not done (no result, no cost) and a note
    gives the number of such patients per step; the estimates then describe the strategy as far as
    it can be followed in these data. The paired difference of two means uses the empirical
    variance of the per-patient differences (the paired t / Wald interval); the cost per correct
    call is a ratio of two means, linearised (delta method; Cochran 1977, Sampling Techniques,
    section 6.4). Sensitivity, specificity and predictive value differences are those of
    :func:`diagstats.compare_tests` applied to two strategies' final calls (Tango 1998; Kosinski 2013).

    Examples
    --------
    >>> import diagstats as ds
    >>> df = ds.simulate.cohort(2000, seed=2, complete=True)
    >>> s = ds.pathway.Strategy("MRI", [ds.pathway.Step("mri", cost=400)], positive="mri", target="tumour")
    >>> res = ds.pathway.evaluate(df, s, reference="true_diagnosis", positive=["benign_primary",
    ...                           "malignant_primary", "metastasis"])
    >>> res.yields[0]["cost_per_patient"].value
    400.0
    """
    data = check_dataframe(data)
    items = _strategies(strategies)
    level = check_level(level)
    nan_policy = check_nan_policy(nan_policy)
    names = [s.name for s in items]
    if baseline is None:
        baseline = names[0]
    elif not isinstance(baseline, str) or baseline not in names:
        raise OptionError(f"baseline={_show(baseline)} is not one of the strategies ({', '.join(map(repr, names))}).")
    keep, diseased = _reference(data, reference, positive, nan_policy)
    n_omitted = int((~keep).sum())
    if n_omitted:
        data = data.loc[keep]
    n = len(data)
    if n == 0:
        raise DataError(f"no patients to evaluate: reference={reference!r} is missing for every patient.")
    cols = _Columns(data)
    runs = [_run(s, i, cols, n) for i, s in enumerate(items)]

    accuracy, yields, influences, notes = [], [], [], []
    for s, run in zip(items, runs):
        counts = cell_counts(diseased, run.call, run.call)
        tp, fn, fp, tn = int(counts[7]), int(counts[4]), int(counts[3]), int(counts[0])
        accuracy.append(_from_counts(tp, fp, fn, tn, level=level, ci_method="wilson", dor_method="woolf",
                                     test=s.name, reference=str(reference)))
        missed = diseased & ~run.call
        values = _influences(run, run.call == diseased, missed)
        yields.append(_yield_estimates(values, missed, level))
        values["_missed"] = (0.0, 1000.0 * (missed - missed.mean()))
        influences.append(values)
        if run.unavailable:
            where = ", ".join(f"{step}: {k}" for step, k in run.unavailable.items())
            notes.append(f"{s.name}: some patients lacked the result of a step the strategy orders ({where}); a "
                         "strategy can only use what was done in observed data, so those steps count as not done "
                         "(no result, no cost). Simulate with complete=True for counterfactual results.")

    b = names.index(baseline)
    comparisons, differences = [], []
    for i, (s, run) in enumerate(zip(items, runs)):
        if i == b:
            continue
        comparisons.append(_compare_paired(diseased, run.call, runs[b].call, names=(s.name, baseline),
                                           reference=str(reference), level=level, exact=False, continuity=False,
                                           ci_method="tango", pv_method="wgs", n_omitted=n_omitted))
        differences.append(_differences(influences[i], influences[b], level))
    notes += [f"{c.names[0]} vs {c.names[1]}: {note}" for c in comparisons for note in c.notes]
    flow = pd.DataFrame([row for run in runs for row in run.flow], columns=FLOW_COLUMNS)
    return PathwayEvaluation(
        strategies=tuple(names), descriptions=tuple(str(s) for s in items), accuracy=tuple(accuracy),
        yields=tuple(yields), comparisons=tuple(comparisons), yield_differences=tuple(differences), flow=flow,
        n=n, n_diseased=int(diseased.sum()), target=items[0].target, reference=str(reference), baseline=baseline,
        level=level, n_omitted=n_omitted, notes=tuple(notes))
