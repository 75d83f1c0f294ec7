"""Errors and warnings raised by diagstats.

Every error a user can cause is a :class:`DiagstatsError` (a ``ValueError``), whose message
names the argument, says what was wrong and what was given, and how to fix it.

>>> from diagstats.errors import DiagstatsError, OptionError
>>> issubclass(OptionError, DiagstatsError) and issubclass(DiagstatsError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "DiagstatsError",
    "DataError",
    "OptionError",
    "ColumnError",
    "ConvergenceError",
    "DiagstatsWarning",
]


class DiagstatsError(ValueError):
    """Base class: invalid input, or an analysis that cannot be done on this input."""


class DataError(DiagstatsError):
    """The data themselves are unusable: wrong values, wrong lengths, missing classes."""


class OptionError(DiagstatsError):
    """An option (method name, level, probability, ...) is outside its allowed values."""


class ColumnError(DiagstatsError):
    """A column named in the call is not in the DataFrame."""


class ConvergenceError(DiagstatsError):
    """An iterative fit did not converge; the message says why and what to try."""


class DiagstatsWarning(UserWarning):
    """Something the user should know that does not invalidate the result."""
