"""Run every benchmark script in this folder and print their tables.

Each ``benchmarks/<area>.py`` defines ``main()`` that prints a table of timings and ratios against
peers measured in the same process. Usage: ``make benchmark`` or ``python benchmarks/run.py [area ...]``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(areas: list[str]) -> None:
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != "run.py" and not p.name.startswith("_"))
    for script in scripts:
        if areas and script.stem not in areas:
            continue
        print(f"== {script.stem}")
        spec = importlib.util.spec_from_file_location(f"bench_{script.stem}", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
