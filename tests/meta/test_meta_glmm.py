"""Binomial GLMMs against R lme4 1.1.31 glmer (Laplace = nAGQ 1; adaptive quadrature nAGQ 9)."""

import numpy as np
import pytest

import diagstats as ds
from .meta_fixtures import data, ref, tables


@pytest.mark.parametrize("name", ["meta_studies", "imaging"])
@pytest.mark.parametrize("source", ["oracle", "extra"])
def test_bivariate_glmm_laplace_matches_lme4(name, source):
    """Tolerance 1e-4 (relative): lme4's bobyqa stopping rule and its finite-difference Hessian for vcov."""
    r = ref(f"{name}_{source}")["glmm_laplace"]
    res = ds.meta.bivariate(tables(name), method="glmm")
    mu_sens, mu_fpr = res.mu
    assert [mu_sens, -mu_fpr] == pytest.approx([r["logit_sens"], r["logit_spec"]], rel=1e-4)
    assert np.sqrt(np.diag(res.mu_vcov)) == pytest.approx(r["se"], rel=1e-4)
    assert [res.tau2[0], res.tau2[1]] == pytest.approx([r["var_sens"], r["var_spec"]], rel=1e-4)
    assert -res.rho == pytest.approx(r["cor_sens_spec"], rel=1e-4)
    assert res.loglik == pytest.approx(r["loglik"], abs=1e-4)
    assert "no continuity correction" in " ".join(res.notes)


def test_proportion_glmm_agq_matches_lme4():
    """9-node adaptive Gauss-Hermite quadrature against glmer(nAGQ=9): 1e-6 relative."""
    r = ref("biopsy_series_extra")["glmm_agq9"]
    res = ds.meta.univariate(data("biopsy_series"), measure="proportion", events="correct", method="GLMM", nagq=9)
    assert res.estimate.value == pytest.approx(r["logit"], rel=1e-6)
    assert res.se == pytest.approx(r["se"], rel=1e-5)      # finite-difference Hessians on both sides
    assert res.tau2.value == pytest.approx(r["tau2"], rel=1e-5)


def test_proportion_glmm_laplace_matches_lme4():
    r = ref("biopsy_series_extra")["glmm_laplace"]
    res = ds.meta.univariate(data("biopsy_series"), measure="proportion", events="correct", method="GLMM", nagq=1)
    assert res.estimate.value == pytest.approx(r["logit"], rel=1e-4)
    assert res.tau2.value == pytest.approx(r["tau2"], rel=1e-4)
    loglik = float(res.notes[0].rsplit(" ", 1)[1])
    assert loglik >= r["loglik"] - 1e-6      # our optimum is at least as good as lme4's


def test_quadrature_converges_with_nodes():
    d = data("meta_studies")
    fits = [ds.meta.bivariate(d, method="glmm", nagq=q) for q in (1, 9, 15)]
    # more nodes: the integral settles (9 vs 15 nodes agree far better than Laplace vs 9)
    assert abs(fits[1].loglik - fits[2].loglik) < 1e-4 < abs(fits[0].loglik - fits[1].loglik)
    assert fits[1].mu == pytest.approx(fits[2].mu, rel=1e-5)
