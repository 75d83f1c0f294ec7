"""Are the origin model's probabilities right? Per-origin calibration of :func:`~diagstats.markers.predict_origin`.

A multinomial model gives each patient one probability per origin. Following Van Hoorde et al. (2014),
each origin's predicted probability is checked against whether the patient has that origin: per origin a
calibration curve, a calibration slope and calibration-in-the-large (one-vs-rest), computed by
:func:`diagstats.calibration` on the out-of-fold probabilities of the cross-validation (never on
predictions for the patients a model was fitted on). Reached as ``OriginResult.calibration()``.

>>> import numpy as np, pandas as pd, diagstats as ds
>>> rng = np.random.default_rng(1)
>>> origin = np.repeat(["breast", "lung", "prostate"], 40)
>>> nlr = np.exp(rng.normal(np.repeat([0.6, 1.2, 0.8], 40), 0.4))
>>> res = ds.markers.predict_origin(pd.DataFrame({"nlr": nlr, "origin": origin}), markers=["nlr"],
...                                 reference="origin", n_boot=20, progress=False)
>>> cal = res.calibration(n_boot=None)
>>> print(cal.by_origin["lung"].slope)
calibration slope 0.941 (95% CI 0.591 to 1.357, profile likelihood)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._input import as_seed_sequence, check_flag, seed_label
from ..results import ResultTable, estimates_frame, format_level, tidy
from ..utility.risk_calibration import calibration

__all__ = ["OriginCalibrationResult", "calibrate_origins"]

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
        Each origin's calibration (``slope``, ``calibration_in_the_large``, ``oe``, ``ici``, ..., its curve).
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
        return [f"{self.n} patients; each origin's out-of-fold probability against having that origin; "
                f"calibration curve: {self.curve}; {format_level(self.level)} intervals ({boot})"]

    def to_frame(self) -> pd.DataFrame:
        """Tidy: ``origin``, then one row per measure (``measure, value, lower, upper, level, method, notes``)."""
        frames = []
        for origin, result in self.by_origin.items():
            frame = estimates_frame(result.estimates)
            frame.insert(0, "origin", origin)
            frames.append(frame)
        return tidy(pd.concat(frames, ignore_index=True), self.key_columns)

    def plot(self, ax: Any = None, band: bool = False) -> Any:
        """Each origin's calibration curve over the diagonal (with bootstrap bands when ``band``)."""
        from ..plot.calibration import origin_calibration_plot
        return origin_calibration_plot(self, ax=ax, band=check_flag(band, "band"))


def calibrate_origins(probabilities: pd.DataFrame, observed: np.ndarray, classes: tuple[Any, ...], reference: str, *,
                      curve: str, n_boot: int | None, level: float, seed: Any,
                      progress: bool) -> OriginCalibrationResult:
    """One-vs-rest calibration of each column of ``probabilities`` (out-of-fold, patients in rows) against
    ``observed`` (each patient's origin); every origin's bootstrap resamples the same patients."""
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
    if n_boot:
        notes.append("every origin's bootstrap resamples the same patients")
    return OriginCalibrationResult(classes=tuple(classes), by_origin=by_origin, reference=reference, curve=curve,
                                   n=int(observed.size), level=level, n_boot=n_boot or 0,
                                   seed=seed_label(seed, root), notes=tuple(notes))
