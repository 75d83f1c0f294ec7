"""Decision curve analysis: the net benefit of acting on a test or a model (Vickers & Elkin 2006).

At a threshold probability t (the risk at which a patient would accept treatment, biopsy or
work-up), acting on a strategy gives net benefit NB(t) = TP/n - FP/n x t / (1 - t) - harm,
true positives gained minus false positives weighted by the odds of the threshold. The
defaults are treat all (NB = prevalence - (1 - prevalence) x t / (1 - t)) and treat none (0).
The same curves read as net interventions avoided, (NB - NB of treat all) / (t / (1 - t)): the
biopsies (or other interventions) spared per patient, net of the cancers missed (Vickers et al. 2008).
With a time to event (``time=``, ``horizon=``) the outcome is the event by the horizon, its risk among
the patients treated estimated by Kaplan-Meier (Vickers et al. 2008), as in dcurves' ``dca(Surv(...))``.

>>> import numpy as np, pandas as pd, diagstats as ds
>>> df = pd.DataFrame({"malignant": [1, 1, 1, 0, 0, 0, 0, 0], "biopsy_positive": [1, 1, 0, 1, 0, 0, 0, 0]})
>>> res = ds.decision_curve(df, reference="malignant", predictors=["biopsy_positive"], thresholds=[0.25],
...                         n_boot=None)
>>> res.to_frame()[["strategy", "threshold", "measure", "value"]]
          strategy  threshold      measure     value
0  biopsy_positive       0.25  net_benefit  0.208333
1        treat all       0.25  net_benefit  0.166667
2       treat none       0.25  net_benefit  0.000000
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._core.bootstrap import percentile_interval, resampled_counts
from .._input import (_show, as_binary, as_generator, as_numeric, check_dataframe, check_flag, check_level,
                      check_n_boot, check_number, check_probability, check_progress, column, column_names,
                      complete_cases, renamed_arguments)
from ..errors import DataError, OptionError
from ..results import ResultTable, format_level

__all__ = ["decision_curve", "DecisionCurveResult"]

TREAT_ALL, TREAT_NONE = "treat all", "treat none"
DEFAULT_THRESHOLDS = np.arange(0.01, 0.5, 0.01)


@dataclass(frozen=True, repr=False)
class DecisionCurveResult(ResultTable):
    """Net benefit of each strategy over a grid of threshold probabilities.

    Attributes
    ----------
    strategies : tuple of str
        The predictors, then "treat all" and "treat none".
    kinds : dict of str to str
        "probability" or "binary test" for each predictor.
    thresholds : ndarray of shape (T,)
        Threshold probabilities, ascending.
    net_benefit, lower, upper : ndarray of shape (S, T)
        Net benefit and its percentile bootstrap interval (NaN when ``n_boot=None``), a row per strategy.
    net_interventions_avoided : ndarray of shape (S, T)
        (net benefit - net benefit of treat all) / (t / (1 - t)), per patient (x 100: per 100
        patients); NaN at a threshold of 0. Intervals: :meth:`interventions_avoided`.
    replicates : ndarray of shape (n_boot, S, T)
        Bootstrap net benefits (paired: the same resampled patients for every strategy).
    n, prevalence, harm, level, n_boot, seed, n_omitted, reference (the reference standard's column), notes
    prevalence_given : bool
        True when ``prevalence`` was given by the user (case-control data), not estimated.
    time, horizon : str and float, or None
        For a time-to-event outcome: the column of follow-up times and the horizon; ``prevalence`` is
        then the Kaplan-Meier risk of the event by the horizon.

    Methods
    -------
    to_frame(), difference(a, b), interventions_avoided(strategy, per), plot(ax=None), to_html(), to_dict()
    """

    strategies: tuple[str, ...]
    kinds: dict[str, str]
    thresholds: np.ndarray
    net_benefit: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    replicates: np.ndarray
    n: int
    prevalence: float
    harm: dict[str, float]
    net_interventions_avoided: np.ndarray
    reference: str
    level: float
    n_boot: int
    seed: Any
    n_omitted: int = 0
    prevalence_given: bool = False
    time: str | None = None
    horizon: float | None = None
    notes: tuple[str, ...] = field(default=())

    title = "Decision curve analysis"
    key_columns = ("strategy", "threshold")
    dict_exclude = ("replicates",)  # n_boot x strategies x thresholds: read them from the attribute

    def __repr__(self) -> str:
        return (f"DecisionCurveResult(strategies={list(self.strategies)}, thresholds={self.thresholds.size}, "
                f"n={self.n}, n_boot={self.n_boot})")

    def header_lines(self) -> list[str]:
        given = " (given: case-control data)" if self.prevalence_given else ""
        if self.time is not None:
            outcome = (f"Kaplan-Meier risk of {self.reference} by {self.time} = {self.horizon:g}: "
                       f"{self.prevalence:.3f}")
        else:
            outcome = f"prevalence of {self.reference} {self.prevalence:.3f}{given}"
        lines = [f"{self.n} patients, {outcome}; "
                 f"thresholds {self.thresholds[0]:g} to {self.thresholds[-1]:g} ({self.thresholds.size})"]
        if self.n_boot:
            lines.append(f"{format_level(self.level)} percentile bootstrap intervals (n_boot={self.n_boot}, "
                         f"seed={self.seed})")
        if self.harm:
            lines.append("harm subtracted: " + ", ".join(f"{k} {v:g}" for k, v in self.harm.items()))
        if self.n_omitted:
            lines.append(f"{self.n_omitted} patient(s) with missing values omitted")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per strategy and threshold: ``strategy, threshold``, then ``measure``
        (``"net_benefit"``), ``value, lower, upper, level, method, notes``, then the domain column
        ``net_interventions_avoided`` (per patient; NaN at a threshold of 0)."""
        s, t = len(self.strategies), self.thresholds.size
        method = f"percentile bootstrap (n_boot={self.n_boot})" if self.n_boot else ""
        return pd.DataFrame({"strategy": np.repeat(self.strategies, t), "threshold": np.tile(self.thresholds, s),
                             "measure": "net_benefit", "value": self.net_benefit.ravel(),
                             "lower": self.lower.ravel(), "upper": self.upper.ravel(),
                             "level": self.level if self.n_boot else np.nan, "method": method, "notes": "",
                             "net_interventions_avoided": self.net_interventions_avoided.ravel()})

    def strategy_index(self, name: str) -> int:
        """The row of strategy ``name`` in ``net_benefit``, ``lower`` and ``upper``."""
        if name not in self.strategies:
            raise OptionError(f"{name!r} is not a strategy of this result; its strategies are "
                              f"{_show(list(self.strategies))}.")
        return self.strategies.index(name)

    def difference(self, a: str, b: str) -> pd.DataFrame:
        """Net benefit of strategy ``a`` minus ``b`` at each threshold, with a paired bootstrap interval.

        Returns a frame ``threshold, difference, lower, upper`` (intervals NaN when ``n_boot=None``).
        """
        i, j = self.strategy_index(a), self.strategy_index(b)
        diff = self.net_benefit[i] - self.net_benefit[j]
        if self.n_boot:
            lower, upper = percentile_interval(self.replicates[:, i] - self.replicates[:, j], self.level)
        else:
            lower = upper = np.full(diff.shape, np.nan)
        return pd.DataFrame({"threshold": self.thresholds, "difference": diff, "lower": lower, "upper": upper})

    def interventions_avoided(self, strategy: str, per: int = 100) -> pd.DataFrame:
        """Net interventions avoided by ``strategy`` per ``per`` patients, against treating everyone.

        (NB(strategy) - NB(treat all)) / (t / (1 - t)) x ``per`` at each threshold t: the
        interventions (e.g. biopsies) spared, net of the cases missed, with a percentile interval
        from the paired bootstrap (NaN when ``n_boot=None``). Undefined (NaN) at a threshold of 0.
        Returns a frame ``threshold, net_interventions_avoided, lower, upper``.
        """
        i = self.strategy_index(strategy)
        per = check_number(per, "per", low=0, strict=True, what="patients")
        value = per * self.net_interventions_avoided[i]
        if self.n_boot:
            reps = per * _avoided(self.replicates[:, i], self.replicates[:, self.strategy_index(TREAT_ALL)],
                                  self.thresholds)
            lower, upper = percentile_interval(reps, self.level)
        else:
            lower = upper = np.full(value.shape, np.nan)
        return pd.DataFrame({"threshold": self.thresholds, "net_interventions_avoided": value, "lower": lower,
                             "upper": upper})

    def plot(self, ax: Any = None, strategies: Sequence[str] | None = None, intervals: bool = True) -> Any:
        """Decision curves (net benefit against threshold), with interval bands when bootstrapped."""
        from ..plot.utility import decision_curves
        return decision_curves(self, ax=ax, strategies=strategies, intervals=check_flag(intervals, "intervals"))


def _thresholds(thresholds: Any) -> np.ndarray:
    t = np.atleast_1d(check_probability(thresholds, "thresholds")).ravel()
    if t.size == 0:
        raise OptionError("thresholds is empty; give threshold probabilities, e.g. np.arange(0.01, 0.5, 0.01).")
    if np.any(t >= 1):
        raise OptionError(f"thresholds={_show(thresholds)} include 1, whose odds t / (1 - t) are infinite; give "
                          "thresholds in [0, 1), e.g. np.arange(0, 0.5, 0.01).")
    return np.unique(t)


def _avoided(net_benefit: np.ndarray, treat_all: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Net interventions avoided per patient, (NB - NB(treat all)) / (t / (1 - t)); NaN where t = 0."""
    odds = thresholds / (1 - thresholds)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(odds > 0, (net_benefit - treat_all) / np.where(odds > 0, odds, 1.0), np.nan)


def _harm(harm: Mapping[str, float] | None, predictors: list[str]) -> dict[str, float]:
    if harm is None:
        return {}
    if not isinstance(harm, Mapping):
        raise OptionError(f"harm={_show(harm)} must be a dict from predictor name to harm, e.g. {{'ct': 0.01}}.")
    unknown = [k for k in harm if k not in predictors]
    if unknown:
        raise OptionError(f"harm names {_show(unknown)}, which are not among predictors {_show(predictors)}.")
    out = {}
    for k, v in harm.items():
        out[k] = check_number(v, f"harm[{k!r}]", low=0, what="net benefit units")
    return out


def _net_benefit(counts: np.ndarray, n_bins: int, weight: np.ndarray, n: int,
                 prevalence: float | None = None) -> np.ndarray:
    """Net benefit from counts per (threshold bin, outcome) cell, row-wise: shape (rows, T).

    With ``prevalence`` (case-control data) the true- and false-positive rates are the fractions
    treated among the cases and among the controls, weighted by the given prevalence.
    """
    cases, controls = counts[:, 1::2], counts[:, 0::2]
    # patients in bin k have exactly k thresholds at or below their probability: treated at t_j iff k > j
    n_cases, n_controls = cases.sum(axis=1, keepdims=True), controls.sum(axis=1, keepdims=True)
    tp = n_cases - np.cumsum(cases, axis=1)[:, : n_bins - 1]
    fp = n_controls - np.cumsum(controls, axis=1)[:, : n_bins - 1]
    if prevalence is None:
        return tp / n - fp / n * weight
    with np.errstate(invalid="ignore", divide="ignore"):  # a replicate without cases or controls: NaN
        return tp / n_cases * prevalence - fp / n_controls * (1 - prevalence) * weight


def _kaplan_meier_risk(cells: np.ndarray) -> np.ndarray:
    """Kaplan-Meier risk by the horizon from cell counts of shape (..., m + 1, 2).

    Cell ``[k, e]`` counts the patients followed up to at least the k-th event time (of the m before
    the horizon) and not to the (k + 1)-th, ``e = 1`` when their own event (by the horizon) is at that
    time. At risk at event time k: the patients of cells k and above; events: cell ``[k, 1]``.
    """
    at_risk = np.cumsum(cells.sum(axis=-1)[..., ::-1], axis=-1)[..., ::-1][..., 1:]
    events = cells[..., 1:, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        factors = np.where(at_risk > 0, 1 - events / np.where(at_risk > 0, at_risk, 1), 1.0)
    return 1 - np.prod(factors, axis=-1)


def _survival_net_benefit(counts: np.ndarray, n_bins: int, n_cells: int, weight: np.ndarray,
                          n: int) -> np.ndarray:
    """Net benefit at a horizon from counts per (threshold bin, follow-up cell), row-wise: shape (rows, T).

    At threshold t_j the treated are the patients of bins above j; among them the risk r is the
    Kaplan-Meier risk by the horizon, and NB = r P(treated) - (1 - r) P(treated) t / (1 - t)
    (Vickers et al. 2008); 0 when no one is treated.
    """
    cells = counts.reshape(len(counts), n_bins, n_cells // 2, 2)
    # the treated at threshold j are the bins above j: suffix sums over the bins, (rows, T, follow-up cells)
    followed = np.cumsum(cells.sum(axis=3)[:, ::-1], axis=1)[:, -2::-1]
    events = np.cumsum(cells[:, ::-1, 1:, 1], axis=1)[:, -2::-1]
    share = followed.sum(axis=2) / n
    # Kaplan-Meier among them (as _kaplan_meier_risk): at risk at event time k, the cells k and above
    at_risk = np.cumsum(followed[..., ::-1], axis=2)[..., -2::-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        factors = 1 - events / at_risk
    factors[at_risk == 0] = 1.0
    risk = 1 - np.prod(factors, axis=2)
    return np.where(share > 0, risk * share - (1 - risk) * share * weight, 0.0)


@renamed_arguments(outcome="reference")
def decision_curve(data: pd.DataFrame, reference: str, predictors: Sequence[str], *, positive: Any = None,
                   thresholds: Any = DEFAULT_THRESHOLDS, harm: Mapping[str, float] | None = None,
                   prevalence: float | None = None, time: str | None = None, horizon: float | None = None,
                   n_boot: int = 1000, level: float = 0.95, seed: Any = 0, nan_policy: str = "raise",
                   progress: bool = True) -> DecisionCurveResult:
    """Net benefit of predicted probabilities and binary tests against treat all / treat none.

    Parameters
    ----------
    data : DataFrame
        One patient per row.
    reference : str
        The reference standard: the binary outcome column (0/1, booleans, or two labels with
        ``positive=``).
    predictors : sequence of str
        Columns of predicted probabilities (values in [0, 1]; a patient is treated when the
        probability is at least the threshold) or of binary test results (0/1 or booleans;
        treated when positive, giving one net benefit per threshold).
    positive : optional
        The reference label meaning diseased, needed unless the reference is 0/1 or boolean.
    thresholds : array-like, default ``np.arange(0.01, 0.5, 0.01)``
        Threshold probabilities in [0, 1) (sorted, duplicates dropped). At 0 the net benefit is the
        true-positive fraction (false positives cost nothing) and net interventions avoided are undefined.
    harm : dict of str to float, optional
        Harm of a strategy in net benefit units (e.g. the burden of measuring a marker),
        subtracted from its net benefit at every threshold.
    prevalence : float, optional
        For case-control data, whose share of cases is set by design: the prevalence in the population
        the decision concerns. Net benefit is then sensitivity x prevalence - (1 - specificity) x
        (1 - prevalence) x t / (1 - t) (Pepe et al. 2016); by default the prevalence is the sample's.
    time : str, optional
        For a time-to-event outcome: the column of follow-up times (>= 0); ``reference`` is then the
        event indicator (1 = event, 0 = censored). Needs ``horizon``.
    horizon : float, optional
        The time by which the event counts (in the units of ``time``). Among the patients treated at
        threshold t, the risk of the event by the horizon is the Kaplan-Meier estimate r, and
        NB = r x P(treated) - (1 - r) x P(treated) x t / (1 - t); treat all uses everyone's Kaplan-Meier
        risk (Vickers et al. 2008). Not with ``prevalence``.
    n_boot : int, default 1000
        Bootstrap replicates (>= 20) for the percentile intervals; None for none.
    level : float, default 0.95
    seed : int, SeedSequence or Generator, default 0
    nan_policy : {"raise", "omit"}, default "raise"
    progress : bool, default True
        Show a progress bar during the bootstrap.

    Returns
    -------
    DecisionCurveResult
        ``to_frame()``, ``difference(a, b)``, ``interventions_avoided(strategy, per=100)``, ``plot()``.

    Notes
    -----
    Net benefit follows Vickers & Elkin (2006): treating patients whose predicted risk is at least
    t gives NB(t) = TP/n - FP/n x t/(1 - t). Counts are made once per threshold bin (each patient
    falls in the bin of the number of thresholds at or below its probability), so the curves cost
    O(n log T); the bootstrap resamples patients jointly for all strategies (a replicates x n
    index matrix, in chunks) and counts the bins of every replicate at once, so differences
    between strategies get paired intervals. Net interventions avoided (Vickers et al. 2008) are
    (NB - NB of treat all) / (t / (1 - t)), as dcurves' ``net_intervention_avoided()``. Parity: the
    net benefits printed in the R dcurves vignette (binary strategies with and without harm, treat
    all) agree to the printed digits, and dcurves' benchmark tables (thresholds from 0, net
    interventions avoided) to 1e-10; see tests/markers/test_decision.py. Time-to-event curves agree with
    dcurves' published R benchmark on ``df_surv`` (horizon 1.5) and with R's ``survival::survfit`` to 1e-10.

    References
    ----------
    Vickers AJ, Elkin EB (2006). Decision curve analysis: a novel method for evaluating prediction
    models. Medical Decision Making 26:565-574.
    Vickers AJ, Cronin AM, Elkin EB, Gonen M (2008). Extensions to decision curve analysis. BMC Med
    Inform Decis Mak 8:53.
    Pepe MS, Janes H, Li CI, Bossuyt PM, Feng Z, Hilden J (2016). Early-phase studies of biomarkers:
    what target sensitivity and specificity values might confer clinical utility? Clin Chem 62:737-742.
    """
    check_dataframe(data, what="one row per patient")
    predictors = column_names(predictors, "predictors", example="['risk', 'mri']")
    clash = [p for p in predictors if p in (TREAT_ALL, TREAT_NONE)] + \
        [p for p in set(predictors) if predictors.count(p) > 1]
    if clash:
        raise DataError(f"predictors {_show(clash)} repeat or clash with the default strategies 'treat all'/"
                        "'treat none'; rename those columns.")
    level = check_level(level)
    t = _thresholds(thresholds)
    harms = _harm(harm, predictors)
    if prevalence is not None:
        prevalence = check_probability(prevalence, "prevalence", open_interval=True, scalar=True)
    if (time is None) != (horizon is None):
        raise OptionError("time= and horizon= go together: give the column of follow-up times and the horizon "
                          "(e.g. time='years', horizon=1.5), or neither for a binary outcome.")
    if time is not None:
        horizon = check_number(horizon, "horizon", low=0, strict=True, what="time units")
        if prevalence is not None:
            raise OptionError("prevalence= is for case-control data with a binary outcome; with time= the risk "
                              "by the horizon is estimated by Kaplan-Meier. Drop prevalence=.")
    n_boot = check_n_boot(n_boot, allow_none=True)
    progress = check_progress(progress)
    rng = as_generator(seed)

    arrays = {f"reference {reference!r}": column(data, reference, "reference").to_numpy()}
    if time is not None:
        arrays[f"time {time!r}"] = as_numeric(column(data, time, "time").to_numpy(), f"time {time!r}")
    for p in predictors:
        values = column(data, p, "predictors").to_numpy()
        arrays[p] = values.astype(float) if values.dtype.kind == "b" else as_numeric(values, f"predictor {p!r}")
    complete = complete_cases(arrays, nan_policy)
    y = as_binary(complete.arrays.pop(f"reference {reference!r}"), f"reference {reference!r}", positive,
                  require_both=time is None).values
    follow_up = complete.arrays.pop(f"time {time!r}") if time is not None else None
    if follow_up is not None and np.any(follow_up < 0):
        raise DataError(f"time {time!r} has {int((follow_up < 0).sum())} negative value(s) (e.g. "
                        f"{follow_up[follow_up < 0][0]:g}); follow-up times must be >= 0.")
    kinds = {}
    for p, values in complete.arrays.items():
        outside = (values < 0) | (values > 1)
        if outside.any():
            raise DataError(f"predictor {p!r} has {int(outside.sum())} value(s) outside [0, 1] (e.g. "
                            f"{values[outside][0]:g}); decision curves need predicted probabilities or 0/1 test "
                            "results. Turn a marker into a probability with a model first (e.g. logistic "
                            "regression), or dichotomise it at a cutpoint.")
        kinds[p] = "binary test" if np.all((values == 0) | (values == 1)) else "probability"
    n, n_bins = y.size, t.size + 1
    weight = t / (1 - t)
    # a probability is treated at every threshold at or below it; a binary test when positive (also at t = 0)
    if follow_up is None:
        outcome, n_cells = y.astype(np.int64), 2
    else:
        # the follow-up cell of each patient: how many event times (before the horizon) it reaches, and
        # whether its own event, by the horizon, is the last of them (see _kaplan_meier_risk)
        event_by_horizon = y & (follow_up <= horizon)
        event_times = np.unique(follow_up[event_by_horizon])
        outcome = 2 * np.searchsorted(event_times, follow_up, side="right") + event_by_horizon
        n_cells = 2 * (event_times.size + 1)
    codes = [n_cells * (np.where(complete.arrays[p] == 1, t.size, 0) if kinds[p] == "binary test"
                        else np.searchsorted(t, complete.arrays[p], side="right")) + outcome for p in predictors]
    codes.append(outcome)  # treat all: every patient in the top bin is the same as counting the outcome
    harm_vec = np.array([harms.get(p, 0.0) for p in predictors])[:, None]

    def strategy_curves(counts: np.ndarray) -> np.ndarray:
        """(rows, S, T) net benefits from the side-by-side cell counts of one chunk."""
        blocks = np.split(counts, np.cumsum([n_cells * n_bins] * len(predictors)), axis=1)
        if follow_up is None:
            model = np.stack([_net_benefit(b, n_bins, weight, n, prevalence) for b in blocks[:-1]], axis=1)
            prev = blocks[-1][:, 1:2] / n if prevalence is None else np.full((len(counts), 1), prevalence)
        else:
            model = np.stack([_survival_net_benefit(b, n_bins, n_cells, weight, n) for b in blocks[:-1]], axis=1)
            prev = _kaplan_meier_risk(blocks[-1].reshape(len(counts), n_cells // 2, 2))[:, None]
        model = model - harm_vec
        treat_all = prev - (1 - prev) * weight
        return np.concatenate([model, treat_all[:, None, :], np.zeros_like(treat_all)[:, None, :]], axis=1)

    sizes = [n_cells * n_bins] * len(predictors) + [n_cells]
    point = strategy_curves(np.hstack([np.bincount(c, minlength=k) for c, k in zip(codes, sizes)])[None, :])[0]
    if n_boot:
        reps = np.concatenate([strategy_curves(chunk) for chunk in resampled_counts(codes, sizes, n_boot, rng,
                                                                                   progress)])
        lower, upper = percentile_interval(reps, level)
    else:
        reps = np.empty((0,) + point.shape)
        lower = upper = np.full(point.shape, np.nan)
    notes = [f"{p}: binary test (treated when positive)" for p, k in kinds.items() if k == "binary test"]
    if prevalence is not None:
        notes.append(f"prevalence {prevalence:g} given (case-control data; the sample's share of cases, "
                     f"{y.mean():.3f}, is set by design): net benefit from sensitivity and specificity")
    if follow_up is not None:
        notes.append(f"time to event: the risk of {reference} by {time} = {horizon:g} among the patients treated "
                     "is the Kaplan-Meier estimate (Vickers et al. 2008)")
        if horizon > follow_up.max():
            notes.append(f"horizon {horizon:g} is beyond the longest follow-up ({follow_up.max():g}): the "
                         "Kaplan-Meier risk is carried forward from the last follow-up")
    if t[0] == 0:
        notes.append("threshold 0: net benefit is the true-positive fraction; net interventions avoided undefined")
    strategies = tuple(predictors) + (TREAT_ALL, TREAT_NONE)
    avoided = _avoided(point, point[len(predictors)], t)
    if follow_up is not None:   # reported as the prevalence: everyone's Kaplan-Meier risk by the horizon
        prevalence = float(_kaplan_meier_risk(np.bincount(outcome, minlength=n_cells).reshape(n_cells // 2, 2)))
    return DecisionCurveResult(
        strategies=strategies, kinds=kinds, thresholds=t, net_benefit=point, net_interventions_avoided=avoided,
        lower=lower, upper=upper, replicates=reps, n=n,
        prevalence=float(y.mean()) if prevalence is None else prevalence,
        prevalence_given=prevalence is not None and follow_up is None, time=None if time is None else str(time),
        horizon=horizon,
        harm=harms,
        reference=str(reference), level=level, n_boot=n_boot or 0,
        seed=seed if not isinstance(seed, np.random.Generator) else "Generator", n_omitted=complete.n_omitted,
        notes=tuple(notes))
