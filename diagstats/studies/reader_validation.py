"""Monte Carlo validation of the Obuchowski-Rockette reader study under a Roe & Metz null, and its power.

Each replicate simulates a two-modality reader study with :func:`diagstats.simulate.roe_metz` with the same
diseased-case mean in both modalities (the null hypothesis: equal mean AUCs), analyses it with
:func:`diagstats.reader_study` (jackknife covariance) and keeps the RRRC p-value and the 95% interval of the
difference. Replicates run through :func:`diagstats.simulate.study` (locally or on a Dask cluster, the same
numbers for the same seed). :func:`summarise` gives the rejection rate at ``alpha`` and the coverage of the
difference intervals, each with its Monte Carlo standard error.

With the defaults, 2,000 studies of 5 readers x 50 + 50 cases (``run()``, about 10 s on one core, seed
20261130): rejection rate 0.057 and coverage 0.943 (Monte Carlo SE 0.0049 each); ``tests/readers/test_roe_metz.py``
holds both within 3 standard errors. ``run(design="cases_in_readers")`` (or ``"cases_in_modalities"``) simulates
and analyses the same null with cases nested in readers (each reader with his or her own 50 + 50 cases) or in
modalities (:func:`diagstats.simulate.roe_metz` and :func:`diagstats.reader_study` with that ``design=``).

:func:`power` is the power simulation: the same studies with a real difference (diseased-case means ``EFFECT``,
1.5 vs 2.0), the RRRC rejection rate at 5% with its Monte Carlo standard error. 10,000 studies (the default) take
about 70 s on one core, locally or on a Dask cluster (``executor=Client(...)``) with the same numbers for the same
seed (``tests/readers/test_roe_metz.py``; timed in ``benchmarks/readers_power_simulation.py``): simulated power
0.619 (Monte Carlo SE 0.005).

>>> from diagstats.studies import reader_validation
>>> res = reader_validation.run(n_replicates=3, executor="serial")
>>> list(res.columns[-4:]), len(res)
(['p_value', 'difference', 'lower', 'upper'], 3)
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import pandas as pd

from ..readers import reader_study
from ..simulate import roe_metz, study

#: The null design of the validation (Roe & Metz variance structure with the case-level variance 1).
DESIGN = {"n_readers": 5, "n_nondiseased": 50, "n_diseased": 50, "delta": (1.5, 1.5), "b": 1.0,
          "var_r": 0.0055, "var_tr": 0.0055, "var_c": 0.3, "var_tc": 0.3, "var_rc": 0.2, "var_error": 0.2}
SEED = 20261130


def null_replicate(scenario: Any, rng: np.random.Generator, design: str = "crossed") -> dict[str, float]:
    """One null reader study: the RRRC p-value and the difference with its 95% interval (``scenario`` unused);
    ``design`` says which cases each reader reads (see :func:`diagstats.reader_study`)."""
    res = reader_study(roe_metz(**DESIGN, design=design, seed=rng), design=design)
    estimate = res.rrrc.estimate
    return {"p_value": res.rrrc.p_value, "difference": estimate.value, "lower": estimate.lower,
            "upper": estimate.upper}


#: The alternative of the power simulation: diseased-case means of the two modalities (reader-averaged AUCs about
#: 0.83 and 0.90 under ``DESIGN``).
EFFECT = (1.5, 2.0)


def effect_replicate(scenario: Any, rng: np.random.Generator, delta: tuple[float, float] = EFFECT
                     ) -> dict[str, float]:
    """One reader study with diseased-case means ``delta`` (a real difference when they differ): the RRRC p-value
    and the difference with its 95% interval (``scenario`` unused)."""
    res = reader_study(roe_metz(**{**DESIGN, "delta": delta}, seed=rng))
    estimate = res.rrrc.estimate
    return {"p_value": res.rrrc.p_value, "difference": estimate.value, "lower": estimate.lower,
            "upper": estimate.upper}


def power(n_replicates: int = 10_000, *, seed: int = SEED, executor: Any = None, progress: bool = False,
          delta: tuple[float, float] = EFFECT) -> pd.DataFrame:
    """The power simulation: ``n_replicates`` reader studies with diseased-case means ``delta`` through
    :func:`diagstats.simulate.study` (one row each; locally, on a process pool or a Dask ``Client``, the same
    numbers for the same seed). ``summarise(frame)["rejection_rate"]`` is the simulated RRRC power."""
    return study(functools.partial(effect_replicate, delta=tuple(delta)), n_replicates=n_replicates, seed=seed,
                 executor=executor, progress=progress)


def run(n_replicates: int = 2000, *, seed: int = SEED, executor: Any = None, progress: bool = False,
        design: str = "crossed") -> pd.DataFrame:
    """``n_replicates`` null reader studies of ``design`` through :func:`diagstats.simulate.study` (one row each)."""
    fn = null_replicate if design == "crossed" else functools.partial(null_replicate, design=design)
    return study(fn, n_replicates=n_replicates, seed=seed, executor=executor, progress=progress)


def summarise(frame: pd.DataFrame, alpha: float = 0.05) -> dict[str, float]:
    """Rejection rate at ``alpha`` and coverage of the difference intervals (true difference 0), with their
    Monte Carlo standard errors sqrt(p (1 - p) / n) at the nominal p (for a :func:`power` frame the rejection rate
    is the power, and ``power_se`` its Monte Carlo standard error at the simulated rate)."""
    n = len(frame)
    rejected = float((frame["p_value"] < alpha).mean())
    return {"n": n, "rejection_rate": rejected, "rejection_se": math.sqrt(alpha * (1 - alpha) / n),
            "coverage": float(((frame["lower"] <= 0) & (frame["upper"] >= 0)).mean()),
            "coverage_se": math.sqrt(0.95 * 0.05 / n), "power_se": math.sqrt(rejected * (1 - rejected) / n)}
