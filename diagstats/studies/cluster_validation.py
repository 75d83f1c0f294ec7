"""Monte Carlo validation of clustered per-vertebra intervals at the lesion simulator's correlation (issue #18).

Each replicate simulates ``n_patients`` patients with every test done (``ds.simulate.cohort(...,
complete=True)``) and their 25 vertebrae (:func:`diagstats.simulate.lesions`: reads correlated within patients
through a patient-level conspicuity, design effects about 2.7 for MRI sensitivity and 5 for specificity), and
keeps the 95% intervals of per-vertebra MRI sensitivity and specificity two ways: naive (Wilson, vertebrae taken
as independent) and clustered (``ds.accuracy(..., cluster="patient_id")``, the ratio estimator). The truth is
the pooled per-vertebra value of a large simulated population (:func:`truth`). Replicates run through
:func:`diagstats.simulate.study` (locally or on Dask, the same numbers for the same seed); :func:`summarise`
gives each interval's coverage with its Monte Carlo standard error and where the misses fall.

Measured (1,000 replicates of 300 patients, seed 3): naive 0.824 and 0.612, ratio estimator 0.929 and 0.931
(sensitivity, specificity; MC SE 0.007). The ratio estimator's Wald interval is much closer to nominal but
still about 2 points liberal at 300 patients, its misses mostly on the side where the proportion is near 1.
``tests/clustered/test_clustered_coverage.py`` runs a reduced version. Not part of ``make report``.

>>> from diagstats.studies import cluster_validation
>>> res = cluster_validation.run(n_patients=(40,), n_replicates=2, executor="serial")
>>> sorted(res.columns[:3]), len(res)
(['n_patients', 'replicate', 'scenario'], 2)
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import pandas as pd

from ..binary.intervals import proportion_ci
from ..binary.two_by_two import accuracy
from ..simulate import cohort, lesions, study

SEED = 20261201
#: The measures, with the cells of their numerator and of the rest of their denominator.
MEASURES = {"sensitivity": ("tp", "fn"), "specificity": ("tn", "fp")}
METHODS = ("naive", "ratio")


def truth(n_patients: int = 40_000, seed: int = 1, test: str = "mri") -> dict[str, float]:
    """Per-vertebra sensitivity and specificity of ``test`` pooled over a large simulated population."""
    units = lesions(cohort(n_patients, seed=seed, complete=True), seed=seed)
    res = accuracy(data=units, test=test, reference="involved", cluster="patient_id")
    return {m: getattr(res, m).value for m in MEASURES}


def replicate(scenario: Any, rng: np.random.Generator, *, n_patients: int, test: str = "mri") -> dict[str, float]:
    """One study of ``n_patients`` patients: naive and ratio-estimator bounds of each measure."""
    units = lesions(cohort(n_patients, scenario, seed=rng, complete=True), seed=rng)
    ratio = accuracy(data=units, test=test, reference="involved", cluster="patient_id")
    out = {}
    for m, (hit, miss) in MEASURES.items():
        naive = proportion_ci(getattr(ratio, hit), getattr(ratio, hit) + getattr(ratio, miss), method="wilson")
        out |= {f"naive_{m}_lower": naive.lower, f"naive_{m}_upper": naive.upper,
                f"ratio_{m}_lower": getattr(ratio, m).lower, f"ratio_{m}_upper": getattr(ratio, m).upper}
    return out


def run(n_patients: tuple[int, ...] = (100, 300, 1000), n_replicates: int = 1000, *, seed: int = SEED,
        executor: Any = None, progress: bool = False) -> pd.DataFrame:
    """``n_replicates`` studies at each number of patients (one row each, column ``n_patients``)."""
    frames = [study(functools.partial(replicate, n_patients=int(n)), n_replicates=n_replicates, seed=seed,
                    executor=executor, progress=progress).assign(n_patients=int(n)) for n in n_patients]
    out = pd.concat(frames, ignore_index=True)
    return out[["scenario", "n_patients", "replicate", *[c for c in out.columns
                                                         if c not in ("scenario", "n_patients", "replicate")]]]


def summarise(frame: pd.DataFrame, true_values: dict[str, float], level: float = 0.95) -> pd.DataFrame:
    """Coverage of each method and measure at each number of patients, its Monte Carlo SE at the nominal
    level, and the shares of replicates whose interval lies wholly above or below the truth."""
    rows = []
    for n, group in frame.groupby("n_patients", sort=True):
        se = math.sqrt(level * (1 - level) / len(group))
        for method in METHODS:
            for m, value in true_values.items():
                lower, upper = group[f"{method}_{m}_lower"], group[f"{method}_{m}_upper"]
                above, below = lower > value, upper < value
                rows.append({"n_patients": n, "method": method, "measure": m, "replicates": len(group),
                             "coverage": float(((lower <= value) & (value <= upper)).mean()), "mc_se": se,
                             "interval_above_truth": float(above.mean()),
                             "interval_below_truth": float(below.mean())})
    return pd.DataFrame(rows)
