"""Regression tests for what the fuzz suite (tests/fuzz) found in the meta-analyses."""

import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DataError


def test_too_many_covariate_terms_names_covariates():
    """Found by the fuzz suite: "8 studies are too few for 7 covariate terms" named no argument."""
    data = pd.DataFrame({"study": [f"s{i}" for i in range(8)], "tp": [10, 20, 3, 5, 6, 7, 8, 9],
                         "fp": [3, 5, 2, 2, 3, 4, 5, 1], "fn": [4, 6, 1, 2, 3, 1, 2, 3],
                         "tn": [30, 40, 20, 21, 22, 23, 24, 25]})
    with pytest.raises(DataError, match=r"7 covariate terms \(covariates=\['study'\]\)"):
        ds.meta.bivariate(data, covariates="study")


def test_univariate_heterogeneity_rows_have_no_level():
    """Found by the fuzz suite (KNOWN_OPEN 'heterogeneity_level'): the I2, H2 and Q rows of ds.meta.univariate
    carried level 0.95 and a method but no interval; a value without an interval has a NaN level."""

    result = ds.meta.univariate(pd.DataFrame({"events": [3, 5, 8, 2], "n": [10, 12, 15, 9]}), measure="proportion")
    frame = result.to_frame().set_index("measure")
    rows = frame.loc[["I2", "H2", "Q"]]
    assert rows[["lower", "upper", "level"]].isna().all().all()
    assert rows["value"].tolist() == pytest.approx([result.i2, result.h2, result.q.statistic])
    assert rows["method"].tolist() == ["Higgins & Thompson", "Higgins & Thompson", "Cochran Q, df 3, p 0.4531"]
    assert frame.loc[["proportion", "tau2"], "level"].tolist() == [0.95, 0.95]  # the rows with an interval keep it


def test_bivariate_identical_studies_warn_nothing():
    """Found by the fuzz suite (KNOWN_OPEN 'dependency_warnings'): ds.meta.bivariate on studies whose logits do
    not vary let numpy's "invalid value encountered in divide" (np.corrcoef of a starting value) reach the user;
    the starting correlation is now 0 without dividing."""
    import warnings

    data = pd.DataFrame({"study": [f"s{i}" for i in range(5)], "tp": [1] * 5, "fp": [1] * 5, "fn": [1] * 5,
                         "tn": [1] * 5, "x": [0.0] * 5})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = ds.meta.bivariate(data)
    assert result.sensitivity.value == pytest.approx(0.5) and result.specificity.value == pytest.approx(0.5)


def test_covariate_difference_interval_stays_within_minus_one_and_one():
    """Found by the fuzz suite: with few small studies per level, the delta-method interval of a specificity
    difference in ``bivariate(covariate=)`` reached past 1; it is clipped, and a note gives the unclipped one."""
    data = pd.DataFrame({"tp": [3, 3, 3, 1, 0, 2], "fp": [3, 3, 0, 1, 0, 1], "fn": [2, 1, 2, 2, 1, 2],
                         "tn": [0, 0, 7, 7, 5, 5], "m": ["a", "a", "a", "b", "b", "b"], "study": list("pqrstu")})
    difference = {e.name: e for e in ds.meta.bivariate(data, covariate="m", study="study").comparisons["b"]}
    spec = difference["specificity_difference"]
    assert -1 <= spec.lower <= spec.value <= spec.upper == 1.0
    assert any(n.startswith("specificity_difference interval clipped to [-1, 1] (the delta-method interval was")
               for n in spec.notes)


STUDIES = pd.DataFrame({"tp": [30, 69, 44, 62, 27], "fp": [5, 7, 1, 12, 13], "fn": [2, 2, 7, 5, 10],
                        "tn": [135, 65, 150, 77, 85]})


@pytest.mark.parametrize("fit", [lambda **kw: ds.meta.bivariate(STUDIES, **kw),
                                 lambda **kw: ds.meta.univariate(STUDIES, **kw),
                                 lambda **kw: ds.meta.bivariate(STUDIES, method="glmm", **kw),
                                 lambda **kw: ds.meta.univariate(STUDIES, method="glmm", **kw),
                                 lambda **kw: ds.meta.proportional_hazards(STUDIES, **kw)])
def test_a_continuity_correction_outside_0_to_1_is_refused(fit):
    """Found by the long fuzz profile: correction=1e19 reached the fits (numpy's divide-by-zero warnings), and the
    GLMMs, which use no correction, accepted correction=-1."""
    for bad in (-1.0, 1e19, 2**63):
        with pytest.raises(ds.OptionError, match="correction="):
            fit(correction=bad)
    assert fit(correction=1.0) is not None


def test_mantel_haenszel_of_one_study_says_why_q_is_missing():
    """Found by the long fuzz profile: Q and its p-value were NaN with no note."""
    res = ds.meta.mantel_haenszel(STUDIES.head(1))
    assert res.q.notes == ("one study: no heterogeneity test (Q compares at least 2 studies)",)
    q = res.to_frame().set_index("measure").loc["Q"]
    assert q["notes"] == res.q.notes[0] and q["method"] == "Cochran Q, df 0, p NA"
    assert res.title.endswith("(1 study)")
