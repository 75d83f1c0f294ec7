"""One-off calibration of the derived blood-marker and tumour-mix values of spine_referral.json.

Run from the repository root:

    python datasets/scenarios/calibrate_spine_referral.py          # print the values and checks
    python datasets/scenarios/calibrate_spine_referral.py --write  # store them in the JSON file
    python datasets/sync_package_data.py                           # copy the JSON into the package

The simulator never calibrates at run time; it reads the stored values. The test suite re-runs
:func:`calibrate` and checks the stored values agree (tests/simulate/test_scenario.py).

Model (all on the natural-log scale of counts in 10^9/L)
-------------------------------------------------------
* No-tumour group: log(neutrophils, lymphocytes, platelets, monocytes) ~ multivariate normal.
  Its centres and correlations are solved so that log NLR = N - L, log PLR = P - L and
  log SII = P + N - L have the log-normal parameters implied by Fest 2018's 2.5%/97.5% limits
  (mu = mean of the log limits, sigma = their half-width / 1.96), and log LMR = L - M those implied
  by Luo 2019's reference interval. Marginal log SDs of N, L, P come from the benign bone-tumour
  means and SDs (method of moments), the monocyte SD (0.30) is an assumption; neutrophil-monocyte
  and platelet-monocyte correlations are set to 0.
* Tumour groups: the same distribution, with the log NLR and log PLR shifted (benign primary
  by 0, an assumption), and, for metastases, an extra per-origin shift (labelled assumption,
  centred on the origin shares). Equal variance in all groups.
* Li 2019 reports three AUCs per marker (benign vs malignant, primary vs metastatic, benign
  primary vs malignant primary) but not the group sizes. AUCs of mixtures of normal groups are
  exact weighted sums of Phi((mu_j - mu_i) / (sigma * sqrt 2)). Six equations (3 AUCs x NLR, PLR)
  fix six unknowns: the benign share among primary tumours, the malignant-primary share among
  malignant tumours, and the malignant-primary and metastasis shifts of each marker.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares
from scipy.stats import norm

SCENARIO = Path(__file__).with_name("spine_referral.json")
COUNTS = ("neutrophils", "lymphocytes", "platelets", "monocytes")

#: Fest 2018 Table 2, general population: (2.5%, 97.5%) limits [verbatim].
FEST_LIMITS = {"nlr": (0.83, 3.92), "plr": (61.0, 239.0), "sii": (189.0, 1168.0)}
#: Luo 2019 LMR reference interval [verbatim].
LUO_LMR_LIMITS = (2.63, 9.9)
#: Benign bone tumours (literature.md 1.4), mean and SD [verbatim]; lymphocytes from Enneking stage 1.
BONE_MEAN_SD = {"neutrophils": (3.45, 1.13), "lymphocytes": (1.85, 0.54), "platelets": (213.56, 58.19)}
#: Li 2019 AUCs [verbatim]: benign vs malignant, primary vs metastatic, benign vs malignant primary.
LI_AUCS = {"nlr": (0.704, 0.713, 0.624), "plr": (0.637, 0.647, 0.577)}


def lognormal_from_limits(lower: float, upper: float) -> tuple[float, float]:
    """mu, sigma of ln X when (lower, upper) are its 2.5% and 97.5% quantiles."""
    z = norm.ppf(0.975)
    return (np.log(lower) + np.log(upper)) / 2, (np.log(upper) - np.log(lower)) / (2 * z)


def lognormal_sd_from_moments(mean: float, sd: float) -> float:
    return float(np.sqrt(np.log1p((sd / mean) ** 2)))


def reference_distribution(monocyte_sd: float) -> tuple[dict, dict, list]:
    """Centres, SDs and correlation matrix of the no-tumour log counts."""
    (m_nlr, s_nlr), (m_plr, s_plr), (m_sii, s_sii) = (lognormal_from_limits(*FEST_LIMITS[k])
                                                       for k in ("nlr", "plr", "sii"))
    m_lmr, s_lmr = lognormal_from_limits(*LUO_LMR_LIMITS)
    mu_n = m_sii - m_plr
    mu_l = mu_n - m_nlr
    mu_p = m_plr + mu_l
    mu_m = mu_l - m_lmr
    sd = {k: lognormal_sd_from_moments(*BONE_MEAN_SD[k]) for k in BONE_MEAN_SD}
    sd["monocytes"] = monocyte_sd
    n, ly, p, m = (sd[k] for k in COUNTS)   # neutrophils, lymphocytes, platelets, monocytes
    c_nl = (n**2 + ly**2 - s_nlr**2) / 2
    c_pl = (p**2 + ly**2 - s_plr**2) / 2
    c_pn = (s_sii**2 - p**2 - n**2 - ly**2 + 2 * c_pl + 2 * c_nl) / 2
    c_lm = (ly**2 + m**2 - s_lmr**2) / 2
    cov = np.array([[n**2, c_nl, c_pn, 0.0], [c_nl, ly**2, c_pl, c_lm], [c_pn, c_pl, p**2, 0.0],
                    [0.0, c_lm, 0.0, m**2]])
    scale = np.sqrt(np.diag(cov))
    corr = cov / np.outer(scale, scale)
    if np.linalg.eigvalsh(corr).min() <= 0:
        raise RuntimeError("the solved correlation matrix is not positive definite")
    mean = dict(zip(COUNTS, (mu_n, mu_l, mu_p, mu_m)))
    return {k: float(v) for k, v in mean.items()}, {k: float(v) for k, v in sd.items()}, corr.tolist()


def _auc(groups_x, groups_y, sigma: float) -> float:
    """P(Y > X) for two mixtures of normals with common SD: lists of (weight, mean)."""
    wx, mx = (np.array(v) for v in zip(*groups_x))
    wy, my = (np.array(v) for v in zip(*groups_y))
    pairs = norm.cdf((my[None, :] - mx[:, None]) / (sigma * np.sqrt(2)))
    return float(wx @ pairs @ wy / (wx.sum() * wy.sum()))


def model_aucs(mix: dict, shift: dict, origin_shift: dict, origin_shares: dict, sigma: float) -> tuple[float, ...]:
    """The three Li 2019 AUCs of one marker under the simulator's model."""
    shares = np.array([origin_shares[o] for o in origin_shares])
    offsets = np.array([origin_shift[o] for o in origin_shares])
    offsets = offsets - shares @ offsets
    benign = [(mix["benign_primary"], shift["benign_primary"])]
    malignant_primary = [(mix["malignant_primary"], shift["malignant_primary"])]
    metastasis = [(mix["metastasis"] * s, shift["metastasis"] + o) for s, o in zip(shares, offsets)]
    return (_auc(benign, malignant_primary + metastasis, sigma),
            _auc(benign + malignant_primary, metastasis, sigma),
            _auc(benign, malignant_primary, sigma))


def calibrate(parameters: dict) -> dict:
    """The derived values, keyed by scenario parameter path, from the scenario's parameters tree."""
    blood = parameters["blood"]
    mean, sd, corr = reference_distribution(blood["reference"]["sd_log"]["value"]["monocytes"])
    cov = np.array(corr) * np.outer([sd[k] for k in COUNTS], [sd[k] for k in COUNTS])
    sigma = {"nlr": float(np.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])),
             "plr": float(np.sqrt(cov[2, 2] + cov[1, 1] - 2 * cov[1, 2]))}
    origin_shares = parameters["origin_shares"]["value"]
    use_origin = blood["origin_shifts"]["value"]
    origin = {k: blood[f"origin_shift_{k}"]["value"] if use_origin else dict.fromkeys(origin_shares, 0.0)
              for k in ("nlr", "plr")}

    def unpack(x):
        p, w = 1 / (1 + np.exp(-x[:2]))        # benign share of primaries, malignant-primary share of malignant
        b, t = p / (1 - p), (1 - w) / w        # relative to malignant primary = 1
        mix = dict(zip(("benign_primary", "malignant_primary", "metastasis"), np.array([b, 1.0, t]) / (b + 1 + t)))
        shifts = {k: {"benign_primary": 0.0, "malignant_primary": x[2 + 2 * i], "metastasis": x[3 + 2 * i]}
                  for i, k in enumerate(("nlr", "plr"))}
        return mix, shifts

    def residuals(x):
        mix, shifts = unpack(x)
        return np.concatenate([np.array(model_aucs(mix, shifts[k], origin[k], origin_shares, sigma[k])) - LI_AUCS[k]
                               for k in ("nlr", "plr")])

    fit = least_squares(residuals, [0.5, -0.5, 0.2, 0.4, 0.1, 0.2], xtol=1e-15, ftol=1e-15, gtol=1e-15)
    if np.max(np.abs(fit.fun)) > 1e-9:
        raise RuntimeError(f"Li 2019 AUCs not reproduced: residuals {fit.fun}")
    mix, shifts = unpack(fit.x)
    mix = {k: float(v) for k, v in mix.items()}
    mix["metastasis"] = 1.0 - mix["benign_primary"] - mix["malignant_primary"]
    return {
        "tumour_mix": mix,
        "blood.reference.mean_log": mean,
        "blood.reference.sd_log": sd,
        "blood.reference.correlation": corr,
        "blood.shift_nlr": {k: float(v) for k, v in shifts["nlr"].items()},
        "blood.shift_plr": {k: float(v) for k, v in shifts["plr"].items()},
    }


def _leaf(tree: dict, path: str) -> dict:
    for key in path.split("."):
        tree = tree[key]
    return tree


def main(argv: list[str]) -> None:
    doc = json.loads(SCENARIO.read_text(encoding="utf-8"))
    params = doc["parameters"]
    derived = calibrate(params)
    for path, value in derived.items():
        print(f"{path}: {json.dumps(value)}")
    mix = derived["tumour_mix"]
    age = params["age"]
    mean_age = sum(mix[k] * age[k]["mean"]["value"] for k in mix)
    print(f"check: benign share among primary tumours {mix['benign_primary'] / (1 - mix['metastasis']):.3f} "
          "(World J Surg Oncol 2017: 0.645)")
    print(f"check: mean age of tumour patients {mean_age:.1f} (Li 2019: 46.3)")
    sd = derived["blood.reference.sd_log"]
    for k in ("nlr", "plr"):
        cov = np.array(derived["blood.reference.correlation"]) * np.outer(*[[sd[c] for c in COUNTS]] * 2)
        j = 0 if k == "nlr" else 2
        sigma = float(np.sqrt(cov[j, j] + cov[1, 1] - 2 * cov[j, 1]))
        off = model_aucs(mix, derived[f"blood.shift_{k}"], dict.fromkeys(params["origin_shares"]["value"], 0.0),
                         params["origin_shares"]["value"], sigma)
        print(f"check: {k} AUCs with origin shifts switched off: {np.round(off, 4)} (Li 2019: {LI_AUCS[k]})")
    if "--write" in argv:
        for path, value in derived.items():
            _leaf(params, path)["value"] = value
        SCENARIO.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {SCENARIO}")


if __name__ == "__main__":
    main(sys.argv[1:])
