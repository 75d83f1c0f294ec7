"""Reader study speed of the other figures of merit and covariances: partial AUC, binormal AUC, unbiased covariance.

Run: python benchmarks/readers_metrics.py  (prints a table of timings and the ratio).

* ``metric="pauc"`` on 10 readers x 2 modalities x 10,000 cases (continuous ratings): the closed-form
  leave-one-case-out partial areas (diagstats.readers._partial) vs recomputing ``ds.roc(...).partial_auc`` for
  every reader x modality after leaving each case out (timed on 20 left-out cases, scaled to 10,000).
* ``covariance="unbiased"`` on 10 readers x 2 modalities x 2,000 cases: the placements plus one chunked matrix
  product of the kernels (diagstats.readers._unbiased) vs the U-statistic sums pair of rows by pair of rows, each
  with its own (n1, n0) kernel matrices (numpy, no loop over cases).
* ``metric="binormal_auc"``: the refits are at most 2 K + 1 per reader x modality (K categories), whatever the
  number of cases: 10 readers x 2 modalities on a 1-5 scale, with 200 and with 10,000 cases.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's diagstats
from _timing import best_of  # noqa: E402

import diagstats as ds  # noqa: E402
from diagstats.readers._covariance import case_placements  # noqa: E402
from diagstats.readers._unbiased import unbiased_covariance  # noqa: E402


def arrays(data):
    c = data["case"].nunique()
    return data["rating"].to_numpy().reshape(-1, c), data["truth"].to_numpy()[:c] == 1


def pair_by_pair_unbiased(ratings: np.ndarray, is_case: np.ndarray) -> np.ndarray:
    """The U-statistic covariance computed for each pair of rows from their full kernel matrices."""
    x, y = ratings[:, is_case], ratings[:, ~is_case]
    n1, n0 = x.shape[1], y.shape[1]
    kernels = [(xa[:, None] > ya[None, :]) + 0.5 * (xa[:, None] == ya[None, :]) for xa, ya in zip(x, y)]
    k = len(kernels)
    out = np.empty((k, k))
    for a in range(k):
        for b in range(k):
            sa, sb = kernels[a], kernels[b]
            s = np.sum(sa * sb)
            r = np.sum(sa.sum(axis=1) * sb.sum(axis=1))
            c = np.sum(sa.sum(axis=0) * sb.sum(axis=0))
            t = sa.sum() * sb.sum()
            m = (s / (n1 * n0), (r - s) / (n1 * n0 * (n0 - 1)), (c - s) / (n1 * (n1 - 1) * n0),
                 (t - r - c + s) / (n1 * (n1 - 1) * n0 * (n0 - 1)))
            out[a, b] = (m[0] + (n0 - 1) * m[1] + (n1 - 1) * m[2] - (n1 + n0 - 1) * m[3]) / (n1 * n0)
    return out


def main():
    print(f"{'benchmark':<92} {'ds s':>8} {'peer s':>8} {'peer/ds':>8}")
    data = ds.simulate.roe_metz(n_readers=10, n_nondiseased=5000, n_diseased=5000, seed=2)
    ratings, truth = arrays(data)
    t_ds = best_of(lambda: ds.reader_study(data, metric="pauc", specificity=(0.8, 1.0)), repeat=2)
    start = time.perf_counter()
    keep = np.ones(len(truth), dtype=bool)
    for k in range(20):
        keep[k] = False
        [ds.roc(truth[keep], row[keep]).partial_auc(specificity=(0.8, 1.0)) for row in ratings]
        keep[k] = True
    t_loop = (time.perf_counter() - start) * len(truth) / 20
    print(f"{'reader_study pAUC, 10 readers x 2 modalities x 10,000 cases vs refit per left-out case (20)':<92} "
          f"{t_ds:8.3f} {t_loop:8.1f} {t_loop / t_ds:8.0f}")

    mid = ds.simulate.roe_metz(n_readers=10, n_nondiseased=1000, n_diseased=1000, seed=3)
    ratings, truth = arrays(mid)
    value, v10, v01 = case_placements(ratings, truth)
    t_ds = best_of(lambda: unbiased_covariance(ratings, truth, value, v10, v01), repeat=2)
    start = time.perf_counter()
    slow = pair_by_pair_unbiased(ratings, truth)
    t_pairs = time.perf_counter() - start
    assert np.allclose(slow, unbiased_covariance(ratings, truth, value, v10, v01), rtol=1e-10, atol=1e-16)
    print(f"{'unbiased covariance, 20 AUCs x 2,000 cases vs pair-by-pair kernel matrices':<92} "
          f"{t_ds:8.3f} {t_pairs:8.1f} {t_pairs / t_ds:8.0f}")

    for n in (100, 5000):
        study = ds.simulate.roe_metz(n_readers=10, n_nondiseased=n, n_diseased=n, seed=4, delta=1.0)
        study["rating"] = np.digitize(study["rating"], [-0.5, 0.3, 0.9, 1.6]) + 1
        start = time.perf_counter()
        ds.reader_study(study, metric="binormal_auc")
        print(f"reader_study(metric='binormal_auc'), 10 readers x 2 modalities x {2 * n:,} cases on a 1-5 scale: "
              f"{time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
