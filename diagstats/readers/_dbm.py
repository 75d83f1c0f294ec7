"""The Dorfman-Berbaum-Metz (DBM) analysis: a treatment x reader x case ANOVA of jackknife pseudovalues.

Each reader x modality figure of merit theta and its leave-one-case-out values theta(-k) give the
pseudovalues Y_k = c theta - (c - 1) theta(-k) (Dorfman, Berbaum & Metz 1992), here normalised so that
their mean over cases is theta (Hillis, Obuchowski, Schartz & McNeil 2005): Y_k = theta - (c - 1) d_k with
d_k = theta(-k) - mean(theta(-.)), the jackknife deviations of :mod:`._covariance`. The pseudovalues are
analysed as a three-way treatment (T) x reader (R) x case (C) ANOVA without replication; its seven mean
squares and the unconstrained method-of-moments variance components (Hillis 2014, "A marginal-mean ANOVA
approach", Table III; Hillis, Berbaum & Metz 2008):

* Var(R) = [MS(R) - MS(TxR) - MS(RxC) + MS(TxRxC)] / (t c)
* Var(C) = [MS(C) - MS(TxC) - MS(RxC) + MS(TxRxC)] / (t r)
* Var(TxR) = [MS(TxR) - MS(TxRxC)] / c,  Var(TxC) = [MS(TxC) - MS(TxRxC)] / r,
  Var(RxC) = [MS(RxC) - MS(TxRxC)] / t,  Var(error) = MS(TxRxC).

The OR components follow from them (Hillis 2014, Table III): Var(R) and Var(TxR) are the same,
Cov1 = [Var(C) + Var(RxC)] / c, Cov2 = [Var(C) + Var(TxC)] / c, Cov3 = Var(C) / c and
Var(error)_OR = [Var(C) + Var(TxC) + Var(RxC) + Var(error)] / c.

References: Dorfman DD, Berbaum KS, Metz CE (1992) Invest Radiol 27:723-731. Hillis SL et al. (2005) Stat
Med 24:1579-1607. Hillis SL, Berbaum KS, Metz CE (2008) Acad Radiol 15:647-661. Hillis SL (2014) Stat Med
33:330-360.
"""

from __future__ import annotations

import numpy as np

#: The names of the DBM variance components, then the mean squares, in print order.
DBM_COMPONENTS = ("Var(R)", "Var(C)", "Var(TxR)", "Var(TxC)", "Var(RxC)", "Var(error)",
                  "MS(T)", "MS(R)", "MS(C)", "MS(TxR)", "MS(TxC)", "MS(RxC)", "MS(TxRxC)")


def pseudovalues(value: np.ndarray, deviations: np.ndarray) -> np.ndarray:
    """Normalised jackknife pseudovalues (k, m) of k figures of merit ``value`` from their leave-one-out
    deviations ``deviations`` (k, m), theta(-i) - mean(theta(-.)): theta - (m - 1) d, whose mean is theta."""
    m = deviations.shape[1]
    centred = deviations - deviations.mean(axis=1, keepdims=True)
    return value[:, None] - (m - 1) * centred


def mean_squares(y: np.ndarray) -> dict[str, float]:
    """The seven mean squares of the treatment x reader x case ANOVA of the pseudovalues ``y`` (t, r, c)."""
    t, r, c = y.shape
    g = y.mean()
    y_t, y_r, y_c = y.mean(axis=(1, 2)), y.mean(axis=(0, 2)), y.mean(axis=(0, 1))
    y_tr, y_tc, y_rc = y.mean(axis=2), y.mean(axis=1), y.mean(axis=0)
    tr = y_tr - y_t[:, None] - y_r[None, :] + g
    tc = y_tc - y_t[:, None] - y_c[None, :] + g
    rc = y_rc - y_r[:, None] - y_c[None, :] + g
    trc = (y - y_tr[:, :, None] - y_tc[:, None, :] - y_rc[None, :, :] + y_t[:, None, None] + y_r[None, :, None]
           + y_c[None, None, :] - g)
    return {"MS(T)": float(r * c * np.sum((y_t - g) ** 2) / (t - 1)),
            "MS(R)": float(t * c * np.sum((y_r - g) ** 2) / (r - 1)),
            "MS(C)": float(t * r * np.sum((y_c - g) ** 2) / (c - 1)),
            "MS(TxR)": float(c * np.sum(tr ** 2) / ((t - 1) * (r - 1))),
            "MS(TxC)": float(r * np.sum(tc ** 2) / ((t - 1) * (c - 1))),
            "MS(RxC)": float(t * np.sum(rc ** 2) / ((r - 1) * (c - 1))),
            "MS(TxRxC)": float(np.sum(trc ** 2) / ((t - 1) * (r - 1) * (c - 1)))}


def components(ms: dict[str, float], t: int, r: int, c: int) -> dict[str, float]:
    """The DBM variance components (method of moments; any may be negative), then the mean squares ``ms``."""
    err = ms["MS(TxRxC)"]
    return {"Var(R)": (ms["MS(R)"] - ms["MS(TxR)"] - ms["MS(RxC)"] + err) / (t * c),
            "Var(C)": (ms["MS(C)"] - ms["MS(TxC)"] - ms["MS(RxC)"] + err) / (t * r),
            "Var(TxR)": (ms["MS(TxR)"] - err) / c, "Var(TxC)": (ms["MS(TxC)"] - err) / r,
            "Var(RxC)": (ms["MS(RxC)"] - err) / t, "Var(error)": err, **ms}


def or_components(dbm: dict[str, float], c: int) -> dict[str, float]:
    """The Obuchowski-Rockette components equivalent to the DBM ones on ``c`` cases (Hillis 2014, Table III)."""
    return {"Var(R)": dbm["Var(R)"], "Var(TxR)": dbm["Var(TxR)"], "Cov1": (dbm["Var(C)"] + dbm["Var(RxC)"]) / c,
            "Cov2": (dbm["Var(C)"] + dbm["Var(TxC)"]) / c, "Cov3": dbm["Var(C)"] / c,
            "Var(error)": (dbm["Var(C)"] + dbm["Var(TxC)"] + dbm["Var(RxC)"] + dbm["Var(error)"]) / c}
