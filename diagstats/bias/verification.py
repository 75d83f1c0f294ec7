"""Partial verification bias: accuracy when only some patients had the reference standard.

When the decision to biopsy depends on the imaging result (or on other patient data), the
verified patients are not a random sample, and sensitivity and specificity computed on them
alone are biased. Under the assumption that verification depends only on observed data
(missing at random), the corrected estimators below remove that bias.

>>> import pandas as pd, diagstats as ds
>>> df = pd.DataFrame({"mri": [1] * 60 + [0] * 140,
...                    "biopsy": [1] * 40 + [0] * 10 + [None] * 10 + [1] * 4 + [0] * 36 + [None] * 100})
>>> res = ds.correct_verification(df, test="mri", reference="biopsy")
>>> round(res.sensitivity.value, 3), round(res.naive.sensitivity.value, 3)
(0.774, 0.909)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import partial
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit, log_expit

from .._core.quantiles import z_two_sided
from .._input import (as_binary, as_generator, check_dataframe, check_flag, check_level, check_n_boot,
                      check_nan_policy, check_option, check_progress, check_whole_number, column, column_names,
                      complete_cases, missing)
from ..binary.two_by_two import AccuracyResult, _from_counts
from ..errors import DataError, OptionError
from ..results import Estimate, ResultTable, estimates_frame, format_level, tidy
from .._core.bootstrap import pattern_counts, percentile_interval
from .._core.logistic import fit_logistic_firth, fit_logistic_weighted

METHODS = ("begg_greenes", "ipw", "multiple_imputation", "extended_begg_greenes", "em")
PREDICTIVE_VALUES = ("weighted", "disease_model")
METHOD_ALIASES = {"bg": "begg_greenes", "ebg": "extended_begg_greenes", "mi": "multiple_imputation"}
MEASURES = ("sensitivity", "specificity", "ppv", "npv", "prevalence")

#: Verification probabilities below this are flagged as giving extreme IPW weights (> 20).
EXTREME_PROBABILITY = 0.05

#: The EM stops when no patient's posterior probability of disease moves by more than this, or after EM_MAX_ITER.
EM_TOL = 1e-8
EM_MAX_ITER = 300
#: Newton steps allowed to the M step after a SQUAREM jump. An extrapolated jump can give posterior
#: weights that separate a logistic model of the M step (no finite solution): its Newton steps then grow
#: without end, and the jump is not taken. M steps that have a solution converge in a few Newton steps from
#: there (on PVBcorrect's cad_pvb resamples: rarely more than 12).
JUMP_NEWTON_MAX = 15
#: Newton steps on the EM's observed-data log-likelihood: smallest curvature allowed, halvings of a step
#: that does not raise the likelihood enough, and the share of the promised rise a step must give.
NEWTON_RIDGE = 1e-10
NEWTON_HALVINGS = 20
ARMIJO = 1e-4

#: A fitted disease probability this close to 0 or 1 among the verified means the disease model is separated.
SEPARATION_PROBABILITY = 1e-8


@dataclass(frozen=True, repr=False)
class VerificationResult(ResultTable):
    """Accuracy corrected for partial verification, with the naive verified-only estimate beside it.

    Attributes
    ----------
    method : str
        ``"begg_greenes"``, ``"ipw"``, ``"multiple_imputation"``, ``"extended_begg_greenes"`` or ``"em"``.
    sensitivity, specificity, ppv, npv, prevalence : Estimate
        Corrected estimates with their intervals (the interval method is in ``Estimate.method``).
    naive : AccuracyResult
        The complete-case analysis of the verified patients only (biased when verification
        depends on the test result), with Wilson intervals.
    n, n_verified : int
        Patients analysed and patients with a reference result.
    covariates : tuple of str
        Covariates of the verification model (IPW) or disease model (the other model-based methods).
    weights : ndarray or None
        IPW only: 1 / P(verified) for each verified patient and 0 for the unverified, in data order
        (after any rows omitted for missing values).
    verification_probability : ndarray or None
        IPW only: the fitted probability of verification of each patient.
    n_boot, n_imputations, seed : int or None
        Resampling settings, where used.
    mnar : bool or None
        EM only: whether verification was allowed to depend on the disease (missing not at random).
    notes : tuple of str
        What the reader must know: assumptions, extreme weights, bootstrap failures.
    """

    method: str
    sensitivity: Estimate
    specificity: Estimate
    ppv: Estimate
    npv: Estimate
    prevalence: Estimate
    naive: AccuracyResult
    n: int
    n_verified: int
    level: float = 0.95
    test: str | None = None
    reference: str | None = None
    covariates: tuple[str, ...] = ()
    weights: np.ndarray | None = None
    verification_probability: np.ndarray | None = None
    n_boot: int | None = None
    n_imputations: int | None = None
    seed: Any = None
    n_omitted: int = 0
    mnar: bool | None = None
    notes: tuple[str, ...] = field(default=())

    key_columns = ("analysis",)

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Accuracy of {self.test or 'test'} corrected for partial verification ({_LABELS[self.method]})"

    def header_lines(self) -> list[str]:
        lines = [f"n = {self.n}, verified {self.n_verified} ({self.n_verified / self.n:.1%}); "
                 f"{format_level(self.level)} confidence intervals"]
        if self.covariates:
            lines.append("covariates: " + ", ".join(self.covariates))
        if self.n_omitted:
            lines.append(f"{self.n_omitted} patients omitted for missing values")
        return lines

    def estimates(self) -> list[Estimate]:
        return [getattr(self, m) for m in MEASURES]

    def to_frame(self) -> pd.DataFrame:
        """One row per measure and analysis: analysis ("corrected" / "complete case"), measure, value, lower,
        upper, level, method, notes."""
        corrected = estimates_frame(self.estimates())
        naive = estimates_frame([getattr(self.naive, m) for m in MEASURES])
        corrected.insert(0, "analysis", "corrected")
        naive.insert(0, "analysis", "complete case")
        return tidy(pd.concat([corrected, naive], ignore_index=True), self.key_columns)

    def __repr__(self) -> str:
        return (f"VerificationResult(method={self.method!r}, n={self.n}, n_verified={self.n_verified}, "
                f"sensitivity={self.sensitivity.value:.4f}, specificity={self.specificity.value:.4f})")


_LABELS = {"begg_greenes": "Begg & Greenes", "ipw": "inverse probability weighting",
           "multiple_imputation": "multiple imputation", "extended_begg_greenes": "extended Begg & Greenes",
           "em": "EM, Kosinski & Barnhart"}


def correct_verification(data: pd.DataFrame, *, test: str, reference: str, verified: str | None = None,
                         covariates: Sequence[str] | None = None, method: str = "begg_greenes",
                         positive: Any = None, level: float = 0.95, seed: Any = 0, n_boot: int = 1000,
                         n_imputations: int = 50, predictive_values: str = "weighted", mnar: bool | None = None,
                         nan_policy: str = "raise", progress: bool = True) -> VerificationResult:
    """Sensitivity, specificity, PPV and NPV corrected for partial verification of the reference.

    All methods but ``"em"`` assume verification is *missing at random*: whether a patient was
    verified may depend on the test result (and on ``covariates``), but not on the disease itself given
    these. ``method="em"`` lets verification depend on the disease too (missing not at random).

    Parameters
    ----------
    data : DataFrame
        One row per patient.
    test : str
        Column of the binary index test (0/1 or bool); must be complete.
    reference : str
        Column of the reference standard; missing (NaN/None) for unverified patients when
        ``verified`` is None.
    verified : str, optional
        Column of a 0/1 (or bool) verification indicator. The reference of unverified patients is
        ignored; a verified patient without a reference result is an error.
    covariates : list of str, optional
        Patient variables that verification (IPW) or disease (extended Begg-Greenes, multiple
        imputation) depends on, besides the test result. Numeric columns are used as they are;
        text or categorical columns are dummy coded.
    method : {"begg_greenes", "ipw", "multiple_imputation", "extended_begg_greenes", "em"}, default "begg_greenes"
        - ``"begg_greenes"`` (Begg & Greenes 1983): verification depends on the test result only;
          analytic delta-method (Wald) intervals (Zhou 1993; Zhou 1994 for PPV/NPV).
        - ``"extended_begg_greenes"`` (Alonzo & Pepe 2005, "full imputation"): a logistic model of
          disease on test and covariates among the verified gives each patient's probability of
          disease; percentile bootstrap intervals.
        - ``"ipw"`` (Alonzo & Pepe 2005): verified patients weighted by 1 / P(verified | test,
          covariates) from a logistic model; percentile bootstrap intervals (the verification model
          is refitted in every replicate).
        - ``"multiple_imputation"`` (Harel & Zhou 2006): the missing reference is imputed
          ``n_imputations`` times from the logistic disease model with coefficients drawn from their
          approximate posterior; Rubin's rules with a t reference distribution. When no verified
          patient of a stratum is diseased (or none is not) the draws centre on Firth's (1993)
          penalised fit, which stays finite, and a note says so.
        - ``"em"`` (Kosinski & Barnhart 2003): maximum likelihood with three logistic models, for
          disease (on test and covariates), test (on covariates) and verification (on test, covariates
          and, with ``mnar=True``, the disease itself), fitted by EM: each unverified patient enters
          twice, as diseased and as not, weighted by the posterior probability of each, and the
          disease and verification models are refitted by weighted logistic regression until these
          weights settle (the test model has its own parameters and separates from the EM). Percentile
          bootstrap intervals, the EM rerun in every replicate (PVBcorrect ``acc_em`` also bootstraps) and
          each replicate fitted to its own convergence, including those in which verification depends strongly
          on the disease (a flat likelihood, or a maximum at the boundary), where plain EM creeps; a replicate
          still unconverged after 300 iterations (none in 1,000 resamples of PVBcorrect's cad_pvb) is counted
          in a note and left out, and the note says that this can make the intervals too narrow.
          Without covariates the model that lets verification depend on the disease is not identified
          (six parameters for five degrees of freedom): the data cannot tell it from missing at
          random, the EM stays at its missing-at-random start, and a note says so.
    positive : optional
        The reference value meaning diseased, if not 0/1 or bool.
    level : float, default 0.95
    seed : int, Generator or None, default 0
        For the bootstrap and the imputations.
    n_boot : int, default 1000
        Bootstrap replicates (>= 20; IPW, extended Begg-Greenes, EM).
    n_imputations : int, default 50
        Imputed data sets (multiple imputation).
    predictive_values : {"weighted", "disease_model"}, default "weighted"
        IPW only: how PPV, NPV and prevalence are estimated. ``"weighted"``: IPW-weighted
        proportions, e.g. PPV = sum(w T D) / sum(w T), which needs only the verification model.
        ``"disease_model"``: Bayes' theorem applied to the IPW sensitivity and specificity with the
        prevalence of the logistic disease model (the mean of every patient's fitted P(D | T,
        covariates)), as R PVBcorrect's ``acc_ipw`` does. The two coincide without covariates.
    mnar : bool, optional
        ``method="em"`` only (default True): let verification depend on the disease (missing not at
        random). ``mnar=False`` drops the disease from the verification model, which then separates
        from the likelihood: the EM gives exactly the extended Begg-Greenes estimates (and, without
        covariates, Begg-Greenes'), as PVBcorrect documents for ``acc_em(mnar = FALSE)``.
    nan_policy : {"raise", "omit"}, default "raise"
        Missing test, covariate or verification values (a missing reference is not "missing data"
        here: it means unverified).
    progress : bool, default True
        Show a ``tqdm.auto`` progress bar during the bootstrap (``ipw``, ``extended_begg_greenes``, ``em``).

    Returns
    -------
    VerificationResult
        Corrected ``sensitivity``, ``specificity``, ``ppv``, ``npv``, ``prevalence`` as Estimates, the
        complete-case ``naive`` result, IPW ``weights``, and notes.

    Notes
    -----
    Point estimates agree with R PVBcorrect 0.3.1 (``acc_cca``, ``acc_bg`` with its CI,
    ``acc_ipw``, ``acc_ebg``) to 1e-6; for IPW predictive values with covariates, PVBcorrect's
    convention is ``predictive_values="disease_model"``. The default weighted proportions keep IPW
    free of any disease model, so a misspecified disease model cannot bias them; both are
    consistent under MAR when the models are right.

    With ``method="begg_greenes"`` the Wald intervals may reach beyond [0, 1]; they are then cut at
    the bounds and a note says so.

    References
    ----------
    Begg CB, Greenes RA (1983). Assessment of diagnostic tests when disease verification is subject to
    selection bias. Biometrics 39:207-215.
    Zhou XH (1993). Maximum likelihood estimators of sensitivity and specificity corrected for
    verification bias. Commun Stat Theory Methods 22:3177-3198.
    Alonzo TA, Pepe MS (2005). Assessing accuracy of a continuous screening test in the presence of
    verification bias. J R Stat Soc C 54:173-190.
    Harel O, Zhou XH (2006). Multiple imputation for correcting verification bias. Stat Med
    25:3769-3786.
    Firth D (1993). Bias reduction of maximum likelihood estimates. Biometrika 80:27-38.
    Kosinski AS, Barnhart HX (2003). Accounting for nonignorable verification bias in assessment of
    diagnostic tests. Biometrics 59:163-171.
    Varadhan R, Roland C (2008). Simple and globally convergent methods for accelerating the
    convergence of any EM algorithm. Scand J Stat 35:335-353.
    Louis TA (1982). Finding the observed information matrix when using the EM algorithm. J R Stat Soc B
    44:226-233.

    Examples
    --------
    >>> import pandas as pd, diagstats as ds
    >>> df = pd.DataFrame({"mri": [1] * 60 + [0] * 140,
    ...                    "biopsy": [1] * 40 + [0] * 10 + [None] * 10 + [1] * 4 + [0] * 36 + [None] * 100})
    >>> print(ds.correct_verification(df, test="mri", reference="biopsy").sensitivity)
    sensitivity 0.774 (95% CI 0.602 to 0.947, Wald (delta method, Zhou 1993))
    """
    method = check_option(method, "method", METHODS, METHOD_ALIASES)
    predictive_values = check_option(predictive_values, "predictive_values", PREDICTIVE_VALUES)
    if predictive_values != "weighted" and method != "ipw":
        raise OptionError(f"predictive_values={predictive_values!r} applies to method='ipw' only; the other methods "
                          "estimate the predictive values from their own model.")
    if method == "em":
        mnar = True if mnar is None else check_flag(mnar, "mnar")
    elif mnar is not None:
        raise OptionError(f"mnar={mnar!r} applies to method='em' only; the other methods assume verification is "
                          "missing at random. Use method='em' to let verification depend on the disease.")
    level = check_level(level)
    nan_policy = check_nan_policy(nan_policy)
    covariates = _check_covariates(covariates)
    if method == "begg_greenes" and covariates:
        raise OptionError("method='begg_greenes' assumes verification depends on the test result only and takes "
                          "no covariates; use method='extended_begg_greenes' or 'ipw' with covariates=...")
    n_boot = check_n_boot(n_boot) if method in ("ipw", "extended_begg_greenes", "em") else None
    if method == "multiple_imputation":
        n_imputations = check_whole_number(n_imputations, "n_imputations", minimum=2, what="imputations", example=50)
    else:
        n_imputations = None
    rng = as_generator(seed)
    progress = check_progress(progress)

    t, d, v, Z, names, n_omitted = _prepare(data, test, reference, verified, covariates, positive, nan_policy)
    n, n_verified = len(t), int(v.sum())
    given = f"the test result{' and ' + ', '.join(covariates) if covariates else ''}"
    if method == "em" and mnar:
        notes = [f"lets verification depend on the disease as well as on {given} (missing not at random); the "
                 "logistic models' form is what identifies that dependence, and the data cannot check it"]
        if not covariates:
            notes.append("without covariates verification that depends on the disease is not identified (more "
                         "parameters than the data's degrees of freedom): the estimates are those of missing at "
                         "random (Begg & Greenes)")
    else:
        notes = [f"assumes verification is missing at random given {given}"]
    if n_verified == n:
        notes.append("every patient was verified: the corrected estimates equal the complete-case ones")
    naive = _from_counts(int(np.sum(v & t & d)), int(np.sum(v & t & ~d)), int(np.sum(v & ~t & d)),
                         int(np.sum(v & ~t & ~d)), level=level, ci_method="wilson", dor_method="woolf",
                         test=test, reference=reference)
    _check_groups(t, d, v, method)

    extra: dict[str, Any] = {}
    if method == "begg_greenes":
        estimates = _begg_greenes(t, d, v, level, notes)
    elif method == "multiple_imputation":
        estimates = _multiple_imputation(t, d, v, Z, level, n_imputations, rng, notes)
    else:
        X = np.column_stack([np.ones(n), t, Z])
        if method == "ipw":
            fit, separated = _glm_logit(v, X)
            prob = fit.predict(X)
            if separated or np.any(prob < SEPARATION_PROBABILITY):
                notes.append("the verification model separates verified from unverified patients (some have a "
                             "verification probability of about 0): no verified patient stands for them, so IPW "
                             "cannot correct for them (positivity fails); compare with method='multiple_imputation'")
            weights = np.where(v, 1 / prob, 0.0)
            extra = {"weights": weights, "verification_probability": prob}
            estimator = _ipw_estimates if predictive_values == "weighted" else _ipw_disease_model_estimates
            point = estimator(X, t, d, v, np.ones((1, n)))
            _flag_weights(prob, v, notes)
            if predictive_values == "disease_model":
                notes.append("PPV, NPV and prevalence: Bayes' theorem with the IPW sensitivity and specificity and the "
                             "prevalence of the logistic disease model (PVBcorrect's convention)")
        elif method == "em":
            estimator = partial(_em_estimates, mnar=mnar)
            point = _em_estimates(X, t, d, v, np.ones((1, n)), mnar=mnar)
            if not point[0, -1]:
                notes.append(f"the EM did not converge in {EM_MAX_ITER} iterations; the estimates are its last ones")
            point = point[:, :-1]
            extra = {"mnar": mnar}
        else:
            estimator = _ebg_estimates
            point = estimator(X, t, d, v, np.ones((1, n)))
        estimates = _bootstrap(estimator, X, t, d, v, point, level, n_boot, rng, notes, progress,
                               iterative=method == "em")
        extra.update(n_boot=n_boot, seed=seed)
    if method == "multiple_imputation":
        extra.update(n_imputations=n_imputations, seed=seed)
    return VerificationResult(method=method, **estimates, naive=naive, n=n, n_verified=n_verified, level=level,
                              test=test, reference=reference, covariates=tuple(names), n_omitted=n_omitted,
                              notes=tuple(notes), **extra)


# ----------------------------------------------------------------------------------------- input

def _check_covariates(covariates: Any) -> list[str]:
    return [] if covariates is None else column_names(covariates, "covariates", example="['age']", minimum=0)


def _prepare(data: Any, test: str, reference: str, verified: str | None, covariates: list[str], positive: Any,
             nan_policy: str) -> tuple:
    check_dataframe(data, what="one row per patient")
    if isinstance(test, str) and test == reference:
        raise DataError(f"test={test!r} and reference={reference!r} name the same column; a test cannot be its own "
                        "reference standard: name the index test and the reference columns.")
    arrays = {"test": column(data, test, "test").to_numpy()}
    if verified is not None:
        arrays["verified"] = column(data, verified, "verified").to_numpy()
    for name in covariates:
        arrays[f"covariate {name!r}"] = column(data, name, "covariates").to_numpy()
    ref = column(data, reference, "reference").to_numpy()
    complete, n_omitted = complete_cases(arrays, nan_policy)
    keep = ~np.any([missing(a) for a in arrays.values()], axis=0) if n_omitted else np.ones(len(ref), bool)
    ref, frame = ref[keep], data.loc[keep, covariates]
    t = as_binary(complete["test"], "test").values
    if verified is None:
        v = ~missing(ref)
    else:
        v = _verification_indicator(complete["verified"], verified)
        unreferenced = v & missing(ref)
        if unreferenced.any():
            raise DataError(f"reference is missing for {int(unreferenced.sum())} patients marked as verified in "
                            f"{verified!r}; a verified patient needs a reference result. Fix the data, or pass "
                            "verified=None to treat a missing reference as unverified.")
    if not v.any():
        raise DataError(f"no patient is verified (every value of reference={reference!r} is missing"
                        f"{'' if verified is None else ' or ' + repr(verified) + ' is 0'}); correction needs some "
                        "verified patients with a reference result.")
    d = np.zeros(len(t), dtype=bool)
    d[v] = as_binary(ref[v], "reference", positive, require_both=True).values
    Z, names = _design(frame, covariates)
    if covariates:
        _check_design(t, v, Z, names, covariates)
    return t, d, v, Z, names, n_omitted


def _verification_indicator(values: np.ndarray, name: str) -> np.ndarray:
    if values.dtype.kind == "b":
        return values.astype(bool)
    try:
        numeric = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        numeric = None
    if numeric is None or not set(np.unique(numeric).tolist()) <= {0.0, 1.0}:
        shown = ", ".join(repr(x) for x in pd.unique(values)[:6])
        raise DataError(f"verified={name!r} must be a binary indicator (0/1 or True/False), but takes the values "
                        f"{shown}; recode it as 1 = reference standard done, 0 = not done.")
    return numeric == 1


def _design(frame: pd.DataFrame, covariates: list[str]) -> tuple[np.ndarray, list[str]]:
    if not covariates:
        return np.empty((len(frame), 0)), []
    # a category that no (complete) patient has would be an all-zero column of the design
    frame = frame.apply(lambda c: c.cat.remove_unused_categories() if isinstance(c.dtype, pd.CategoricalDtype) else c)
    coded = pd.get_dummies(frame, drop_first=True, dtype=float)
    Z = coded.to_numpy(dtype=float)
    if Z.size:  # covariates beyond 1e150 are rescaled (the fitted probabilities do not depend on units)
        big = np.abs(Z).max(axis=0)
        Z = Z / np.where(big > 1e150, big, 1.0)
    return Z, [str(c) for c in coded.columns]


def _check_design(t: np.ndarray, v: np.ndarray, Z: np.ndarray, names: list[str], covariates: list[str]) -> None:
    """The models regress on an intercept, the test and the covariates (the disease model on the
    verified patients only): these must not be collinear, or the fit is not unique."""
    X = np.column_stack([np.ones(len(t)), t, Z])
    X = X / np.where(np.abs(X).max(axis=0) > 0, np.abs(X).max(axis=0), 1.0)  # the rank does not depend on units
    for rows, whom in ((slice(None), "all patients"), (v, "the verified patients")):
        rank = np.linalg.matrix_rank(X[rows])
        if rank < X.shape[1]:
            never = [name for name, column in zip(names, Z[rows].T) if not column.any()]
            why = (f"no verified patient has {', '.join(never)}, so the disease rate there cannot be estimated"
                   if never else f"they are collinear with each other or with the test among {whom}")
            raise DataError(f"covariates={covariates!r} give the logistic models no unique fit: {why} (intercept, "
                            f"test and {', '.join(names)} have rank {rank} < {X.shape[1]}); drop a covariate or merge "
                            "its rare categories.")


def _check_groups(t: np.ndarray, d: np.ndarray, v: np.ndarray, method: str) -> None:
    for value, label in ((True, "positive"), (False, "negative")):
        if not np.any(v & (t == value)):
            raise DataError(f"no test-{label} patient is verified, so the disease rate among test-{label} patients "
                            f"cannot be estimated and method={method!r} has nothing to correct with. Verification "
                            "bias cannot be corrected when one test group is never verified.")


# ------------------------------------------------------------------------------ Begg & Greenes

def _begg_greenes(t: np.ndarray, d: np.ndarray, v: np.ndarray, level: float, notes: list[str]) -> dict:
    """Closed form with the delta-method (Zhou 1993, 1994) variances of the ML estimates."""
    # numpy floats, so that an empty verified cell gives inf/nan (and a note), not ZeroDivisionError
    n, n1 = np.float64(len(t)), np.float64(t.sum())
    n0 = n - n1
    m1, m0 = np.float64(np.sum(v & t)), np.float64(np.sum(v & ~t))
    s11, s10 = np.float64(np.sum(v & t & d)), np.float64(np.sum(v & t & ~d))
    s01, s00 = np.float64(np.sum(v & ~t & d)), np.float64(np.sum(v & ~t & ~d))
    p, a1, a0 = n1 / n, s11 / m1, s01 / m0  # P(T+), P(D+ | T+), P(D+ | T-)
    with np.errstate(divide="ignore", invalid="ignore"):
        sens = p * a1 / (p * a1 + (1 - p) * a0)
        spec = (1 - p) * (1 - a0) / ((1 - p) * (1 - a0) + p * (1 - a1))
        # logit(sens) = logit(p) + log a1 - log a0 with independent p, a1, a0
        var_sens = (sens * (1 - sens)) ** 2 * (n / (n1 * n0) + s10 / (m1 * s11) + s00 / (m0 * s01))
        var_spec = (spec * (1 - spec)) ** 2 * (n / (n1 * n0) + s01 / (m0 * s00) + s11 / (m1 * s10))
    prev = p * a1 + (1 - p) * a0
    var_prev = (a1 - a0) ** 2 * p * (1 - p) / n + p**2 * a1 * (1 - a1) / m1 + (1 - p) ** 2 * a0 * (1 - a0) / m0
    values = {"sensitivity": (sens, var_sens), "specificity": (spec, var_spec), "ppv": (a1, a1 * (1 - a1) / m1),
              "npv": (1 - a0, a0 * (1 - a0) / m0), "prevalence": (prev, var_prev)}
    z = z_two_sided(level)
    label = "Wald (delta method, Zhou 1993)"
    out = {}
    for name, (value, var) in values.items():
        se = np.sqrt(var)
        lower, upper = value - z * se, value + z * se
        est_notes = []
        if not np.isfinite(se):
            lower = upper = np.nan
            est_notes.append("no interval: a verified cell (test by reference) is empty")
        elif lower < 0 or upper > 1:
            lower, upper = max(lower, 0.0), min(upper, 1.0)
            est_notes.append("Wald interval cut at the [0, 1] bounds")
        out[name] = Estimate(float(value), float(lower), float(upper), level, label, name, tuple(est_notes))
    notes.extend(f"{e.name}: {note}" for e in out.values() for note in e.notes)
    return out


# ------------------------------------------------------------------ IPW and extended Begg & Greenes

def _ipw_estimates(X: np.ndarray, t: np.ndarray, d: np.ndarray, v: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """(B, 5) estimates for B case-weightings (rows of ``counts``), refitting the verification model."""
    beta, _ = fit_logistic_weighted(X, v.astype(float), counts)
    w = counts * v / expit(beta @ X.T)
    return _weighted_measures(w * t, w * ~t, d)


def _ipw_disease_model_estimates(X: np.ndarray, t: np.ndarray, d: np.ndarray, v: np.ndarray,
                                 counts: np.ndarray) -> np.ndarray:
    """IPW sensitivity and specificity; prevalence from the disease model; PPV and NPV by Bayes' theorem."""
    sens, spec = _ipw_estimates(X, t, d, v, counts)[:, :2].T
    prev = _ebg_estimates(X, t, d, v, counts)[:, 4]
    with np.errstate(divide="ignore", invalid="ignore"):
        ppv = sens * prev / (sens * prev + (1 - spec) * (1 - prev))
        npv = spec * (1 - prev) / (spec * (1 - prev) + (1 - sens) * prev)
    return np.column_stack([sens, spec, ppv, npv, prev])


def _ebg_estimates(X: np.ndarray, t: np.ndarray, d: np.ndarray, v: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Full imputation: every patient's P(D = 1 | T, X) from the disease model of the verified."""
    beta, _ = fit_logistic_weighted(X[v], d[v].astype(float), counts[:, v])
    rho = expit(beta @ X.T)
    pos, neg = counts * t, counts * ~t
    tp, fn = np.sum(pos * rho, axis=1), np.sum(neg * rho, axis=1)
    fp, tn = np.sum(pos * (1 - rho), axis=1), np.sum(neg * (1 - rho), axis=1)
    return _measures(tp, fp, fn, tn)


def _weighted_measures(w_pos: np.ndarray, w_neg: np.ndarray, d: np.ndarray) -> np.ndarray:
    tp, fp = w_pos @ d, w_pos @ ~d
    fn, tn = w_neg @ d, w_neg @ ~d
    return _measures(tp, fp, fn, tn)


def _measures(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray, tn: np.ndarray) -> np.ndarray:
    """Columns sensitivity, specificity, ppv, npv, prevalence from (weighted) cell totals."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.column_stack([tp / (tp + fn), tn / (tn + fp), tp / (tp + fp), tn / (tn + fn),
                                (tp + fn) / (tp + fp + fn + tn)])


def _glm_logit(y: np.ndarray, X: np.ndarray) -> tuple[Any, bool]:
    """statsmodels' logistic GLM, and whether it detected perfect separation (its warning is
    turned into that flag, which the caller reports in a note)."""
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    with warnings.catch_warnings(record=True) as caught, np.errstate(over="ignore", divide="ignore"):
        warnings.simplefilter("always", PerfectSeparationWarning)
        fit = sm.GLM(y.astype(float), X, family=sm.families.Binomial()).fit()
    separated = any(issubclass(w.category, PerfectSeparationWarning) for w in caught)
    for w in caught:  # anything else is not ours to hide
        if not issubclass(w.category, PerfectSeparationWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return fit, separated


def _flag_weights(prob: np.ndarray, v: np.ndarray, notes: list[str]) -> None:
    weights = 1 / prob[v]
    notes.append(f"IPW weights of the verified: median {np.median(weights):.2f}, maximum {weights.max():.2f}")
    extreme = int(np.sum(prob[v] < EXTREME_PROBABILITY))
    if extreme:
        notes.append(f"{extreme} verified patients have a verification probability below {EXTREME_PROBABILITY} "
                     f"(weight above {1 / EXTREME_PROBABILITY:g}); IPW estimates lean heavily on them and may be "
                     "unstable: compare with method='extended_begg_greenes'")


def _patterns(X: np.ndarray, t: np.ndarray, d: np.ndarray, v: np.ndarray) -> tuple:
    """The distinct rows of (X, t, d, v) in order of first appearance, and how many patients share each."""
    rows = np.column_stack([X, t, d, v])
    order = np.lexsort(rows.T[::-1])  # stable: within a pattern the first patient comes first
    starts = np.ones(len(rows), dtype=bool)
    starts[1:] = np.any(rows[order[1:]] != rows[order[:-1]], axis=1)
    first = order[starts]
    multiplicity = np.diff(np.append(np.flatnonzero(starts), len(rows)))
    by_appearance = np.argsort(first)
    keep = first[by_appearance]
    return X[keep], t[keep], d[keep], v[keep], multiplicity[by_appearance]


def _bootstrap(estimate: Callable[..., np.ndarray], X: np.ndarray, t: np.ndarray, d: np.ndarray, v: np.ndarray,
               point: np.ndarray, level: float, n_boot: int, rng: np.random.Generator, notes: list[str],
               progress: bool = False, iterative: bool = False) -> dict:
    """Percentile intervals from a nonparametric bootstrap of patients, refitting the model each time.

    Patients with identical data (covariates, test, reference, verification) are one pattern: a
    replicate draws pattern counts from Multinomial(n, multiplicity / n), which is exactly the
    distribution of the patient-level resample summed within patterns, and both estimators only
    need those sums. With discrete covariates this turns O(n) work per replicate into O(patterns);
    when every patient is distinct the draws are the patient-level ones. ``estimate`` refits every
    replicate of a chunk at once (batched Newton fits over the rows of the counts). With ``iterative``
    (the EM) its last column says whether each replicate's fit converged; those that did not are
    counted in a note and left out of the intervals, and the note warns that this can narrow and shift them
    (the slow replicates are those in which verification depends most on the disease, mostly in the tails).
    """
    X, t, d, v, multiplicity = _patterns(X, t, d, v)
    replicates = [estimate(X, t, d, v, counts.astype(float))
                  for counts in pattern_counts(multiplicity, n_boot, rng, progress=progress)]
    boot = np.vstack(replicates)
    n_failed, failed_note = 0, ()
    if iterative:
        failed = boot[:, -1] == 0
        boot = np.where(failed[:, None], np.nan, boot[:, :-1])
        n_failed = int(failed.sum())
        if n_failed:
            failed_note = (f"{n_failed} of {n_boot} bootstrap replicates left out: the EM did not converge in "
                           f"{EM_MAX_ITER} iterations in them. The intervals may therefore be too narrow and off "
                           "centre, since these are not a random share of the replicates: they are those in which "
                           "verification depends most strongly on disease status, whose estimates lie mostly in the "
                           "tails (many of them mean the data say little about that dependence)",)
            notes.append(failed_note[0])
    out = {}
    for j, name in enumerate(MEASURES):
        column_ = boot[:, j]
        ok = np.isfinite(column_)
        est_notes = failed_note
        undefined = n_boot - int(ok.sum()) - n_failed
        if undefined:
            est_notes += (f"{undefined} of {n_boot} bootstrap replicates undefined and left out",)
            notes.append(f"{name}: {est_notes[-1]}")
        lower, upper = percentile_interval(column_[ok], level) if ok.sum() >= 2 else (np.nan, np.nan)
        out[name] = Estimate(float(point[0, j]), float(lower), float(upper), level,
                             f"percentile bootstrap ({n_boot} replicates)", name, est_notes)
    return out


# -------------------------------------------------------------------------- multiple imputation

def _multiple_imputation(t: np.ndarray, d: np.ndarray, v: np.ndarray, Z: np.ndarray, level: float, m: int,
                         rng: np.random.Generator, notes: list[str]) -> dict:
    """Harel & Zhou (2006): impute D from a logistic model with drawn coefficients; Rubin's rules.

    The coefficients are drawn from the normal approximation to their posterior around the
    maximum-likelihood fit. When the verified patients separate the model (some have a fitted
    probability of disease of 0 or 1, e.g. no verified test-negative patient is diseased) that fit
    diverges and its draws would make the imputations arbitrary; the draws are then centred on
    Firth's penalised fit (the posterior mode under the Jeffreys prior), which stays finite, and a
    note says so.
    """
    n = len(t)
    X = np.column_stack([np.ones(n), t, Z])
    fit, separated = _glm_logit(d[v], X[v])
    fitted = fit.predict(X[v])
    if separated or np.any((fitted < SEPARATION_PROBABILITY) | (fitted > 1 - SEPARATION_PROBABILITY)):
        beta, cov = fit_logistic_firth(X[v], d[v].astype(float))
        notes.append("the verified patients separate the disease model (a stratum without verified diseased or "
                     "non-diseased patients): imputations drawn around Firth's penalised fit (Jeffreys prior)")
    else:
        beta, cov = fit.params, fit.cov_params()
    draws = rng.multivariate_normal(beta, cov, size=m, method="cholesky")
    prob = expit(draws @ X[~v].T)  # (m, n_unverified)
    imputed = np.tile(d, (m, 1))
    imputed[:, ~v] = rng.random(prob.shape) < prob
    tp, fp = np.sum(imputed & t, axis=1), np.sum(~imputed & t, axis=1)
    fn, tn = np.sum(imputed & ~t, axis=1), np.sum(~imputed & ~t, axis=1)
    est = _measures(tp, fp, fn, tn)  # (m, 5)
    denominators = np.column_stack([tp + fn, tn + fp, tp + fp, tn + fn, np.full(m, n)])
    with np.errstate(divide="ignore", invalid="ignore"):
        within = est * (1 - est) / denominators
    q_bar, u_bar = est.mean(axis=0), within.mean(axis=0)
    between = est.var(axis=0, ddof=1)
    total = u_bar + (1 + 1 / m) * between
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (m - 1) * (1 + u_bar / ((1 + 1 / m) * between)) ** 2  # Rubin (1987)
    df = np.where(between > 0, df, np.inf)
    half = stats.t.ppf(0.5 + level / 2, df) * np.sqrt(total)
    label = f"Rubin's rules ({m} imputations)"
    out = {}
    for j, name in enumerate(MEASURES):
        lower, upper = q_bar[j] - half[j], q_bar[j] + half[j]
        est_notes = ()
        if lower < 0 or upper > 1:
            lower, upper = max(lower, 0.0), min(upper, 1.0)
            est_notes = ("interval cut at the [0, 1] bounds",)
            notes.append(f"{name}: {est_notes[0]}")
        out[name] = Estimate(float(q_bar[j]), float(lower), float(upper), level, label, name, est_notes)
    return out


# ------------------------------------------------------------------ EM, verification not at random

def _em_estimates(X: np.ndarray, t: np.ndarray, d: np.ndarray, v: np.ndarray, counts: np.ndarray, *,
                  mnar: bool = True) -> np.ndarray:
    """(B, 5 + 1) estimates by Kosinski & Barnhart's (2003) EM, one fit per row of ``counts``; the last
    column is 1 where the EM converged, else 0.

    The B fits (bootstrap replicates) are iterated together: every EM and Newton step is one numpy
    operation over the fits still moving, and each fit stops at its own convergence, so a replicate gets
    the EM it would get alone (as the point estimate, B = 1, does) whatever the other replicates.

    The disease model logit P(D = 1 | T, Z) and the verification model logit P(V = 1 | T, Z, D) (D
    left out when ``mnar`` is False) are fitted to the data augmented with each unverified patient
    twice, as diseased and as not, weighted by the posterior P(D = d | T, Z, V = 0) (the E step), by
    weighted logistic regression (the M step). The test model P(T | Z) has parameters of its own in
    the likelihood (T and Z are always observed), so it does not enter the EM. EM starts at the
    missing-at-random fit (the disease model of the verified). Where the disease effect on verification
    is weakly identified plain EM creeps (thousands of steps on PVBcorrect's cad_pvb), so the steps are
    accelerated by SQUAREM (Varadhan & Roland 2008), keeping a step only where it raises the observed
    likelihood, as plain EM does. A jump whose M step has no finite solution (its Newton steps do not
    settle in ``JUMP_NEWTON_MAX``) is not taken either.

    SQUAREM still creeps where verification depends strongly on the disease: the likelihood is then flat
    near its maximum, or the maximum lies at the boundary (the disease coefficient of the verification model
    heading to infinity). On cad_pvb + X3, 161 of 1,000 bootstrap replicates were still moving after 300
    SQUAREM cycles, 14 of them at the boundary, and they were 30 of the 50 replicates outside the 95%
    percentile interval of sensitivity: leaving them out narrowed it. So each cycle that still moves the
    posterior is followed by a Newton step on the observed-data log-likelihood, whose gradient and Hessian
    are the complete-data ones averaged over the posterior plus the posterior variance of each unverified
    patient's complete-data score (Louis 1982). Where the likelihood curves upwards in some direction the
    Newton step uses the absolute curvature there (so it still climbs), and the step is halved until the
    likelihood rises by a share of what it promises (Armijo), else not taken. Near an interior maximum the
    steps converge quadratically; towards a boundary maximum they move the diverging coefficient by about
    one unit each, so the posterior, and the accuracy measures, settle geometrically instead of creeping.
    Every step raises the likelihood, and a fit stops when a cycle (SQUAREM and its Newton step) moves no
    posterior by ``EM_TOL``: on cad_pvb + X3 every one of 1,000 replicates within 50 cycles.

    The likelihood can have more than one maximum (on cad_pvb + X3 resamples: an interior one, one where
    every diseased patient is verified, and one where every unverified patient is diseased). Like
    PVBcorrect's EM, the fit returns the maximum it climbs to from the missing-at-random start; in about
    1 replicate in 70 the accelerated steps reach a different maximum from the one a long SQUAREM-only
    run reaches (as often higher as lower).

    Louis TA (1982). Finding the observed information matrix when using the EM algorithm. J R Stat Soc B
    44:226-233.
    """
    n_fits = counts.shape[0]
    seen, unseen = np.flatnonzero(v), np.flatnonzero(~v)
    rows = np.concatenate([seen, unseen, unseen])  # verified, unverified as diseased, unverified as not
    disease = np.concatenate([d[seen], np.ones(unseen.size), np.zeros(unseen.size)])
    X_disease = X[rows]
    X_verify = np.column_stack([X_disease, disease]) if mnar else X_disease
    verified = np.concatenate([np.ones(seen.size), np.zeros(2 * unseen.size)])
    p = X.shape[1]
    # the verification model's design of the unverified, as diseased and as not
    as_diseased, as_not = (X_verify[seen.size + k * unseen.size: seen.size + (k + 1) * unseen.size] for k in (0, 1))

    def posterior(theta: np.ndarray) -> np.ndarray:
        prior = expit(theta[:, :p] @ X[unseen].T)
        stays = [1 - expit(theta[:, p:] @ design.T) for design in (as_diseased, as_not)]
        with np.errstate(invalid="ignore", divide="ignore"):
            post = prior * stays[0] / (prior * stays[0] + (1 - prior) * stays[1])
        return np.where(np.isfinite(post), post, prior)

    def em_step(theta: np.ndarray, post: np.ndarray, counts: np.ndarray,
                max_iter: int = 100) -> tuple[np.ndarray, np.ndarray]:
        """The M step of each fit, and whether both its Newton fits converged in ``max_iter`` steps."""
        weights = np.concatenate([counts[:, seen], counts[:, unseen] * post, counts[:, unseen] * (1 - post)], axis=1)
        beta_d, settled_d = fit_logistic_weighted(X_disease, disease, weights, start=theta[:, :p], max_iter=max_iter,
                                                  each_to_its_own=True)
        beta_v, settled_v = fit_logistic_weighted(X_verify, verified, weights, start=theta[:, p:], max_iter=max_iter,
                                                  each_to_its_own=True)
        return np.column_stack([beta_d, beta_v]), settled_d & settled_v

    def loglik(theta: np.ndarray, counts: np.ndarray) -> np.ndarray:
        eta_d = theta[:, :p] @ X.T
        eta_v = theta[:, p:] @ np.column_stack([X, d]).T if mnar else theta[:, p:] @ X.T
        verified_part = np.where(d, log_expit(eta_d), log_expit(-eta_d)) + log_expit(eta_v)
        if mnar:
            eta_1, eta_0 = theta[:, p:] @ np.column_stack([X, np.ones(len(t))]).T, theta[:, p:-1] @ X.T
            unverified_part = np.logaddexp(log_expit(eta_d) + log_expit(-eta_1), log_expit(-eta_d) + log_expit(-eta_0))
        else:
            unverified_part = log_expit(-eta_v)
        with np.errstate(invalid="ignore"):
            return np.sum(counts * np.where(v, verified_part, unverified_part), axis=1)

    def squarem(current: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """One SQUAREM cycle (Varadhan & Roland's SqS3 step length): two EM steps, the jump they point to
        and its stabilising EM step, kept where it raises the likelihood at least as much as the two steps."""
        once, _ = em_step(current, posterior(current), counts)
        twice, _ = em_step(once, posterior(once), counts)
        r, curvature = once - current, twice - 2 * once + current
        with np.errstate(invalid="ignore", divide="ignore"):
            alpha = -np.linalg.norm(r, axis=1) / np.linalg.norm(curvature, axis=1)
        alpha = np.where(np.isfinite(alpha), np.minimum(alpha, -1.0), -1.0)[:, None]
        jump = current - 2 * alpha * r + alpha**2 * curvature
        # an extrapolated jump's posterior may leave the M step without a finite solution
        jump, settled = em_step(jump, posterior(jump), counts, max_iter=JUMP_NEWTON_MAX)
        jump_loglik = loglik(jump, counts)
        better = settled & np.isfinite(jump_loglik) & (jump_loglik >= loglik(twice, counts))
        return np.where(better[:, None], jump, twice)

    def score_and_hessian(theta: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Gradient and Hessian of each fit's observed-data log-likelihood (Louis 1982): the complete-data
        ones of the augmented data weighted by the posterior, plus, for each unverified patient, the posterior
        variance of the complete-data score, w (1 - w) (s1 - s0)(s1 - s0)'."""
        post = posterior(theta)
        weights = np.concatenate([counts[:, seen], counts[:, unseen] * post, counts[:, unseen] * (1 - post)], axis=1)
        fitted_d, fitted_v = expit(theta[:, :p] @ X_disease.T), expit(theta[:, p:] @ X_verify.T)
        scores = np.concatenate([(disease - fitted_d)[..., None] * X_disease,
                                 (verified - fitted_v)[..., None] * X_verify], axis=2)  # (B, rows, parameters)
        gradient = np.einsum("br,brk->bk", weights, scores)
        hessian = np.zeros((len(theta), n_parameters, n_parameters))
        hessian[:, :p, :p] = -((weights * fitted_d * (1 - fitted_d)) @ pairs_disease).reshape(-1, p, p)
        hessian[:, p:, p:] = -((weights * fitted_v * (1 - fitted_v)) @ pairs_verify).reshape(-1, q, q)
        gap = scores[:, seen.size:seen.size + unseen.size] - scores[:, seen.size + unseen.size:]
        hessian += np.einsum("bn,bnj,bnk->bjk", counts[:, unseen] * post * (1 - post), gap, gap)
        return gradient, hessian

    def newton(theta: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A Newton step on the observed-data log-likelihood, halved until it rises by at least a small
        fraction of what the step promises (Armijo); and whether each fit found such a step."""
        with np.errstate(invalid="ignore", over="ignore"):
            gradient, hessian = score_and_hessian(theta, counts)
        finite = np.all(np.isfinite(hessian), axis=(1, 2)) & np.all(np.isfinite(gradient), axis=1)
        # where the likelihood curves upwards in some direction (on the way to a fit at the boundary) the
        # Newton step would head for a saddle or a minimum: its curvature there is taken as |curvature|
        curvature, directions = np.linalg.eigh(np.where(finite[:, None, None], -hessian, np.eye(n_parameters)))
        curvature = np.maximum(np.abs(curvature), NEWTON_RIDGE)
        step = np.einsum("bjk,bk->bj", directions, np.einsum("bjk,bj->bk", directions, gradient) / curvature)
        promised = np.where(finite, np.sum(gradient * step, axis=1), np.nan)
        found = np.zeros(len(theta), dtype=bool)
        searching = np.flatnonzero(np.isfinite(promised) & (promised > 0))  # an ascent direction
        start_loglik, result, length = loglik(theta, counts), theta.copy(), 1.0
        for _halving in range(NEWTON_HALVINGS):
            trial = theta[searching] + length * step[searching]
            with np.errstate(over="ignore"):
                gain = loglik(trial, counts[searching]) - start_loglik[searching]
            good = np.isfinite(gain) & (gain >= ARMIJO * length * promised[searching])
            result[searching[good]], found[searching[good]] = trial[good], True
            searching, length = searching[~good], length / 2
            if not searching.size:
                break
        return result, found

    q, n_parameters = X_verify.shape[1], p + X_verify.shape[1]
    pairs_disease = (X_disease[:, :, None] * X_disease[:, None, :]).reshape(len(rows), p * p)
    pairs_verify = (X_verify[:, :, None] * X_verify[:, None, :]).reshape(len(rows), q * q)
    beta_d, _ = fit_logistic_weighted(X[seen], d[seen].astype(float), counts[:, seen])
    start = np.column_stack([beta_d, np.zeros((n_fits, q))])
    # P(D | T, Z, V = 0) under MAR is the disease model itself
    theta, _ = em_step(start, expit(beta_d @ X[unseen].T), counts)
    converged = np.zeros(n_fits, dtype=bool)
    for _iteration in range(EM_MAX_ITER):  # only the fits still moving are stepped
        active = np.flatnonzero(~converged)
        current, weights = theta[active], counts[active]
        updated = squarem(current, weights)
        moved = np.max(np.abs(posterior(updated) - posterior(current)), axis=1, initial=0.0)
        # where the EM still moves, Newton finishes what it creeps towards
        polish = np.flatnonzero(moved >= EM_TOL)
        if polish.size:
            polished, found = newton(updated[polish], weights[polish])
            updated[polish[found]] = polished[found]
            moved[polish] = np.max(np.abs(posterior(updated[polish]) - posterior(current[polish])), axis=1,
                                   initial=0.0)
        converged[active] = moved < EM_TOL
        theta[active] = updated
        if converged.all():
            break
    rho = expit(theta[:, :p] @ X.T)
    pos, neg = counts * t, counts * ~t
    tp, fn = np.sum(pos * rho, axis=1), np.sum(neg * rho, axis=1)
    fp, tn = np.sum(pos * (1 - rho), axis=1), np.sum(neg * (1 - rho), axis=1)
    return np.column_stack([_measures(tp, fp, fn, tn), converged])
