"""Scenarios: the documented, immutable parameter sets of the cohort simulator.

A scenario file (JSON, in ``datasets/scenarios/`` and shipped inside the package) holds every
number the simulator uses, each as a leaf ``{"value": ..., "evidence": ..., "source": ...}``:

* ``evidence`` is ``"verbatim"`` (printed in the cited paper), ``"derived"`` (computed from
  printed numbers; the ``note`` says how, and derived blood-marker values come from the committed
  script ``datasets/scenarios/calibrate_spine_referral.py``) or ``"assumption"`` (no published
  source; the modeller's choice, stated as such);
* ``source`` is the citation (author, year, journal, URL).

:class:`Scenario` reads such a file, checks every value (probabilities in [0, 1], shares that sum to
1, a valid correlation matrix, ...), and gives each parameter by its dotted path. It is immutable;
:meth:`Scenario.replace` returns a changed copy, validated the same way.

>>> from diagstats.simulate import Scenario
>>> s = Scenario.load("spine_referral")
>>> s["imaging.mri.sensitivity"]
0.93
>>> s.source("imaging.mri.sensitivity").evidence
'verbatim'
>>> s.replace({"imaging.mri.sensitivity": 0.9})["imaging.mri.sensitivity"]
0.9
"""

from __future__ import annotations

import json
import math
import numbers
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .._input import _show, _suggest, check_probability
from ..errors import DataError, OptionError

DIAGNOSES = ("no_tumour", "benign_primary", "malignant_primary", "metastasis")
TUMOURS = DIAGNOSES[1:]
ORIGINS = ("lung", "breast", "prostate", "kidney", "thyroid", "gastrointestinal", "liver", "other", "unknown")
LEVELS = ("cervical", "thoracic", "lumbar", "sacral")
MODALITIES = ("xray", "ct", "mri", "pet", "bone_scan", "ct_myelography")
COUNTS = ("neutrophils", "lymphocytes", "platelets", "monocytes")
EVIDENCE = ("verbatim", "derived", "assumption")

_PATHWAY = ("mri", "ct_myelography_if_contraindicated", "xray", "ct_after_positive", "ct_otherwise",
            "pet_prior_cancer", "pet_otherwise", "bone_scan_prior_cancer", "bone_scan_otherwise")
_BIOPSY_PROBABILITIES = ("lesion_no_prior_cancer", "lesion_prior_cancer", "no_lesion", "ct_guidance_share",
                         "yield", "accuracy")
_FOLLOW_UP_PROBABILITIES = ("completion", "sensitivity", "specificity")


def _schema() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every parameter path with its kind (and categories, for shares and per-category values)."""
    s: dict[str, tuple[str, tuple[str, ...]]] = {
        "tumour_share": ("probability", ()),
        "tumour_mix": ("shares", TUMOURS),
        "origin_shares": ("shares", ORIGINS),
        "level_shares.primary": ("shares", LEVELS),
        "level_shares.metastasis": ("shares", LEVELS),
        "age.minimum": ("positive", ()),
        "age.maximum": ("positive", ()),
        "male_share.no_tumour": ("probability", ()),
        "male_share.primary": ("probability", ()),
        "male_share.metastasis_other": ("probability", ()),
        "palpation_tenderness.no_tumour": ("probability", ()),
        "palpation_tenderness.tumour": ("probability", ()),
        "mri_contraindication.device_under_65": ("probability", ()),
        "mri_contraindication.device_65_to_74": ("probability", ()),
        "mri_contraindication.device_75_plus": ("probability", ()),
        "mri_contraindication.claustrophobia": ("probability", ()),
        "imaging.conspicuity_strength": ("probability", ()),
        "imaging.rating_cutpoints": ("cutpoints", ()),
        "blood.reference.mean_log": ("by_category", COUNTS),
        "blood.reference.sd_log": ("positive_by_category", COUNTS),
        "blood.reference.correlation": ("correlation", COUNTS),
        "blood.shift_nlr": ("by_category", TUMOURS),
        "blood.shift_plr": ("by_category", TUMOURS),
        "blood.lymphocyte_share": ("probability", ()),
        "blood.origin_shifts": ("bool", ()),
        "blood.origin_shift_nlr": ("by_category", ORIGINS),
        "blood.origin_shift_plr": ("by_category", ORIGINS),
    }
    for d in DIAGNOSES:
        s[f"age.{d}.mean"] = ("positive", ())
        s[f"age.{d}.sd"] = ("positive", ())
        s[f"prior_cancer.{d}"] = ("probability", ())
        s[f"neuro_deficit.{d}"] = ("probability", ())
    for m in MODALITIES:
        s[f"imaging.{m}.sensitivity"] = ("probability", ())
        s[f"imaging.{m}.specificity"] = ("probability", ())
    for p in _PATHWAY:
        s[f"pathway.{p}"] = ("probability", ())
    for p in _BIOPSY_PROBABILITIES:
        s[f"biopsy.{p}"] = ("probability", ())
    s["follow_up.months"] = ("positive", ())
    for p in _FOLLOW_UP_PROBABILITIES:
        s[f"follow_up.{p}"] = ("probability", ())
    return s


#: Parameter path -> (kind, categories). A scenario file must give exactly these paths.
SCHEMA = MappingProxyType(_schema())


class Source(NamedTuple):
    """Where a parameter's value comes from."""

    evidence: str
    source: str
    note: str = ""


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


def _real(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise OptionError(f"scenario parameter {path!r} must be a finite number; got {_show(value)}.")
    return float(value)


def _category_dict(value: Any, path: str, categories: tuple[str, ...]) -> dict[str, float]:
    if not isinstance(value, Mapping) or set(value) != set(categories):
        given = sorted(value) if isinstance(value, Mapping) else _show(value)
        raise OptionError(f"scenario parameter {path!r} must be a mapping with exactly the keys "
                          f"{', '.join(categories)}; got {given}.")
    return {c: _real(value[c], f"{path}.{c}") for c in categories}


def _validate(path: str, value: Any) -> Any:
    """Check one parameter value against its kind; return it in canonical (immutable) form."""
    kind, categories = SCHEMA[path]
    if kind == "probability":
        return float(check_probability(value, f"scenario parameter {path!r}", scalar=True))
    if kind == "positive":
        if _real(value, path) <= 0:
            raise OptionError(f"scenario parameter {path!r} must be greater than 0; got {_show(value)}.")
        return float(value)
    if kind == "bool":
        if not isinstance(value, (bool, np.bool_)):
            raise OptionError(f"scenario parameter {path!r} must be True or False; got {_show(value)}.")
        return bool(value)
    if kind in ("by_category", "positive_by_category"):
        values = _category_dict(value, path, categories)
        if kind == "positive_by_category" and min(values.values()) <= 0:
            raise OptionError(f"scenario parameter {path!r} must have values greater than 0; got {values}.")
        return MappingProxyType(values)
    if kind == "shares":
        values = _category_dict(value, path, categories)
        for c, v in values.items():
            check_probability(v, f"scenario parameter {path + '.' + c!r}")
        total = sum(values.values())
        if abs(total - 1) > 1e-9:
            raise OptionError(f"scenario parameter {path!r}: the shares sum to {total:.6g}, but they must sum to 1 "
                              "(give proportions of one whole, e.g. 0.25, not 25).")
        return MappingProxyType(values)
    if kind == "cutpoints":
        cut = [_real(v, path) for v in value] if isinstance(value, (list, tuple)) else None
        if cut is None or len(cut) != 4 or any(b <= a for a, b in zip(cut, cut[1:])) or cut[1] != 0:
            raise OptionError(f"scenario parameter {path!r} must be 4 increasing latent-scale cut-points whose "
                              f"second is 0 (so that a rating >= 3 is a positive read); got {_show(value)}.")
        return tuple(cut)
    if kind == "correlation":
        matrix = np.asarray(value, dtype=float) if isinstance(value, (list, tuple)) else np.empty(0)
        k = len(categories)
        ok = matrix.shape == (k, k) and np.all(np.isfinite(matrix))
        ok = ok and np.allclose(matrix, matrix.T) and np.allclose(np.diag(matrix), 1)
        if not ok or np.linalg.eigvalsh(matrix).min() <= 0:
            raise OptionError(f"scenario parameter {path!r} must be a {k}x{k} symmetric positive-definite "
                              f"correlation matrix (unit diagonal) in the order {', '.join(categories)}.")
        return tuple(tuple(float(x) for x in row) for row in matrix)
    raise AssertionError(f"unknown kind {kind}")  # pragma: no cover - the schema is fixed


def _check_consistency(values: Mapping[str, Any]) -> None:
    if values["age.minimum"] >= values["age.maximum"]:
        raise OptionError(f"scenario parameters 'age.minimum' ({values['age.minimum']:g}) and 'age.maximum' "
                          f"({values['age.maximum']:g}): the minimum must be below the maximum.")


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Mapping[str, Any]]:
    """Leaves of a nested scenario dict: a leaf is a mapping with a 'value' key."""
    leaves: dict[str, Mapping[str, Any]] = {}
    for key, node in tree.items():
        path = f"{prefix}{key}"
        if isinstance(node, Mapping) and "value" in node:
            leaves[path] = node
        elif isinstance(node, Mapping):
            leaves.update(_flatten(node, path + "."))
        else:
            raise DataError(f"scenario entry {path!r} must be a group of parameters or a leaf "
                            "{'value': ..., 'evidence': ..., 'source': ...}.")
    return leaves


def _scenario_files() -> dict[str, Any]:
    folder = resources.files("diagstats") / "data" / "scenarios"
    return {f.name[:-5]: f for f in folder.iterdir() if f.name.endswith(".json")}


def available() -> list[str]:
    """Names of the scenarios shipped with diagstats.

    >>> "spine_referral" in available()
    True
    """
    return sorted(_scenario_files())


@dataclass(frozen=True, repr=False)
class Scenario:
    """An immutable, validated set of simulator parameters, each with its source.

    Build one with :meth:`Scenario.load` (a shipped name or a JSON path); read parameters by dotted
    path (``scenario["imaging.mri.sensitivity"]``); see where a number comes from with
    :meth:`source`; list everything with :meth:`to_frame`; change parts with :meth:`replace`.

    Attributes
    ----------
    name, description : str
    parameters : tuple of str
        Every parameter path, in file order.
    """

    name: str
    description: str
    _values: Mapping[str, Any]
    _sources: Mapping[str, Source]

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """A scenario from the parsed JSON structure (``name``, ``description``, ``parameters``)."""
        if not isinstance(data, Mapping) or not isinstance(data.get("parameters"), Mapping):
            raise DataError("a scenario must be a mapping with 'name', 'description' and 'parameters'.")
        leaves = _flatten(data["parameters"])
        missing = [p for p in SCHEMA if p not in leaves]
        unknown = [p for p in leaves if p not in SCHEMA]
        if unknown:
            raise OptionError(f"unknown scenario parameter {unknown[0]!r}.{_suggest(unknown[0], SCHEMA)} "
                              f"See diagstats.simulate.SCHEMA for the parameters.")
        if missing:
            raise DataError(f"the scenario lacks parameter(s) {', '.join(missing)}; every parameter must be given.")
        values, sources = {}, {}
        for path, leaf in leaves.items():
            evidence = leaf.get("evidence")
            if evidence not in EVIDENCE or not leaf.get("source"):
                raise DataError(f"scenario parameter {path!r} needs 'evidence' (one of {', '.join(EVIDENCE)}) "
                                f"and a 'source' citation; got evidence={_show(evidence)}.")
            values[path] = _validate(path, leaf["value"])
            sources[path] = Source(evidence, str(leaf["source"]), str(leaf.get("note", "")))
        _check_consistency(values)
        return cls(str(data.get("name", "")), str(data.get("description", "")),
                   MappingProxyType(values), MappingProxyType(sources))

    @classmethod
    def load(cls, scenario: str | Path | Scenario) -> Scenario:
        """A shipped scenario by name (see :func:`available`), a JSON file path, or a Scenario (returned as is)."""
        if isinstance(scenario, Scenario):
            return scenario
        if isinstance(scenario, Path) or (isinstance(scenario, str) and scenario.endswith(".json")):
            path = Path(scenario)
            if not path.is_file():
                raise OptionError(f"scenario={str(scenario)!r}: no such file.")
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        files = _scenario_files()
        if not isinstance(scenario, str) or scenario not in files:
            raise OptionError(f"scenario={_show(scenario)} is not a known scenario; use one of "
                              f"{', '.join(repr(n) for n in sorted(files))}, a path to a .json scenario file, "
                              f"or a Scenario.{_suggest(str(scenario), files) if isinstance(scenario, str) else ''}")
        return cls.from_dict(json.loads(files[scenario].read_text(encoding="utf-8")))

    # -- reading ------------------------------------------------------------------------------
    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(self._values)

    def _check_path(self, path: Any) -> str:
        if path not in self._values:
            raise OptionError(f"{_show(path)} is not a scenario parameter.{_suggest(str(path), self._values)} "
                              "See scenario.parameters for the list.")
        return path

    def __getitem__(self, path: str) -> Any:
        return self._values[self._check_path(path)]

    def source(self, path: str) -> Source:
        """The evidence tag, citation and note of one parameter."""
        return self._sources[self._check_path(path)]

    def to_frame(self) -> pd.DataFrame:
        """One row per parameter: ``parameter, value, evidence, source, note``."""
        rows = [(p, _thaw(v), *self._sources[p]) for p, v in self._values.items()]
        return pd.DataFrame(rows, columns=["parameter", "value", "evidence", "source", "note"])

    def to_dict(self) -> dict[str, Any]:
        """The nested JSON structure of a scenario file (``Scenario.from_dict(s.to_dict())`` round-trips)."""
        tree: dict[str, Any] = {}
        for path, value in self._values.items():
            node = tree
            *groups, leaf = path.split(".")
            for g in groups:
                node = node.setdefault(g, {})
            evidence, source, note = self._sources[path]
            node[leaf] = {"value": _thaw(value), "evidence": evidence, "source": source,
                          **({"note": note} if note else {})}
        return {"name": self.name, "description": self.description, "parameters": tree}

    # -- changing -----------------------------------------------------------------------------
    def replace(self, changes: Mapping[str, Any] | None = None, /, *, name: str | None = None,
                **kwargs: Any) -> Scenario:
        """A copy with some parameters changed, validated like a scenario file.

        Parameters
        ----------
        changes : mapping of str to value, optional
            Dotted parameter paths to new values, e.g. ``{"imaging.mri.sensitivity": 0.9}``.
        name : str, optional
            Name of the new scenario (default: this name with ``"(modified)"`` appended).
        **kwargs
            The same with ``__`` for the dots: ``imaging__mri__sensitivity=0.9``.

        Returns
        -------
        Scenario
            Changed parameters are tagged ``evidence="assumption"`` with source ``"user change"``.

        Examples
        --------
        >>> s = Scenario.load("spine_referral").replace(imaging__conspicuity_strength=0.0)
        >>> s["imaging.conspicuity_strength"], s.source("imaging.conspicuity_strength").source
        (0.0, 'user change')
        """
        updates = dict(changes or {})
        updates.update({k.replace("__", "."): v for k, v in kwargs.items()})
        values, sources = dict(self._values), dict(self._sources)
        for path, value in updates.items():
            self._check_path(path)
            values[path] = _validate(path, value)
            sources[path] = Source("assumption", "user change", f"was {_thaw(self._values[path])!r}")
        _check_consistency(values)
        new_name = name if name is not None else (self.name if self.name.endswith("(modified)")
                                                  else f"{self.name} (modified)")
        return Scenario(new_name, self.description, MappingProxyType(values), MappingProxyType(sources))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scenario) and self.name == other.name and dict(self._values) == dict(other._values)

    def __hash__(self) -> int:
        return hash((self.name, tuple(self._values)))

    def __repr__(self) -> str:
        return f"Scenario({self.name!r}, {len(self._values)} parameters)"

    # Scenarios travel to worker processes (see study): pickle the plain structure.
    def __reduce__(self):
        return (Scenario.from_dict, (self.to_dict(),))
