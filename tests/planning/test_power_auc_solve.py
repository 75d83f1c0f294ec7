"""power_auc solved for the significance level or the detectable AUC: parity with pROC 1.18
power.roc.test(sig.level = NULL) and power.roc.test(auc omitted) (tests/reference/planning/proc_power_roc_solve.R)."""

import json
from pathlib import Path

import pytest

import diagstats as ds
from diagstats.errors import OptionError

PROC = json.loads((Path(__file__).resolve().parents[1] / "reference" / "planning" / "proc_power_roc_solve.json")
                  .read_text())
ALTERNATIVE = {"two.sided": "two-sided", "one.sided": "greater"}   # pROC's one.sided: AUC > 0.5 here
power_auc = ds.planning.power_auc


@pytest.mark.parametrize("row", PROC["sig_level"],
                         ids=lambda r: f"{r['auc']}-{r['ncontrols']}-{r['power']}-{r['alternative']}")
def test_significance_level_matches_proc(row):
    args = dict(n_diseased=row["ncases"], n_non_diseased=row["ncontrols"], alternative=ALTERNATIVE[row["alternative"]])
    level = power_auc(row["auc"], alpha=None, power=row["power"], **args)
    assert level == pytest.approx(row["sig_level"], rel=1e-6)
    # one equation; at levels near 1e-9, 1 - alpha/2 keeps only ~7 digits of alpha in the critical value
    assert power_auc(row["auc"], alpha=level, **args) == pytest.approx(row["power"], abs=1e-7)


def _solve_id(r):
    return f"{r['ncases']}-{r['ncontrols']}-{r['power']}-{r['sig.level']}-{r['alternative']}"


@pytest.mark.parametrize("row", PROC["detectable_auc"], ids=_solve_id)
def test_detectable_auc_matches_proc(row):
    """pROC finds the AUC with uniroot at its default tolerance (about 1e-4): its AUC is checked by the power
    pROC gives it (1e-6), and ours against pROC's power equation solved to 1e-13 in R (1e-8) and against
    pROC's own AUC within uniroot's tolerance."""
    args = dict(n_diseased=row["ncases"], n_non_diseased=row["ncontrols"], alpha=row["sig.level"],
                alternative=ALTERNATIVE[row["alternative"]])
    auc = power_auc(None, power=row["power"], **args)
    assert auc == pytest.approx(row["auc_tol_1e13"], abs=1e-8)
    assert abs(auc - row["auc"]) < 1.3e-4
    assert power_auc(row["auc"], **args) == pytest.approx(row["power_at_auc"], abs=1e-6)
    assert power_auc(auc, **args) == pytest.approx(row["power"], abs=1e-10)


def test_the_detectable_auc_below_the_null_mirrors_the_one_above():
    """The Obuchowski variance is symmetric about 0.5 (a = 1.414 Phi^-1(A)), so with null_auc=0.5 the AUC
    detected by a test of AUC < 0.5 is 1 minus the one detected by a test of AUC > 0.5."""
    above = power_auc(None, n_diseased=41, n_non_diseased=72, power=0.8, alternative="greater")
    below = power_auc(None, n_diseased=41, n_non_diseased=72, power=0.8, alternative="less")
    assert below == pytest.approx(1 - above, abs=1e-12)


def test_one_unknown_exactly_and_unreachable_targets_are_refused():
    args = dict(n_diseased=41, n_non_diseased=72)
    with pytest.raises(OptionError, match="exactly one of auc, alpha and power.*alpha and power are unknown"):
        power_auc(0.8, alpha=None, **args)
    with pytest.raises(OptionError, match="nothing is unknown"):
        power_auc(0.8, power=0.8, **args)
    with pytest.raises(OptionError, match="auc and power are unknown"):
        power_auc(None, **args)
    with pytest.raises(OptionError, match="cannot be reached at any significance level"):
        power_auc(0.52, alpha=None, power=0.99, **args)      # even alpha = 1 gives less
    with pytest.raises(OptionError, match="cannot be reached: even an AUC of"):
        power_auc(None, n_diseased=1, n_non_diseased=1, power=0.999999, alpha=1e-6)
    with pytest.raises(OptionError, match="power"):
        power_auc(None, power=1.5, **args)
