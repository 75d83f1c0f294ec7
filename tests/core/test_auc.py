"""The AUC kernel: counts, bootstrap draws and case weights give sklearn's AUC; Hand & Till's M."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from diagstats._core.auc import (auc_from_counts, auc_from_draws, delong_covariance, hand_till, placements,
                                 weighted_auc, weighted_class_aucs)
from diagstats._core.bootstrap import count_matrix


def _data(seed, n=300, ties=True):
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.4
    s = rng.normal(y * 0.7, 1.0)
    return y, (np.round(s, 1) if ties else s)


@pytest.mark.parametrize("ties", [True, False])
def test_weighted_auc_equals_sklearn_with_sample_weight(ties):
    y, s = _data(1, ties=ties)
    w = np.random.default_rng(2).integers(0, 4, size=(3, y.size)).astype(float)
    w[2] = np.random.default_rng(3).random(y.size)                    # real-valued case weights too
    got = weighted_auc(np.tile(s, (3, 1)), y, w)
    want = [roc_auc_score(y, s, sample_weight=row) for row in w]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert weighted_auc(s, y)[0] == pytest.approx(roc_auc_score(y, s), rel=1e-12)


def test_bootstrap_multiplicities_draws_and_counts_agree_exactly():
    y, s = _data(4)
    values, ids = np.unique(s, return_inverse=True)
    case_pos, control_pos = np.flatnonzero(y), np.flatnonzero(~y)
    rng = np.random.default_rng(5)
    ci = rng.integers(0, case_pos.size, (40, case_pos.size))
    ki = rng.integers(0, control_pos.size, (40, control_pos.size))
    k = values.size
    from_draws = auc_from_draws(ids[case_pos][ci], ids[control_pos][ki], k)
    from_counts = auc_from_counts(count_matrix(ids[case_pos][ci], k), count_matrix(ids[control_pos][ki], k))
    np.testing.assert_array_equal(from_draws, from_counts)                 # bit for bit
    weights = count_matrix(np.hstack([case_pos[ci], control_pos[ki]]), y.size).astype(float)
    np.testing.assert_array_equal(weighted_auc(np.tile(s, (40, 1)), y, weights), from_draws)
    for b in (0, 17):
        idx = np.concatenate([case_pos[ci[b]], control_pos[ki[b]]])
        assert from_draws[b] == pytest.approx(roc_auc_score(y[idx], s[idx]), rel=1e-12)


def test_weighted_class_aucs_and_hand_till_match_sklearn_one_vs_one():
    rng = np.random.default_rng(6)
    y = rng.integers(0, 3, 240)
    proba = rng.dirichlet(np.ones(3), 240) + np.eye(3)[y] * 0.3
    proba /= proba.sum(axis=1, keepdims=True)
    w = np.ones((1, 1, y.size))
    pairs = np.stack([weighted_class_aucs(proba[None, :, i], y, w, i, 3)[0, 0] for i in range(3)])
    assert np.allclose(np.diag(pairs), 0.5)
    m = hand_till(pairs)
    assert m == pytest.approx(roc_auc_score(y, proba, multi_class="ovo"), rel=1e-12)
    pair = (y == 0) | (y == 1)
    assert pairs[0, 1] == pytest.approx(roc_auc_score(y[pair] == 0, proba[pair, 0]), rel=1e-12)


def test_undefined_auc_is_nan():
    assert np.isnan(weighted_auc(np.array([[1.0, 2.0]]), np.array([True, True]))[0])


def test_placements_give_the_auc_and_delong_covariance_is_symmetric():
    y, s = _data(7)
    values, ids = np.unique(s, return_inverse=True)
    cases, controls = np.bincount(ids[y], minlength=values.size), np.bincount(ids[~y], minlength=values.size)
    case_pl, control_pl = placements(cases, controls)
    auc = roc_auc_score(y, s)
    assert np.dot(cases, case_pl) / cases.sum() == pytest.approx(auc, rel=1e-12)
    assert np.dot(controls, control_pl) / controls.sum() == pytest.approx(auc, rel=1e-12)
    per_patient = (case_pl[ids[y]], control_pl[ids[~y]])
    cov = delong_covariance([per_patient, per_patient])
    assert cov.shape == (2, 2) and np.allclose(cov, cov[0, 0])
