"""The cluster bootstrap of any statistic: patients resampled whole, with all their lesions.

When the rows are lesions, vertebrae or segments of patients, resampling rows ignores that a
patient's units are alike and gives intervals that are too narrow. The cluster bootstrap
(Davison & Hinkley 1997, section 3.8; Field & Welsh 2007) draws patients with replacement and
keeps each drawn patient's units together. Your statistic receives the data and a matrix of
multiplicities (one row per replicate, one column per unit: how many times that unit's patient
was drawn), so it computes every replicate of a block at once as weighted sums, with no loop over
replicates; the replicates come in blocks of the shared bootstrap engine with fixed-key seeds.

>>> import pandas as pd, diagstats as ds
>>> lesions = pd.DataFrame({"patient": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
...                         "detected": [1, 1, 0, 1, 1, 0, 1, 1, 0, 0]})
>>> share = lambda d, w: w @ d["detected"].to_numpy() / w.sum(axis=1)
>>> res = ds.cluster_bootstrap(lesions, share, cluster="patient", n_boot=500, progress=False)
>>> res.estimate.value, res.n_clusters
(0.6, 5)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._core.bootstrap import cluster_chunks, outside_interval_note, percentile_interval, undefined_replicates_note
from .._input import (_show, as_seed_sequence, check_dataframe, check_flag, check_level, check_n_boot, column,
                      missing, seed_label)
from ..errors import DataError, OptionError
from ..results import Estimate, ResultTable, estimates_frame


@dataclass(frozen=True, repr=False)
class ClusterBootstrapResult(ResultTable):
    """A statistic with its cluster-bootstrap percentile interval.

    Attributes
    ----------
    estimate : Estimate
        The statistic on the data, with the percentile interval of its replicates.
    replicates : ndarray
        The statistic in each replicate (NaN where it was undefined).
    n_clusters, n_units : int
        Patients (clusters) and rows (units).
    n_boot : int
    notes : tuple of str
    """

    estimate: Estimate
    replicates: np.ndarray
    n_clusters: int
    n_units: int
    n_boot: int
    notes: tuple[str, ...] = ()

    dict_exclude = ("replicates",)

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Cluster bootstrap of {self.estimate.name}"

    def header_lines(self) -> list[str]:
        return [f"{self.n_units} units in {self.n_clusters} clusters; {self.n_boot} replicates resampling clusters "
                "whole"]

    def to_frame(self) -> pd.DataFrame:
        """One row: the statistic and its interval (measure, value, lower, upper, level, method, notes)."""
        return estimates_frame([self.estimate])

    def __repr__(self) -> str:
        return (f"ClusterBootstrapResult({self.estimate.name}={self.estimate.value:.4g}, "
                f"n_clusters={self.n_clusters}, n_boot={self.n_boot})")


def _values(statistic: Callable, data: pd.DataFrame, weights: np.ndarray, name: str) -> np.ndarray:
    """The statistic's values for the rows of ``weights``, checked to be one number per row."""
    try:
        out = np.asarray(statistic(data, weights), dtype=float)
    except (TypeError, ValueError) as error:
        raise OptionError(f"statistic={_show(statistic)} failed on the data and a weights matrix of shape "
                          f"{weights.shape} ({type(error).__name__}: {error}); it must take (data, weights) and return "
                          "one number per row of weights, e.g. lambda d, w: w @ d['x'].to_numpy() / w.sum(axis=1).") \
            from None
    out = np.atleast_1d(out)
    if out.shape != (len(weights),):
        raise OptionError(f"statistic returned shape {out.shape} for {len(weights)} rows of weights; return one "
                          f"value per row (per replicate), e.g. a weighted mean w @ x / w.sum(axis=1) for {name}.")
    return out


def cluster_bootstrap(data: pd.DataFrame, statistic: Callable[[pd.DataFrame, np.ndarray], Any], *, cluster: Any,
                      n_boot: int = 2000, level: float = 0.95, seed: Any = 0, progress: bool = True,
                      name: str = "statistic") -> ClusterBootstrapResult:
    """Percentile interval of any statistic by the cluster bootstrap (patients resampled with their units).

    Parameters
    ----------
    data : DataFrame
        One row per unit (lesion, vertebra, segment).
    statistic : callable
        ``statistic(data, weights)`` with ``weights`` a (replicates, units) array of multiplicities;
        returns one value per row of ``weights`` (NaN where undefined). Weighted sums make it
        vectorised, e.g. sensitivity ``lambda d, w: (w @ (d.test * d.disease)) / (w @ d.disease)``.
        It is called once with a row of ones for the estimate, then once per block of replicates.
    cluster : str
        The column holding each unit's patient (cluster) id.
    n_boot : int, default 2000
    level : float, default 0.95
    seed : int, SeedSequence or Generator, default 0
    progress : bool, default True
    name : str, default "statistic"
        How the result names the statistic.

    Returns
    -------
    ClusterBootstrapResult
        ``estimate`` (Estimate with the percentile interval), ``replicates``, ``to_frame()``.

    Notes
    -----
    Each replicate draws as many clusters as the data have, with replacement (Davison & Hinkley
    1997, section 3.8, "resampling clusters"; Field & Welsh 2007). Replicates where the statistic is
    undefined (NaN) are left out of the interval, with a note; the sensitivity and specificity of
    clustered data have this bootstrap built in (``ds.accuracy(..., cluster=, ci_method="bootstrap")``).

    References
    ----------
    Davison AC, Hinkley DV (1997). Bootstrap methods and their application. Cambridge University Press.
    Field CA, Welsh AH (2007). Bootstrapping clustered data. J R Stat Soc B 69:369-390.

    Examples
    --------
    >>> import pandas as pd, diagstats as ds
    >>> units = pd.DataFrame({"patient": [1, 1, 2, 3, 3, 3], "score": [2.0, 4.0, 3.0, 1.0, 2.0, 3.0]})
    >>> mean = lambda d, w: w @ d["score"].to_numpy() / w.sum(axis=1)
    >>> round(ds.cluster_bootstrap(units, mean, cluster="patient", n_boot=200, progress=False).estimate.value, 3)
    2.5
    """
    data = check_dataframe(data)
    if not callable(statistic):
        raise OptionError(f"statistic={_show(statistic)} must be a function statistic(data, weights) returning one "
                          "value per row of weights, e.g. lambda d, w: w @ d['x'].to_numpy() / w.sum(axis=1).")
    if not isinstance(name, str) or not name:
        raise OptionError(f"name={_show(name)} must be a non-empty text naming the statistic, e.g. name='sensitivity'.")
    level = check_level(level)
    n_boot = check_n_boot(n_boot)
    ids = column(data, cluster, "cluster").to_numpy()
    absent = missing(ids)
    if absent.any():
        raise DataError(f"cluster={_show(cluster)} has {int(absent.sum())} rows without a cluster id (first: row "
                        f"{int(np.flatnonzero(absent)[0])}); give every unit its patient id, or drop those rows.")
    codes, labels = pd.factorize(ids, sort=True)
    if len(labels) < 2:
        raise DataError(f"cluster={_show(cluster)} has {len(labels)} cluster; resampling clusters needs at least 2 "
                        "(patients).")
    value = float(_values(statistic, data, np.ones((1, len(data))), name)[0])
    if not np.isfinite(value):
        raise DataError(f"statistic gives {value} on the data itself; a bootstrap interval needs a statistic that is "
                        "defined on the data (check the columns it uses).")
    seeds = as_seed_sequence(seed)
    replicates = np.concatenate([_values(statistic, data, w.astype(float), name)
                                 for w in cluster_chunks(seeds, codes, n_boot, check_flag(progress, "progress"))])
    lower, upper = percentile_interval(replicates, level)
    method = (f"cluster bootstrap percentile ({n_boot} replicates of {len(labels)} clusters, "
              f"{seed_label(seed, seeds)})")
    notes = undefined_replicates_note(replicates) + outside_interval_note(name, value, lower, upper, method)
    estimate = Estimate(value, lower, upper, level, method, name, notes=notes)
    return ClusterBootstrapResult(estimate, replicates, len(labels), len(data), n_boot, notes)
