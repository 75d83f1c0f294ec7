"""Smoothed ROC curves on a grid, as pROC's ``smooth()`` computes them, and their coordinates.

Three smoothers, each giving the curve at ``n`` points plus its two ends:

* ``"binormal"`` with ``fit="least_squares"``: the normal deviates of the empirical operating
  points, ``(Phi^-1(specificity), Phi^-1(sensitivity))`` (points where either is 0 or 1 left out),
  are fitted by ordinary least squares, ``Phi^-1(sp) = c0 + c1 Phi^-1(se)``; the curve is read at
  ``n`` equally spaced sensitivities. In ROC space this is ``TPR = Phi(a + b Phi^-1(FPR))`` with
  ``a = -c0 / c1`` and ``b = -1 / c1`` (Hanley 1988; pROC's binormal smoothing, Robin et al. 2011).
  The maximum-likelihood fit of the same model is :func:`diagstats.roc_analysis.smooth.binormal`.
* ``"density"``: Gaussian kernel densities of the controls' and the cases' scores (Zhou, McClish &
  Obuchowski 2002, section 4.2; Zou, Hall & Shapiro 1997), with one bandwidth for both, by
  default Silverman's rule ``"nrd0"`` on all the scores, evaluated by R's binned FFT algorithm
  (:mod:`.kernel_density`) at ``n`` points from ``min - 3 bw`` to ``max + 3 bw``.
* ``"fitdistr"``: a normal distribution fitted to each group by maximum likelihood (mean and the
  standard deviation with divisor n, as MASS's ``fitdistr``), its density evaluated at ``n``
  points from the lowest to the highest score.

For the density-based smoothers, the sensitivity at grid point ``x_j`` is the share of the cases'
density mass at or above ``x_j`` and the specificity the share of the controls' mass below it.
The smoothed AUC is the trapezoidal area under the ``n + 2`` points (binormal: the model's
area ``Phi(a / sqrt(1 + b^2))``). These agree with pROC 1.18
``smooth(roc, method=...)``, ``auc()`` and ``coords()`` on the smoothed curve to 1e-6 on the
committed fixtures (R 4.2; R 4.4 changed ``density()``'s grid, see docs/differences_from_r.md).

References
----------
Hanley JA (1988). The robustness of the "binormal" assumptions used in fitting ROC curves.
Medical Decision Making 8:197-203.
Zou KH, Hall WJ, Shapiro DE (1997). Smooth non-parametric receiver operating characteristic (ROC)
curves for continuous diagnostic tests. Statistics in Medicine 16:2143-2156.
Zhou XH, Obuchowski NA, McClish DK (2002). Statistical Methods in Diagnostic Medicine. Wiley.
Robin X, Turck N, Hainard A, et al. (2011). pROC: an open-source package for R and S+ to analyze
and compare ROC curves. BMC Bioinformatics 12:77.

>>> import diagstats as ds
>>> res = ds.roc([0] * 10 + [1] * 10, list(range(1, 11)) + list(range(3, 13)))
>>> sm = res.smooth("density")
>>> round(sm.auc.value, 6), round(sm.sensitivity_at(0.9).value, 6)   # pROC: 0.6609069, 0.2695105
(0.660907, 0.269511)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .._core.quantiles import z_two_sided
from .._input import check_number, check_option, check_probability, check_whole_number
from ..errors import DataError, OptionError
from ..results import Estimate, ResultTable, estimates_frame
from .cutpoints import CutpointResult, best_rows
from .kernel_density import BANDWIDTHS, bandwidth, binned_density

GRID_METHODS = ("binormal", "density", "fitdistr")
BEST_METHODS = ("youden", "closest_topleft")
#: The note of every estimate read off a smoothed curve.
NO_INTERVAL = ("no interval: a value of the smoothed curve (pROC reports none either without re-smoothing "
               "bootstrap replicates)",)
METHOD_LABELS = {"binormal": "binormal, least squares on normal deviates (pROC)",
                 "density": "Gaussian kernel density (pROC)", "fitdistr": "normal fits by maximum likelihood (pROC)"}


@dataclass(frozen=True, repr=False)
class SmoothROCResult(ResultTable):
    """A smoothed ROC curve given at points, with its area and the coordinates read off it.

    Attributes
    ----------
    method : {"binormal", "density", "fitdistr"}
    sensitivities, specificities : ndarray
        The curve, from (sensitivity 1, specificity 0) to (0, 1), as pROC's ``smooth.roc`` holds it.
    auc : Estimate
        Trapezoidal area under the smoothed points (no interval).
    parameters : tuple of Estimate
        The fitted values: binormal ``a``, ``b``; fitdistr the controls' and cases' mean and sd;
        density the bandwidth.

    Methods
    -------
    sensitivity_at(specificity), specificity_at(sensitivity), best(method), points()
    """

    method: str
    sensitivities: np.ndarray
    specificities: np.ndarray
    auc: Estimate
    parameters: tuple[Estimate, ...] = ()
    notes: tuple[str, ...] = field(default=())

    dict_exclude = ("sensitivities", "specificities")

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Smoothed ROC curve ({METHOD_LABELS[self.method]})"

    def header_lines(self) -> list[str]:
        return [f"{len(self.sensitivities)} points; a smoothed curve has no thresholds"]

    def to_frame(self) -> pd.DataFrame:
        return estimates_frame([self.auc, *self.parameters])

    def __repr__(self) -> str:
        return f"SmoothROCResult(method={self.method!r}, auc={self.auc.value:.4f}, points={len(self.sensitivities)})"

    def points(self) -> pd.DataFrame:
        """The smoothed curve: specificity, sensitivity (for plotting)."""
        return pd.DataFrame({"specificity": self.specificities, "sensitivity": self.sensitivities})

    def sensitivity_at(self, specificity: float) -> Estimate:
        """Sensitivity of the smoothed curve at ``specificity`` (pROC ``coords(smooth, x, "specificity")``).

        Where several points have this specificity the highest sensitivity is taken; between points the
        curve is interpolated linearly.
        """
        specificity = check_probability(specificity, "specificity", scalar=True)
        value = _read(self.specificities, self.sensitivities, specificity)
        return Estimate(value, np.nan, np.nan, name=f"sensitivity at specificity {specificity:g}",
                        method=f"smoothed curve ({self.method})", notes=NO_INTERVAL)

    def specificity_at(self, sensitivity: float) -> Estimate:
        """Specificity of the smoothed curve at ``sensitivity`` (pROC ``coords(smooth, x, "sensitivity")``)."""
        sensitivity = check_probability(sensitivity, "sensitivity", scalar=True)
        value = _read(self.sensitivities[::-1], self.specificities[::-1], sensitivity)
        return Estimate(value, np.nan, np.nan, name=f"specificity at sensitivity {sensitivity:g}",
                        method=f"smoothed curve ({self.method})", notes=NO_INTERVAL)

    def best(self, method: str = "youden") -> CutpointResult:
        """The best point of the smoothed curve: highest Youden index or closest to the top-left corner.

        pROC ``coords(smooth, "best", best.method=...)``. A smoothed curve has no thresholds, so
        ``threshold`` is NaN; all equally good points are in ``candidates``.
        """
        method = check_option(method, "method", BEST_METHODS)
        se, sp = self.sensitivities, self.specificities
        if method == "youden":
            score, exact = se + sp, False
        else:
            score, exact = -((1 - se) ** 2 + (1 - sp) ** 2), False
        rows = best_rows(score, exact)
        candidates = pd.DataFrame({"sensitivity": se[rows], "specificity": sp[rows]}).drop_duplicates()
        candidates = candidates.reset_index(drop=True)
        first = candidates.iloc[0]
        return CutpointResult(method=method, threshold=np.nan, sensitivity=float(first["sensitivity"]),
                              specificity=float(first["specificity"]), candidates=candidates,
                              notes=(f"point of the curve smoothed by {self.method}; it has no threshold",))


def _read(x: np.ndarray, y: np.ndarray, at: float) -> float:
    """y at x = ``at`` on the polygon through (x, y), x ascending; the highest y where x ties."""
    hit = x == at
    if hit.any():
        return float(y[hit].max())
    k = int(np.searchsorted(x, at, side="right"))
    x0, x1, y0, y1 = x[k - 1], x[k], y[k - 1], y[k]
    return float(y0 + (at - x0) / (x1 - x0) * (y1 - y0))


def smooth_on_grid(roc, method: str, *, n: int = 512, bandwidth_rule="nrd0") -> SmoothROCResult:
    """Smooth a :class:`~diagstats.ROCResult` by pROC's ``method`` (see the module docstring)."""
    method = check_option(method, "method", GRID_METHODS)
    n = check_whole_number(n, "n", minimum=2, maximum=1_000_000, what="points", example=512)
    if method != "density" and bandwidth_rule != "nrd0":
        raise OptionError(f"bandwidth= is only used by method='density', not {method!r}.")
    if method == "binormal":
        return _binormal_least_squares(roc, n)
    with np.errstate(over="ignore", invalid="ignore"):   # scores near the float limit: refused below
        cases, controls, parameters = _densities(roc, method, n, bandwidth_rule)
    if not (np.isfinite(cases).all() and np.isfinite(controls).all()):
        raise DataError(f"method={method!r}: the scores are too large for a density on a grid (their spread "
                        "overflows); rescale the score (e.g. divide it by a power of ten) before smoothing.")
    if cases.sum() <= 0 or controls.sum() <= 0:
        raise DataError(f"method={method!r}: a group's smoothed density vanishes on the whole grid (scores too far "
                        "apart for the bandwidth); give a larger bandwidth= or use method='binormal'.")
    # sensitivity at grid point j: cases' mass at or above it; specificity: controls' mass below it
    se = np.cumsum(cases[::-1])[::-1] / cases.sum()
    sp = np.concatenate([[0.0], np.cumsum(controls)[:-1] / controls.sum()])
    return _result(method, np.concatenate([[1.0], se, [0.0]]), np.concatenate([[0.0], sp, [1.0]]), parameters,
                   _orientation_note(roc))


def _densities(roc, method: str, n: int, bandwidth_rule):
    """Cases' and controls' densities on the grid, and the fitted parameters."""
    scores = np.concatenate([roc.cases, roc.controls])
    if method == "density":
        if isinstance(bandwidth_rule, str):
            rule = check_option(bandwidth_rule, "bandwidth", BANDWIDTHS)
            bw, bw_name = bandwidth(scores, rule), f"bandwidth ({rule})"
        else:
            bw, bw_name = check_number(bandwidth_rule, "bandwidth", low=0, strict=True), "bandwidth (given)"
        start, stop = scores.min() - 3 * bw, scores.max() + 3 * bw
        if not np.isfinite([bw, start, stop, stop - start + 8 * bw]).all():
            return np.array([np.inf]), np.array([np.inf]), ()   # refused by the caller
        _, cases = binned_density(roc.cases, bw, n, start, stop)
        _, controls = binned_density(roc.controls, bw, n, start, stop)
        parameters = (Estimate(bw, np.nan, np.nan, name=bw_name, method="kernel density",
                               notes=("a setting of the smoother, not an estimate",)),)
    else:
        fits = [(g.mean(), g.std()) for g in (roc.controls, roc.cases)]
        if min(sd for _, sd in fits) == 0:
            raise DataError("method='fitdistr' fits a normal distribution to the cases' and the controls' scores; "
                            "one group's scores are all equal (standard deviation 0). Use method='density' or "
                            "method='binormal'.")
        grid = np.linspace(scores.min(), scores.max(), n)
        controls, cases = (stats.norm.pdf(grid, mu, sd) for mu, sd in fits)
        z, sizes = z_two_sided(roc.level), (len(roc.controls), len(roc.cases))
        parameters = tuple(Estimate(float(v), float(v - z * se), float(v + z * se), roc.level,
                                    "Wald, maximum-likelihood standard error (MASS fitdistr)", f"{what} {group}")
                           for group, (mu, sd), k in zip(("controls", "cases"), fits, sizes)
                           for what, v, se in (("mean", mu, sd / np.sqrt(k)), ("sd", sd, sd / np.sqrt(2 * k))))
    return cases, controls, parameters


def _binormal_least_squares(roc, n: int) -> SmoothROCResult:
    curve = roc.curve
    with np.errstate(divide="ignore"):
        z_se = stats.norm.ppf(curve["sensitivity"].to_numpy())
        z_sp = stats.norm.ppf(curve["specificity"].to_numpy())
    usable = np.isfinite(z_se) & np.isfinite(z_sp)
    if usable.sum() < 2 or np.ptp(z_se[usable]) == 0 or np.ptp(z_sp[usable]) == 0:
        raise DataError("Binormal smoothing fits a line to the operating points whose sensitivity and specificity "
                        f"are both strictly between 0 and 1; this curve has {int(usable.sum())} such point(s), and "
                        "it needs two with distinct sensitivities and distinct specificities. Use the empirical "
                        "curve, or a score with more values.")
    slope, intercept = np.polyfit(z_se[usable], z_sp[usable], 1)
    grid = np.linspace(0, 1, n)[::-1]
    with np.errstate(divide="ignore"):
        sp = stats.norm.cdf(intercept + slope * stats.norm.ppf(grid))
    a, b = -intercept / slope, -1 / slope
    no_interval = ("no interval: the operating points fitted are not independent observations; the "
                   "maximum-likelihood fit (fit='ml') gives Wald intervals",)
    parameters = (Estimate(float(a), np.nan, np.nan, name="a (intercept)", method="least squares", notes=no_interval),
                  Estimate(float(b), np.nan, np.nan, name="b (slope)", method="least squares", notes=no_interval))
    area = float(stats.norm.cdf(a / np.sqrt(1 + b * b)))
    return _result("binormal", np.concatenate([[1.0], grid, [0.0]]), np.concatenate([[0.0], sp, [1.0]]),
                   parameters, (), area)


def _result(method, se, sp, parameters, notes, area=None) -> SmoothROCResult:
    se, sp = np.clip(se, 0.0, 1.0), np.clip(sp, 0.0, 1.0)   # cumulative sums can overshoot 1 by an ulp
    how = "binormal area Phi(a / sqrt(1 + b^2))"
    if area is None:
        area, how = float(np.sum(np.diff(sp) * (se[1:] + se[:-1]) / 2)), "trapezoidal area of the smoothed points"
    auc = Estimate(area, np.nan, np.nan, name=f"AUC (smoothed, {method})", method=how, notes=NO_INTERVAL)
    return SmoothROCResult(method=method, sensitivities=se, specificities=sp, auc=auc, parameters=parameters,
                           notes=notes)


def _orientation_note(roc) -> tuple[str, ...]:
    if roc.direction == "lower":
        return ("scores negated (lower score = more likely diseased) before smoothing",)
    return ()
