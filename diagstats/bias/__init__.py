"""Bias-aware accuracy: partial verification, an imperfect reference standard, latent class models.

>>> from diagstats.bias import correct_verification
"""

from .imperfect_reference import ReferenceCorrectionResult, correct_reference
from .verification import VerificationResult, correct_verification

__all__ = ["ReferenceCorrectionResult", "correct_reference", "VerificationResult", "correct_verification"]
