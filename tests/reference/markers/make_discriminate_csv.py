"""Writes discriminate.csv: benign vs malignant spine tumours from the simulator, with CV folds.

Patients: the benign (y = 0) and malignant (y = 1) tumour patients of ``ds.simulate.cohort(400,
seed=11)``; NLR rounded to 2 decimals and PLR to 1 so that ties occur. ``fold`` is the fold
(0-4) each patient is held out in by ``ds.markers.discriminate(..., cv=5, seed=0)``: the fold
splitter's random state is the first draw of ``numpy.random.default_rng(0).integers(2**31 - 1)``,
then scikit-learn's ``StratifiedKFold(5, shuffle=True)``.

Run from the project root (see make_fixtures.sh): python tests/reference/markers/make_discriminate_csv.py
"""
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

import diagstats as ds


def main() -> None:
    df = ds.markers.ratios(ds.simulate.cohort(400, seed=11), neutrophils="neutrophils", lymphocytes="lymphocytes",
                           platelets="platelets")
    df = df[df.true_diagnosis != "no_tumour"]
    out = pd.DataFrame({"y": (df.true_diagnosis != "benign_primary").astype(int).to_numpy(),
                        "nlr": df.nlr.round(2).to_numpy(), "plr": df.plr.round(1).to_numpy(),
                        "age": df.age.to_numpy()})
    state = int(np.random.default_rng(0).integers(2**31 - 1))
    out["fold"] = -1
    for f, (_, test) in enumerate(StratifiedKFold(5, shuffle=True, random_state=state).split(out, out.y)):
        out.loc[test, "fold"] = f
    out.to_csv(Path(__file__).with_name("discriminate.csv"), index=False)


if __name__ == "__main__":
    main()
