"""Calibration with a bootstrap band: diagstats against a loop of statsmodels refits, in one process.

10,000 patients, 1,000 bootstrap replicates of the secondary logistic calibration curve ``glm(y ~ p)`` (its band on
the grid, and ICI, E50, E90, Emax, Brier per replicate). The peer is what a script does: per replicate, draw the
patients, refit the curve with statsmodels' GLM, predict, summarise. The peer runs 100 replicates and its time is
scaled to 1,000 (it is linear in the replicates). Also times the loess curve's band (no peer computes R's loess
with case weights). Prints seconds and the ratio (peer / diagstats; above 1 means diagstats is faster).
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import statsmodels.api as sm

import diagstats as ds

N, N_BOOT, PEER_BOOT = 10_000, 1_000, 100


def _cohort(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lp = rng.normal(-0.5, 1.3, N)
    p = 1 / (1 + np.exp(-lp))
    y = (rng.random(N) < 1 / (1 + np.exp(-(0.2 + 0.8 * lp)))).astype(int)
    return y, p


def _statsmodels_loop(y: np.ndarray, p: np.ndarray, n_boot: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    grid = np.linspace(p.min(), p.max(), 50)
    curves, summaries = [], []
    for _ in range(n_boot):
        idx = rng.integers(0, y.size, y.size)
        yb, pb = y[idx], p[idx]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = sm.GLM(yb, sm.add_constant(pb), family=sm.families.Binomial()).fit()
        curves.append(fit.predict(sm.add_constant(grid)))
        err = np.abs(fit.predict(sm.add_constant(pb)) - pb)
        summaries.append([err.mean(), np.median(err), np.quantile(err, 0.9), err.max(), np.mean((yb - pb) ** 2)])
    return np.quantile(curves, [0.025, 0.975], axis=0)


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    y, p = _cohort()
    ours = _time(lambda: ds.calibration(y, p, curve="logistic", n_boot=N_BOOT, progress=False))
    peer = _time(lambda: _statsmodels_loop(y, p, PEER_BOOT)) * N_BOOT / PEER_BOOT
    loess = _time(lambda: ds.calibration(y, p, curve="loess", n_boot=N_BOOT, progress=False))
    print(f"{'task':<58} {'diagstats s':>11} {'peer s':>9} {'ratio':>7}")
    print(f"{'logistic curve band, n=10,000, 1,000 replicates':<58} {ours:>11.2f} {peer:>9.2f} {peer / ours:>7.1f}")
    print(f"{'loess curve band, n=10,000, 1,000 replicates (no peer)':<58} {loess:>11.2f} {'':>9} {'':>7}")


if __name__ == "__main__":
    main()
