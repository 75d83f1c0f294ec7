"""Monte Carlo check of the Roe-Metz-Hillis <-> Obuchowski-Rockette mapping (Hillis 2018; Hillis, Smith & Chen 2022).

:data:`TARGET` holds OR parameters of the Van Dyke cine vs spin-echo MRI study (69 non-diseased + 45 diseased cases;
the values of MRMCaov's ``OR_to_RMH`` example 1a). :func:`diagstats.simulate.or_to_rmh` turns them into a
Roe-Metz-Hillis model; each replicate simulates a study of that model (:func:`diagstats.simulate.roe_metz`) and
estimates its OR parameters with :func:`diagstats.reader_study` (``covariance="unbiased"``: Gallas' unbiased
estimates of the error covariances, so their averages have no O(1/n) bias, as the jackknife's would). Replicates
run through :func:`diagstats.simulate.study` (locally or on a Dask cluster, the same numbers for the same seed).
:func:`summarise` sets the average of each estimate beside the OR value the model gives
(:func:`diagstats.simulate.rmh_to_or`), with its Monte Carlo standard error.

``tests/readers/test_or_parameters.py`` runs 1,200 studies of 6 readers (about 20 s on one core) and holds every
average within 4 Monte Carlo standard errors of its target.

>>> from diagstats.studies import or_parameters_validation as v
>>> frame = v.run(3, executor="serial")
>>> list(frame.columns[-3:]), len(frame)
(['Cov2', 'Cov3', 'Var(error)'], 3)
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from ..readers import reader_study
from ..simulate import or_to_rmh, roe_metz, study
from ..simulate.or_parameters import COMPONENTS, ORParameters, RMHParameters

#: The Van Dyke OR parameters (MRMCaov's ``OR_to_RMH`` example 1a): AUCs, Var(R), Var(TxR), correlations,
#: Var(error), non-diseased and diseased cases.
TARGET = {"auc": (0.897, 0.941), "var_r": 0.00154, "var_tr": 0.000208, "corr1": 0.433, "corr2": 0.430,
          "corr3": 0.299, "var_error": 0.000788, "n_nondiseased": 69, "n_diseased": 45}
N_READERS = 6
SEED = 20261201


def model() -> RMHParameters:
    """The Roe-Metz-Hillis model of :data:`TARGET` (b solved from Var(error))."""
    return or_to_rmh(**TARGET)


def replicate(scenario: Any, rng: np.random.Generator, parameters: RMHParameters, n_readers: int = N_READERS
              ) -> dict[str, float]:
    """One simulated study of ``parameters``: each modality's mean AUC and the OR components estimated by
    :func:`diagstats.reader_study` with unbiased covariances (``scenario`` unused)."""
    res = reader_study(roe_metz(n_readers, parameters=parameters, seed=rng), covariance="unbiased")
    out = {f"AUC {m}": float(a) for m, a in zip(res.modalities, np.asarray(res.auc).mean(axis=1))}
    return {**out, **{k: float(res.or_components[k]) for k in COMPONENTS}}


def run(n_replicates: int = 1200, *, seed: int = SEED, executor: Any = None, progress: bool = False,
        n_readers: int = N_READERS, parameters: RMHParameters | None = None) -> pd.DataFrame:
    """``n_replicates`` studies of ``parameters`` (default :func:`model`) through :func:`diagstats.simulate.study`,
    one row each."""
    fn = functools.partial(replicate, parameters=model() if parameters is None else parameters, n_readers=n_readers)
    return study(fn, n_replicates=n_replicates, seed=seed, executor=executor, progress=progress)


def summarise(frame: pd.DataFrame, expected: ORParameters) -> pd.DataFrame:
    """For each OR quantity: the ``expected`` value (the model's, :func:`diagstats.simulate.rmh_to_or`), the
    ``average`` over the simulated studies, its Monte Carlo standard error and the difference in standard errors."""
    names = [c for c in frame.columns if c.startswith("AUC ")] + list(COMPONENTS)
    target = dict(zip(names, [*expected.auc, *expected.components.values()]))
    average = frame[names].mean()
    se = frame[names].std(ddof=1) / np.sqrt(len(frame))
    return pd.DataFrame({"expected": pd.Series(target), "average": average, "mc_se": se,
                         "z": (average - pd.Series(target)) / se})
