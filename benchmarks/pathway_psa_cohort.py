"""Probabilistic sensitivity analysis of work-up strategies on simulated patients (ds.pathway.psa_cohort):
throughput per core, and the issue's scale extrapolated.

Five strategies (the workup_strategies report's four and MRI alone without biopsy) on 10^5 simulated patients
per draw, with Beta inputs (tumour share, biopsy yield; MRI and CT accuracy from the shipped literature) and
Gamma step costs. Throughput is draws per second on one core (``executor="serial"``) and on the local process
pool (per core = total / cores), against a straightforward implementation measured in the same process: per
draw, ``Scenario.replace`` + ``ds.simulate.cohort`` + the public ``ds.pathway.evaluate`` (which also computes
every interval and paired comparison the analysis does not need). The issue's scale, 10,000 draws of 5
strategies on 10^5 patients, is extrapolated from the measured per-core rate (draws are independent
replicates of ``ds.simulate.study``, so the time scales with draws / cores).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))
from _timing import best_of  # noqa: E402

import diagstats as ds  # noqa: E402
from analyses.workup_strategies import MALIGNANT, TARGET, strategies  # noqa: E402
from diagstats.pathway import Beta, Gamma  # noqa: E402

N_PATIENTS = 100_000
STRATEGIES = [*strategies(), ds.pathway.Strategy("MRI alone", [ds.pathway.Step("mri", cost=400)], positive="mri",
                                                 target=TARGET)]
INPUTS = {"tumour_share": Beta(60, 40), "biopsy.yield": Beta(91, 9)}
COSTS = {"mri": Gamma(400, 80), "ct": Gamma(200, 40), "biopsy": Gamma(1500, 300)}
WTP = np.linspace(0, 20_000, 41)


def _psa(n_draws: int, executor) -> ds.pathway.PSAResult:
    return ds.pathway.psa_cohort(STRATEGIES, positive=MALIGNANT, wtp=WTP, inputs=INPUTS, costs=COSTS,
                                 n_patients=N_PATIENTS, n_draws=n_draws, seed=0, executor=executor, progress=False)


def _straightforward(n_draws: int) -> None:
    """Per draw: the scenario with drawn inputs, a cohort, the public evaluator (intervals and comparisons too)."""
    rng = np.random.default_rng(0)
    base = ds.simulate.Scenario.load("spine_referral")
    for _ in range(n_draws):
        scenario = base.replace({path: float(d.draw(rng, 1)[0]) for path, d in INPUTS.items()})
        cohort = ds.simulate.cohort(N_PATIENTS, scenario, seed=rng, complete=True, repeat_biopsy=True)
        ds.pathway.evaluate(cohort, STRATEGIES, reference="true_diagnosis", positive=MALIGNANT)


def main() -> None:
    _psa(10, "serial")  # warm up imports and the scenario file
    cores = os.cpu_count() or 1
    print(f"{'task':66} {'time':>9} {'draws/s':>9} {'per core':>9}")
    n = 10
    t_plain = best_of(lambda: _straightforward(n), repeat=1)
    print(f"{f'straightforward: cohort + evaluate() per draw ({n} draws, 1 core)':66} {t_plain:8.2f}s "
          f"{n / t_plain:9.2f} {n / t_plain:9.2f}")
    n = 20
    t = best_of(lambda: _psa(n, "serial"), repeat=1)
    rate = n / t
    print(f"{f'psa_cohort, {n} draws x 5 strategies x 10^5 patients, serial':66} {t:8.2f}s {rate:9.2f} "
          f"{rate:9.2f}   {t_plain / 10 * n / t:4.1f}x straightforward")
    n = 40
    start = time.perf_counter()
    _psa(n, None)
    t_pool = time.perf_counter() - start
    print(f"{f'psa_cohort, {n} draws, local process pool ({cores} cores)':66} {t_pool:8.2f}s {n / t_pool:9.2f} "
          f"{n / t_pool / cores:9.2f}")
    hours = 10_000 / rate / 3600
    print(f"extrapolated: 10,000 draws x 5 strategies x 10^5 patients = {hours:.1f} core-hours "
          f"({hours / 64 * 60:.0f} min on a 64-core Dask cluster, {hours / cores:.1f} h on this machine's {cores} "
          "cores)")


if __name__ == "__main__":
    main()
