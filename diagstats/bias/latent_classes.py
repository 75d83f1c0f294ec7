"""Latent class models: test accuracy without any reference standard.

With three or more binary tests that err independently given the (unobserved) disease status,
or two tests applied in two populations of different prevalence (Hui & Walter 1980), the
prevalence and every test's sensitivity and specificity can be estimated by maximum likelihood.

>>> import numpy as np, pandas as pd, diagstats as ds
>>> rng = np.random.default_rng(0)
>>> d = rng.random(3000) < 0.3
>>> df = pd.DataFrame({name: np.where(d, rng.random(3000) < se, rng.random(3000) > sp).astype(int)
...                    for name, se, sp in [("mri", .9, .85), ("ct", .8, .9), ("pet", .85, .95)]})
>>> res = ds.latent_class(df, tests=["mri", "ct", "pet"], n_boot=200)
>>> round(res.prevalence["all"].value, 2), round(res.sensitivity["mri"].value, 2)
(0.3, 0.9)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._core.bootstrap import outside_interval_note, percentile_interval, undefined_replicates_note
from .._input import (as_binary, as_generator, check_dataframe, check_level, check_n_boot, check_positive_number,
                      check_progress, check_whole_number, column, column_names, complete_cases)
from ..errors import DataError, OptionError
from ..results import Estimate, ResultTable, TestResult, estimates_frame, format_level, tidy

_EPS = 1e-12


@dataclass(frozen=True, repr=False)
class LatentClassResult(ResultTable):
    """A two-class latent class model of binary tests under conditional independence.

    Attributes
    ----------
    tests : tuple of str
    populations : tuple
        Population labels (``("all",)`` without ``populations=``).
    prevalence : dict of Estimate
        Prevalence per population.
    sensitivity, specificity : dict of Estimate
        Per test; intervals are percentile parametric bootstrap.
    log_likelihood : float
    n_parameters, df : int
        Free parameters (2 per test + 1 per population) and residual degrees of freedom of the
        pattern frequencies.
    goodness_of_fit : TestResult or None
        Likelihood-ratio G2 against the saturated multinomial (None when df = 0).
    dependence : DataFrame
        Residual pairwise dependence per pair of tests: observed and model-implied correlation and
        the bivariate residual (BVR, chi-square with 1 df); ``flag`` marks BVR > 3.84.
    converged : bool
        Whether the best EM run met the tolerance.
    n_iter : int
        EM iterations of the best run.
    n_starts, n_starts_at_best : int
        Random starts and how many reached the best log-likelihood (within 1e-6).
    n_boot, seed, level
    n_omitted : int
        Patients dropped for a missing test result (``nan_policy="omit"``).
    notes : tuple of str
    """

    tests: tuple[str, ...]
    populations: tuple[Any, ...]
    prevalence: dict[Any, Estimate]
    sensitivity: dict[str, Estimate]
    specificity: dict[str, Estimate]
    log_likelihood: float
    n_parameters: int
    df: int
    goodness_of_fit: TestResult | None
    dependence: pd.DataFrame
    converged: bool
    n_iter: int
    n_starts: int
    n_starts_at_best: int
    n: int
    n_boot: int
    seed: Any
    level: float = 0.95
    n_omitted: int = 0
    notes: tuple[str, ...] = field(default=())

    key_columns = ("test",)

    @property
    def title(self) -> str:  # type: ignore[override]
        kind = "Hui-Walter latent class model" if len(self.tests) == 2 else "Latent class model"
        return f"{kind}: {', '.join(self.tests)}"

    def header_lines(self) -> list[str]:
        lines = [f"n = {self.n} in {len(self.populations)} population(s); log-likelihood {self.log_likelihood:.4f}; "
                 f"{self.n_parameters} parameters, df {self.df}; "
                 f"EM {'converged' if self.converged else 'NOT converged'}"
                 f" in {self.n_iter} iterations ({self.n_starts_at_best} of {self.n_starts} starts at the best)",
                 f"{format_level(self.level)} intervals: percentile parametric bootstrap ({self.n_boot} replicates)"]
        if self.goodness_of_fit is not None:
            lines.append(self.goodness_of_fit.format())
        flagged = self.dependence[self.dependence["flag"]]
        if len(flagged):
            pairs = ", ".join(f"{a}-{b}" for a, b in zip(flagged["test_a"], flagged["test_b"]))
            lines.append(f"residual dependence flagged for: {pairs}")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """Rows: prevalence per population, then sensitivity and specificity per test. Columns ``test``
        (test name, or population label for prevalence), measure, value, lower, upper, level, method, notes."""
        rows, labels = [], []
        for pop, est in self.prevalence.items():
            rows.append(est)
            labels.append(str(pop))
        for test in self.tests:
            rows += [self.sensitivity[test], self.specificity[test]]
            labels += [test, test]
        frame = estimates_frame(rows)
        frame.insert(0, "test", labels)
        return tidy(frame, self.key_columns)

    def __repr__(self) -> str:
        return (f"LatentClassResult(tests={list(self.tests)}, populations={len(self.populations)}, "
                f"log_likelihood={self.log_likelihood:.4f}, converged={self.converged})")


def latent_class(data: pd.DataFrame, *, tests: Sequence[str], populations: str | None = None, n_starts: int = 20,
                 n_boot: int = 1000, level: float = 0.95, seed: Any = 0, max_iter: int = 10_000,
                 tol: float = 1e-9, nan_policy: str = "raise", progress: bool = True) -> LatentClassResult:
    """Estimate prevalence and test accuracy without a reference standard (latent class model).

    The model has two latent classes (diseased / not diseased); given the class, the tests are
    independent (conditional independence), and every test has one sensitivity and specificity
    shared by all populations, while prevalence may differ between populations. Parameters are
    estimated by maximum likelihood with the EM algorithm, vectorised over response patterns and
    over ``n_starts`` seeded random starts; the start with the highest likelihood is kept.

    Parameters
    ----------
    data : DataFrame
        One row per patient.
    tests : list of str
        Columns of binary test results (0/1 or bool): at least three, or two with ``populations``.
    populations : str, optional
        Column identifying the population (e.g. centre or referral route) of each patient. With two
        tests and two populations of different prevalence this is the Hui & Walter (1980) model.
    n_starts : int, default 20
        Random starts of EM (sensitivity and specificity drawn from U(0.5, 0.99), prevalence from
        U(0.05, 0.95)).
    n_boot : int, default 1000
        Parametric bootstrap replicates (>= 20): pattern counts are redrawn from the fitted model and the
        model refitted (from the estimate, all replicates at once).
    level : float, default 0.95
    seed : int, Generator or None, default 0
    max_iter : int, default 10000
    tol : float, default 1e-9
        EM stops when no parameter changes by more than ``tol`` in an iteration.
    nan_policy : {"raise", "omit"}, default "raise"
    progress : bool, default True
        Show a ``tqdm.auto`` progress bar of the bootstrap refits as they converge.

    Returns
    -------
    LatentClassResult

    Notes
    -----
    *Identifiability.* With K tests in G populations the pattern frequencies have G (2^K - 1) degrees
    of freedom and the model 2K + G parameters. Designs with more parameters than degrees of
    freedom are refused (e.g. two tests in one population: 3 df for 5 parameters). Two tests in two
    populations (6 df, 6 parameters) are just identified when the prevalences differ; three tests in
    one population (7, 7) are just identified too, so neither has a goodness-of-fit test.

    *Label switching.* The two latent classes are interchangeable in the likelihood; diagstats names
    "diseased" the class in which the majority of tests have sensitivity + specificity > 1 (tests are
    better than chance), and says so in the notes when it had to swap.

    *Conditional dependence.* Tests that err on the same patients (two imaging tests missing small
    lesions) violate the model and bias it. ``dependence`` lists, for each pair, the bivariate residual
    (Vermunt & Magidson 2005); pairs with BVR > 3.84 are flagged. A model with random effects for
    dependence (Qu, Tan & Kutner 1996) is not implemented.

    References
    ----------
    Hui SL, Walter SD (1980). Estimating the error rates of diagnostic tests. Biometrics 36:167-171.
    Dempster AP, Laird NM, Rubin DB (1977). Maximum likelihood from incomplete data via the EM
    algorithm. J R Stat Soc B 39:1-38.
    Walter SD, Irwig LM (1988). Estimation of test error rates, disease prevalence and relative risk
    from misclassified data: a review. J Clin Epidemiol 41:923-937.

    Examples
    --------
    >>> import numpy as np, pandas as pd, diagstats as ds
    >>> rng = np.random.default_rng(1)
    >>> d = rng.random(2000) < 0.4
    >>> df = pd.DataFrame({t: np.where(d, rng.random(2000) < 0.85, rng.random(2000) > 0.9).astype(int)
    ...                    for t in ["a", "b", "c", "d"]})
    >>> res = ds.latent_class(df, tests=["a", "b", "c", "d"], n_boot=200)
    >>> res.df, res.converged, bool(res.goodness_of_fit.p_value > 0.01)
    (6, True, True)
    """
    level = check_level(level)
    n_starts = check_whole_number(n_starts, "n_starts", minimum=1, what="random starts", example=20)
    n_boot = check_n_boot(n_boot)
    max_iter = check_whole_number(max_iter, "max_iter", minimum=10, what="iterations", example=10_000)
    tol = check_positive_number(tol, "tol")
    progress = check_progress(progress)
    rng = as_generator(seed)
    tests = _check_tests(tests)
    Y, pop_index, pop_labels, n_omitted = _prepare(data, tests, populations, nan_policy)
    n_tests, n_pops = len(tests), len(pop_labels)
    _check_identifiable(n_tests, n_pops, populations)

    patterns = ((np.arange(2**n_tests)[:, None] >> np.arange(n_tests)[::-1]) & 1).astype(float)
    codes = Y.astype(int) @ (1 << np.arange(n_tests)[::-1])
    counts = np.zeros((n_pops, 2**n_tests))
    np.add.at(counts, (pop_index, codes), 1)
    n_per_pop = counts.sum(axis=1)

    starts = (rng.uniform(0.5, 0.99, (n_starts, n_tests)), rng.uniform(0.5, 0.99, (n_starts, n_tests)),
              rng.uniform(0.05, 0.95, (n_starts, n_pops)))
    fit = _em(patterns, np.broadcast_to(counts, (n_starts, *counts.shape)), *starts, max_iter=max_iter, tol=tol)
    best = int(np.argmax(fit["loglik"]))
    se, sp, prev = fit["se"][best], fit["sp"][best], fit["prev"][best]
    notes = ["assumes the tests are independent given the true disease status (conditional independence)"]
    se, sp, prev, swapped = _orient(se[None], sp[None], prev[None])
    se, sp, prev = se[0], sp[0], prev[0]
    if swapped[0]:
        notes.append("latent classes swapped so that most tests have sensitivity + specificity > 1")
    loglik = float(fit["loglik"][best])
    n_at_best = int(np.sum(fit["loglik"] > loglik - 1e-6 * max(1.0, abs(loglik))))
    if n_at_best < max(2, n_starts // 4) and n_starts > 1:
        notes.append(f"only {n_at_best} of {n_starts} starts reached the best likelihood: the likelihood has "
                     "several maxima; consider more starts (n_starts=)")
    converged = bool(fit["converged"][best])
    if not converged:
        notes.append(f"EM did not converge within max_iter={max_iter} iterations; the estimates may be imprecise")
    if np.any((se < 1e-6) | (se > 1 - 1e-6) | (sp < 1e-6) | (sp > 1 - 1e-6)):
        notes.append("some estimates lie on the boundary (0 or 1); their intervals are unreliable")
    if n_tests == 2 and n_pops >= 2 and np.ptp(prev) < 0.1:
        notes.append("the population prevalences differ by less than 0.1: the Hui-Walter model is then only "
                     "weakly identified and its estimates unstable")

    expected = _expected(patterns, se, sp, prev) * n_per_pop[:, None]
    n_parameters = 2 * n_tests + n_pops
    df = n_pops * (2**n_tests - 1) - n_parameters
    gof = _g2(counts, expected, df, notes)
    dependence = _pairwise_dependence(patterns, counts, expected, tests)
    if dependence["flag"].any():
        notes.append("residual dependence between some test pairs (BVR > 3.84): conditional independence looks "
                     "violated and the estimates may be biased")

    boot_counts = np.stack([rng.multinomial(int(n_per_pop[g]), expected[g] / n_per_pop[g], size=n_boot)
                            for g in range(n_pops)], axis=1).astype(float)
    from tqdm.auto import tqdm
    with tqdm(total=n_boot, desc="bootstrap fits", unit="fit", disable=not progress) as bar:
        boot = _em(patterns, boot_counts, np.tile(se, (n_boot, 1)), np.tile(sp, (n_boot, 1)),
                   np.tile(prev, (n_boot, 1)), max_iter=max_iter, tol=tol, bar=bar)
    b_se, b_sp, b_prev, _ = _orient(boot["se"], boot["sp"], boot["prev"])
    if not boot["converged"].all():
        notes.append(f"{int((~boot['converged']).sum())} of {n_boot} bootstrap fits did not converge within max_iter")

    method = f"percentile parametric bootstrap ({n_boot} replicates)"

    def estimate(value, draws, name):
        lower, upper = percentile_interval(draws, level)
        outside = outside_interval_note(name, float(value), lower, upper, "parametric bootstrap percentile",
                                        "few patients or a narrow level: the refitted estimates are skewed")
        return Estimate(float(value), lower, upper, level, method, name, undefined_replicates_note(draws) + outside)

    return LatentClassResult(
        tests=tuple(tests), populations=tuple(pop_labels),
        prevalence={p: estimate(prev[g], b_prev[:, g], "prevalence") for g, p in enumerate(pop_labels)},
        sensitivity={t: estimate(se[j], b_se[:, j], "sensitivity") for j, t in enumerate(tests)},
        specificity={t: estimate(sp[j], b_sp[:, j], "specificity") for j, t in enumerate(tests)},
        log_likelihood=loglik, n_parameters=n_parameters, df=df, goodness_of_fit=gof, dependence=dependence,
        converged=converged, n_iter=int(fit["n_iter"][best]), n_starts=n_starts, n_starts_at_best=n_at_best,
        n=int(n_per_pop.sum()), n_boot=n_boot, seed=seed, level=level, n_omitted=n_omitted, notes=tuple(notes))


# ----------------------------------------------------------------------------------------- input


def _check_tests(tests: Any) -> list[str]:
    if isinstance(tests, str):
        raise OptionError(f"tests={tests!r} must be a list of column names, e.g. tests=['mri', 'ct', 'pet'].")
    return column_names(tests, "tests", example="['mri', 'ct', 'pet']")


def _prepare(data: Any, tests: list[str], populations: str | None, nan_policy: str) -> tuple:
    check_dataframe(data, what="one row per patient")
    arrays = {t: column(data, t, "tests").to_numpy() for t in tests}
    if populations is not None:
        arrays["populations"] = column(data, populations, "populations").to_numpy()
    complete, n_omitted = complete_cases(arrays, nan_policy)
    if not len(complete[tests[0]]):
        raise DataError(f"data has no patient with every test result ({len(data)} rows, {n_omitted} omitted for "
                        "missing values); a latent class model needs patients with all of tests=.")
    Y = np.column_stack([as_binary(complete[t], f"test {t!r}").values for t in tests])
    for j, t in enumerate(tests):
        if Y[:, j].all() or not Y[:, j].any():
            raise DataError(f"test {t!r} has the same result ({'positive' if Y[0, j] else 'negative'}) for every "
                            "patient, so a latent class model cannot estimate its sensitivity and specificity. Drop "
                            "it from tests=.")
    if populations is None:
        return Y, np.zeros(len(Y), dtype=int), ["all"], n_omitted
    labels, index = np.unique(complete["populations"], return_inverse=True)
    return Y, index, list(labels), n_omitted


def _check_identifiable(n_tests: int, n_pops: int, populations: str | None) -> None:
    n_parameters, n_df = 2 * n_tests + n_pops, n_pops * (2**n_tests - 1)
    if n_tests < 2:
        raise DataError(f"tests has {n_tests} test; a latent class model needs at least two tests (in two or more "
                        "populations) or three tests.")
    if n_tests == 2 and n_pops < 2:
        where = ("populations=None" if populations is None else
                 f"populations={populations!r} has a single population")
        raise DataError(f"Two tests in one population are not identifiable ({where}): their 4 result patterns give "
                        "3 independent frequencies for 5 parameters (prevalence, 2 sensitivities, 2 "
                        "specificities). Add a third test, or give populations= with two or more groups of "
                        "different prevalence (Hui & Walter 1980).")
    if n_parameters > n_df:  # pragma: no cover - implied by the two checks above for 2 classes
        raise DataError(f"The model has {n_parameters} parameters but the data only {n_df} degrees of freedom.")


# ------------------------------------------------------------------------------------------- EM

def _class_likelihoods(patterns: np.ndarray, se: np.ndarray, sp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(pattern | diseased) and P(pattern | not diseased), shape (S, P), for S parameter sets."""
    se, sp = np.clip(se, _EPS, 1 - _EPS), np.clip(sp, _EPS, 1 - _EPS)
    log1 = np.log(se) @ patterns.T + np.log1p(-se) @ (1 - patterns).T
    log0 = np.log1p(-sp) @ patterns.T + np.log(sp) @ (1 - patterns).T
    return np.exp(log1), np.exp(log0)


def _em(patterns: np.ndarray, counts: np.ndarray, se: np.ndarray, sp: np.ndarray, prev: np.ndarray, *,
        max_iter: int, tol: float, bar: Any = None) -> dict:
    """EM for S fits at once. counts (S, G, P); se, sp (S, K); prev (S, G); ``bar`` counts converged fits."""
    n_fits = counts.shape[0]
    n_per_pop = counts.sum(axis=2)
    loglik = np.full(n_fits, -np.inf)
    converged = np.zeros(n_fits, dtype=bool)
    n_iter = np.zeros(n_fits, dtype=int)
    active = np.ones(n_fits, dtype=bool)
    se, sp, prev = se.copy(), sp.copy(), prev.copy()
    for iteration in range(1, max_iter + 1):
        f1, f0 = _class_likelihoods(patterns, se, sp)  # (S, P)
        joint1 = prev[:, :, None] * f1[:, None, :]  # (S, G, P)
        marginal = joint1 + (1 - prev[:, :, None]) * f0[:, None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            post = np.where(marginal > 0, joint1 / marginal, 0.5)
            loglik = np.where(active, np.sum(counts * np.log(np.where(counts > 0, marginal, 1.0)), axis=(1, 2)),
                              loglik)
        weighted1 = counts * post  # expected diseased per population and pattern
        weighted0 = counts - weighted1
        n1, n0 = weighted1.sum(axis=(1, 2)), weighted0.sum(axis=(1, 2))
        with np.errstate(divide="ignore", invalid="ignore"):
            new_se = np.nan_to_num((weighted1.sum(axis=1) @ patterns) / n1[:, None], nan=0.5)
            new_sp = np.nan_to_num((weighted0.sum(axis=1) @ (1 - patterns)) / n0[:, None], nan=0.5)
            new_prev = weighted1.sum(axis=2) / n_per_pop
        step = np.max(np.abs(np.concatenate([new_se - se, new_sp - sp, new_prev - prev], axis=1)), axis=1)
        keep = active[:, None]
        se, sp, prev = np.where(keep, new_se, se), np.where(keep, new_sp, sp), np.where(keep, new_prev, prev)
        n_iter = np.where(active, iteration, n_iter)
        newly = active & (step < tol)
        converged |= newly
        active &= ~newly
        if bar is not None:
            bar.update(int(newly.sum()))
        if not active.any():
            break
    if bar is not None:
        bar.update(bar.total - bar.n)  # the fits that stopped at max_iter without converging
    return {"se": se, "sp": sp, "prev": prev, "loglik": loglik, "converged": converged, "n_iter": n_iter}


def _orient(se: np.ndarray, sp: np.ndarray, prev: np.ndarray) -> tuple:
    """Swap the classes where most tests would have sensitivity + specificity < 1."""
    swap = np.sum(se + sp < 1, axis=1) > se.shape[1] / 2
    s = swap[:, None]
    return (np.where(s, 1 - sp, se), np.where(s, 1 - se, sp), np.where(s, 1 - prev, prev), swap)


def _expected(patterns: np.ndarray, se: np.ndarray, sp: np.ndarray, prev: np.ndarray) -> np.ndarray:
    """Pattern probabilities per population, shape (G, P)."""
    f1, f0 = _class_likelihoods(patterns, se[None], sp[None])
    return prev[:, None] * f1 + (1 - prev[:, None]) * f0


# ------------------------------------------------------------------------------------- fit checks

def _g2(counts: np.ndarray, expected: np.ndarray, df: int, notes: list[str]) -> TestResult | None:
    if df <= 0:
        notes.append("the model is just identified (df = 0): it fits the pattern frequencies exactly and has no "
                     "goodness-of-fit test")
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(counts > 0, counts * np.log(counts / expected), 0.0)
    g2 = float(2 * terms.sum())
    return TestResult(statistic=g2, p_value=float(stats.chi2.sf(g2, df)), method="likelihood-ratio G2", df=df,
                      name="goodness of fit")


def _pairwise_dependence(patterns: np.ndarray, counts: np.ndarray, expected: np.ndarray,
                         tests: list[str]) -> pd.DataFrame:
    """Observed vs model-implied 2x2 table of each pair of tests, pooled over populations."""
    observed, fitted = counts.sum(axis=0), expected.sum(axis=0)
    n = observed.sum()
    rows = []
    for a, b in combinations(range(len(tests)), 2):
        cells = [(patterns[:, a] == i) & (patterns[:, b] == j) for i in (0, 1) for j in (0, 1)]
        obs = np.array([observed[c].sum() for c in cells])
        exp = np.array([fitted[c].sum() for c in cells])
        with np.errstate(divide="ignore", invalid="ignore"):
            bvr = float(np.sum(np.where(exp > 0, (obs - exp) ** 2 / exp, 0.0)))
        rows.append({"test_a": tests[a], "test_b": tests[b], "observed_correlation": _phi(obs / n),
                     "expected_correlation": _phi(exp / n), "bvr": bvr, "flag": bvr > stats.chi2.ppf(0.95, 1)})
    return pd.DataFrame(rows, columns=["test_a", "test_b", "observed_correlation", "expected_correlation", "bvr",
                                       "flag"])


def _phi(p: np.ndarray) -> float:
    """Correlation of two binary variables from cell probabilities (00, 01, 10, 11)."""
    pa, pb = p[2] + p[3], p[1] + p[3]
    denom = np.sqrt(pa * (1 - pa) * pb * (1 - pb))
    return float((p[3] - pa * pb) / denom) if denom > 0 else float("nan")
