"""The cohort simulator: one vectorised pass that draws a whole cohort from a :class:`Scenario`.

Every random quantity is drawn for every patient in a fixed order, whatever the pathway orders;
the work-up then hides what was not done. So ``cohort(n, seed=s, complete=False)`` equals
``cohort(n, seed=s, complete=True)`` with the tests and biopsies that were not ordered set to NaN.

>>> import diagstats as ds
>>> df = ds.simulate.cohort(1000, seed=1)
>>> df.shape
(1000, 29)
>>> sorted(df["true_diagnosis"].cat.categories)
['benign_primary', 'malignant_primary', 'metastasis', 'no_tumour']
"""

from __future__ import annotations

import numbers
import os
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri

from .._input import _show, as_generator, check_whole_number
from ..errors import OptionError
from .scenario import COUNTS, DIAGNOSES, LEVELS, MODALITIES, ORIGINS, TUMOURS, Scenario

#: The columns of a simulated cohort, in order, with their meaning.
COLUMNS = {
    "true_diagnosis": "truth: no_tumour, benign_primary, malignant_primary or metastasis (categorical)",
    "true_origin": "truth: primary origin of a metastasis (lung, breast, prostate, kidney, thyroid, "
                   "gastrointestinal, liver, other, unknown); NaN for other diagnoses (categorical)",
    "true_level": "truth: spinal level of the tumour (cervical, thoracic, lumbar, sacral); NaN without tumour",
    "age": "age in whole years",
    "sex": "'female' or 'male' (categorical)",
    "prior_cancer": "known current or previous cancer (bool)",
    "neuro_deficit": "neurological deficit on examination (bool)",
    "palpation_tenderness": "focal spinal tenderness on palpation (bool)",
    "mri_contraindication": "MRI not possible: cardiac device (age-dependent) or claustrophobia (bool)",
    **{m: f"{m}: binary read, 1.0 positive / 0.0 negative, NaN if not ordered" for m in MODALITIES},
    **{f"{m}_rating": f"{m}: reader confidence 1-5 (>= 3 is a positive read), NaN if not ordered"
       for m in MODALITIES},
    "biopsy_done": "image-guided needle biopsy performed (bool)",
    "biopsy_guidance": "'ct' or 'fluoroscopy'; NaN without biopsy (categorical)",
    "biopsy_nondiagnostic": "1.0 if the sample was non-diagnostic, 0.0 if diagnostic, NaN without biopsy",
    "biopsy_result": "'malignant' or 'benign'; NaN without biopsy or with a non-diagnostic sample (categorical)",
    **{c: f"{c} count, 10^9/L (log-normal)" for c in COUNTS},
}
# Display order: reads and ratings interleaved per modality.
_ORDER = (["true_diagnosis", "true_origin", "true_level", "age", "sex", "prior_cancer", "neuro_deficit",
           "palpation_tenderness", "mri_contraindication"]
          + [c for m in MODALITIES for c in (m, f"{m}_rating")]
          + ["biopsy_done", "biopsy_guidance", "biopsy_nondiagnostic", "biopsy_result", *COUNTS])
COLUMNS = {c: COLUMNS[c] for c in _ORDER}
#: The columns ``cohort(..., follow_up=True)`` adds after :data:`COLUMNS`.
FOLLOW_UP_COLUMNS = {
    "follow_up_done": "clinical and imaging follow-up completed, for patients without a diagnostic biopsy (bool)",
    "follow_up_result": "'malignant' or 'not malignant' at the end of follow-up; NaN without follow-up (categorical)",
}
#: The columns ``cohort(..., repeat_biopsy=True)`` appends: a second needle biopsy after a non-diagnostic one.
REPEAT_BIOPSY_COLUMNS = {
    "repeat_biopsy_nondiagnostic": "1.0 if a repeat needle biopsy would be (complete=True) or was non-diagnostic, "
                                   "0.0 if diagnostic; NaN where no repeat (complete=False: only after a "
                                   "non-diagnostic first biopsy)",
    "repeat_biopsy_result": "'malignant' or 'benign' from the repeat biopsy; NaN without one or when non-diagnostic "
                            "(categorical)",
}
#: Spawn keys of the optional columns' own random streams (fixed, so that every other column is byte-identical with
#: and without them for the same seed, and each is the same whichever others are asked for).
_FOLLOW_UP_STREAM = 0x7BBC5A9C
_REPEAT_BIOPSY_STREAM = 0x6C7E4C7B

_MET, _NONE = DIAGNOSES.index("metastasis"), DIAGNOSES.index("no_tumour")


#: Peak memory of :func:`cohort` per patient (measured: about 283 bytes; the frame itself keeps 150).
BYTES_PER_PATIENT = 300


def _physical_memory() -> float | None:
    """Bytes of physical memory, where the system says (None otherwise)."""
    try:
        return float(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def _check_n(n: Any) -> int:
    n = check_whole_number(n, "n", minimum=1, what="patients", example=2000)
    memory = _physical_memory()
    if memory is not None and n * BYTES_PER_PATIENT > memory:
        raise OptionError(f"n={n} patients would need about {n * BYTES_PER_PATIENT / 1e9:,.0f} GB of memory "
                          f"({BYTES_PER_PATIENT} bytes per patient), more than this machine's {memory / 1e9:,.1f} GB; "
                          "simulate fewer patients (several cohorts with different seeds if needed).")
    return n


def _categorical(codes: np.ndarray, categories: tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=list(categories))


def _choose(u: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """Row-wise categorical draw: probabilities is (k,) or (n, k); u is uniform (n,)."""
    cumulative = np.cumsum(probabilities, axis=-1)
    cumulative[..., -1] = 1.0
    if cumulative.ndim == 1:
        return np.searchsorted(cumulative, u, side="right").astype(np.int8)
    return (u[:, None] >= cumulative).sum(axis=1).astype(np.int8)


def _vector(s: Scenario, path: str, keys: tuple[str, ...]) -> np.ndarray:
    value = s[path]
    return np.array([value[k] for k in keys])


def _per_diagnosis(s: Scenario, prefix: str) -> np.ndarray:
    return np.array([s[f"{prefix}.{d}"] for d in DIAGNOSES])


def _independent_stream(rng: np.random.Generator, key: int) -> np.random.Generator:
    """A generator derived from ``rng``'s seed but independent of its draws (a fixed spawn key)."""
    root = rng.bit_generator.seed_seq
    return np.random.default_rng(np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, key)))


def _repeat_biopsy(rng: np.random.Generator, s: Scenario, malignant: np.ndarray, shown: np.ndarray,
                   n: int) -> dict[str, Any]:
    """A second biopsy with the scenario's yield and accuracy, drawn from an independent stream."""
    stream = _independent_stream(rng, _REPEAT_BIOPSY_STREAM)
    nondiagnostic = stream.random(n) >= s["biopsy.yield"]
    correct = stream.random(n) < s["biopsy.accuracy"]
    says_malignant = np.where(correct, malignant, ~malignant)
    result = np.where(shown & ~nondiagnostic, np.where(says_malignant, 1, 0), -1).astype(np.int8)
    return {"repeat_biopsy_nondiagnostic": np.where(shown, nondiagnostic, np.nan),
            "repeat_biopsy_result": _categorical(result, ("benign", "malignant"))}


def _follow_up(rng: np.random.Generator, s: Scenario, malignant: np.ndarray, diagnostic_biopsy: np.ndarray
               ) -> dict[str, Any]:
    """The follow-up columns, from their own random stream (two uniforms per patient, in this order)."""
    rng = _independent_stream(rng, _FOLLOW_UP_STREAM)
    n = len(malignant)
    done = ~diagnostic_biopsy & (rng.random(n) < s["follow_up.completion"])
    says_malignant = rng.random(n) < np.where(malignant, s["follow_up.sensitivity"], 1 - s["follow_up.specificity"])
    result = np.where(done, np.where(says_malignant, 1, 0), -1).astype(np.int8)
    return {"follow_up_done": done, "follow_up_result": _categorical(result, ("not malignant", "malignant"))}


def cohort(n: int, scenario: str | Scenario = "spine_referral", seed: Any = 0, *,
           complete: bool = False, follow_up: bool = False, repeat_biopsy: bool = False) -> pd.DataFrame:
    """Simulate ``n`` patients referred with back pain suspicious for a spinal tumour.

    Parameters
    ----------
    n : int
        Number of patients (>= 1).
    scenario : str, path or Scenario, default "spine_referral"
        A shipped scenario name (see :func:`diagstats.simulate.available`), a JSON scenario file or a
        :class:`Scenario` (e.g. ``Scenario.load("spine_referral").replace(...)``).
    seed : int, SeedSequence or Generator, default 0
        Same seed, same cohort.
    complete : bool, default False
        If True every patient has every imaging test and a biopsy (for methods research: no
        missing data, no verification bias). If False the work-up pathway of the scenario decides.
    follow_up : bool, default False
        If True, add :data:`FOLLOW_UP_COLUMNS`: patients without a diagnostic biopsy have clinical and
        imaging follow-up (a second reference standard for a composite reference, see
        :func:`diagstats.composite_reference`). Drawn from an independent random stream spawned from
        ``seed``, so every other column is the same with and without it.
    repeat_biopsy : bool, default False
        If True, append :data:`REPEAT_BIOPSY_COLUMNS`: a second needle biopsy with the scenario's
        yield and accuracy, independent of the first given the diagnosis (for every patient with
        ``complete=True``; after a non-diagnostic first biopsy otherwise). Drawn from its own random
        stream, so every other column is the same as without it.

    Returns
    -------
    pandas.DataFrame
        One row per patient; the columns and their meaning are in :data:`COLUMNS`
        (``df.attrs`` holds the scenario name, seed and ``complete``).

    Notes
    -----
    *Imaging.* Modality k is read from a latent score ``mu + sqrt(r) * Z + sqrt(1 - r) * E_k`` where
    ``mu = Phi^-1(Se_k)`` for patients with a tumour (positive if the score is > 0) and
    ``Phi^-1(Sp_k)`` for those without (negative if > 0), ``Z`` is the patient's lesion
    conspicuity shared by all modalities, ``E_k`` independent, ``r`` the scenario's
    ``imaging.conspicuity_strength``. Each modality keeps exactly its sensitivity and specificity;
    ``r`` sets the conditional dependence of their errors. The 1-5 rating cuts the oriented score at
    ``imaging.rating_cutpoints`` (the equal-variance binormal ROC model).
    *Pathway.* MRI unless contraindicated (then CT myelography), X-ray, CT more often after a
    positive read, PET and bone scan mostly for known cancer; biopsy mostly when a test showed a
    lesion, less often with a known cancer (verification bias).
    *Blood counts.* Log counts are multivariate normal; tumour groups shift log NLR and log PLR
    (values calibrated offline to Li et al. 2019, see the scenario file), metastases further by
    origin when ``blood.origin_shifts`` is on (an assumption).
    *Follow-up.* A patient without a diagnostic biopsy completes follow-up with probability
    ``follow_up.completion``; over ``follow_up.months`` it calls a malignant spinal lesion (malignant
    primary or metastasis) 'malignant' with probability ``follow_up.sensitivity`` and anything else
    'not malignant' with probability ``follow_up.specificity``, independently of the imaging reads
    given the truth (assumptions, stated as such in the scenario file).

    References
    ----------
    Harlianto NI et al. (2024) Clin Transl Oncol; Li Y et al. (2019) Medicine 98:e14902;
    Fest J et al. (2018) Sci Rep; Lis E et al. (2004) AJNR 25:1583; Michalopoulos GD et al. (2021)
    J Neurointerv Surg 13:841 (all cited parameter by parameter in the scenario file).

    Examples
    --------
    >>> import diagstats as ds
    >>> df = ds.simulate.cohort(500, seed=3, complete=True)
    >>> bool(df["mri"].notna().all())
    True
    """
    return _simulate(n, scenario, seed, complete=complete, follow_up=follow_up, repeat_biopsy=repeat_biopsy)[0]


def _simulate(n: int, scenario: str | Scenario, seed: Any, *, complete: bool, follow_up: bool = False,
              repeat_biopsy: bool = False, keep_signal: bool = False) -> tuple[pd.DataFrame, np.ndarray | None]:
    """:func:`cohort`'s frame and, with ``keep_signal=True``, the oriented latent imaging score (modality x
    patient, in :data:`MODALITIES` order; > 0 is a positive read), which :func:`cohort` itself drops."""
    n = _check_n(n)
    s = Scenario.load(scenario)
    for name, flag in (("complete", complete), ("follow_up", follow_up), ("repeat_biopsy", repeat_biopsy)):
        if not isinstance(flag, (bool, np.bool_)):
            raise OptionError(f"{name}={_show(flag)} must be True or False.")
    rng = as_generator(seed)
    uniform = rng.random

    # -- truth ----------------------------------------------------------------------------------
    tumour_mix = _vector(s, "tumour_mix", TUMOURS)
    shares = np.concatenate([[1 - s["tumour_share"]], s["tumour_share"] * tumour_mix])
    diagnosis = _choose(uniform(n), shares)
    is_met = diagnosis == _MET
    has_tumour = diagnosis != _NONE
    malignant = diagnosis >= DIAGNOSES.index("malignant_primary")

    origin = _choose(uniform(n), _vector(s, "origin_shares", ORIGINS))
    origin = np.where(is_met, origin, -1).astype(np.int8)
    level_primary = _choose(uniform(n), _vector(s, "level_shares.primary", LEVELS))
    level_met = _choose(uniform(n), _vector(s, "level_shares.metastasis", LEVELS))
    level = np.where(is_met, level_met, np.where(has_tumour, level_primary, -1)).astype(np.int8)

    # -- history and examination ----------------------------------------------------------------
    age_mean = np.array([s[f"age.{d}.mean"] for d in DIAGNOSES])[diagnosis]
    age_sd = np.array([s[f"age.{d}.sd"] for d in DIAGNOSES])[diagnosis]
    age = np.floor(np.clip(age_mean + age_sd * rng.standard_normal(n), s["age.minimum"], s["age.maximum"]))
    age = age.astype(np.int16)

    p_male = np.array([s["male_share.no_tumour"], s["male_share.primary"], s["male_share.primary"],
                       s["male_share.metastasis_other"]])[diagnosis]
    p_male = np.where(origin == ORIGINS.index("breast"), 0.0,
                      np.where(origin == ORIGINS.index("prostate"), 1.0, p_male))
    male = uniform(n) < p_male

    prior_cancer = uniform(n) < _per_diagnosis(s, "prior_cancer")[diagnosis]
    prior_cancer &= origin != ORIGINS.index("unknown")
    neuro = uniform(n) < _per_diagnosis(s, "neuro_deficit")[diagnosis]
    palpation = uniform(n) < np.where(has_tumour, s["palpation_tenderness.tumour"], s["palpation_tenderness.no_tumour"])

    p_device = np.where(age >= 75, s["mri_contraindication.device_75_plus"],
                        np.where(age >= 65, s["mri_contraindication.device_65_to_74"],
                                 s["mri_contraindication.device_under_65"]))
    contraindicated = (uniform(n) < p_device) | (uniform(n) < s["mri_contraindication.claustrophobia"])

    # -- imaging: latent conspicuity model (arrays are modality x patient) -----------------------
    with np.errstate(invalid="ignore"):  # Se or Sp of exactly 0 or 1 gives infinite centres
        centre_tumour = ndtri([s[f"imaging.{m}.sensitivity"] for m in MODALITIES])
        centre_none = ndtri([s[f"imaging.{m}.specificity"] for m in MODALITIES])
    strength = s["imaging.conspicuity_strength"]
    conspicuity = rng.standard_normal(n)
    score = rng.standard_normal((len(MODALITIES), n))
    score *= np.sqrt(1 - strength)
    score += np.sqrt(strength) * conspicuity
    for i in range(len(MODALITIES)):
        score[i] += np.where(has_tumour, centre_tumour[i], centre_none[i])
    score *= np.where(has_tumour, 1.0, -1.0)                     # oriented: > 0 means a positive read
    positive = score > 0
    rating = np.ones(score.shape, dtype=np.int8)
    for cut in s["imaging.rating_cutpoints"]:
        rating += score > cut
    signal = score if keep_signal else None
    del score

    # -- work-up pathway ------------------------------------------------------------------------
    col = {m: i for i, m in enumerate(MODALITIES)}
    ordered = np.empty((len(MODALITIES), n), dtype=bool)
    ordered[col["mri"]] = ~contraindicated & (uniform(n) < s["pathway.mri"])
    ordered[col["ct_myelography"]] = contraindicated & (uniform(n) < s["pathway.ct_myelography_if_contraindicated"])
    ordered[col["xray"]] = uniform(n) < s["pathway.xray"]
    first = [col["mri"], col["ct_myelography"], col["xray"]]
    first_positive = (ordered[first] & positive[first]).any(axis=0)
    ordered[col["ct"]] = uniform(n) < np.where(first_positive, s["pathway.ct_after_positive"],
                                               s["pathway.ct_otherwise"])
    ordered[col["pet"]] = uniform(n) < np.where(prior_cancer, s["pathway.pet_prior_cancer"], s["pathway.pet_otherwise"])
    ordered[col["bone_scan"]] = uniform(n) < np.where(prior_cancer, s["pathway.bone_scan_prior_cancer"],
                                                         s["pathway.bone_scan_otherwise"])
    lesion_seen = (ordered & positive).any(axis=0)
    if complete:
        ordered[:] = True

    # -- needle biopsy --------------------------------------------------------------------------
    p_biopsy = np.where(lesion_seen, np.where(prior_cancer, s["biopsy.lesion_prior_cancer"],
                                              s["biopsy.lesion_no_prior_cancer"]), s["biopsy.no_lesion"])
    biopsy_done = np.ones(n, dtype=bool) if complete else np.empty(n, dtype=bool)
    u_biopsy = uniform(n)
    if not complete:
        biopsy_done[:] = u_biopsy < p_biopsy
    guidance = np.where(biopsy_done, np.where(uniform(n) < s["biopsy.ct_guidance_share"], 0, 1), -1).astype(np.int8)
    nondiagnostic = uniform(n) >= s["biopsy.yield"]
    correct = uniform(n) < s["biopsy.accuracy"]
    says_malignant = np.where(correct, malignant, ~malignant)
    result = np.where(biopsy_done & ~nondiagnostic, np.where(says_malignant, 1, 0), -1).astype(np.int8)

    # -- blood counts ---------------------------------------------------------------------------
    sd = _vector(s, "blood.reference.sd_log", COUNTS)
    cov = np.asarray(s["blood.reference.correlation"]) * np.outer(sd, sd)
    log_counts = rng.standard_normal((n, len(COUNTS))) @ np.linalg.cholesky(cov).T
    log_counts += _vector(s, "blood.reference.mean_log", COUNTS)
    shift_nlr = np.concatenate([[0.0], _vector(s, "blood.shift_nlr", TUMOURS)])[diagnosis]
    shift_plr = np.concatenate([[0.0], _vector(s, "blood.shift_plr", TUMOURS)])[diagnosis]
    if s["blood.origin_shifts"]:
        origin_shares = _vector(s, "origin_shares", ORIGINS)
        for shift, path in ((shift_nlr, "blood.origin_shift_nlr"), (shift_plr, "blood.origin_shift_plr")):
            offsets = _vector(s, path, ORIGINS)
            offsets = np.append(offsets - origin_shares @ offsets, 0.0)   # index -1: not a metastasis
            shift += offsets[origin]
    lam = s["blood.lymphocyte_share"]
    log_counts[:, 0] += (1 - lam) * shift_nlr
    log_counts[:, 1] -= lam * shift_nlr
    log_counts[:, 2] += shift_plr - lam * shift_nlr
    counts = np.exp(log_counts)

    # -- assemble -------------------------------------------------------------------------------
    data: dict[str, Any] = {
        "true_diagnosis": _categorical(diagnosis, DIAGNOSES),
        "true_origin": _categorical(origin, ORIGINS),
        "true_level": _categorical(level, LEVELS),
        "age": age,
        "sex": _categorical(male.astype(np.int8), ("female", "male")),
        "prior_cancer": prior_cancer,
        "neuro_deficit": neuro,
        "palpation_tenderness": palpation,
        "mri_contraindication": contraindicated,
    }
    for m, i in col.items():
        data[m] = np.where(ordered[i], positive[i], np.nan)
        data[f"{m}_rating"] = np.where(ordered[i], rating[i], np.nan)
    data["biopsy_done"] = biopsy_done
    data["biopsy_guidance"] = _categorical(guidance, ("ct", "fluoroscopy"))
    data["biopsy_nondiagnostic"] = np.where(biopsy_done, nondiagnostic, np.nan)
    data["biopsy_result"] = _categorical(result, ("benign", "malignant"))
    for i, c in enumerate(COUNTS):
        data[c] = counts[:, i]
    if follow_up:
        data.update(_follow_up(rng, s, malignant, biopsy_done & ~nondiagnostic))
    if repeat_biopsy:
        data.update(_repeat_biopsy(rng, s, malignant, biopsy_done & (complete | nondiagnostic), n))
    frame = pd.DataFrame(data, copy=False)
    frame.attrs.update({"scenario": s.name, "seed": seed if isinstance(seed, numbers.Integral) else None,
                        "complete": bool(complete)})
    return frame, signal
