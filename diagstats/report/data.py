"""Data for analyses: the simulated default cohort, shipped datasets, the ``--map`` flag, config settings.

A user's own data comes as a study (:mod:`~diagstats.report.study`); on the command line its columns
can be given by roles, ``--map reference=biopsy_result,test=mri`` (several columns for one role joined
by ``+``: ``test=mri+ct``), parsed here. Every problem is a :class:`~diagstats.DiagstatsError` with a
one-line message, raised before anything is written.

>>> parse_mapping("reference=biopsy_result, test=mri+ct")
{'reference': 'biopsy_result', 'test': 'mri+ct'}
"""

from __future__ import annotations

import io
from importlib import resources
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .. import datasets
from .._input import _show, as_binary, check_level, check_number, check_whole_number
from ..errors import DataError, OptionError
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
            raise OptionError(f"--map {text}: {item!r} is not of the form role=column "
                              "(e.g. --map reference=biopsy_result,test=mri).")
        if role in mapping:
            raise OptionError(f"--map {text} names the role {role!r} twice; join several columns with '+'.")
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


def _check_setting(key: str, value: Any, default: Any) -> Any:
    """``value`` of config key ``key``, of the type of its ``default`` (None: any)."""
    if key == "level":
        return check_level(value, key)
    if isinstance(default, bool):
        if not isinstance(value, (bool, np.bool_)):
            raise OptionError(f"{key}={_show(value)} must be True or False.")
        return bool(value)
    if isinstance(default, int):
        return check_whole_number(value, key, minimum=0 if key == "seed" else 1, example=default)
    if isinstance(default, float):
        return check_number(value, key)
    return value


def settings(config: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """``defaults`` updated by ``config`` (None keeps the default), each value of its default's type.

    Unknown keys (typos such as ``sed=1``) and values of the wrong type raise, naming the key.

    >>> settings({"n": 100}, {"n": 5000, "seed": 1})
    {'n': 100, 'seed': 1}
    >>> settings({"n": "x"}, {"n": 5000})
    Traceback (most recent call last):
    ...
    diagstats.errors.OptionError: n='x' must be a whole number >= 1, e.g. n=5000.
    """
    extra = sorted(set(config) - set(defaults))
    if extra:
        raise OptionError(f"config has the unknown key {_show(extra[0])}; this analysis accepts {sorted(defaults)}.")
    return {**defaults, **{k: _check_setting(k, v, defaults[k]) for k, v in config.items() if v is not None}}


def dataset_source(name: str) -> tuple[pd.DataFrame, DataSource]:
    """A shipped dataset (:func:`diagstats.datasets.load`) and its source (SHA-256 of the CSV file)."""
    frame = datasets.load(name)
    content = (resources.files("diagstats") / "data" / "datasets" / f"{name}.csv").read_bytes()
    return frame, DataSource.from_bytes(f"diagstats.datasets.load({name!r}): {frame.attrs.get('title', name)}",
                                        content, len(frame), missingness(frame))
