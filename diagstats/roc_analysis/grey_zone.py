"""The grey zone of a quantitative test: two cut-offs and the indeterminate range between them.

Coste & Pouchot (2003) replace the single cut-off of a continuous test by two. Below the
*rule-out* cut-off the test is called negative; it is the highest threshold that keeps the
sensitivity at least the target (0.90 by default), so at most 10% of the diseased fall below it.
At or above the *rule-in* cut-off the test is called positive; it is the lowest threshold whose
specificity reaches the target. Patients between the two are in the grey zone: the test does not
decide for them. The result gives both cut-offs, the share of patients (and of cases and controls)
in the zone, and the accuracy of the test outside it: sensitivity, specificity, accuracy and
predictive values of the decided patients. When the two cut-offs cross, one threshold meets both
targets: there is no grey zone and the rule-out cut-off classifies every patient.

Two given cut-offs (``cutoffs=(low, high)``) are evaluated the same way (a zone fixed in advance,
as cutpointr's users ask for in its issue 62).

Intervals: stratified bootstrap percentile (the shared engine), the cut-offs re-chosen in every
replicate (Coste & Pouchot's own intervals also come from resampling).

References
----------
Coste J, Pouchot J (2003). A grey zone for quantitative diagnostic and screening tests.
International Journal of Epidemiology 32:304-313.

>>> import diagstats as ds
>>> res = ds.roc([0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
>>> zone = res.grey_zone(sensitivity=0.9, specificity=0.9, n_boot=None)
>>> zone.rule_out, zone.rule_in
(5.0, 10.0)
>>> zone.counts.loc["grey zone", ["cases", "controls"]].tolist()   # cases 5, 7, 8 and controls 6, 9 undecided
[3, 2]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._core.bootstrap import outside_interval_note, percentile_interval, undefined_replicates_note
from .._input import _show, as_seed_sequence, check_level, check_n_boot, check_probability, seed_label
from ..errors import OptionError
from ..results import Estimate, ResultTable, estimates_frame

#: The measures of a grey zone, in the order of the statistic's columns (after the two cut-offs).
MEASURES = ("sensitivity at the rule-out cut-off", "specificity at the rule-in cut-off", "patients in the grey zone",
            "cases in the grey zone", "controls in the grey zone", "sensitivity outside the grey zone",
            "specificity outside the grey zone", "accuracy outside the grey zone",
            "PPV at or beyond the rule-in cut-off", "NPV beyond the rule-out cut-off")


@dataclass(frozen=True, repr=False)
class GreyZoneResult(ResultTable):
    """Two cut-offs of a continuous test with the grey zone between them (Coste & Pouchot 2003).

    Attributes
    ----------
    rule_out, rule_in : float
        The cut-offs on the score's scale. Negative: score below ``rule_out`` (above, for
        ``direction="lower"``); positive: score at or beyond ``rule_in``; the grey zone between.
    estimates : tuple of Estimate
        The cut-offs and the measures (see ``to_frame()``), with bootstrap percentile intervals.
    counts : DataFrame
        Cases and controls called negative, in the grey zone, and positive (rows indexed by ``decision``).
    sensitivity_target, specificity_target : float or None
        The targets that chose the cut-offs (None when the cut-offs were given).
    direction : str
    """

    rule_out: float
    rule_in: float
    estimates: tuple[Estimate, ...]
    counts: pd.DataFrame
    sensitivity_target: float | None = None
    specificity_target: float | None = None
    direction: str = "higher"
    notes: tuple[str, ...] = field(default=())

    title = "Grey zone of a quantitative test (Coste & Pouchot 2003)"

    def header_lines(self) -> list[str]:
        below, above = ("<", ">=") if self.direction == "higher" else (">", "<=")
        how = (f"targets: sensitivity >= {self.sensitivity_target:g}, specificity >= {self.specificity_target:g}"
               if self.sensitivity_target is not None else "cut-offs given")
        return [f"negative if score {below} {self.rule_out:g}, positive if score {above} {self.rule_in:g}, "
                f"grey zone between ({how})"]

    def to_frame(self) -> pd.DataFrame:
        return estimates_frame(list(self.estimates))

    def __getitem__(self, name: str) -> Estimate:
        """An estimate by name, e.g. ``zone["patients in the grey zone"]``."""
        for estimate in self.estimates:
            if estimate.name == name:
                return estimate
        raise KeyError(f"{name!r}; the estimates are {[e.name for e in self.estimates]}")

    def __repr__(self) -> str:
        share = self["patients in the grey zone"].value
        return f"GreyZoneResult(rule_out={self.rule_out!r}, rule_in={self.rule_in!r}, in_zone={share:.3f})"


def cumulative_positives(cases: np.ndarray, controls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """tp and fp (row-wise) at every threshold: the distinct values ascending, then +inf (nobody positive)."""
    c2, k2 = np.atleast_2d(cases), np.atleast_2d(controls)
    zero = np.zeros((len(c2), 1))
    return (np.concatenate([np.cumsum(c2[:, ::-1], axis=1)[:, ::-1], zero], axis=1),
            np.concatenate([np.cumsum(k2[:, ::-1], axis=1)[:, ::-1], zero], axis=1))


def target_cutoffs(tp: np.ndarray, fp: np.ndarray, sensitivity: float, specificity: float):
    """Threshold indices (row-wise) of the rule-out and the rule-in cut-offs for the targets."""
    m, n = tp[:, :1], fp[:, :1]
    rule_out = (tp / m >= sensitivity).sum(axis=1) - 1     # sensitivity falls along the thresholds
    rule_in = tp.shape[1] - ((n - fp) / n >= specificity).sum(axis=1)   # specificity rises
    return rule_out, rule_in


def zone_measures(tp: np.ndarray, fp: np.ndarray, rule_out: np.ndarray, rule_in: np.ndarray) -> np.ndarray:
    """The :data:`MEASURES` (one row per curve) for the cut-offs at threshold indices ``rule_out``, ``rule_in``."""
    rows = np.arange(len(tp))
    m, n = tp[:, 0], fp[:, 0]
    rule_in = np.maximum(rule_in, rule_out)   # crossed cut-offs: no zone, the rule-out cut-off decides
    tp_out, fp_out = tp[rows, rule_out], fp[rows, rule_out]   # at or beyond the rule-out cut-off
    true_pos, false_pos = tp[rows, rule_in], fp[rows, rule_in]
    cases_zone, controls_zone = tp_out - true_pos, fp_out - false_pos
    false_neg, true_neg = m - tp_out, n - fp_out
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.column_stack([
            tp_out / m, (n - false_pos) / n, (cases_zone + controls_zone) / (m + n), cases_zone / m,
            controls_zone / n, true_pos / (true_pos + false_neg), true_neg / (true_neg + false_pos),
            (true_pos + true_neg) / (m + n - cases_zone - controls_zone), true_pos / (true_pos + false_pos),
            true_neg / (true_neg + false_neg)])


def _check_target(value, name: str) -> float:
    value = check_probability(value, name, scalar=True)
    if value == 0:
        raise OptionError(f"{name}=0 is no target: every threshold meets it. Give the least acceptable {name}, "
                          f"e.g. {name}=0.9.")
    return value


def _check_cutoffs(cutoffs) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in cutoffs)
    except (TypeError, ValueError):
        raise OptionError(f"cutoffs={_show(cutoffs)} must be a pair (low, high) of numbers on the score's "
                          "scale, e.g. cutoffs=(30, 40).") from None
    if not (np.isfinite(low) and np.isfinite(high)):
        raise OptionError(f"cutoffs={_show(cutoffs)} must be finite numbers on the score's scale.")
    return min(low, high), max(low, high)


def grey_zone(roc, sensitivity=None, specificity=None, *, cutoffs=None, n_boot: int | None = 2000,
              level: float | None = None, seed=0, progress: bool = True) -> GreyZoneResult:
    """The grey zone of ``roc`` (a :class:`~diagstats.ROCResult`); see :meth:`ROCResult.grey_zone`."""
    values = roc.counts.values
    thresholds = roc._original(np.append(values, np.inf))
    tp, fp = cumulative_positives(roc.counts.cases, roc.counts.controls)
    notes: list[str] = []
    if cutoffs is None:
        sensitivity = _check_target(0.9 if sensitivity is None else sensitivity, "sensitivity")
        specificity = _check_target(0.9 if specificity is None else specificity, "specificity")
        rule_out, rule_in = target_cutoffs(tp, fp, sensitivity, specificity)
        out_value, in_value = float(thresholds[rule_out[0]]), float(thresholds[rule_in[0]])
        if not np.isfinite(in_value):
            notes.append(f"no threshold below the largest score reaches specificity {specificity:g}: nobody is "
                         "ruled in, every patient not ruled out is in the grey zone")
    else:
        if sensitivity is not None or specificity is not None:
            raise OptionError("Give either targets (sensitivity=0.9, specificity=0.9) or cutoffs=(low, high), "
                              "not both.")
        low, high = _check_cutoffs(cutoffs)
        oriented = np.sort(roc._original(np.array([low, high])))
        rule_out, rule_in = (np.searchsorted(values, oriented, side="left")[:, None])
        out_value, in_value = (float(roc._original(v)) for v in oriented)
    measures = zone_measures(tp, fp, rule_out, rule_in)[0]
    if rule_in[0] <= rule_out[0]:
        notes.append("the cut-offs cross: one threshold meets both targets, there is no grey zone and the rule-out "
                     "cut-off classifies every patient" if cutoffs is None else
                     "the two cut-offs are equal: there is no grey zone")
    zone_in = max(rule_in[0], rule_out[0])
    m, n = roc.n_cases, roc.n_controls
    decisions = ["negative", "grey zone", "positive"]
    counts = pd.DataFrame({"cases": np.array([m - tp[0, rule_out[0]], tp[0, rule_out[0]] - tp[0, zone_in],
                                              tp[0, zone_in]], dtype=int),
                           "controls": np.array([n - fp[0, rule_out[0]], fp[0, rule_out[0]] - fp[0, zone_in],
                                                 fp[0, zone_in]], dtype=int)},
                          index=pd.Index(decisions, name="decision"))
    names = ("rule-out cut-off", "rule-in cut-off", *MEASURES)
    values_all = np.concatenate([[out_value, in_value], measures])
    fixed = cutoffs is not None
    if check_n_boot(n_boot, allow_none=True) is None:
        no_ci = ("no interval (n_boot=None)",)
        estimates = tuple(Estimate(float(v), np.nan, np.nan, roc.level, "", name, no_ci if not (fixed and i < 2)
                                   else ("given",)) for i, (name, v) in enumerate(zip(names, values_all)))
    else:
        level = roc.level if level is None else check_level(level)
        seeds = as_seed_sequence(seed)

        def statistic(cases, controls):
            tp_b, fp_b = cumulative_positives(cases, controls)
            if fixed:
                out_b, in_b = np.full(len(tp_b), rule_out[0]), np.full(len(tp_b), rule_in[0])
            else:
                out_b, in_b = target_cutoffs(tp_b, fp_b, sensitivity, specificity)
            return np.column_stack([thresholds[out_b], thresholds[in_b], zone_measures(tp_b, fp_b, out_b, in_b)])

        reps = roc._bootstrap(statistic, n_boot, seeds, progress, instead="n_boot=None")
        method = f"bootstrap percentile ({n_boot} stratified replicates, {seed_label(seed, seeds)})"
        estimates = tuple(_estimate(name, float(v), reps[:, i], level, method, fixed and i < 2)
                          for i, (name, v) in enumerate(zip(names, values_all)))
    undefined = [e.name for e in estimates[2:] if np.isnan(e.value)]
    if undefined:
        notes.append(f"undefined (no patient to compute it on): {', '.join(undefined)}")
    return GreyZoneResult(rule_out=out_value, rule_in=in_value, estimates=estimates, counts=counts,
                          sensitivity_target=None if fixed else sensitivity,
                          specificity_target=None if fixed else specificity, direction=roc.direction,
                          notes=tuple(notes))


def _estimate(name: str, value: float, reps: np.ndarray, level: float, method: str, given: bool) -> Estimate:
    if given:
        return Estimate(value, np.nan, np.nan, level, "", name, ("given",))
    if np.isinf(value):   # no threshold reaches the target: nobody is ruled in, a bound is meaningless
        return Estimate(value, np.nan, np.nan, level, method, name,
                        ("no interval: no threshold of the data reaches the target, so nobody is decided by it",))
    with np.errstate(invalid="ignore"):
        reps = np.where(np.isfinite(reps), reps, np.nan)   # a replicate that rules nobody in: no finite cut-off
    lower, upper = percentile_interval(reps, level)
    notes = undefined_replicates_note(reps) + outside_interval_note(name, value, lower, upper, method)
    return Estimate(value, lower, upper, level, method, name, notes)
