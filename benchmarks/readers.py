"""Reader study speed: the jackknife over cases from the AUC placements vs a leave-one-case-out loop.

Run: python benchmarks/readers.py  (prints a table of timings and the ratio).

A simulated reader study (ds.simulate.roe_metz) of 10 readers x 2 modalities x 10,000 cases (5,000 diseased):
ds.reader_study (the whole Obuchowski-Rockette analysis with the jackknife covariance in closed form from the
placements, diagstats.readers._covariance) vs the straightforward jackknife: leave each case out, recompute
the 20 AUCs (sklearn.metrics.roc_auc_score), then the covariance of the pseudo-AUCs. The loop is timed on 100
left-out cases and scaled to 10,000 (it is linear in the number of cases); on a 200-case study both give the
same covariance (checked here). Target: ds.reader_study under 1 s (printed, not asserted: timings on a shared
machine vary).

The bootstrap covariance (``covariance="bootstrap"``, 2,000 stratified resamples of 10 readers x 2 modalities x
1,000 cases, every replicate's 20 AUCs at once from the value ids) vs a loop over replicates recomputing the 20
AUCs with sklearn (timed on 20 replicates, scaled to 2,000). The DBM analysis (``method="dbm"``) is timed on the
10,000-case study.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's diagstats
from _timing import best_of  # noqa: E402

import diagstats as ds  # noqa: E402


def loop_jackknife(ratings: np.ndarray, truth: np.ndarray, cases: range) -> np.ndarray:
    """Leave-one-case-out AUCs of every reader x modality row of ``ratings`` (k, c), for the cases in ``cases``."""
    keep = np.ones(len(truth), dtype=bool)
    out = []
    for k in cases:
        keep[k] = False
        out.append([roc_auc_score(truth[keep], row[keep]) for row in ratings])
        keep[k] = True
    return np.array(out)


def arrays(data):
    truth = data["truth"].to_numpy()
    c = data["case"].nunique()
    return data["rating"].to_numpy().reshape(-1, c), truth[:c]


def main():
    small = ds.simulate.roe_metz(n_readers=3, n_nondiseased=100, n_diseased=100, seed=1)
    ratings, truth = arrays(small)
    pseudo = loop_jackknife(ratings, truth, range(len(truth)))
    dev = pseudo - pseudo.mean(axis=0)
    naive = (len(truth) - 1) / len(truth) * dev.T @ dev
    assert np.allclose(naive, ds.reader_study(small).auc_covariance, rtol=1e-10, atol=1e-14)

    data = ds.simulate.roe_metz(n_readers=10, n_nondiseased=5000, n_diseased=5000, seed=2)
    ratings, truth = arrays(data)
    t_ds = best_of(lambda: ds.reader_study(data))
    start = time.perf_counter()
    loop_jackknife(ratings, truth, range(100))
    t_loop = (time.perf_counter() - start) * len(truth) / 100
    print(f"{'benchmark':<92} {'ds s':>8} {'loop s':>8} {'loop/ds':>8}")
    print(f"{'reader_study, 10 readers x 2 modalities x 10,000 cases vs leave-one-case-out loop (100 x 100)':<92} "
          f"{t_ds:8.3f} {t_loop:8.1f} {t_loop / t_ds:8.0f}")
    print(f"ds.reader_study (full OR analysis, jackknife covariance): {t_ds:.3f} s (target < 1 s)")
    t_dbm = best_of(lambda: ds.reader_study(data, method="dbm"))
    print(f"ds.reader_study(method='dbm') on the same study: {t_dbm:.3f} s")

    mid = ds.simulate.roe_metz(n_readers=10, n_nondiseased=500, n_diseased=500, seed=3)
    ratings, truth = arrays(mid)
    t_boot = best_of(lambda: ds.reader_study(mid, covariance="bootstrap", n_boot=2000, seed=1))
    cases, controls = np.flatnonzero(truth == 1), np.flatnonzero(truth == 0)
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    for _ in range(20):
        idx = np.concatenate([rng.choice(cases, cases.size), rng.choice(controls, controls.size)])
        [roc_auc_score(truth[idx], row[idx]) for row in ratings]
    t_boot_loop = (time.perf_counter() - start) * 2000 / 20
    print(f"{'reader_study bootstrap covariance, 2,000 resamples x 20 AUCs x 1,000 cases vs loop (20 x 100)':<92} "
          f"{t_boot:8.3f} {t_boot_loop:8.1f} {t_boot_loop / t_boot:8.0f}")


if __name__ == "__main__":
    main()
