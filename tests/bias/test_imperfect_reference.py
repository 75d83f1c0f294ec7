"""ds.correct_reference (Gart & Buck 1966; Staquet et al. 1981)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds
from diagstats.bias.imperfect_reference import _estimates_and_gradients


def expected_table(n, prev, se, sp, se_r, sp_r):
    """Cell counts of index test vs reference expected under conditional independence."""
    tp = n * (prev * se * se_r + (1 - prev) * (1 - sp) * (1 - sp_r))
    fp = n * (prev * se * (1 - se_r) + (1 - prev) * (1 - sp) * sp_r)
    fn = n * (prev * (1 - se) * se_r + (1 - prev) * sp * (1 - sp_r))
    tn = n - tp - fp - fn
    return tp, fp, fn, tn


@settings(max_examples=50, deadline=None)
@given(st.floats(0.05, 0.95), st.floats(0.55, 0.99), st.floats(0.55, 0.99), st.floats(0.6, 1.0),
       st.floats(0.6, 1.0))
def test_correction_recovers_the_true_accuracy_from_expected_counts(prev, se, sp, se_r, sp_r):
    cells = expected_table(1e6, prev, se, sp, se_r, sp_r)
    values, _ = _estimates_and_gradients(np.array(cells), se_r, sp_r)
    assert values["sensitivity"] == pytest.approx(se, rel=1e-9)
    assert values["specificity"] == pytest.approx(sp, rel=1e-9)
    assert values["prevalence"] == pytest.approx(prev, rel=1e-9)


def test_a_perfect_reference_changes_nothing():
    observed = ds.accuracy(tp=40, fp=10, fn=5, tn=45)
    res = ds.correct_reference(observed, reference_sensitivity=1.0, reference_specificity=1.0)
    assert res.sensitivity.value == pytest.approx(observed.sensitivity.value)
    assert res.specificity.value == pytest.approx(observed.specificity.value)
    assert res.prevalence.value == pytest.approx(observed.prevalence.value)


def test_delta_method_gradient_matches_finite_differences():
    counts = np.array([85.0, 33.0, 16.0, 266.0])
    _, grads = _estimates_and_gradients(counts, 0.9, 0.97)
    for name, grad in grads.items():
        numeric = []
        for i in range(4):
            step = np.zeros(4)
            step[i] = 1e-5
            hi, _ = _estimates_and_gradients(counts + step, 0.9, 0.97)
            lo, _ = _estimates_and_gradients(counts - step, 0.9, 0.97)
            numeric.append((hi[name] - lo[name]) / 2e-5)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-10)


def test_interval_covers_truth_in_a_seeded_multinomial_study():
    """95% delta-method intervals on 400 seeded tables of n = 2000: coverage within Monte-Carlo error."""
    rng = np.random.default_rng(11)
    probs = np.array(expected_table(1, 0.3, 0.85, 0.9, 0.9, 0.97))
    tables = rng.multinomial(2000, probs, size=400)
    covered = [ds.correct_reference(ds.accuracy(tp=a, fp=b, fn=c, tn=d), reference_sensitivity=0.9,
                                    reference_specificity=0.97).sensitivity.contains(0.85)
               for a, b, c, d in tables]
    assert 0.92 <= np.mean(covered) <= 0.98


def test_incompatible_data_raise_a_clear_error():
    # a reference with 70% specificity cannot give a table this clean
    observed = ds.accuracy(tp=50, fp=1, fn=1, tn=148)
    with pytest.raises(ds.DataError, match="incompatible with reference_sensitivity=0.9 and reference_spec"):
        ds.correct_reference(observed, reference_sensitivity=0.9, reference_specificity=0.7)


def test_bad_options():
    observed = ds.accuracy(tp=50, fp=10, fn=5, tn=100)
    with pytest.raises(ds.OptionError, match="must exceed 1"):
        ds.correct_reference(observed, reference_sensitivity=0.5, reference_specificity=0.5)
    with pytest.raises(ds.OptionError, match="reference_specificity"):
        ds.correct_reference(observed, reference_sensitivity=0.9, reference_specificity=97)
    with pytest.raises(ds.DataError, match="accuracy_result must be the result of ds.accuracy"):
        ds.correct_reference({"tp": 1}, reference_sensitivity=0.9, reference_specificity=0.9)
    # fuzz finding (long profile): an empty or longer list reached float() and raised numpy's TypeError
    for bad in ([], [0.9, 0.8]):
        with pytest.raises(ds.OptionError, match=r"reference_sensitivity=\[.*\] must be a single number"):
            ds.correct_reference(observed, reference_sensitivity=bad, reference_specificity=0.9)


def test_result_display():
    res = ds.correct_reference(ds.accuracy(tp=85, fp=33, fn=16, tn=266), reference_specificity=0.97)
    assert res.reference_sensitivity == 0.9
    frame = res.to_frame()
    assert list(frame["analysis"].unique()) == ["corrected", "against imperfect reference"]
    assert "imperfect reference" in str(res)
