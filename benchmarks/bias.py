"""Speed of the bias-correction methods against the obvious per-replicate loop, timed in one process.

PVBcorrect (R) is not installable here, so the peer is the same computation written as a Python loop
over bootstrap replicates with statsmodels (what a user would otherwise do).
Run from the repository root: PYTHONPATH=. python benchmarks/bias.py
"""

import time

import numpy as np
import pandas as pd
import statsmodels.api as sm

import diagstats as ds


def cohort(n, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random(n) < 0.5
    d = rng.random(n) < 0.3 + 0.1 * x
    t = np.where(d, rng.random(n) < 0.85, rng.random(n) > 0.9)
    v = rng.random(n) < 1 / (1 + np.exp(-(-1.4 + 3.6 * t - 1.0 * x)))
    return pd.DataFrame({"t": t.astype(int), "x": x.astype(int), "d": np.where(v, d.astype(float), np.nan)})


def loop_ipw_bootstrap(df, n_boot, seed=0):
    rng = np.random.default_rng(seed)
    t, x, d = df["t"].to_numpy(), df["x"].to_numpy(), df["d"].to_numpy()
    v = ~np.isnan(d)
    out = []
    for _ in range(n_boot):
        i = rng.integers(0, len(t), len(t))
        X = sm.add_constant(np.column_stack([t[i], x[i]]))
        p = sm.GLM(v[i].astype(float), X, family=sm.families.Binomial()).fit().predict(X)
        w = v[i] / p
        di = np.nan_to_num(d[i])
        out.append(np.sum(w * t[i] * di) / np.sum(w * di))
    return np.quantile(out, [0.025, 0.975])


def timed(f):
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


def main():
    rows = []
    for n in (2_000, 20_000):
        df = cohort(n)
        ours = timed(lambda: ds.correct_verification(df, test="t", reference="d", method="ipw", covariates=["x"],
                                                     n_boot=1000))
        loop = timed(lambda: loop_ipw_bootstrap(df, 1000))
        rows.append({"task": f"IPW + 1000 bootstrap refits, n={n}", "diagstats_s": ours, "peer_s": loop,
                     "peer": "statsmodels loop", "speed-up": loop / ours})
    rng = np.random.default_rng(1)
    d = rng.random(100_000) < 0.3
    lc = pd.DataFrame({k: np.where(d, rng.random(100_000) < 0.85, rng.random(100_000) > 0.9).astype(int)
                       for k in "abcd"})
    ours = timed(lambda: ds.latent_class(lc, tests=list("abcd"), n_starts=20, n_boot=1000))
    rows.append({"task": "latent class, 4 tests, n=100000, 20 starts + 1000 bootstrap", "diagstats_s": ours,
                 "peer_s": np.nan, "peer": "(none installable)", "speed-up": np.nan})
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()
