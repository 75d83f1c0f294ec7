"""Flexible calibration curves of multinomial probabilities (Van Hoorde et al. 2014, 2015).

One-vs-rest curves judge each origin's probability on its own; the multinomial model predicts all origins
jointly. Van Hoorde et al.'s flexible ("non-parametric") recalibration model is the multinomial logistic
regression of the observed origin on smooth functions of the K - 1 log ratios ``LP_j = log(p_j / p_1)``
of the predicted probabilities against the first origin,
``log(P(Y = k) / P(Y = 1)) = a_k + sum_j f_kj(LP_j)`` (k = 2..K), each ``f_kj`` a spline with ``df``
degrees of freedom, every equation its own. Its fitted probabilities are each patient's "observed"
(recalibrated) probability of every origin; origin k's calibration curve plots them against the
predicted probability of origin k. Patients with the same predicted probability of origin k can differ in
the other log ratios, so those points scatter about a curve: as in the papers, the curve drawn through
them is a cubic smoothing spline. The code published with the 2014 paper uses R's
``smooth.spline(spar = 1)``, whose amount of smoothing depends on how many knots R places (6 to 8
equivalent degrees of freedom for a few hundred patients); here it is set directly as equivalent degrees
of freedom (the trace of the smoother), which means the same whatever the basis: ``SMOOTHING_DF = 4``, a
curve that can bend where the recalibrated probabilities do without following the scatter of a few
patients at the extremes (:func:`diagstats._core.splines.smoothing_spline`).

The papers fit the splines as VGAM smoothing splines (``vgam(y ~ s(LP_2, df = 2) + ..., multinomial)``,
backfitting with a penalty, df the equivalent degrees of freedom). Here they are regression splines:
natural cubic splines with ``df`` columns per log ratio (``df - 1`` interior knots at the quantiles of
the log ratio, boundary knots at its range, as R's ``splines::ns(LP, df)``), fitted by maximum
likelihood (Newton-Raphson), i.e. ``nnet::multinom(y ~ ns(LP_2, df) + ns(LP_3, df) + ...)``. Why: the model is then an
ordinary multinomial logit with a fixed design (one Newton fit, reproducible in R with recommended
packages, its fitted probabilities checked against R's at 1e-6), whereas the smoothing-spline fit depends
on VGAM's backfitting and its df-to-penalty search, which nothing here can be checked against. With
``df = 2`` both put one non-linear degree of freedom on each log ratio; with ``df = 1`` the model is the
linear ("parametric") recalibration model of :mod:`diagstats.markers.multinomial_recalibration`.

When the log ratios are collinear (a model with fewer predictors than origins minus one makes them lie in
a plane), the spline columns are too; the fit then keeps the independent directions of the design (the
fitted probabilities are unique all the same) and says so in a note.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> p = rng.dirichlet([2, 2, 2], 300)
>>> y = np.array([rng.choice(3, p=row) for row in p])
>>> curves = flexible_calibration_curves(p, y, ("a", "b", "c"))
>>> curves.frame.columns.tolist()
['origin', 'predicted', 'observed']
>>> bool(np.abs(curves.frame["observed"] - curves.frame["predicted"]).max() < 0.2)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import softmax

from .._core.splines import distinct_knots, natural_spline_basis, smoothing_spline
from .._input import check_whole_number
from ..errors import DataError, OptionError
from ..results import FrozenFields
from .multinomial_recalibration import multinomial_log_likelihood, newton_ascent

__all__ = ["FlexibleCalibrationCurves", "flexible_calibration_curves", "DEFAULT_DF", "SMOOTHING_DF"]

#: Degrees of freedom of each log ratio's spline: Van Hoorde et al.'s default (``dfr = 2``).
DEFAULT_DF = 2
#: Equivalent degrees of freedom of the smoothing spline drawn through the recalibrated probabilities.
SMOOTHING_DF = 4.0
#: Points of each origin's curve, evenly spaced over the range of its predicted probabilities.
CURVE_POINTS = 101
#: Singular values of the centred spline design below this fraction of the largest count as collinear.
RANK_TOLERANCE = 1e-9


@dataclass(frozen=True)
class FlexibleCalibrationCurves(FrozenFields):
    """Van Hoorde et al.'s flexible multinomial calibration curves (regression-spline variant).

    Attributes
    ----------
    frame : DataFrame
        The curves: ``origin``, ``predicted`` (a grid over the range of that origin's predicted
        probabilities) and ``observed`` (the smoothed recalibrated probability there).
    recalibrated : DataFrame
        Each patient's recalibrated ("observed") probability of every origin (patients in rows, origins in
        columns), the fitted probabilities of the spline recalibration model.
    df : int
        Degrees of freedom of each log ratio's natural spline.
    rank : int
        Independent spline columns per equation (``(K - 1) df`` unless the log ratios are collinear).
    notes : tuple of str
    """

    frame: pd.DataFrame
    recalibrated: pd.DataFrame
    df: int
    rank: int
    notes: tuple[str, ...] = ()


def check_spline_df(df: Any, name: str = "df") -> int:
    """The degrees of freedom of each log ratio's spline: a whole number >= 1 (1 is the linear model)."""
    return check_whole_number(df, name, minimum=1, what="degrees of freedom", example=DEFAULT_DF)


def _spline_design(log_ratios: np.ndarray, df: int) -> np.ndarray:
    """The natural-spline columns of every log ratio, side by side (n, (K - 1) df)."""
    for j in range(log_ratios.shape[1]):
        if not distinct_knots(log_ratios[:, j], df):
            raise OptionError(f"df={df} is too many degrees of freedom: log ratio {j + 1} of the predicted "
                              f"probabilities takes too few distinct values for {df - 1} interior knots at distinct "
                              "quantiles; "
                              f"use a smaller df, e.g. df=1 (the linear recalibration model).")
    return np.column_stack([natural_spline_basis(log_ratios[:, j], df) for j in range(log_ratios.shape[1])])


def _independent_columns(design: np.ndarray) -> np.ndarray:
    """Orthogonal columns (unit variance) spanning the centred design: the same fitted values, no collinearity."""
    centred = design - design.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    keep = s > RANK_TOLERANCE * s[0] if s.size and s[0] > 0 else np.zeros(s.size, dtype=bool)
    return u[:, keep] * np.sqrt(design.shape[0])


def _fit_multinomial_logit(codes: np.ndarray, covariates: np.ndarray, k: int, max_iter: int = 100) -> np.ndarray:
    """Fitted probabilities (n, K) of the multinomial logit with the same covariates (n, q) in every equation.

    Newton-Raphson with step halving on the coefficients ``B`` (q, K - 1), the information assembled block by
    block (``X' diag(pi_k (delta_kl - pi_l)) X``) rather than from a block-diagonal design, so that many
    origins and spline columns stay fast (the loop is :func:`newton_ascent`, shared with the recalibration
    model). Raises :class:`~diagstats.errors.ConvergenceError` when it does not converge or the coefficients
    diverge (an origin separated perfectly by the predicted probabilities)."""
    n, q = covariates.shape
    m = k - 1
    observed = np.eye(k)[codes][:, 1:]

    def newton_step(coef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pi = softmax(np.column_stack([np.zeros(n), covariates @ coef]), axis=1)[:, 1:]
        score = covariates.T @ (observed - pi)                                           # (q, K - 1)
        weight = pi[:, :, None] * (np.eye(m)[None] - pi[:, None, :])                      # (n, K-1, K-1)
        information = np.einsum("na,nkl,nb->kalb", covariates, weight, covariates, optimize=True)
        information = information.reshape(m * q, m * q)
        return np.linalg.solve(information, score.T.ravel()).reshape(m, q).T, information

    coef, _, _ = newton_ascent(lambda c: multinomial_log_likelihood(codes, covariates @ c), newton_step,
                               np.zeros((q, m)), model="spline recalibration model",
                               singular="an origin separated perfectly by the predicted probabilities?",
                               max_iter=max_iter)
    return softmax(np.column_stack([np.zeros(n), covariates @ coef]), axis=1)


def flexible_calibration_curves(probabilities: np.ndarray, codes: np.ndarray, classes: tuple[Any, ...],
                                df: int = DEFAULT_DF) -> FlexibleCalibrationCurves:
    """Flexible multinomial calibration curves of probabilities (n, K) for outcome codes 0..K-1.

    The probabilities must lie strictly inside (0, 1) (the caller clips them). Raises :class:`DataError` when
    an origin has no more patients than each equation has coefficients (``1 + (K - 1) df``), an
    :class:`OptionError` when a log ratio has too few distinct values for ``df``, and
    :class:`~diagstats.errors.ConvergenceError` when the model separates an origin. See the module
    docstring.

    References
    ----------
    Van Hoorde K, Vergouwe Y, Timmerman D, Van Huffel S, Steyerberg EW, Van Calster B (2014). Assessing
    calibration of multinomial risk prediction models. Stat Med 33:2585-2596.
    Van Hoorde K, Van Huffel S, Timmerman D, Bourne T, Van Calster B (2015). A spline-based tool to assess and
    visualize the calibration of multiclass risk predictions. J Biomed Inform 54:283-293.
    """
    n, k = probabilities.shape
    m = k - 1
    coefficients = 1 + m * df
    counts = np.bincount(codes, minlength=k)
    if counts.min() <= coefficients:
        few = ", ".join(f"{c!r} ({counts[j]})" for j, c in enumerate(classes) if counts[j] <= coefficients)
        raise DataError(f"too few patients for flexible calibration curves with df={df}: each equation has "
                        f"{coefficients} coefficients (1 + {m} log ratios x {df}), and every origin needs more "
                        f"patients than that; {few} do not. Use a smaller df (df=1 is the linear recalibration "
                        "model) or merge small origins.")
    log_ratios = np.log(probabilities[:, 1:]) - np.log(probabilities[:, :1])
    splines = _spline_design(log_ratios, df)
    columns = _independent_columns(splines)
    fitted = _fit_multinomial_logit(codes, np.column_stack([np.ones(n), columns]), k)
    notes = []
    rank = columns.shape[1]
    if rank < m * df:
        notes.append(f"the log ratios of the predicted probabilities are collinear (a model with fewer predictors "
                     f"than origins minus one): the spline recalibration model keeps the {rank} independent of its "
                     f"{m * df} spline columns; its fitted probabilities are unique all the same")
    rows = []
    for j, origin in enumerate(classes):
        x, y = probabilities[:, j], fitted[:, j]
        grid = np.linspace(x.min(), x.max(), CURVE_POINTS)
        try:
            smoothed = smoothing_spline(x, y, SMOOTHING_DF).curve(grid) if np.unique(x).size > SMOOTHING_DF else None
        except DataError:   # distinct, but some too close to tell apart
            smoothed = None
        if smoothed is None:
            notes.append(f"{origin}: {np.unique(x).size} distinct predicted probabilities, too few (or too close "
                         f"together) for a curve with {SMOOTHING_DF:g} degrees of freedom through its recalibrated "
                         "probabilities (NaN); its recalibrated probabilities are in .recalibrated")
            observed = np.full(grid.size, np.nan)
        else:
            if np.any((smoothed < 0) | (smoothed > 1)):
                notes.append(f"{origin}: the curve smoothed through the recalibrated probabilities leaves [0, 1] "
                             "where few patients have extreme predictions, and is cut at 0 or 1 there")
            observed = np.clip(smoothed, 0.0, 1.0)
        rows.append(pd.DataFrame({"origin": origin, "predicted": grid, "observed": observed}))
    frame = pd.concat(rows, ignore_index=True)
    recalibrated = pd.DataFrame(fitted, columns=list(classes))
    return FlexibleCalibrationCurves(frame=frame, recalibrated=recalibrated, df=df, rank=rank, notes=tuple(notes))
