"""Behaviour of ds.reader_study: bad input, the vectorised jackknife, the result contract and printout."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats.errors import DiagstatsError, OptionError
from diagstats.readers._covariance import auc_covariance, case_placements
from diagstats.results import check_contract


def study(n_readers: int = 3, modalities=("CT", "MRI"), n_cases: int = 20, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    truth = (np.arange(n_cases) % 3 == 0).astype(int)
    rows = [{"reader": f"R{j}", "modality": m, "case": f"c{k}", "truth": truth[k],
             "rating": float(np.clip(np.round(2.5 + truth[k] * (1 + i) + rng.normal()), 1, 5))}
            for j in range(n_readers) for i, m in enumerate(modalities) for k in range(n_cases)]
    return pd.DataFrame(rows)


def _auc(score: np.ndarray, y: np.ndarray) -> float:
    diff = score[y][:, None] - score[~y][None, :]
    return float(np.mean((diff > 0) + 0.5 * (diff == 0)))


def test_vectorised_jackknife_equals_a_leave_one_case_out_loop():
    data = study(n_readers=3, modalities=("A", "B", "C"), n_cases=13, seed=3)
    res = ds.reader_study(data)
    ratings = data.pivot_table(index=["modality", "reader"], columns="case", values="rating").to_numpy()
    truth = data.drop_duplicates("case").set_index("case")["truth"].sort_index().to_numpy() == 1
    c = len(truth)
    full = np.array([_auc(row, truth) for row in ratings])
    loo = np.array([[_auc(np.delete(row, k), np.delete(truth, k)) for row in ratings] for k in range(c)])  # (c, k)
    dev = loo - loo.mean(axis=0)
    expected = (c - 1) / c * dev.T @ dev
    np.testing.assert_allclose(np.asarray(res.auc).ravel(), full, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(res.auc_covariance), expected, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(loo.mean(axis=0), full, rtol=1e-12)  # the jackknife mean is the AUC itself


def test_delong_covariance_equals_the_placement_formula():
    data = study(n_cases=17, seed=5)
    res = ds.reader_study(data, covariance="delong")
    ratings = data.pivot_table(index=["modality", "reader"], columns="case", values="rating").to_numpy()
    truth = data.drop_duplicates("case").set_index("case")["truth"].sort_index().to_numpy() == 1
    auc, v10, v01 = case_placements(ratings, truth)
    expected = np.cov(v10) / truth.sum() + np.cov(v01) / (~truth).sum()
    np.testing.assert_allclose(np.asarray(res.auc_covariance), expected, rtol=1e-12)
    np.testing.assert_allclose(auc_covariance(auc, v10, v01, "delong"), expected, rtol=1e-12)


def test_result_contract_frame_dict_and_text():
    res = ds.reader_study(study())
    check_contract(res)
    frame = res.to_frame()
    assert list(frame.columns[:10]) == ["analysis", "modality", "reader", "measure", "value", "lower", "upper",
                                        "level", "method", "notes"]
    assert set(frame["analysis"]) == {"reader x modality", "modality", "rrrc", "frrc", "rrfc", "per reader",
                                      "components"}
    assert (frame["analysis"] == "reader x modality").sum() == 6
    per_reader = frame[frame["analysis"] == "per reader"]
    assert len(per_reader) == 3 == len(res.per_reader)
    assert list(per_reader["p_value"]) == [t.p_value for t in res.per_reader]
    assert "Each reader alone" in str(res)
    rrrc = frame[(frame["analysis"] == "rrrc") & (frame["modality"] == "all")].iloc[0]
    assert rrrc["statistic"] == pytest.approx(res.rrrc.statistic) and rrrc["df"] == pytest.approx(res.rrrc.df)
    d = res.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["n"] == 3 * 2 * 20 and d["covariance"] == "jackknife" and d["level"] == 0.95
    assert d["rrrc"]["df"] == pytest.approx(res.rrrc.df)
    assert set(d["components"]) >= {"Var(R)", "Var(TxR)", "Cov1", "Cov2", "Cov3", "Var(error)", "MS(T)", "MS(TxR)"}
    text = str(res)
    for part in ("3 readers x 2 modalities x 20 cases", "AUC per reader x modality", "Random readers and random "
                 "cases (RRRC)", "Fixed readers and random cases (FRRC)", "Random readers and fixed cases (RRFC)",
                 "Cov2", "MS(TxR)", "CT - MRI"):
        assert part in text
    assert "ReaderStudyResult" in repr(res) and "<table" in res._repr_html_()
    assert res.auc_frame().shape == (3, 2)


def test_three_modalities_have_pairwise_differences_and_no_single_estimate():
    res = ds.reader_study(study(modalities=("A", "B", "C")))
    assert res.df_num == 2 and res.rrrc.estimate is None
    assert [e.name for e in res.differences] == ["AUC difference A - B", "AUC difference A - C",
                                                 "AUC difference B - C"]
    assert len(res.rrrc_pairs) == len(res.frrc_pairs) == len(res.rrfc_pairs) == 3


def test_level_and_reader_order_do_not_change_the_analysis():
    data = study()
    a = ds.reader_study(data)
    b = ds.reader_study(data.sample(frac=1, random_state=1), level=0.9)
    assert b.rrrc.statistic == pytest.approx(a.rrrc.statistic) and b.rrrc.df == pytest.approx(a.rrrc.df)
    assert b.rrrc.estimate.upper - b.rrrc.estimate.lower < a.rrrc.estimate.upper - a.rrrc.estimate.lower


def test_column_names_are_arguments():
    data = study().rename(columns={"rating": "score", "truth": "biopsy", "reader": "radiologist"})
    res = ds.reader_study(data, score="score", truth="biopsy", reader="radiologist")
    assert res.readers == ("R0", "R1", "R2")


def _error(data, match, **kw):
    with pytest.raises(DiagstatsError, match=match):
        ds.reader_study(data, **kw)


def test_a_reader_who_did_not_read_every_case_is_refused():
    data = study()
    _error(data.drop(index=5), r"not a fully crossed design: reader 'R0' read 19 of the 20 cases in modality 'CT'")


def test_a_case_without_truth_or_with_two_truths_is_refused():
    data = study()
    data.loc[3, "truth"] = np.nan
    _error(data, r"truth='truth' has 1 missing value.*give every case its reference standard")
    data = study()
    data.loc[data.index[-1], "truth"] = 1 - data.loc[data.index[-1], "truth"]
    _error(data, r"truth='truth' differs between rows of the same case \('c19'\)")


def test_one_modality_one_reader_and_duplicates_are_refused():
    data = study()
    _error(data[data["modality"] == "CT"], r"modality='modality' has 1 value.*at least two modalities")
    _error(data[data["reader"] == "R1"], r"reader='reader' has 1 value.*at least two readers")
    _error(pd.concat([data, data.iloc[[4]]]), r"data has 1 duplicate row.*drop_duplicates")


def test_truth_and_score_must_be_binary_and_numeric():
    data = study()
    data["truth"] = data["truth"] * 2
    _error(data, r"truth='truth' must be binary")
    data = study()
    data["truth"] = np.where(data["truth"] == 1, "malignant", "benign")
    _error(data, r"truth='truth' must be binary.*Recode")
    data = study()
    data["rating"] = data["rating"].astype(str)
    data.loc[2, "rating"] = "high"
    _error(data, r"score='rating' must be a numeric rating.*'high'")
    data = study()
    data["rating"] = data["rating"] > 3
    _error(data, r"score='rating' must be a numeric rating")
    data = study()
    data.loc[0, "rating"] = np.nan
    _error(data, r"score='rating' has 1 missing value")


def test_bad_options_and_columns_name_the_argument():
    data = study()
    with pytest.raises(OptionError, match="covariance="):
        ds.reader_study(data, covariance="gallas")
    with pytest.raises(OptionError, match="metric="):
        ds.reader_study(data, metric="partial auc")
    _error(data, "level=", level=95)
    _error(data, "score='score' is not a column", score="score")
    _error(data.to_numpy(), "data must be a pandas DataFrame")


def test_too_few_diseased_cases_is_refused():
    data = study()
    data["truth"] = (data["case"] == "c0").astype(int)
    _error(data, r"truth='truth' has 1 diseased and 19 non-diseased cases")


def test_identical_readers_give_a_noted_undefined_statistic():
    data = study(n_cases=12)
    data["rating"] = data["truth"] * 3.0 + 1  # perfect separation everywhere: all AUCs 1, no variance
    res = ds.reader_study(data)
    assert np.isnan(res.rrrc.statistic) and res.rrrc.notes
    check_contract(res)
    json.dumps(res.to_dict(), allow_nan=False)


def test_per_reader_tests_with_delong_equal_compare_roc_of_that_reader():
    """Under fixed readers with DeLong covariances, each reader's test is DeLong's paired test of that reader's two
    ROC curves (ds.compare_roc)."""
    data = study(n_cases=30, seed=11)
    res = ds.reader_study(data, covariance="delong")
    for j, reader in enumerate(res.readers):
        rows = data[data["reader"] == reader].pivot_table(index="case", columns="modality", values="rating")
        truth = data.drop_duplicates("case").set_index("case")["truth"].sort_index()
        a, b = (ds.roc(truth.to_numpy(), rows[m].to_numpy()) for m in res.modalities)
        paired = ds.compare_roc(a, b)
        assert res.per_reader[j].p_value == pytest.approx(paired.p_value, rel=1e-9)
        assert abs(res.per_reader[j].statistic) == pytest.approx(abs(paired.statistic), rel=1e-9)


def test_plot_draws_every_reader_and_the_modality_averages():
    """The figure: one thin curve per reader x modality, one thick average per modality whose area (trapezoid on
    the 1001-point grid of 1 - specificity) is the modality's mean AUC (the curves are piecewise linear, so
    averaging them averages their areas; a vertical step at a grid point is read at one end, which moves the area
    by at most the grid spacing, 0.001)."""
    import matplotlib.pyplot as plt

    from diagstats.readers._curves import average_curve

    res = ds.reader_study(ds.simulate.roe_metz(n_readers=4, n_nondiseased=40, n_diseased=30, delta=(1.0, 2.0),
                                               modalities=("CT", "MRI"), seed=5))
    for i in range(2):
        fpr, tpr = res.roc_points[i * 4]
        assert np.trapezoid(tpr, fpr) == pytest.approx(res.auc[i, 0], abs=1e-12)
        grid, mean = average_curve(res.roc_points[i * 4:(i + 1) * 4])
        assert np.trapezoid(mean, grid) == pytest.approx(res.modality_auc[i].value, abs=1e-3)
    ax = res.plot()
    assert len(ax.lines) == 1 + 2 * (1 + 4)  # chance line, then per modality the average and 4 readers
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("CT (mean AUC") and labels[-1].startswith("MRI (mean AUC")
    assert len(res.plot(readers=False).lines) == 3
    with pytest.raises(DiagstatsError, match="readers"):
        res.plot(readers="yes")
    plt.close("all")


def test_a_clipped_single_modality_interval_names_its_t_interval():
    # before: the note called the Hillis-df t interval "normal"
    data = ds.simulate.roe_metz(n_readers=3, n_nondiseased=6, n_diseased=6, seed=0, delta=(3.5, 3.5))
    res = ds.reader_study(data)
    clipped = [n for n in res.notes if n.startswith("AUC B interval clipped to [0, 1]")]
    assert clipped and "(the t interval was " in clipped[0]
    assert res.modality_auc[1].upper == 1.0
