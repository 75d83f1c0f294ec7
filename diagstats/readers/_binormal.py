"""The binormal AUC of every reader x modality and its jackknife over cases, by batched refits.

Each reader x modality's ratings are fitted by the binormal model (Dorfman & Alf 1969; the likelihood, start
values and parametrisation of :mod:`diagstats.roc_analysis.smooth`, as ``ds.roc(...).smooth()``), with the
analytic gradient and a tight tolerance so that the leave-one-out differences (of order 1 / c) are exact to
far more digits than the jackknife needs. The AUC is Phi(a / sqrt(1 + b^2)).

The model sees only the counts per (truth, rating category), so leaving out one case gives the same refit
for every case of its truth and category: each reader x modality needs at most 2 K + 1 fits (K <= 20
categories), whatever the number of cases: about 4,000 small fits for 10 readers x 2 modalities on a 1-5 scale,
a few seconds. A category left empty by the left-out case is dropped (its threshold is not identified).

A reader who separates the diseased from the non-diseased perfectly has no finite maximum: the fit runs
towards a = infinity and the AUC to 1 (MRMCaov prints a = 1.8e308, AUC 1); here a fit whose AUC passes
1 - 1e-8 is taken at that limit, AUC 1, and a note names the reader. (The maximum can also lie at infinity
when the classes overlap in one category only, as for reader 4 in modality 2 of Van Dyke.)

References: Dorfman DD, Alf E (1969) J Math Psychol 6:487-496. Hillis SL (2007) Stat Med 26:596-619 (the
jackknife covariance of any figure of merit for the OR analysis).
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special

from .._input import _show
from ..errors import ConvergenceError, DataError
from ..roc_analysis.smooth import MAX_CATEGORIES, start_values, unpack


#: Quasi-Newton iterations of one fit; a fit running to a = infinity stops earlier, at SEPARATED.
MAX_ITERATIONS = 3000
#: A fitted AUC above this is a fit running to a = infinity (no finite maximum): its AUC is the limit, 1.
SEPARATED = 1 - 1e-8


def _likelihood(theta: np.ndarray, cases: np.ndarray, controls: np.ndarray) -> float:
    """:func:`~diagstats.roc_analysis.smooth.negative_log_likelihood` with ``special.ndtr`` (the same numbers,
    several times faster than ``stats.norm.cdf`` on these short vectors: the jackknife runs thousands of fits)."""
    a, b, c = unpack(theta)
    edges = np.concatenate([[-np.inf], c, [np.inf]])
    p_control = np.maximum(np.diff(special.ndtr(edges)), 1e-300)
    p_case = np.maximum(np.diff(special.ndtr(b * edges - a)), 1e-300)
    return -(np.dot(controls, np.log(p_control)) + np.dot(cases, np.log(p_case)))


def _density(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)


def _gradient(theta: np.ndarray, cases: np.ndarray, controls: np.ndarray) -> np.ndarray:
    """Gradient of the negative log-likelihood in (a, log b, first threshold, log gaps)."""
    a, b, c = unpack(theta)
    z_control = np.concatenate([[-np.inf], c, [np.inf]])
    z_case = b * z_control - a
    p_control = np.maximum(np.diff(special.ndtr(z_control)), 1e-300)
    p_case = np.maximum(np.diff(special.ndtr(z_case)), 1e-300)
    w_control, w_case = controls / p_control, cases / p_case          # d(-loglik)/dp = -w
    dens_control = _density(z_control)                                 # 0 at the infinite edges
    dens_case = _density(z_case)
    # a category k spans edges k and k + 1: dp_k/d(edge) is +density at its upper edge, -density at its lower
    d_edge_control = dens_control[1:-1] * (w_control[:-1] - w_control[1:])
    d_edge_case = dens_case[1:-1] * (w_case[:-1] - w_case[1:])
    d_c = -(d_edge_control + b * d_edge_case)                          # each threshold's share
    d_a = -np.dot(w_case, -(dens_case[1:] - dens_case[:-1]))
    edge_z = np.where(np.isfinite(z_control), z_control, 0.0)
    d_b = -np.dot(w_case, dens_case[1:] * edge_z[1:] - dens_case[:-1] * edge_z[:-1])
    # thresholds c_m = theta_2 + sum_{l < m} exp(theta_{3 + l})
    gaps = np.exp(theta[3:])
    d_gaps = np.cumsum(d_c[::-1])[::-1][1:] * gaps                    # threshold m moves with gaps l < m
    return np.concatenate([[d_a, d_b * b, d_c.sum()], d_gaps])


def binormal_auc(cases: np.ndarray, controls: np.ndarray, start: np.ndarray | None = None) -> float:
    """The binormal ML AUC of the counts ``cases``, ``controls`` per category (ascending, none empty in both)."""
    if start is None:
        total = np.outer(cases, controls)
        empirical = (np.tril(total, -1).sum() + 0.5 * np.trace(total)) / total.sum()
        start = start_values(cases, controls, empirical)
    def auc_of(theta: np.ndarray) -> float:
        a, b, _ = unpack(theta)
        return float(special.ndtr(a / np.sqrt(1 + b ** 2)))

    def stop_at_the_limit(intermediate_result: optimize.OptimizeResult) -> None:
        if auc_of(intermediate_result.x) > SEPARATED:
            raise StopIteration

    fit = optimize.minimize(_likelihood, start, args=(cases, controls), jac=_gradient, method="BFGS",
                            options={"gtol": 1e-9, "maxiter": MAX_ITERATIONS}, callback=stop_at_the_limit)
    auc = auc_of(fit.x)
    if auc > SEPARATED:   # no finite maximum: the likelihood rises towards a = infinity, where the AUC is 1
        return 1.0
    if not np.isfinite(fit.fun) or (not fit.success and np.linalg.norm(fit.jac) > 1e-4):
        raise ConvergenceError(fit.message)
    return auc


def binormal_jackknife(ratings: np.ndarray, is_case: np.ndarray, names: list[str]
                       ) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Binormal AUCs (k,) of the rows of ``ratings`` (k, c), the deviations (k, c) of their leave-one-case-out
    refits from their mean, and notes; ``names`` says which reader x modality each row is, for the messages."""
    k, c = ratings.shape
    value = np.empty(k)
    loo = np.empty((k, c))
    notes = []
    for row in range(k):   # a loop over the reader x modality rows; at most 2 K + 1 fits each (see above)
        values, ids = np.unique(ratings[row], return_inverse=True)
        if len(values) > MAX_CATEGORIES:
            raise DataError(f"metric='binormal_auc' fits ratings on a scale of at most {MAX_CATEGORIES} categories; "
                            f"{names[row]} has {len(values)} distinct ratings. Use ordinal ratings (e.g. 1-5), or "
                            "group a continuous score into categories first, e.g. pd.qcut(score, 10, labels=False).")
        cases = np.bincount(ids[is_case], minlength=len(values)).astype(float)
        controls = np.bincount(ids[~is_case], minlength=len(values)).astype(float)
        if len(values) < 2:
            raise DataError(f"metric='binormal_auc': {names[row]} gave every case the same rating "
                            f"({_show(values[0].item())}); the binormal model needs at least two rating categories. "
                            "Use metric='auc' (empirical), or drop the reader.")
        value[row] = _fit(cases, controls, names[row], "")
        cell = np.full((2, len(values)), np.nan)
        for truth, counts in ((1, cases), (0, controls)):
            for category in np.flatnonzero(counts):
                left = (cases - (truth == 1) * (np.arange(len(values)) == category),
                        controls - (truth == 0) * (np.arange(len(values)) == category))
                kept = (left[0] + left[1]) > 0
                kind = "diseased" if truth else "non-diseased"
                what = f" with a {kind} case rated {_show(values[category].item())} left out"
                cell[truth, category] = _fit(left[0][kept], left[1][kept], names[row], what)
        loo[row] = cell[is_case.astype(int), ids]
        if value[row] == 1.0:
            notes.append(f"the binormal fit of {names[row]} has no finite maximum (the likelihood rises towards "
                         "a = infinity, as when the ratings separate the diseased from the non-diseased cases): its "
                         "AUC is taken at the limit, 1")
    return value, loo - loo.mean(axis=1, keepdims=True), tuple(notes)


def _fit(cases: np.ndarray, controls: np.ndarray, name: str, what: str) -> float:
    if len(cases) < 2:
        raise DataError(f"metric='binormal_auc': {name}{what} has a single rating category left; the binormal model "
                        "needs at least two. Use metric='auc' (empirical), or merge this reader's rare ratings.")
    try:
        return binormal_auc(cases, controls)
    except ConvergenceError as error:
        raise ConvergenceError(f"metric='binormal_auc': the binormal fit of {name}{what} did not converge "
                               f"({error}); merge sparse rating categories of this reader, or use metric='auc'.") \
            from None


def row_names(modalities: tuple, readers: tuple) -> list[str]:
    """'reader R1 in modality CT' for every row (modality-major), for the messages."""
    return [f"reader {_show(r)} in modality {_show(m)}" for m in modalities for r in readers]

