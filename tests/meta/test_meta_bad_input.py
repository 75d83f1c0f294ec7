"""Bad input gives a DiagstatsError that names the argument and the fix."""

import pandas as pd
import pytest

import diagstats as ds
from diagstats.meta import _fit as _meta_fit
from diagstats.errors import ColumnError, ConvergenceError, DataError, DiagstatsError, OptionError
from .meta_fixtures import data


def test_fewer_than_three_studies_points_to_univariate():
    two = data("meta_studies").iloc[:2]
    with pytest.raises(DataError, match="at least 3 studies.*ds.meta.univariate"):
        ds.meta.bivariate(two)
    res = ds.meta.univariate(two, measure="sensitivity")     # the univariate model still works
    assert res.k == 2 and 0 < res.pooled.value < 1


def test_negative_counts():
    d = data("meta_studies").copy()
    d.loc[0, "fp"] = -1
    with pytest.raises(DataError, match="fp.*negative"):
        ds.meta.bivariate(d)
    with pytest.raises(DataError, match="fp.*negative"):
        ds.meta.univariate(d, measure="dor")


def test_study_without_diseased_patients():
    d = data("meta_studies").copy()
    d.loc[4, ["tp", "fn"]] = 0
    with pytest.raises(DataError, match="no diseased patients \\(study5\\).*sensitivity"):
        ds.meta.bivariate(d)
    # specificity alone is still defined
    assert ds.meta.univariate(d, measure="specificity").k == 10


def test_options_and_columns():
    d = data("meta_studies")
    with pytest.raises(OptionError, match="method='remll'.*Did you mean 'reml'"):
        ds.meta.bivariate(d, method="remll")
    with pytest.raises(OptionError, match="correction_control"):
        ds.meta.bivariate(d, correction_control="single")
    with pytest.raises(OptionError, match="correction"):
        ds.meta.bivariate(d, correction=0)
    with pytest.raises(ColumnError, match="tp='TP'"):
        ds.meta.bivariate(d, tp="TP")
    with pytest.raises(OptionError, match="measure"):
        ds.meta.univariate(d, measure="auc")
    with pytest.raises(OptionError, match="GLMM.*ratio"):
        ds.meta.univariate(d, measure="dor", method="GLMM")
    with pytest.raises(OptionError, match="nagq"):
        ds.meta.bivariate(d, method="glmm", nagq=0)
    with pytest.raises(OptionError, match="covariates"):
        ds.meta.bivariate(data("imaging"), method="glmm", covariates="pet")
    with pytest.raises(DataError, match="events is greater than n"):
        ds.meta.univariate(pd.DataFrame({"events": [5, 3], "n": [4, 9]}), measure="proportion")


def test_constant_covariate_rejected():
    d = data("imaging").assign(site="one")
    with pytest.raises(DataError, match="collinear or constant"):
        ds.meta.bivariate(d, covariates="site")


def test_non_convergence_reports_reason(monkeypatch):
    """If the optimiser stops away from a stationary point, the fit raises with the optimiser's reason."""
    real = _meta_fit.optimize.minimize

    def one_step(*args, **kwargs):
        kwargs["options"] = {"maxiter": 1}
        return real(*args, **kwargs)

    monkeypatch.setattr(_meta_fit.optimize, "minimize", one_step)
    with pytest.raises(ConvergenceError, match="did not converge: Maximum number of iterations.*gradient"):
        ds.meta.bivariate(data("auditc"))


def test_degenerate_but_valid_zero_heterogeneity():
    """Identical studies: tau^2 = 0 (boundary) is a valid answer, with a 0 lower bound."""
    d = pd.DataFrame({"tp": [40] * 5, "fp": [10] * 5, "fn": [10] * 5, "tn": [40] * 5})
    res = ds.meta.univariate(d, measure="sensitivity", method="REML")
    assert res.tau2.value == 0 and res.tau2.lower == 0
    assert res.pooled.value == pytest.approx(0.8)


@pytest.mark.parametrize("call, match", [
    (lambda: ds.meta.univariate(pd.DataFrame({"tp": [], "fp": [], "fn": [], "tn": []})),
     r"at least 2 studies \(rows of data\); got 0"),
    (lambda: ds.meta.bivariate(pd.DataFrame({"tp": [0, 1, 2], "fp": [3, 4, 5], "fn": [0, 1, 1], "tn": [9, 8, 7]})),
     r"1 studies in data have no diseased patients \(study 1\): tp \+ fn = 0"),
])
def test_study_count_messages_name_the_argument(call, match):
    """Found by the fuzz suite: "A meta-analysis needs at least 2 studies; got 0." and "8 studies have no
    diseased patients" named no argument; they now name data and the cells."""
    with pytest.raises(DataError, match=match):
        call()


def test_study_labels_that_are_neither_a_column_nor_a_list_are_refused_by_name():
    # found by the long fuzz profile: study=95 escaped as TypeError 'int' object is not iterable
    data = pd.DataFrame({"tp": [10, 20, 15], "fp": [2, 3, 4], "fn": [1, 2, 3], "tn": [30, 40, 35]})
    with pytest.raises(DataError, match=r"study=95 must be a column name or one label per study"):
        ds.meta.bivariate(data, study=95)


@pytest.mark.parametrize("fit", [ds.meta.bivariate, ds.meta.univariate])
def test_a_misspelt_correction_control_is_refused_with_glmm_too(fit):
    # found by the long fuzz profile: method='glmm' (which needs no correction) accepted ' zero_studies'
    data = pd.DataFrame({"tp": [10, 20, 15], "fp": [2, 3, 4], "fn": [1, 2, 3], "tn": [30, 40, 35]})
    with pytest.raises(OptionError, match="correction_control"):
        fit(data, method="glmm", correction_control=" zero_studies")


@pytest.mark.parametrize("n_points", [-0.1, [10, 20], 2])
def test_region_n_points_must_be_a_whole_number_of_at_least_3(n_points):
    # found by the long fuzz profile: -0.1 or an array escaped as TypeError
    fit = ds.meta.bivariate(pd.DataFrame({"tp": [10, 20, 15, 8], "fp": [2, 3, 4, 1], "fn": [1, 2, 3, 2],
                                          "tn": [30, 40, 35, 20]}))
    with pytest.raises(DiagstatsError, match="n_points"):
        fit.confidence_region(n_points=n_points)
