"""Data for analyses: the simulated default cohort, shipped datasets, or a user's CSV with a column mapping.

An analysis declares the *roles* it needs (e.g. ``reference``, ``test``); a user's CSV is read and its
columns renamed to those roles with a mapping such as ``{"reference": "biopsy_result", "test": "mri"}``
(``--map reference=biopsy_result,test=mri`` on the command line). A role may take several columns
joined by ``+`` (``test=mri+ct``). Every problem is a :class:`~diagstats.DiagstatsError` with a
one-line message, raised before anything is written.

>>> parse_mapping("reference=biopsy_result, test=mri+ct")
{'reference': 'biopsy_result', 'test': 'mri+ct'}
"""

from __future__ import annotations

import io
import os
from importlib import resources
from pathlib import Path
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .. import datasets
from .._input import _show, as_binary, column
from ..errors import ColumnError, DataError, OptionError
from .model import DataSource


def parse_mapping(text: str | Mapping[str, str] | None) -> dict[str, str]:
    """``"role=column,role=column"`` (or a dict) -> ``{role: column}``."""
    if text is None:
        return {}
    if isinstance(text, Mapping):
        return {str(k): str(v) for k, v in text.items()}
    mapping: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in str(text).split(","))):
        role, sep, col = (s.strip() for s in item.partition("="))
        if not sep or not role or not col:
            raise OptionError(f"map={text!r}: {item!r} is not of the form role=column "
                              "(e.g. --map reference=biopsy_result,test=mri).")
        if role in mapping:
            raise OptionError(f"map={text!r} names the role {role!r} twice; join several columns with '+'.")
        mapping[role] = col
    return mapping


def missingness(frame: pd.DataFrame) -> dict[str, int]:
    """Missing values per column (columns without any left out)."""
    return {str(c): int(k) for c, k in frame.isna().sum().items() if k}


#: Floats of an in-memory frame are fingerprinted at 12 significant digits: a simulated cohort is
#: the same data on every machine, although BLAS kernels may change the last bit of a value.
DATA_FLOAT_FORMAT = "%.12g"


def frame_source(description: str, frame: pd.DataFrame) -> DataSource:
    """A :class:`DataSource` for an in-memory frame: the SHA-256 of its CSV (floats at 12 significant digits)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format=DATA_FLOAT_FORMAT)
    return DataSource.from_bytes(description, buffer.getvalue().encode("utf-8"), len(frame), missingness(frame))


def read_user_csv(path: str | os.PathLike, mapping: Mapping[str, str], roles: Mapping[str, str],
                  required: tuple[str, ...]) -> tuple[pd.DataFrame, DataSource, dict[str, list[str]]]:
    """Read ``path`` and resolve ``mapping`` against the analysis's ``roles`` (role -> description).

    Returns the frame, its :class:`DataSource` (SHA-256 of the file's bytes) and ``{role: [columns]}``.
    A role missing from ``mapping`` defaults to a column of the same name, if there is one.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"--data {str(path)!r}: no such file; give the path of a CSV file.")
    content = path.read_bytes()
    try:
        frame = pd.read_csv(io.BytesIO(content))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise DataError(f"--data {str(path)!r} is not a readable CSV file ({str(error).splitlines()[0]}).") from None
    unknown = [r for r in mapping if r not in roles]
    if unknown:
        raise OptionError(f"--map names the role {unknown[0]!r}, which this analysis does not use; its roles are "
                          + "; ".join(f"{r} ({d})" for r, d in roles.items()) + ".")
    resolved: dict[str, list[str]] = {}
    for role in roles:
        cols = mapping.get(role, role if role in frame.columns else "")
        if not cols:
            if role in required:
                raise ColumnError(f"--map has no column for the role {role!r} ({roles[role]}) and the file has no "
                                  f"column called {role!r}; add --map {role}=<column>.")
            continue
        resolved[role] = [column(frame, c, f"--map {role}").name for c in cols.split("+")]
    return frame, DataSource.from_bytes(f"{path.name} (user data)", content, len(frame), missingness(frame)), resolved


def binary_reference(values: Any, name: str, positive: Any = None) -> pd.Series:
    """A reference standard as a float Series (1 diseased, 0 not, NaN unknown); both classes required."""
    series = pd.Series(values)
    known = series.notna()
    if not known.any():
        raise DataError(f"{name} has no known values; it must hold the reference standard of some patients.")
    binary = as_binary(series[known].to_numpy(), name, positive, require_both=True)
    out = pd.Series(float("nan"), index=series.index)
    out[known] = binary.values.astype(float)
    return out


def settings(config: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """``defaults`` updated by ``config`` (None keeps the default); unknown keys (typos such as ``sed=1``) raise."""
    extra = sorted(set(config) - set(defaults))
    if extra:
        raise OptionError(f"config has the unknown key {_show(extra[0])}; this analysis accepts {sorted(defaults)}.")
    return {**defaults, **{k: v for k, v in config.items() if v is not None}}


def dataset_source(name: str) -> tuple[pd.DataFrame, DataSource]:
    """A shipped dataset (:func:`diagstats.datasets.load`) and its source (SHA-256 of the CSV file)."""
    frame = datasets.load(name)
    content = (resources.files("diagstats") / "data" / "datasets" / f"{name}.csv").read_bytes()
    return frame, DataSource.from_bytes(f"diagstats.datasets.load({name!r}): {frame.attrs.get('title', name)}",
                                        content, len(frame), missingness(frame))
