"""Copy the canonical datasets and scenarios into the package (diagstats/data/), byte for byte.

Run from anywhere: python datasets/sync_package_data.py
"""

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE_DATA = HERE.parent / "diagstats" / "data"

#: canonical file pattern -> folder inside diagstats/data
SHIPPED = {"*.csv": "datasets", "*.md": "datasets", "scenarios/*.json": "scenarios",
           "lesion_scenarios/*.json": "lesion_scenarios"}


def shipped_pairs():
    """(canonical file, package copy) for every shipped file; README.md stays here."""
    for pattern, folder in SHIPPED.items():
        for source in sorted(HERE.glob(pattern)):
            if source.name != "README.md":
                yield source, PACKAGE_DATA / folder / source.name


if __name__ == "__main__":
    for source, target in shipped_pairs():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        print(f"{source.relative_to(HERE.parent)} -> {target.relative_to(HERE.parent)}")
