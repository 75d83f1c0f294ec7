"""ds.added_value with a 1,000-replicate bootstrap on 10,000 patients, against a loop of statsmodels refits.

Prints the time per call and the ratio (loop time / diagstats time; above 1 means diagstats is faster).
diagstats refits both nested logistic models in every replicate at once (batched Newton-Raphson with the
bootstrap counts as case weights, chunk by chunk) and computes every measure (AUCs, NRI components, IDI,
Brier, net benefit, optimism) for all replicates of a chunk with array operations. The peer is the
straightforward script: per replicate, two ``statsmodels`` Logit refits on the resampled patients and the
same measures with numpy and ``sklearn.metrics.roc_auc_score``, on the replicate and on the original patients.
The loop runs ``LOOP_REPLICATES`` replicates and is scaled to 1,000 (its time per replicate is constant).
Both run with BLAS limited to one thread (threadpoolctl), and wall-clock and CPU (process) times are both
printed: on a loaded machine, multi-threaded BLAS calls spin and wait, which says more about the other
processes than about the code.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

import diagstats as ds

N, N_BOOT, LOOP_REPLICATES = 10_000, 1_000, 100
CUTOFFS, THRESHOLD = np.array([0.2, 0.5]), 0.3


def _measures(y: np.ndarray, p0: np.ndarray, p1: np.ndarray) -> dict[str, float]:
    ev, ne = y == 1, y == 0
    c0, c1 = np.searchsorted(CUTOFFS, p0), np.searchsorted(CUTOFFS, p1)
    odds = THRESHOLD / (1 - THRESHOLD)
    nb = [(np.sum((p >= THRESHOLD) & ev) - np.sum((p >= THRESHOLD) & ne) * odds) / y.size for p in (p0, p1)]
    return {"auc0": roc_auc_score(y, p0), "auc1": roc_auc_score(y, p1),
            "idi": (p1[ev].mean() - p1[ne].mean()) - (p0[ev].mean() - p0[ne].mean()),
            "nri_ev": np.mean(c1[ev] > c0[ev]) - np.mean(c1[ev] < c0[ev]),
            "nri_ne": np.mean(c1[ne] < c0[ne]) - np.mean(c1[ne] > c0[ne]),
            "cnri_ev": np.mean(p1[ev] > p0[ev]) - np.mean(p1[ev] < p0[ev]),
            "cnri_ne": np.mean(p1[ne] < p0[ne]) - np.mean(p1[ne] > p0[ne]),
            "brier": np.mean((y - p1) ** 2) - np.mean((y - p0) ** 2), "nb": nb[1] - nb[0]}


def _loop(y: np.ndarray, X0: np.ndarray, X1: np.ndarray, n_boot: int, seed: int = 0) -> list[dict[str, float]]:
    import statsmodels.api as sm
    rng = np.random.default_rng(seed)
    optimism = []
    for _ in range(n_boot):
        idx = rng.integers(0, y.size, y.size)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            b0 = sm.Logit(y[idx], X0[idx]).fit(disp=False).params
            b1 = sm.Logit(y[idx], X1[idx]).fit(disp=False).params
        p0, p1 = 1 / (1 + np.exp(-X0 @ b0)), 1 / (1 + np.exp(-X1 @ b1))
        boot = _measures(y[idx], p0[idx], p1[idx])
        test = _measures(y, p0, p1)
        optimism.append({k: boot[k] - test[k] for k in boot})
    return optimism


def main() -> None:
    from threadpoolctl import threadpool_limits
    with threadpool_limits(1):
        _compare()


def _compare() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"age": rng.normal(60, 10, N), "known": (rng.random(N) < 0.3).astype(float),
                       "imaging": rng.normal(size=N), "nlr": rng.normal(size=N), "plr": rng.normal(size=N)})
    eta = -4 + 0.05 * df.age + 1.0 * df.known + 0.8 * df.imaging + 0.4 * df.nlr + 0.1 * df.plr
    df["y"] = (rng.random(N) < 1 / (1 + np.exp(-eta))).astype(float)
    start, cpu = time.perf_counter(), time.process_time()
    ds.added_value(df, "y", base=["age", "known", "imaging"], new=["nlr", "plr"], cutoffs=CUTOFFS,
                   threshold=THRESHOLD, n_boot=N_BOOT, progress=False)
    t_ds, c_ds = time.perf_counter() - start, time.process_time() - cpu
    ones = np.ones((N, 1))
    X0 = np.hstack([ones, df[["age", "known", "imaging"]].to_numpy()])
    X1 = np.hstack([X0, df[["nlr", "plr"]].to_numpy()])
    start, cpu = time.perf_counter(), time.process_time()
    _loop(df["y"].to_numpy(), X0, X1, LOOP_REPLICATES)
    t_loop = (time.perf_counter() - start) * N_BOOT / LOOP_REPLICATES
    c_loop = (time.process_time() - cpu) * N_BOOT / LOOP_REPLICATES
    print(f"{'task':56} {'clock':>5} {'diagstats':>10} {'peer':>10} {'ratio':>6}  peer")
    task = f"added_value, {N_BOOT:,} bootstrap replicates, n={N:,}"
    for clock, a, b in (("wall", t_ds, t_loop), ("cpu", c_ds, c_loop)):
        print(f"{task:56} {clock:>5} {a:9.2f}s {b:9.2f}s {b / a:6.1f}  statsmodels Logit refits x 2 + numpy/sklearn "
              f"measures per replicate ({LOOP_REPLICATES} run, scaled)")


if __name__ == "__main__":
    main()
