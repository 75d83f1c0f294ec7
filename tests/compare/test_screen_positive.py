"""Relative TPF and FPF in a paired screen-positive design (ds.compare_screen_positive).

Parity: DTComPair 1.2.6's documented ``tpffpf.rel`` example (Cheng & Macaluso 1997, Table 2: mammography
and physical examination, breast cancer; biopsy only after a positive test), to its printed digits (7
significant digits for the TPF, 9 decimals for the FPF). DTComPair reports Test2 / Test1 (physical
examination over mammography): diagstats' first / second with tests=("physical", "mammography").
"""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import diagstats as ds

DOC = json.loads((Path(__file__).resolve().parents[1] / "reference" / "compare" /
                  "dtcompair_documented.json").read_text())["tpffpf_rel_breast_cancer"]


def _screen_positives(unverified: int = 0) -> pd.DataFrame:
    """Verified screen positives of the documented tables, plus ``unverified`` double negatives (cancer NaN)."""
    rows = []
    for cancer, cells in ((1, DOC["diseased"]), (0, DOC["non_diseased"])):
        for (mammo, physical), key in (((1, 1), "both_positive"), ((0, 1), "test2_only"), ((1, 0), "test1_only")):
            rows += [(mammo, physical, cancer)] * cells[key]
    rows += [(0, 0, np.nan)] * unverified
    return pd.DataFrame(rows, columns=["mammography", "physical", "cancer"])


@pytest.mark.parametrize("unverified", [0, 500])
def test_matches_dtcompair_tpffpf_rel_documented_example(unverified):
    res = ds.compare_screen_positive(_screen_positives(unverified), tests=("physical", "mammography"),
                                     reference="cancer")
    for estimate, test, ref, key in ((res.relative_tpf, res.tpf_test, DOC["tpf"], "tpf"),
                                     (res.relative_fpf, res.fpf_test, DOC["fpf"], "fpf")):
        digits = 1e-7 if key == "tpf" else 1e-9
        assert estimate.value == pytest.approx(ref[f"rel.{key}"], abs=digits)
        assert (estimate.lower, estimate.upper) == pytest.approx((ref[f"lcl.rel.{key}"], ref[f"ucl.rel.{key}"]),
                                                                 abs=digits)
        assert math.log(estimate.value) / test.statistic == pytest.approx(ref[f"se.log.rel.{key}"], abs=digits)
        assert test.p_value == pytest.approx(ref[f"pval.rel.{key}"], abs=digits)
    assert res.n_verified == 307 and res.n_unverified == unverified
    assert res.counts.loc[0, "both positive"] == 10 and res.counts.loc[1, "physical only"] == 144


def test_the_relative_tpf_is_compare_tests_relative_sensitivity_on_fully_verified_data():
    cohort = ds.simulate.cohort(3000, seed=5)
    malignant = cohort["true_diagnosis"].isin(["malignant_primary", "metastasis"]).astype(float)
    data = pd.DataFrame({"mri": cohort["mri"], "ct": cohort["ct"], "malignant": malignant}).dropna()
    full = ds.compare_tests(data, tests=("mri", "ct"), reference="malignant")
    screen = ds.compare_screen_positive(data, tests=("mri", "ct"), reference="malignant")
    assert screen.relative_tpf.value == pytest.approx(full.sensitivity.ratio.value, rel=1e-12)
    assert (screen.relative_tpf.lower, screen.relative_tpf.upper) == pytest.approx(
        (full.sensitivity.ratio.lower, full.sensitivity.ratio.upper), rel=1e-12)
    fpf = [(1 - full.specificity.first.value), (1 - full.specificity.second.value)]
    assert screen.relative_fpf.value == pytest.approx(fpf[0] / fpf[1], rel=1e-12)
    assert screen.n_double_negative_verified > 0 and "do not enter either ratio" in " ".join(screen.notes)


def test_confidence_rectangle_uses_sqrt_level_per_ratio():
    res = ds.compare_screen_positive(_screen_positives(), tests=("physical", "mammography"), reference="cancer")
    rect = res.confidence_rectangle()
    assert rect["level"].tolist() == pytest.approx([math.sqrt(0.95)] * 2)
    again = ds.compare_screen_positive(_screen_positives(), tests=("physical", "mammography"), reference="cancer",
                                       level=math.sqrt(0.95))
    assert rect.loc[0, ["lower", "upper"]].tolist() == pytest.approx([again.relative_tpf.lower,
                                                                      again.relative_tpf.upper])
    assert rect.loc[1, ["lower", "upper"]].tolist() == pytest.approx([again.relative_fpf.lower,
                                                                      again.relative_fpf.upper])


def test_an_unverified_screen_positive_is_an_error_or_omitted_with_a_note():
    data = _screen_positives(20)
    data.loc[0, "cancer"] = np.nan   # positive on both tests, never verified
    with pytest.raises(ds.DataError, match="is positive on a test but has no reference result.*nan_policy='omit'"):
        ds.compare_screen_positive(data, tests=("physical", "mammography"), reference="cancer")
    res = ds.compare_screen_positive(data, tests=("physical", "mammography"), reference="cancer", nan_policy="omit")
    assert res.n_verified == 306 and res.n_omitted == 1 and "missing at random" in res.notes[0]


def test_a_test_that_finds_no_one_gives_nan_with_a_note():
    data = _screen_positives()
    data = data[~((data["cancer"] == 1) & (data["mammography"] == 1))]
    res = ds.compare_screen_positive(data, tests=("physical", "mammography"), reference="cancer")
    assert math.isnan(res.relative_tpf.value) and "no diseased verified patient" in res.relative_tpf.notes[0]
    assert np.isfinite(res.relative_fpf.value)
    assert "Relative true and false positive fractions, physical over mammography" in str(res)
