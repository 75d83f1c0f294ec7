"""Smoothed ROC curves and the grey zone, in one process.

Times ``roc.smooth("density")`` (binned FFT kernel density, as R's ``density()``) against the
straightforward exact kernel sum (every patient's Gaussian at every one of the 512 grid points), and
``roc.grey_zone`` with 2,000 bootstrap replicates (vectorised over replicates by the shared engine)
against the straightforward loop (resample cases and controls, rebuild the curve, re-choose the two
cut-offs), timed over a few replicates and extrapolated to 2,000. Prints the time of each and the ratio
(straightforward / diagstats; above 1 means diagstats is faster).
"""

from __future__ import annotations

import time

import numpy as np
from scipy import stats

import diagstats as ds

from _timing import best_of

PATIENTS, N_BOOT, LOOP_REPLICATES = 100_000, 2_000, 20


def exact_density_curve(cases: np.ndarray, controls: np.ndarray, n: int = 512) -> np.ndarray:
    scores = np.concatenate([cases, controls])
    q75, q25 = np.percentile(scores, [75, 25])
    bw = 0.9 * min(scores.std(ddof=1), (q75 - q25) / 1.34) * len(scores) ** -0.2
    grid = np.linspace(scores.min() - 3 * bw, scores.max() + 3 * bw, n)
    dens = [np.array([stats.norm.pdf((x - g) / bw).sum() for x in grid]) for g in (cases, controls)]
    return np.cumsum(dens[0][::-1])[::-1] / dens[0].sum()


def loop_grey_zone(y: np.ndarray, score: np.ndarray, replicates: int) -> np.ndarray:
    """The straightforward bootstrap: resample cases and controls, rebuild the curve, re-choose the cut-offs."""
    rng = np.random.default_rng(1)
    cases, controls = score[y == 1], score[y == 0]
    labels = np.repeat([1, 0], [len(cases), len(controls)])
    out = []
    for _ in range(replicates):
        sample = np.concatenate([rng.choice(cases, len(cases)), rng.choice(controls, len(controls))])
        zone = ds.roc(labels, sample).grey_zone(n_boot=None)
        out.append((zone.rule_out, zone.rule_in))
    return np.array(out)


def main() -> None:
    rng = np.random.default_rng(0)
    y = (rng.random(PATIENTS) < 0.3).astype(int)
    score = np.round(rng.normal(1.0 * y, 1.0), 3)
    roc = ds.roc(y, score)
    rows = []
    t_density = best_of(lambda: roc.smooth("density"))
    t_exact = best_of(lambda: exact_density_curve(score[y == 1], score[y == 0]), repeat=1)
    rows.append((f"smooth('density'), {PATIENTS:,} patients", t_density, "exact kernel sum", t_exact))
    t_zone = best_of(lambda: roc.grey_zone(n_boot=N_BOOT, progress=False), repeat=1)
    start = time.perf_counter()
    loop_grey_zone(y, score, LOOP_REPLICATES)
    t_loop = (time.perf_counter() - start) * N_BOOT / LOOP_REPLICATES
    rows.append((f"grey_zone(n_boot={N_BOOT})", t_zone, f"loop ({LOOP_REPLICATES} replicates, extrapolated)", t_loop))
    print(f"{'diagstats':45s} {'seconds':>9s}  {'straightforward':38s} {'seconds':>9s} {'ratio':>7s}")
    for name, t, peer, t_peer in rows:
        print(f"{name:45s} {t:9.3f}  {peer:38s} {t_peer:9.3f} {t_peer / t:7.1f}")


if __name__ == "__main__":
    main()
