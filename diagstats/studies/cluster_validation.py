"""Monte Carlo validation of clustered per-vertebra intervals at the lesion simulator's correlation (issue #18).

Each replicate simulates ``n_patients`` patients with every test done (``ds.simulate.cohort(...,
complete=True)``) and their 25 vertebrae (:func:`diagstats.simulate.lesions`: reads correlated within patients
through a patient-level conspicuity, design effects about 2.7 for MRI sensitivity and 5 for specificity), and
keeps, for per-vertebra MRI sensitivity and specificity, the naive 95% interval (Wilson, vertebrae taken as
independent) and the ratio estimator's proportion, variance, units and patients, from which
:func:`summarise` builds every interval shape of :mod:`diagstats.binary.clustered_intervals` (the shapes of
``ds.accuracy(..., cluster=, ratio_interval=)``). It keeps too the clustered difference of sensitivity and of
specificity between MRI and CT (``ds.compare_tests(..., cluster=)``: the ratio-estimator variance of
Obuchowski 1998) with its Wald and t intervals. The truth is the pooled per-vertebra value of a large
simulated population (:func:`truth`). Replicates run through :func:`diagstats.simulate.study` (locally or on
Dask, the same numbers for the same seed); :func:`summarise` gives each interval's coverage with its Monte
Carlo standard error and where the misses fall.

Measured (1,000 replicates at each size, seed 20261201; truth from 1,000,000 patients, seed 1; MC SE
0.007), coverage of the 95% intervals:

=================  ======  ======  ======  ======   ======  ======  ======  ======
patients            sensitivity (0.873)                specificity (0.974)
-----------------  --------------------------------   --------------------------------
interval             50     100     300    1000         50     100     300    1000
=================  ======  ======  ======  ======   ======  ======  ======  ======
naive (Wilson)      0.856   0.804   0.819   0.806    0.582   0.603   0.630   0.606
Wald                0.843   0.879   0.925   0.943    0.847   0.895   0.952   0.942
Wald, t (m - 1)     0.859   0.891   0.929   0.943    0.854   0.899   0.953   0.944
logit Wald          0.943   0.930   0.941   0.949    0.895   0.926   0.951   0.946
Wilson, n / deff    0.921   0.922   0.938   0.948    0.891   0.924   0.951   0.946
Korn-Graubard       0.947   0.943   0.954   0.957    0.910   0.935   0.959   0.949
=================  ======  ======  ======  ======   ======  ======  ======  ======

The Wald interval (Genders et al. 2012; the former default) is liberal up to 300 patients, its misses
mostly on the side where the proportion is near 1 (at 300 patients 6.9% of its sensitivity intervals lie
wholly above the truth, 0.6% below). Korn & Graubard's interval (Clopper-Pearson of Kish's effective sample,
with the t degrees-of-freedom correction) is within two MC SEs of 95% for sensitivity at every size (the only
shape that is) and for specificity from 300 patients; it is the default of ``ds.accuracy(..., cluster=)``. No shape
reaches 95% for specificity at 50 or 100 patients (design effect about 5, few patients with a false-positive
vertebra: the ratio-estimator variance itself is then too small when the estimate is high); Korn-Graubard
comes closest (0.910 and 0.935, against Wald's 0.847 and 0.895).

The clustered difference MRI - CT (``ds.compare_tests(..., cluster=)``; true differences 0.308 and 0.063),
coverage of the 95% intervals (the same replicates):

=================  ======  ======  ======  ======   ======  ======  ======  ======
patients            sensitivity difference             specificity difference
-----------------  --------------------------------   --------------------------------
interval             50     100     300    1000         50     100     300    1000
=================  ======  ======  ======  ======   ======  ======  ======  ======
Wald                0.910   0.925   0.951   0.935    0.928   0.942   0.958   0.934
Wald, t (m - 1)     0.926   0.931   0.954   0.935    0.930   0.948   0.960   0.935
MOVER               0.947   0.949   0.963   0.942    0.961   0.966   0.967   0.938
=================  ======  ======  ======  ======   ======  ======  ======  ======

The Wald interval on the ratio-estimator variance of Obuchowski (1998) is liberal at 50 and 100 patients (its
misses fall on both sides, 4.8% and 4.2% of sensitivity intervals below the truth at 50 patients); a further
2,000 replicates at 1,000 patients (seed 77) gave 0.949 and 0.942. MOVER (Zou & Donner 2008) from the two
tests' Korn-Graubard limits and the correlation of their ratio estimators stays within about two MC SEs of
95% at every size, a little conservative for specificity (mean widths 0.448 against Wald's 0.396 for the
sensitivity difference at 50 patients, 0.099 against 0.096 at 1,000), with its misses balanced (2.2% above
and 3.1% below the truth at 50 patients); it is the default of ``compare_tests(cluster=)``, Wald the option
``ci_method="wald"``.

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
from scipy import stats

from ..binary import clustered as _cl
from ..binary import clustered_comparison as _clc
from ..binary.clustered_intervals import RATIO_INTERVALS, ratio_interval
from ..binary.intervals import proportion_ci
from ..simulate import cohort, lesions, study

SEED = 20261201
#: The measures, with the (tp, fp, fn, tn) cells of their numerator and denominator.
MEASURES = {"sensitivity": ((0,), (0, 2)), "specificity": ((3,), (1, 3))}
#: The interval methods summarised: the naive one, then every ratio-estimator shape.
METHODS = ("naive", *RATIO_INTERVALS)
#: The interval shapes of the clustered difference between two tests.
DIFFERENCE_SHAPES = ("wald", "wald_t", "mover")
#: The two tests compared for the difference (first minus second).
COMPARED = ("mri", "ct")


def _cells(units: pd.DataFrame, test: str) -> np.ndarray:
    codes, ids = pd.factorize(units["patient_id"], sort=True)
    return _cl.cluster_cells(units[test].to_numpy() == 1, units["involved"].to_numpy(), codes, len(ids))


def truth(n_patients: int = 1_000_000, seed: int = 1, test: str = "mri", chunk: int = 50_000) -> dict[str, float]:
    """Per-vertebra sensitivity and specificity of ``test``, and their differences between the
    :data:`COMPARED` tests, pooled over a large simulated population (simulated ``chunk`` patients at a
    time, from independent streams of ``seed``)."""
    tests = list(dict.fromkeys((test, *COMPARED)))
    totals = np.zeros((len(tests), 4))
    streams = np.random.SeedSequence(seed).spawn(-(-n_patients // chunk))
    for i, stream in enumerate(streams):
        rng = np.random.default_rng(stream)
        units = lesions(cohort(min(chunk, n_patients - i * chunk), seed=rng, complete=True), seed=rng)
        totals += [_cells(units, t).sum(axis=0) for t in tests]
    out = {}
    for m, (num, den) in MEASURES.items():
        value = dict(zip(tests, _cl.sums(totals, num) / _cl.sums(totals, den)))
        out[m] = float(value[test])
        out[f"{m}_difference"] = float(value[COMPARED[0]] - value[COMPARED[1]])
    return out


def replicate(scenario: Any, rng: np.random.Generator, *, n_patients: int, test: str = "mri") -> dict[str, float]:
    """One study of ``n_patients`` patients: the naive bounds, and the ratio estimator's proportion, variance,
    units and contributing patients of each measure; the clustered difference between the compared tests."""
    units = lesions(cohort(n_patients, scenario, seed=rng, complete=True), seed=rng)
    cells = _cells(units, test)
    out = {}
    for m, (num, den) in MEASURES.items():
        a, n = _cl.sums(cells, num), _cl.sums(cells, den)
        naive = proportion_ci(a.sum(), n.sum(), method="wilson")
        out |= {f"naive_{m}_lower": naive.lower, f"naive_{m}_upper": naive.upper,
                f"{m}_p": a.sum() / n.sum(), f"{m}_var": _cl.ratio_variance(a, n), f"{m}_n": n.sum(),
                f"{m}_m": int(np.sum(n > 0))}
    t1, t2, d = (units[c].to_numpy() == 1 for c in (*COMPARED, "involved"))
    codes, ids = pd.factorize(units["patient_id"], sort=True)
    for m, right1, right2, which in (("sensitivity", t1, t2, d), ("specificity", ~t1, ~t2, ~d)):
        paired = _clc.paired_cells(right1 & right2, right1 & ~right2, ~right1 & right2, which, codes, len(ids))
        b, c, n = paired[:, 1], paired[:, 2], paired.sum(axis=1)
        right = np.column_stack([paired[:, 0] + b, paired[:, 0] + c])  # units each test gets right
        p = right.sum(axis=0) / n.sum()
        residual = right - n[:, None] * p
        cov = n.size / ((n.size - 1) * n.sum() ** 2) * residual.T @ residual
        out |= {f"{m}_difference": (b.sum() - c.sum()) / n.sum(),
                f"{m}_difference_var": _clc.difference_variance(b, c, n), f"{m}_difference_m": n.size,
                f"{m}_difference_n": n.sum(), f"{m}_first_p": p[0], f"{m}_second_p": p[1],
                f"{m}_first_var": cov[0, 0], f"{m}_second_var": cov[1, 1], f"{m}_covariance": cov[0, 1]}
    return out


def run(n_patients: tuple[int, ...] = (50, 100, 300, 1000), n_replicates: int = 1000, *, seed: int = SEED,
        executor: Any = None, progress: bool = False) -> pd.DataFrame:
    """``n_replicates`` studies at each number of patients (one row each, column ``n_patients``)."""
    frames = [study(functools.partial(replicate, n_patients=int(n)), n_replicates=n_replicates, seed=seed,
                    executor=executor, progress=progress).assign(n_patients=int(n)) for n in n_patients]
    out = pd.concat(frames, ignore_index=True)
    return out[["scenario", "n_patients", "replicate", *[c for c in out.columns
                                                         if c not in ("scenario", "n_patients", "replicate")]]]


def bounds(frame: pd.DataFrame, method: str, measure: str, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """The bounds of ``measure`` in every replicate of ``frame`` by ``method`` (``"naive"`` or a ratio shape)."""
    if method == "naive":
        return frame[f"naive_{measure}_lower"].to_numpy(), frame[f"naive_{measure}_upper"].to_numpy()
    return ratio_interval(*(frame[f"{measure}_{k}"].to_numpy() for k in ("p", "var", "n", "m")), level, method)


def difference_bounds(frame: pd.DataFrame, shape: str, measure: str,
                      level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of the clustered difference of ``measure`` between the compared tests: Wald (``ds.compare_tests``),
    Wald with t on m - 1 degrees of freedom (both cut at -1 and 1), or MOVER from Korn-Graubard limits
    (``ds.compare_tests(..., ci_method="mover")``)."""
    diff, var, m = (frame[f"{measure}_difference{k}"].to_numpy() for k in ("", "_var", "_m"))
    if shape == "mover":
        columns = ("first_p", "second_p", "first_var", "second_var", "covariance", "difference_n")
        return _clc.mover_limits(*(frame[f"{measure}_{k}"].to_numpy() for k in columns), m, level)
    q = stats.norm.ppf(0.5 + level / 2) if shape == "wald" else stats.t.ppf(0.5 + level / 2, m - 1)
    half = q * np.sqrt(var)
    return np.maximum(diff - half, -1.0), np.minimum(diff + half, 1.0)


def summarise(frame: pd.DataFrame, true_values: dict[str, float], level: float = 0.95) -> pd.DataFrame:
    """Coverage of each method and measure at each number of patients, its Monte Carlo SE at the nominal
    level, and the shares of replicates whose interval lies wholly above or below the truth. The
    differences between the compared tests appear as measures ``"<measure>_difference"``."""
    rows = []
    for n, group in frame.groupby("n_patients", sort=True):
        se = math.sqrt(level * (1 - level) / len(group))
        cases = [(method, m, bounds(group, method, m, level)) for method in METHODS for m in MEASURES]
        cases += [(shape, f"{m}_difference", difference_bounds(group, shape, m, level))
                  for shape in DIFFERENCE_SHAPES for m in MEASURES]
        for method, m, (lower, upper) in cases:
            value = true_values[m]
            above, below = lower > value, upper < value
            rows.append({"n_patients": n, "method": method, "measure": m, "replicates": len(group),
                         "coverage": float(((lower <= value) & (value <= upper)).mean()), "mc_se": se,
                         "interval_above_truth": float(above.mean()), "interval_below_truth": float(below.mean()),
                         "mean_width": float(np.mean(upper - lower))})
    return pd.DataFrame(rows)
