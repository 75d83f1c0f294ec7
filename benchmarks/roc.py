"""ROC speed and memory against scikit-learn, measured in one process.

Run: python benchmarks/roc.py  (prints a table of timings and ratios).

1. n = 10^6 scores: ds.roc (curve + AUC + DeLong interval) vs sklearn.metrics.roc_auc_score (AUC only).
2. A 2000-replicate stratified bootstrap AUC percentile interval at n = 10^4: ds (the shared engine of
   diagstats._core.bootstrap with the weighted-count AUC of diagstats._core.auc) vs the obvious Python
   loop of resamples through roc_auc_score. The loop is timed on 200 replicates and scaled to 2000 (it
   is linear in the number of replicates). Target: the engine at least 40 times faster (printed, not
   asserted: timings on a shared machine vary).
3. The same with the unstratified bootstrap (``stratified=False``, pROC ``boot.stratified = FALSE``: all
   patients drawn together, count matrices of both classes from one bincount) vs the Python loop of
   unstratified resamples through roc_auc_score. Target: at least 20 times faster.
4. Peak memory of ds.roc at n = 10^7 (tracemalloc: numpy allocations are traced).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's diagstats
from _timing import best_of  # noqa: E402

import diagstats as ds  # noqa: E402


def data(n, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.int64)
    return y, np.round(rng.normal(0.8 * y, 1.0), 6)


def main():
    rows = []
    y, s = data(10**6)
    t_ds = best_of(lambda: ds.roc(y, s).auc)
    t_sk = best_of(lambda: roc_auc_score(y, s))
    rows.append(("AUC + DeLong CI, n=1e6 (ds) vs roc_auc_score (sklearn, AUC only)", t_ds, t_sk))

    y, s = data(10**4, seed=1)
    res = ds.roc(y, s)
    t_boot = best_of(lambda: res.auc_ci("bootstrap", n_boot=2000, seed=1, progress=False))
    rng = np.random.default_rng(1)
    cases, controls = np.flatnonzero(y == 1), np.flatnonzero(y == 0)

    def naive(reps):
        out = []
        for _ in range(reps):
            idx = np.concatenate([rng.choice(cases, len(cases)), rng.choice(controls, len(controls))])
            out.append(roc_auc_score(y[idx], s[idx]))
        return np.quantile(out, [0.025, 0.975])

    t_loop = best_of(lambda: naive(200), repeat=1) * 10
    rows.append(("bootstrap CI 2000 reps, n=1e4 (ds) vs Python loop of roc_auc_score (200 reps x 10)",
                 t_boot, t_loop))

    t_unstratified = best_of(lambda: res.auc_ci("bootstrap", n_boot=2000, seed=1, progress=False, stratified=False))

    def naive_unstratified(reps):
        out = []
        for _ in range(reps):
            idx = rng.choice(len(y), len(y))
            out.append(roc_auc_score(y[idx], s[idx]))
        return np.quantile(out, [0.025, 0.975])

    t_loop_unstratified = best_of(lambda: naive_unstratified(200), repeat=1) * 10
    rows.append(("unstratified bootstrap CI 2000 reps, n=1e4 (ds) vs Python loop (200 reps x 10)",
                 t_unstratified, t_loop_unstratified))

    print(f"{'benchmark':<90} {'ds s':>8} {'peer s':>8} {'peer/ds':>8}")
    for name, a, b in rows:
        print(f"{name:<90} {a:8.3f} {b:8.3f} {b / a:8.1f}")
    print(f"bootstrap engine speed-up over the roc_auc_score loop: {t_loop / t_boot:.1f}x (target >= 40x)")
    print(f"unstratified: {t_loop_unstratified / t_unstratified:.1f}x (target >= 20x)")

    y, s = data(10**7, seed=2)
    base = y.nbytes + s.nbytes
    tracemalloc.start()
    start = time.perf_counter()
    res = ds.roc(y, s)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"n=1e7: ds.roc with DeLong CI {elapsed:.2f} s, peak memory {peak / 2**20:.0f} MiB above the "
          f"{base / 2**20:.0f} MiB of input (limit 2048 MiB); AUC {res.auc.value:.4f}")


if __name__ == "__main__":
    main()
