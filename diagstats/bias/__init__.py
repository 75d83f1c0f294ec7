"""Bias-aware accuracy: partial verification, an imperfect reference standard, latent class models.

>>> from diagstats.bias import correct_verification
"""

from .verification import VerificationResult, correct_verification

__all__ = ["VerificationResult", "correct_verification"]
