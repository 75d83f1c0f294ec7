"""Writes describe.csv: 37 patients in 3 groups, markers rounded so that ties occur (seeded, numpy only).

Run from this folder: python make_describe_csv.py (see make_fixtures.sh).
"""
import numpy as np
import pandas as pd


def main() -> None:
    rng = np.random.default_rng(20240611)
    groups = np.repeat(["benign", "primary", "metastasis"], [12, 15, 10])
    shift = pd.Series(groups).map({"benign": 0.0, "primary": 0.35, "metastasis": 0.6}).to_numpy()
    nlr = np.round(np.exp(rng.normal(0.7 + shift, 0.45)), 1)
    plr = np.round(np.exp(rng.normal(4.8 + 0.5 * shift, 0.35)), -1)
    pd.DataFrame({"group": groups, "nlr": nlr, "plr": plr}).to_csv("describe.csv", index=False)


if __name__ == "__main__":
    main()
