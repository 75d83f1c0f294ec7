"""Bias-aware accuracy: partial verification, an imperfect reference standard, latent class models.

>>> from diagstats.bias import correct_verification
"""

from .imperfect_reference import ReferenceCorrectionResult, correct_reference
from .latent_classes import LatentClassResult, latent_class
from .verification import VerificationResult, correct_verification

__all__ = ["LatentClassResult", "latent_class", "ReferenceCorrectionResult", "correct_reference", "VerificationResult",
           "correct_verification"]
