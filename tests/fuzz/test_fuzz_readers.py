"""Fuzz: multi-reader multi-case reader studies (ds.reader_study)."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds
from diagstats.errors import DiagstatsError

from . import strategies as s
from .invariants import budget, check_outcome, covers, make_call
from .strategies import kw, maybe

#: Ways of breaking a crossed long-format reader study (each must be refused or give a valid result).
DAMAGE = ["none", "none", "none", "none", "none", "drop_row", "duplicate_row", "truth_conflict", "truth_nan",
          "truth_two", "score_text", "score_nan", "score_inf", "one_class", "one_reader", "one_modality", "few_cases",
          "nest_readers", "nest_modalities", "readers_in_modalities"]
#: The designs of a reader study (``design=``), and the data layouts that fit them.
DESIGNS = ["crossed", "cases_in_readers", "cases_in_modalities"]


@st.composite
def reader_data(draw):
    """Long data (reader, modality, case, truth, rating): 2-4 readers, 2-3 modalities, 4-12 cases, ties
    often (1-5 ratings), sometimes damaged."""
    r, t, c = draw(st.integers(2, 4)), draw(st.integers(2, 3)), draw(st.integers(4, 12))
    truth = np.array(draw(st.lists(st.integers(0, 1), min_size=c, max_size=c)))
    if draw(st.integers(0, 3)) < 3:  # mostly at least two cases of each class
        truth[:2], truth[2:4] = 1, 0
    discrete = draw(st.booleans())
    ratings = draw(st.lists(st.integers(1, 5) if discrete else st.floats(-1e6, 1e6, allow_nan=False),
                            min_size=r * t * c, max_size=r * t * c))
    frame = pd.DataFrame({"reader": np.repeat(np.arange(r), t * c), "modality": np.tile(np.repeat(np.arange(t), c), r),
                          "case": np.tile(np.arange(c), r * t), "truth": np.tile(truth, r * t),
                          "rating": np.asarray(ratings, dtype=float)})
    damage = draw(st.sampled_from(DAMAGE))
    k = draw(st.integers(0, len(frame) - 1))
    if damage == "drop_row":
        frame = frame.drop(index=k)
    elif damage == "duplicate_row":
        frame = pd.concat([frame, frame.iloc[[k]]])
    elif damage == "truth_conflict":
        frame.loc[k, "truth"] = 1 - frame.loc[k, "truth"]
    elif damage == "truth_nan":
        frame.loc[k, "truth"] = np.nan
    elif damage == "truth_two":
        frame.loc[k, "truth"] = 2
    elif damage == "score_text":
        frame["rating"] = frame["rating"].astype(object)
        frame.loc[k, "rating"] = "high"
    elif damage in ("score_nan", "score_inf"):
        frame.loc[k, "rating"] = np.nan if damage == "score_nan" else np.inf
    elif damage == "one_class":
        frame["truth"] = 1
    elif damage == "one_reader":
        frame = frame[frame["reader"] == 0]
    elif damage == "one_modality":
        frame = frame[frame["modality"] == 0]
    elif damage == "few_cases":
        frame = frame[frame["case"] < 3]
    elif damage == "nest_readers":  # each case kept for one reader (cases nested in readers)
        frame = frame[frame["case"] % r == frame["reader"]]
    elif damage == "nest_modalities":  # each case kept for one modality (cases nested in modalities)
        frame = frame[frame["case"] % t == frame["modality"]]
    elif damage == "readers_in_modalities":  # each reader reads one modality only
        frame = frame[frame["reader"] % t == frame["modality"]]
    return frame


@st.composite
def nested_data(draw):
    """Long data of a nested design: 2-4 readers, 2-3 modalities, 4-8 cases per reader (cases nested in readers)
    or per modality (in modalities), the first two of each group diseased and the next two not; case ids unique."""
    r, t, n = draw(st.integers(2, 4)), draw(st.integers(2, 3)), draw(st.integers(4, 8))
    design = draw(st.sampled_from(DESIGNS[1:]))
    groups = r if design == "cases_in_readers" else t
    truth = np.tile(np.r_[1, 1, 0, 0, draw(st.lists(st.integers(0, 1), min_size=n - 4, max_size=n - 4))], groups)
    case = np.arange(groups * n)
    reader, modality = np.meshgrid(np.arange(r), np.arange(t), indexing="ij")
    rows = [(j, i, k) for j, i in zip(reader.ravel(), modality.ravel()) for k in case
            if k // n == (j if design == "cases_in_readers" else i)]
    ratings = draw(st.lists(st.integers(1, 5), min_size=len(rows), max_size=len(rows)))
    frame = pd.DataFrame(rows, columns=["reader", "modality", "case"])
    return frame.assign(truth=truth[frame["case"]], rating=np.asarray(ratings, dtype=float)), design


@covers("reader_study")
@settings(max_examples=budget(2))
@given(st.data())
def test_reader_study(data):
    frame = data.draw(reader_data(), label="data")
    cols = list(frame.columns)
    options = kw(data, score=maybe(s.column_name(cols, p_bad=10)),
                 covariance=maybe(s.options(["jackknife", "delong", "unbiased", "bootstrap"])),
                 metric=maybe(s.options(["auc", "sensitivity", "specificity", "pauc", "binormal_auc"])),
                 level=maybe(s.levels()), method=maybe(s.options(["or", "dbm"])),
                 threshold=maybe(s.arg([1, 3, 2.5, -10.0], "3", np.nan, np.inf), p_omit=70),
                 specificity=maybe(s.arg([(0.8, 1.0), (0.0, 0.3)], (80, 100), (0.5, 0.5), "high"), p_omit=70),
                 sensitivity=maybe(s.arg([(0.9, 1.0)], (0.9, np.nan)), p_omit=85),
                 correct=maybe(s.arg([True, False], "yes"), p_omit=80),
                 design=maybe(s.options([*DESIGNS, "auto"]), p_omit=70),
                 cluster=maybe(s.arg(["patient", "case"], "no_such_column", "patient_gap", "patient_split"),
                               p_omit=60))
    frame = frame.assign(patient=frame["case"] // 2, patient_gap=(frame["case"] // 2).where(frame["case"] != 1),
                         patient_split=frame["case"] // 2 + frame["reader"])
    check_outcome(make_call("reader_study", ds.reader_study, frame, **options))


@covers("reader_study")
@settings(max_examples=budget(1))
@given(st.data())
def test_reader_study_nested(data):
    frame, design = data.draw(nested_data(), label="data")
    options = kw(data, design=st.sampled_from(DESIGNS + ["auto"] + [design] * 3),
                 covariance=maybe(s.options(["jackknife", "delong", "bootstrap"])),
                 metric=maybe(s.options(["auc", "sensitivity", "specificity"])), level=maybe(s.levels()),
                 method=maybe(s.options(["or", "dbm"]), p_omit=80),
                 threshold=maybe(s.arg([1, 3, 2.5]), p_omit=70), n_boot=st.just(200), progress=st.just(False))
    check_outcome(make_call("reader_study", ds.reader_study, frame, **options))


#: Things that are not a reader study, passed as the pilot (each must be refused naming ``pilot``).
NOT_A_PILOT = [None, 0.8, "pilot", {"Var(TxR)": 0.001}, pd.DataFrame({"a": [1]})]


@functools.cache
def _valid_pilot() -> ds.ReaderStudyResult:
    rng = np.random.default_rng(5)
    truth = np.repeat([0, 1], 10)
    frame = pd.DataFrame({"reader": np.repeat(np.arange(3), 40), "modality": np.tile(np.repeat([0, 1], 20), 3),
                          "case": np.tile(np.arange(20), 6), "truth": np.tile(truth, 6),
                          "rating": np.tile(truth, 6) + rng.normal(size=120)})
    return ds.reader_study(frame)


@covers("planning.reader_study_power")
@settings(max_examples=budget(2))
@given(st.data())
def test_reader_study_power(data):
    frame = data.draw(reader_data(), label="data")
    try:
        pilot = ds.reader_study(frame)
    except DiagstatsError:  # a damaged pilot, refused by reader_study (fuzzed above): a valid one instead
        pilot = _valid_pilot()
    if data.draw(st.integers(0, 9), label="not_a_pilot") == 0:
        pilot = data.draw(st.sampled_from(NOT_A_PILOT), label="pilot")
    options = kw(data, n_readers=s.arg([2, 5, 10, 10**6], 1, 0, -3, 2.5, 10**6 + 1),
                 n_cases=s.arg([2, 50, 165, 10**9], 1, 0, -1, 10**9 + 1),
                 effect=maybe(s.arg([0.0, 0.05, -0.1, 1.0], 2.0, np.nan, np.inf)),
                 alpha=maybe(s.probability(closed=False)),
                 power=maybe(s.arg([0.5, 0.8, 0.99], 0, 1, 80, np.nan)),
                 analysis=maybe(s.arg(["rrrc", "frrc", "rrfc"], "dbm", 1)))
    if "power" in options and data.draw(st.booleans(), label="solve"):
        options.pop(data.draw(st.sampled_from(["n_readers", "n_cases"]), label="solve_for"), None)
    check_outcome(make_call("planning.reader_study_power", ds.planning.reader_study_power, pilot, **options))
