"""Blood-count markers of systemic inflammation: NLR, PLR, LMR and SII from the counts.

:func:`ratios` turns blood counts into the neutrophil-to-lymphocyte ratio (NLR), the
platelet-to-lymphocyte ratio (PLR), the lymphocyte-to-monocyte ratio (LMR) and the systemic
immune-inflammation index (SII), checking the units against plausible medians.

>>> import pandas as pd, diagstats as ds
>>> counts = pd.DataFrame({"neut": [4.0, 6.0], "lymph": [2.0, 1.5], "plt": [250, 300]})
>>> ds.markers.ratios(counts, neutrophils="neut", lymphocytes="lymph", platelets="plt")[["nlr", "plr", "sii"]]
   nlr    plr     sii
0  2.0  125.0   500.0
1  4.0  200.0  1200.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._input import as_numeric, check_dataframe, check_nan_policy, check_option, column
from ..errors import DataError

__all__ = ["ratios", "UNITS"]

#: Accepted units of the counts and the factor that converts each to 10^9 cells per litre.
UNITS = {"10^9/L": 1.0, "per_uL": 1e-3, "per_L": 1e-9}
UNIT_ALIASES = {"10^3/uL": "10^9/L", "10^3/µL": "10^9/L", "1e9/L": "10^9/L", "G/L": "10^9/L", "K/uL": "10^9/L",
                "per_µL": "per_uL", "cells/uL": "per_uL", "cells/µL": "per_uL", "cells/L": "per_L"}

#: Plausible range of a cohort's MEDIAN count, in 10^9/L. Deliberately wide (leukaemias and
#: thrombocytosis stay inside); a median outside it is a unit mistake, not a patient.
PLAUSIBLE_MEDIAN = {"neutrophils": (0.1, 100.0), "lymphocytes": (0.05, 100.0), "monocytes": (0.01, 20.0),
                    "platelets": (5.0, 2000.0)}

#: Each ratio: (numerator counts, denominator count).
RATIOS = {"nlr": (("neutrophils",), "lymphocytes"), "plr": (("platelets",), "lymphocytes"),
          "lmr": (("lymphocytes",), "monocytes"), "sii": (("platelets", "neutrophils"), "lymphocytes")}


def _unit_hint(median: float, kind: str, units: str) -> str:
    """Which accepted unit would make this median plausible, as advice for the error message."""
    low, high = PLAUSIBLE_MEDIAN[kind]
    for candidate, factor in UNITS.items():
        if candidate != units and low <= median * factor <= high:
            label = {"10^9/L": "10^9/L (same numbers as 10^3/uL)", "per_uL": "cells per microlitre",
                     "per_L": "cells per litre"}[candidate]
            return f"It looks like {label}: pass units={candidate!r}."
    return "Check the column and its units."


def _count(data: pd.DataFrame, col: Any, kind: str, units: str) -> tuple[np.ndarray, int]:
    """One blood count in 10^9/L, checked: numeric, not negative, plausible units."""
    values = as_numeric(column(data, col, kind).to_numpy(), f"{kind} ({col!r})")
    if np.isinf(values).any():
        raise DataError(f"{kind} ({col!r}) contains infinite values; counts must be finite numbers >= 0.")
    n_negative = int(np.sum(values < 0))
    if n_negative:
        raise DataError(f"{kind} ({col!r}) is negative in {n_negative} row(s) (e.g. {values[values < 0][0]:g}); "
                        "blood counts must be >= 0. Fix or remove those rows.")
    present = values[~np.isnan(values)]
    if present.size:
        median = float(np.median(present))
        low, high = PLAUSIBLE_MEDIAN[kind]
        if not low <= median * UNITS[units] <= high and median > 0:
            raise DataError(f"{kind} ({col!r}) has median {median:g} in units={units!r}, i.e. "
                            f"{median * UNITS[units]:g} x 10^9/L, outside the plausible range for a cohort's "
                            f"median ({low:g} to {high:g} x 10^9/L). {_unit_hint(median, kind, units)}")
    return values * UNITS[units], int(np.isnan(values).sum())


def ratios(data: pd.DataFrame, *, neutrophils: Any = None, lymphocytes: Any = None, platelets: Any = None,
           monocytes: Any = None, units: str = "10^9/L", nan_policy: str = "raise") -> pd.DataFrame:
    """Add NLR, PLR, LMR and SII to a table of blood counts (the input is not modified).

    Each ratio is added when its counts are given: ``nlr`` = neutrophils / lymphocytes,
    ``plr`` = platelets / lymphocytes, ``lmr`` = lymphocytes / monocytes and
    ``sii`` = platelets x neutrophils / lymphocytes (Hu et al. 2014), in 10^9/L.

    Parameters
    ----------
    data : DataFrame
        One patient per row.
    neutrophils, lymphocytes, platelets, monocytes : str, optional
        Column names of the absolute counts. ``lymphocytes`` is required (every ratio uses it) and
        at least one of the others.
    units : {"10^9/L", "per_uL", "per_L"}, default "10^9/L"
        Units of all counts. "10^3/uL" (= 10^9/L numerically), "G/L" and "K/uL" are accepted as
        aliases of "10^9/L"; "per_uL" are cells per microlitre (divided by 1000); "per_L" cells per
        litre (divided by 1e9). NLR, PLR and LMR do not depend on the unit; SII is in 10^9/L.
    nan_policy : {"raise", "omit"}, default "raise"
        Missing counts, or a zero denominator (lymphocytes, or monocytes for LMR): "raise" stops
        and says how many rows; "omit" leaves the affected ratios NaN and counts those rows.

    Returns
    -------
    DataFrame
        A copy of ``data`` with the ratio columns added (existing columns of those names are
        replaced, and a note says so). ``result.attrs["diagstats"]`` holds ``units``, the number
        of undefined values of each ratio (``n_undefined``) and ``notes``.

    Raises
    ------
    DataError
        Negative or non-numeric counts; a median count implausible for the stated units (e.g.
        per-litre counts declared as 10^9/L), with the unit that fits; missing or zero
        denominators with ``nan_policy="raise"``.

    Examples
    --------
    >>> import pandas as pd, diagstats as ds
    >>> df = pd.DataFrame({"n": [4200, 3000], "l": [2100, 0], "m": [500, 400]})
    >>> out = ds.markers.ratios(df, neutrophils="n", lymphocytes="l", monocytes="m", units="per_uL",
    ...                         nan_policy="omit")
    >>> out[["nlr", "lmr"]]
       nlr  lmr
    0  2.0  4.2
    1  NaN  0.0
    >>> out.attrs["diagstats"]["n_undefined"]
    {'nlr': 1, 'lmr': 0}
    """
    check_dataframe(data, what="one row of blood counts per patient")
    units = check_option(units, "units", list(UNITS), UNIT_ALIASES)
    nan_policy = check_nan_policy(nan_policy)
    given = {"neutrophils": neutrophils, "lymphocytes": lymphocytes, "platelets": platelets,
             "monocytes": monocytes}
    if lymphocytes is None:
        raise DataError("lymphocytes= is required: every ratio (NLR, PLR, LMR, SII) uses the lymphocyte count.")
    if all(given[k] is None for k in ("neutrophils", "platelets", "monocytes")):
        raise DataError("Give at least one of neutrophils=, platelets= or monocytes= besides lymphocytes=.")
    counts, n_missing = {}, {}
    for kind, col in given.items():
        if col is not None:
            counts[kind], n_missing[kind] = _count(data, col, kind, units)
    wanted = {name: parts for name, parts in RATIOS.items() if all(k in counts for k in parts[0] + (parts[1],))}

    problems = []
    for kind, n in n_missing.items():
        if n:
            problems.append(f"{kind} ({given[kind]!r}) is missing in {n} row(s)")
    for kind in ("lymphocytes", "monocytes"):
        if kind in counts and any(parts[1] == kind for parts in wanted.values()):
            n_zero = int(np.sum(counts[kind] == 0))
            if n_zero:
                problems.append(f"{kind} ({given[kind]!r}) is 0 in {n_zero} row(s), so ratios over it are undefined")
    if problems and nan_policy == "raise":
        raise DataError("; ".join(problems) + ". Pass nan_policy='omit' to leave those ratios NaN (the rows "
                        "are counted), or fix the counts first.")

    out = data.copy()
    notes = list(problems)
    replaced = [name for name in wanted if name in out.columns]
    if replaced:
        notes.append(f"existing column(s) {', '.join(replaced)} replaced")
    n_undefined = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for name, (numerators, denominator) in wanted.items():
            value = np.prod([counts[k] for k in numerators], axis=0) / counts[denominator]
            value = np.where(counts[denominator] == 0, np.nan, value)
            out[name] = value
            n_undefined[name] = int(np.isnan(value).sum())
    out.attrs["diagstats"] = {"units": units, "n_undefined": n_undefined, "notes": notes}
    return out


