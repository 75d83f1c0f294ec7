"""t-alpha transformations in the bivariate model (Doebler, Holling & Boehning 2012; mada reitsma(alphasens=,
alphafpr=)): the fit on transformed sensitivities and FPRs against metafor 3.8.1 rma.mv(struct="UN") on the same
outcomes and delta-method variances (tests/reference/meta/*_peer_talpha.json, made by peer_talpha.R)."""

import numpy as np
import pytest

import diagstats as ds
from diagstats.errors import OptionError
from diagstats.meta import t_alpha
from .meta_fixtures import ref, tables

CASES = [("auditc", 0.5, 1.5), ("meta_studies", 1.3, 0.7)]


@pytest.mark.parametrize("name, a_sens, a_fpr", CASES)
@pytest.mark.parametrize("method", ["REML", "ML"])
def test_fit_matches_metafor_on_the_transformed_outcomes(name, a_sens, a_fpr, method):
    r = ref(f"{name}_peer_talpha")
    assert (r["alpha_sensitivity"], r["alpha_fpr"]) == (a_sens, a_fpr)
    fit = ds.meta.bivariate(tables(name), method=method, alpha_sensitivity=a_sens, alpha_fpr=a_fpr)
    assert fit.alpha == (a_sens, a_fpr)
    assert fit.mu == pytest.approx(r[method]["mu"], abs=1e-6)
    assert fit.sigma.ravel() == pytest.approx(np.ravel(r[method]["sigma"]), abs=1e-6)
    assert fit.mu_vcov.ravel() == pytest.approx(np.ravel(r[method]["vcov"]), abs=1e-6)
    assert fit.loglik == pytest.approx(r[method]["loglik"], abs=1e-6)
    # the summary point is the inverse transformation of mu
    assert t_alpha.transform(fit.sensitivity.value, a_sens) == pytest.approx(r[method]["mu"][0], abs=1e-6)
    assert t_alpha.transform(fit.false_positive_rate.value, a_fpr) == pytest.approx(r[method]["mu"][1], abs=1e-6)


def test_transformed_outcomes_and_variances_match_the_r_formula():
    r = ref("auditc_peer_talpha")
    cells = tables("auditc")
    zero = (cells[["tp", "fp", "fn", "tn"]] == 0).any(axis=1).to_numpy()
    tp, fp, fn, tn = (cells[c].to_numpy() + 0.5 * zero for c in ("tp", "fp", "fn", "tn"))
    y = np.column_stack([t_alpha.transform(tp / (tp + fn), 0.5), t_alpha.transform(fp / (fp + tn), 1.5)]).ravel()
    v = np.column_stack([t_alpha.within_variance(tp, tp + fn, 0.5), t_alpha.within_variance(fp, fp + tn, 1.5)]).ravel()
    assert y == pytest.approx(r["yi"], rel=1e-12)
    assert v == pytest.approx(r["vi"], rel=1e-12)


@pytest.mark.parametrize("a", [0.05, 0.5, 1.0, 1.5, 1.95])
def test_inverse_undoes_the_transformation_in_the_tails(a):
    x = np.array([1e-9, 1e-4, 0.01, 0.3, 0.5, 0.77, 0.999, 1 - 1e-9])
    assert t_alpha.inverse(t_alpha.transform(x, a), a) == pytest.approx(x, rel=1e-10)
    assert t_alpha.inverse(np.array([-np.inf, np.inf]), a).tolist() == [0.0, 1.0]
    assert np.isnan(t_alpha.inverse(np.nan, a))
    assert t_alpha.transform(0.5, 1.0) == 0.0 and t_alpha.within_variance(30, 40, 1.0) == pytest.approx(1 / 30 + 1 / 10)


def test_alpha_one_is_the_logit_model_and_nearby_alphas_are_continuous():
    studies = tables("auditc")
    logit_fit = ds.meta.bivariate(studies)
    explicit = ds.meta.bivariate(studies, alpha_sensitivity=1, alpha_fpr=1.0)
    assert explicit.to_frame().equals(logit_fit.to_frame())
    near = ds.meta.bivariate(studies, alpha_sensitivity=1 + 1e-7, alpha_fpr=1 - 1e-7)
    for name in ("sensitivity", "specificity", "lr_positive", "lr_negative", "dor"):
        a, b = getattr(near, name), getattr(logit_fit, name)
        assert [a.value, a.lower, a.upper] == pytest.approx([b.value, b.lower, b.upper], rel=1e-5)
    assert list(near.dor_prediction()) == pytest.approx(list(logit_fit.dor_prediction()), rel=1e-5)
    assert near.auc == pytest.approx(logit_fit.auc, rel=1e-6)
    assert near.sroc()["sensitivity"].to_numpy() == pytest.approx(logit_fit.sroc()["sensitivity"].to_numpy(), rel=1e-5)


def test_derived_measures_and_curves_are_back_transformed():
    fit = ds.meta.bivariate(tables("auditc"), alpha_sensitivity=0.5, alpha_fpr=1.5)
    sens, fpr = fit.sensitivity.value, fit.false_positive_rate.value
    assert fit.lr_positive.value == pytest.approx(sens / fpr)
    assert fit.dor.value == pytest.approx(sens * (1 - fpr) / ((1 - sens) * fpr))
    assert fit.sensitivity.lower < sens < fit.sensitivity.upper
    curve = fit.sroc([fpr])
    assert curve["sensitivity"].iloc[0] == pytest.approx(sens, rel=1e-10)   # the SROC line passes the summary point
    region = fit.confidence_region(n_points=400)
    assert region["sensitivity"].min() < sens < region["sensitivity"].max()
    assert region["fpr"].min() < fpr < region["fpr"].max()
    lower, upper = fit.dor_prediction()
    assert lower < fit.dor.lower < fit.dor.value < fit.dor.upper < upper
    pv = fit.predictive_values(0.2, n_draws=20_000)
    ppv = sens * 0.2 / (sens * 0.2 + fpr * 0.8)
    assert pv.loc[pv["measure"] == "ppv", "value"].iloc[0] == pytest.approx(ppv, abs=0.01)
    assert "t-alpha" in fit.sensitivity.method and any("Doebler" in n for n in fit.notes)
    assert "t-alpha" in str(fit)


@pytest.mark.parametrize("bad", [0, 2, -1, 2.5, np.nan, "1", True, None])
def test_bad_alpha_names_the_argument(bad):
    with pytest.raises(OptionError, match="alpha_sensitivity"):
        ds.meta.bivariate(tables("auditc"), alpha_sensitivity=bad)
    with pytest.raises(OptionError, match="alpha_fpr"):
        ds.meta.bivariate(tables("auditc"), alpha_fpr=bad)


def test_alpha_is_refused_with_the_glmm_and_with_covariate():
    with pytest.raises(OptionError, match="method='glmm'"):
        ds.meta.bivariate(tables("auditc"), method="glmm", alpha_sensitivity=0.5)
    imaging = tables("imaging")
    with pytest.raises(OptionError, match="covariate="):
        ds.meta.bivariate(imaging, covariate="modality", alpha_fpr=1.5)
