"""Simulation-based validation of the bias corrections, against the simulator's known truth.

Three Monte Carlo studies, each run through :func:`diagstats.simulate.study`:

``"test_only"``
    Verification depends on the MRI read only (a documented change of the ``spine_referral``
    scenario, see :func:`mri_only_verification_scenario`): naive verified-only accuracy and Begg & Greenes.
``"default"``
    The default verification pattern of ``spine_referral``: biopsy depends on whether *any*
    imaging showed a lesion and on a known prior cancer. Naive, Begg & Greenes (which assumes
    verification depends on MRI alone, so is expected to fail here), IPW, extended Begg &
    Greenes and multiple imputation with the covariates that make verification missing at random.
``"latent_class"``
    Four imaging tests read on every patient (``complete=True`` cohorts) with conditionally
    independent errors (``imaging.conspicuity_strength = 0``), analysed by
    :func:`diagstats.latent_class` without any reference standard.

*Target condition.* A spinal tumour (benign or malignant): ``true_diagnosis != "no_tumour"``. The
simulator draws each imaging read from the tumour status alone (its latent score does not depend
on age, prior cancer or anything else that decides who is imaged), so the true sensitivity and
specificity of every read are exactly the scenario's ``imaging.<test>.sensitivity`` and
``.specificity``, also among the patients who had that test; the true prevalence of the latent
class study is ``tumour_share``. (Malignancy as the target would make the true specificity of MRI
a mixture over benign tumours and no tumour whose weights depend on the age-dependent MRI
contraindications of the patients imaged, i.e. not a scenario constant.)

*Reference.* The verification studies isolate verification bias from reference error: a verified
patient (biopsy done and diagnostic) gets the TRUE tumour status, not the biopsy result (which is
only ~89% accurate and reports malignancy; see :func:`diagstats.correct_reference` for that error).

*Missing at random.* In the simulator the biopsy probability is a function of two observed
things only: ``lesion`` (any ordered imaging test read positive) and ``prior_cancer``; the
non-diagnostic samples are a further random 9%. Among MRI patients ``lesion = mri OR
other_lesion`` with ``other_lesion`` a positive read on X-ray, CT, PET or bone scan. Verification
is therefore missing at random given (``mri``, ``other_lesion``, ``prior_cancer``) but NOT given
``mri`` alone (the other tests and a prior cancer are associated with the tumour). The model-based
corrections get four covariates that make both logistic models (verification for IPW, disease for
extended Begg & Greenes and multiple imputation) saturated in the six cells (MRI+, prior cancer),
(MRI-, other lesion, prior cancer) on which verification depends, so neither model is
misspecified: ``prior_cancer``, ``other_lesion`` (a lesion on other imaging with a negative MRI),
their product, and ``mri x prior_cancer``.

>>> from diagstats.studies import bias_validation as validation
>>> res = validation.run_study("test_only", n_replicates=2, n=4000, executor="serial", progress=False)
>>> sorted(set(res.summary["method"]))
['begg_greenes', 'naive']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..simulate import Scenario, cohort, study
from ..bias.latent_classes import latent_class
from ..bias.verification import correct_verification

#: Imaging tests other than MRI whose positive read also leads to a biopsy.
OTHER_IMAGING = ("xray", "ct", "pet", "bone_scan", "ct_myelography")
#: Covariates of the model-based corrections (see the module docstring).
COVARIATES = ("mri_x_prior_cancer", "other_lesion", "other_lesion_x_prior_cancer")
#: The four tests of the latent class study.
LATENT_CLASS_TESTS = ("mri", "ct", "pet", "bone_scan")
#: Measures held to the targets.
MEASURES = ("sensitivity", "specificity")
#: The issue's targets: |mean - truth| <= BIAS_TARGET and coverage within COVERAGE_TARGET.
BIAS_TARGET = 0.01
COVERAGE_TARGET = (0.93, 0.97)

# label -> (method, uses the covariates)
_VERIFICATION_METHODS = {
    "begg_greenes": ("begg_greenes", False),
    "ipw": ("ipw", True),
    "extended_begg_greenes": ("extended_begg_greenes", True),
    "multiple_imputation": ("multiple_imputation", True),
}


# ------------------------------------------------------------------------------------ scenarios

def mri_only_verification_scenario(base: str | Scenario = "spine_referral") -> Scenario:
    """``base`` changed so that the biopsy decision depends on the MRI read alone.

    No other imaging is ordered (so "a lesion was seen" means "MRI positive" for MRI patients),
    and a known prior cancer no longer lowers the biopsy rate after a positive read
    (``biopsy.lesion_prior_cancer`` set to ``biopsy.lesion_no_prior_cancer``). Biopsy after a
    negative read (``biopsy.no_lesion``) and the diagnostic yield keep their values.

    >>> mri_only_verification_scenario()["pathway.xray"]
    0.0
    """
    base = Scenario.load(base)
    changes = {f"pathway.{p}": 0.0 for p in ("xray", "ct_after_positive", "ct_otherwise", "pet_prior_cancer",
                                             "pet_otherwise", "bone_scan_prior_cancer", "bone_scan_otherwise")}
    changes["biopsy.lesion_prior_cancer"] = base["biopsy.lesion_no_prior_cancer"]
    return base.replace(changes, name=f"{base.name}, biopsy decided by MRI only")


def conditional_independence_scenario(base: str | Scenario = "spine_referral") -> Scenario:
    """``base`` with conditionally independent imaging errors (``imaging.conspicuity_strength = 0``).

    >>> conditional_independence_scenario()["imaging.conspicuity_strength"]
    0.0
    """
    base = Scenario.load(base)
    return base.replace({"imaging.conspicuity_strength": 0.0}, name=f"{base.name}, conditionally independent imaging")


def verification_truth(scenario: Scenario) -> dict[str, float]:
    """True sensitivity and specificity of the MRI read for a spinal tumour."""
    return {m: scenario[f"imaging.mri.{m}"] for m in MEASURES}


def latent_class_truth(scenario: Scenario, tests: tuple[str, ...] = LATENT_CLASS_TESTS) -> dict[str, float]:
    """True prevalence of a spinal tumour and every test's sensitivity and specificity."""
    truth = {"prevalence": scenario["tumour_share"]}
    for t in tests:
        truth.update({f"{t}.{m}": scenario[f"imaging.{t}.{m}"] for m in MEASURES})
    return truth


# ------------------------------------------------------------------------------------ replicates

#: Covariates of :func:`pathway_covariates`, which make verification of any imaging test missing at random.
PATHWAY_COVARIATES = ("prior_cancer", "test_x_prior_cancer", "other_lesion", "other_lesion_x_prior_cancer")


def pathway_covariates(patients: pd.DataFrame, test: str) -> pd.DataFrame:
    """The covariates that make biopsy verification of imaging test ``test`` missing at random.

    For the patients who had ``test`` (rows in data order): ``test`` (0/1) and the
    :data:`PATHWAY_COVARIATES` (0/1): a known prior cancer, the test read positive with a prior
    cancer, ``other_lesion`` (another ordered imaging test read positive and this one negative)
    and it with a prior cancer. With the test they index the six cells of constant biopsy
    probability in the simulated pathway (see the module docstring), so the disease model of
    extended Begg & Greenes or multiple imputation is saturated.

    >>> from diagstats.simulate import cohort
    >>> list(pathway_covariates(cohort(300, seed=1), "ct").columns)
    ['ct', 'prior_cancer', 'test_x_prior_cancer', 'other_lesion', 'other_lesion_x_prior_cancer']
    """
    had = patients[test].notna().to_numpy()
    df = patients.loc[had]
    read = df[test].to_numpy() == 1
    others = [m for m in (*OTHER_IMAGING, "mri") if m != test]
    other = (df[others] == 1).any(axis=1).to_numpy() & ~read
    prior = df["prior_cancer"].to_numpy(bool)
    return pd.DataFrame({test: read.astype(int), "prior_cancer": prior.astype(int),
                         "test_x_prior_cancer": (read & prior).astype(int), "other_lesion": other.astype(int),
                         "other_lesion_x_prior_cancer": (other & prior).astype(int)}, index=df.index)


def verification_frame(patients: pd.DataFrame) -> pd.DataFrame:
    """The analysis data of a simulated cohort: patients who had an MRI read.

    Columns ``mri`` (0/1), ``tumour`` (true tumour status, NaN unless biopsied with a diagnostic
    sample) and the :data:`COVARIATES` (0/1).
    """
    had_mri = patients["mri"].notna().to_numpy()
    df = patients.loc[had_mri]
    mri = df["mri"].to_numpy() == 1
    other = (df[list(OTHER_IMAGING)] == 1).any(axis=1).to_numpy() & ~mri
    prior = df["prior_cancer"].to_numpy(bool)
    verified = df["biopsy_done"].to_numpy(bool) & df["biopsy_result"].notna().to_numpy()
    tumour = (df["true_diagnosis"] != "no_tumour").to_numpy()
    return pd.DataFrame({"mri": mri.astype(int), "tumour": np.where(verified, tumour, np.nan),
                         "prior_cancer": prior.astype(int), "other_lesion": other.astype(int),
                         "other_lesion_x_prior_cancer": (other & prior).astype(int),
                         "mri_x_prior_cancer": (mri & prior).astype(int)})


def verification_replicate(scenario: Scenario, rng: np.random.Generator, *, n: int, methods: tuple[str, ...],
                           n_boot: int = 1000, n_imputations: int = 50) -> dict[str, float]:
    """One replicate: simulate ``n`` referrals, keep the MRI patients, estimate with every method.

    Returns ``<method>.<measure>.<value|lower|upper>`` for ``naive`` (verified patients only,
    Wilson intervals) and each of ``methods``, plus ``n`` and ``n_verified``.
    """
    frame = verification_frame(cohort(n, scenario, seed=rng))
    out: dict[str, float] = {}
    for label in methods:
        method, with_covariates = _VERIFICATION_METHODS[label]
        res = correct_verification(frame, test="mri", reference="tumour", method=method,
                                   covariates=list(COVARIATES) if with_covariates else None, seed=rng,
                                   n_boot=n_boot, n_imputations=n_imputations, progress=False)
        if not out:
            out.update(n=res.n, n_verified=res.n_verified)
            out.update(_flatten("naive", {m: getattr(res.naive, m) for m in MEASURES}))
        out.update(_flatten(label, {m: getattr(res, m) for m in MEASURES}))
    return out


def latent_class_replicate(scenario: Scenario, rng: np.random.Generator, *, n: int,
                           tests: tuple[str, ...] = LATENT_CLASS_TESTS, n_boot: int = 1000,
                           n_starts: int = 20) -> dict[str, float]:
    """One replicate: ``n`` patients with every test read, a latent class model without reference."""
    patients = cohort(n, scenario, seed=rng, complete=True)
    res = latent_class(patients, tests=list(tests), n_boot=n_boot, n_starts=n_starts, seed=rng, progress=False)
    estimates = {"prevalence": res.prevalence["all"]}
    for t in tests:
        estimates.update({f"{t}.sensitivity": res.sensitivity[t], f"{t}.specificity": res.specificity[t]})
    return {"n": res.n, "converged": float(res.converged), **_flatten("latent_class", estimates)}


def _flatten(label: str, estimates: Mapping[str, Any]) -> dict[str, float]:
    return {f"{label}.{name}.{part}": float(getattr(e, part)) for name, e in estimates.items()
            for part in ("value", "lower", "upper")}


# ------------------------------------------------------------------------------------- studies

@dataclass(frozen=True)
class StudyResult:
    """A finished validation study: its definition, one row per replicate, and the summary."""

    name: str
    scenario: Scenario
    truth: dict[str, float]
    settings: dict[str, Any]
    replicates: pd.DataFrame
    summary: pd.DataFrame


def _definition(name: str, n: int, n_boot: int, n_imputations: int, n_starts: int) -> tuple:
    if name == "test_only":
        scenario = mri_only_verification_scenario()
        return scenario, verification_truth(scenario), partial(
            verification_replicate, n=n, methods=("begg_greenes",))
    if name == "default":
        scenario = Scenario.load("spine_referral")
        return scenario, verification_truth(scenario), partial(
            verification_replicate, n=n, methods=tuple(_VERIFICATION_METHODS), n_boot=n_boot,
            n_imputations=n_imputations)
    if name == "latent_class":
        scenario = conditional_independence_scenario()
        return scenario, latent_class_truth(scenario), partial(
            latent_class_replicate, n=n, n_boot=n_boot, n_starts=n_starts)
    raise ValueError(f"unknown validation study {name!r}")  # pragma: no cover - internal names only


#: The studies, in report order.
STUDIES = ("test_only", "default", "latent_class")


def run_study(name: str, *, n_replicates: int = 200, n: int = 20_000, n_boot: int = 1000,
              n_imputations: int = 50, n_starts: int = 20, seed: int = 20240601,
              executor: Any = None, progress: bool = True) -> StudyResult:
    """Run one validation study (``"test_only"``, ``"default"`` or ``"latent_class"``).

    ``n`` is the number of simulated referrals per replicate (verification studies: the MRI
    patients among them are analysed; latent class study: all). Replicate ``r`` is seeded by
    ``SeedSequence(seed, spawn_key=(0, r))`` (see :func:`diagstats.simulate.study`), and the
    estimators' bootstrap and imputations draw from the same replicate generator, so a study is
    reproducible from ``seed`` alone.
    """
    scenario, truth, fn = _definition(name, n, n_boot, n_imputations, n_starts)
    replicates = study(fn, scenario=scenario, n_replicates=n_replicates, seed=seed, executor=executor,
                       progress=progress)
    settings = {"n_replicates": n_replicates, "n": n, "seed": seed}
    if name in ("default", "latent_class"):
        settings["n_boot"] = n_boot
    if name == "default":
        settings["n_imputations"] = n_imputations
    if name == "latent_class":
        settings["n_starts"] = n_starts
    return StudyResult(name, scenario, truth, settings, replicates, summarise(replicates, truth))


def summarise(replicates: pd.DataFrame, truth: Mapping[str, float], level: float = 0.95) -> pd.DataFrame:
    """Bias, spread and interval coverage of every method and measure over the replicates.

    Columns: ``method, measure, truth, mean, bias, bias_mcse`` (Monte Carlo standard error of the
    mean: SD / sqrt(R)), ``sd, mean_width, coverage, coverage_mcse, coverage_p`` (exact binomial
    test of coverage = ``level``), ``n_replicates, n_missing`` (replicates without an estimate or
    interval), ``bias_ok`` (|bias| <= 0.01) and ``coverage_ok`` (0.93 <= coverage <= 0.97).
    """
    rows = []
    for column in replicates.columns:
        if not column.endswith(".value"):
            continue
        label, measure = column[: -len(".value")].split(".", 1)
        value = replicates[column].to_numpy(float)
        lower = replicates[f"{label}.{measure}.lower"].to_numpy(float)
        upper = replicates[f"{label}.{measure}.upper"].to_numpy(float)
        ok = np.isfinite(value) & np.isfinite(lower) & np.isfinite(upper)
        r, target = int(ok.sum()), truth[measure]
        covered = int(np.sum((lower[ok] <= target) & (target <= upper[ok])))
        coverage = covered / r
        mean, sd = float(np.mean(value[ok])), float(np.std(value[ok], ddof=1))
        rows.append({
            "method": label, "measure": measure, "truth": target, "mean": mean, "bias": mean - target,
            "bias_mcse": sd / np.sqrt(r), "sd": sd, "mean_width": float(np.mean(upper[ok] - lower[ok])),
            "coverage": coverage, "coverage_mcse": float(np.sqrt(coverage * (1 - coverage) / r)),
            "coverage_p": float(stats.binomtest(covered, r, level).pvalue), "n_replicates": r,
            "n_missing": len(value) - r, "bias_ok": bool(abs(mean - target) <= BIAS_TARGET),
            "coverage_ok": bool(COVERAGE_TARGET[0] <= coverage <= COVERAGE_TARGET[1])})
    return pd.DataFrame(rows)


def chance_in_coverage_band(n_replicates: int, level: float = 0.95) -> float:
    """P(observed coverage within :data:`COVERAGE_TARGET`) for a method whose true coverage is ``level``.

    The observed coverage of R replicates is Binomial(R, level) / R; with R = 200 a perfect 95%
    interval lands inside 93-97% only about four times in five.

    >>> round(chance_in_coverage_band(200), 3)
    0.86
    """
    low = int(np.ceil(COVERAGE_TARGET[0] * n_replicates - 1e-9))
    high = int(np.floor(COVERAGE_TARGET[1] * n_replicates + 1e-9))
    return float(stats.binom.cdf(high, n_replicates, level) - stats.binom.cdf(low - 1, n_replicates, level))
