"""Uncertain inputs of a probabilistic sensitivity analysis: Beta and Gamma distributions, and Beta
distributions of sensitivity and specificity from the 2x2 counts of the shipped literature.

>>> from diagstats.pathway import Beta, Gamma
>>> Beta.from_counts(90, 100).mean
0.8921568627450981
>>> Gamma(mean=400, sd=80).shape
25.0
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._input import _show, check_number
from ..errors import OptionError


@dataclass(frozen=True)
class Beta:
    """A Beta(alpha, beta) distribution, for a probability (sensitivity, specificity, prevalence)."""

    alpha: float
    beta: float
    source: str = ""

    def __post_init__(self) -> None:
        check_number(self.alpha, "Beta alpha", low=0, strict=True)
        check_number(self.beta, "Beta beta", low=0, strict=True)

    @classmethod
    def from_counts(cls, events: int, total: int, source: str = "") -> Beta:
        """The posterior of a proportion ``events / total`` under a uniform prior: Beta(events + 1, total - events + 1).

        >>> Beta.from_counts(9, 10)
        Beta(alpha=10.0, beta=2.0, source='')
        """
        for value, name in ((events, "events"), (total, "total")):
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < 0:
                raise OptionError(f"Beta.from_counts {name}={_show(value)} must be a whole number >= 0.")
        if events > total:
            raise OptionError(f"Beta.from_counts events={events} is more than total={total}.")
        return cls(float(events + 1), float(total - events + 1), source)

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    def describe(self) -> str:
        return f"Beta({self.alpha:g}, {self.beta:g})"

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.beta(self.alpha, self.beta, size)


@dataclass(frozen=True)
class Gamma:
    """A Gamma distribution given by its mean and standard deviation, for a cost (positive, right-skewed)."""

    mean: float
    sd: float
    source: str = ""

    def __post_init__(self) -> None:
        check_number(self.mean, "Gamma mean", low=0, strict=True)
        check_number(self.sd, "Gamma sd", low=0, strict=True)

    @property
    def shape(self) -> float:
        return (self.mean / self.sd) ** 2

    @property
    def scale(self) -> float:
        return self.sd ** 2 / self.mean

    def describe(self) -> str:
        return f"Gamma(mean {self.mean:g}, sd {self.sd:g})"

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.gamma(self.shape, self.scale, size)


@dataclass(frozen=True)
class Fixed:
    """A number without uncertainty (every draw the same)."""

    mean: float
    source: str = ""

    def describe(self) -> str:
        return f"fixed {self.mean:g}"

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:  # noqa: ARG002 - same interface
        return np.full(size, self.mean)


Distribution = Beta | Gamma | Fixed


def as_probability_input(value: Any, name: str) -> Beta | Fixed:
    """A probability input: a number in [0, 1] (fixed) or a :class:`Beta`."""
    if isinstance(value, Beta):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return Fixed(check_number(value, name, low=0, high=1, what="a proportion, not a percentage"))
    raise OptionError(f"{name}={_show(value)} must be a number from 0 to 1 or a ds.pathway.Beta distribution, "
                      f"e.g. Beta.from_counts(90, 100).")


def as_cost_input(value: Any, name: str) -> Gamma | Fixed:
    """A cost input: a number >= 0 (fixed) or a :class:`Gamma`."""
    if isinstance(value, Gamma):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return Fixed(check_number(value, name, low=0))
    raise OptionError(f"{name}={_show(value)} must be a number >= 0 or a ds.pathway.Gamma distribution, "
                      "e.g. Gamma(mean=400, sd=80).")


def literature_accuracy(test: str) -> tuple[Beta, Beta] | None:
    """Beta distributions of a test's sensitivity and specificity from the shipped per-study 2x2 tables
    (``ds.datasets.load("imaging_2x2_studies")``), the studies of that test pooled by summing their counts;
    None if the dataset has no study of a test by that name (case-insensitive)."""
    from ..datasets import load

    table = load("imaging_2x2_studies")
    rows = table[table["test"].str.lower() == str(test).lower()]
    if rows.empty:
        return None
    tp, fp, fn, tn = (int(rows[c].sum()) for c in ("tp", "fp", "fn", "tn"))
    studies = ", ".join(f"{author} {'' if pd.isna(year) else int(year)}".strip()
                        for author, year in zip(rows["first_author"], rows["year"]))
    units = "/".join(sorted(set(rows["unit"])))
    source = f"imaging_2x2_studies: {studies} ({units} counts summed)"
    return Beta.from_counts(tp, tp + fn, source), Beta.from_counts(tn, tn + fp, source)
