"""Work-up strategies for a suspected spinal tumour: accuracy, biopsies, missed malignancies and cost.

Four strategies (``ds.pathway.Strategy``) are run on the same simulated referral cohort
(``ds.simulate.cohort(n, seed, complete=True, repeat_biopsy=True)``: every patient has every imaging
result and a first and repeat biopsy result, so each strategy can order what the simulated pathway
did not) and compared paired with MRI first (``ds.pathway.evaluate``):

* **MRI first**: MRI, or CT myelography when MRI is contraindicated; needle biopsy when it shows a
  lesion; one repeat biopsy after a non-diagnostic one. Malignancy is called on a malignant biopsy.
* **X-ray first**: X-ray for all; MRI (or CT myelography) only after a positive X-ray or with a
  neurological deficit; then as MRI first.
* **CT first**: CT for all; MRI (or CT myelography) after a negative CT only with a neurological
  deficit; biopsy when either shows a lesion.
* **MRI first, no biopsy in known cancer**: as MRI first, but a patient with a known cancer and a
  lesion on imaging is called malignant without biopsy (presumed metastasis).

The target condition is a malignant tumour (malignant primary or metastasis), judged against the
simulated true diagnosis. Costs per step are illustrative assumptions (``DEFAULTS["costs"]``).

A probabilistic sensitivity analysis (``ds.pathway.psa_cohort``) draws the scenario's accuracies, tumour
share and biopsy yield and accuracy from Beta distributions centred on the scenario's values, and the step
costs from Gamma distributions, simulates a cohort per draw and runs the four strategies on it: the
acceptability curve and the expected value of perfect information per correct diagnosis.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

import diagstats as ds
from diagstats.report import Report
from diagstats.report.blocks import bullet_list, format_estimate, key_number, paragraph, section, table
from diagstats.report.data import frame_source, settings
from diagstats.report.figures import new_figure, render

NAME = "workup_strategies"
#: It takes no user data: the strategies read the simulator's columns (a study or --data is refused).
REQUIRES = None
#: Cost of one step, in euros: ILLUSTRATIVE ASSUMPTIONS (no shipped source), the same for every strategy.
COSTS = {"xray": 40.0, "ct": 200.0, "mri": 400.0, "ct_myelography": 700.0, "biopsy": 1500.0}
DEFAULTS = {"n": 20_000, "seed": 20261130, "level": 0.95, "progress": True, "xray_cost": COSTS["xray"],
            "ct_cost": COSTS["ct"], "mri_cost": COSTS["mri"], "ct_myelography_cost": COSTS["ct_myelography"],
            "biopsy_cost": COSTS["biopsy"], "psa_draws": 200, "psa_patients": 10_000}
#: PSA: each uncertain probability is Beta(p * N, (1 - p) * N) around the scenario's value p, as if measured
#: on N patients (an ASSUMPTION: the scenario's sources give point values); each cost Gamma with this CV.
PSA_PATIENTS_PER_ESTIMATE = 100
PSA_PROBABILITIES = ("tumour_share", "biopsy.yield", "biopsy.accuracy",
                     *(f"imaging.{m}.{a}" for m in ("xray", "ct", "mri", "ct_myelography")
                       for a in ("sensitivity", "specificity")))
PSA_COST_CV = 0.25
#: Willingness to pay per correct diagnosis (EUR) on the acceptability curve, and those shown in the table.
PSA_WTP = np.arange(0, 40_001, 500)
PSA_WTP_SHOWN = (0, 2_000, 5_000, 10_000, 20_000, 40_000)
TARGET = "malignant spinal tumour"
MALIGNANT = ["malignant_primary", "metastasis"]
BASELINE = "MRI first"
SKIP = "MRI first, no biopsy in known cancer"


def strategies(costs: dict[str, float] = COSTS) -> list[ds.pathway.Strategy]:
    """The four strategies of the report, with the given cost per step."""
    Step = ds.pathway.Step

    def mri_or_myelography(when: str | None = None) -> list[ds.pathway.Step]:
        given = f"({when}) and " if when else ""
        return [Step("mri", cost=costs["mri"], when=f"{given}not mri_contraindication"),
                Step("ct_myelography", cost=costs["ct_myelography"], when=f"{given}mri_contraindication")]

    def biopsies(when: str) -> list[ds.pathway.Step]:
        return [Step("biopsy", kind="biopsy", cost=costs["biopsy"], when=when, test="biopsy_result",
                     positive="malignant", nondiagnostic="biopsy_nondiagnostic"),
                Step("repeat_biopsy", kind="biopsy", cost=costs["biopsy"], when="nondiagnostic(biopsy)",
                     test="repeat_biopsy_result", positive="malignant", nondiagnostic="repeat_biopsy_nondiagnostic")]

    on_biopsy = "biopsy or repeat_biopsy"
    imaging = "mri or ct_myelography"
    return [
        ds.pathway.Strategy(BASELINE, [*mri_or_myelography(), *biopsies(imaging)], positive=on_biopsy,
                            target=TARGET),
        ds.pathway.Strategy("X-ray first", [Step("xray", cost=costs["xray"]),
                                            *mri_or_myelography("xray or neuro_deficit"), *biopsies(imaging)],
                            positive=on_biopsy, target=TARGET),
        ds.pathway.Strategy("CT first", [Step("ct", cost=costs["ct"]),
                                         *mri_or_myelography("negative(ct) and neuro_deficit"),
                                         *biopsies(f"ct or {imaging}")],
                            positive=on_biopsy, target=TARGET),
        ds.pathway.Strategy(SKIP, [*mri_or_myelography(), *biopsies(f"({imaging}) and not prior_cancer")],
                            positive=f"{on_biopsy} or (({imaging}) and prior_cancer)", target=TARGET),
    ]


#: Names in the rules, in clinical words.
WORDS = {"xray": "X-ray", "ct": "CT", "mri": "MRI", "ct_myelography": "CT myelography", "biopsy": "biopsy",
         "repeat_biopsy": "repeat biopsy", "mri_contraindication": "MRI contraindicated",
         "neuro_deficit": "neurological deficit", "prior_cancer": "known cancer", "always": "all patients"}
OUTCOME_WORDS = {"nondiagnostic": "non-diagnostic", "negative": "negative", "done": "done", "positive": "positive"}


def _readable(rule: str, steps: set[str]) -> str:
    """A rule in clinical words: 'mri or nondiagnostic(biopsy)' -> 'MRI positive or biopsy non-diagnostic'."""
    def word(m: re.Match) -> str:
        if m[1]:
            return f"{WORDS.get(m[2], m[2])} {OUTCOME_WORDS[m[1]]}"
        if m[3] in steps:  # a biopsy's positive result is a malignant one
            return f"{WORDS[m[3]]} {'malignant' if m[3].endswith('biopsy') else 'positive'}"
        return WORDS.get(m[3], m[3])

    return re.sub(r"(\w+)\((\w+)\)|(?<![\w-])([a-z_]+)(?![\w-])", word, rule)


def _describe(strategy: ds.pathway.Strategy) -> str:
    steps = {s.name for s in strategy.steps}
    whom = {name: "for all patients" if strategy.step(name).when == "always"
            else f"if {_readable(strategy.step(name).when, steps)}" for name in strategy.order}
    parts = [f"{WORDS[name]} (EUR {strategy.step(name).cost:,.0f}) {whom[name]}" for name in strategy.order]
    return f"{strategy.name}: " + "; ".join(parts) + f". Malignant if {_readable(strategy.positive, steps)}."


def _row(name: str, estimates: dict, columns: dict) -> dict:
    return {"strategy": name,
            **{label: format_estimate(estimates[m], DIGITS.get(m, 3)) for m, label in columns.items()}}


#: Measure -> column heading of the report's tables: accuracy, then yield and cost.
ACCURACY_COLUMNS = {"sensitivity": "sensitivity", "specificity": "specificity", "ppv": "PPV", "npv": "NPV"}
YIELD_COLUMNS = {"tests_per_100": "imaging tests per 100", "biopsies_per_100": "biopsies per 100",
                 "nondiagnostic_biopsies_per_100": "non-diagnostic biopsies per 100",
                 "missed_per_1000": "missed malignancies per 1,000", "cost_per_patient": "cost per patient (EUR)",
                 "cost_per_correct_diagnosis": "cost per correct diagnosis (EUR)"}
COLUMNS = ACCURACY_COLUMNS | YIELD_COLUMNS
DIGITS = {"tests_per_100": 1, "biopsies_per_100": 1, "nondiagnostic_biopsies_per_100": 1, "missed_per_1000": 1,
          "cost_per_patient": 0, "cost_per_correct_diagnosis": 0}


def _flow_figures(res: ds.pathway.PathwayEvaluation) -> list:
    """One figure per strategy: patients per 100 through its steps, and its final call."""
    figures = []
    for i, name in enumerate(res.strategies):
        fig = new_figure(9.5, 0.45 * int((res.flow["strategy"] == name).sum()) + 1.6)
        res.plot(ax=fig.subplots(), strategy=name)
        figures.append(render(fig, f"flow_{i + 1}.png", f"{name}: patients per 100 through each step (positive, "
                              "negative, non-diagnostic, not done; for a biopsy, positive is malignant) and the "
                              "final call against the true diagnosis."))
    return figures


def _stard_flow(res: ds.pathway.PathwayEvaluation, key_numbers: dict):
    """STARD 2015 flow of the baseline strategy's final call: every patient gets a call and a reference, so the
    counts are its 2x2 table."""
    acc = res.accuracy[res.strategies.index(res.baseline)]
    cells = [acc.tp, acc.fp, acc.fn, acc.tn]
    patients = pd.DataFrame({"call": np.repeat([1, 1, 0, 0], cells), "truth": np.repeat([1, 0, 1, 0], cells)})
    stard = ds.stard_counts(patients, test="call", reference="truth", test_label=f"{res.baseline} (final call)",
                            reference_label="true diagnosis (simulation)", target=TARGET)
    key_numbers["stard"] = {k: v for k, v in stard.to_dict().items() if k in stard.COUNTS}
    fig = new_figure(8, 5.5)
    ds.plot.stard_flow(stard, ax=fig.subplots())
    return render(fig, "stard_flow.png", f"STARD 2015 flow: the {res.baseline} strategy's final call against the "
                  "true diagnosis (every simulated patient is followed through the strategy).")


def _psa_inputs(costs: dict[str, float]) -> tuple[dict, dict]:
    """Beta distributions around the scenario's values and Gamma distributions around the step costs."""
    scenario = ds.simulate.Scenario.load("spine_referral")
    n = PSA_PATIENTS_PER_ESTIMATE
    inputs = {path: ds.pathway.Beta(scenario[path] * n, (1 - scenario[path]) * n,
                                    f"scenario value {scenario[path]:g} ({scenario.source(path).source}); spread "
                                    f"as if measured on {n} patients (assumption)")
              for path in PSA_PROBABILITIES}
    gammas = {step: ds.pathway.Gamma(cost, PSA_COST_CV * cost, f"illustrative cost, CV {PSA_COST_CV:g} (assumption)")
              for step, cost in costs.items()}
    gammas["repeat_biopsy"] = gammas["biopsy"]
    return inputs, gammas


def _psa_section(costs: dict[str, float], cfg: dict, key_numbers: dict):
    """The acceptability curve and EVPI of the four strategies, from a PSA on simulated patients."""
    inputs, gammas = _psa_inputs(costs)
    draws, patients = int(cfg["psa_draws"]), int(cfg["psa_patients"])
    psa = ds.pathway.psa_cohort(strategies(costs), positive=MALIGNANT, wtp=PSA_WTP, inputs=inputs, costs=gammas,
                                n_patients=patients, n_draws=draws, seed=int(cfg["seed"]), executor="serial",
                                progress=bool(cfg["progress"]))
    fig = new_figure(9.5, 5)
    psa.plot(ax=fig.subplots())
    figure = render(fig, "acceptability_curve.png", f"Cost-effectiveness acceptability curve: share of {draws} draws "
                    "of the uncertain inputs in which each strategy has the largest net monetary benefit (willingness "
                    "to pay x correct diagnoses per patient - cost per patient).")
    rows = []
    for wtp in PSA_WTP_SHOWN:
        w = int(np.flatnonzero(psa.wtp == wtp)[0])
        best = int(np.argmax(psa.expected_nmb[w]))
        rows.append({"willingness to pay per correct diagnosis (EUR)": f"{wtp:,}",
                     "strategy with the largest expected net benefit": psa.strategies[best],
                     "probability it is the most cost-effective": f"{psa.acceptability[w, best]:.2f}",
                     "EVPI per patient (EUR)": f"{psa.evpi[w]:,.1f}"})
        key_numbers[f"psa/wtp {wtp}/best"] = psa.strategies[best]
        key_numbers[f"psa/wtp {wtp}/probability best"] = float(psa.acceptability[w, best])
        key_numbers[f"psa/wtp {wtp}/EVPI per patient"] = float(psa.evpi[w])
    summary = psa.summary.set_index(["strategy", "measure"])
    outcome_rows = [{"strategy": name, **{label: f"{summary.loc[(name, m), 'value']:,.{d}f} "
                                                 f"({summary.loc[(name, m), 'lower']:,.{d}f} to "
                                                 f"{summary.loc[(name, m), 'upper']:,.{d}f})"
                                          for m, label, d in PSA_MEASURES}}
                    for name in psa.strategies]
    input_rows = pd.DataFrame([{"input": path.replace("imaging.", "").replace(".", " ").replace("_", " "),
                                "distribution": d.describe(), "mean": f"{d.mean:.3f}"} for path, d in inputs.items()]
                              + [{"input": f"cost of {step.replace('_', ' ')} (EUR)", "distribution": d.describe(),
                                  "mean": f"{d.mean:,.0f}"} for step, d in gammas.items()])
    shown = [int(np.flatnonzero(psa.wtp == wtp)[0]) for wtp in PSA_WTP_SHOWN]
    low, high = min(shown, key=lambda w: psa.evpi[w]), max(shown, key=lambda w: psa.evpi[w])
    meaning = ("The expected value of perfect information (EVPI) is what removing all uncertainty in these inputs "
               "would be worth per patient worked up: the expected gain from choosing the best strategy for the true "
               "inputs instead of the strategy that is best on average. In the table it ranges from EUR "
               f"{psa.evpi[low]:,.1f} per patient (at EUR {psa.wtp[low]:,.0f} per correct diagnosis) to EUR "
               f"{psa.evpi[high]:,.1f} (at EUR {psa.wtp[high]:,.0f}). It is large where two strategies' net benefits "
               "are close compared with their uncertainty, and near zero where one strategy wins in almost every "
               "draw, so that better estimates of the inputs would not change the choice. Multiplied by the number "
               "of patients referred over the years a decision holds, it is the most that further research on these "
               "inputs could be worth.")
    return section(
        "Uncertainty in the inputs: cost-effectiveness acceptability curve and value of information",
        paragraph(f"Probabilistic sensitivity analysis (ds.pathway.psa_cohort): {draws} draws; in each, the "
                  "accuracies of X-ray, CT, MRI and CT myelography, the share of referrals with a tumour, the "
                  "biopsy yield and accuracy and the cost of each step are drawn from the distributions below, "
                  f"{patients:,} patients are simulated with those inputs, and all four strategies are run on the same "
                  "patients. The effect is a correct diagnosis (a true positive or true negative final call); a "
                  "strategy's net monetary benefit is willingness to pay x correct diagnoses per patient minus cost "
                  "per patient."),
        table(pd.DataFrame(rows)), paragraph(meaning), table(pd.DataFrame(outcome_rows)),
        paragraph(f"Mean over the draws and 2.5th to 97.5th percentiles. Each draw's outcomes also carry the "
                  f"sampling error of {patients:,} simulated patients. Counting only correct diagnoses treats a "
                  "malignancy called without tissue in a patient with a known cancer (the last strategy) like any "
                  "other correct call, and a false positive like a missed cancer; a decision should also weigh "
                  "those harms.", note=True),
        table(input_rows),
        paragraph(f"The scenario's sources give point values, not their uncertainty: each probability is "
                  f"Beta(p x {PSA_PATIENTS_PER_ESTIMATE}, (1 - p) x {PSA_PATIENTS_PER_ESTIMATE}) around the "
                  f"scenario's value p, as if measured on {PSA_PATIENTS_PER_ESTIMATE} patients, and each cost a "
                  f"Gamma distribution with a coefficient of variation of {PSA_COST_CV:g} (assumptions; repeat "
                  "biopsy costs are drawn with the biopsy's distribution but independently).", note=True),
        figures=[figure])


#: PSA summary columns: measure, heading, decimals.
PSA_MEASURES = (("sensitivity", "sensitivity", 3), ("specificity", "specificity", 3),
                ("missed per 1,000", "missed malignancies per 1,000", 1),
                ("cost per patient", "cost per patient (EUR)", 0),
                ("effect per patient", "correct diagnoses per patient", 3))


def run(config: dict) -> Report:
    cfg = settings(config, DEFAULTS)
    level = float(cfg["level"])
    costs = {step: float(cfg[f"{step}_cost"]) for step in COSTS}
    cohort = ds.simulate.cohort(int(cfg["n"]), seed=int(cfg["seed"]), complete=True, repeat_biopsy=True)
    source = frame_source(f"simulated cohort: ds.simulate.cohort({cfg['n']}, seed={cfg['seed']}, complete=True, "
                          "repeat_biopsy=True), scenario 'spine_referral'", cohort)
    res = ds.pathway.evaluate(cohort, strategies(costs), reference="true_diagnosis", positive=MALIGNANT,
                              baseline=BASELINE, level=level)

    key_numbers: dict = {}
    rows: dict[str, list] = {"accuracy": [], "yield": [], "accuracy difference": [], "yield difference": []}
    compared = [s for s in res.strategies if s != res.baseline]
    for name, acc, yields in zip(res.strategies, res.accuracy, res.yields):
        estimates = {m: getattr(acc, m) for m in ("sensitivity", "specificity", "ppv", "npv")} | dict(yields)
        rows["accuracy"].append(_row(name, estimates, ACCURACY_COLUMNS))
        rows["yield"].append(_row(name, estimates, YIELD_COLUMNS))
        key_numbers.update({f"{name}/{m}": key_number(estimates[m]) for m in COLUMNS})
    for name, comparison, yields in zip(compared, res.comparisons, res.yield_differences):
        estimates = {m: comparison[m].difference for m in ("sensitivity", "specificity", "ppv", "npv")} | dict(yields)
        rows["accuracy difference"].append(_row(name, estimates, ACCURACY_COLUMNS))
        rows["yield difference"].append(_row(name, estimates, YIELD_COLUMNS))
        key_numbers.update({f"{name} minus {BASELINE}/{m}": key_number(estimates[m]) for m in COLUMNS})

    skip = dict(res.yield_differences[compared.index(SKIP)])
    skip_accuracy = res.comparisons[compared.index(SKIP)]
    skip_text = (f"Not biopsying patients with a known cancer and a lesion on imaging changes the biopsies per 100 "
                 f"patients by {format_estimate(skip['biopsies_per_100'], 1)}, the missed malignancies per 1,000 "
                 f"by {format_estimate(skip['missed_per_1000'], 1)} and the specificity by "
                 f"{format_estimate(skip_accuracy.specificity.difference)}: the lesions of benign tumours and of "
                 "patients without a tumour in someone with a known cancer are then called malignant without "
                 "tissue (false positives), while malignancies a non-diagnostic or wrong biopsy would have missed "
                 "are now called.")
    strategy_list = bullet_list([_describe(s) for s in strategies(costs)])
    cost_table = pd.DataFrame([{"step": step.replace("_", " "), "cost per procedure (EUR)": f"{c:,.0f}"}
                               for step, c in costs.items()])
    sections = (
        section("Strategies", paragraph(
            "Each strategy is a list of steps with the rule saying for whom each is done (diagstats.pathway). "
            "Every strategy repeats a non-diagnostic biopsy once and calls a malignant tumour on a malignant "
            "biopsy; the last one also calls it without biopsy in a patient with a known cancer and a lesion on "
            "imaging."), strategy_list,
            table(cost_table), paragraph(
                "Costs are illustrative assumptions (no cost data ship with diagstats), the same for every "
                "strategy; change them with the xray_cost, ct_cost, mri_cost, ct_myelography_cost and biopsy_cost "
                "settings. 'Known cancer' is the simulator's prior_cancer (a known current or previous cancer): "
                "the scenario has no separate marker of widespread disease, so it stands in for 'known widespread "
                "cancer'.", note=True)),
        section("Participant flow (STARD 2015)", paragraph(
            f"Index test: the final call of the {res.baseline} strategy; reference standard: the simulated true "
            "diagnosis, known for every patient. The other strategies are followed on the same patients."),
            figures=[_stard_flow(res, key_numbers)]),
        section("Patients through each strategy", paragraph(
            f"{res.n:,} simulated referrals ({res.n_diseased:,} with a {TARGET}). The simulated cohort holds every "
            "patient's result of every test and of a first and a repeat biopsy (counterfactual results), so each "
            "strategy is followed exactly as written; on observed data a strategy could only use the tests that "
            "were done."), figures=_flow_figures(res)),
        section("Accuracy, yield and cost", table(pd.DataFrame(rows["accuracy"])), table(pd.DataFrame(rows["yield"])),
                paragraph(
            f"Final call (malignant or not) against the true diagnosis: Wilson {100 * level:g}% intervals for "
            "sensitivity, specificity, PPV, NPV and missed malignancies per 1,000 patients; Wald intervals of "
            "per-patient means for tests, biopsies and cost; the cost per correct diagnosis is total cost over "
            "true positives plus true negatives (delta method).", note=True)),
        section(f"Paired differences from {BASELINE}", table(pd.DataFrame(rows["accuracy difference"])),
                table(pd.DataFrame(rows["yield difference"])), paragraph(
            f"Each strategy minus {BASELINE}, on the same patients: sensitivity and specificity by McNemar's test "
            "with Tango's score interval, predictive values by Kosinski's weighted generalised score (Wald "
            "interval), yields and costs by the Wald interval of the per-patient differences.", note=True)),
        section("Biopsy for patients with a known cancer", paragraph(skip_text)),
        _psa_section(costs, cfg, key_numbers),
    )
    key_numbers["n"] = res.n
    key_numbers["n_malignant"] = res.n_diseased
    return Report(name=NAME, title="Work-up strategies for a suspected spinal tumour: accuracy, biopsies and cost",
                  question=("Which work-up finds malignant spinal tumours with the fewest biopsies, missed "
                            "malignancies and cost: MRI first, X-ray first or CT first, and should patients with a "
                            "known cancer skip the biopsy?"),
                  sections=sections, data=(source,), key_numbers=key_numbers,
                  parameters={k: cfg[k] for k in DEFAULTS if k != "progress"})


if __name__ == "__main__":
    from diagstats.report import write

    print(write(run({}), "reports"))
