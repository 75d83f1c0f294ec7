"""ds.pathway.combine: parity with epiR rsu.dxtest, k-of-n against brute force, sequential counts, bad input."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

import diagstats as ds
from diagstats.errors import DiagstatsError

FIXTURE = json.loads((Path(__file__).parents[1] / "reference" / "pathway" / "epir_rsu_dxtest.json").read_text())


def _epir_covariance(n: int, covariance: float) -> np.ndarray | float:
    """epiR's one covariance: between the two tests, or between tests 2 and 3 of three."""
    if n == 2:
        return covariance
    matrix = np.zeros((n, n))
    matrix[1, 2] = matrix[2, 1] = covariance
    return matrix


@pytest.mark.parametrize("row", FIXTURE["rows"], ids=lambda r: f"{r['case']}, {r['interpretation']}")
def test_parity_with_epir_rsu_dxtest(row):
    n = len(row["se"])
    res = ds.pathway.combine(row["se"], row["sp"], row["interpretation"],
                             cov_positive=_epir_covariance(n, row["covar"][0]),
                             cov_negative=_epir_covariance(n, row["covar"][1]))
    assert res.sensitivity.value == pytest.approx(row["se_dependent"], rel=1e-6)
    assert res.specificity.value == pytest.approx(row["sp_dependent"], rel=1e-6)
    assert res.sensitivity_independent.value == pytest.approx(row["se_independent"], rel=1e-6)
    assert res.specificity_independent.value == pytest.approx(row["sp_independent"], rel=1e-6)


def test_the_documented_epir_numbers():
    """The numbers ?rsu.dxtest states in its examples (3 decimals), besides the fixture."""
    res = ds.pathway.combine([0.90, 0.95], [0.80, 0.85], "series")
    assert (round(res.sensitivity.value, 3), round(res.specificity.value, 3)) == (0.855, 0.970)
    res = ds.pathway.combine([0.784, 0.926], [0.951, 0.979], "parallel", cov_positive=0.035, cov_negative=-0.001)
    assert (round(res.sensitivity.value, 3), round(res.specificity.value, 3)) == (0.949, 0.930)
    cov_d, cov_n = _epir_covariance(3, 0.063), _epir_covariance(3, 0.042)
    res = ds.pathway.combine([0.910, 0.907, 0.930], [0.955, 0.934, 0.927], "parallel", cov_positive=cov_d,
                             cov_negative=cov_n)
    assert (round(res.sensitivity.value, 3), round(res.specificity.value, 3)) == (0.994, 0.867)
    res = ds.pathway.combine([0.910, 0.907, 0.930], [0.955, 0.934, 0.927], "series", cov_positive=cov_d,
                             cov_negative=cov_n)
    assert (round(res.sensitivity.value, 3), round(res.specificity.value, 3)) == (0.825, 0.998)


def test_k_of_n_under_independence_matches_brute_force():
    se, sp = [0.8, 0.7, 0.9, 0.6], [0.9, 0.85, 0.7, 0.95]
    for k in range(1, 5):
        res = ds.pathway.combine(se, sp, k)
        want_se = want_sp = 0.0
        for x in itertools.product([0, 1], repeat=4):
            p_d = np.prod([s if b else 1 - s for s, b in zip(se, x)])
            p_n = np.prod([1 - s if b else s for s, b in zip(sp, x)])
            if sum(x) >= k:
                want_se += p_d
            else:
                want_sp += p_n
        assert res.sensitivity.value == pytest.approx(want_se, rel=1e-12)
        assert res.specificity.value == pytest.approx(want_sp, rel=1e-12)
    assert ds.pathway.combine(se, sp, 4).rule == "series" and ds.pathway.combine(se, sp, 1).rule == "parallel"


def test_dependence_keeps_the_pairwise_joint_probabilities():
    """The Bahadur model's two-test margins are exactly Se_i Se_j + c_ij: 2-of-3 by inclusion-exclusion."""
    se = np.array([0.8, 0.7, 0.9])
    cov = np.array([[0, 0.02, -0.01], [0.02, 0, 0.01], [-0.01, 0.01, 0]])
    both = lambda i, j: se[i] * se[j] + cov[i, j]  # noqa: E731
    all3 = ds.pathway.combine(se, [0.9] * 3, "series", cov_positive=cov).sensitivity.value
    at_least_two = both(0, 1) + both(0, 2) + both(1, 2) - 2 * all3
    assert ds.pathway.combine(se, [0.9] * 3, 2, cov_positive=cov).sensitivity.value == pytest.approx(at_least_two)
    # three-way interaction zero: P(all positive) = product + sum of c_ij times the third probability
    want = se.prod() + cov[0, 1] * se[2] + cov[0, 2] * se[1] + cov[1, 2] * se[0]
    assert all3 == pytest.approx(want, rel=1e-12)


def test_sequential_counts_per_thousand():
    res = ds.pathway.combine([0.9, 0.8], [0.7, 0.95], "series", prevalence=0.1, names=["x-ray", "mri"])
    counts = res.counts.set_index("measure")["value"]
    # in series the second test is done only after a positive first one
    assert counts["x-ray done"] == pytest.approx(1000)
    assert counts["mri done"] == pytest.approx(1000 * (0.1 * 0.9 + 0.9 * 0.3))
    assert counts["missed (false negatives)"] == pytest.approx(100 * (1 - 0.72))
    assert counts["called positive"] == pytest.approx(100 * 0.72 + 900 * 0.3 * 0.05)
    assert counts["true positives"] + counts["missed (false negatives)"] == pytest.approx(100)
    par = ds.pathway.combine([0.9, 0.8], [0.7, 0.95], "parallel", prevalence=0.1).counts.set_index("measure")["value"]
    assert par["test 2 done"] == pytest.approx(1000 * (0.1 * 0.1 + 0.9 * 0.7))
    two_of_three = ds.pathway.combine([0.9, 0.8, 0.7], [0.7, 0.95, 0.8], 2, prevalence=0.5)
    done = two_of_three.counts.set_index("measure")["value"]
    # the third test only when the first two disagree
    disagree = 0.5 * (0.9 * 0.2 + 0.1 * 0.8) + 0.5 * (0.3 * 0.95 + 0.7 * 0.05)
    assert done["test 3 done"] == pytest.approx(1000 * disagree)
    frame = two_of_three.to_frame()
    assert list(frame["part"].unique()) == ["combined", "per 1,000 patients"]


@pytest.mark.parametrize("kwargs, argument", [
    ({"cov_positive": 0.2}, "cov_positive"),
    ({"cov_negative": -0.5}, "cov_negative"),
    ({"sensitivity": [0.9, 1.2]}, "sensitivity"),
    ({"specificity": [0.9, 0.8, 0.7]}, "specificity"),
    ({"sensitivity": [0.9]}, "sensitivity"),
    ({"rule": 3}, "rule"),
    ({"rule": 0}, "rule"),
    ({"rule": "both"}, "rule"),
    ({"rule": True}, "rule"),
    ({"prevalence": 2}, "prevalence"),
    ({"names": ["a", "a"]}, "names"),
    ({"cov_positive": [[0, 0.01], [0.02, 0]]}, "cov_positive"),
    ({"cov_positive": "0.1"}, "cov_positive"),
])
def test_bad_input_is_refused_naming_the_argument(kwargs, argument):
    args = {"sensitivity": [0.9, 0.8], "specificity": [0.7, 0.95], "rule": "series", **kwargs}
    with pytest.raises(DiagstatsError, match=argument):
        ds.pathway.combine(**args)


def test_a_covariance_outside_its_bounds_states_the_admissible_range():
    with pytest.raises(DiagstatsError, match=r"cov_positive=0.2 .* from -0.02 to 0.08"):
        ds.pathway.combine([0.9, 0.8], [0.7, 0.95], cov_positive=0.2)
    three = np.zeros((3, 3))
    with pytest.raises(DiagstatsError, match="3 tests"):
        ds.pathway.combine([0.9, 0.8, 0.7], [0.7, 0.95, 0.9], cov_positive=0.01)
    three[0, 1] = three[1, 0] = 0.5
    with pytest.raises(DiagstatsError, match=r"cov_positive\[0, 1\]"):
        ds.pathway.combine([0.9, 0.8, 0.7], [0.7, 0.95, 0.9], cov_positive=three)


def test_covariances_at_their_bounds_are_valid():
    se = [0.9, 0.8]
    top = ds.pathway.combine(se, [0.7, 0.95], "series", cov_positive=0.8 - 0.72)
    assert top.sensitivity.value == pytest.approx(0.8)   # the weaker test positive implies the other
    bottom = ds.pathway.combine(se, [0.7, 0.95], "parallel", cov_positive=0.7 - 0.72)
    assert bottom.sensitivity.value == pytest.approx(1.0)


def test_the_result_prints_and_keeps_the_contract():
    from diagstats.results import check_contract

    res = ds.pathway.combine([0.9, 0.8], [0.7, 0.95], prevalence=0.2)
    check_contract(res)
    assert "no interval" in str(res)
    assert np.isnan(res.sensitivity.lower)
