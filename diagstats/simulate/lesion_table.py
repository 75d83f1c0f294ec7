"""Vertebra-level reads for a simulated cohort: the lesion table behind clustered accuracy.

:func:`lesions` takes a cohort from :func:`diagstats.simulate.cohort` and gives every patient 25
vertebral units (C1-C7, T1-T12, L1-L5, the sacrum), the ones a tumour involves and the ones it does
not, each read by every modality the patient had. The parameters (with their sources) are in
``datasets/lesion_scenarios/spine_vertebrae.json`` (shipped in ``diagstats/data/``), kept apart from
the patient-level scenario so that cohorts, scenario fingerprints and reports stay exactly as they were.

>>> import diagstats as ds
>>> patients = ds.simulate.cohort(20, seed=1)
>>> units = ds.simulate.lesions(patients, seed=1)
>>> units.shape
(500, 10)
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri

from .._input import as_generator, check_dataframe
from ..errors import ColumnError, DataError
from .engine import _independent_stream
from .scenario import DIAGNOSES, LEVELS, MODALITIES, Scenario

#: The vertebral units read in every patient, cranial to caudal, and the region of each.
VERTEBRAE = (*(f"C{i}" for i in range(1, 8)), *(f"T{i}" for i in range(1, 13)), *(f"L{i}" for i in range(1, 6)), "S")
_REGION = np.array([LEVELS.index(lv) for lv in ["cervical"] * 7 + ["thoracic"] * 12 + ["lumbar"] * 5 + ["sacral"]])

#: The columns of the lesion table, in order, with their meaning.
LESION_COLUMNS = {
    "patient_id": "the patient's row label in the cohort (its index)",
    "vertebra": "vertebral unit, C1 ... L5 or S (the sacrum), cranial to caudal (categorical)",
    "level": "spinal region of the unit: cervical, thoracic, lumbar or sacral (categorical)",
    "involved": "truth: the tumour involves this unit (bool)",
    **{m: f"{m}: read of this unit, 1.0 positive / 0.0 negative; NaN if the patient did not have {m}"
       for m in MODALITIES},
}
#: Spawn key of the lesion table's own random stream (independent of every cohort column).
_LESION_STREAM = 0x1E510A5


@functools.lru_cache(maxsize=1)
def _parameters() -> dict[str, Any]:
    """The lesion scenario's values (read once), with the spine_referral metastatic level shares."""
    path = resources.files("diagstats") / "data" / "lesion_scenarios" / "spine_vertebrae.json"
    tree = json.loads(path.read_text(encoding="utf-8"))["parameters"]
    imaging = tree["imaging"]
    values = {"q_metastasis": tree["extra_vertebra_probability"]["metastasis"]["value"],
            "q_primary": tree["extra_vertebra_probability"]["primary"]["value"],
            "rho": tree["within_patient_conspicuity"]["value"],
            "metastasis_level_shares": Scenario.load("spine_referral")["level_shares.metastasis"],
            "sensitivity": np.array([imaging[m]["sensitivity"]["value"] for m in MODALITIES]),
            "specificity": np.array([imaging[m]["specificity"]["value"] for m in MODALITIES])}
    for key in ("sensitivity", "specificity"):
        values[key].flags.writeable = False   # shared by every call
    return values


def _check_patients(patients: Any) -> pd.DataFrame:
    patients = check_dataframe(patients, "patients", what="one row per patient (ds.simulate.cohort)",
                               unique_index=True)
    needed = ["true_diagnosis", "true_level", *MODALITIES]
    absent = [c for c in needed if c not in patients.columns]
    if absent:
        raise ColumnError(f"patients lacks the column(s) {', '.join(absent)}; pass a cohort from "
                          "ds.simulate.cohort(...) (all its columns), e.g. lesions(ds.simulate.cohort(200, seed=1)).")
    if len(patients) == 0:
        raise DataError("patients has no rows; simulate at least one patient.")
    return patients


def lesions(patients: pd.DataFrame, seed: Any = 0) -> pd.DataFrame:
    """Vertebra-level truth and reads for a simulated cohort, one row per vertebral unit.

    Parameters
    ----------
    patients : DataFrame
        A cohort from :func:`diagstats.simulate.cohort` (its index identifies the patients).
    seed : int, SeedSequence or Generator, default 0
        Use the cohort's seed: the table is drawn from a stream spawned from it with a fixed key, so it
        is independent of every cohort column, and the cohort itself is never changed.

    Returns
    -------
    pandas.DataFrame
        25 rows per patient (``len(patients) * 25``), patient-major; the columns are in
        :data:`LESION_COLUMNS`. Consistent with the cohort by construction: a patient has a tumour if
        and only if one of their units is ``involved`` (one of them at the cohort's ``true_level``), and
        a patient's read of a modality is positive if and only if one of their units is read positive.

    Notes
    -----
    *Involvement.* A tumour involves ``1 + G`` units with ``P(1 + G >= k) = q^(k - 1)``: for
    metastases q = 0.6245, so that 39% involve three or more (Wang et al. 2019); for primary tumours
    q = 0.2 (an assumption). The first unit is drawn uniformly within the patient's ``true_level``.
    Further metastatic units are scattered over the spine, each region weighted by the scenario's
    metastatic level shares (weighted sampling without replacement, Efraimidis & Spirakis 2006); further
    units of a primary tumour are the contiguous ones.

    *Reads.* Unit j of patient i is read by modality k from the latent score
    ``c + sqrt(rho) U_i + sqrt(1 - rho) E_ijk`` (positive if > 0), ``c = Phi^-1(Se_k)`` for involved
    and ``-Phi^-1(Sp_k)`` for uninvolved units (per-lesion values of Yang et al. 2011), ``U_i`` the
    patient's conspicuity, shared by all their units and modalities, ``rho = 0.5`` (an assumption):
    reads are correlated within patients. The reads are then made to agree with the patient's read in
    the cohort: all negative when it is negative; when it is positive and no unit's score is > 0, the
    unit with the highest score is read positive. The per-vertebra sensitivity and specificity are
    therefore not exactly Se_k and Sp_k, and the patient-level ones are the cohort's.

    References
    ----------
    Wang F et al. (2019) Orthop Surg 11:1048; Yang HL et al. (2011) Eur Radiol 21:2604;
    Efraimidis PS, Spirakis PG (2006) Inf Process Lett 97:181; Buhmann Kirchhoff S et al. (2009)
    Eur J Radiol 69:567 (per-vertebra MRI and CT in 41 patients).

    Examples
    --------
    >>> import diagstats as ds
    >>> patients = ds.simulate.cohort(300, seed=2, complete=True)
    >>> units = ds.simulate.lesions(patients, seed=2)
    >>> res = ds.accuracy(data=units, test="mri", reference="involved", cluster="patient_id")
    >>> res.n_clusters
    300
    """
    patients = _check_patients(patients)
    par = _parameters()
    rng = _independent_stream(as_generator(seed), _LESION_STREAM)
    n, v = len(patients), len(VERTEBRAE)

    known = patients["true_diagnosis"].isin(DIAGNOSES)
    if not known.all():
        raise DataError(f"patients['true_diagnosis'] has values outside {', '.join(DIAGNOSES)}; pass a cohort "
                        "from ds.simulate.cohort.")
    diagnosis = pd.Categorical(patients["true_diagnosis"], categories=DIAGNOSES).codes
    has_tumour = diagnosis != DIAGNOSES.index("no_tumour")
    is_met = diagnosis == DIAGNOSES.index("metastasis")
    level_names = patients["true_level"]
    level = pd.Categorical(level_names.where(level_names.isin(LEVELS)), categories=LEVELS).codes
    if np.any(has_tumour & (level < 0)):
        raise DataError(f"patients['true_level'] is missing or not one of {', '.join(LEVELS)} for a patient with a "
                        "tumour; pass a cohort from ds.simulate.cohort.")

    # -- involvement: index unit within the patient's level, then further units ---------------------------
    u_index, u_count, u_keys = rng.random(n), rng.random(n), rng.random((n, v))
    per_level = np.bincount(_REGION, minlength=len(LEVELS))
    start = np.searchsorted(_REGION, np.arange(len(LEVELS)))              # first unit of each region
    index_unit = start[np.maximum(level, 0)] + np.floor(u_index * per_level[np.maximum(level, 0)]).astype(int)
    q = np.where(is_met, par["q_metastasis"], par["q_primary"])
    count = 1 + np.floor(np.log(u_count) / np.log(q))

    shares = par["metastasis_level_shares"]
    weight = np.array([shares[lv] for lv in LEVELS])[_REGION] / per_level[_REGION]
    with np.errstate(divide="ignore"):
        scattered = np.where(weight > 0, np.log(u_keys) / np.where(weight > 0, weight, 1.0), -np.inf)
    units = np.arange(v)
    contiguous = -np.abs(units[None, :] - index_unit[:, None]) + 0.5 * u_keys   # nearer first, ties at random
    key = np.where(is_met[:, None], scattered, contiguous)
    key[np.arange(n), index_unit] = np.inf
    count = np.minimum(count, (key > -np.inf).sum(axis=1))
    rank = np.argsort(np.argsort(-key, axis=1, kind="stable"), axis=1, kind="stable")
    involved = (rank < count[:, None]) & has_tumour[:, None]

    # -- reads: latent score with a patient-level conspicuity term, then agreement with the patient's read ------
    conspicuity = rng.standard_normal(n)
    score = rng.standard_normal((len(MODALITIES), n, v))
    score *= np.sqrt(1 - par["rho"])
    score += np.sqrt(par["rho"]) * conspicuity[None, :, None]
    with np.errstate(invalid="ignore"):
        centre_involved, centre_free = ndtri(par["sensitivity"]), -ndtri(par["specificity"])
    score += np.where(involved[None], centre_involved[:, None, None], centre_free[:, None, None])
    patient_read = np.stack([patients[m].to_numpy(dtype=float) for m in MODALITIES])     # (k, n)
    positive = (score > 0) & (patient_read == 1)[..., None]
    forced = (patient_read == 1) & ~positive.any(axis=2)
    k_idx, i_idx = np.nonzero(forced)
    positive[k_idx, i_idx, score[k_idx, i_idx].argmax(axis=1)] = True
    reads = np.where(np.isnan(patient_read)[..., None], np.nan, positive)

    data: dict[str, Any] = {
        "patient_id": np.repeat(patients.index.to_numpy(), v),
        "vertebra": pd.Categorical.from_codes(np.tile(units, n), categories=list(VERTEBRAE), ordered=True),
        "level": pd.Categorical.from_codes(np.tile(_REGION, n), categories=list(LEVELS)),
        "involved": involved.ravel(),
    }
    for i, m in enumerate(MODALITIES):
        data[m] = reads[i].ravel()
    frame = pd.DataFrame(data, copy=False)
    frame.attrs.update({"scenario": "spine_vertebrae", "cohort_scenario": patients.attrs.get("scenario")})
    return frame
