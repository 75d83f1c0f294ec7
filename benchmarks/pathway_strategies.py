"""Work-up strategies: ds.pathway.evaluate of 10 strategies on 10^6 simulated patients.

Target (issue 20): seconds, vectorised. The straightforward implementation it is compared with walks
each patient through each strategy in Python (one dict per patient, the rule tree interpreted per
patient), measured on 20,000 patients in the same process and scaled to 10^6 per patient.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import numpy as np

import diagstats as ds

ROOT = Path(__file__).resolve().parents[1]
N, N_NAIVE = 1_000_000, 20_000


def _strategies() -> list[ds.pathway.Strategy]:
    spec = importlib.util.spec_from_file_location("workup_strategies", ROOT / "analyses" / "workup_strategies.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = module.strategies()
    biopsy = [s for s in out[0].steps if s.kind == "biopsy"]
    for m in ("xray", "ct", "mri", "pet", "bone_scan", "ct_myelography"):
        first = ds.pathway.Step(m, cost=100.0)
        steps = [first, ds.pathway.Step(**{**biopsy[0].__dict__, "when": m}), biopsy[1]]
        out.append(ds.pathway.Strategy(f"{m} then biopsy", steps, positive="biopsy or repeat_biopsy",
                                       target=module.TARGET))
    return out


def _naive(data, strategies, malignant) -> list[tuple[int, int, float]]:
    """Each patient through each strategy in Python: (true positives, true negatives, total cost)."""
    rows = data.to_dict("records")
    out = []
    for strategy in strategies:
        tp = tn = 0
        cost = 0.0
        for row, truth in zip(rows, malignant):
            state = {}

            def value(node, state=state, row=row):
                kind = node[0]
                if kind == "always":
                    return True
                if kind == "not":
                    return not value(node[1])
                if kind in ("and", "or"):
                    a, b = value(node[1]), value(node[2])
                    return (a and b) if kind == "and" else (a or b)
                if kind == "step":
                    return state.get(node[2], {}).get(node[1], False)
                return state[node[1]]["positive"] if node[1] in state else bool(row[node[1]])

            for name in strategy.order:
                step = strategy.step(name)
                result = row[step.column]
                failed = step.nondiagnostic is not None and row[step.nondiagnostic] == 1
                done = value(step.rule.tree) and (result == result or failed)
                hit = result == step.positive if step.positive is not None else result == 1
                state[name] = {"done": done, "nondiagnostic": done and failed,
                               "positive": done and not failed and hit, "negative": done and not failed and not hit}
                cost += step.cost if done else 0.0
            call = value(strategy.final_rule.tree)
            tp += call and truth
            tn += not call and not truth
        out.append((tp, tn, cost))
    return out


def main() -> None:
    strategies = _strategies()
    cohort = ds.simulate.cohort(N, seed=1, complete=True, repeat_biopsy=True)
    malignant = ["malignant_primary", "metastasis"]
    start = time.perf_counter()
    res = ds.pathway.evaluate(cohort, strategies, reference="true_diagnosis", positive=malignant)
    vectorised = time.perf_counter() - start
    small = cohort.iloc[:N_NAIVE]
    truth = small["true_diagnosis"].isin(malignant).to_numpy()
    start = time.perf_counter()
    naive = _naive(small, strategies, truth)
    naive_time = (time.perf_counter() - start) * N / N_NAIVE
    check = ds.pathway.evaluate(small, strategies, reference="true_diagnosis", positive=malignant)
    for (tp, tn, cost), acc, yields in zip(naive, check.accuracy, check.yields):
        assert (tp, tn) == (acc.tp, acc.tn) and np.isclose(cost / N_NAIVE, yields["cost_per_patient"].value)
    print(f"{'task':62} {'time':>10}")
    print(f"{f'ds.pathway.evaluate: {len(strategies)} strategies, {N:,} patients (paired)':62} {vectorised:9.2f}s")
    print(f"{f'per-patient Python loop, scaled from {N_NAIVE:,} patients':62} {naive_time:9.2f}s")
    print(f"ratio (loop / evaluate): {naive_time / vectorised:.0f}x; {len(res.comparisons)} paired comparisons")


if __name__ == "__main__":
    main()
