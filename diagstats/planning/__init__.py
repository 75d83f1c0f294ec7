"""Sample size and power for diagnostic accuracy studies (:mod:`diagstats.planning.sample_size`) and reader
studies (:mod:`diagstats.planning.reader_power`)."""

from .reader_power import ReaderStudyPower, reader_study_power
from .roc_power import power_roc_curves, sample_size_roc_curves
from .sample_size import (SampleSize, auc_variance, power_auc, power_binormal_aucs, power_paired_sensitivity,
                          sample_size_accuracy, sample_size_accuracy_exact, sample_size_auc,
                          sample_size_binormal_aucs, sample_size_paired_sensitivity, sample_size_two_aucs)

__all__ = ["ReaderStudyPower", "SampleSize", "auc_variance", "power_auc", "power_binormal_aucs",
           "power_paired_sensitivity", "power_roc_curves", "reader_study_power", "sample_size_accuracy",
           "sample_size_accuracy_exact",
           "sample_size_auc", "sample_size_binormal_aucs", "sample_size_paired_sensitivity", "sample_size_roc_curves",
           "sample_size_two_aucs"]
