"""The proportional hazards (Lehmann) SROC model against mada 0.5.10 ``phm`` (Holling, Böhning & Böhning 2012).

Fixtures: tests/reference/meta/*_peer_phm.json, made by peer_phm.R (see its header and make_fixtures.sh). Data:
mada's AuditC (Kriston et al. 2008) and meta_studies here; mada's Dementia, skin_tests and smoking (Patrick et al.
1994, result_id 1 as mada's vignette) from ../shared/reference/public/peer_suites (cran/mada @ 5fcad80: data/).
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import diagstats as ds
from diagstats.errors import DataError, OptionError
from diagstats.meta.lehmann import _LehmannLikelihood
from .meta_fixtures import data, ref
from ..public_data import read_public

CONTROLS = {"all": "all", "single": "zero_studies"}


def studies(name: str) -> pd.DataFrame:
    if name in ("auditc", "meta_studies"):
        return data(name)
    frame = read_public(f"peer_suites/mada_{name}.csv")
    if name == "smoking":
        frame = frame[frame["result_id"] == 1]
    return frame.rename(columns=str.lower)


FITS = [pytest.param(name, fit, id=f"{name}-{fit['correction_control']}-hetero{fit['hetero']}")
        for name in ("auditc", "meta_studies", "dementia", "skin_tests", "smoking")
        for fit in ref(f"{name}_peer_phm")["fits"]]


def lehmann_model(frame: pd.DataFrame, control: str = "all") -> _LehmannLikelihood:
    """The model's likelihood of ``frame`` with mada's continuity correction (0.5; ``control`` "all" or "single")."""
    cells = frame[["tp", "fn", "fp", "tn"]].to_numpy(float)
    zero = (cells == 0).any(axis=1)
    cells = cells + 0.5 * ((zero.any() if control == "all" else zero) * np.ones(len(cells)))[:, None]
    tp, fn, fp, tn = cells.T
    sens, fpr = tp / (tp + fn), fp / (fp + tn)
    return _LehmannLikelihood(np.log(fpr), np.log(sens), (1 - sens) / ((tp + fn) * sens), (1 - fpr) / ((fp + tn) * fpr))


@pytest.mark.parametrize("name,r", FITS)
def test_matches_mada_phm(name, r):
    """The estimates agree to 1e-6; what is computed from them agrees to 1e-6 at mada's own estimates, since mada's
    fixed-point iteration stops up to 2e-6 (relative) short of the maximum where Newton's method goes on (the
    variances of smoking's random-effects fit move by that much; see the next test)."""
    frame = studies(name)
    res = ds.meta.proportional_hazards(frame, random_effects=r["hetero"],
                                       correction_control=CONTROLS[r["correction_control"]])
    n_par = 2 if r["hetero"] else 1
    assert res.theta.value == pytest.approx(r["coefficients"]["theta"], rel=1e-6)
    if r["hetero"]:
        # tau2 is as small as 4e-5 (meta_studies), where the two fits differ by 1e-10
        assert res.tau2.value == pytest.approx(r["coefficients"]["taus_sq"], rel=1e-6, abs=1e-9)
    else:
        assert res.tau2 is None
    assert res.auc.value == pytest.approx(r["auc"], rel=1e-6)
    assert res.partial_auc.value == pytest.approx(r["pauc"], rel=1e-6)
    assert res.sroc()["sensitivity"].to_numpy() == pytest.approx(r["sroc_sensitivity"], rel=1e-6)
    assert res.goodness_of_fit.df == res.k - n_par  # mada prints df n_par, but its p-value uses k - n_par

    model = lehmann_model(frame, r["correction_control"])
    at_mada = np.array([r["coefficients"]["theta"], r["coefficients"].get("taus_sq", 0.0)])
    # mada reports the covariance of theta and tau2 as 0; its variances are those of the full matrix's inverse
    assert np.diag(model.covariance(at_mada, n_par, "outer_product")) == pytest.approx(np.diag(r["vcov"]), rel=1e-6)
    residual = model.y - at_mada[0] * model.x
    chi_square = np.sum(residual**2 / model.total_variance(at_mada))
    assert chi_square == pytest.approx(r["chi_square"], rel=1e-6)
    assert stats.chi2.sf(chi_square, res.k - n_par) == pytest.approx(r["chi_square_p"], rel=1e-6, abs=1e-12)
    assert res.goodness_of_fit.statistic == pytest.approx(r["chi_square"], rel=1e-6)
    # mada's log-likelihood leaves out the normal constant, and with random effects it is that of the thetas
    # log p / log u rather than of the log sensitivities (a Jacobian sum(log|log u|) apart)
    jacobian = np.sum(np.log(-model.x)) if r["hetero"] else 0.0
    mada_convention = model.log_likelihood(at_mada) + res.k / 2 * np.log(2 * np.pi) + jacobian
    assert mada_convention == pytest.approx(r["log_lik"], rel=1e-6)
    assert r["aic"] == pytest.approx(-2 * mada_convention + 2 * n_par, rel=1e-6)
    assert r["bic"] == pytest.approx(-2 * mada_convention + n_par * np.log(res.k), rel=1e-6)
    assert res.aic == pytest.approx(-2 * res.log_likelihood + 2 * n_par, rel=1e-12)
    # intervals: mada lists each from its upper bound; a Wald interval of theta below 0 is cut here (test below)
    se = np.sqrt(r["vcov"][0][0])
    theta_ci = at_mada[0] + np.array([-1, 1]) * 1.959963984540054 * se
    assert r["auc_ci"] == pytest.approx(list(1 / (1 + theta_ci)), rel=1e-6)
    if res.theta.lower > 0:
        assert [res.theta.lower, res.theta.upper] == pytest.approx(list(theta_ci), rel=1e-6)
        assert [res.auc.lower, res.auc.upper] == pytest.approx(sorted(r["auc_ci"]), rel=1e-6)
        assert [res.partial_auc.lower, res.partial_auc.upper] == pytest.approx(sorted(r["pauc_ci"]), rel=1e-6)


def test_where_mada_stops_short_the_fit_here_is_the_maximum():
    """meta_studies, random effects: mada's tau2 is 1.6e-6 (relative) from the maximum: its log-likelihood is lower
    and its scores are not zero; here they are."""
    r = ref("meta_studies_peer_phm")["fits"][0]
    assert r["hetero"] and r["correction_control"] == "all"
    res = ds.meta.proportional_hazards(data("meta_studies"), correction_control="all")
    model = lehmann_model(data("meta_studies"))
    here = np.array([res.theta.value, res.tau2.value])
    mada = np.array([r["coefficients"]["theta"], r["coefficients"]["taus_sq"]])
    assert abs(here[1] / mada[1] - 1) > 1e-6
    assert model.log_likelihood(here) > model.log_likelihood(mada)
    assert np.abs(model.scores(here).sum(axis=0)) == pytest.approx([0, 0], abs=1e-9)
    assert np.abs(model.scores(mada).sum(axis=0)[1]) > 1e-3


def test_theta_interval_below_zero_is_cut_and_the_auc_stays_below_one():
    """Smoking (result_id 1), random effects: theta's Wald interval starts at -0.005; mada then reports an AUC upper
    bound of 1.005."""
    r = next(f for f in ref("smoking_peer_phm")["fits"] if f["hetero"] and f["correction_control"] == "all")
    res = ds.meta.proportional_hazards(studies("smoking"), correction_control="all")
    assert max(r["auc_ci"]) > 1
    assert res.theta.lower == 0 and res.auc.upper == 1
    assert any(n.startswith("theta interval clipped to [0, inf) (the Wald interval was -0.005") for n in res.notes)


def test_covariance_by_the_hessian_is_the_inverse_observed_information():
    d = data("auditc")
    res = ds.meta.proportional_hazards(d, variance="hessian")
    model = lehmann_model(d, "single")
    theta = np.array([res.theta.value, res.tau2.value])
    h = 1e-5 * theta
    numeric = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            e_i, e_j = np.eye(2)[i] * h[i], np.eye(2)[j] * h[j]
            numeric[i, j] = (model.log_likelihood(theta + e_i + e_j) - model.log_likelihood(theta + e_i - e_j)
                             - model.log_likelihood(theta - e_i + e_j) + model.log_likelihood(theta - e_i - e_j)) \
                / (4 * h[i] * h[j])
    assert res.covariance == pytest.approx(np.linalg.inv(-numeric), rel=1e-4)
    assert model.scores(theta).sum(axis=0) == pytest.approx([0, 0], abs=1e-6)  # a maximum
    assert "inverse observed information" in res.theta.method


def test_recovers_theta_of_simulated_lehmann_studies():
    rng = np.random.default_rng(3)
    k, theta = 40, 0.25
    fpr = rng.uniform(0.05, 0.5, k)
    n, m = rng.integers(200, 400, k), rng.integers(400, 800, k)
    frame = pd.DataFrame({"tp": rng.binomial(n, fpr ** theta), "fp": rng.binomial(m, fpr)})
    frame["fn"], frame["tn"] = n - frame["tp"], m - frame["fp"]
    res = ds.meta.proportional_hazards(frame)
    assert res.theta.lower < theta < res.theta.upper
    assert res.goodness_of_fit.p_value > 0.01
    fixed = ds.meta.proportional_hazards(frame, random_effects=False)
    assert fixed.theta.value == pytest.approx(theta, abs=0.03)


def test_studies_on_one_curve_give_tau2_zero_and_the_fixed_effect_fit():
    fpr = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
    frame = pd.DataFrame({"tp": np.round(1000 * fpr ** 0.2), "fp": 1000 * fpr})
    frame["fn"], frame["tn"] = 1000 - frame["tp"], 1000 - frame["fp"]
    res = ds.meta.proportional_hazards(frame)
    fixed = ds.meta.proportional_hazards(frame, random_effects=False)
    assert res.tau2.value == 0
    assert any("tau2 is estimated at 0" in n for n in res.notes)
    assert res.theta.value == pytest.approx(fixed.theta.value, rel=1e-10)


def test_printout_and_frame():
    res = ds.meta.proportional_hazards(data("auditc"))
    text = str(res)
    assert "Proportional hazards (Lehmann) SROC model, random effects (14 studies)" in text
    assert "Goodness of fit chi2 = " in text and "df 12" in text
    assert res.to_frame()["measure"].tolist() == ["theta", "tau2", "auc", "partial_auc"]
    assert res.studies["weight"].sum() == pytest.approx(100)
    assert res.studies["theta"].to_numpy() == pytest.approx(
        (np.log(res.studies["sensitivity"]) / np.log(res.studies["fpr"])).to_numpy(), rel=1e-12)


@pytest.mark.parametrize("kwargs,error,match", [
    ({"random_effects": "yes"}, OptionError, "random_effects='yes' must be True or False"),
    ({"variance": "sandwich"}, OptionError, "variance"),
    ({"correction_control": "none"}, OptionError, "correction_control"),
    ({"correction": 0}, OptionError, "correction=0 must be a finite number greater than 0"),
])
def test_bad_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        ds.meta.proportional_hazards(data("auditc"), **kwargs)


def test_too_few_studies():
    two = data("auditc").head(2)
    with pytest.raises(DataError, match="random_effects=False"):
        ds.meta.proportional_hazards(two)
    assert ds.meta.proportional_hazards(two, random_effects=False).k == 2
    with pytest.raises(DataError, match="at least 2 studies"):
        ds.meta.proportional_hazards(two.head(1), random_effects=False)
