"""Property tests: the AUC is the brute-force Mann-Whitney count, DeLong is the O(mn) variance,
intervals contain the estimate, label and direction flips give 1 - AUC."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds

# small data with many ties: scores drawn from few values
patients = st.integers(min_value=4, max_value=40).flatmap(
    lambda n: st.tuples(st.lists(st.booleans(), min_size=n, max_size=n),
                        st.lists(st.integers(min_value=0, max_value=6), min_size=n, max_size=n)))


def both_classes(pair):
    y = np.array(pair[0])
    return 2 <= y.sum() <= len(y) - 2


def brute_force(y, s):
    cases, controls = s[y], s[~y]
    psi = (cases[:, None] > controls[None, :]) + 0.5 * (cases[:, None] == controls[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    return psi.mean(), v10.var(ddof=1) / len(cases) + v01.var(ddof=1) / len(controls)


@settings(max_examples=50, deadline=None)
@given(patients.filter(both_classes))
def test_auc_and_delong_variance_equal_brute_force(pair):
    y, s = np.array(pair[0]), np.array(pair[1], dtype=float) / 3
    res = ds.roc(y, s)
    auc, var = brute_force(y, s)
    assert abs(res.auc.value - auc) < 1e-12
    assert abs(res.auc_variance() - var) < 1e-12


@settings(max_examples=50, deadline=None)
@given(patients.filter(both_classes))
def test_delong_interval_contains_auc(pair):
    res = ds.roc(np.array(pair[0]), np.array(pair[1]))
    assert res.auc.lower <= res.auc.value <= res.auc.upper
    assert 0 <= res.auc.lower and res.auc.upper <= 1


@settings(max_examples=50, deadline=None)
@given(patients.filter(both_classes))
def test_flipping_labels_or_direction_gives_one_minus_auc(pair):
    y, s = np.array(pair[0]), np.array(pair[1], dtype=float)
    auc = ds.roc(y, s).auc.value
    assert abs(ds.roc(~y, s).auc.value - (1 - auc)) < 1e-12
    assert abs(ds.roc(y, s, direction="lower").auc.value - (1 - auc)) < 1e-12
    assert abs(ds.roc(y, -s, direction="lower").auc.value - auc) < 1e-12


@settings(max_examples=50, deadline=None)
@given(patients.filter(both_classes))
def test_full_range_partial_auc_is_the_auc(pair):
    res = ds.roc(np.array(pair[0]), np.array(pair[1]))
    assert abs(res.partial_auc(specificity=(0, 1)).value - res.auc.value) < 1e-12
    assert abs(res.partial_auc(sensitivity=(0, 1)).value - res.auc.value) < 1e-12
    halves = res.partial_auc(specificity=(0, 0.37)).value + res.partial_auc(specificity=(0.37, 1)).value
    assert abs(halves - res.auc.value) < 1e-12


@settings(max_examples=50, deadline=None)
@given(patients.filter(both_classes))
def test_curve_counts_follow_the_rule(pair):
    y, s = np.array(pair[0]), np.array(pair[1], dtype=float)
    curve = ds.roc(y, s).curve
    for _, row in curve.iterrows():
        positive = s >= row["threshold"]
        assert row["tp"] == (positive & y).sum() and row["fp"] == (positive & ~y).sum()
