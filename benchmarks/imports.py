"""Start-up cost: ``import diagstats`` and ``diagstats --help``, each in fresh processes, best of N.

Targets (issue 13): ``import diagstats`` at most 1.3 times ``import numpy, pandas, scipy.stats``
measured in the same run, and ``diagstats --help`` under 0.5 s. ``import diagstats`` loads its
public names lazily, so the table also shows the cost of loading every estimator (``ds.accuracy``,
``ds.roc``, ``ds.meta``, ``ds.markers`` ...), still without statsmodels' models, matplotlib or the
report layer, against the same baseline. Wall times include the interpreter's own start-up (the
first row), as a user sees them; the commands take turns so that a busy machine slows them alike.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 7
IMPORT_TARGET = 1.3
HELP_TARGET = 0.5

ESTIMATORS = ("import diagstats as ds; ds.accuracy, ds.agreement, ds.compare_tests, ds.roc, ds.correct_verification, "
              "ds.meta.bivariate, ds.markers.ratios, ds.decision_curve, ds.sample_size_auc")


def _best(commands: list[list[str]]) -> list[float]:
    """Seconds of the fastest of REPEAT runs of each command in a fresh process; the commands take
    turns, so that a busy machine slows them alike."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(REPEAT):
        for command, seen in zip(commands, times):
            start = time.perf_counter()
            subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
            seen.append(time.perf_counter() - start)
    return [min(seen) for seen in times]


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("diagstats")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "diagstats.cli"]


def main() -> None:
    python = sys.executable
    commands = {
        "python -c pass": [python, "-c", "pass"],
        "import numpy, pandas, scipy.stats": [python, "-c", "import numpy, pandas, scipy.stats"],
        "import diagstats": [python, "-c", "import diagstats"],
        "import diagstats + every estimator": [python, "-c", ESTIMATORS],
        "diagstats --help": _cli() + ["--help"],
    }
    rows = list(zip(commands, _best(list(commands.values()))))
    base = rows[1][1]
    print(f"{'fresh process, best of ' + str(REPEAT):<40}{'seconds':>9}{'x baseline':>12}")
    for name, seconds in rows:
        print(f"{name:<40}{seconds:>9.3f}{seconds / base:>12.2f}")
    ratio = rows[2][1] / base
    print(f"import diagstats / baseline = {ratio:.2f} (target <= {IMPORT_TARGET}): "
          f"{'ok' if ratio <= IMPORT_TARGET else 'MISSED'}")
    print(f"diagstats --help = {rows[4][1]:.3f} s (target < {HELP_TARGET} s): "
          f"{'ok' if rows[4][1] < HELP_TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()
