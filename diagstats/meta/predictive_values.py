"""Pooled predictive values at a prevalence, a range of prevalences, or a prevalence distribution.

A meta-analysis pools sensitivity and specificity; what a clinician needs is the PPV and NPV in their own
population. Following Zwinderman & Bossuyt (2008), draws of the summary point (logit sensitivity, logit
false-positive rate) from its estimated sampling distribution N(mu, Var(mu)) are turned into PPV and NPV by
Bayes' theorem at each prevalence; the mean, SD and percentiles of the draws describe the uncertainty. A
prevalence that is itself uncertain is drawn from a beta distribution with the given mean and SD, as mada's
``predv_d`` does with ``prop_m`` and ``prop_sd``; a range of prevalences gives one row per value, as mada's
``predv_r`` (whose default range, the studies' own prevalences in steps of 0.01, is the default here too).

>>> import pandas as pd, diagstats as ds
>>> studies = pd.DataFrame({"tp": [30, 69, 44, 62, 27, 37], "fp": [5, 7, 0, 12, 13, 19],
...                         "fn": [2, 2, 7, 5, 10, 4], "tn": [135, 65, 150, 77, 85, 113]})
>>> pv = ds.meta.bivariate(studies).predictive_values(0.1)
>>> pv[["prevalence", "measure"]].values.tolist()
[[0.1, 'ppv'], [0.1, 'npv']]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._input import _show, as_generator, check_level, check_probability, check_whole_number
from ..errors import OptionError

if TYPE_CHECKING:
    from .models import BivariateMetaResult

#: Percentiles reported beside the mean and SD (those mada's predv_r / predv_d print).
PERCENTILES = (2.5, 5, 10, 25, 50, 75, 90, 95, 97.5)


def _prevalences(fit: BivariateMetaResult, prevalence: Any) -> np.ndarray:
    if prevalence is None:
        studies = fit.studies
        diseased = studies["tp"] + studies["fn"]
        observed = diseased / (diseased + studies["fp"] + studies["tn"])
        low, high = np.round(observed.min(), 2), np.round(observed.max(), 2)
        grid = np.round(np.arange(low, high + 0.005, 0.01), 2)
        return grid[(grid > 0) & (grid < 1)] if len(grid) else np.array([float(observed.mean())])
    return np.atleast_1d(check_probability(prevalence, "prevalence", open_interval=True)).astype(float)


def _beta_draws(mean: float, sd: Any, n: int, rng: np.random.Generator) -> np.ndarray:
    sd = float(check_probability(sd, "prevalence_sd", open_interval=True, scalar=True))
    variance_limit = mean * (1 - mean)
    if sd ** 2 >= variance_limit:
        raise OptionError(f"prevalence_sd={_show(sd)} is too large for a prevalence of mean {mean:g}: a beta "
                          f"distribution needs sd < sqrt(mean (1 - mean)) = {np.sqrt(variance_limit):.4g}. Give a "
                          "smaller prevalence_sd.")
    common = variance_limit / sd ** 2 - 1
    return rng.beta(mean * common, (1 - mean) * common, size=n)


def predictive_values(fit: BivariateMetaResult, prevalence: Any = None, *, prevalence_sd: Any = None,
                      n_draws: int = 100_000, seed: Any = 0, level: float | None = None) -> pd.DataFrame:
    """PPV and NPV of the pooled test at ``prevalence``: mean, SD, an interval and percentiles of the draws.

    See :meth:`diagstats.meta.models.BivariateMetaResult.predictive_values`.
    """
    if getattr(fit, "covariate", None):   # a BivariateRegressionResult: one summary point per level
        raise OptionError(f"predictive_values pools one summary point; this fit has the covariate "
                          f"{fit.covariate!r}. Fit ds.meta.bivariate on one subgroup (e.g. the rows of one "
                          f"{fit.covariate}) and ask it.")
    level = fit.level if level is None else check_level(level)
    n_draws = check_whole_number(n_draws, "n_draws", minimum=100, maximum=10_000_000, what="draws of the summary point",
                                 example=100_000)
    rng = as_generator(seed)
    logits = rng.multivariate_normal(fit.mu, fit.mu_vcov, size=n_draws, method="cholesky")
    sens, fpr = fit._back_transform(logits[:, 0], logits[:, 1])
    if prevalence_sd is not None:
        if prevalence is None or np.ndim(prevalence) > 0:
            raise OptionError(f"prevalence_sd={_show(prevalence_sd)} describes the uncertainty of one prevalence; "
                              "give its mean as prevalence= (one number), e.g. prevalence=0.2, prevalence_sd=0.05.")
        mean = float(check_probability(prevalence, "prevalence", open_interval=True, scalar=True))
        prev = _beta_draws(mean, prevalence_sd, n_draws, rng)[:, None]
        shown = np.array([mean])
        label = f"beta(mean {mean:g}, sd {float(prevalence_sd):g})"
    else:
        shown = _prevalences(fit, prevalence)
        prev = shown[None, :]
        label = "fixed"
    sens, fpr = sens[:, None], fpr[:, None]
    ppv = sens * prev / (sens * prev + fpr * (1 - prev))
    npv = (1 - fpr) * (1 - prev) / ((1 - fpr) * (1 - prev) + (1 - sens) * prev)
    tail = 100 * (1 - level) / 2
    rows = []
    for measure, draws in (("ppv", ppv), ("npv", npv)):
        q = np.percentile(draws, [tail, 100 - tail, *PERCENTILES], axis=0)
        for j, p in enumerate(shown):
            rows.append({"prevalence": float(p), "prevalence_distribution": label, "measure": measure,
                         "value": float(draws[:, j].mean()), "lower": float(q[0, j]), "upper": float(q[1, j]),
                         "level": level, "sd": float(draws[:, j].std(ddof=1)),
                         **{f"p{k:g}": float(q[2 + i, j]) for i, k in enumerate(PERCENTILES)}})
    frame = pd.DataFrame(rows).sort_values(["prevalence", "measure"], ascending=[True, False], kind="stable")
    return frame.reset_index(drop=True)
