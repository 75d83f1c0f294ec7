"""Every public function, and the result methods that take user input, has a fuzz test."""

from __future__ import annotations

import inspect

import diagstats as ds

from . import (test_fuzz_bias, test_fuzz_binary, test_fuzz_markers_utility_planning,  # noqa: F401 - fill COVERED
               test_fuzz_meta, test_fuzz_pathway, test_fuzz_pathway_strategies, test_fuzz_readers, test_fuzz_roc,
               test_fuzz_simulate)
from .invariants import COVERED

NAMESPACES = {"": ds, "meta.": ds.meta, "markers.": ds.markers, "planning.": ds.planning, "pathway.": ds.pathway,
              "simulate.": ds.simulate}

#: Public methods of results that take user input (the issue's at_prevalence and sensitivity_at among them).
METHODS = ("AccuracyResult.at_prevalence", "AccuracyResult.confidence_interval", "ROCResult.auc_ci",
           "ROCResult.auc_covariance",
           "ROCResult.sensitivity_at", "ROCResult.specificity_at", "ROCResult.at_threshold", "ROCResult.partial_auc",
           "ROCResult.threshold", "ROCResult.smooth", "ROCResult.confidence_interval", "ROCResult.local_maxima",
           "ROCResult.grey_zone",
           "SmoothROCResult.sensitivity_at", "SmoothROCResult.specificity_at", "SmoothROCResult.best",
           "TestComparison.comparisons",
           "BivariateMetaResult.sroc", "BivariateMetaResult.confidence_region", "OriginResult.calibration")


def public_functions() -> set[str]:
    names = set()
    for prefix, namespace in NAMESPACES.items():
        names |= {prefix + n for n in namespace.__all__ if inspect.isfunction(getattr(namespace, n))}
    return names


def test_every_public_function_is_fuzzed():
    missing = public_functions() - COVERED
    assert not missing, f"public functions without a fuzz test (mark one with @covers): {sorted(missing)}"


def test_the_result_methods_that_take_input_are_fuzzed():
    assert not set(METHODS) - COVERED, sorted(set(METHODS) - COVERED)


def test_the_registry_of_the_contract_test_is_covered():
    from tests.test_contract import CALLS

    prefixed = {n if n in ds.__all__ else next(p + n for p, ns in NAMESPACES.items() if n in ns.__all__)
                for n in CALLS}
    assert not prefixed - COVERED, sorted(prefixed - COVERED)
