"""Roe-Metz-Hillis <-> Obuchowski-Rockette parameters (ds.simulate.rmh_to_or, ds.simulate.or_to_rmh; Hillis 2018,
Hillis, Smith & Chen 2022) and simulating studies like a pilot (ds.simulate.roe_metz(parameters=...)).

MRMCaov (GPL; its ``RMH_to_OR`` / ``OR_to_RMH``) does not install from the system packages here, and its
documentation prints no outputs of these functions; its examples' inputs are used (Van Dyke, Franken and Kundel OR
values; Roe & Metz's and Hillis' (2012) Table 1 lines), with what the documentation says of them: the OR values of
the fitted model equal the inputs (example 1a), within rounding with b given or from a mean-to-sigma ratio (1b, 1c),
and not for Cov2 < Cov3 (Franken, 2b); applying ``OR_to_RMH`` to the OR values of an RMH model gives the model back.

The mapping itself is checked two independent ways: each error (co)variance against a direct one-dimensional
integration of the empirical AUC's covariance (Hoeffding's decomposition of the two-sample U statistic, reader
effects 0), and the whole map by Monte Carlo: 1,200 studies of 6 readers simulated from the RMH model fitted to the
Van Dyke OR values (``diagstats.studies.or_parameters_validation``, through ``ds.simulate.study``, about 20 s on one
core), whose average OR estimates (``ds.reader_study``, unbiased covariances) are within 4 Monte Carlo standard errors
of the model's OR values (standard errors from the replicates: about 1% of Var(error), Cov1, Cov2 and Cov3, 3% of
Var(R), 5% of Var(TxR), 0.0009 of the AUCs).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

import diagstats as ds
from diagstats._core.bivariate_normal import bivariate_normal_cdf
from diagstats.errors import DataError, DiagstatsError, OptionError
from diagstats.results import check_contract
from diagstats.studies import or_parameters_validation

#: MRMCaov's OR_to_RMH example 1a (the Van Dyke study's OR estimates).
VAN_DYKE = {"auc": (0.897, 0.941), "var_r": 0.00154, "var_tr": 0.000208, "corr1": 0.433, "corr2": 0.430,
            "corr3": 0.299, "var_error": 0.000788, "n_nondiseased": 69, "n_diseased": 45}
#: MRMCaov's OR_to_RMH example 2b: the Franken and Kundel studies (Cov2 < Cov3 in both).
FRANKEN = {"auc": (0.8477498869, 0.8368950701), "var_r": 0.0000433385, "var_tr": 0.0, "corr1": 0.521430051,
           "corr2": 0.319691199, "corr3": 0.3386375697, "var_error": 0.0014967254, "n_nondiseased": 33,
           "n_diseased": 67}
KUNDEL = {"auc": (0.8038793103, 0.8413662487), "var_r": 0.0007340122, "var_tr": 0.0, "corr1": 0.507695244,
          "corr2": 0.3843523762, "corr3": 0.4035662578, "var_error": 0.002148844, "n_nondiseased": 66,
          "n_diseased": 29}
#: RMH models of MRMCaov's RMH_to_OR examples: Roe & Metz (1997) Table 1 lines 1, 6, 7, 8 and Hillis (2012) Table 1
#: lines 6-8 (unequal variances), and two of our own (n0 != n1, b > 1, three modalities).
MODELS = [
    {"n_nondiseased": 50, "n_diseased": 50, "delta": (0.75, 0.75), "var_r": 0.0055, "var_tr": 0.0055, "var_c": 0.3,
     "var_tc": 0.3, "var_rc": 0.2, "var_error": 0.2, "b": 1.0},
    *({"n_nondiseased": 25, "n_diseased": 10, "delta": (d, d), "var_r": v, "var_tr": v, "var_c": 0.1, "var_tc": 0.1,
       "var_rc": 0.2, "var_error": 0.6, "b": 1.0} for d, v in ((0.75, 0.011), (1.5, 0.03), (2.5, 0.056))),
    *({"n_nondiseased": 25, "n_diseased": 25, "delta": d, "var_r": v, "var_tr": v, "var_c": 0.1, "var_tc": 0.1,
       "var_rc": 0.2, "var_error": 0.6, "b": b}
      for d, v, b in (((0.821, 0.821), 0.0132, 0.84566), ((1.831, 1.831), 0.0447, 0.71082),
                      ((3.661, 3.611), 0.1201, 0.55140))),
    {"n_nondiseased": 69, "n_diseased": 45, "delta": (1.2, 1.9), "var_r": 0.05, "var_tr": 0.01, "var_c": 0.4,
     "var_tc": 0.1, "var_rc": 0.15, "var_error": 0.35, "b": 0.7},
    {"n_nondiseased": 30, "n_diseased": 80, "delta": (1.2, 1.9, 1.5), "var_r": 0.05, "var_tr": 0.01, "var_c": 0.4,
     "var_tc": 0.1, "var_rc": 0.15, "var_error": 0.35, "b": 1.6},
]
ROE_METZ_DEFAULTS = {"delta": (1.5, 1.5), "b": 1.0, "var_r": 0.0055, "var_tr": 0.0055, "var_c": 0.3, "var_tc": 0.3,
                     "var_rc": 0.2, "var_error": 0.2}


def _or_values(res: ds.simulate.ORParameters) -> np.ndarray:
    return np.r_[res.auc, list(res.components.values())]


def _plackett(h: float, k: float, rho: float) -> float:
    """F(h, k; rho) by Plackett's identity, integrated numerically (an independent reference)."""
    def f(t):
        return math.exp(-(h * h - 2 * h * k * math.sin(t) + k * k) / (2 * math.cos(t) ** 2))
    return float(stats.norm.cdf(h) * stats.norm.cdf(k)
                 + integrate.quad(f, 0, math.asin(rho), epsabs=1e-15, epsrel=1e-13)[0] / (2 * math.pi))


def test_bivariate_normal_cdf_is_exact():
    grid = [(h, k, r) for h in (-2.1, -0.3, 0.0, 0.4, 1.26, 3.0) for k in (-1.0, 0.0, 1.56, 2.5)
            for r in (0.0, 0.2, 0.5, 0.9, 0.999)]
    h, k, r = map(np.array, zip(*grid))
    assert np.allclose(bivariate_normal_cdf(h, k, r), [_plackett(*g) for g in grid], rtol=0, atol=1e-13)
    assert np.allclose(bivariate_normal_cdf([1.0, 0.0, -0.5], [2.0, 0.0, 0.3], 1.0), stats.norm.cdf([1.0, 0.0, -0.5]))


def _direct_covariance(delta, b, s2, shared, n0, n1):
    """Covariance of two empirical AUCs (reader effects 0) that share case components of variance ``shared`` (on the
    non-diseased scale; diseased / b^2), by one-dimensional integrals over the shared parts."""
    theta = stats.norm.cdf(delta / math.sqrt(s2 * (1 + 1 / b ** 2)))

    def both(mean, sd_shared, sd_rest):
        if sd_rest == 0:
            return theta
        f = lambda u: stats.norm.cdf((mean + u) / sd_rest) ** 2 * stats.norm.pdf(u, scale=sd_shared)  # noqa: E731
        return integrate.quad(f, -12 * sd_shared, 12 * sd_shared, epsabs=1e-14, epsrel=1e-12)[0]

    rest = s2 - shared
    p11 = both(delta, math.sqrt(shared * (1 + 1 / b ** 2)), math.sqrt(rest * (1 + 1 / b ** 2)))
    p10 = both(delta, math.sqrt(shared), math.sqrt(s2 / b ** 2 + rest))         # the non-diseased case shared
    p01 = both(delta, math.sqrt(shared / b ** 2), math.sqrt(s2 + rest / b ** 2))  # the diseased case shared
    return (p11 - theta ** 2 + (n1 - 1) * (p10 - theta ** 2) + (n0 - 1) * (p01 - theta ** 2)) / (n0 * n1)


@pytest.mark.parametrize("b", [0.6, 1.0, 1.7])
def test_error_covariances_equal_direct_integration(b):
    """Hillis (2018) for Var(error), Cov1, Cov2, Cov3 against Hoeffding's decomposition integrated directly (no
    reader effects, equal deltas): this also pins which case's share goes with n0 - 1 and which with n1 - 1."""
    var = {"var_c": 0.3, "var_tc": 0.15, "var_rc": 0.25, "var_error": 0.3}
    n0, n1, delta = 40, 17, 1.3
    res = ds.simulate.rmh_to_or(n0, n1, delta=(delta, delta), b=b, var_r=0, var_tr=0, **var)
    shared = {"var_error": 1.0, "cov1": var["var_c"] + var["var_rc"], "cov2": var["var_c"] + var["var_tc"],
              "cov3": var["var_c"]}
    for name, amount in shared.items():
        assert getattr(res, name) == pytest.approx(_direct_covariance(delta, b, 1.0, amount, n0, n1), rel=1e-9), name
    assert res.var_r == pytest.approx(0, abs=1e-15) and res.var_tr == pytest.approx(0, abs=1e-15)
    assert res.auc[0] == pytest.approx(stats.norm.cdf(delta / math.sqrt(1 + 1 / b ** 2)), rel=1e-14)


@pytest.mark.parametrize("model", MODELS, ids=[f"model{i}" for i in range(len(MODELS))])
def test_or_to_rmh_inverts_rmh_to_or(model):
    """MRMCaov's RMH_to_OR example 2a: OR_to_RMH of a model's OR values gives the model back."""
    ors = ds.simulate.rmh_to_or(**model)
    back = ds.simulate.or_to_rmh(ors)
    assert back.b == pytest.approx(model["b"], rel=1e-7)
    assert back.delta == pytest.approx(model["delta"], rel=1e-7)
    for name in ("var_r", "var_tr", "var_c", "var_tc", "var_rc", "var_error"):
        assert getattr(back, name) == pytest.approx(model[name], rel=1e-7, abs=1e-12), name
    assert back.notes == ()
    assert np.allclose(_or_values(back.or_parameters()), _or_values(ors), rtol=1e-9, atol=0)


def test_van_dyke_or_values_are_reproduced():
    """MRMCaov's OR_to_RMH example 1a: "the true OR values are identical to the inputted OR values"."""
    rmh = ds.simulate.or_to_rmh(**VAN_DYKE)
    model = rmh.or_parameters()
    assert np.allclose(_or_values(model), _or_values(rmh.target), rtol=1e-9, atol=0)
    assert (model.corr1, model.corr2, model.corr3) == pytest.approx((0.433, 0.430, 0.299), rel=1e-9)
    assert rmh.b_method == "solved from Var(error)" and 0.001 <= rmh.b <= 1 and rmh.notes == ()
    # Roe & Metz's scale: the case-level variance of the non-diseased cases is 1
    assert rmh.var_c + rmh.var_tc + rmh.var_rc + rmh.var_error == pytest.approx(1, rel=1e-12)
    # the model's AUCs: Phi(delta / sqrt(V (1 + 1/b^2))) (the reader-averaged AUC of the model)
    v = 1 + rmh.var_r + rmh.var_tr
    assert stats.norm.cdf(np.array(rmh.delta) / math.sqrt(v * (1 + rmh.b ** -2))) == pytest.approx((0.897, 0.941))
    check_contract(rmh)
    check_contract(model)


def test_b_given_or_from_the_mean_to_sigma_ratio_fits_the_correlations():
    """MRMCaov's OR_to_RMH examples 1b (b = 1) and 1c (mean-to-sigma ratio 4.5): Var(error) is not used; the AUCs,
    Var(R), Var(TxR) and the three correlations are reproduced, Var(error) is the model's."""
    given = {k: v for k, v in VAN_DYKE.items() if k != "var_error"}
    symmetric = ds.simulate.or_to_rmh(**given, b=1)
    ratio = ds.simulate.or_to_rmh(**given, mean_to_sigma=4.5)
    for rmh in (symmetric, ratio):
        model = rmh.or_parameters()
        assert model.auc == pytest.approx(VAN_DYKE["auc"], rel=1e-12)
        assert (model.var_r, model.var_tr) == pytest.approx((0.00154, 0.000208), rel=1e-9)
        assert (model.corr1, model.corr2, model.corr3) == pytest.approx((0.433, 0.430, 0.299), rel=1e-9)
        assert model.var_error == pytest.approx(rmh.target.var_error, rel=1e-12)
    assert symmetric.b == 1 and symmetric.mean_to_sigma == (math.inf, math.inf)
    assert ratio.mean_to_sigma[0] == pytest.approx(4.5, rel=1e-12) and 0 < ratio.b < 1  # the lower-AUC modality
    assert ratio.mean_to_sigma[1] > 4.5
    # with Var(error) given, b = 1 keeps the given correlations but not the given Var(error)
    assert ds.simulate.or_to_rmh(**VAN_DYKE, b=1).or_parameters().var_error == pytest.approx(
        symmetric.or_parameters().var_error, rel=1e-12)


@pytest.mark.parametrize("study", [FRANKEN, KUNDEL], ids=["franken", "kundel"])
def test_cov2_below_cov3_is_brought_to_the_model(study):
    """MRMCaov's OR_to_RMH example 2b: "the true values for corr2 and corr3 for the Franken study differ slightly from
    the inputted values; this is because corr2 < corr3 ..., which is not possible for simulated RM model data"."""
    rmh = ds.simulate.or_to_rmh(**study)
    model, target = rmh.or_parameters(), rmh.target
    assert rmh.var_tc == 0 and any("Cov2 < Cov3" in n for n in rmh.notes)
    assert model.cov2 + model.cov3 == pytest.approx(target.cov2 + target.cov3, rel=1e-9)
    assert model.cov2 != pytest.approx(target.cov2, rel=1e-3)
    assert (model.cov1, model.var_error, model.var_r) == pytest.approx((target.cov1, target.var_error, target.var_r),
                                                                        rel=1e-9)
    assert model.auc == pytest.approx(target.auc, rel=1e-12)
    # Var(TxR) = 0 is below what the model gives with two different AUCs: var_tr = 0, and a note says so
    assert rmh.var_tr == 0 and any("Var(TxR)" in n for n in rmh.notes) and 0 <= model.var_tr < 1e-5


def test_negative_pilot_variances_are_taken_as_zero():
    rmh = ds.simulate.or_to_rmh(**{**VAN_DYKE, "var_r": -0.0002, "var_tr": -0.0001})
    assert rmh.var_r == 0 and rmh.var_tr == 0
    assert any("Var(R)" in n and "< 0" in n for n in rmh.notes) and any("Var(TxR)" in n for n in rmh.notes)


def test_a_pilot_reader_study_gives_a_model_to_simulate_from():
    pilot = ds.reader_study(ds.simulate.roe_metz(n_readers=5, n_nondiseased=60, n_diseased=40, delta=(1.4, 1.9),
                                                 modalities=("CT", "MRI"), seed=11))
    rmh = ds.simulate.or_to_rmh(pilot, b=1)
    c = pilot.or_components
    assert rmh.target.components["Cov2"] / rmh.target.var_error == pytest.approx(c["Cov2"] / c["Var(error)"])
    assert rmh.target.auc == pytest.approx(tuple(np.asarray(pilot.auc).mean(axis=1)))
    assert (rmh.n_nondiseased, rmh.n_diseased, rmh.modalities) == (60, 40, ("CT", "MRI"))
    study = ds.simulate.roe_metz(n_readers=7, parameters=rmh, seed=2)
    assert study.shape == (7 * 2 * 100, 5) and set(study["modality"]) == {"CT", "MRI"}
    bigger = ds.simulate.roe_metz(n_readers=7, n_nondiseased=150, n_diseased=90, parameters=rmh, seed=2)
    assert bigger["case"].nunique() == 240 and int(bigger["truth"].sum()) == 7 * 2 * 90
    # a pilot directly: or_to_rmh with b solved from the pilot's Var(error) (or refused, saying what to give)
    try:
        direct = ds.simulate.roe_metz(n_readers=3, parameters=pilot, seed=2)
    except DataError as err:
        assert "b=" in str(err)
    else:
        assert len(direct) == 3 * 2 * 100


def test_reader_studies_that_are_not_of_the_empirical_auc_in_a_crossed_design_are_refused():
    data = ds.simulate.roe_metz(n_readers=3, n_nondiseased=20, n_diseased=20, seed=1)
    with pytest.raises(OptionError, match="metric"):
        ds.simulate.or_to_rmh(ds.reader_study(data, metric="pauc"), b=1)
    nested = ds.simulate.roe_metz(n_readers=3, n_nondiseased=20, n_diseased=20, design="cases_in_readers", seed=1)
    with pytest.raises(OptionError, match="crossed"):
        ds.simulate.or_to_rmh(ds.reader_study(nested, design="cases_in_readers"), b=1)


def test_roe_metz_from_parameters_is_roe_metz_from_their_values():
    rmh = ds.simulate.or_to_rmh(**VAN_DYKE)
    values = {"delta": rmh.delta, "b": rmh.b, **rmh.variances}
    pd.testing.assert_frame_equal(ds.simulate.roe_metz(4, parameters=rmh, seed=5),
                                  ds.simulate.roe_metz(4, 69, 45, seed=5, **values))
    # the defaults are Roe & Metz's, as before parameters= existed
    pd.testing.assert_frame_equal(ds.simulate.roe_metz(seed=7), ds.simulate.roe_metz(5, 50, 50, seed=7,
                                                                                      **ROE_METZ_DEFAULTS))
    assert ds.simulate.rmh_to_or().auc == ds.simulate.rmh_to_or(50, 50, **ROE_METZ_DEFAULTS).auc
    with pytest.raises(OptionError, match="var_r"):
        ds.simulate.roe_metz(parameters=rmh, var_r=0.01)
    with pytest.raises(OptionError, match="parameters"):
        ds.simulate.roe_metz(parameters="van dyke")


@pytest.mark.parametrize("kwargs, error, name", [
    ({**VAN_DYKE, "auc": (0.9,)}, OptionError, "auc"),
    ({**VAN_DYKE, "auc": (0.9, 1.0)}, OptionError, "auc"),
    ({**VAN_DYKE, "corr1": 1.5}, OptionError, "corr1"),
    ({**VAN_DYKE, "var_error": 0}, OptionError, "var_error"),
    ({k: v for k, v in VAN_DYKE.items() if k != "var_error"}, OptionError, "var_error"),
    ({k: v for k, v in VAN_DYKE.items() if k != "n_diseased"}, OptionError, "n_diseased"),
    ({**VAN_DYKE, "var_r": 0.2}, DataError, "var_r"),
    ({**VAN_DYKE, "b": 1, "mean_to_sigma": 4}, OptionError, "mean_to_sigma"),
    ({**VAN_DYKE, "mean_to_sigma": 0.5}, OptionError, "mean_to_sigma"),
    ({**VAN_DYKE, "var_error": 0.5}, DataError, "var_error"),
    ({**VAN_DYKE, "corr1": 0.7, "corr2": 0.7, "corr3": 0.1}, DataError, "corr1"),
    ({**VAN_DYKE, "b_below_1_first": "yes"}, OptionError, "b_below_1_first"),
    ({**VAN_DYKE, "modalities": ("CT",)}, OptionError, "modalities"),
])
def test_or_to_rmh_refuses_bad_input_naming_it(kwargs, error, name):
    with pytest.raises(error, match=name):
        ds.simulate.or_to_rmh(**kwargs)


@pytest.mark.parametrize("kwargs, name", [
    ({"delta": 1.0 + 0j}, "delta"), ({"delta": (1.0,)}, "delta"), ({"b": 0}, "b"), ({"var_c": -1}, "var_c"),
    ({"n_diseased": 0}, "n_diseased"), ({"parameters": 3}, "parameters"),
    ({"var_c": 0, "var_tc": 0, "var_rc": 0, "var_error": 0}, "var_error"),
])
def test_rmh_to_or_refuses_bad_input_naming_it(kwargs, name):
    with pytest.raises(DiagstatsError, match=name):
        ds.simulate.rmh_to_or(**kwargs)


def test_results_read_well():
    rmh = ds.simulate.or_to_rmh(**FRANKEN)
    text = str(rmh)
    assert "OR target" in text and "OR of the model" in text and "Note: Cov2 < Cov3" in text
    frame = rmh.to_frame()
    assert set(frame["part"]) == {"RMH", "OR target", "OR of the model"}
    assert frame.loc[(frame["part"] == "RMH") & (frame["measure"] == "b"), "value"].item() == rmh.b
    assert "RMHParameters(delta=" in repr(rmh) and "ORParameters(auc=" in repr(rmh.target)
    ors = ds.simulate.rmh_to_or(delta=(1.0, 1.5), modalities=("CT", "MRI"), b=0.8)
    assert "AUC: CT" in str(ors) and "mean-to-sigma" in str(ors)
    assert ors.to_dict()["corr2"] == pytest.approx(ors.cov2 / ors.var_error)


def test_monte_carlo_studies_have_the_or_parameters_of_the_model():
    """1,200 simulated Van Dyke-like studies (6 readers): every average OR estimate is within 4 Monte Carlo standard
    errors of the model's OR value (the model fitted to MRMCaov's example 1a, so these are the Van Dyke values)."""
    rmh = or_parameters_validation.model()
    frame = or_parameters_validation.run(1200, executor="serial")
    assert len(frame) == 1200
    summary = or_parameters_validation.summarise(frame, rmh.or_parameters())
    assert list(summary.index) == ["AUC A", "AUC B", "Var(R)", "Var(TxR)", "Cov1", "Cov2", "Cov3", "Var(error)"]
    assert summary["expected"].to_numpy() == pytest.approx([0.897, 0.941, 0.00154, 0.000208, 0.433 * 0.000788,
                                                            0.430 * 0.000788, 0.299 * 0.000788, 0.000788], rel=1e-9)
    assert (summary["z"].abs() < 4).all(), summary
    # the standard errors are small enough for the check to mean something (about 1% of each covariance)
    assert (summary.loc[["Cov1", "Cov2", "Cov3", "Var(error)"], "mc_se"]
            < 0.03 * summary.loc[["Cov1", "Cov2", "Cov3", "Var(error)"], "expected"]).all()
