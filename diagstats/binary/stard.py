"""Counts for a STARD 2015 participant flow diagram, computed from patient-level data.

The flow is: eligible patients -> excluded (index test not done, by reason) -> index test
(positive / negative) -> in each arm, no reference standard, reference standard inconclusive,
target condition present / absent (Bossuyt et al. 2015, STARD 2015 flow diagram). Draw it with
:func:`diagstats.plot.stard_flow`.

References
----------
Bossuyt PM, Reitsma JB, Bruns DE, et al. (2015). STARD 2015: an updated list of essential items for
reporting diagnostic accuracy studies. BMJ 351:h5527.

>>> import pandas as pd, diagstats as ds
>>> df = pd.DataFrame({"mri": [1, 1, 0, 0, None], "biopsy": ["m", None, "b", "m", None]})
>>> c = ds.stard_counts(df, test="mri", reference="biopsy", positive="m")
>>> c.eligible, c.n_index, c.arms["positive"].target_present, c.arms["negative"].no_reference
(5, 4, 1, 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._input import _show, as_1d, as_binary, column
from ..errors import DataError, OptionError
from ..results import FrozenFields, ResultTable, tidy


@dataclass(frozen=True)
class StardArm(FrozenFields):
    """Patients with one index-test result and what the reference standard showed."""

    n: int
    no_reference: int
    reference_inconclusive: int
    target_present: int
    target_absent: int


@dataclass(frozen=True, repr=True)
class StardCounts(ResultTable):
    """Counts of a STARD flow diagram.

    ``excluded`` maps a reason to the number of eligible patients without the index test;
    ``arms`` has the keys ``"positive"`` and ``"negative"`` (index-test result); both are read-only
    mappings. ``to_frame()`` lists every count; ``plot(ax)`` draws the flow diagram.
    """

    eligible: int
    excluded: dict[str, int]
    arms: dict[str, StardArm]
    test: str = "index test"
    reference: str = "reference standard"
    target: str = "target condition"
    unit: str = "patients"

    @property
    def n_index(self) -> int:
        """Patients (or the ``unit`` counted) who received the index test."""
        return sum(arm.n for arm in self.arms.values())

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"STARD flow: {self.test} against {self.reference} ({self.target})"

    def to_frame(self) -> pd.DataFrame:
        """One row per count: measure (e.g. ``"positive: target_present"``) and value."""
        rows = [("eligible", self.eligible)] + [(f"excluded: {k}", v) for k, v in self.excluded.items()]
        rows += [("index test", self.n_index)]
        rows += [(f"{arm}: {k}", v) for arm, a in self.arms.items() for k, v in vars(a).items()]
        return tidy(pd.DataFrame({"measure": [r[0] for r in rows], "value": [r[1] for r in rows]}))

    #: The counts of a flow diagram, as reports record them in ``key_numbers.json``.
    COUNTS = ("eligible", "excluded", "test", "reference", "target", "arms")
    dict_include = ("n_index",)

    def plot(self, ax: Any = None) -> Any:
        """The STARD 2015 flow diagram (:func:`diagstats.plot.stard_flow`); returns the Axes."""
        from ..plot.stard import stard_flow
        return stard_flow(self, ax=ax)


def _flags(flags: Any, name: str, n: int) -> np.ndarray:
    """One True/False (or 1/0) per row of data."""
    arr = as_1d(flags, name)
    if len(arr) != n:
        raise DataError(f"{name} has {len(arr)} flags but data has {n} rows; give one True/False per row of data "
                        "(or the name of a boolean column of data).")
    if arr.dtype.kind != "b" and not (arr.dtype.kind in "iuf" and np.isin(arr, (0, 1)).all()):
        raise DataError(f"{name} must hold True/False (or 1/0) flags, one per row of data; got {arr.dtype} values.")
    return arr.astype(bool)


def stard_counts(data: pd.DataFrame, *, test: str, reference: str, positive: Any = None,
                 attempted: str | None = None, exclusions: Mapping[str, Any] | None = None,
                 test_label: str | None = None, reference_label: str | None = None,
                 target: str = "target condition", unit: str = "patients") -> StardCounts:
    """Count patients along the STARD 2015 flow for one index test and one reference standard.

    Parameters
    ----------
    data : DataFrame
        One row per eligible patient.
    test : str
        Column of the binary index test (1/True positive); missing = test not done (excluded).
    reference : str
        Column of the reference standard; missing = no (usable) reference result.
    positive : optional
        The reference value meaning the target condition is present (needed unless 0/1 or bool).
    attempted : str, optional
        Column (bool) saying whether the reference standard was attempted. Attempted but missing
        counts as *inconclusive*; without this column every missing reference counts as *no
        reference standard*.
    exclusions : mapping of str to column name or boolean array, optional
        Reasons for not having the index test; each excluded patient is counted under the first
        reason that applies, the rest under "index test not done".
    test_label, reference_label, target : str, optional
        Names shown in the diagram.
    unit : str
        What a row is, as the diagram names it: ``"patients"``, or e.g. ``"lesions"`` for lesion-level data.

    Returns
    -------
    StardCounts
    """
    n = len(data)
    tested_values = column(data, test, "test")
    done = tested_values.notna().to_numpy()
    if not done.any():
        raise DataError(f"test={test!r} has no results; the index test must have been done in some patients.")
    test_positive = np.zeros(n, dtype=bool)
    test_positive[done] = as_binary(tested_values[done].to_numpy(), "test").values
    ref_values = column(data, reference, "reference")
    known = ref_values.notna().to_numpy()
    present = np.zeros(n, dtype=bool)
    if known.any():
        present[known] = as_binary(ref_values[known].to_numpy(), "reference", positive).values
    tried = column(data, attempted, "attempted").fillna(False).to_numpy(dtype=bool) if attempted is not None else known

    excluded: dict[str, int] = {}
    left = ~done
    if exclusions is not None and not isinstance(exclusions, Mapping):
        raise OptionError(f"exclusions={_show(exclusions)} must map each reason to a column name or a boolean array, "
                          "e.g. exclusions={'withdrew': 'withdrew'}.")
    for reason, flags in (exclusions or {}).items():
        mask = (column(data, flags, "exclusions").to_numpy(dtype=bool) if isinstance(flags, str)
                else _flags(flags, f"exclusions[{reason!r}]", n))
        hit = left & mask
        excluded[reason] = int(hit.sum())
        left &= ~hit
    if left.any() or not excluded:
        excluded["index test not done"] = int(left.sum())

    arms = {}
    for name, in_arm in (("positive", done & test_positive), ("negative", done & ~test_positive)):
        arms[name] = StardArm(n=int(in_arm.sum()), no_reference=int((in_arm & ~tried & ~known).sum()),
                              reference_inconclusive=int((in_arm & tried & ~known).sum()),
                              target_present=int((in_arm & known & present).sum()),
                              target_absent=int((in_arm & known & ~present).sum()))
    return StardCounts(n, excluded, arms, test_label or str(test), reference_label or str(reference), target,
                       unit)
