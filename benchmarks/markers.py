"""Decision curves and origin prediction: diagstats against straightforward loops and scikit-learn, in one process.

Prints the time per call and the ratio (peer time / diagstats time; above 1 means diagstats is faster).
Peers: a per-threshold numpy loop for net benefit (what most scripts do), the same inside a loop over
bootstrap replicates, the time-to-event curve with a per-threshold Kaplan-Meier inside a loop over replicates
(run for 50 replicates and scaled to 1,000), and for predict_origin's bootstrap of the cross-validation a
loop of scikit-learn pipeline refits with ``roc_auc_score(multi_class="ovo")`` per fold.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

import diagstats as ds

THRESHOLDS = np.arange(0.01, 0.5, 0.01)


def _time(fn, repeat: int = 3) -> float:
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _loop_net_benefit(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    n = y.size
    return np.array([np.sum((p >= t) & (y == 1)) / n - np.sum((p >= t) & (y == 0)) / n * t / (1 - t)
                     for t in THRESHOLDS])


def _loop_bootstrap(y: np.ndarray, p: np.ndarray, n_boot: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_boot):
        idx = rng.integers(0, y.size, y.size)
        out.append(_loop_net_benefit(y[idx], p[idx]))
    return np.quantile(out, [0.025, 0.975], axis=0)


def _sklearn_bootstrap_cv(y: np.ndarray, X: np.ndarray, n_boot: int, cv: int = 5, seed: int = 0) -> list[float]:
    """What predict_origin's interval does, one scikit-learn refit at a time: per resample, 2 CV splits."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    rng = np.random.default_rng(seed)
    reps = []
    for _ in range(n_boot):
        idx = np.concatenate([rng.choice(np.flatnonzero(y == c), np.sum(y == c)) for c in np.unique(y)])
        for split in range(2):
            folds = StratifiedGroupKFold(cv, shuffle=True, random_state=split).split(X[idx], y[idx], groups=idx)
            aucs = []
            for train, test in folds:
                model = make_pipeline(StandardScaler(), LogisticRegression(C=np.inf, solver="newton-cg", tol=1e-10,
                                                                           max_iter=1000))
                proba = model.fit(X[idx][train], y[idx][train]).predict_proba(X[idx][test])
                aucs.append(roc_auc_score(y[idx][test], proba, multi_class="ovo"))
            reps.append(float(np.mean(aucs)))
    return reps


def _kaplan_meier_risk(time_: np.ndarray, event: np.ndarray, horizon: float) -> float:
    """1 - S(horizon) by Kaplan-Meier, written out."""
    times = np.unique(time_[(event == 1) & (time_ <= horizon)])
    survival = 1.0
    for t in times:
        survival *= 1 - np.sum((time_ == t) & (event == 1)) / np.sum(time_ >= t)
    return 1 - survival


def _loop_survival_bootstrap(time_: np.ndarray, event: np.ndarray, p: np.ndarray, horizon: float, n_boot: int,
                             seed: int = 0) -> np.ndarray:
    """Time-to-event net benefit per threshold per replicate (Vickers et al. 2008), loops throughout."""
    rng = np.random.default_rng(seed)
    reps = np.zeros((n_boot, THRESHOLDS.size))
    for b in range(n_boot):
        idx = rng.integers(0, p.size, p.size)
        tb, eb, pb = time_[idx], event[idx], p[idx]
        for j, t in enumerate(THRESHOLDS):
            treated = pb >= t
            if treated.any():
                risk, share = _kaplan_meier_risk(tb[treated], eb[treated], horizon), treated.mean()
                reps[b, j] = risk * share - (1 - risk) * share * t / (1 - t)
    return reps


def _loop_model_optimism(y: np.ndarray, design: np.ndarray, n_boot: int, seed: int = 0) -> float:
    """Harrell's optimism of a logistic model's AUC, one statsmodels refit per replicate."""
    import statsmodels.api as sm
    rng = np.random.default_rng(seed)
    cases, controls = np.flatnonzero(y), np.flatnonzero(~y)
    optimism = []
    for _ in range(n_boot):
        idx = np.concatenate([rng.choice(cases, cases.size), rng.choice(controls, controls.size)])
        beta = sm.Logit(y[idx].astype(float), design[idx]).fit(disp=False).params
        optimism.append(roc_auc_score(y[idx], design[idx] @ beta) - roc_auc_score(y, design @ beta))
    return float(np.mean(optimism))


def main() -> None:
    rng = np.random.default_rng(0)
    rows = []
    for n in (10_000, 1_000_000):
        y = rng.integers(0, 2, n)
        p = np.clip(0.25 + 0.2 * (y - 0.5) + rng.normal(0, 0.15, n), 0, 1)
        df = pd.DataFrame({"y": y, "p": p})
        t_ds = _time(lambda: ds.decision_curve(df, "y", ["p"], n_boot=None))
        t_loop = _time(lambda: _loop_net_benefit(y, p))
        rows.append((f"net benefit, 49 thresholds, n={n:,}", t_ds, "per-threshold numpy loop", t_loop))
    n, b = 10_000, 200
    y = rng.integers(0, 2, n)
    p = np.clip(0.25 + 0.2 * (y - 0.5) + rng.normal(0, 0.15, n), 0, 1)
    df = pd.DataFrame({"y": y, "p": p})
    t_ds = _time(lambda: ds.decision_curve(df, "y", ["p"], n_boot=b, progress=False), repeat=1)
    t_loop = _time(lambda: _loop_bootstrap(y, p, b), repeat=1)
    rows.append((f"net benefit + {b} bootstrap, n={n:,}", t_ds, "loop over replicates", t_loop))

    n, b, peer_b = 10_000, 1_000, 50
    risk = rng.beta(2, 5, n)
    event_time, censor_time = rng.exponential(1 / (0.1 + risk)), rng.exponential(3, n)
    surv = pd.DataFrame({"p": risk, "time": np.minimum(event_time, censor_time),
                         "event": (event_time <= censor_time).astype(int)})
    t_ds = _time(lambda: ds.decision_curve(surv, "event", ["p"], time="time", horizon=1.5, n_boot=b,
                                           progress=False), repeat=1)
    t_loop = _time(lambda: _loop_survival_bootstrap(surv.time.to_numpy(), surv.event.to_numpy(), risk, 1.5,
                                                    peer_b), repeat=1) * b / peer_b
    rows.append((f"time-to-event net benefit + {b:,} bootstrap, n={n:,}", t_ds,
                 f"per-threshold Kaplan-Meier, loop over replicates ({peer_b} run, scaled)", t_loop))

    k, n, b = 4, 2_000, 50
    origin = np.repeat(np.arange(k), n // k)
    data = pd.DataFrame({"origin": origin, "nlr": np.exp(rng.normal(0.8 + 0.3 * origin, 0.5)),
                         "plr": np.exp(rng.normal(4.8 + 0.1 * origin, 0.4))})
    start = time.perf_counter()
    ds.markers.predict_origin(data, markers=["nlr", "plr"], reference="origin", n_boot=b, progress=False)
    t_ds = time.perf_counter() - start
    X = np.log(data[["nlr", "plr"]].to_numpy())
    t_sk = _time(lambda: _sklearn_bootstrap_cv(origin, X, b), repeat=1)
    rows.append((f"predict_origin (10x5 CV + {b} boot x 2 CVs), n={n:,}", t_ds,
                 "sklearn refit + ovo AUC per fold, loop (macro AUC only)", t_sk))

    b = 500
    cohort = ds.markers.ratios(ds.simulate.cohort(1700, seed=0), neutrophils="neutrophils",
                               lymphocytes="lymphocytes", platelets="platelets")
    start = time.perf_counter()
    res = ds.markers.discriminate(cohort, groups="benign vs malignant", covariates=["age"], n_boot=b,
                                  progress=False)
    t_ds = time.perf_counter() - start
    n = res.n_cases + res.n_controls
    y = res.model.roc_cv.reference
    kept = cohort[cohort.true_diagnosis != "no_tumour"]
    design = np.column_stack([np.ones(n), np.log(kept.nlr), np.log(kept.plr), kept.age])
    t_loop = _time(lambda: _loop_model_optimism(y, design, b), repeat=1)
    rows.append((f"discriminate (2 markers + model, {b} boot), n={n:,}", t_ds,
                 "statsmodels refit + sklearn AUC per replicate (model optimism only)", t_loop))

    print(f"{'task':58} {'diagstats':>12} {'peer':>12} {'ratio':>7}  peer")
    for task, t_ds, peer, t_peer in rows:
        print(f"{task:58} {t_ds * 1e3:10.1f}ms {t_peer * 1e3:10.1f}ms {t_peer / t_ds:7.1f}  {peer}")


if __name__ == "__main__":
    main()
