"""Are the origin model's probabilities right? Per-origin calibration of :func:`~diagstats.markers.predict_origin`.

A multinomial model gives each patient one probability per origin. Three views, all on the out-of-fold
probabilities of the cross-validation (never on predictions for the patients a model was fitted on):

* per origin (one-vs-rest): each origin's predicted probability against whether the patient has that
  origin: a flexible calibration curve with its band, calibration slope, calibration-in-the-large, O/E,
  ICI, by :func:`diagstats.calibration`;
* jointly: Van Hoorde et al.'s (2014) multinomial recalibration framework, the multinomial logistic
  regression of the origin on the log ratios of the predicted probabilities against the first origin,
  giving per-origin calibration intercepts and slopes and a likelihood-ratio test of calibration
  (:mod:`diagstats.markers.multinomial_recalibration`);
* jointly and flexibly: Van Hoorde et al.'s flexible multinomial calibration curves, the same regression on
  natural splines of the log ratios, whose fitted probabilities, plotted against each origin's predicted
  probability, give that origin's curve (``curves``; the default of :meth:`OriginCalibrationResult.plot`;
  :mod:`diagstats.markers.multinomial_calibration_curves`).

Reached as ``OriginResult.calibration()``.

>>> import numpy as np, pandas as pd, diagstats as ds
>>> rng = np.random.default_rng(1)
>>> origin = np.repeat(["breast", "lung", "prostate"], 40)
>>> nlr = np.exp(rng.normal(np.repeat([0.6, 1.2, 0.8], 40), 0.4))
>>> res = ds.markers.predict_origin(pd.DataFrame({"nlr": nlr, "origin": origin}), markers=["nlr"],
...                                 reference="origin", n_boot=20, progress=False)
>>> cal = res.calibration(n_boot=None)
>>> print(cal.by_origin["lung"].slope)
calibration slope 0.941 (95% CI 0.591 to 1.357, profile likelihood)
>>> print(cal.multinomial.slope["lung"])
multinomial calibration slope 0.908 (95% CI 0.584 to 1.288, profile likelihood)
>>> cal.curves.columns.tolist()
['origin', 'predicted', 'observed']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._input import as_seed_sequence, check_flag, check_option, seed_label
from ..errors import ConvergenceError, DataError, OptionError
from ..results import ResultTable, estimates_frame, format_level, tidy
from ..utility.risk_calibration import calibration
from .multinomial_calibration_curves import DEFAULT_DF, FlexibleCalibrationCurves, flexible_calibration_curves
from .multinomial_recalibration import MultinomialRecalibration, multinomial_recalibration

__all__ = ["OriginCalibrationResult", "calibrate_origins"]

#: What :meth:`OriginCalibrationResult.plot` draws.
PLOT_KINDS = ("multinomial", "one_vs_rest")
#: Out-of-fold probabilities are kept this far from 0 and 1, where the logit of the calibration models is infinite.
PROBABILITY_FLOOR = 1e-10


@dataclass(frozen=True, repr=False)
class OriginCalibrationResult(ResultTable):
    """Calibration of each origin's out-of-fold probability (one-vs-rest; Van Hoorde et al. 2014).

    Attributes
    ----------
    classes : tuple
        The origins.
    by_origin : dict of origin to CalibrationResult
        Each origin's one-vs-rest calibration (``slope``, ``calibration_in_the_large``, ``oe``, ``ici``, ...,
        its curve).
    multinomial : MultinomialRecalibration or None
        Van Hoorde et al.'s (2014) joint recalibration against the first origin: ``calibration_in_the_large``,
        ``slope``, ``recalibration_intercept`` (dicts by origin), ``coefficients`` (the full model) and
        ``test`` (likelihood-ratio test of calibration); None (with a note) when that model cannot be fitted.
    flexible : FlexibleCalibrationCurves or None
        Van Hoorde et al.'s flexible multinomial calibration curves (natural-spline recalibration model with
        ``df`` degrees of freedom per log ratio): ``frame`` (the curves), ``recalibrated`` (each patient's
        recalibrated probabilities), ``df``, ``notes``; None (with a note) when that model cannot be fitted.
    curves : DataFrame (property)
        ``flexible.frame``: ``origin, predicted, observed`` (empty when there are no flexible curves).
    reference : str
    curve : str
        ``"loess"`` or ``"logistic"``.
    n, level, n_boot, seed, notes

    Methods
    -------
    to_frame(), plot(ax=None), to_html(), to_dict()
    """

    classes: tuple[Any, ...]
    by_origin: dict[Any, Any]
    multinomial: MultinomialRecalibration | None
    flexible: FlexibleCalibrationCurves | None
    reference: str
    curve: str
    n: int
    level: float
    n_boot: int
    seed: Any
    notes: tuple[str, ...] = field(default=())

    title = "Calibration of the predicted origin probabilities (per origin, out of fold)"
    key_columns = ("origin",)

    def __repr__(self) -> str:
        slopes = ", ".join(f"{c}: {r.slope.value:.2f}" for c, r in self.by_origin.items())
        return f"OriginCalibrationResult(n={self.n}, slopes={{{slopes}}})"

    def header_lines(self) -> list[str]:
        boot = f"bootstrap n_boot={self.n_boot}, {self.seed}" if self.n_boot else "no bootstrap"
        lines = [f"{self.n} patients; each origin's out-of-fold probability against having that origin; "
                 f"calibration curve: {self.curve}; {format_level(self.level)} intervals ({boot})"]
        if self.multinomial is not None:
            lines.append(f"multinomial rows: Van Hoorde et al. (2014) recalibration on the log ratios against "
                         f"{self.multinomial.reference_class!r}; {self.multinomial.test.format()}")
        if self.flexible is not None:
            lines.append(f"flexible multinomial calibration curves (Van Hoorde et al. 2014): multinomial logit on "
                         f"natural cubic splines (df {self.flexible.df}) of the log ratios, smoothed per origin "
                         f"(.curves, plot())")
        return lines

    @property
    def curves(self) -> pd.DataFrame:
        """The flexible multinomial calibration curves: ``origin, predicted, observed`` (empty without them)."""
        if self.flexible is None:
            return pd.DataFrame(columns=["origin", "predicted", "observed"])
        return self.flexible.frame

    def to_frame(self) -> pd.DataFrame:
        """Tidy: ``origin``, then one row per measure (``measure, value, lower, upper, level, method, notes``):
        each origin's one-vs-rest measures, then the multinomial intercepts and slopes of the origins other
        than the reference (``multinomial ...``), then the multinomial likelihood-ratio test of calibration
        (``statistic, df, p_value``; NaN elsewhere)."""
        frames = []
        for origin, result in self.by_origin.items():
            frame = estimates_frame(result.estimates)
            frame.insert(0, "origin", origin)
            frames.append(frame)
        joint = self.multinomial
        if joint is not None:
            frame = estimates_frame([e for _, e in joint.estimates()])
            frame.insert(0, "origin", [origin for origin, _ in joint.estimates()])
            test = joint.test
            frames += [frame, pd.DataFrame([{"origin": "", "measure": "multinomial calibration test", "notes": "",
                                             "method": test.method, "statistic": test.statistic, "df": test.df,
                                             "p_value": test.p_value}])]
        return tidy(pd.concat(frames, ignore_index=True), self.key_columns)

    def plot(self, ax: Any = None, kind: str = "multinomial", band: bool = False) -> Any:
        """Each origin's calibration curve over the diagonal, with the distribution of each origin's predicted
        probability underneath: ``kind="multinomial"`` (default) the flexible multinomial curves with each
        patient's recalibrated probabilities as faint points, ``kind="one_vs_rest"`` the one-vs-rest curves
        (with bootstrap bands when ``band``)."""
        from ..plot.calibration import multinomial_calibration_plot, origin_calibration_plot
        kind = check_option(kind, "kind", PLOT_KINDS)
        if kind == "one_vs_rest":
            return origin_calibration_plot(self, ax=ax, band=check_flag(band, "band"))
        return multinomial_calibration_plot(self, ax=ax)


def calibrate_origins(probabilities: pd.DataFrame, observed: np.ndarray, classes: tuple[Any, ...], reference: str, *,
                      curve: str, n_boot: int | None, level: float, seed: Any, progress: bool,
                      df: int | None = None) -> OriginCalibrationResult:
    """One-vs-rest calibration of each column of ``probabilities`` (out-of-fold, patients in rows) against
    ``observed`` (each patient's origin), every origin's bootstrap resampling the same patients; the
    multinomial recalibration and the flexible curves (``df`` per log ratio; None: the default, with a note
    instead of an error when the origins are too small for it)."""
    root = as_seed_sequence(seed)
    values = probabilities.to_numpy(dtype=float)
    clipped = (values < PROBABILITY_FLOOR) | (values > 1 - PROBABILITY_FLOOR)
    notes = []
    if clipped.any():
        notes.append(f"{int(clipped.sum())} out-of-fold probabilities within {PROBABILITY_FLOOR:g} of 0 or 1 were "
                     f"moved to {PROBABILITY_FLOOR:g} from it (their logit, used by the intercept and slope, would "
                     "be infinite)")
    values = np.clip(values, PROBABILITY_FLOOR, 1 - PROBABILITY_FLOOR)
    by_origin = {}
    for k, origin in enumerate(classes):
        seeds = np.random.SeedSequence(root.entropy, spawn_key=root.spawn_key)  # same patients for every origin
        by_origin[origin] = calibration(observed == origin, values[:, k], curve=curve, n_boot=n_boot, level=level,
                                        seed=seeds, progress=progress)
    notes += [f"{origin}: {note}" for origin, result in by_origin.items() for note in result.notes]
    codes = pd.Index(classes).get_indexer(observed)
    try:
        joint = multinomial_recalibration(values, codes, tuple(classes), level)
        notes += [f"multinomial recalibration: {note}" for note in joint.notes]
    except ConvergenceError as exc:
        joint = None
        notes.append(f"no multinomial recalibration: {exc}")
    try:
        flexible = flexible_calibration_curves(values, codes, tuple(classes), DEFAULT_DF if df is None else df)
        notes += [f"flexible calibration curves: {note}" for note in flexible.notes]
    except ConvergenceError as exc:
        flexible = None
        notes.append(f"no flexible multinomial calibration curves: {exc}")
    except (DataError, OptionError) as exc:
        if df is not None:
            raise
        flexible = None
        notes.append(f"no flexible multinomial calibration curves: {exc}")
    if n_boot:
        notes.append("every origin's bootstrap resamples the same patients")
    return OriginCalibrationResult(classes=tuple(classes), by_origin=by_origin, multinomial=joint, flexible=flexible,
                                   reference=reference,
                                   curve=curve,
                                   n=int(observed.size), level=level, n_boot=n_boot or 0,
                                   seed=seed_label(seed, root), notes=tuple(notes))
