"""Lesion-level data: 10^6 lesions in 10^5 patients (issue #18), in one process.

Times clustered accuracy with the ratio estimator and with GEE, the clustered AUC (Obuchowski 1997,
with its variance) against ``ds.roc`` on the same lesions, and a 2,000-replicate cluster bootstrap
of sensitivity against the straightforward loop (resample patients, concatenate their
``pandas.groupby`` groups, count): the loop is timed over a few replicates and extrapolated to 2,000.
Prints the time of each and the ratio (straightforward / diagstats; above 1 means diagstats is faster).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

import diagstats as ds

from _timing import best_of

PATIENTS, LESIONS, N_BOOT, LOOP_REPLICATES = 100_000, 1_000_000, 2_000, 3


def lesions() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    patient = np.sort(rng.integers(0, PATIENTS, LESIONS))
    effect = rng.normal(0, 1, PATIENTS)[patient]
    disease = rng.random(LESIONS) < 0.3
    score = 1.2 * disease + effect + rng.normal(0, 1, LESIONS)
    return pd.DataFrame({"patient": patient, "biopsy": disease.astype(int), "score": score,
                         "mri": (score > 0.8).astype(int)})


def loop_bootstrap_sensitivity(groups: list[pd.DataFrame], replicates: int) -> np.ndarray:
    """The straightforward cluster bootstrap: draw patients, gather their lesions, count."""
    rng = np.random.default_rng(1)
    out = []
    for _ in range(replicates):
        sample = pd.concat([groups[i] for i in rng.integers(0, len(groups), len(groups))])
        diseased = sample[sample.biopsy == 1]
        out.append(diseased.mri.mean())
    return np.array(out)


def main() -> None:
    d = lesions()
    kw = dict(data=d, test="mri", reference="biopsy", cluster="patient")
    rows = []
    t_ratio = best_of(lambda: ds.accuracy(**kw))
    rows.append(("accuracy(cluster=), ratio estimator", t_ratio, "", 0.0))
    t_gee = best_of(lambda: ds.accuracy(**kw, ci_method="gee"))
    rows.append(("accuracy(cluster=, ci_method='gee')", t_gee, "", 0.0))
    t_roc = best_of(lambda: ds.roc(data=d, reference="biopsy", score="score"))
    t_croc = best_of(lambda: ds.roc(data=d, reference="biopsy", score="score", cluster="patient"))
    rows.append(("roc(cluster=) clustered AUC + variance", t_croc, "ds.roc (DeLong) same data", t_roc))
    t_boot = best_of(lambda: ds.accuracy(**kw, ci_method="bootstrap", n_boot=N_BOOT, progress=False), repeat=1)
    start = time.perf_counter()
    groups = [g for _, g in d.groupby("patient")]  # once
    t_groups = time.perf_counter() - start
    start = time.perf_counter()
    loop_bootstrap_sensitivity(groups, LOOP_REPLICATES)
    t_loop = t_groups + (time.perf_counter() - start) / LOOP_REPLICATES * N_BOOT
    rows.append((f"cluster bootstrap, {N_BOOT} replicates", t_boot,
                 f"groupby loop ({LOOP_REPLICATES} reps, extrapolated)", t_loop))
    print(f"{LESIONS:,} lesions in {PATIENTS:,} patients")
    print(f"{'task':44} {'diagstats':>11} {'other':>11} {'ratio':>7}  other")
    for task, t_ds, peer, t_peer in rows:
        other = f"{t_peer:10.3f}s {t_peer / t_ds:7.2f}" if peer else f"{'-':>11} {'-':>7}"
        print(f"{task:44} {t_ds:10.3f}s {other}  {peer}")


if __name__ == "__main__":
    main()
