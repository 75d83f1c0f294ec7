"""ds.correct_verification(method="em"): Kosinski & Barnhart's (2003) EM for verification not missing at random.

PVBcorrect's acc_em documents its examples on cad_pvb but prints no numbers (README, man page, long
example), and PVBcorrect is not installed here, so there is no R fixture: the checks are the identities
theory gives (mnar=False is extended Begg-Greenes; without covariates the MNAR model is not identified
and stays at Begg-Greenes), the maximum of the observed-data likelihood found independently, and the
recovery of a known truth from data simulated with verification depending on the disease.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from scipy.special import expit, log_expit

import diagstats as ds
from diagstats._core.bootstrap import pattern_counts
from diagstats.bias import verification
from diagstats.bias.verification import _em_estimates, _patterns

CAD = pd.read_csv(Path(__file__).resolve().parents[1] / "reference" / "bias" / "cad_pvb.csv")
MEASURES = ("sensitivity", "specificity", "ppv", "npv", "prevalence")


def values(result):
    return np.array([getattr(result, m).value for m in MEASURES])


def test_mar_em_is_extended_begg_greenes_on_cad_pvb():
    """Without the disease in the verification model the likelihood separates and the disease model is
    the verified patients' fit (PVBcorrect: acc_em(mnar = FALSE) 'will be equivalent to using acc_ebg')."""
    em = ds.correct_verification(CAD, test="T", reference="D", method="em", mnar=False, covariates=["X3"],
                                 n_boot=20, progress=False)
    ebg = ds.correct_verification(CAD, test="T", reference="D", method="ebg", covariates=["X3"], n_boot=20,
                                  progress=False)
    np.testing.assert_allclose(values(em), values(ebg), rtol=1e-9)
    assert em.mnar is False and "missing at random" in em.notes[0]


def test_without_covariates_em_stays_at_begg_greenes_and_says_why():
    bg = ds.correct_verification(CAD, test="T", reference="D")
    for mnar in (True, False):
        em = ds.correct_verification(CAD, test="T", reference="D", method="em", mnar=mnar, n_boot=20, progress=False)
        np.testing.assert_allclose(values(em), values(bg), rtol=1e-9)
    assert any("not identified" in note for note in em.notes) is False  # mnar=False: nothing to explain
    em = ds.correct_verification(CAD, test="T", reference="D", method="em", n_boot=20, progress=False)
    assert any("not identified" in note for note in em.notes)


def _observed_data_mle(data, covariates):
    """Maximise the observed-data likelihood directly (scipy BFGS), no EM: disease and verification
    (with the disease) logistic models; the unverified contribute sum over d of P(D = d) P(V = 0 | d)."""
    cells = (data.assign(v=data["D"].notna(), D=data["D"].fillna(0)).groupby(["T", "D", "v", *covariates])
             .size().reset_index(name="count"))  # patients with the same data contribute alike
    t, v, d, count = (cells[c].to_numpy(float) for c in ("T", "v", "D", "count"))
    v = v == 1
    X = np.column_stack([np.ones(len(t)), t, cells[covariates].to_numpy(float)])
    p = X.shape[1]

    def negative_loglik(theta):
        eta_d, eta_v0 = X @ theta[:p], X @ theta[p:-1]
        eta_v1 = eta_v0 + theta[-1]
        disease_part = np.where(d == 1, log_expit(eta_d), log_expit(-eta_d))
        verified = disease_part + log_expit(np.where(d == 1, eta_v1, eta_v0))
        unverified = np.logaddexp(log_expit(eta_d) + log_expit(-eta_v1), log_expit(-eta_d) + log_expit(-eta_v0))
        return -np.sum(count * np.where(v, verified, unverified))

    theta = optimize.minimize(negative_loglik, np.zeros(2 * p + 1), method="Nelder-Mead",
                              options={"maxiter": 200_000, "maxfev": 200_000, "xatol": 1e-9, "fatol": 1e-12}).x
    theta = optimize.minimize(negative_loglik, theta, method="BFGS", options={"gtol": 1e-8}).x
    rho = expit(X @ theta[:p])
    return np.array([np.sum(count * t * rho) / np.sum(count * rho),
                     np.sum(count * (1 - t) * (1 - rho)) / np.sum(count * (1 - rho))])


def test_mnar_em_reaches_the_maximum_likelihood_fit_on_cad_pvb():
    em = ds.correct_verification(CAD, test="T", reference="D", method="em", covariates=["X3"], n_boot=20,
                                 progress=False)
    direct = _observed_data_mle(CAD, ["X3"])
    np.testing.assert_allclose([em.sensitivity.value, em.specificity.value], direct, atol=2e-4)
    # verification depending on the disease moves the estimates well away from missing at random
    ebg = ds.correct_verification(CAD, test="T", reference="D", method="ebg", covariates=["X3"], n_boot=20,
                                  progress=False)
    assert ebg.sensitivity.value - em.sensitivity.value > 0.05
    assert em.sensitivity.lower < em.sensitivity.value < em.sensitivity.upper
    assert em.mnar is True and em.sensitivity.method == "percentile bootstrap (20 replicates)"


def test_em_recovers_the_truth_when_verification_depends_on_the_disease():
    rng = np.random.default_rng(7)
    n = 20_000
    z = rng.integers(0, 2, n)
    disease = rng.random(n) < expit(-1.0 + 1.2 * z)
    test = np.where(disease, rng.random(n) < 0.8, rng.random(n) < 0.25)
    verified = rng.random(n) < expit(-1.5 + 1.5 * test + 0.8 * z + 1.0 * disease)
    data = pd.DataFrame({"test": test.astype(int), "z": z,
                         "biopsy": np.where(verified, disease.astype(float), np.nan)})
    true_sens, true_spec = test[disease].mean(), 1 - test[~disease].mean()
    em = ds.correct_verification(data, test="test", reference="biopsy", method="em", covariates=["z"], n_boot=20,
                                 progress=False)
    ebg = ds.correct_verification(data, test="test", reference="biopsy", method="ebg", covariates=["z"],
                                  n_boot=20, progress=False)
    assert abs(em.sensitivity.value - true_sens) < 0.02 and abs(em.specificity.value - true_spec) < 0.02
    assert abs(ebg.sensitivity.value - true_sens) > 0.04  # missing at random is wrong here


def test_mnar_applies_to_em_only():
    with pytest.raises(ds.OptionError, match="mnar"):
        ds.correct_verification(CAD, test="T", reference="D", mnar=True)
    with pytest.raises(ds.DiagstatsError, match="mnar"):
        ds.correct_verification(CAD, test="T", reference="D", method="em", mnar="yes")


def _cad_patterns(covariates):
    t = CAD["T"].to_numpy().astype(bool)
    v = CAD["D"].notna().to_numpy()
    d = CAD["D"].fillna(0).to_numpy() == 1
    X = np.column_stack([np.ones(len(t)), t, CAD[covariates].to_numpy(float)])
    return _patterns(X, t, d, v)


def test_batched_bootstrap_em_gives_each_replicate_its_own_fit(monkeypatch):
    """All replicates are iterated together, but each gets the EM it gets alone (as the point estimate is
    fitted): the same convergence verdict, and the same estimates up to the EM's own accuracy (floating-point
    rounding in batched products can move the iteration where an EM stops). A cap of 6 iterations leaves
    some replicates unconverged, so that both kinds are in the batch."""
    monkeypatch.setattr(verification, "EM_MAX_ITER", 6)
    X, t, d, v, multiplicity = _cad_patterns(["X3"])
    counts = np.vstack(list(pattern_counts(multiplicity, 12, np.random.default_rng(5)))).astype(float)
    batched = _em_estimates(X, t, d, v, counts)
    alone = np.vstack([_em_estimates(X, t, d, v, row[None]) for row in counts])
    np.testing.assert_array_equal(batched[:, -1], alone[:, -1])
    assert 0 < batched[:, -1].sum() < len(counts)  # both kinds of replicate are in the batch
    ok = batched[:, -1] == 1
    np.testing.assert_allclose(batched[ok], alone[ok], atol=1e-5)


def _replicates(n_boot, seed=0):
    """The engine's EM replicates of cad_pvb + X3 for ``seed``."""
    X, t, d, v, multiplicity = _cad_patterns(["X3"])
    counts = np.vstack(list(pattern_counts(multiplicity, n_boot, np.random.default_rng(seed)))).astype(float)
    return _em_estimates(X, t, d, v, counts)


def test_bootstrap_interval_includes_the_replicates_whose_em_is_slow(monkeypatch):
    """Replicates in which verification depends strongly on the disease, where EM creeps (a flat likelihood,
    or a maximum at the boundary), are fitted to convergence and kept: the percentile bounds are the
    quantiles of every replicate, the slow ones included, and no replicate is left out."""
    n_boot = 40
    res = ds.correct_verification(CAD, test="T", reference="D", method="em", covariates=["X3"], n_boot=n_boot,
                                  progress=False)
    replicates = _replicates(n_boot)
    assert np.all(replicates[:, -1] == 1)
    assert not any("left out" in n for n in res.notes)
    for j, m in enumerate(MEASURES):
        estimate = getattr(res, m)
        np.testing.assert_allclose([estimate.lower, estimate.upper], np.quantile(replicates[:, j], [0.025, 0.975]),
                                   rtol=1e-12)
    # the slow replicates: a short EM has not reached their maximum, and they end up far from where it stopped
    monkeypatch.setattr(verification, "EM_MAX_ITER", 10)
    short = _replicates(n_boot)
    slow = short[:, -1] == 0
    assert slow.sum() >= 5
    assert np.max(np.abs(replicates[slow, :5] - short[slow, :5])) > 0.05


def test_bootstrap_counts_the_replicates_whose_em_did_not_converge(monkeypatch):
    """A cap of 10 iterations leaves some replicates unconverged: they are counted, said to narrow the
    interval, and left out of it."""
    monkeypatch.setattr(verification, "EM_MAX_ITER", 10)
    n_boot = 40
    res = ds.correct_verification(CAD, test="T", reference="D", method="em", covariates=["X3"], n_boot=n_boot,
                                  progress=False)
    replicates = _replicates(n_boot)
    failed = int(np.sum(replicates[:, -1] == 0))
    assert failed > 0
    note = f"{failed} of {n_boot} bootstrap replicates left out: the EM did not converge in 10 iterations"
    assert sum(n.startswith(note) for n in res.notes) == 1
    assert any("too narrow" in n for n in res.notes)
    assert not any("undefined" in n for n in res.notes)
    kept = replicates[replicates[:, -1] == 1]
    for j, m in enumerate(MEASURES):
        estimate = getattr(res, m)
        assert estimate.notes[0].startswith(note)
        np.testing.assert_allclose([estimate.lower, estimate.upper], np.quantile(kept[:, j], [0.025, 0.975]),
                                   rtol=1e-12)
