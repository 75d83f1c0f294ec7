"""Probabilistic sensitivity analysis of work-up strategies (ds.pathway.psa): throughput per core.

Five strategies (one to three tests each, series / parallel / 2-of-3, sequential testing) over Beta
and Gamma inputs. Throughput is draws per second on one core (``executor="serial"``: the chunks run
one after another in this process) and on the local process pool (per core = total / cores),
against a straightforward implementation measured in the same process: a Python loop over draws that
evaluates each strategy with the same closed-form kernel (one draw at a time).
The engine's fixed costs (loading the scenario the study runner hands to each chunk, starting the
pool) are included, so large analyses have the better per-core rate.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import best_of  # noqa: E402

import diagstats as ds  # noqa: E402
from diagstats.pathway import Beta, Gamma  # noqa: E402
from diagstats.pathway.combination import check_rule, pattern_probabilities, patterns, tests_done  # noqa: E402
from diagstats.pathway.sensitivity_analysis import _test_inputs  # noqa: E402

TESTS = {"MRI": {"cost": Gamma(400, 80)}, "MDCT": {"cost": Gamma(150, 30)},
         "bone scintigraphy": {"cost": Gamma(250, 50)},
         "biopsy": {"cost": Gamma(1500, 300), "sensitivity": Beta.from_counts(401, 430), "specificity": 0.99}}
STRATEGIES = {"MRI": "MRI", "CT then MRI": ("series", ["MDCT", "MRI"]),
              "MRI then biopsy": ("series", ["MRI", "biopsy"]),
              "CT or bone scan": ("parallel", ["MDCT", "bone scintigraphy"]),
              "2 of CT, bone scan, MRI": (2, ["MDCT", "bone scintigraphy", "MRI"])}
WTP = np.linspace(0, 20_000, 41)


def _psa(n_draws: int, executor) -> ds.pathway.PSAResult:
    return ds.pathway.psa(STRATEGIES, TESTS, prevalence=Beta(30, 70), wtp=WTP, n_draws=n_draws, chunk_size=1000,
                          seed=0, executor=executor, progress=False)


def _loop(n_draws: int) -> np.ndarray:
    """The straightforward way: a Python loop over draws, each drawing its inputs and evaluating every strategy
    with the same closed-form kernel, one draw at a time."""
    inputs, _ = _test_inputs(TESTS, list(TESTS))
    rng = np.random.default_rng(0)
    out = np.empty((n_draws, len(STRATEGIES), 2))
    for d in range(n_draws):
        prevalence = rng.beta(30, 70)
        se = {t: inputs[t]["sensitivity"].draw(rng, 1)[0] for t in TESTS}
        sp = {t: inputs[t]["specificity"].draw(rng, 1)[0] for t in TESTS}
        cost = {t: inputs[t]["cost"].draw(rng, 1)[0] for t in TESTS}
        for s, spec in enumerate(STRATEGIES.values()):
            rule, members = ("series", [spec]) if isinstance(spec, str) else spec
            x = patterns(len(members))
            k = check_rule(rule, len(members))
            given_d = pattern_probabilities(np.array([se[t] for t in members]), None, x)
            given_n = pattern_probabilities(1 - np.array([sp[t] for t in members]), None, x)
            positive = x.sum(axis=1) >= k
            done = prevalence * given_d @ tests_done(x, k) + (1 - prevalence) * given_n @ tests_done(x, k)
            out[d, s] = (sum(c * cost[t] for c, t in zip(done, members)),
                         prevalence * given_d[positive].sum() + (1 - prevalence) * given_n[~positive].sum())
    return out


def main() -> None:
    _psa(1000, "serial")  # warm up imports and the scenario file
    cores = os.cpu_count() or 1
    print(f"{'task':58} {'time':>9} {'draws/s':>11} {'per core':>11}")
    n_loop = 2_000
    t_loop = best_of(lambda: _loop(n_loop), repeat=1)
    rate_loop = n_loop / t_loop
    print(f"{f'loop over draws, same kernel ({n_loop:,} draws, 1 core)':58} {t_loop:8.3f}s {rate_loop:11,.0f} "
          f"{rate_loop:11,.0f}")
    for n in (10_000, 100_000):
        t = best_of(lambda: _psa(n, "serial"), repeat=2)
        print(f"{f'psa, {n:,} draws, 5 strategies, serial (1 core)':58} {t:8.3f}s {n / t:11,.0f} {n / t:11,.0f}"
              f"   {n / t / rate_loop:6.0f}x the loop")
    n = 100_000
    start = time.perf_counter()
    _psa(n, None)
    t = time.perf_counter() - start
    print(f"{f'psa, {n:,} draws, local process pool ({cores} cores)':58} {t:8.3f}s {n / t:11,.0f} "
          f"{n / t / cores:11,.0f}")


if __name__ == "__main__":
    main()
