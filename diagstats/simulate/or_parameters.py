"""Roe-Metz-Hillis (RMH) simulation parameters and the Obuchowski-Rockette (OR) parameters they imply, both ways.

The RMH model (Roe & Metz 1997 with Hillis' 2012 unequal variances; see :mod:`diagstats.simulate.readers`) draws
latent ratings; the OR model describes the empirical AUCs computed from them: the expected AUC of each modality,
the reader and modality x reader variances Var(R), Var(TxR), and the error variance and covariances Var(error),
Cov1 (same reader, other modality), Cov2 (other reader, same modality) and Cov3 (other reader and modality) of
studies with n0 non-diseased and n1 diseased cases.

:func:`rmh_to_or` is Hillis' (2018) analytical mapping. For reader j, modality i, a non-diseased case k and a
diseased case l, D = X_ijl - X_ijk is normal with mean delta_i and variance sigma_D^2 = V (1 + 1/b^2),
V = var_r + var_tr + var_c + var_tc + var_rc + var_error, and x_i = delta_i / sigma_D. The empirical AUC averages
I(D > 0) over the n0 n1 pairs, so every OR quantity is a sum of standard bivariate normal probabilities
F(x_i, x_i'; rho) of two such differences, rho being the share of sigma_D^2 that they have in common:

* AUC_i = Phi(x_i);
* Var(R) = F(x_1, x_2; p_R) - Phi(x_1) Phi(x_2) and Var(R) + Var(TxR) = mean_i F(x_i, x_i; p_R + p_TR) - Phi(x_i)^2,
  with p_R = var_r / V, p_TR = var_tr / V;
* each error (co)variance, averaged over the reader effects, is
  [F(rho_11) + (n1 - 1) F(rho_10) + (n0 - 1) F(rho_01) - (n0 + n1 - 1) F(rho_00)] / (n0 n1), where rho_00 is the
  readers' shared part (p_R + p_TR for Var(error), p_R for Cov1, 0 for Cov2 and Cov3), and rho_11, rho_10, rho_01
  add the shared case components s (the case-level variance, var_c + var_rc, var_c + var_tc and var_c over V)
  of both cases, of the non-diseased case only (s b^2 / (1 + b^2)) and of the diseased case only (s / (1 + b^2)).

With two modalities these are Hillis' (2018) formulas; with more, each is averaged over the modalities (Var(error),
Cov2, Var(R) + Var(TxR)) or over the pairs of modalities (Var(R), Cov1, Cov3).

:func:`or_to_rmh` is the reverse algorithm of Hillis, Smith & Chen (2022; MRMCaov's ``OR_to_RMH``): with the
case-level variance of the non-diseased cases fixed at 1 (as Roe & Metz), x_i = Phi^-1(AUC_i); p_R from Var(R);
p_R + p_TR from Var(R) + Var(TxR) (at least p_R); b from Var(error) (the largest solution in [0.001, 1], else the
smallest in [1, 4]), or given, or from the median mean-to-sigma ratio of the lower-AUC modality (then Var(error) is
the model's and the covariances are corr_k x Var(error)); then the shares of var_c, var_c + var_tc and var_c +
var_rc from Cov3, Cov2 and Cov1, each a monotone equation solved numerically (Brent).

References: Roe CA, Metz CE (1997) Acad Radiol 4:298-303. Hillis SL (2012) Acad Radiol 19:1518-1528. Hillis SL
(2018) Stat Med 37:2067-2093. Hillis SL, Smith BJ, Chen W (2022) J Med Imaging 9:045501 (Hillis 2020, SPIE Medical
Imaging 11316, in MRMCaov's documentation). Hillis SL, Berbaum KS (2011) Acad Radiol 18:143-154 (the mean-to-sigma
ratio).

>>> import diagstats as ds
>>> rmh = ds.simulate.or_to_rmh(auc=(0.897, 0.941), var_r=0.00154, var_tr=0.000208, corr1=0.433, corr2=0.430,
...                             corr3=0.299, var_error=0.000788, n_nondiseased=69, n_diseased=45)
>>> back = ds.simulate.rmh_to_or(parameters=rmh)
>>> round(back.var_error, 6), round(back.corr1, 3)
(0.000788, 0.433)
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special

from .._core.bivariate_normal import bivariate_normal_cdf
from .._input import _show, check_flag, check_number, check_whole_number
from ..errors import DataError, OptionError
from ..results import ResultTable, tidy

#: The OR components, named as ``ReaderStudyResult.or_components`` names them.
COMPONENTS = ("Var(R)", "Var(TxR)", "Cov1", "Cov2", "Cov3", "Var(error)")
#: The RMH variance components, as :func:`diagstats.simulate.roe_metz` names them.
VARIANCES = ("var_r", "var_tr", "var_c", "var_tc", "var_rc", "var_error")
#: Roe & Metz's defaults (the first line of their Table 1 with delta 1.5), as :func:`roe_metz` uses them.
DEFAULTS = {"delta": (1.5, 1.5), "b": 1.0, "var_r": 0.0055, "var_tr": 0.0055, "var_c": 0.3, "var_tc": 0.3,
            "var_rc": 0.2, "var_error": 0.2, "n_nondiseased": 50, "n_diseased": 50}
#: Where :func:`or_to_rmh` looks for b when it solves for it from Var(error) (Hillis, Smith & Chen 2022).
B_BELOW_1, B_ABOVE_1 = (0.001, 1.0), (1.0, 4.0)
#: ``ORParameters.source`` of correlations given without Var(error) (held with Var(error) 1 until b is known).
NO_ERROR_VARIANCE = "given (correlations only)"
_SOLVER = {"xtol": 1e-15, "rtol": 4 * np.finfo(float).eps, "maxiter": 500}


def _labels(t: int) -> tuple[str, ...]:
    return tuple(chr(ord("A") + i) if i < 26 else f"M{i + 1}" for i in range(t))


def _pairs(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x_i, x_i' of every pair i < i' of modalities."""
    i, j = np.triu_indices(len(x), k=1)
    return x[i], x[j]


def _error_covariance(xa: Any, xb: Any, readers: Any, cases: Any, b: Any, n0: int, n1: int) -> np.ndarray:
    """E over the reader effects of the covariance over cases of two empirical AUCs (Hillis 2018): ``readers`` is
    the correlation their pair differences share through the readers, ``cases`` the share added when both cases are
    shared (split b^2 : 1 between the non-diseased and the diseased case). Arrays broadcast."""
    f0 = b * b / (1 + b * b)
    f = bivariate_normal_cdf
    return (f(xa, xb, readers + cases) + (n1 - 1) * f(xa, xb, readers + f0 * cases)
            + (n0 - 1) * f(xa, xb, readers + (1 - f0) * cases) - (n0 + n1 - 1) * f(xa, xb, readers)) / (n0 * n1)


@dataclass(frozen=True, repr=False)
class ORParameters(ResultTable):
    """Obuchowski-Rockette parameters of the empirical AUC of reader studies with ``n_nondiseased`` and
    ``n_diseased`` cases (see :func:`rmh_to_or`, :func:`or_to_rmh`).

    ``auc`` holds each modality's expected AUC; ``var_r``, ``var_tr`` the reader and modality x reader variances;
    ``var_error``, ``cov1``, ``cov2``, ``cov3`` the error variance and covariances (``corr1`` ... ``corr3`` their
    correlations, ``components`` all six under the names of ``ReaderStudyResult.or_components``). When they come
    from a Roe-Metz-Hillis model, ``b`` is its binormal slope and ``mean_to_sigma`` each modality's median
    mean-to-sigma ratio over readers (infinite when b = 1); NaN otherwise. ``source`` says where they come from.
    """

    auc: tuple[float, ...]
    var_r: float
    var_tr: float
    cov1: float
    cov2: float
    cov3: float
    var_error: float
    n_nondiseased: int
    n_diseased: int
    modalities: tuple = ()
    b: float = math.nan
    mean_to_sigma: tuple[float, ...] = ()
    source: str = "given"
    notes: tuple[str, ...] = ()

    title = "Obuchowski-Rockette parameters of the empirical AUC"
    key_columns = ("modality",)
    dict_include = ("corr1", "corr2", "corr3")

    @property
    def corr1(self) -> float:
        """Cov1 / Var(error): the correlation of two modalities' AUCs of the same reader."""
        return self.cov1 / self.var_error

    @property
    def corr2(self) -> float:
        """Cov2 / Var(error): the correlation of two readers' AUCs in the same modality."""
        return self.cov2 / self.var_error

    @property
    def corr3(self) -> float:
        """Cov3 / Var(error): the correlation of two readers' AUCs in different modalities."""
        return self.cov3 / self.var_error

    @property
    def components(self) -> Any:
        """Var(R), Var(TxR), Cov1, Cov2, Cov3, Var(error), keyed as ``ReaderStudyResult.or_components``."""
        return MappingProxyType(dict(zip(COMPONENTS, (self.var_r, self.var_tr, self.cov1, self.cov2, self.cov3,
                                                      self.var_error))))

    def header_lines(self) -> list[str]:
        return [f"{self.n_nondiseased} non-diseased + {self.n_diseased} diseased cases, {len(self.auc)} modalities; "
                f"{self.source}"]

    def to_frame(self) -> pd.DataFrame:
        """``modality`` (for the AUC and mean-to-sigma rows), ``measure, value`` (no intervals), ``method``."""
        labels = self.modalities or _labels(len(self.auc))
        rows = [{"modality": m, "measure": "AUC", "value": a} for m, a in zip(labels, self.auc)]
        rows += [{"modality": "", "measure": k, "value": v} for k, v in self.components.items()]
        rows += [{"modality": "", "measure": k, "value": getattr(self, k)} for k in ("corr1", "corr2", "corr3")]
        if not math.isnan(self.b):
            rows.append({"modality": "", "measure": "b", "value": self.b})
            rows += [{"modality": m, "measure": "mean-to-sigma ratio", "value": r}
                     for m, r in zip(labels, self.mean_to_sigma)]
        frame = pd.DataFrame(rows).assign(method=self.source)
        return tidy(frame, self.key_columns).assign(notes="")

    def to_text(self, digits: int = 3) -> str:
        labels = self.modalities or _labels(len(self.auc))
        g = max(digits, 6)
        out = [self.title, *self.header_lines(),
               "AUC: " + "  ".join(f"{m} {a:.{g}f}" for m, a in zip(labels, self.auc)),
               f"Var(R) {self.var_r:.{g}g}  Var(TxR) {self.var_tr:.{g}g}  Var(error) {self.var_error:.{g}g}",
               "  ".join(f"Cov{k} {getattr(self, f'cov{k}'):.{g}g} (corr{k} {getattr(self, f'corr{k}'):.4f})"
                         for k in (1, 2, 3))]
        if not math.isnan(self.b):
            out.append(f"b {self.b:.{g}g}; median mean-to-sigma ratio over readers: "
                       + "  ".join(f"{m} {r:.4g}" for m, r in zip(labels, self.mean_to_sigma)))
        return "\n".join([*out, *(f"Note: {n}" for n in self.notes)])

    def __repr__(self) -> str:
        aucs = ", ".join(f"{a:.4f}" for a in self.auc)
        return (f"ORParameters(auc=({aucs}), var_r={self.var_r:.4g}, var_tr={self.var_tr:.4g}, "
                f"var_error={self.var_error:.4g}, corr=({self.corr1:.3f}, {self.corr2:.3f}, {self.corr3:.3f}), "
                f"n_nondiseased={self.n_nondiseased}, n_diseased={self.n_diseased})")


@dataclass(frozen=True, repr=False)
class RMHParameters(ResultTable):
    """A Roe-Metz-Hillis model of latent ratings (see :func:`or_to_rmh`; simulate it with
    ``ds.simulate.roe_metz(parameters=...)``).

    ``delta`` holds each modality's diseased-case mean (non-diseased mean 0), ``b`` the binormal slope (every
    diseased-case variance component is the non-diseased one / b^2), ``var_r`` ... ``var_error`` the non-diseased
    variance components; ``n_nondiseased``, ``n_diseased`` the case numbers the OR parameters refer to (and the
    default size of a simulated study). ``b_method`` says how b was found; ``target`` holds the OR parameters asked
    for (None when the model was given directly), :meth:`or_parameters` the ones the model gives.
    """

    delta: tuple[float, ...]
    b: float
    var_r: float
    var_tr: float
    var_c: float
    var_tc: float
    var_rc: float
    var_error: float
    n_nondiseased: int
    n_diseased: int
    modalities: tuple = ()
    b_method: str = "given"
    target: ORParameters | None = None
    notes: tuple[str, ...] = ()

    title = "Roe-Metz-Hillis model parameters"
    key_columns = ("part", "modality")
    dict_include = ("mean_to_sigma",)

    @property
    def labels(self) -> tuple:
        """The modality labels (``modalities``, or "A", "B", ... as ``roe_metz`` names them)."""
        return tuple(self.modalities) or _labels(len(self.delta))

    @property
    def variances(self) -> dict[str, float]:
        """The six variance components by their ``roe_metz`` argument names."""
        return {name: getattr(self, name) for name in VARIANCES}

    @property
    def mean_to_sigma(self) -> tuple[float, ...]:
        """Each modality's median mean-to-sigma ratio over readers, b delta_i / (s (1 - b)) with s^2 the case-level
        variance (Hillis & Berbaum 2011; infinite when b = 1: no reader's ROC curve is improper)."""
        s = math.sqrt(self.var_c + self.var_tc + self.var_rc + self.var_error)
        return tuple(math.copysign(math.inf, d) if self.b == 1 else self.b * d / (s * (1 - self.b))
                     for d in self.delta)

    def or_parameters(self) -> ORParameters:
        """The OR parameters of this model with its case numbers (Hillis 2018): :func:`rmh_to_or`."""
        return rmh_to_or(parameters=self)

    def header_lines(self) -> list[str]:
        return [f"b {self.b:.6g} ({self.b_method}); OR parameters for {self.n_nondiseased} non-diseased + "
                f"{self.n_diseased} diseased cases"]

    def to_frame(self) -> pd.DataFrame:
        """``part`` ("RMH", then "OR target" and "OR of the model" when the model was fitted to OR parameters),
        ``modality``, ``measure, value`` (no intervals), ``method``."""
        rows = [{"part": "RMH", "modality": m, "measure": "delta", "value": d} for m, d in zip(self.labels, self.delta)]
        rows.append({"part": "RMH", "modality": "", "measure": "b", "value": self.b})
        rows += [{"part": "RMH", "modality": "", "measure": k, "value": v} for k, v in self.variances.items()]
        rows += [{"part": "RMH", "modality": m, "measure": "mean-to-sigma ratio", "value": r}
                 for m, r in zip(self.labels, self.mean_to_sigma)]
        frame = pd.DataFrame(rows).assign(method=f"Roe-Metz-Hillis; b {self.b_method}")
        if self.target is not None:
            parts = [frame]
            for name, res in (("OR target", self.target), ("OR of the model", self.or_parameters())):
                sub = res.to_frame()
                keep = ~sub["measure"].isin(["b", "mean-to-sigma ratio"])
                parts.append(sub.loc[keep, ["modality", "measure", "value", "method"]].assign(part=name))
            frame = pd.concat(parts, ignore_index=True)
        return tidy(frame, self.key_columns).assign(notes="")

    def to_text(self, digits: int = 3) -> str:
        g = max(digits, 6)
        out = [self.title, *self.header_lines(),
               "delta (diseased-case mean; non-diseased 0): "
               + "  ".join(f"{m} {d:.{g}g}" for m, d in zip(self.labels, self.delta)),
               "variance components (non-diseased; diseased ones / b^2): "
               + "  ".join(f"{k} {v:.{g}g}" for k, v in self.variances.items()),
               "median mean-to-sigma ratio over readers: "
               + "  ".join(f"{m} {r:.4g}" for m, r in zip(self.labels, self.mean_to_sigma))]
        if self.target is not None:
            model = self.or_parameters()
            names = [f"AUC {m}" for m in self.labels] + list(COMPONENTS)
            table = pd.DataFrame({"OR target": [*self.target.auc, *self.target.components.values()],
                                  "OR of the model": [*model.auc, *model.components.values()]}, index=names)
            out += ["", table.to_string(float_format=lambda v: f"{v:.{g}g}")]
        return "\n".join([*out, *(f"Note: {n}" for n in self.notes)])

    def __repr__(self) -> str:
        deltas = ", ".join(f"{d:.4g}" for d in self.delta)
        var = ", ".join(f"{k}={v:.4g}" for k, v in self.variances.items())
        return f"RMHParameters(delta=({deltas}), b={self.b:.4g}, {var})"


# ---- RMH -> OR (Hillis 2018) -------------------------------------------------------------------------------------

def _check_variance(x: Any, name: str) -> float:
    return check_number(x, name, low=0, high=1e6, what="variance")


def _check_cases(n0: Any, n1: Any) -> tuple[int, int]:
    return (check_whole_number(n0, "n_nondiseased", minimum=1, maximum=10**9, what="non-diseased cases", example=50),
            check_whole_number(n1, "n_diseased", minimum=1, maximum=10**9, what="diseased cases", example=50))


def _check_modalities(modalities: Any, t: int, of: str) -> tuple:
    if modalities is None:
        return ()
    if isinstance(modalities, (str, bytes)) or not isinstance(modalities, (Sequence, np.ndarray)):
        raise OptionError(f"modalities={_show(modalities)} must be a list of {t} labels, one per {of}.")
    labels = tuple(modalities)
    if len(labels) != t or len(set(labels)) != t:
        raise OptionError(f"modalities={_show(modalities)} must hold {t} distinct labels, one per {of} "
                          f"({len(labels)} given).")
    return labels


def rmh_model(parameters: Any = None, n_nondiseased: Any = None, n_diseased: Any = None, *,
              modalities: Any = None, min_modalities: int = 1, **model: Any) -> RMHParameters:
    """The validated RMH model of :func:`roe_metz` / :func:`rmh_to_or`: ``parameters`` (an :class:`RMHParameters`;
    OR parameters or a reader study are fitted with :func:`or_to_rmh`) or the model arguments (None: Roe & Metz's
    defaults, :data:`DEFAULTS`), never both."""
    given = sorted(k for k, v in model.items() if v is not None)
    if parameters is not None:
        if given:
            raise OptionError(f"parameters= already holds the model; leave out {', '.join(given)} (or give them "
                              "without parameters=).")
        if not isinstance(parameters, RMHParameters):
            parameters = or_to_rmh(parameters)
        n0, n1 = _check_cases(parameters.n_nondiseased if n_nondiseased is None else n_nondiseased,
                              parameters.n_diseased if n_diseased is None else n_diseased)
        labels = _check_modalities(modalities, len(parameters.delta), "delta") if modalities is not None else \
            tuple(parameters.modalities)
        return RMHParameters(**{**parameters.variances, "delta": parameters.delta, "b": parameters.b},
                             n_nondiseased=n0, n_diseased=n1, modalities=labels, b_method=parameters.b_method,
                             target=parameters.target, notes=parameters.notes)
    values = {k: DEFAULTS[k] if v is None else v for k, v in model.items()}
    n0, n1 = _check_cases(DEFAULTS["n_nondiseased"] if n_nondiseased is None else n_nondiseased,
                          DEFAULTS["n_diseased"] if n_diseased is None else n_diseased)
    delta = values["delta"]
    if isinstance(delta, (str, bytes)) or not isinstance(delta, (Sequence, np.ndarray)):
        delta = (delta, delta)
    delta = tuple(check_number(d, "delta", low=-1e6, high=1e6, what="mean of the diseased cases") for d in delta)
    if len(delta) < min_modalities:
        example = "delta=(1.5, 2.0)"
        raise OptionError(f"delta={_show(values['delta'])} must give the diseased-case mean of at least "
                          f"{min_modalities} modalit{'y' if min_modalities == 1 else 'ies'}, e.g. {example}.")
    b = check_number(values["b"], "b", low=0, high=1e6, strict=True, what="binormal slope")
    var = {name: _check_variance(values[name], name) for name in VARIANCES}
    if var["var_c"] + var["var_tc"] + var["var_rc"] + var["var_error"] == 0:
        raise OptionError("var_c, var_tc, var_rc and var_error are all 0: the cases would not vary, every reader "
                          "would rate all cases of a truth state alike; give var_error > 0 (e.g. var_error=0.2).")
    return RMHParameters(delta=delta, b=b, **var, n_nondiseased=n0, n_diseased=n1,
                         modalities=_check_modalities(modalities, len(delta), "delta"))


def rmh_to_or(n_nondiseased: int | None = None, n_diseased: int | None = None, *, parameters: Any = None,
              delta: float | Sequence[float] | None = None, b: float | None = None, var_r: float | None = None,
              var_tr: float | None = None, var_c: float | None = None, var_tc: float | None = None,
              var_rc: float | None = None, var_error: float | None = None,
              modalities: Sequence[Any] | None = None) -> ORParameters:
    """The Obuchowski-Rockette parameters of the empirical AUC of reader studies simulated from a Roe-Metz-Hillis
    model (Hillis 2018; MRMCaov's ``RMH_to_OR``).

    Parameters
    ----------
    n_nondiseased, n_diseased : int, optional
        Cases per study (default 50 each, or those of ``parameters``).
    parameters : RMHParameters, optional
        A model from :func:`or_to_rmh` (then leave the model arguments out).
    delta, b, var_r, var_tr, var_c, var_tc, var_rc, var_error : optional
        The model as :func:`diagstats.simulate.roe_metz` takes it (and with its defaults, Roe & Metz's): at least
        two modalities' diseased-case means, the binormal slope and the non-diseased variance components.
    modalities : sequence, optional
        Labels of the modalities, one per ``delta``.

    Returns
    -------
    ORParameters
        The expected AUC of each modality, Var(R), Var(TxR), Cov1, Cov2, Cov3, Var(error) (and the correlations),
        with the model's b and median mean-to-sigma ratios.

    Notes
    -----
    Every OR quantity is a sum of bivariate normal probabilities (the module docstring gives the formulas),
    computed exactly with Owen's T function. The Monte Carlo check in ``tests/readers/test_or_parameters.py``
    compares them with the OR estimates of :func:`diagstats.reader_study` on simulated studies.

    >>> import diagstats as ds
    >>> ors = ds.simulate.rmh_to_or(delta=(0.75, 0.75))  # Roe & Metz's first line, 50 + 50 cases
    >>> round(ors.auc[0], 4), round(ors.var_error, 6), round(ors.corr1, 3), round(ors.corr2, 3), round(ors.corr3, 3)
    (0.7011, 0.002675, 0.465, 0.563, 0.274)
    """
    model = rmh_model(parameters, n_nondiseased, n_diseased, modalities=modalities, min_modalities=2, delta=delta,
                      b=b, var_r=var_r, var_tr=var_tr, var_c=var_c, var_tc=var_tc, var_rc=var_rc,
                      var_error=var_error)
    return _or_of(model)


def _or_of(model: RMHParameters) -> ORParameters:
    n0, n1, b = model.n_nondiseased, model.n_diseased, model.b
    case_level = model.var_c + model.var_tc + model.var_rc + model.var_error
    v = model.var_r + model.var_tr + case_level
    x = np.asarray(model.delta) / math.sqrt(v * (1 + 1 / b ** 2))
    xa, xb = _pairs(x)
    p_r, p_rt = model.var_r / v, (model.var_r + model.var_tr) / v
    auc = special.ndtr(x)
    var_r = float(np.mean(bivariate_normal_cdf(xa, xb, p_r) - special.ndtr(xa) * special.ndtr(xb)))
    reader_total = float(np.mean(bivariate_normal_cdf(x, x, p_rt) - auc ** 2))
    covariances = {
        "var_error": _error_covariance(x, x, p_rt, 1 - p_rt, b, n0, n1),  # both cases shared: correlation 1
        "cov1": _error_covariance(xa, xb, p_r, (model.var_c + model.var_rc) / v, b, n0, n1),
        "cov2": _error_covariance(x, x, 0.0, (model.var_c + model.var_tc) / v, b, n0, n1),
        "cov3": _error_covariance(xa, xb, 0.0, model.var_c / v, b, n0, n1),
    }
    return ORParameters(auc=tuple(float(a) for a in auc), var_r=var_r, var_tr=reader_total - var_r,
                        **{k: float(np.mean(c)) for k, c in covariances.items()}, n_nondiseased=n0, n_diseased=n1,
                        modalities=tuple(model.modalities), b=b, mean_to_sigma=model.mean_to_sigma,
                        source="Roe-Metz-Hillis model (Hillis 2018)")


# ---- OR -> RMH (Hillis, Smith & Chen 2022) -----------------------------------------------------------------------

def _root(fun: Any, low: float, high: float) -> float:
    return float(optimize.brentq(fun, low, high, **_SOLVER))


def _share(fun: Any, target: float, what: str, fix: str) -> tuple[float, bool]:
    """The u in [0, 1] with fun(u) = target (fun increasing); (0, True) when target is at or below fun(0)."""
    at0, at1 = float(fun(0.0)), float(fun(1.0))
    if target <= at0:
        return 0.0, target < at0 - 1e-15
    if target > at1:
        raise DataError(f"{what} = {target:.6g} is more than the Roe-Metz-Hillis model can give with these AUCs and "
                        f"case numbers (at most {at1:.6g}); {fix}.")
    return _root(lambda u: fun(u) - target, 0.0, 1.0), False


def _or_target(parameters: Any, given: dict[str, Any], need_error: bool) -> ORParameters:
    """The OR parameters to fit: an ORParameters, a reader study's OR components, or the keyword values."""
    # a reader study result exists only once its module is loaded (importing it here would cost seconds)
    study = sys.modules.get("diagstats.readers.study")
    ReaderStudyResult = study.ReaderStudyResult if study is not None else ()
    if parameters is not None:
        named = sorted(k for k, v in given.items() if v is not None)
        if named:
            raise OptionError(f"parameters= already holds the OR parameters; leave out {', '.join(named)}.")
        if isinstance(parameters, ORParameters):
            return parameters
        if isinstance(parameters, ReaderStudyResult):
            if parameters.metric != "auc":
                raise OptionError(f"parameters is a reader study of metric={parameters.metric!r}; the Roe-Metz-Hillis "
                                  "mapping describes the empirical AUC: run ds.reader_study(..., metric='auc').")
            if parameters.design != "crossed":
                raise OptionError(f"parameters is a reader study with design={parameters.design!r}; the mapping is "
                                  "for a fully crossed study (every reader reads every case in every modality).")
            c = parameters.or_components
            return ORParameters(auc=tuple(float(a) for a in np.asarray(parameters.auc).mean(axis=1)),
                                var_r=float(c["Var(R)"]), var_tr=float(c["Var(TxR)"]), cov1=float(c["Cov1"]),
                                cov2=float(c["Cov2"]), cov3=float(c["Cov3"]), var_error=float(c["Var(error)"]),
                                n_nondiseased=int(parameters.n_nondiseased), n_diseased=int(parameters.n_diseased),
                                modalities=tuple(parameters.modalities),
                                source=f"reader study ({parameters.covariance} covariances)")
        raise OptionError(f"parameters={_show(parameters)} must be OR parameters (ds.simulate.rmh_to_or) or a reader "
                          f"study (ds.reader_study), not a {type(parameters).__name__}; or give auc=, var_r=, ... "
                          "instead.")
    required = ["auc", "var_r", "var_tr", "corr1", "corr2", "corr3", "n_nondiseased", "n_diseased"]
    required += ["var_error"] if need_error else []
    missing = [k for k in required if given[k] is None]
    if missing:
        raise OptionError(f"{missing[0]}= is missing: give the OR parameters auc=(AUC1, AUC2), var_r=, var_tr=, "
                          "corr1=, corr2=, corr3=, var_error=, n_nondiseased=, n_diseased= (var_error may be left out "
                          "with b= or mean_to_sigma=), or parameters= (OR parameters or a ds.reader_study result).")
    auc = given["auc"]
    if isinstance(auc, (str, bytes)) or not isinstance(auc, (Sequence, np.ndarray)) or len(auc) < 2:
        raise OptionError(f"auc={_show(auc)} must list the expected AUC of at least two modalities, "
                          "e.g. auc=(0.897, 0.941).")
    auc = tuple(check_number(a, "auc", low=0, high=1, strict=True, what="expected AUC") for a in auc)
    n0, n1 = _check_cases(given["n_nondiseased"], given["n_diseased"])
    var_r = check_number(given["var_r"], "var_r", low=-1, high=1, what="OR reader variance")
    var_tr = check_number(given["var_tr"], "var_tr", low=-1, high=1, what="OR modality x reader variance")
    corr = [check_number(given[k], k, low=-1, high=1, what="OR error correlation") for k in ("corr1", "corr2", "corr3")]
    # without var_error (b given or from the mean-to-sigma ratio) the covariances are the correlations times the
    # model's Var(error): held as correlations (Var(error) 1) until it is known
    known = given["var_error"] is not None
    var_error = (check_number(given["var_error"], "var_error", low=0, high=1, strict=True, what="OR error variance")
                 if known else 1.0)
    return ORParameters(auc=auc, var_r=var_r, var_tr=var_tr, cov1=corr[0] * var_error, cov2=corr[1] * var_error,
                        cov3=corr[2] * var_error, var_error=var_error, n_nondiseased=n0, n_diseased=n1,
                        modalities=_check_modalities(given["modalities"], len(auc), "AUC"),
                        source="given" if known else NO_ERROR_VARIANCE)


def _solve_b(x: np.ndarray, p_rt: float, var_error: float, n0: int, n1: int, below_1_first: bool) -> float:
    """Hillis, Smith & Chen (2022), step 4: the b whose model Var(error) is ``var_error`` (largest in [0.001, 1],
    else smallest in [1, 4]); sign changes found on a grid, each refined by Brent's method."""
    def excess(b: Any) -> np.ndarray:
        b = np.asarray(b, dtype=float)[..., None]
        return _error_covariance(x, x, p_rt, 1 - p_rt, b, n0, n1).mean(axis=-1) - var_error

    ranges = ((B_BELOW_1, max), (B_ABOVE_1, min)) if below_1_first else ((B_ABOVE_1, min),)
    for (low, high), pick in ranges:
        grid = np.geomspace(low, high, 401)
        values = excess(grid)
        # a root where the sign changes, or a grid point on it (b = 1 is a double root when n0 = n1)
        roots = [_root(lambda b: float(excess(b)), float(grid[i]), float(grid[i + 1]))
                 for i in np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0)]
        roots += [float(g) for g in grid[np.abs(values) <= 1e-12 * var_error]]
        if roots:
            return pick(roots)
    reach = excess(np.geomspace(B_BELOW_1[0], B_ABOVE_1[1], 801)) + var_error
    where = "from 0.001 to 4" if below_1_first else "from 1 to 4"
    raise DataError(f"var_error={var_error:.6g}: no b {where} gives this error variance with these AUCs, Var(R), "
                    f"Var(TxR) and case numbers (the model gives {reach.min():.6g} to {reach.max():.6g}); give b= "
                    "(e.g. b=1) or mean_to_sigma= to fit the correlations only, or check var_error.")


def or_to_rmh(parameters: Any = None, *, auc: Sequence[float] | None = None, var_r: float | None = None,
              var_tr: float | None = None, corr1: float | None = None, corr2: float | None = None,
              corr3: float | None = None, var_error: float | None = None, n_nondiseased: int | None = None,
              n_diseased: int | None = None, modalities: Sequence[Any] | None = None, b: float | None = None,
              mean_to_sigma: float | None = None, b_below_1_first: bool = True) -> RMHParameters:
    """Roe-Metz-Hillis simulation parameters whose simulated studies have given Obuchowski-Rockette parameters
    (Hillis, Smith & Chen 2022; MRMCaov's ``OR_to_RMH``): "simulate studies like my pilot".

    Parameters
    ----------
    parameters : ORParameters or ReaderStudyResult, optional
        OR parameters (:func:`rmh_to_or`), or a pilot :func:`diagstats.reader_study` of the empirical AUC in a
        crossed design: its modalities' mean AUCs, its OR components (``or_components``) and case numbers. A
        pilot's negative Var(R) or Var(TxR), or Cov2 or Cov1 below Cov3, cannot come from the model: see Notes.
    auc, var_r, var_tr, corr1, corr2, corr3, var_error, n_nondiseased, n_diseased : optional
        The OR parameters instead of ``parameters``: expected AUC of each modality (at least two), reader and
        modality x reader variances, error correlations (Cov_k / Var(error)), error variance and the cases they
        refer to. ``var_error`` may be left out when ``b`` or ``mean_to_sigma`` is given.
    modalities : sequence, optional
        Labels of the modalities, one per AUC (kept for ``roe_metz(parameters=...)``).
    b : float, optional
        The binormal slope to use (1: symmetric ROC curves). Default: solved from Var(error).
    mean_to_sigma : float, optional
        Solve b so that the lower-AUC modality's median mean-to-sigma ratio over readers is this (Hillis & Berbaum
        2011; MRMCaov's ``b_method = "mean_to_sigma"``; e.g. 4.5).
    b_below_1_first : bool
        When b is solved from Var(error): look in [0.001, 1] first, then in [1, 4] (True, as MRMCaov); or only in
        [1, 4].

    Returns
    -------
    RMHParameters
        ``delta``, ``b``, ``var_r`` ... ``var_error`` (case-level variance of the non-diseased cases 1), the OR
        ``target`` and :meth:`RMHParameters.or_parameters`, the OR parameters the model gives (compare them: the
        model cannot give every OR input exactly, notes say where it differs).

    Notes
    -----
    With ``b`` or ``mean_to_sigma`` the model fits the AUCs, Var(R), Var(TxR) and the three correlations, and
    Var(error) is the model's. Inputs the model cannot give are brought to the nearest it can, with a note: a
    negative Var(R) or Var(TxR) is taken as 0, a covariance below its floor as the floor (0 for Cov2, Cov3), and
    when Cov2 < Cov3 (or Cov1 < Cov3, as the Franken pilot has) var_tc (var_rc) is 0 and var_c fits the mean of the
    two covariances. Inputs beyond the model (a Var(R) larger than the AUCs allow, correlations that would need a
    negative var_error) are refused, naming what to change. See the module docstring for the algorithm.

    >>> import diagstats as ds
    >>> rmh = ds.simulate.or_to_rmh(auc=(0.897, 0.941), var_r=0.00154, var_tr=0.000208, corr1=0.433,
    ...                             corr2=0.430, corr3=0.299, n_nondiseased=69, n_diseased=45, b=1)
    >>> round(rmh.var_c + rmh.var_tc + rmh.var_rc + rmh.var_error, 12), rmh.b
    (1.0, 1.0)
    >>> round(rmh.or_parameters().corr2, 6)
    0.43
    """
    solve_b = b is None and mean_to_sigma is None
    target = _or_target(parameters, {"auc": auc, "var_r": var_r, "var_tr": var_tr, "corr1": corr1, "corr2": corr2,
                                     "corr3": corr3, "var_error": var_error, "n_nondiseased": n_nondiseased,
                                     "n_diseased": n_diseased, "modalities": modalities}, need_error=solve_b)
    below_1_first = check_flag(b_below_1_first, "b_below_1_first")
    if b is not None and mean_to_sigma is not None:
        raise OptionError(f"b={_show(b)} and mean_to_sigma={_show(mean_to_sigma)}: give one of them (or neither, to "
                          "solve b from var_error).")
    n0, n1 = target.n_nondiseased, target.n_diseased
    notes: list[str] = []
    x = special.ndtri(np.asarray(target.auc))
    xa, xb = _pairs(x)
    # step 2: the readers' share p_R (x3)
    p_r, low = _share(lambda u: np.mean(bivariate_normal_cdf(xa, xb, u) - special.ndtr(xa) * special.ndtr(xb)),
                      target.var_r, "var_r (the OR reader variance)", "lower var_r")
    if low:
        notes.append(f"Var(R) = {target.var_r:.4g} < 0 cannot come from the model: taken as 0")
    # step 3: p_R + p_TR (x4), at least p_R
    p_rt, low = _share(lambda u: np.mean(bivariate_normal_cdf(x, x, u) - special.ndtr(x) ** 2),
                       max(target.var_r, 0.0) + target.var_tr, "var_r + var_tr", "lower var_r or var_tr")
    if target.var_tr < 0:
        notes.append(f"Var(TxR) = {target.var_tr:.4g} < 0 cannot come from the model: var_tr = 0")
    elif p_rt < p_r:  # Var(TxR) below the model's smallest for these AUCs (that of var_tr = 0)
        notes.append(f"Var(TxR) = {target.var_tr:.4g} is below the smallest the model gives with these AUCs and "
                     "Var(R) (that of var_tr = 0): var_tr = 0")
    p_rt = max(p_rt, p_r)
    # step 4: b
    if b is not None:
        b = check_number(b, "b", low=0, high=1e6, strict=True, what="binormal slope")
        b_method = "given"
    elif mean_to_sigma is not None:
        ratio = check_number(mean_to_sigma, "mean_to_sigma", low=0, high=1e6, strict=True, what="mean-to-sigma ratio")
        lowest = float(x.min())
        if lowest <= 0:
            raise OptionError(f"mean_to_sigma={_show(mean_to_sigma)}: the lower AUC is {min(target.auc):.4g} <= 0.5, "
                              "where the mean-to-sigma ratio gives no b < 1; give b= instead.")
        c = ratio * math.sqrt(1 - p_rt) / lowest
        if c <= 1:
            raise OptionError(f"mean_to_sigma={_show(mean_to_sigma)}: with these AUCs and reader variances the "
                              f"median mean-to-sigma ratio of the lower-AUC modality is above "
                              f"{lowest / math.sqrt(1 - p_rt):.4g} for every b < 1; give a larger ratio, or b=.")
        b = (c * c - math.sqrt(2 * c * c - 1)) / (c * c - 1)  # the b in (0, 1) with that ratio
        b_method = f"from the mean-to-sigma ratio {ratio:g}"
    else:
        b = _solve_b(x, p_rt, target.var_error, n0, n1, below_1_first)
        b_method = "solved from Var(error)"
    # step 5: the covariances to fit: the given ones, or (b given or from the ratio) the correlations times the
    # model's Var(error)
    if not solve_b:
        var_e = float(np.mean(_error_covariance(x, x, p_rt, 1 - p_rt, b, n0, n1)))
        target = dataclasses.replace(target, var_error=var_e, cov1=target.corr1 * var_e, cov2=target.corr2 * var_e,
                                     cov3=target.corr3 * var_e,
                                     source="given, Var(error) the model's" if target.source == NO_ERROR_VARIANCE
                                     else f"{target.source}, Var(error) the model's")
    var_e = target.var_error
    cov = {"cov1": target.cov1, "cov2": target.cov2, "cov3": target.cov3}
    # step 6: the case components' shares of the case-level variance
    case = 1 - p_rt
    functions = {
        "cov3": lambda u: np.mean(_error_covariance(xa, xb, 0.0, case * u, b, n0, n1)),
        "cov2": lambda u: np.mean(_error_covariance(x, x, 0.0, case * u, b, n0, n1)),
        "cov1": lambda u: np.mean(_error_covariance(xa, xb, p_r, case * u, b, n0, n1)),
    }
    fixes = {"cov3": "lower corr3", "cov2": "lower corr2", "cov1": "lower corr1"}
    share = {}
    for k in ("cov3", "cov2", "cov1"):
        share[k], low = _share(functions[k], cov[k], f"Cov{k[-1]} (corr{k[-1]} x Var(error))", fixes[k])
        if low:
            notes.append(f"Cov{k[-1]} = {cov[k]:.4g} is below what the model can give ({float(functions[k](0.0)):.4g}):"
                         " taken as that")
    short = [k for k in ("cov2", "cov1") if share[k] < share["cov3"]]
    if short:
        keys = ["cov3", *short]
        mean_target = float(np.mean([cov[k] for k in keys]))
        share["cov3"], _ = _share(lambda u: np.mean([functions[k](u) for k in keys]), mean_target,
                                  "the mean of " + " and ".join(f"Cov{k[-1]}" for k in keys), "lower corr3")
        for k in ("cov2", "cov1"):
            share[k] = max(share[k], share["cov3"])
        component = {"cov2": "var_tc", "cov1": "var_rc"}
        notes += [f"Cov{k[-1]} < Cov3 cannot come from the model: {component[k]} = 0 and var_c fits the mean of "
                  f"Cov{k[-1]} and Cov3" for k in short]
    var_c = share["cov3"]
    var_tc, var_rc = share["cov2"] - var_c, share["cov1"] - var_c
    error = 1 - var_c - var_tc - var_rc
    if error < -1e-10:
        raise DataError(f"these correlations (corr1 {cov['cov1'] / var_e:.4g}, corr2 {cov['cov2'] / var_e:.4g}, corr3 "
                        f"{cov['cov3'] / var_e:.4g}) would need a negative var_error in the Roe-Metz-Hillis model "
                        "(corr1 + corr2 - corr3 too large for these AUCs): lower corr1 or corr2.")
    # step 7: the RMH parameters, with the case-level variance of the non-diseased cases 1
    v = 1 / (1 - p_rt)
    delta = tuple(float(d) for d in x * math.sqrt(v * (1 + 1 / b ** 2)))
    return RMHParameters(delta=delta, b=float(b), var_r=p_r * v, var_tr=(p_rt - p_r) * v, var_c=var_c,
                         var_tc=var_tc, var_rc=var_rc, var_error=max(error, 0.0), n_nondiseased=n0, n_diseased=n1,
                         modalities=tuple(target.modalities), b_method=b_method, target=target, notes=tuple(notes))
