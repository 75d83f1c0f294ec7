"""ROCResult behaviour: entry points, curve, intervals, bootstrap engine, operating points, cutpoints."""

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import diagstats as ds
from diagstats.errors import OptionError
from diagstats._core import bootstrap as bootstrap_module
from diagstats._core.bootstrap import BLOCK
from diagstats._core.auc import auc_from_counts as auc_rows
from .roc_fixtures import load_fixture

Y = np.array([0, 0, 1, 0, 1, 1, 0, 1])
S = np.array([1.0, 2, 3, 4, 5, 6, 2, 5])


REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "roc"


def test_array_and_dataframe_entry_points_agree():
    df = pd.DataFrame({"biopsy": np.where(Y == 1, "malignant", "benign"), "nlr": S})
    a = ds.roc(Y, S)
    b = ds.roc(data=df, reference="biopsy", score="nlr", positive="malignant")
    assert a.auc == b.auc
    pd.testing.assert_frame_equal(a.curve, b.curve)
    assert b.title == "ROC analysis of nlr against biopsy"
    assert "AUC" in str(b) and "<table" in b._repr_html_()
    assert b.to_dict()["rows"][0]["measure"] == "AUC"


def test_auc_matches_sklearn_on_the_lognormal_fixture():
    data, _ = load_fixture("lognormal")
    assert ds.roc(data["y"], data["nlr"]).auc.value == pytest.approx(roc_auc_score(data["y"], data["nlr"]), abs=1e-12)


def test_direction_lower_curve_rule():
    res = ds.roc(Y, -S, direction="lower")
    curve = res.curve
    assert curve["threshold"].iloc[-1] == -np.inf
    for _, row in curve.iterrows():
        positive = -S <= row["threshold"]
        assert row["tp"] == (positive & (Y == 1)).sum()
    assert res.auc.value == ds.roc(Y, S).auc.value
    assert res.at_threshold(-5).tp == 3  # scores -5, -5, -6 are <= -5 among cases


def test_at_threshold_is_the_accuracy_of_the_two_by_two_table():
    acc = ds.roc(Y, S).at_threshold(4.5)
    assert (acc.tp, acc.fp, acc.fn, acc.tn) == (3, 0, 1, 4)
    assert acc.sensitivity.method == "Wilson"


def test_confidence_interval_returns_a_new_result():
    res = ds.roc(Y, S)
    hm = res.confidence_interval(level=0.9, method="hanley_mcneil")
    assert hm.auc.method == "Hanley-McNeil" and hm.level == 0.9 and res.level == 0.95
    assert hm.auc.upper - hm.auc.lower < res.auc_ci("hanley_mcneil").upper - res.auc_ci("hanley_mcneil").lower


def _brute_auc(cases, controls):
    return ((cases[:, None] > controls[None, :]) + 0.5 * (cases[:, None] == controls[None, :])).mean()


def test_vectorised_bootstrap_equals_the_naive_loop_on_the_same_resamples():
    rng = np.random.default_rng(3)
    y = rng.random(60) < 0.4
    s = np.round(rng.normal(y * 1.0), 1)
    res = ds.roc(y, s)
    reps = res._bootstrap(auc_rows, 100, 7, False)
    # documented scheme: block j of BLOCK replicates is drawn by child j of SeedSequence(7), case
    # indices (BLOCK, m) then control indices (BLOCK, n); the last block is cut
    cases, controls = s[y], s[~y]
    naive = []
    for child in np.random.SeedSequence(7).spawn(-(-100 // BLOCK)):
        draw = np.random.default_rng(child)
        ci = draw.integers(0, res.n_cases, (BLOCK, res.n_cases))
        ki = draw.integers(0, res.n_controls, (BLOCK, res.n_controls))
        naive += [_brute_auc(cases[ci[b]], controls[ki[b]]) for b in range(BLOCK)]
    np.testing.assert_allclose(reps, naive[:100], atol=1e-12)


@pytest.mark.parametrize("chunk_elements", [1, 50_000, 10**9])
def test_bootstrap_replicates_do_not_depend_on_the_chunk_size(monkeypatch, chunk_elements):
    """Replicate b depends only on (seed, b): same replicates whatever memory allows per chunk."""
    data, _ = load_fixture("continuous_ties")
    res = ds.roc(data["y"], data["marker"])
    reference = res._bootstrap(auc_rows, 300, 5, False)
    reference_ci = res.auc_ci("bootstrap", n_boot=300, seed=5, progress=False)
    r2 = ds.roc(data["y"], data["marker"] + np.random.default_rng(0).normal(0, 0.3, len(data)))
    other = ds.roc(data["y"][:150], data["marker"][:150])
    tests = [ds.compare_roc(res, r, method="bootstrap", n_boot=200, seed=3, progress=False) for r in (r2, other)]
    monkeypatch.setattr(bootstrap_module, "CHUNK_ELEMENTS", chunk_elements)
    np.testing.assert_array_equal(res._bootstrap(auc_rows, 300, 5, False), reference)
    assert res.auc_ci("bootstrap", n_boot=300, seed=5, progress=False) == reference_ci
    # the first replicates do not depend on how many follow
    np.testing.assert_array_equal(res._bootstrap(auc_rows, 250, 5, False), reference[:250])
    # paired and unpaired bootstrap tests neither
    assert [ds.compare_roc(res, r, method="bootstrap", n_boot=200, seed=3, progress=False)
            for r in (r2, other)] == tests


def test_bootstrap_is_reproducible_and_close_to_delong():
    data, _ = load_fixture("lognormal")
    res = ds.roc(data["y"], data["nlr"])
    a = res.auc_ci("bootstrap", n_boot=500, seed=11, progress=False)
    b = res.auc_ci("bootstrap", n_boot=500, seed=11, progress=False)
    assert a == b and "seed 11" in a.method
    # bounds of a 500-replicate percentile interval vary by about 0.2 SE; DeLong SE here is 0.0088
    assert a.lower == pytest.approx(res.auc.lower, abs=0.004)
    assert a.upper == pytest.approx(res.auc.upper, abs=0.004)
    bca = res.auc_ci("bootstrap", boot_type="bca", n_boot=500, seed=11, progress=False)
    assert bca.lower < res.auc.value < bca.upper and "BCa" in bca.method
    assert res.auc_variance("bootstrap", n_boot=500, seed=2, progress=False) == pytest.approx(
        res.auc_variance("delong"), rel=0.2)


def test_partial_auc_bootstrap_interval_and_sensitivity_at():
    data, _ = load_fixture("continuous_ties")
    res = ds.roc(data["y"], data["marker"])
    p = res.partial_auc(specificity=(0.8, 1), correct=True, ci=True, n_boot=300, seed=1, progress=False)
    assert p.lower < p.value < p.upper
    se = res.sensitivity_at(0.9, n_boot=300, seed=1, progress=False)
    sp = res.specificity_at(0.9, n_boot=300, seed=1, progress=False)
    assert se.lower <= se.value <= se.upper and sp.lower <= sp.value <= sp.upper
    # linear interpolation between the neighbouring operating points of the curve
    curve = res.curve
    above = curve[curve["specificity"] >= 0.9].iloc[0]
    below = curve[curve["specificity"] < 0.9].iloc[-1]
    frac = (above["specificity"] - 0.9) / (above["specificity"] - below["specificity"])
    assert se.value == pytest.approx(above["sensitivity"] + frac * (below["sensitivity"] - above["sensitivity"]))


def test_cutpoint_criteria():
    data, _ = load_fixture("ordinal")
    res = ds.roc(data["y"], data["rating"])
    curve = res.curve
    ms = res.threshold("min_sensitivity", value=0.9)
    feasible = curve[curve["sensitivity"] >= 0.9]
    assert ms.sensitivity >= 0.9 and ms.specificity == feasible["specificity"].max()
    msp = res.threshold("min_specificity", value=0.9)
    assert msp.specificity >= 0.9 and msp.sensitivity == curve.loc[curve["specificity"] >= 0.9, "sensitivity"].max()
    # a very costly false negative pushes the threshold down (higher sensitivity)
    cheap, costly = res.threshold("cost", cost_ratio=0.5), res.threshold("cost", cost_ratio=20)
    assert costly.threshold < cheap.threshold
    cost = 20 * (res.n_cases / len(data)) * (1 - curve["sensitivity"]) + (1 - res.n_cases / len(data)) * (
        1 - curve["specificity"])
    assert costly.threshold == curve["threshold"][cost.idxmin()]


def test_cutpoint_bootstrap_intervals_and_optimism():
    data, _ = load_fixture("continuous_ties")
    res = ds.roc(data["y"], data["marker"])
    cut = res.threshold("youden", n_boot=300, seed=4, progress=False)
    names = [e.name for e in cut.intervals]
    assert names == ["threshold", "sensitivity", "specificity", "youden (optimism-corrected)"]
    thr = cut.intervals[0]
    assert thr.lower <= cut.threshold <= thr.upper
    corrected = cut.intervals[3].value
    assert corrected < cut.sensitivity + cut.specificity - 1  # optimism is positive
    assert cut.to_frame()["measure"].tolist() == names


def test_multiclass_m_equals_sklearn_one_vs_one():
    rng = np.random.default_rng(0)
    classes = ["breast", "lung", "prostate", "kidney"]
    y = rng.choice(classes, 400)
    raw = pd.DataFrame({c: rng.normal(1.5 * (y == c), 1.0) for c in classes})
    prob = np.exp(raw)
    prob = prob.div(prob.sum(axis=1), axis=0)
    res = ds.roc_multiclass(y, prob, n_boot=300, seed=1, progress=False)
    ordered = sorted(classes)
    expected = roc_auc_score(y, prob[ordered].to_numpy(), multi_class="ovo", labels=ordered)
    assert res.hand_till.value == pytest.approx(expected, abs=1e-12)
    assert res.hand_till.lower < res.hand_till.value < res.hand_till.upper
    for label, curve in zip(res.classes, res.curves):
        assert curve.auc.value == pytest.approx(roc_auc_score(y == label, prob[label]), abs=1e-12)
    for key, (multi_class, average) in {"ovr_macro": ("ovr", "macro"), "ovr_weighted": ("ovr", "weighted"),
                                        "ovr_micro": ("ovr", "micro"), "ovo_macro": ("ovo", "macro"),
                                        "ovo_weighted": ("ovo", "weighted")}.items():
        expected = roc_auc_score(y, prob[ordered].to_numpy(), multi_class=multi_class, average=average,
                                 labels=ordered)
        assert res.averages[key] == pytest.approx(expected, abs=1e-12), key
    assert len(res.to_frame()) == 4 + 4 + 1   # one-vs-rest curves, four averages (ovo_macro is M), M


def test_binormal_recovers_known_parameters():
    rng = np.random.default_rng(5)
    y = rng.random(40000) < 0.4
    latent = np.where(y, rng.normal(1.2, 1 / 0.8, y.size), rng.normal(0, 1, y.size))
    rating = np.digitize(latent, [-0.5, 0.2, 0.8, 1.5]) + 1
    fit = ds.roc(y, rating).smooth()
    assert fit.a.contains(0.96) and fit.b.contains(0.8)
    from scipy import stats
    assert fit.auc.contains(stats.norm.cdf(0.96 / np.sqrt(1 + 0.64)))
    assert fit.points(11)["sensitivity"].is_monotonic_increasing  # specificity runs from 1 to 0


def test_plots_return_axes():
    import matplotlib.pyplot as plt

    r1, r2 = ds.roc(Y, S), ds.roc(Y, S[::-1])
    ax = r1.plot(n_boot=50)
    assert ax.get_xlim()[0] > ax.get_xlim()[1]  # specificity from 1 to 0
    assert len(ax.collections) == 1  # the confidence band
    fig, ax2 = plt.subplots()
    assert ds.plot_roc([r1, r2], ax=ax2, labels=["mri", "ct"]) is ax2
    assert [t.get_text() for t in ax2.get_legend().get_texts()][0].startswith("mri (AUC")
    plt.close("all")


def test_compare_list_uses_holm():
    rng = np.random.default_rng(8)
    y = rng.random(150) < 0.5
    curves = [ds.roc(y, rng.normal(y * d)) for d in (1.0, 0.6, 0.2)]
    table = ds.compare_roc(curves)
    frame = table.to_frame()
    p = np.sort(frame["p_value"].to_numpy())
    expected = np.minimum(np.maximum.accumulate(p * np.array([3, 2, 1])), 1)
    np.testing.assert_allclose(np.sort(frame["p_adjusted"].to_numpy()), expected)
    assert (frame["p_adjusted"] >= frame["p_value"]).all()


# --- issue #14 -----------------------------------------------------------------------------------

def test_an_operating_point_says_how_many_replicates_were_undefined():
    res = ds.roc([0, 0, 1, 0, 1, 1, 0, 1], [1, 2, 3, 4, 5, 6, 2, 5])

    def statistic(cases, controls):  # undefined in every fourth replicate
        cases = np.asarray(cases)
        return 0.5 if cases.ndim == 1 else np.where(np.arange(len(cases)) % 4 == 0, np.nan, 0.5)

    est = res._operating(statistic, "test statistic", None, 40, 0, False)
    assert est.notes == ("10 of 40 bootstrap replicates undefined (NaN) and left out of the interval",)


def test_plot_band_with_too_few_cases_suggests_what_helps():
    # before: "Use method='delong'", which needs 2 cases and 2 controls as well
    with pytest.raises(ds.DiagstatsError, match=r"1 diseased and 3 non-diseased.*plot\(ci=False\)"):
        ds.roc([0, 1, 0, 0], [1, 2, 3, 4]).plot(ci=True)


def test_binormal_fit_without_curvature_has_no_interval_and_says_why():
    # before: numpy's "invalid value encountered in sqrt" and "overflow encountered in exp"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = ds.roc([1, 1, 1, 1, 1, 0, 1], [1.0, 0.0, 2.0, 0.0, 2.0, 1.0, 0.0]).smooth()
    assert np.isnan(res.auc.lower) and np.isnan(res.a.lower)
    assert "no Wald intervals" in res.auc.notes[0] and res.notes[-1] == res.auc.notes[0]


def test_infinite_scores_are_ranked_with_a_note():
    """+inf and -inf are the most and least suspicious scores: the AUC is that of their ranks (pROC refuses them)."""
    y = np.array([0, 0, 0, 1, 1, 1, 0, 1])
    finite = np.array([-3.0, 1.0, 2.0, 2.5, 3.0, 9.0, 0.5, 1.5])
    infinite = finite.copy()
    infinite[0], infinite[5] = -np.inf, np.inf   # the lowest and the highest score become infinite
    a, b = ds.roc(y, finite), ds.roc(y, infinite)
    assert b.auc.value == a.auc.value and (b.auc.lower, b.auc.upper) == (a.auc.lower, a.auc.upper)
    assert "2 infinite scores are ranked above (+inf) or below (-inf)" in " ".join(b.notes)
    assert not any("infinite" in note for note in a.notes)


@pytest.mark.parametrize("direction, key", [("auto", "auto"), ("higher", "higher")])
def test_one_score_across_classes_matches_proc_multiclass_roc(direction, key):
    """pROC 1.18 ``multiclass.roc(aSAH$gos6, aSAH$s100b, direction=)`` (tests/reference/roc/roc_multiclass.R)."""
    ref = json.loads((REFERENCE / "multiclass_proc.json").read_text())[key]
    data = pd.read_csv(REFERENCE / "asah.csv")
    res = ds.roc_multiclass(data["gos6"], data["s100b"], direction=direction, n_boot=200, progress=False)
    assert res.classes == (1, 3, 4, 5) and res.univariate
    assert res.hand_till.value == pytest.approx(ref["auc"], abs=1e-9)
    for row, pair in zip(res.pairwise.itertuples(), ref["pairs"]):
        assert (str(row.class_i), str(row.class_j)) == (pair["controls"], pair["cases"])
        assert row.auc == pytest.approx(pair["auc"], abs=1e-9)
        assert row.direction == {"<": "higher", ">": "lower"}[pair["direction"]]
    flipped = "direction='auto' turned round the pair(s)" in " ".join(res.notes)
    assert flipped == (direction == "auto")
    assert res.hand_till.lower < res.hand_till.value < res.hand_till.upper


def test_hand_till_m_with_a_single_patient_in_a_class_has_no_interval_and_says_why():
    rng = np.random.default_rng(3)
    y = np.array(["a"] * 30 + ["b"] * 30 + ["c"])
    raw = np.exp(pd.DataFrame({c: rng.normal(y == c, 1.0) for c in "abc"}))
    probs = raw.div(raw.sum(axis=1), axis=0)
    res = ds.roc_multiclass(y, probs, n_boot=100, progress=False)
    assert res.hand_till.value == pytest.approx(roc_auc_score(y, probs.to_numpy(), multi_class="ovo"), abs=1e-12)
    assert np.isnan(res.hand_till.lower) and "['c'] have a single patient" in res.hand_till.notes[0]


@pytest.mark.parametrize("key, direction, options", [
    ("partial_specificity_correct", "auto", {"specificity": (0.7, 1.0), "correct": True}),
    ("partial_sensitivity", "higher", {"sensitivity": (0.9, 1.0)}),
])
def test_one_score_multiclass_partial_auc_matches_proc(key, direction, options):
    """pROC 1.18 ``auc(multiclass.roc(aSAH$gos6, aSAH$s100b), partial.auc=, partial.auc.focus=,
    partial.auc.correct=)``: the mean of the pairwise partial AUCs (tests/reference/roc/roc_multiclass.R)."""
    ref = json.loads((REFERENCE / "multiclass_proc.json").read_text())[key]
    data = pd.read_csv(REFERENCE / "asah.csv")
    res = ds.roc_multiclass(data["gos6"], data["s100b"], direction=direction, n_boot=200, progress=False, **options)
    assert res.hand_till.value == pytest.approx(ref["auc"], abs=1e-9)
    assert res.hand_till.name.startswith("multiclass partial AUC")
    for row, pair in zip(res.pairwise.itertuples(), ref["pairs"]):
        assert (str(row.class_i), str(row.class_j)) == (pair["controls"], pair["cases"])
        assert row.partial_auc == pytest.approx(pair["auc"], abs=1e-9)
    assert res.hand_till.lower <= res.hand_till.value <= res.hand_till.upper
    below = "below the chance diagonal" in " ".join(res.notes)
    assert below == ("sensitivity" in options)


def test_multiclass_partial_auc_equals_the_two_class_partial_auc_and_refuses_bad_ranges():
    rng = np.random.default_rng(5)
    y = np.repeat(["a", "b"], 30)
    score = rng.normal(np.repeat([0.0, 1.0], 30), 1.0)
    multi = ds.roc_multiclass(y, score, specificity=(0.8, 1.0), correct=True, n_boot=50, progress=False)
    assert multi.hand_till.value == pytest.approx(
        ds.roc(y == "b", score).partial_auc(specificity=(0.8, 1.0), correct=True).value, abs=1e-12)
    with pytest.raises(OptionError, match="specificity=.*within \\[0, 1\\]"):
        ds.roc_multiclass(y, score, specificity=(80, 100), progress=False)
    with pytest.raises(OptionError, match="exactly one range"):
        ds.roc_multiclass(y, score, specificity=(0.8, 1.0), sensitivity=(0.8, 1.0), progress=False)
    with pytest.raises(OptionError, match="correct=True standardises a partial AUC"):
        ds.roc_multiclass(y, score, correct=True, progress=False)


@pytest.mark.parametrize("key, options", [
    ("auc", {}),
    ("partial_specificity", {"sensitivity": (0.8, 1.0)}),
    ("partial_sensitivity_correct", {"specificity": (0.6, 1.0), "correct": True}),
])
def test_hand_till_m_of_partial_aucs_matches_proc_multivariate(key, options):
    """pROC 1.18 ``auc(multiclass.roc(cls, scores), partial.auc=, partial.auc.focus=)`` with one score column per
    class (tests/reference/roc/roc_multiclass_mv.R). pROC takes the scored class as the controls, so its
    specificity focus is diagstats' sensitivity= and vice versa."""
    ref = json.loads((REFERENCE / "multiclass_mv_proc.json").read_text())[key]
    data = pd.read_csv(REFERENCE / "multiclass_scores.csv")
    scores = data.drop(columns="cls").rename(columns=lambda c: int(c.lstrip("X")))
    res = ds.roc_multiclass(data["cls"], scores, n_boot=200, progress=False, **options)
    assert res.hand_till.value == pytest.approx(ref, abs=1e-9)
    assert res.hand_till.lower <= res.hand_till.value <= res.hand_till.upper
    if options:
        assert res.hand_till.name.startswith("Hand & Till M of partial AUCs")
        assert res.hand_till.value == pytest.approx(res.pairwise["partial_mean"].mean(), abs=1e-12)
