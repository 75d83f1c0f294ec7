"""ds.latent_class against published two-class fits of classic diagnostic data sets.

Both data sets and the printed estimates come from the example vignette of the R package randomLCA
(vignettes/randomLCA-exampleTex.tex, Sweave output of 2014, CRAN mirror cran/randomLCA at commit
19844c8), which reproduces the two-class models of the original papers. Those fits are maximum
likelihood to the printed digits (randomLCA's small likelihood penalty moves them by less than the
last printed digit; its later vignettes use a larger penalty and differ in the fourth decimal).
"""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds


def expand(counts: dict[str, int], tests: list[str]) -> pd.DataFrame:
    """One row per patient from {response pattern: count}, e.g. {"1011": 4}."""
    patterns = np.array([[int(c) for c in p] for p in counts], dtype=int)
    return pd.DataFrame(np.repeat(patterns, list(counts.values()), axis=0), columns=tests)


# Rindskopf D, Rindskopf W (1986). The value of latent class analysis in medical diagnosis. Stat Med
# 5:21-27: four tests for myocardial infarction in 94 patients (Q wave on ECG, clinical history, LDH,
# CPK); the patterns never observed have count 0.
MYOCARDIAL_TESTS = ["q_wave", "history", "ldh", "cpk"]
MYOCARDIAL = {"1111": 24, "0111": 5, "1011": 4, "0011": 3, "1101": 3, "0101": 5, "1001": 2, "0001": 7,
              "0010": 1, "0100": 7, "0000": 33}

# Qu Y, Tan M, Kutner MH (1996). Random effects models in latent class analysis for evaluating accuracy
# of diagnostic tests. Biometrics 52:797-810: five dentists' readings of 3869 dental X-rays
# (Handelman et al.); patterns in binary order 00000 to 11111 with dentist 1 first.
DENTISTRY_TESTS = ["dentist1", "dentist2", "dentist3", "dentist4", "dentist5"]
DENTISTRY_COUNTS = [1880, 789, 43, 75, 23, 63, 8, 22, 188, 191, 17, 67, 15, 85, 8, 56,
                    22, 26, 6, 14, 1, 20, 2, 17, 2, 20, 6, 27, 3, 72, 1, 100]
DENTISTRY = {format(i, "05b"): c for i, c in enumerate(DENTISTRY_COUNTS)}


def test_myocardial_infarction_two_class_model_matches_the_published_fit():
    data = expand(MYOCARDIAL, MYOCARDIAL_TESTS)
    res = ds.latent_class(data, tests=MYOCARDIAL_TESTS, n_boot=50)
    assert res.n == 94 and res.converged and res.df == 6
    # randomLCA prints class probability 0.4578 and outcome probabilities (diseased class: sensitivity;
    # other class: 1 - specificity) to four decimals
    published_sensitivity = [0.7668, 0.7914, 0.8279, 1.0000]
    published_false_positive = [0.0000, 0.1951, 0.0269, 0.1955]
    assert res.prevalence["all"].value == pytest.approx(0.4578, abs=5e-5)
    for test, se, fpr in zip(MYOCARDIAL_TESTS, published_sensitivity, published_false_positive):
        assert res.sensitivity[test].value == pytest.approx(se, abs=5e-5), test
        assert 1 - res.specificity[test].value == pytest.approx(fpr, abs=5e-5), test
    # printed logLik -180.6979 is the penalised fit's; the maximum is a little higher
    assert -180.6979 < res.log_likelihood < -180.6975
    # two estimates on the boundary, and the model says so
    assert any("boundary" in note for note in res.notes)


def test_dental_caries_two_class_model_matches_the_published_fit():
    data = expand(DENTISTRY, DENTISTRY_TESTS)
    res = ds.latent_class(data, tests=DENTISTRY_TESTS, n_boot=50)
    assert res.n == 3869 and res.converged and res.df == 20
    # randomLCA's outcomeProbs() to seven or eight decimals; its likelihood penalty moves them by up
    # to 2.5e-6 from the maximum-likelihood fit
    published_sensitivity = [0.4033508, 0.7128814, 0.5981284, 0.4888448, 0.9154706]
    published_false_positive = [0.01061849, 0.10198791, 0.01359123, 0.03156301, 0.30527875]
    for test, se, fpr in zip(DENTISTRY_TESTS, published_sensitivity, published_false_positive):
        assert res.sensitivity[test].value == pytest.approx(se, abs=1e-5), test
        assert 1 - res.specificity[test].value == pytest.approx(fpr, abs=1e-5), test
    # the five readers are conditionally dependent (the reason for Qu et al.'s random-effects model):
    # the fit is rejected and at least one pair of readers is flagged
    assert res.goodness_of_fit.p_value < 0.001
    assert res.dependence["flag"].any()
