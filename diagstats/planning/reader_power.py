"""Power of a multi-reader multi-case (MRMC) reader study from a pilot Obuchowski-Rockette analysis.

Hillis, Obuchowski & Berbaum (2011), "Power estimation for multireader ROC methods: an updated and unified
approach", Acad Radiol 18:129-142. The pivotal study compares two modalities, read by ``n_readers`` readers
on ``n_cases`` cases. From the pilot's OR components (Var(TxR), Var(error), Cov1, Cov2, Cov3, estimated on
c0 cases) the covariance terms are scaled by c0 / n_cases (they are case-sampling variances, inversely
proportional to the number of cases); Var(TxR) is kept (negative values set to 0). With r = n_readers,
k = c0 / n_cases and d the effect (difference of the modality mean AUCs):

* RRRC: den = max(Var(TxR), 0) + k [Var(error) - Cov1 + (r - 1) max(Cov2 - Cov3, 0)], noncentrality
  r d^2 / (2 den), denominator df (Hillis 2007) den^2 / {[max(Var(TxR), 0) + k (Var(error) - Cov1 -
  max(Cov2 - Cov3, 0))]^2 / (r - 1)}; power = P(F'(1, ddf, ncp) > F(1 - alpha; 1, ddf)).
* FRRC: den = k [Var(error) - Cov1 + (r - 1) max(Cov2 - Cov3, 0)], the chi-square test of
  :func:`diagstats.reader_study` (noncentral chi-square on 1 df).
* RRFC: den = max(Var(TxR), 0) + k [Var(error) - Cov1 - max(Cov2 - Cov3, 0)] (the expected MS(TxR)),
  F on (1, r - 1) df.

Sample size (Hillis, Obuchowski & Berbaum 2011, section "sample size"): given a target ``power`` and one of
``n_readers`` / ``n_cases``, the other is the smallest whole number whose power (of the chosen ``analysis``)
reaches the target, found by bisection on the power above (which grows with readers and with cases). The
target may be out of reach: with fixed readers the RRRC power tends, as cases grow, to that of
den = Var(TxR) (reader variability does not shrink with cases); with fixed cases, as readers grow, to that of
den = k (Cov2 - Cov3) x readers. Then no size is returned and the reachable limit is said.

These reproduce the powers published in RJafroc's tests (``SsPowerGivenJK``, method "OR") for all three
analyses; the pilot components follow the Iowa OR-DBM MRMC conventions of :func:`diagstats.reader_study`.

>>> import numpy as np, pandas as pd, diagstats as ds
>>> rng = np.random.default_rng(1)
>>> truth = np.repeat([0, 1], 30)
>>> rows = [{"reader": j, "modality": m, "case": k, "truth": truth[k],
...          "rating": truth[k] * (1.0 + 0.4 * m) + rng.normal()}
...         for j in range(4) for m in range(2) for k in range(60)]
>>> pilot = ds.reader_study(pd.DataFrame(rows))
>>> plan = ds.planning.reader_study_power(pilot, n_readers=8, n_cases=200)
>>> 0 < plan.power < 1
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from scipy import stats

from .._input import _show, check_number, check_option, check_planning_probability, check_whole_number
from ..errors import DataError, OptionError
from ..results import ResultTable, tidy

ANALYSES = ("rrrc", "frrc", "rrfc")
#: Largest planned study accepted (beyond, the noncentral F is not computed reliably, and no study is that large).
MAX_READERS = 10**6
MAX_CASES = 10**9


@dataclass(frozen=True, repr=False)
class ReaderStudyPower(ResultTable):
    """The power of a planned two-modality reader study (see :func:`reader_study_power`).

    ``power``, ``ddf`` and ``noncentrality`` are those of the RRRC analysis (random readers and random
    cases); ``frrc_power`` and ``rrfc_power`` those of the fixed-readers and fixed-cases analyses, with
    their df and noncentralities in ``analyses`` (analysis -> dict of power, df_num, df, noncentrality,
    critical value, test). ``components`` are the pilot's OR components used, ``pilot_cases`` its number
    of cases. When a sample size was asked for, ``solved`` names the size found (``"n_cases"`` or
    ``"n_readers"``: the smallest giving ``analysis`` a power of at least ``target_power``).
    """

    power: float
    ddf: float
    noncentrality: float
    frrc_power: float
    rrfc_power: float
    effect: float
    n_readers: int
    n_cases: int
    pilot_cases: int
    alpha: float
    analyses: Any
    components: Any
    method: str = "Hillis, Obuchowski & Berbaum (2011), Obuchowski-Rockette"
    notes: tuple[str, ...] = field(default=())
    target_power: float | None = None
    solved: str = ""
    analysis: str = "rrrc"

    title = "Reader study power"
    key_columns = ("analysis",)

    def header_lines(self) -> list[str]:
        lines = [f"{self.n_readers} readers x {self.n_cases} cases, 2 modalities, effect {self.effect:.5g} (AUC "
                 f"difference), alpha {self.alpha:g}; pilot {self.pilot_cases} cases; {self.method}"]
        if self.solved:
            lines.append(f"Sample size: {self.solved} = {getattr(self, self.solved)}, the smallest giving the "
                         f"{self.analysis.upper()} analysis a power of at least {self.target_power:g}")
        return lines

    def to_frame(self) -> pd.DataFrame:
        """``analysis`` (rrrc, frrc, rrfc: the power; ``input``: the arguments; ``solved``: the size found for a
        target power), ``measure, value`` (no
        intervals), ``method``, ``notes``, then ``df_num, df, noncentrality, critical_value, test_method``."""
        rows: list[dict[str, Any]] = []
        for name in ANALYSES:
            a = self.analyses[name]
            rows.append({"analysis": name, "measure": "power", "value": a["power"], "method": self.method,
                         "df_num": a["df_num"], "df": a["df"], "noncentrality": a["noncentrality"],
                         "critical_value": a["critical_value"], "test_method": a["test"]})
        for key in ("effect", "n_readers", "n_cases", "pilot_cases", "alpha"):
            rows.append({"analysis": "solved" if key == self.solved else "input", "measure": key,
                         "value": float(getattr(self, key)), "method": ""})
        if self.solved:
            rows.append({"analysis": "input", "measure": f"target power ({self.analysis})",
                         "value": float(self.target_power), "method": ""})
        frame = tidy(pd.DataFrame(rows), self.key_columns)
        frame[["method", "notes", "test_method"]] = frame[["method", "notes", "test_method"]].fillna("")
        return frame

    def to_text(self, digits: int = 3) -> str:
        out = [self.title, *self.header_lines(), ""]
        for name, label in (("rrrc", "Random readers and random cases (RRRC)"),
                            ("frrc", "Fixed readers and random cases (FRRC)"),
                            ("rrfc", "Random readers and fixed cases (RRFC)")):
            a = self.analyses[name]
            df = "1" if math.isinf(a["df"]) else f"1, {a['df']:.2f}"
            out.append(f"{label}: power {a['power']:.{max(digits, 4)}f} ({a['test']}, df {df}, noncentrality "
                       f"{a['noncentrality']:.4g})")
        out += [f"Note: {n}" for n in self.notes]
        return "\n".join(out)

    def __repr__(self) -> str:
        return (f"ReaderStudyPower(power={self.power:.4f}, n_readers={self.n_readers}, n_cases={self.n_cases}, "
                f"effect={self.effect:.4g})")


def _power(ncp: float, ddf: float, alpha: float) -> tuple[float, float]:
    """Power and critical value of the 1-df F test on ``ddf`` df (chi-square where ddf is infinite).

    Beyond ``ddf`` 1e9 the F is its chi-square limit (to double precision); beyond ``ncp`` 1e8 the power is 1
    to double precision for any ddf >= 1 (scipy's noncentral distributions do not converge there)."""
    if ddf > 1e9:
        ddf = math.inf
    if ncp > 1e8:
        return 1.0, float(stats.chi2.isf(alpha, 1) if math.isinf(ddf) else stats.f.isf(alpha, 1, ddf))
    if math.isinf(ddf):
        crit = float(stats.chi2.isf(alpha, 1))
        power = stats.chi2.sf(crit, 1) if ncp == 0 else stats.ncx2.sf(crit, 1, ncp)
    else:
        crit = float(stats.f.isf(alpha, 1, ddf))
        power = stats.f.sf(crit, 1, ddf) if ncp == 0 else stats.ncf.sf(crit, 1, ddf, ncp)
    return float(min(max(power, 0.0), 1.0)), crit


def _analyses(c: Any, pilot_cases: int, r: int, n_cases: int, effect: float, alpha: float) -> dict:
    """Power, df and noncentrality of the three analyses with ``r`` readers and ``n_cases`` cases."""
    var_tr = max(float(c["Var(TxR)"]), 0.0)
    k = pilot_cases / n_cases
    var_e, cov1 = float(c["Var(error)"]), float(c["Cov1"])
    trunc = max(float(c["Cov2"]) - float(c["Cov3"]), 0.0)
    den_rrrc = var_tr + k * (var_e - cov1 + (r - 1) * trunc)
    den_frrc = k * (var_e - cov1 + (r - 1) * trunc)
    den_rrfc = var_tr + k * (var_e - cov1 - trunc)  # the expected MS(TxR)
    if not den_rrrc > 0 or not den_frrc > 0 or not den_rrfc > 0:
        raise DataError(f"pilot has no usable variance (Var(TxR) {c['Var(TxR)']:.3g}, Var(error) - Cov1 "
                        f"{var_e - cov1:.3g}, Cov2 - Cov3 {float(c['Cov2']) - float(c['Cov3']):.3g}): the AUCs do not "
                        "vary over cases and readers, so no power can be computed. Use a larger or less separated "
                        "pilot.")
    d2 = effect ** 2 * r / 2
    analyses = {}
    for name, den, ddf, test in (
            ("rrrc", den_rrrc, den_rrrc ** 2 / (den_rrfc ** 2 / (r - 1)), "OR F test, Hillis (2007) ddf"),
            ("frrc", den_frrc, math.inf, "OR chi-square test (fixed readers)"),
            ("rrfc", den_rrfc, float(r - 1), "F test (fixed cases)")):
        ncp = d2 / den
        power, crit = _power(ncp, ddf, alpha)
        analyses[name] = {"power": power, "df_num": 1, "df": float(ddf), "noncentrality": float(ncp),
                          "critical_value": crit, "test": test}
    return analyses


def _smallest_size(power_at: Any, low: int, high: int, target: float) -> int | None:
    """The smallest n in [low, high] with power_at(n) >= target (power_at grows with n), or None."""
    if power_at(high) < target:
        return None
    if power_at(low) >= target:
        return low
    while high - low > 1:  # power_at(low) < target <= power_at(high)
        mid = (low + high) // 2
        if power_at(mid) >= target:
            high = mid
        else:
            low = mid
    return high


def reader_study_power(pilot: Any, *, n_readers: int | None = None, n_cases: int | None = None,
                       effect: float | None = None, alpha: float = 0.05, power: float | None = None,
                       analysis: str = "rrrc") -> ReaderStudyPower:
    """Power of the Obuchowski-Rockette tests of a planned two-modality reader study, from a pilot; or the
    readers or cases needed for a target power.

    Parameters
    ----------
    pilot : ReaderStudyResult
        A pilot reader study (:func:`diagstats.reader_study`); its OR ``components`` and number of cases
        are used.
    n_readers, n_cases : int
        Readers (2 to 10**6) and cases (2 to 10**9) of the planned study; every reader reads every case
        in both modalities. With ``power``, leave one of them out (None): it is solved for.
    effect : float, optional
        The difference of the two modality mean AUCs to detect. Default: the pilot's observed difference
        (first minus second modality; the sign does not matter), which needs a two-modality pilot.
    alpha : float
        Two-sided significance level.
    power : float, optional
        A target power: the missing ``n_cases`` (or ``n_readers``) is the smallest whose power of
        ``analysis`` is at least ``power`` (as RJafroc's ``SsSampleSizeKGivenJ``).
    analysis : "rrrc", "frrc" or "rrfc"
        The analysis whose power the sample size targets (random readers and cases by default).

    Returns
    -------
    ReaderStudyPower
        ``power`` (RRRC), ``ddf``, ``noncentrality``, ``frrc_power``, ``rrfc_power``, the inputs and, for a
        target power, the size found (``solved``).

    Notes
    -----
    Hillis, Obuchowski & Berbaum (2011): the covariance terms of the pilot (Var(error), Cov1, Cov2, Cov3)
    are scaled by pilot cases / ``n_cases``; Var(TxR) is kept (0 where negative), and Cov2 - Cov3 is
    truncated at 0. See the module docstring for the formulas. A target the design cannot reach (the RRRC
    power stays below it however many cases 10 readers read, say) is refused, saying the reachable power.

    >>> import numpy as np, pandas as pd, diagstats as ds
    >>> rng = np.random.default_rng(0)
    >>> truth = np.repeat([0, 1], 25)
    >>> data = pd.DataFrame([{"reader": j, "modality": m, "case": k, "truth": truth[k],
    ...                       "rating": truth[k] * (1 + 0.5 * m) + rng.normal()}
    ...                      for j in range(3) for m in (0, 1) for k in range(50)])
    >>> pilot = ds.reader_study(data)
    >>> more = ds.planning.reader_study_power(pilot, n_readers=6, n_cases=300, effect=0.05)
    >>> fewer = ds.planning.reader_study_power(pilot, n_readers=6, n_cases=100, effect=0.05)
    >>> more.power > fewer.power
    True
    >>> plan = ds.planning.reader_study_power(pilot, n_readers=6, effect=0.1, power=0.8)
    >>> plan.solved, plan.power >= 0.8
    ('n_cases', True)
    """
    from ..readers.study import ReaderStudyResult

    if not isinstance(pilot, ReaderStudyResult):
        raise OptionError(f"pilot={_show(pilot)} must be the result of ds.reader_study (a ReaderStudyResult), "
                          f"not a {type(pilot).__name__}; run ds.reader_study on the pilot data first.")
    if pilot.design != "crossed":
        raise OptionError(f"pilot is a reader study with design={pilot.design!r}; the power formulas here (Hillis, "
                          "Obuchowski & Berbaum 2011) are for a fully crossed study: give a crossed pilot.")
    analysis = check_option(analysis, "analysis", ANALYSES)
    target = None if power is None else check_planning_probability(power, "power")
    missing = [name for name, value in (("n_readers", n_readers), ("n_cases", n_cases)) if value is None]
    if target is None and missing:
        raise OptionError(f"{missing[0]}=None: give both n_readers= and n_cases= for the power of a planned study, "
                          "or power= (a target, e.g. power=0.8) and one of them to solve for the other.")
    if target is not None and len(missing) != 1:
        raise OptionError(f"power={_show(power)} asks for a sample size: give exactly one of n_readers= and "
                          f"n_cases= and leave the other out (None) to solve for it; got n_readers={_show(n_readers)}"
                          f", n_cases={_show(n_cases)}.")
    if n_readers is not None:
        n_readers = check_whole_number(n_readers, "n_readers", minimum=2, maximum=MAX_READERS, what="readers",
                                       example=10)
    if n_cases is not None:
        n_cases = check_whole_number(n_cases, "n_cases", minimum=2, maximum=MAX_CASES, what="cases", example=100)
    alpha = check_planning_probability(alpha, "alpha")
    if effect is None:
        if len(pilot.modalities) != 2:
            raise OptionError(f"effect=None takes the pilot's observed difference, but the pilot has "
                              f"{len(pilot.modalities)} modalities; give effect= (the AUC difference of the two "
                              "modalities to compare).")
        effect = float(pilot.auc[0].mean() - pilot.auc[1].mean())
    else:
        effect = check_number(effect, "effect", low=-1, high=1, what="AUC difference")
    c = pilot.or_components
    c0 = int(pilot.n_cases)
    solved = missing[0] if target is not None else ""
    if solved == "n_cases":
        found = _smallest_size(lambda n: _analyses(c, c0, n_readers, n, effect, alpha)[analysis]["power"],
                               2, MAX_CASES, target)
        if found is None:
            reach = _analyses(c, c0, n_readers, MAX_CASES, effect, alpha)[analysis]["power"]
            raise DataError(f"power={target:g} cannot be reached with n_readers={n_readers}: however many cases they "
                            f"read, the {analysis.upper()} power stays at or below {reach:.4g} (the readers' own "
                            "variability does not shrink with cases). Give more readers, a larger effect, or a "
                            "lower target power.")
        n_cases = found
    elif solved == "n_readers":
        found = _smallest_size(lambda r: _analyses(c, c0, r, n_cases, effect, alpha)[analysis]["power"],
                               2, MAX_READERS, target)
        if found is None:
            reach = _analyses(c, c0, MAX_READERS, n_cases, effect, alpha)[analysis]["power"]
            raise DataError(f"power={target:g} cannot be reached with n_cases={n_cases}: however many readers read "
                            f"them, the {analysis.upper()} power stays at or below {reach:.4g} (the case sampling "
                            "variability shared by readers does not shrink with readers). Give more cases, a larger "
                            "effect, or a lower target power.")
        n_readers = found
    analyses = _analyses(c, c0, n_readers, n_cases, effect, alpha)
    notes = []
    if float(c["Var(TxR)"]) < 0:
        notes.append(f"the pilot's Var(TxR) is negative ({float(c['Var(TxR)']):.3g}): set to 0")
    if float(c["Cov2"]) < float(c["Cov3"]):
        notes.append("the pilot's Cov2 < Cov3: Cov2 - Cov3 set to 0 (Hillis 2007)")
    if len(pilot.modalities) > 2:
        notes.append(f"the pilot has {len(pilot.modalities)} modalities: its components pool them all")
    return ReaderStudyPower(
        power=analyses["rrrc"]["power"], ddf=analyses["rrrc"]["df"], noncentrality=analyses["rrrc"]["noncentrality"],
        frrc_power=analyses["frrc"]["power"], rrfc_power=analyses["rrfc"]["power"], effect=float(effect),
        n_readers=n_readers, n_cases=n_cases, pilot_cases=c0, alpha=alpha, analyses=analyses,
        components={key: float(c[key]) for key in ("Var(TxR)", "Var(error)", "Cov1", "Cov2", "Cov3")},
        notes=tuple(notes), target_power=target, solved=solved, analysis=analysis)
