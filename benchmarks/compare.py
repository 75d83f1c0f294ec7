"""Speed of compare_tests and agreement against peers, timed in the same process.

Run: python benchmarks/compare.py   (prints a table; not a test)
"""


import numpy as np
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.inter_rater import cohens_kappa

from _timing import best_of  # noqa: E402

import diagstats as ds


def main():
    rng = np.random.default_rng(0)
    rows = []
    for n in (10_000, 1_000_000):
        d = rng.random(n) < 0.3
        t1 = np.where(d, rng.random(n) < 0.85, rng.random(n) < 0.1)
        t2 = np.where(d, rng.random(n) < 0.80, rng.random(n) < 0.12)
        full = best_of(lambda: ds.compare_tests(tests=(t1, t2), reference=d))

        def statsmodels_mcnemar_only():  # the peer does one of the six comparisons, from a table made by numpy
            both = [[np.sum(t1 & t2 & d), np.sum(t1 & ~t2 & d)], [np.sum(~t1 & t2 & d), np.sum(~t1 & ~t2 & d)]]
            mcnemar(both, exact=False, correction=False)

        peer = best_of(statsmodels_mcnemar_only)
        rows.append((f"compare_tests (6 measures) vs statsmodels mcnemar (1 measure), n={n:,}", full, peer))
        r1 = rng.integers(0, 4, n)
        r2 = np.where(rng.random(n) < 0.7, r1, rng.integers(0, 4, n))
        ours = best_of(lambda: ds.agreement(raters=(r1, r2), weights="quadratic"))
        sk = best_of(lambda: cohen_kappa_score(r1, r2, weights="quadratic"))
        rows.append((f"agreement (kappa + SEs + PABAK) vs sklearn cohen_kappa_score, n={n:,}", ours, sk))
        table = np.zeros((4, 4))
        np.add.at(table, (r1, r2), 1)
        sm = best_of(lambda: cohens_kappa(table, wt="quadratic", weights=np.arange(4)))
        rows.append((f"  (statsmodels cohens_kappa on the ready-made table, n={n:,})", ours, sm))
    print(f"{'task':<90} {'diagstats s':>12} {'peer s':>10} {'ratio':>7}")
    for name, ours, peer in rows:
        print(f"{name:<90} {ours:12.4f} {peer:10.4f} {ours / peer:7.2f}")


if __name__ == "__main__":
    main()
