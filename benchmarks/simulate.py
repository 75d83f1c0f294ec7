"""Cohort simulator: time and peak memory per cohort size, and Monte Carlo study throughput.

Targets (issue 5): 10^6 patients in under 2 s and under 1.5 GB on a 2-core machine. Peak memory is
measured twice: tracemalloc's peak of Python/numpy allocations during one call, and the maximum
resident set size of a fresh process that imports diagstats and simulates once (interpreter and
libraries included). There is no Python peer for this simulator; the study runner is compared
serial vs the local process pool.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import timeit
import tracemalloc
from pathlib import Path

import diagstats as ds

ROOT = Path(__file__).resolve().parents[1]


def _best(fn, repeat: int = 3) -> float:
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def _max_rss_mb(n: int) -> float:
    code = (f"import resource, diagstats as ds; ds.simulate.cohort({n}, seed=0); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout.strip())


def _small_study(scenario, rng):
    df = ds.simulate.cohort(2_000, scenario, seed=rng)
    return {"mri_positive": float(df["mri"].mean())}


def main() -> None:
    ds.simulate.cohort(1_000)  # warm up imports and the scenario file
    print(f"{'task':44} {'time':>10} {'tracemalloc peak':>17} {'process max RSS':>16}")
    for n in (10_000, 100_000, 1_000_000):
        t = _best(lambda: ds.simulate.cohort(n, seed=1))
        tracemalloc.start()
        ds.simulate.cohort(n, seed=1)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rss = _max_rss_mb(n)
        print(f"{f'cohort({n:,})':44} {t:9.3f}s {peak:14.0f} MB {rss:13.0f} MB")
    for label, executor in (("serial", "serial"), (f"local process pool ({os.cpu_count()} cores)", None)):
        start = time.perf_counter()
        ds.simulate.study(_small_study, n_replicates=200, seed=0, executor=executor, progress=False)
        elapsed = time.perf_counter() - start
        print(f"{f'study: 200 x cohort(2,000), {label}':44} {elapsed:9.3f}s")


if __name__ == "__main__":
    main()
