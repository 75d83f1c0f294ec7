"""Seeded data for the ROC parity fixtures (run by make_fixtures.sh; the CSVs are committed).

Each data set exercises one situation pROC users meet: continuous scores with ties, 1-5
ordinal ratings, a skewed log-normal marker at n >= 4000, two correlated scores on the same
patients, two independent groups of patients (the unpaired comparison), and four correlated scores
on the same patients (the omnibus test of equal AUCs).
"""

import numpy as np
import pandas as pd


def write(name, frame):
    frame.to_csv(f"{name}.csv", index=False, float_format="%.10g")


def main():
    rng = np.random.default_rng(20240611)
    # continuous marker rounded to one decimal: many tied values, also across classes
    y = rng.binomial(1, 0.4, 300)
    write("continuous_ties", pd.DataFrame({"y": y, "marker": np.round(rng.normal(1.0 * y, 1.0), 1)}))

    # a radiologist's 1-5 confidence rating
    y = rng.binomial(1, 0.35, 220)
    latent = rng.normal(1.2 * y, 1.0)
    rating = np.digitize(latent, [-0.5, 0.3, 0.9, 1.6]) + 1
    write("ordinal", pd.DataFrame({"y": y, "rating": rating}))

    # skewed log-normal marker (an NLR-like ratio), n = 5000
    y = rng.binomial(1, 0.2, 5000)
    write("lognormal", pd.DataFrame({"y": y, "nlr": np.round(np.exp(rng.normal(1.0 + 0.6 * y, 0.7)), 4)}))

    # two correlated scores on the same patients (second one coarser, so with ties)
    y = rng.binomial(1, 0.45, 400)
    common = rng.normal(0, 1, 400)
    s1 = 0.9 * y + 0.7 * common + 0.7 * rng.normal(0, 1, 400)
    s2 = 0.6 * y + 0.7 * common + 0.7 * rng.normal(0, 1, 400)
    write("paired", pd.DataFrame({"y": y, "score1": np.round(s1, 6), "score2": np.round(s2, 1)}))

    # two independent groups of patients for the unpaired comparison
    for name, n, shift in (("unpaired_a", 180, 1.1), ("unpaired_b", 240, 0.7)):
        y = rng.binomial(1, 0.4, n)
        write(name, pd.DataFrame({"y": y, "score": np.round(rng.normal(shift * y, 1.0), 2)}))

    # four correlated scores on the same patients (the omnibus test of equal AUCs); its own stream, so
    # the data sets above are unchanged
    rng = np.random.default_rng(20261130)
    y = rng.binomial(1, 0.4, 250)
    common = rng.normal(0, 1, 250)
    scores = {f"score{i + 1}": np.round(shift * y + 0.6 * common + 0.8 * rng.normal(0, 1, 250), digits)
              for i, (shift, digits) in enumerate(((1.0, 6), (0.8, 1), (0.6, 6), (0.9, 0)))}
    write("four_scores", pd.DataFrame({"y": y, **scores}))


if __name__ == "__main__":  # importing (e.g. pytest --doctest-modules) must not write files
    main()
