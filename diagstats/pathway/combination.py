"""Accuracy of two or more tests combined, from published sensitivities and specificities.

A patient is called positive when at least ``k`` of the ``n`` tests are positive: ``rule="series"``
is ``k = n`` (all positive: believe the negative), ``rule="parallel"`` is ``k = 1`` (any positive:
believe the positive). Tests may be conditionally dependent given disease status (Gardner et al.
2000): ``cov_positive`` is the covariance of two tests' results among the diseased,
``cov_negative`` among the non-diseased.

>>> import diagstats as ds
>>> res = ds.pathway.combine(sensitivity=[0.90, 0.95], specificity=[0.80, 0.85], rule="series")
>>> round(res.sensitivity.value, 3), round(res.specificity.value, 3)
(0.855, 0.97)
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._input import _show, check_probability
from ..errors import OptionError
from ..results import Estimate, ResultTable, format_number, tidy

#: Most tests one combination takes: the joint distribution has 2**n result patterns.
MAX_TESTS = 12

#: Tolerance for a pattern probability or a covariance bound computed in floating point.
_TOLERANCE = 1e-12

METHOD = "closed form (Gardner et al. 2000)"


# --------------------------------------------------------------------------------------------- arguments

def check_rule(rule: Any, n_tests: int, name: str = "rule") -> int:
    """The number ``k`` of positive tests that makes the combination positive: "series" is ``n``,
    "parallel" is 1, a whole number ``k`` from 1 to ``n`` is k-of-n."""
    if isinstance(rule, str):
        if rule == "series":
            return n_tests
        if rule == "parallel":
            return 1
    elif isinstance(rule, numbers.Integral) and not isinstance(rule, (bool, np.bool_)):
        if 1 <= rule <= n_tests:
            return int(rule)
        raise OptionError(f"{name}={_show(rule)} must be a number of positive tests from 1 to {n_tests} (the number "
                          f"of tests), e.g. {name}=2 for 2-of-{n_tests}.")
    raise OptionError(f"{name}={_show(rule)} is not a valid rule; use 'series' (positive only if every test is "
                      f"positive), 'parallel' (positive if any test is) or a whole number k from 1 to {n_tests} "
                      "(positive if at least k tests are).")


def rule_label(k: int, n_tests: int) -> str:
    if k == n_tests:
        return "series"
    return "parallel" if k == 1 else f"{k} of {n_tests}"


def check_accuracies(sensitivity: Any, specificity: Any) -> tuple[np.ndarray, np.ndarray]:
    """Sensitivities and specificities of the same 2 to :data:`MAX_TESTS` tests, each in [0, 1]."""
    arrays = []
    for value, name in ((sensitivity, "sensitivity"), (specificity, "specificity")):
        if isinstance(value, (str, bytes)) or np.ndim(value) != 1:
            raise OptionError(f"{name}={_show(value)} must be a list of one {name} per test (at least 2 tests), "
                              f"e.g. {name}=[0.9, 0.95].")
        arrays.append(np.asarray(check_probability(value, name), dtype=float).reshape(-1))
    se, sp = arrays
    if len(se) != len(sp):
        raise OptionError(f"sensitivity has {len(se)} values and specificity {len(sp)}; give one of each per test, "
                          "in the same order.")
    if not 2 <= len(se) <= MAX_TESTS:
        raise OptionError(f"sensitivity has {len(se)} values; combine takes from 2 to {MAX_TESTS} tests (one "
                          "sensitivity and one specificity per test).")
    return se, sp


def pair_bounds(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The covariances two binary results with probabilities ``p_i``, ``p_j`` can have (Frechet bounds on
    P(both) = p_i p_j + c): from ``max(0, p_i + p_j - 1) - p_i p_j`` to ``min(p_i, p_j) - p_i p_j``."""
    pi, pj = p[:, None], p[None, :]
    product = pi * pj
    return np.maximum(0.0, pi + pj - 1) - product, np.minimum(pi, pj) - product


def check_covariance(cov: Any, p: np.ndarray, name: str, measure: str) -> np.ndarray:
    """An ``n x n`` matrix of pairwise conditional covariances within their admissible ranges.

    ``cov`` is a number (two tests only) or a symmetric ``n x n`` matrix whose diagonal is 0 or the
    variances ``p (1 - p)`` (only the off-diagonal entries are covariances). ``p`` is the probability of
    the counted result in that group (the sensitivity among the diseased, the specificity among the
    non-diseased: the covariance of the negative results equals that of the positive results).
    """
    n = len(p)
    values = np.asarray(cov, dtype=float) if _numeric(cov) else None
    if values is None or not np.all(np.isfinite(values)):
        raise OptionError(f"{name}={_show(cov)} must be a finite number (two tests) or an {n} x {n} matrix of "
                          "pairwise covariances.")
    if values.ndim == 0:
        if n != 2 and values != 0:
            raise OptionError(f"{name}={_show(cov)} is a single number but there are {n} tests; give an {n} x {n} "
                              f"symmetric matrix whose entry [i, j] is the covariance of tests i and j (0 for "
                              "pairs that are conditionally independent).")
        matrix = np.full((n, n), float(values))
    elif values.shape == (n, n):
        if not np.allclose(values, values.T, rtol=0, atol=_TOLERANCE):
            raise OptionError(f"{name} must be a symmetric matrix: entry [i, j] and [j, i] are both the covariance "
                              "of tests i and j.")
        diagonal = np.diag(values)
        if not np.all(np.isclose(diagonal, 0, rtol=0, atol=_TOLERANCE)
                      | np.isclose(diagonal, p * (1 - p), rtol=0, atol=_TOLERANCE)):
            raise OptionError(f"{name} has diagonal {_show(diagonal.tolist())}; the diagonal must be 0 or each "
                              f"test's variance {measure} x (1 - {measure}); only the off-diagonal entries are used.")
        matrix = values.copy()
    else:
        raise OptionError(f"{name} has shape {values.shape}; give a number (two tests) or an {n} x {n} matrix.")
    np.fill_diagonal(matrix, 0.0)
    low, high = pair_bounds(p)
    bad = np.argwhere(np.triu((matrix < low - _TOLERANCE) | (matrix > high + _TOLERANCE), 1))
    if len(bad):
        i, j = bad[0]
        pair = "" if n == 2 else f"[{i}, {j}]"
        tests = "" if n == 2 else f" (tests {i + 1} and {j + 1})"
        raise OptionError(f"{name}{pair}={matrix[i, j]:g}{tests} is outside the range the {measure} values allow: with "
                          f"{measure} {p[i]:g} and {p[j]:g} the covariance must lie from {low[i, j]:.6g} to "
                          f"{high[i, j]:.6g} (P(both) = product + covariance must lie from max(0, sum - 1) to the "
                          "smaller of the two).")
    return matrix


def _numeric(x: Any) -> bool:
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError):
        return False
    return arr.dtype.kind in "iuf" and arr.dtype != object


# ------------------------------------------------------------------------------------------------ kernel

def patterns(n_tests: int) -> np.ndarray:
    """Every result pattern of ``n_tests`` tests, shape ``(2**n, n)``, 1 = positive (test 1 is the first column)."""
    codes = np.arange(2 ** n_tests)
    return ((codes[:, None] >> np.arange(n_tests)[None, :]) & 1).astype(float)


def pattern_probabilities(p: np.ndarray, cov: np.ndarray | None, x: np.ndarray) -> np.ndarray:
    """P(pattern) for results with positive probabilities ``p`` (shape ``(..., n)``) and pairwise covariances
    ``cov`` (``n x n``, zero diagonal; None for independence); shape ``(..., 2**n)``.

    The second-order Bahadur (1961) model: the independent product times ``1 + sum_{i<j} c_ij
    (x_i - p_i)(x_j - p_j) / (v_i v_j)`` with ``v = p (1 - p)``. Its pairwise marginals are exactly
    ``p_i p_j + c_ij`` and higher-order interactions are zero; for two tests it is Gardner et al.'s
    (2000) model, and a test with no covariance is independent of the others (as epiR assumes for
    test 1 of three).
    """
    p = p[..., None, :]
    independent = np.prod(np.where(x == 1, p, 1 - p), axis=-1)
    if cov is None or not np.any(cov):
        return independent
    v = p * (1 - p)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(v > 0, (x - p) / np.where(v > 0, v, 1), 0.0)
    interaction = 0.5 * np.einsum("...i,ij,...j->...", z, cov, z)
    return independent * (1 + interaction)


def tests_done(x: np.ndarray, k: int) -> np.ndarray:
    """Which tests a sequential work-up does for each pattern, shape ``(2**n, n)``: the tests in order, stopping
    as soon as ``k`` are positive (called positive) or ``n - k + 1`` are negative (called negative)."""
    n = x.shape[1]
    positives_before = np.cumsum(x, axis=1) - x
    negatives_before = np.cumsum(1 - x, axis=1) - (1 - x)
    return ((positives_before < k) & (negatives_before < n - k + 1)).astype(float)


# ------------------------------------------------------------------------------------------------ result

@dataclass(frozen=True)
class CombinedAccuracy(ResultTable):
    """Sensitivity and specificity of a combination of tests, and what a sequential work-up does per 1,000.

    Attributes
    ----------
    sensitivity, specificity : Estimate
        Of the combination, with the covariances given (no interval: the inputs are fixed numbers;
        use :func:`diagstats.pathway.psa` to propagate their uncertainty).
    sensitivity_independent, specificity_independent : Estimate
        The same assuming conditional independence (epiR's ``independent`` frame).
    rule : str
        ``"series"``, ``"parallel"`` or ``"k of n"``.
    k : int
        Positive tests needed for a positive combination.
    names : tuple of str
        The tests, in the order a sequential work-up does them.
    prevalence : float or None
        With a prevalence, ``counts`` holds the expected counts per 1,000 patients.
    counts : DataFrame
        ``measure, value`` per 1,000 patients: each test done (sequentially: stop once the result
        is decided), patients called positive, true and false positives, missed diseased (false
        negatives), true negatives. Empty without a prevalence.
    """

    sensitivity: Estimate
    specificity: Estimate
    sensitivity_independent: Estimate
    specificity_independent: Estimate
    rule: str
    k: int
    names: tuple[str, ...]
    input_sensitivity: tuple[float, ...]
    input_specificity: tuple[float, ...]
    cov_positive: np.ndarray
    cov_negative: np.ndarray
    prevalence: float | None
    counts: pd.DataFrame
    notes: tuple[str, ...] = ()

    key_columns = ("part",)

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"{len(self.names)} tests combined in {self.rule}: " + ", ".join(self.names)

    def header_lines(self) -> list[str]:
        tests = "; ".join(f"{n}: Se {format_number(se)}, Sp {format_number(sp)}"
                          for n, se, sp in zip(self.names, self.input_sensitivity, self.input_specificity))
        lines = [tests]
        if self.prevalence is not None:
            lines.append(f"Counts per 1,000 patients at prevalence {format_number(self.prevalence)}, tests done "
                         "in the order given until the result is decided.")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """Rows ``part`` "combined" (sensitivity and specificity with the covariances, then assuming
        independence), then ``part`` "per 1,000 patients" (the sequential counts, with a prevalence)."""
        accuracy = pd.DataFrame([{**e._row(), "measure": name} for e, name in (
            (self.sensitivity, "sensitivity"), (self.specificity, "specificity"),
            (self.sensitivity_independent, "sensitivity if independent"),
            (self.specificity_independent, "specificity if independent"))])
        accuracy.insert(0, "part", "combined")
        counts = self.counts.assign(part="per 1,000 patients", method="expected count")
        return tidy(pd.concat([accuracy, counts], ignore_index=True), self.key_columns)


def _estimate(value: float, name: str) -> Estimate:
    return Estimate(float(value), np.nan, np.nan, np.nan, METHOD, name)


def combine(sensitivity: Sequence[float], specificity: Sequence[float], rule: str | int = "series", *,
            cov_positive: Any = 0, cov_negative: Any = 0, prevalence: float | None = None,
            names: Sequence[str] | None = None) -> CombinedAccuracy:
    """Sensitivity and specificity of 2 or more tests combined in series, in parallel or k-of-n.

    Parameters
    ----------
    sensitivity, specificity : sequence of float
        One per test, each in [0, 1], in the order a sequential work-up does the tests.
    rule : "series", "parallel" or int, default "series"
        "series": positive only if every test is positive; "parallel": positive if any is; a whole
        number ``k``: positive if at least ``k`` tests are.
    cov_positive, cov_negative : float or (n, n) array, default 0
        Conditional covariance of the test results among the diseased (``P(both positive | D+) -
        Se_i Se_j``) and among the non-diseased (``P(both negative | D-) - Sp_i Sp_j``), as in epiR's
        ``covar``. A number for two tests; for three or more a symmetric matrix (diagonal 0 or the
        variances) of pairwise covariances, higher-order interactions zero (Bahadur's second-order
        model). Each must lie within the bounds the marginals allow.
    prevalence : float, optional
        Adds the expected counts per 1,000 patients of a sequential work-up.
    names : sequence of str, optional
        Test names for the counts (default "test 1", "test 2", ...).

    Returns
    -------
    CombinedAccuracy
        ``sensitivity`` and ``specificity`` (Estimates without an interval), the same under
        independence, and ``counts``.

    Notes
    -----
    With ``P_D(x)`` the probability of result pattern ``x`` among the diseased (from the
    sensitivities and ``cov_positive``) and ``P_N(x)`` among the non-diseased, the combination's
    sensitivity is ``sum of P_D(x)`` over patterns with at least ``k`` positives and its specificity
    ``sum of P_N(x)`` over the others. For two tests this is Gardner et al. (2000): in series
    ``Se = Se1 Se2 + cov_positive`` and ``Sp = 1 - (1 - Sp1)(1 - Sp2) - cov_negative``; in parallel
    ``Se = 1 - (1 - Se1)(1 - Se2) - cov_positive`` and ``Sp = Sp1 Sp2 + cov_negative``. Agrees with
    epiR ``rsu.dxtest`` (2.0.57) to 1e-12 on its documented examples; for three tests epiR allows one
    covariance, between tests 2 and 3: here the matrix with only entries [1, 2] and [2, 1] set.
    epiR's intervals are by simulation from its inputs; this function gives none, since fixed inputs
    carry no uncertainty (``ds.pathway.psa`` draws them from distributions).

    A sequential work-up does the tests one after another and stops once the result is decided (in
    series, at the first negative; in parallel, at the first positive); this changes how many tests
    are done, not the combination's accuracy.

    References
    ----------
    Gardner IA, Stryhn H, Lind P, Collins MT (2000). Conditional dependence between tests affects the
    diagnosis and surveillance of animal diseases. Prev Vet Med 45:107-122.
    Bahadur RR (1961). A representation of the joint distribution of responses to n dichotomous items.

    Examples
    --------
    >>> import diagstats as ds
    >>> res = ds.pathway.combine([0.784, 0.926], [0.951, 0.979], "parallel",
    ...                          cov_positive=0.035, cov_negative=-0.001, prevalence=0.2, names=["IFAT", "PCR"])
    >>> round(res.sensitivity.value, 3), round(res.specificity.value, 3)
    (0.949, 0.93)
    >>> res.counts.set_index("measure")["value"].round(1).to_dict()["PCR done"]  # after a negative IFAT
    804.0
    """
    se, sp = check_accuracies(sensitivity, specificity)
    n = len(se)
    k = check_rule(rule, n)
    if names is None:
        names = [f"test {i + 1}" for i in range(n)]
    elif isinstance(names, (str, bytes)) or len(names) != n or len({str(x) for x in names}) != n:
        raise OptionError(f"names={_show(names)} must be {n} distinct test names, one per sensitivity.")
    names = tuple(str(x) for x in names)
    if prevalence is not None:
        prevalence = float(check_probability(prevalence, "prevalence", scalar=True))
    cov_d = check_covariance(cov_positive, se, "cov_positive", "sensitivity")
    cov_n = check_covariance(cov_negative, sp, "cov_negative", "specificity")

    x = patterns(n)
    positive = x.sum(axis=1) >= k
    given_d = pattern_probabilities(se, cov_d, x)
    given_n = pattern_probabilities(1 - sp, cov_n, x)
    for probabilities, name in ((given_d, "cov_positive"), (given_n, "cov_negative")):
        if probabilities.min() < -_TOLERANCE:
            worst = x[np.argmin(probabilities)].astype(int)
            raise OptionError(f"{name}: these pairwise covariances are each within their bounds but together imply a "
                              f"negative probability ({probabilities.min():.3g}) for the result pattern "
                              f"{''.join('+' if b else '-' for b in worst)} of {n} tests (second-order Bahadur "
                              "model); make the covariances smaller in size.")
    sens = float(np.clip(given_d[positive].sum(), 0, 1))
    spec = float(np.clip(given_n[~positive].sum(), 0, 1))
    sens_ind = float(pattern_probabilities(se, None, x)[positive].sum())
    spec_ind = float(pattern_probabilities(1 - sp, None, x)[~positive].sum())

    notes = []
    if np.any(cov_d) or np.any(cov_n):
        notes.append("conditional dependence: pairwise covariances given disease status, higher-order "
                     "interactions zero (Bahadur's second-order model; Gardner et al. 2000 for two tests).")
    notes.append("no interval: the sensitivities and specificities given are fixed numbers; "
                 "ds.pathway.psa propagates their uncertainty.")
    counts = pd.DataFrame(columns=["measure", "value"])
    if prevalence is not None:
        done = tests_done(x, k)
        per_test = 1000 * (prevalence * given_d @ done + (1 - prevalence) * given_n @ done)
        tp, fn = 1000 * prevalence * sens, 1000 * prevalence * (1 - sens)
        fp, tn = 1000 * (1 - prevalence) * (1 - spec), 1000 * (1 - prevalence) * spec
        rows = [(f"{name} done", v) for name, v in zip(names, per_test)]
        rows += [("tests done", per_test.sum()), ("called positive", tp + fp), ("true positives", tp),
                 ("false positives", fp), ("missed (false negatives)", fn), ("true negatives", tn)]
        counts = pd.DataFrame(rows, columns=["measure", "value"])
    return CombinedAccuracy(
        sensitivity=_estimate(sens, "sensitivity"), specificity=_estimate(spec, "specificity"),
        sensitivity_independent=_estimate(sens_ind, "sensitivity if independent"),
        specificity_independent=_estimate(spec_ind, "specificity if independent"),
        rule=rule_label(k, n), k=k, names=names, input_sensitivity=tuple(se.tolist()),
        input_specificity=tuple(sp.tolist()), cov_positive=cov_d, cov_negative=cov_n, prevalence=prevalence,
        counts=counts, notes=tuple(notes))
