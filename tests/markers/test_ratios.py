"""ds.markers.ratios: NLR, PLR, LMR, SII from blood counts; units; bad input."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import diagstats as ds
from diagstats.errors import DataError, DiagstatsError, OptionError


@pytest.fixture
def counts():
    return pd.DataFrame({"neut": [4.2, 6.0, 3.0], "lymph": [2.1, 1.5, 1.2], "plt": [250.0, 300.0, 180.0],
                         "mono": [0.5, 0.6, 0.4]})


def test_ratio_definitions(counts):
    out = ds.markers.ratios(counts, neutrophils="neut", lymphocytes="lymph", platelets="plt", monocytes="mono")
    np.testing.assert_allclose(out["nlr"], counts.neut / counts.lymph, rtol=1e-15)
    np.testing.assert_allclose(out["plr"], counts.plt / counts.lymph, rtol=1e-15)
    np.testing.assert_allclose(out["lmr"], counts.lymph / counts.mono, rtol=1e-15)
    np.testing.assert_allclose(out["sii"], counts.plt * counts.neut / counts.lymph, rtol=1e-15)
    assert out.attrs["diagstats"]["units"] == "10^9/L"
    assert out.attrs["diagstats"]["n_undefined"] == {"nlr": 0, "plr": 0, "lmr": 0, "sii": 0}


def test_input_is_not_modified(counts):
    before = counts.copy()
    out = ds.markers.ratios(counts, neutrophils="neut", lymphocytes="lymph")
    pd.testing.assert_frame_equal(counts, before)
    assert "nlr" not in counts.columns and out is not counts
    assert list(out.columns) == list(counts.columns) + ["nlr"]


def test_only_ratios_whose_counts_are_given(counts):
    out = ds.markers.ratios(counts, lymphocytes="lymph", monocytes="mono")
    assert "lmr" in out and not {"nlr", "plr", "sii"} & set(out.columns)


@pytest.mark.parametrize("units, factor", [("10^3/uL", 1.0), ("G/L", 1.0), ("per_uL", 1e3), ("per_L", 1e9)])
def test_units_convert_to_10e9_per_litre(counts, units, factor):
    scaled = counts * factor
    out = ds.markers.ratios(scaled, neutrophils="neut", lymphocytes="lymph", platelets="plt", units=units)
    ref = ds.markers.ratios(counts, neutrophils="neut", lymphocytes="lymph", platelets="plt")
    np.testing.assert_allclose(out[["nlr", "plr", "sii"]], ref[["nlr", "plr", "sii"]], rtol=1e-12)


def test_per_litre_counts_declared_as_10e9_are_caught(counts):
    with pytest.raises(DataError, match=r"neutrophils \('neut'\).*looks like cells per litre.*units='per_L'"):
        ds.markers.ratios(counts * 1e9, neutrophils="neut", lymphocytes="lymph")


def test_per_microlitre_counts_are_caught(counts):
    with pytest.raises(DataError, match=r"units='per_uL'"):
        ds.markers.ratios(counts * 1e3, neutrophils="neut", lymphocytes="lymph")


def test_10e9_counts_declared_per_litre_are_caught(counts):
    with pytest.raises(DataError, match=r"units='10\^9/L'"):
        ds.markers.ratios(counts, neutrophils="neut", lymphocytes="lymph", units="per_L")


def test_unknown_unit(counts):
    with pytest.raises(OptionError, match="units='mmol/L' is not a valid choice"):
        ds.markers.ratios(counts, neutrophils="neut", lymphocytes="lymph", units="mmol/L")


def test_negative_counts(counts):
    counts.loc[1, "lymph"] = -1.0
    with pytest.raises(DataError, match=r"lymphocytes \('lymph'\) is negative in 1 row"):
        ds.markers.ratios(counts, neutrophils="neut", lymphocytes="lymph")


def test_non_numeric_count(counts):
    counts["neut"] = ["4.2", "high", "3.0"]
    with pytest.raises(DataError, match="must be numeric"):
        ds.markers.ratios(counts, neutrophils="neut", lymphocytes="lymph")


def test_unknown_column(counts):
    with pytest.raises(DiagstatsError, match="neutrophils='neutro' is not a column"):
        ds.markers.ratios(counts, neutrophils="neutro", lymphocytes="lymph")


def test_lymphocytes_required(counts):
    with pytest.raises(DataError, match="lymphocytes= is required"):
        ds.markers.ratios(counts, neutrophils="neut")
    with pytest.raises(DataError, match="at least one of"):
        ds.markers.ratios(counts, lymphocytes="lymph")


def test_zero_lymphocytes_raise_by_default_naming_rows(counts):
    counts.loc[[0, 2], "lymph"] = 0.0
    with pytest.raises(DataError, match=r"lymphocytes \('lymph'\) is 0 in 2 row\(s\)"):
        ds.markers.ratios(counts, neutrophils="neut", lymphocytes="lymph", platelets="plt")


def test_zero_and_missing_lymphocytes_omitted_are_nan_and_counted(counts):
    counts.loc[0, "lymph"] = 0.0
    counts.loc[2, "neut"] = np.nan
    out = ds.markers.ratios(counts, neutrophils="neut", lymphocytes="lymph", platelets="plt", nan_policy="omit")
    assert np.isnan(out.loc[0, "nlr"]) and np.isnan(out.loc[0, "plr"]) and np.isnan(out.loc[2, "nlr"])
    assert out.loc[2, "plr"] == pytest.approx(180 / 1.2)
    info = out.attrs["diagstats"]
    assert info["n_undefined"] == {"nlr": 2, "plr": 1, "sii": 2}
    assert any("missing in 1 row" in n for n in info["notes"]) and any("is 0 in 1 row" in n for n in info["notes"])


def test_missing_raises_by_default(counts):
    counts.loc[1, "neut"] = np.nan
    with pytest.raises(DataError, match=r"missing in 1 row.*nan_policy='omit'"):
        ds.markers.ratios(counts, neutrophils="neut", lymphocytes="lymph")


def test_existing_ratio_column_is_replaced_with_a_note(counts):
    counts["nlr"] = 0.0
    out = ds.markers.ratios(counts, neutrophils="neut", lymphocytes="lymph")
    assert out["nlr"].iloc[0] == pytest.approx(2.0)
    assert "existing column(s) nlr replaced" in out.attrs["diagstats"]["notes"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(0.5, 20), st.floats(0.2, 10), st.floats(50, 900)), min_size=1, max_size=30),
       st.sampled_from(["10^9/L", "per_uL", "per_L"]))
def test_ratio_identities(rows, units):
    df = pd.DataFrame(rows, columns=["n", "l", "p"]) * {"10^9/L": 1, "per_uL": 1e3, "per_L": 1e9}[units]
    out = ds.markers.ratios(df, neutrophils="n", lymphocytes="l", platelets="p", units=units)
    # SII = PLR x neutrophils (in 10^9/L); NLR and PLR are unit-free
    n_si = df["n"] * {"10^9/L": 1, "per_uL": 1e-3, "per_L": 1e-9}[units]
    np.testing.assert_allclose(out["sii"], out["plr"] * n_si, rtol=1e-12)
    np.testing.assert_allclose(out["nlr"], df["n"] / df["l"], rtol=1e-12)
    assert (out[["nlr", "plr", "sii"]] > 0).all().all()
