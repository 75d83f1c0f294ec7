"""A composite reference standard: the first available of several reference standards decides.

In many accuracy studies not every patient can have the best reference standard: a lesion seen
on imaging is biopsied, but an imaging-negative patient is verified by clinical and imaging
follow-up instead. The composite reference takes, for each patient, the result of the first
component (in the order given) that the patient has. Because the components differ in accuracy
and which one a patient gets depends on the index test, accuracy against a composite reference is
subject to *differential verification bias* (Naaktgeboren et al. 2013; de Groot et al. 2011); the
result records which component decided each patient, so that this can be tabulated and reported.

>>> import pandas as pd, diagstats as ds
>>> df = pd.DataFrame({"biopsy": ["malignant", None, "benign", None],
...                    "follow_up": [None, "malignant", "not malignant", None]})
>>> ref = ds.composite_reference(df, ["biopsy", "follow_up"], positive="malignant")
>>> ref.to_columns()["decided_by"].tolist()
['biopsy', 'follow_up', 'biopsy', 'none']
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._input import _show, as_binary, check_dataframe, column, column_names, missing
from ..errors import DataError, OptionError
from ..results import ResultTable, tidy

#: The ``decided_by`` label of patients that no component decides.
UNDECIDED = "none"

DIFFERENTIAL_VERIFICATION_NOTE = (
    "Differential verification: patients are classified by different reference standards, and which one a "
    "patient gets usually depends on the index test (a positive scan leads to biopsy, a negative one to "
    "follow-up). If the components differ in accuracy, sensitivity and specificity against the composite are "
    "biased (Naaktgeboren et al. 2013, Clin Chem 59:1195; de Groot et al. 2011, J Clin Epidemiol 64:1010); "
    "report the accuracy against each component too.")


@dataclass(frozen=True, repr=False)
class CompositeReference(ResultTable):
    """A composite reference standard and the component that decided each patient.

    Attributes
    ----------
    name : str
        Name of the composite column (see :meth:`to_columns`).
    components : tuple of str
        The component columns, in the order that decides.
    positive : tuple
        The value meaning positive in each component.
    reference : ndarray
        1.0 positive, 0.0 negative, NaN where no component has a value; one per row of data.
    decided_by : ndarray
        The component that decided each patient, or ``"none"``.
    index : pandas.Index
        The row labels of data.
    n : int
        Patients (rows of data).
    notes : tuple of str
        The differential verification note, and components that decide nobody.
    """

    name: str
    components: tuple[str, ...]
    positive: tuple[Any, ...]
    reference: np.ndarray
    decided_by: np.ndarray
    index: pd.Index
    n: int
    notes: tuple[str, ...] = ()

    key_columns = ("decided_by",)
    dict_exclude = ("reference", "decided_by", "index")

    @property
    def title(self) -> str:
        return f"Composite reference standard {self.name!r}: first available of {', '.join(self.components)}"

    def header_lines(self) -> list[str]:
        return [f"{self.n} patients; positive: " + ", ".join(f"{c} = {p!r}" for c, p in
                                                              zip(self.components, self.positive))]

    def to_columns(self) -> pd.DataFrame:
        """The composite (1.0 / 0.0 / NaN) and ``decided_by`` (categorical), indexed like data.

        Add them to data with ``data.join(ref.to_columns())``, or tabulate with
        ``pd.crosstab(cols["decided_by"], cols[ref.name])``.
        """
        return pd.DataFrame({self.name: self.reference,
                             "decided_by": pd.Categorical(self.decided_by, categories=[*self.components, UNDECIDED])},
                            index=self.index)

    def to_frame(self) -> pd.DataFrame:
        """Per component (and ``"none"``): patients decided, positive and negative, as counts."""
        rows = []
        for source in (*self.components, UNDECIDED):
            mine = self.decided_by == source
            positives = int(np.sum(self.reference[mine] == 1))
            rows += [(source, "patients", int(mine.sum())), (source, "positive", positives),
                     (source, "negative", int(mine.sum()) - positives if source != UNDECIDED else 0)]
        frame = pd.DataFrame(rows, columns=["decided_by", "measure", "value"])
        return tidy(frame, self.key_columns)

    def __repr__(self) -> str:
        return f"CompositeReference(name={self.name!r}, components={self.components}, n={self.n})"


def _is_label(value: Any) -> bool:
    """One hashable value (a list, set or array is not a label; as_binary refuses it, saying so)."""
    return value is not None and isinstance(value, Hashable) and np.ndim(value) == 0


def _labels(positive: Any, components: list[str]) -> list[Any]:
    """The positive value of each component: one value for all, or a mapping with every component."""
    if isinstance(positive, Mapping):
        unknown = [k for k in positive if k not in components]
        absent = [c for c in components if c not in positive]
        if unknown or absent:
            raise OptionError(f"positive={_show(dict(positive))} must give the positive value of exactly the "
                              f"components {components}" + (f"; {unknown} are not components" if unknown else "")
                              + (f"; {absent} have none" if absent else "") + ".")
        return [positive[c] for c in components]
    return [positive] * len(components)


def composite_reference(data: pd.DataFrame, components: Sequence[str], *, positive: Any = None,
                        name: str = "composite_reference") -> CompositeReference:
    """Combine reference standards: for each patient the first component with a value decides.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per patient.
    components : list of str
        At least two columns of data, each a reference standard with two values (missing where the
        patient did not have it), in the order of precedence (e.g. ``["biopsy_result",
        "follow_up_result"]``: the biopsy where there is one, else follow-up).
    positive : value or mapping, optional
        The value meaning positive (diseased), for every component, or a mapping ``{column:
        value}`` with one per component. May be left out only for True/False or 0/1 columns.
        A negative is any other value of the component.
    name : str, default "composite_reference"
        Name of the composite column in :meth:`CompositeReference.to_columns`.

    Returns
    -------
    CompositeReference
        ``reference`` (1/0/NaN), ``decided_by`` per patient, ``to_columns()`` to join them to data,
        ``to_frame()`` with the patients, positives and negatives each component decided.

    Notes
    -----
    Accuracy against a composite reference is biased when its components differ in accuracy and
    the index test steers which one a patient gets (differential verification; Naaktgeboren JA,
    de Groot JAH, van Smeden M, Moons KGM, Reitsma JB. Clin Chem 2013;59:1195-1202; de Groot JAH,
    Bossuyt PMM, Reitsma JB, et al. J Clin Epidemiol 2011;64:1010-1018). Report the accuracy
    against each component next to the composite.

    Examples
    --------
    >>> import diagstats as ds
    >>> cohort = ds.simulate.cohort(2000, seed=1, follow_up=True)
    >>> ref = ds.composite_reference(cohort, ["biopsy_result", "follow_up_result"], positive="malignant")
    >>> int((ref.to_columns()["decided_by"] == "none").sum()) < 200
    True
    """
    data = check_dataframe(data)
    components = column_names(components, "components", example="['biopsy_result', 'follow_up_result']",
                              minimum=2)
    if not isinstance(name, str) or not name or name == "decided_by":
        raise OptionError(f"name={_show(name)} must be a non-empty string other than 'decided_by' (the name of the "
                          "composite column), e.g. name='composite_reference'.")
    labels = _labels(positive, components)
    n = len(data)
    reference = np.full(n, np.nan)
    decided_by = np.full(n, UNDECIDED, dtype=object)
    notes = [DIFFERENTIAL_VERIFICATION_NOTE]
    shown_positive = []
    for col, label in zip(components, labels):
        series = column(data, col, "components")
        known = ~missing(series.to_numpy())
        values = series.to_numpy()[known]
        categories = series.cat.categories if isinstance(series.dtype, pd.CategoricalDtype) else ()
        if _is_label(label) and label in categories and not np.any(values == label):
            # a category that no patient has (yet) is a valid positive value: everyone with a value is negative
            if len(pd.unique(values)) > 1:
                raise DataError(f"component {col!r} has the values {sorted(map(str, pd.unique(values)))} and none is "
                                f"positive={label!r}; a reference standard has one positive and one negative value.")
            binary = np.zeros(len(values), dtype=bool)
            shown_positive.append(label)
        elif not known.any():
            raise DataError(f"component {col!r} has no values; a reference standard must have a result for some "
                            "patients (drop it from components).")
        else:
            result = as_binary(values, f"component {col!r}", label, positive_name="positive")
            binary = result.values
            shown_positive.append(result.positive)
        takes = known & np.isnan(reference)
        reference[takes] = binary[takes[known]]
        decided_by[takes] = col
        if not takes.any():
            why = "every patient with it has an earlier component" if known.any() else "no patient has it"
            notes.append(f"component {col!r} decides no patient ({why}).")
    if np.isnan(reference).any():
        notes.append(f"{int(np.isnan(reference).sum())} of {n} patients have no component and no reference "
                     "standard (decided_by 'none').")
    reference.flags.writeable = False
    decided_by.flags.writeable = False
    return CompositeReference(name=name, components=tuple(components), positive=tuple(shown_positive),
                              reference=reference, decided_by=decided_by, index=data.index, n=n, notes=tuple(notes))
