"""Bias-aware accuracy: partial verification, a composite or imperfect reference standard, latent class models.

>>> from diagstats.bias import correct_verification
"""

from .composite import CompositeReference, composite_reference
from .imperfect_reference import ReferenceCorrectionResult, correct_reference
from .latent_classes import LatentClassResult, latent_class
from .verification import VerificationResult, correct_verification

__all__ = ["CompositeReference", "composite_reference", "LatentClassResult", "latent_class",
           "ReferenceCorrectionResult", "correct_reference", "VerificationResult", "correct_verification"]
