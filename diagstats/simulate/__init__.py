"""Seeded simulation of the spinal-tumour work-up, and Monte Carlo studies over scenarios.

* :func:`cohort` draws a patient-level cohort from a :class:`Scenario` (every number cited);
* :func:`lesions` adds a vertebra-level table (25 units per patient, reads correlated within patients);
* :func:`cohort_reads` has several readers rate a cohort's MRI and CT (reader skill and bias varying);
* :func:`roe_metz` draws a multi-reader multi-case reader study (Roe & Metz 1997; Hillis 2012);
  :func:`rmh_to_or` and :func:`or_to_rmh` map its parameters to the Obuchowski-Rockette parameters of the
  studies it simulates and back (Hillis 2018; Hillis, Smith & Chen 2022), so studies can be simulated like a pilot;
* :func:`study` repeats "simulate, analyse, keep the key numbers" over replicates and a grid of
  scenario changes, locally on all cores or on a Dask cluster.

>>> import diagstats as ds
>>> ds.simulate.cohort(5, seed=0).shape[0]
5
"""

from .engine import COLUMNS, FOLLOW_UP_COLUMNS, REPEAT_BIOPSY_COLUMNS, cohort
from .cohort_readers import READ_COLUMNS, cohort_reads
from .lesion_table import LESION_COLUMNS, VERTEBRAE, lesions
from .scenario import SCHEMA, Scenario, Source, available
from .montecarlo import study
from .readers import roe_metz
from .or_parameters import ORParameters, RMHParameters, or_to_rmh, rmh_to_or

__all__ = ["COLUMNS", "FOLLOW_UP_COLUMNS", "LESION_COLUMNS", "ORParameters", "READ_COLUMNS", "REPEAT_BIOPSY_COLUMNS",
           "RMHParameters", "SCHEMA", "Scenario", "Source", "VERTEBRAE", "available", "cohort", "cohort_reads",
           "lesions", "or_to_rmh", "rmh_to_or", "roe_metz", "study"]
