"""Writes multinomial_curves.csv: predicted probabilities of three and of four origins, and outcomes, for
the flexible multinomial calibration curves (Van Hoorde et al. 2014).

``three``: 400 patients, probabilities p (Dirichlet(1.5, 1.5, 1.5)); each outcome drawn from the
miscalibrated truth softmax(0.3 + 0.6 LP + 0.25 LP^2 - ...) with LP = log(p_k / p_1) (the squares make
the curves bend). ``four``: 300 patients, four origins whose probabilities come from a multinomial logit
in two predictors (so the three log ratios are collinear), outcomes drawn from a truth that flattens them.
Columns: ``set``, ``y`` (0..K-1), ``p1..p4`` (p4 empty for ``three``).

Run from the project root (see make_fixtures.sh): python tests/reference/markers/make_multinomial_curves_csv.py
"""
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import softmax


def _draw(rng: np.random.Generator, truth: np.ndarray) -> np.ndarray:
    return (rng.random(len(truth))[:, None] > np.cumsum(truth, axis=1)).sum(axis=1)


def main() -> None:
    rng = np.random.default_rng(20261201)
    p = rng.dirichlet([1.5, 1.5, 1.5], 400)
    lp = np.log(p[:, 1:] / p[:, :1])
    truth = softmax(np.column_stack([np.zeros(400), 0.3 + 0.6 * lp + 0.25 * lp ** 2 * [1, -1]]), axis=1)
    three = pd.DataFrame({"set": "three", "y": _draw(rng, truth), "p1": p[:, 0], "p2": p[:, 1], "p3": p[:, 2]})
    x = rng.normal(size=(300, 2))
    eta = np.column_stack([np.zeros(300), x @ np.array([[1.0, -0.5, 0.4], [0.3, 0.8, -0.9]])])
    q = softmax(eta, axis=1)
    y = _draw(rng, softmax(0.6 * eta + np.array([0.0, 0.2, -0.2, 0.4]), axis=1))
    four = pd.DataFrame({"set": "four", "y": y, **{f"p{j + 1}": q[:, j] for j in range(4)}})
    out = pd.concat([three, four], ignore_index=True)
    out.to_csv(Path(__file__).with_name("multinomial_curves.csv"), index=False, float_format="%.17g")


if __name__ == "__main__":
    main()
