"""Reader studies simulated from the spine work-up: several radiologists rate the cohort's MRI and CT.

:func:`cohort_reads` simulates the cohort of :func:`diagstats.simulate.cohort` (same ``n``, scenario, seed
and ``complete``: the same patients) and has a panel of readers rate each patient's images in the chosen
modalities, from the patient's own latent imaging signal, so that a multi-reader multi-case study
(:func:`diagstats.reader_study`) can be run on the work-up. The reads are drawn from a random stream spawned
from the seed with a fixed key: the cohort's columns are the same with and without them.

*The model.* In the cohort, modality k is read from the oriented latent score
``x_ki = s_i (c_k(T_i) + N_ki)``, with ``T_i`` the target condition (a spinal tumour), ``s_i`` +1 with a
tumour and -1 without, ``c_k(1) = Phi^-1(Se_k)``, ``c_k(0) = Phi^-1(Sp_k)`` and ``N_ki`` the patient's
standard-normal reading noise (a conspicuity shared by all modalities plus a modality-specific part). Reader j
reads

    y_jki = s_i (g_j c_k(T_i) + sqrt(w) N_ki + sqrt(1 - w) F_jki) - b_j,

``F_jki`` the reader's own standard-normal perception noise, independent between readers, modalities and
patients. Three assumptions, stated as such:

* ``g_j`` (*skill*, > 0) scales the separation of the two truth states: reader j's binormal AUC in modality k
  is ``Phi(g_j (Phi^-1(Se_k) + Phi^-1(Sp_k)) / sqrt(2))``; g = 1 is the scenario's (the meta-analytic) reader.
* ``b_j`` (*bias*) moves the reader's thresholds: b > 0 reads more cautiously (fewer positive reads), b < 0
  more liberally; it changes sensitivity and specificity but not the AUC.
* ``w`` (*agreement*, 0 to 1) is the share of the reading noise that every reader sees in a patient's images
  (the within-truth correlation of two readers' scores); w = 1 with g = 1 and b = 0 gives the cohort's own
  read (``rating`` equals the cohort's ``{modality}_rating``).

With ``readers=k`` the skills and biases of k readers are drawn once (``log g ~ N(0, 0.2^2)``,
``b ~ N(0, 0.3^2)``, assumptions for a panel of board-certified radiologists); a mapping
``{"skill": [...], "bias": [...]}`` sets them. The 1-5 rating cuts y at the scenario's
``imaging.rating_cutpoints`` (>= 3 a positive read).

References: Roe CA, Metz CE (1997) Acad Radiol 4:298-303 (a reader and case variance-component model of which
this is a special case); Harlianto NI et al. (2024) Clin Transl Oncol (the per-modality Se and Sp).

>>> import diagstats as ds
>>> reads = ds.simulate.cohort_reads(400, seed=1, readers=3, complete=True)
>>> reads.shape, sorted(reads["modality"].unique())
((2400, 6), ['ct', 'mri'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri

from .._input import _show, as_generator, check_number, check_whole_number
from ..errors import OptionError
from .engine import _independent_stream, _simulate
from .scenario import MODALITIES, Scenario

#: The columns of :func:`cohort_reads`, in order, with their meaning.
READ_COLUMNS = {
    "reader": "reader label, 'reader 1', 'reader 2', ...",
    "modality": "the modality read (a cohort modality name)",
    "case": "the patient: its row label in ds.simulate.cohort(n, scenario, seed, complete=...)",
    "truth": "the target condition: 1 spinal tumour (any), 0 none",
    "rating": "the reader's 1-5 confidence (>= 3 a positive read)",
    "score": "the reader's continuous latent score (> 0 positive at bias 0)",
}
#: Spawn key of the reads' own random stream (independent of every cohort column).
_READS_STREAM = 0x2EAD5
#: Spread of a drawn panel: SD of log skill and of bias (assumptions).
PANEL_SPREAD = {"log_skill": 0.2, "bias": 0.3}


def _panel(readers: Any, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The readers' skills and biases: drawn for ``readers=k``, or given as a mapping of two sequences."""
    if isinstance(readers, Mapping):
        if set(readers) != {"skill", "bias"}:
            raise OptionError(f"readers={_show(readers)} must be a number of readers or a mapping with exactly the "
                              "keys 'skill' and 'bias', e.g. readers={'skill': [1.0, 0.8], 'bias': [0.0, 0.3]}.")
        values = {}
        for key, low in (("skill", 0.0), ("bias", -10.0)):
            seq = readers[key]
            if isinstance(seq, (str, bytes)) or not isinstance(seq, (Sequence, np.ndarray)):
                raise OptionError(f"readers[{key!r}]={_show(seq)} must be a list with one value per reader.")
            values[key] = np.array([check_number(v, f"readers[{key!r}]", low=low, high=10.0, strict=key == "skill",
                                                 what=f"reader {key}") for v in seq], dtype=float)
        if len(values["skill"]) != len(values["bias"]) or len(values["skill"]) < 1:
            raise OptionError(f"readers={_show(readers)}: 'skill' and 'bias' must give one value each for the same "
                              "number of readers (at least one).")
        return values["skill"], values["bias"]
    k = check_whole_number(readers, "readers", minimum=1, maximum=1000, what="readers", example=5)
    skill = np.exp(PANEL_SPREAD["log_skill"] * rng.standard_normal(k))
    bias = PANEL_SPREAD["bias"] * rng.standard_normal(k)
    return skill, bias


def cohort_reads(n: int, scenario: str | Scenario = "spine_referral", seed: Any = 0, *, readers: Any = 5,
                 modalities: Sequence[str] = ("mri", "ct"), agreement: float = 0.6,
                 complete: bool = False) -> pd.DataFrame:
    """A reader study on the simulated cohort: every reader rates every imaged patient in every modality.

    Parameters
    ----------
    n, scenario, seed, complete
        As :func:`diagstats.simulate.cohort`: the same patients, whose row labels are the ``case`` column.
    readers : int or mapping, default 5
        The number of readers (their skill and bias drawn, see the module docstring), or
        ``{"skill": [...], "bias": [...]}`` with one skill (> 0, 1 = the scenario's reader) and one bias
        (0 = the scenario's thresholds) per reader.
    modalities : sequence of str, default ("mri", "ct")
        The modalities read (at least one of the cohort's). Only the patients who had all of them in the
        work-up are read (every patient with ``complete=True``): a fully crossed design.
    agreement : float, default 0.6
        The share of a patient's reading noise that all readers see, 0 to 1 (an assumption).

    Returns
    -------
    pandas.DataFrame
        One row per reader x modality x patient (reader-major, then modality, then patient), the columns of
        :data:`READ_COLUMNS`; ``attrs`` holds the readers' ``skill`` and ``bias``, ``n_patients`` and the
        scenario, seed and modalities. Analyse it with ``ds.reader_study(reads)``.

    Examples
    --------
    >>> import diagstats as ds
    >>> reads = ds.simulate.cohort_reads(600, seed=2, readers={"skill": [1.0, 0.8], "bias": [0.0, 0.5]})
    >>> res = ds.reader_study(reads)
    >>> res.modalities, res.readers
    (('ct', 'mri'), ('reader 1', 'reader 2'))
    """
    s = Scenario.load(scenario)
    if isinstance(modalities, (str, bytes)) or not isinstance(modalities, (Sequence, np.ndarray)):
        raise OptionError(f"modalities={_show(modalities)} must be a list of the cohort's modalities, "
                          f"e.g. ['mri', 'ct'] (from {', '.join(MODALITIES)}).")
    chosen = list(modalities)
    unknown = [m for m in chosen if m not in MODALITIES]
    if not chosen or unknown or len(set(chosen)) != len(chosen):
        raise OptionError(f"modalities={_show(modalities)} must name distinct modalities of the cohort "
                          f"({', '.join(MODALITIES)}), at least one, e.g. ['mri', 'ct'].")
    w = check_number(agreement, "agreement", low=0.0, high=1.0, what="share of the reading noise shared by readers")
    patients, signal = _simulate(n, s, seed, complete=complete, keep_signal=True)
    rng = _independent_stream(as_generator(seed), _READS_STREAM)
    skill, bias = _panel(readers, rng)

    rows = [MODALITIES.index(m) for m in chosen]
    read = patients[chosen].notna().all(axis=1).to_numpy()
    truth = (patients["true_diagnosis"] != "no_tumour").to_numpy()
    sign = np.where(truth, 1.0, -1.0)
    with np.errstate(invalid="ignore"):   # Se or Sp of exactly 0 or 1 gives infinite centres
        centre = np.array([np.where(truth, ndtri(s[f"imaging.{m}.sensitivity"]), ndtri(s[f"imaging.{m}.specificity"]))
                           for m in chosen])                                  # (t, n)
    noise = sign * signal[rows] - centre                                      # the cohort's N_ki, (t, n)
    k, t, c = len(skill), len(chosen), int(read.sum())
    own = rng.standard_normal((k, t, n))                                      # F_jki for every patient
    score = sign * (skill[:, None, None] * centre + np.sqrt(w) * noise + np.sqrt(1 - w) * own) - bias[:, None, None]
    score = score[:, :, read]
    rating = np.ones(score.shape, dtype=np.int8)
    for cut in s["imaging.rating_cutpoints"]:
        rating += score > cut
    labels = np.array([f"reader {j + 1}" for j in range(k)], dtype=object)
    frame = pd.DataFrame({
        "reader": np.repeat(labels, t * c),
        "modality": np.tile(np.repeat(np.array(chosen, dtype=object), c), k),
        "case": np.tile(patients.index.to_numpy()[read], k * t),
        "truth": np.tile(truth[read].astype(np.int8), k * t),
        "rating": rating.ravel(),
        "score": score.ravel(),
    })
    frame.attrs.update({"scenario": s.name, "seed": patients.attrs["seed"], "complete": bool(complete),
                        "modalities": tuple(chosen), "n_patients": int(n), "skill": tuple(skill.tolist()),
                        "bias": tuple(bias.tolist()), "agreement": w})
    return frame
