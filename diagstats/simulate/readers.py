"""Simulated multi-reader multi-case (MRMC) reader studies: the Roe & Metz model, Hillis' unequal-variance form.

Roe & Metz (1997) simulate the latent confidence-of-disease rating of reader j, modality i, case k as a sum
of independent normal effects; Hillis (2012) lets the diseased-case distribution have a different spread
(the RMH model, also used by MRMCaov's ``RMH_to_OR``). For a non-diseased case (truth 0)

    X_ijk = R_j0 + TR_ij0 + C_k + TC_ik + RC_jk + E_ijk,

and for a diseased case (truth 1)

    X_ijk = delta_i + (R_j1 + TR_ij1 + C_k + TC_ik + RC_jk + E_ijk) / b,

with variances ``var_r`` (R), ``var_tr`` (TR), ``var_c`` (C), ``var_tc`` (TC), ``var_rc`` (RC) and
``var_error`` (E). The reader effects of the two truth states (R_j0, R_j1 and TR_ij0, TR_ij1) are independent,
as in Roe & Metz. Every diseased-case component is that of the non-diseased divided by b^2, so b is the
binormal slope of each reader's true ROC curve (b = 1: Roe & Metz's equal-variance model). With the
case-level variance s^2 = var_c + var_tc + var_rc + var_error, reader j's true AUC in modality i is
Phi((delta_i + R_j1/b + TR_ij1/b - R_j0 - TR_ij0) / (s sqrt(1 + 1/b^2))), and the mean over readers is
Phi(delta_i / sqrt((s^2 + var_r + var_tr)(1 + 1/b^2))). Equal ``delta`` in every modality is the null
hypothesis of the Obuchowski-Rockette tests.

The Obuchowski-Rockette parameters of the studies a model simulates, and a model for given ones (a pilot's), are
:func:`diagstats.simulate.rmh_to_or` and :func:`diagstats.simulate.or_to_rmh`; ``roe_metz(parameters=...)`` simulates
from such a model (:mod:`diagstats.simulate.or_parameters`).

References: Roe CA, Metz CE (1997) Acad Radiol 4:298-303. Hillis SL (2012) Acad Radiol 19:1518-1528.
Hillis SL (2018) Stat Med 37:2067-2093 (the mapping to Obuchowski-Rockette parameters). Hillis SL, Smith BJ, Chen W
(2022) J Med Imaging 9:045501 (the reverse mapping).

>>> import diagstats as ds
>>> data = ds.simulate.roe_metz(n_readers=4, n_nondiseased=30, n_diseased=30, delta=(1.5, 2.0), seed=1)
>>> data.shape
(480, 5)
>>> res = ds.reader_study(data)
>>> res.modalities
('A', 'B')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._input import as_generator, check_option, check_whole_number
from ..errors import OptionError
from .or_parameters import rmh_model

#: The designs: which cases each reader rates (as ``design=`` of :func:`diagstats.reader_study`).
DESIGNS = ("crossed", "cases_in_readers", "cases_in_modalities")
#: Largest simulated study (readers x modalities x cases ratings) accepted in one call.
MAX_RATINGS = 10**8


def roe_metz(n_readers: int = 5, n_nondiseased: int | None = None, n_diseased: int | None = None, *,
             delta: float | Sequence[float] | None = None, b: float | None = None, var_r: float | None = None,
             var_tr: float | None = None, var_c: float | None = None, var_tc: float | None = None,
             var_rc: float | None = None, var_error: float | None = None, modalities: Sequence[Any] | None = None,
             seed: Any = 0, design: str = "crossed", parameters: Any = None) -> pd.DataFrame:
    """Simulate a reader study from the Roe & Metz model (Hillis' unequal-variance form), fully crossed or with
    cases nested in readers or in modalities.

    Parameters
    ----------
    n_readers, n_nondiseased, n_diseased : int
        Readers (at least 1), non-diseased and diseased cases (at least 1 each; default 50 each, or the case
        numbers of ``parameters``); every reader rates every case in every modality (per reader, or per modality,
        in a nested ``design``).
    delta : float or sequence of floats
        The diseased-case mean under each modality (one value per modality; a single number gives two
        modalities with that mean, a null study). Non-diseased cases have mean 0. Default (1.5, 1.5).
    b : float
        The binormal slope (> 0): diseased-case variance components are the non-diseased ones / b^2. Default 1.
    var_r, var_tr, var_c, var_tc, var_rc, var_error : float
        Variances of the reader, modality x reader, case, modality x case, reader x case and error effects
        (>= 0; the case-level four together must be > 0). The defaults (0.0055, 0.0055, 0.3, 0.3, 0.2, 0.2) put
        the case-level variance at 1, as Roe & Metz do, with little reader variability.
    modalities : sequence, optional
        Labels of the modalities (default "A", "B", ..., or those of ``parameters``), one per ``delta``.
    seed : int, SeedSequence or Generator
        The randomness (a Generator is advanced; ``ds.simulate.study`` passes each replicate its own).
    design : "crossed", "cases_in_readers" or "cases_in_modalities"
        ``"crossed"``: every reader rates the same cases. ``"cases_in_readers"``: each reader rates his or her own
        ``n_nondiseased + n_diseased`` cases, in every modality. ``"cases_in_modalities"``: each modality has its
        own ``n_nondiseased + n_diseased`` cases, rated by every reader. A nested study is the crossed model on
        n_readers (or n_modalities) times as many cases, each reader (modality) keeping its own block of them, so
        the model of every rating is unchanged; case ids are unique across the study
        (:func:`diagstats.reader_study` with the same ``design=``) analyses it).
    parameters : RMHParameters, ORParameters or ReaderStudyResult, optional
        The model instead of ``delta``, ``b`` and ``var_*``: a model from :func:`diagstats.simulate.or_to_rmh`, or
        Obuchowski-Rockette parameters or a pilot :func:`diagstats.reader_study` (the empirical AUC, crossed),
        which ``or_to_rmh`` turns into one (b solved from Var(error)): studies whose OR components are like the
        pilot's. Its case numbers and modality labels are the defaults.

    Returns
    -------
    DataFrame
        Long data, one row per reader x modality x case (modality-major, then reader, then case):
        ``reader`` (1..), ``modality``, ``case`` (1..; the non-diseased first, within each reader's or
        modality's block in a nested design), ``truth`` (0/1) and ``rating`` (the continuous latent rating), as
        :func:`diagstats.reader_study` reads it.

    Notes
    -----
    All effects are drawn in one vectorised pass, in a fixed order (reader effects of both truth states, the
    modality x reader effects, then the case, modality x case, reader x case and error effects), so the same
    seed gives the same study. See the module docstring for the model and references, and
    :func:`diagstats.simulate.rmh_to_or` for the OR parameters of the studies a model simulates.

    >>> import diagstats as ds
    >>> df = ds.simulate.roe_metz(n_readers=3, n_nondiseased=20, n_diseased=10, seed=0)
    >>> sorted(df["modality"].unique()), int(df["truth"].sum())
    (['A', 'B'], 60)
    >>> nested = ds.simulate.roe_metz(n_readers=3, n_nondiseased=20, n_diseased=10, design="cases_in_readers", seed=0)
    >>> len(nested), int(nested.groupby("case")["reader"].nunique().max())
    (180, 1)
    >>> pilot = ds.reader_study(ds.simulate.roe_metz(n_readers=4, n_nondiseased=40, n_diseased=40, delta=(1.5, 2.0),
    ...                                              modalities=("CT", "MRI"), seed=3))
    >>> like_pilot = ds.simulate.roe_metz(n_readers=8, parameters=ds.simulate.or_to_rmh(pilot, b=1), seed=1)
    >>> like_pilot.shape, sorted(like_pilot["modality"].unique())
    ((1280, 5), ['CT', 'MRI'])
    """
    r = check_whole_number(n_readers, "n_readers", minimum=1, what="readers", example=5)
    model = rmh_model(parameters, n_nondiseased, n_diseased, modalities=modalities, delta=delta, b=b, var_r=var_r,
                      var_tr=var_tr, var_c=var_c, var_tc=var_tc, var_rc=var_rc, var_error=var_error)
    n0, n1, b = model.n_nondiseased, model.n_diseased, model.b
    delta = np.array(model.delta, dtype=float)
    t = len(delta)
    var = model.variances
    labels = list(model.labels)
    design = check_option(design, "design", DESIGNS)
    blocks = {"crossed": 1, "cases_in_readers": r, "cases_in_modalities": t}[design]
    c = blocks * (n0 + n1)
    if r * t * c > MAX_RATINGS:
        raise OptionError(f"{r} readers x {t} modalities x {c} cases = {r * t * c:,} ratings, more than "
                          f"{MAX_RATINGS:,} in one call; simulate a smaller study.")
    rng = as_generator(seed)
    sd = {name: np.sqrt(v) for name, v in var.items()}
    reader = rng.standard_normal((2, r)) * sd["var_r"]              # R_j0, R_j1
    reader_mod = rng.standard_normal((2, t, r)) * sd["var_tr"]      # TR_ij0, TR_ij1
    case = rng.standard_normal(c) * sd["var_c"]
    case_mod = rng.standard_normal((t, c)) * sd["var_tc"]
    reader_case = rng.standard_normal((r, c)) * sd["var_rc"]
    error = rng.standard_normal((t, r, c)) * sd["var_error"]
    truth = np.tile(np.r_[np.zeros(n0, dtype=np.int64), np.ones(n1, dtype=np.int64)], blocks)
    state = truth.astype(bool)
    # reader effects of each case's truth state: (t, r, c)
    readers = np.where(state[None, None, :], (reader[1][None, :] + reader_mod[1])[:, :, None],
                       (reader[0][None, :] + reader_mod[0])[:, :, None])
    latent = readers + case[None, None, :] + case_mod[:, None, :] + reader_case[None, :, :] + error
    rating = np.where(state[None, None, :], delta[:, None, None] + latent / b, latent)
    frame = pd.DataFrame({
        "reader": np.tile(np.repeat(np.arange(1, r + 1), c), t),
        "modality": np.repeat(np.array(labels, dtype=object), r * c),
        "case": np.tile(np.arange(1, c + 1), t * r),
        "truth": np.tile(truth, t * r),
        "rating": rating.ravel(),
    })
    if design == "crossed":
        return frame
    # each reader (or modality) keeps its own block of n0 + n1 cases
    block = (np.arange(c) // (n0 + n1))[None, None, :]
    owner = np.arange(r)[None, :, None] if design == "cases_in_readers" else np.arange(t)[:, None, None]
    return frame[np.broadcast_to(block == owner, (t, r, c)).ravel()].reset_index(drop=True)
