"""Run every benchmark script in this folder, each in its own process, and print their tables.

Each ``benchmarks/<area>.py`` prints a table of timings and ratios against peers measured in the
same process. Usage: ``make benchmark`` or ``python benchmarks/run.py [area ...]``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(areas: list[str]) -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_"))
    failed = 0
    for script in scripts:
        if areas and script.stem not in areas:
            continue
        print(f"== {script.stem}", flush=True)
        failed += subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
