"""Monte Carlo studies: simulate, analyse, keep the key numbers; over replicates and scenarios.

Replicate ``r`` of scenario number ``i`` always gets the generator
``numpy.random.default_rng(SeedSequence(seed, spawn_key=(i, r)))``, so results do not depend on
how the replicates are batched or scheduled: a serial run, a process pool and a Dask cluster give
identical tables.

>>> import diagstats as ds
>>> def positive_rate(scenario, rng):
...     df = ds.simulate.cohort(200, scenario, seed=rng)
...     return {"mri_positive": df["mri"].mean()}
>>> res = ds.simulate.study(positive_rate, grid={"imaging.mri.specificity": [0.85, 0.95]},
...                         n_replicates=3, seed=1, executor="serial", progress=False)
>>> list(res.columns)
['scenario', 'imaging.mri.specificity', 'replicate', 'mri_positive']
>>> len(res)
6
"""

from __future__ import annotations

import concurrent.futures
import itertools
import math
import os
import signal
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .._input import _show, check_progress, check_seed, check_whole_number
from ..errors import DataError, OptionError
from .scenario import Scenario

#: Replicates are sent to workers in about this many batches (fewer if there are fewer replicates).
N_BATCHES = 200


def _replicate_generator(seed: int, scenario_index: int, replicate: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(scenario_index, replicate)))


def _run_batch(fn: Callable, scenario: Scenario, scenario_index: int, replicates: range,
               seed: int) -> list[tuple[int, int, Any]]:
    """Run ``fn`` on a batch of replicates of one scenario (executed on a worker)."""
    out = []
    for r in replicates:
        value = fn(scenario, _replicate_generator(seed, scenario_index, r))
        out.append((scenario_index, r, value))
    return out


def _scenario_list(base: Any, scenarios: Any, grid: Any) -> tuple[list[str], list[dict], list[Scenario]]:
    """Labels, label columns and Scenario objects of the study."""
    if scenarios is not None and grid is not None:
        raise OptionError("give either scenarios= (named scenarios) or grid= (a grid of parameter changes), not both.")
    base = Scenario.load(base)
    if grid is not None:
        if not isinstance(grid, Mapping) or not grid:
            raise OptionError(f"grid={_show(grid)} must be a non-empty mapping of scenario parameter paths to lists "
                              "of values, e.g. {'imaging.conspicuity_strength': [0.0, 0.3, 0.6]}.")
        paths = list(grid)
        values = []
        for path in paths:
            options = grid[path]
            if isinstance(options, (str, bytes)) or not hasattr(options, "__iter__"):
                raise OptionError(f"grid[{path!r}]={_show(options)} must be a list of values to try.")
            values.append(list(options))
        combos = list(itertools.product(*values))
        built = [base.replace(dict(zip(paths, combo))) for combo in combos]
        labels = [", ".join(f"{p}={v!r}" for p, v in zip(paths, combo)) for combo in combos]
        return labels, [dict(zip(paths, combo)) for combo in combos], built
    if scenarios is None:
        return [base.name], [{}], [base]
    if not isinstance(scenarios, Mapping) or not scenarios:
        raise OptionError(f"scenarios={_show(scenarios)} must be a non-empty mapping of labels to Scenario objects, "
                          "scenario names, or mappings of parameter changes to the base scenario.")
    built = [base.replace(v) if isinstance(v, Mapping) else Scenario.load(v) for v in scenarios.values()]
    return [str(k) for k in scenarios], [{} for _ in scenarios], built


def _rows(batch_results: list, labels: list[str], label_columns: list[dict]) -> list[dict]:
    rows = []
    for i, r, value in batch_results:
        if not isinstance(value, Mapping):
            raise DataError(f"fn must return a mapping of result names to numbers (e.g. a dict); replicate {r} "
                            f"returned {type(value).__name__}.")
        rows.append({"scenario": labels[i], **label_columns[i], "replicate": r, **value})
    return rows


def study(fn: Callable[[Scenario, np.random.Generator], Mapping[str, Any]], *,
          scenario: str | Scenario = "spine_referral", scenarios: Mapping[str, Any] | None = None,
          grid: Mapping[str, Any] | None = None, n_replicates: int = 100, seed: int = 0,
          executor: Any = None, progress: bool = True) -> pd.DataFrame:
    """Repeat an analysis over simulated replicates and scenarios; one row per replicate.

    Parameters
    ----------
    fn : callable ``fn(scenario, rng) -> dict``
        Simulates and analyses one replicate: typically ``cohort(n, scenario, seed=rng)`` followed
        by an estimator; returns the numbers to keep. It must be picklable (a module-level
        function) unless ``executor="serial"``.
    scenario : str or Scenario, default "spine_referral"
        The base scenario that ``grid`` and mappings in ``scenarios`` change.
    scenarios : mapping of label to Scenario, name, or mapping of changes, optional
        Named scenarios to compare.
    grid : mapping of parameter path to list of values, optional
        Every combination of the values, applied to ``scenario``; one column per path in the result.
    n_replicates : int, default 100
        Replicates per scenario.
    seed : int, default 0
        Replicate ``r`` of scenario ``i`` uses ``SeedSequence(seed, spawn_key=(i, r))``.
    executor : None, "serial", concurrent.futures.Executor or dask.distributed.Client, default None
        None runs on all local cores (a process pool); "serial" runs in this process; an executor
        or a Dask ``Client`` runs the batches there (install the ``dask`` extra).
    progress : bool, default True
        Show a progress bar over replicates.

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario``, the grid parameters, ``replicate``, then the keys returned by ``fn``;
        sorted by scenario and replicate.

    Examples
    --------
    >>> import diagstats as ds
    >>> res = ds.simulate.study(lambda s, rng: {"u": rng.random()}, n_replicates=2,
    ...                         executor="serial", progress=False)
    >>> res[["scenario", "replicate"]].values.tolist()
    [['spine_referral', 0], ['spine_referral', 1]]
    """
    if not callable(fn):
        raise OptionError(f"fn={_show(fn)} must be a function fn(scenario, rng) returning a dict of numbers.")
    n_replicates = check_whole_number(n_replicates, "n_replicates", minimum=1, what="replicates", example=100)
    seed = check_seed(seed, integer=True)  # each replicate derives its own generator from it
    progress = check_progress(progress)
    labels, label_columns, built = _scenario_list(scenario, scenarios, grid)
    size = max(1, math.ceil(len(built) * n_replicates / N_BATCHES))
    batches = [(i, range(start, min(start + size, n_replicates)))
               for i in range(len(built)) for start in range(0, n_replicates, size)]

    bar = tqdm(total=len(built) * n_replicates, disable=not progress, desc="replicates")
    results: list = []
    try:
        if isinstance(executor, str) and executor == "serial":
            for i, reps in batches:
                results.extend(_run_batch(fn, built[i], i, reps, seed))
                bar.update(len(reps))
        elif executor is None:
            results = _run_in_process_pool(fn, built, batches, seed, bar)
        elif hasattr(executor, "submit"):
            results = _collect(executor, fn, built, batches, seed, bar)
        else:
            raise OptionError(f"executor={_show(executor)} must be None (all local cores), 'serial', a "
                              "concurrent.futures.Executor or a dask.distributed.Client.")
    finally:
        bar.close()
    frame = pd.DataFrame(_rows(results, labels, label_columns))
    order = {label: k for k, label in enumerate(labels)}
    frame = frame.sort_values(["scenario", "replicate"], key=lambda c: c.map(order) if c.name == "scenario" else c,
                              kind="stable").reset_index(drop=True)
    frame.attrs.update({"seed": seed, "n_replicates": n_replicates})
    return frame


def _ignore_interrupts() -> None:
    """Worker initializer: Ctrl-C (SIGINT, sent to the whole process group) is for the parent to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_in_process_pool(fn: Callable, built: list[Scenario], batches: list, seed: int, bar: Any) -> list:
    """Run the batches on all local cores; on Ctrl-C or an error, stop the workers at once instead of waiting."""
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=os.cpu_count(), initializer=_ignore_interrupts)
    try:
        results = _collect(pool, fn, built, batches, seed, bar)
    except BaseException:
        workers = list((pool._processes or {}).values())   # not public before Python 3.14's terminate_workers()
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join()
        raise
    pool.shutdown()
    return results


def _collect(executor: Any, fn: Callable, built: list[Scenario], batches: list, seed: int, bar: Any) -> list:
    """Submit every batch to ``executor`` and gather results as they complete; cancel the rest on failure."""
    is_dask = type(executor).__module__.split(".")[0] == "distributed"
    if is_dask:
        from distributed import as_completed
        futures = [executor.submit(_run_batch, fn, built[i], i, reps, seed, pure=False) for i, reps in batches]
    else:
        as_completed = concurrent.futures.as_completed
        futures = [executor.submit(_run_batch, fn, built[i], i, reps, seed) for i, reps in batches]
    results = []
    try:
        for future in as_completed(futures):
            batch = future.result()
            results.extend(batch)
            bar.update(len(batch))
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return results
