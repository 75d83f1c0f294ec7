"""Literature datasets: loadable from the package, identical to the canonical copies, faithful."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import diagstats as ds

ROOT = Path(__file__).resolve().parents[2]


def test_list_and_load_every_dataset():
    names = ds.datasets.list()
    assert names == ["biopsy_series", "blood_reference", "imaging_2x2_studies", "imaging_pooled",
                     "li2019_auc", "primary_origin_shares"]
    for name in names:
        df = ds.datasets.load(name)
        assert len(df) > 0 and "source" in df.columns
        assert df.attrs["name"] == name and df.attrs["source"] and "licence" in df.attrs["datasheet"].lower()
        for col in df.columns:        # every column is documented in the datasheet
            assert col in df.attrs["datasheet"], (name, col)


def test_package_copies_are_identical_to_the_canonical_datasets_folder():
    sys.path.insert(0, str(ROOT / "datasets"))
    try:
        from sync_package_data import shipped_pairs
    finally:
        sys.path.pop(0)
    pairs = list(shipped_pairs())
    assert len(pairs) == 14   # 12 dataset files, the scenario, the lesion scenario
    for canonical, copy in pairs:
        assert copy.read_bytes() == canonical.read_bytes(), \
            f"{copy} differs from {canonical}; run python datasets/sync_package_data.py"


def test_imaging_2x2_reproduces_published_percentages():
    df = ds.datasets.load("imaging_2x2_studies")
    assert list(df.columns[:10]) == ["study", "first_author", "year", "test", "unit", "tp", "fp", "fn", "tn", "source"]
    row = df[(df["first_author"] == "Cristo Santos") & (df["test"] == "FDG PET/CT")].iloc[0]
    res = ds.accuracy(tp=row.tp, fp=row.fp, fn=row.fn, tn=row.tn)
    assert (round(100 * res.sensitivity.value, 2), round(100 * res.specificity.value, 2),
            round(100 * res.accuracy.value, 2)) == (93.83, 99.09, 98.05)
    row = df[(df["first_author"] == "Buhmann Kirchhoff") & (df["test"] == "MDCT")].iloc[0]
    res = ds.accuracy(tp=row.tp, fp=row.fp, fn=row.fn, tn=row.tn)
    # published: specificity 99.3%, accuracy 88.8% (568/639 = 88.89%, so the paper truncated)
    assert round(100 * res.specificity.value, 1) == 99.3 and abs(100 * res.accuracy.value - 88.8) < 0.1


#: Published figures (percent, as printed, with the number of decimals printed) of the per-patient MRI studies and
#: the tests they were compared with, each from the abstract at the row's source (datasets/imaging_2x2_studies.md)
PUBLISHED_PER_PATIENT = [
    # Venkitaraman 2009: "sensitivity for both bone scans and MRI was 70%, and the specificity for both was 100%"
    ("venkitaraman_2009", "MRI", 0, {"sensitivity": 70, "specificity": 100}),
    ("venkitaraman_2009", "bone scan", 0, {"sensitivity": 70, "specificity": 100}),
    # Balliu 2010: "94, 90, and 92% ... for whole-body MRI and 72, 75, and 74% ... for bone scintigraphy"
    ("balliu_2010", "MRI", 0, {"sensitivity": 94, "specificity": 90, "accuracy": 92}),
    ("balliu_2010", "bone scan", 0, {"sensitivity": 72, "specificity": 75, "accuracy": 74}),
    # Shen 2014 (China Oncology 24(3)): DWIBS and radionuclide bone scan
    ("shen_2014", "MRI", 1, {"sensitivity": 86.7, "ppv": 96.3, "accuracy": 86.1, "specificity": 83.3, "npv": 55.6}),
    ("shen_2014", "bone scan", 1, {"sensitivity": 76.7, "ppv": 88.5, "accuracy": 72.2, "specificity": 50.0,
                                   "npv": 30.0}),
    # Venkatachalapathy 2021 (Indian J Urol 37:72-78): AS-MRI and WBBS
    ("venkatachalapathy_2021", "MRI", 1, {"sensitivity": 100.0, "specificity": 96.2, "ppv": 90.0, "npv": 100.0,
                                          "accuracy": 97.1}),
    ("venkatachalapathy_2021", "bone scan", 1, {"sensitivity": 55.6, "specificity": 88.5, "ppv": 62.5, "npv": 85.2,
                                                "accuracy": 80.0}),
    # Engelhard 2004 (Eur Radiol 14:99-105): 22 patients, 12 with bone metastases
    ("engelhard_2004", "MRI", 0, {"sensitivity": 92, "specificity": 90, "accuracy": 91}),
    ("engelhard_2004", "bone scan", 0, {"sensitivity": 83, "specificity": 80, "accuracy": 82}),
    # Min 2009 (J Korean Med Sci 24:275-280): PET/CT and bone scintigraphy in 182 patients, 30 metastatic
    ("min_2009", "PET", 1, {"sensitivity": 93.3, "specificity": 94.1}),
    ("min_2009", "bone scan", 1, {"sensitivity": 93.3, "specificity": 44.1}),
]


@pytest.mark.parametrize(("study", "modality", "digits", "published"), PUBLISHED_PER_PATIENT)
def test_per_patient_mri_studies_reproduce_their_published_percentages(study, modality, digits, published):
    df = ds.datasets.load("imaging_2x2_studies")
    row = df[(df["study"] == study) & (df["modality"] == modality)]
    assert len(row) == 1 and row["unit"].iloc[0] == "patient"
    row = row.iloc[0]
    res = ds.accuracy(tp=row.tp, fp=row.fp, fn=row.fn, tn=row.tn)
    found = {measure: round(100 * getattr(res, measure).value, digits) for measure in published}
    assert found == published


def test_imaging_studies_group_their_tests_into_four_modalities():
    df = ds.datasets.load("imaging_2x2_studies")
    assert set(df["modality"]) == {"MRI", "CT", "PET", "bone scan"}
    per_patient_mri = df[(df["modality"] == "MRI") & (df["unit"] == "patient")]
    assert per_patient_mri["study"].nunique() == len(per_patient_mri) == 5
    # the rows ds.pathway reads by exact test name (its literature defaults) are still only the original ones
    for test, studies in {"MRI": ["buhmann_kirchhoff_2009"], "MDCT": ["buhmann_kirchhoff_2009"],
                          "FDG PET/CT": ["cristo_santos_2023"],
                          "bone scintigraphy": ["cristo_santos_2023", "ongkeko", "acta_radiol_2011"]}.items():
        assert df.loc[df["test"].str.lower() == test.lower(), "study"].tolist() == studies


def test_scenario_defaults_agree_with_the_shipped_datasets():
    s = ds.simulate.Scenario.load("spine_referral")
    pooled = ds.datasets.load("imaging_pooled")
    harl = pooled[(pooled["first_author"] == "Harlianto NI") & (pooled["unit"] == "patient")]
    for test, modality in {"CT": "ct", "MRI": "mri", "FDG PET/CT": "pet", "bone scintigraphy": "bone_scan"}.items():
        for measure in ("sensitivity", "specificity"):
            value = harl[(harl["test"] == test) & (harl["measure"] == measure)]["value"].item()
            assert s[f"imaging.{modality}.{measure}"] == pytest.approx(value, abs=1e-12)
    origins = ds.datasets.load("primary_origin_shares")
    statpearls = origins[origins["first_author"] == "Ziu E"].set_index("origin")["percent"]
    for origin in ("lung", "breast", "prostate", "kidney", "thyroid", "gastrointestinal"):
        assert s["origin_shares"][origin] == pytest.approx(statpearls[origin] / 100, abs=1e-12)
    biopsy = ds.datasets.load("biopsy_series")
    lis = biopsy[(biopsy["first_author"] == "Lis E") & (biopsy["outcome"] == "overall accuracy")]
    assert s["biopsy.accuracy"] == lis["percent"].item() / 100


def test_missing_counts_are_na_not_zero():
    df = ds.datasets.load("biopsy_series")
    assert str(df["events"].dtype) == "Int64" and df["events"].isna().any()


def test_unknown_dataset():
    with pytest.raises(ds.OptionError, match="name='imaging_2x2' is not a diagstats dataset.*Did you mean"):
        ds.datasets.load("imaging_2x2")
    with pytest.raises(ds.OptionError, match="name=3"):
        ds.datasets.datasheet(3)


def _package_data_globs():
    text = (ROOT / "pyproject.toml").read_text()
    section = text.split("[tool.setuptools.package-data]", 1)[1]
    return re.findall(r'"([^"]+)"', re.search(r"^diagstats\s*=\s*\[(.*?)\]", section, re.M | re.S).group(1))


def test_installed_layout_loads_every_dataset_and_scenario(tmp_path):
    """Rebuild what a wheel holds (package modules + pyproject's package-data globs) and use it elsewhere.

    A wheel built from this tree with ``pip wheel .`` contains the same files (checked by hand when this
    test was written); this test needs no build tools.
    """
    package = ROOT / "diagstats"
    site = tmp_path / "site"
    for module in package.rglob("*.py"):
        if (module.parent / "__init__.py").exists():
            target = site / module.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(module, target)
    globs = _package_data_globs()
    assert "data/**/*" in globs
    for pattern in globs:
        for f in package.glob(pattern):
            if f.is_file():
                target = site / f.relative_to(ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, target)
    code = ("import diagstats as ds, pathlib; "
            f"assert pathlib.Path(ds.__file__).is_relative_to(pathlib.Path(r'{site}'));"
            "print(sum(len(ds.datasets.load(n)) for n in ds.datasets.list()), len(ds.simulate.cohort(10)))")
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["204", "10"]   # 26 of the rows are imaging_2x2_studies' 2x2 tables
