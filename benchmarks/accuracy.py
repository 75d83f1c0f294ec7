"""2x2 accuracy and proportion intervals: diagstats against statsmodels, in one process.

Prints the time per call and the ratio (peer time / diagstats time; above 1 means diagstats is faster).
"""

from __future__ import annotations

import timeit

import numpy as np
from statsmodels.stats.proportion import proportion_confint

import diagstats as ds


def _best(fn, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number


def main() -> None:
    rng = np.random.default_rng(0)
    n = rng.integers(1, 1000, size=100_000)
    x = rng.integers(0, n + 1)
    rows = []
    for ours, theirs in (("wilson", "wilson"), ("clopper_pearson", "beta"), ("jeffreys", "jeffreys"),
                         ("agresti_coull", "agresti_coull")):
        t_ds = _best(lambda: ds.proportion_ci(x, n, method=ours), 3)
        t_sm = _best(lambda: proportion_confint(x, n, method=theirs), 3)
        rows.append((f"proportion_ci {ours}, 10^5 proportions", t_ds, "statsmodels proportion_confint", t_sm))
    t_acc = _best(lambda: ds.accuracy(tp=198, fp=5, fn=3, tn=433), 200)
    rows.append(("accuracy() one 2x2 table, all measures", t_acc, "(no peer in Python)", float("nan")))
    print(f"{'task':48} {'diagstats':>12} {'peer':>12} {'ratio':>7}  peer")
    for task, t_ds, peer, t_peer in rows:
        print(f"{task:48} {t_ds * 1e3:10.3f}ms {t_peer * 1e3:10.3f}ms {t_peer / t_ds:7.2f}  {peer}")


if __name__ == "__main__":
    main()
