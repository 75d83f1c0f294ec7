"""Writes gee_lesions.csv: 60 patients with 1 to 6 lesions, a patient-level random effect on the test
(seeded, so the file is reproducible). Usage: python make_gee_csv.py."""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261130)
patients = 60
sizes = rng.integers(1, 7, patients)
pid = np.repeat(np.arange(1, patients + 1), sizes)
effect = rng.normal(0, 1.2, patients)[pid - 1]
disease = (rng.random(pid.size) < 0.45).astype(int)
logit = np.where(disease == 1, 1.0, -1.6) + effect
test = (rng.random(pid.size) < 1 / (1 + np.exp(-logit))).astype(int)
pd.DataFrame({"patient": pid, "test": test, "reference": disease}).to_csv(
    Path(__file__).with_name("gee_lesions.csv"), index=False)
