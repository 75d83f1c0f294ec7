"""diagstats._core.logistic: the batched weighted logistic fit."""

import numpy as np

from diagstats._core.logistic import fit_logistic_weighted


def _batch_with_a_separated_fit():
    rng = np.random.default_rng(4)
    X = np.column_stack([np.ones(8), [0, 0, 0, 0, 1, 1, 1, 1], rng.normal(size=8)])
    y = np.array([0, 1, 0, 0, 1, 1, 0, 1.0])
    weights = rng.integers(1, 5, size=(5, 8)).astype(float)
    weights[2] = [1, 0, 1, 1, 1, 1, 0, 1]  # y = 1 exactly where column 1 is 1: complete separation
    return X, y, weights


def test_each_fit_to_its_own_convergence_is_the_fit_alone():
    X, y, weights = _batch_with_a_separated_fit()
    beta, converged = fit_logistic_weighted(X, y, weights, each_to_its_own=True)
    assert converged.tolist() == [True, True, False, True, True]
    for b in range(len(weights)):
        alone, settled = fit_logistic_weighted(X, y, weights[b:b + 1])
        assert settled[0] == converged[b]
        np.testing.assert_allclose(beta[b], alone[0], rtol=1e-13, atol=1e-13)


def test_fitting_each_to_its_own_changes_converged_fits_below_the_tolerance_only():
    """By default converged fits take the separated fit's extra Newton steps too, which move them by less than tol."""
    X, y, weights = _batch_with_a_separated_fit()
    batched, converged = fit_logistic_weighted(X, y, weights)
    own, _ = fit_logistic_weighted(X, y, weights, each_to_its_own=True)
    assert not converged[2]
    np.testing.assert_allclose(np.delete(batched, 2, axis=0), np.delete(own, 2, axis=0), rtol=1e-9)
