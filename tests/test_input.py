"""The validation helpers every public function relies on."""

import numpy as np
import pandas as pd
import pytest

import diagstats as ds
from diagstats import _input
from diagstats.errors import ColumnError, DataError, OptionError


def test_as_binary_infers_only_for_bool_and_zero_one():
    assert _input.as_binary([True, False], "x").values.tolist() == [True, False]
    assert _input.as_binary(np.array([0.0, 1.0, 1.0]), "x").values.tolist() == [False, True, True]
    with pytest.raises(DataError, match="say which one means positive"):
        _input.as_binary([1, 2, 2], "x")
    assert _input.as_binary([1, 2, 2], "x", positive=2).values.tolist() == [False, True, True]
    assert _input.as_binary([True, False], "x", positive=False).values.tolist() == [False, True]


def test_as_binary_reads_an_object_column_of_booleans():
    column = pd.Series([True, None, False], dtype=object).dropna()
    assert _input.as_binary(column, "biopsy_result").values.tolist() == [True, False]


def test_as_binary_one_class_is_allowed_unless_both_are_required():
    assert _input.as_binary([1, 1], "test").values.all()
    with pytest.raises(DataError, match="only one class"):
        _input.as_binary([1, 1], "reference", require_both=True)


def test_complete_cases_counts_what_it_omits():
    out = _input.complete_cases({"a": np.array([1.0, np.nan, 3.0]), "b": np.array(["x", "y", None], dtype=object)},
                                "omit")
    assert out.n_omitted == 2 and out.arrays["a"].tolist() == [1.0]
    with pytest.raises(DataError, match="a has 1, b has 1"):
        _input.complete_cases({"a": np.array([1.0, np.nan, 3.0]), "b": np.array(["x", "y", None], dtype=object)},
                              "raise")


def test_as_numeric_names_the_offending_value():
    with pytest.raises(DataError, match="contains 'high'"):
        _input.as_numeric(np.array([1.0, "high"], dtype=object), "nlr")
    assert _input.as_numeric(pd.Series([1, 2]), "nlr").dtype == float


def test_column_suggests_a_close_name():
    with pytest.raises(ColumnError, match="Did you mean 'biopsy'"):
        _input.column(pd.DataFrame({"biopsy": [1]}), "biospy", "reference")


def test_generator_and_options():
    assert _input.as_generator(3).integers(100) == np.random.default_rng(3).integers(100)
    with pytest.raises(OptionError, match="seed=-1"):
        _input.as_generator(-1)
    with pytest.raises(OptionError, match="strictly between 0 and 1"):
        _input.check_probability(0.0, "prevalence", open_interval=True)
    with pytest.raises(OptionError, match="Did you mean 0.9"):
        _input.check_level(90)


# ------------------------------------------------------------------ shared argument checks

@pytest.mark.parametrize("value", [1.5, True, "3", None, -1, np.float64(2.0)])
def test_check_whole_number_refuses_what_is_not_a_whole_number_in_range(value):
    with pytest.raises(OptionError, match=r"cv=.* must be a whole number of folds >= 0"):
        _input.check_whole_number(value, "cv", what="folds")


def test_check_whole_number_accepts_numpy_integers_and_states_its_bounds():
    assert _input.check_whole_number(np.int64(5), "cv", minimum=2) == 5
    assert type(_input.check_whole_number(np.int32(5), "cv", minimum=2)) is int
    with pytest.raises(OptionError, match="nagq=26 must be a whole number of quadrature nodes from 1 to 25"):
        _input.check_whole_number(26, "nagq", minimum=1, maximum=25, what="quadrature nodes")
    with pytest.raises(OptionError, match=r"cv=1 .* >= 2, e.g. cv=2"):
        _input.check_whole_number(1, "cv", minimum=2)
    with pytest.raises(OptionError, match=r"cv=1 must be a whole number of folds >= 2, e.g. cv=5\."):
        _input.check_whole_number(1, "cv", minimum=2, what="folds", example=5)


def test_check_n_boot_has_one_minimum_and_one_spelling_for_no_bootstrap():
    assert _input.check_n_boot(_input.MIN_N_BOOT) == _input.MIN_N_BOOT
    assert _input.check_n_boot(np.int64(2000)) == 2000
    assert _input.check_n_boot(None, allow_none=True) is None
    with pytest.raises(OptionError, match=r"n_boot=None must be a whole number of replicates >= 20"):
        _input.check_n_boot(None)
    with pytest.raises(OptionError, match=r"n_boot=0 .* >= 20 .*n_boot=None skips the bootstrap"):
        _input.check_n_boot(0, allow_none=True)
    for bad in (19, 200.0, True, "200"):
        with pytest.raises(OptionError, match="n_perm="):
            _input.check_n_boot(bad, "n_perm")
    assert _input.check_n_boot(_input.MAX_N_BOOT) == _input.MAX_N_BOOT
    for huge in (_input.MAX_N_BOOT + 1, 2**63, np.uint64(2**63)):  # a slip that would run for days
        with pytest.raises(OptionError, match=r"n_boot=\d+ is more replicates than any interval needs \(at most 1,0"):
            _input.check_n_boot(huge)


def test_every_bootstrap_refuses_a_runaway_n_boot():
    """One bound in the shared check, so no function hangs on n_boot=2**63 (it was only ds.calibration's)."""
    scores = pd.DataFrame({"y": [0, 1] * 10, "s": np.arange(20.0)})
    for call in (lambda: ds.roc(data=scores, reference="y", score="s").auc_ci("bootstrap", n_boot=2**63),
                 lambda: ds.calibration([0, 1, 0, 1], [0.2, 0.5, 0.3, 0.4], n_boot=2**63)):
        with pytest.raises(OptionError, match="n_boot=9223372036854775808 is more replicates"):
            call()


def test_check_bootstrap_size():
    _input.check_bootstrap_size(2, 2)
    with pytest.raises(DataError, match="at least 2 diseased .* 1 diseased and 5 non-diseased"):
        _input.check_bootstrap_size(1, 5)


def test_check_seed():
    gen, seq = np.random.default_rng(1), np.random.SeedSequence(1)
    assert _input.check_seed(0) == 0 and _input.check_seed(gen) is gen and _input.check_seed(seq) is seq
    assert _input.check_seed(None) is None  # fresh entropy, asked for explicitly
    for bad in (-1, 1.0, True, "0"):
        with pytest.raises(OptionError, match="seed=.* must be a whole number >= 0"):
            _input.check_seed(bad)
    with pytest.raises(OptionError, match="seed=None must be a whole number >= 0, e.g. seed=0"):
        _input.check_seed(None, integer=True)
    with pytest.raises(OptionError, match="random_state="):
        _input.as_generator(1.5, "random_state")


def test_check_progress():
    assert _input.check_progress(np.True_) is True and _input.check_progress(False) is False
    with pytest.raises(OptionError, match="progress='yes' must be True"):
        _input.check_progress("yes")


def test_check_dataframe_refuses_other_types():
    with pytest.raises(DataError, match="data must be a pandas DataFrame with one row per patient; got dict"):
        _input.check_dataframe({"a": [1]}, what="one row per patient")
    frame = pd.DataFrame({"a": [1, 2]})
    assert _input.check_dataframe(frame) is frame


def test_check_dataframe_refuses_duplicated_column_names():
    frame = pd.DataFrame([[1, 2, 3]], columns=["nlr", "plr", "nlr"])
    with pytest.raises(DataError, match=r"data has duplicated column names \('nlr'\)"):
        _input.check_dataframe(frame)
    with pytest.raises(DataError, match="duplicated column names"):
        _input.column(frame, "plr", "score")  # even a unique column of such a frame is refused


def test_check_dataframe_refuses_duplicated_index_labels_where_they_identify_patients():
    frame = pd.DataFrame({"d": [0, 1, 1]}, index=["p1", "p2", "p1"])
    with pytest.raises(DataError, match=r"data has duplicated index labels \('p1'\).*reset_index"):
        _input.check_dataframe(frame, unique_index=True)
    # rows used by position (several lesions of one patient, a pd.concat of two sites) are fine
    assert _input.check_dataframe(frame) is frame
    assert _input.column(frame, "d", "reference").tolist() == [0, 1, 1]


def test_accuracy_reads_a_frame_indexed_by_patient_with_several_lesions():
    import diagstats as ds
    lesions = pd.DataFrame({"mri": [1, 1, 0, 0, 1, 0], "biopsy": [1, 0, 0, 1, 1, 0]},
                           index=["p1", "p1", "p2", "p3", "p3", "p3"])
    assert ds.accuracy(data=lesions, test="mri", reference="biopsy").tp == 2


def test_roc_multiclass_refuses_a_duplicated_score_column():
    # before: the second 'a' column was silently ignored or stacked, giving wrong AUCs
    import diagstats as ds
    rng = np.random.default_rng(0)
    y = rng.choice(["a", "b", "c"], 60)
    scores = pd.DataFrame(rng.random((60, 3)), columns=["a", "b", "a"])
    with pytest.raises(DataError, match=r"y_score has duplicated column names \('a'\)"):
        ds.roc_multiclass(y, scores, progress=False)


def test_paired_compare_roc_refuses_duplicated_index_labels():
    # before: duplicated labels plus an omitted row silently turned the paired comparison into an unpaired one
    import diagstats as ds
    rng = np.random.default_rng(1)
    n = 40
    frame = pd.DataFrame({"d": rng.integers(0, 2, n), "s1": rng.random(n), "s2": rng.random(n)},
                         index=np.arange(n) % 20)
    frame.loc[frame.index[0], "s2"] = np.nan
    with pytest.raises(DataError, match="duplicated index labels"):
        ds.roc(data=frame, reference="d", score="s1")
    unique = frame.reset_index(drop=True)
    r1 = ds.roc(data=unique, reference="d", score="s1")
    r2 = ds.roc(data=unique, reference="d", score="s2", nan_policy="omit")
    method = ds.compare_roc(r1, r2).method.lower()
    assert "paired" in method and "unpaired" not in method


def test_column_names():
    assert _input.column_names("nlr", "markers", example="['nlr']") == ["nlr"]
    assert _input.column_names(("a", "b"), "tests", example="['a', 'b']") == ["a", "b"]
    assert _input.column_names([], "covariates", example="['age']", minimum=0) == []
    with pytest.raises(DataError, match=r"markers names 0 column\(s\); name at least one column, e\.g\. markers="):
        _input.column_names([], "markers", example="['nlr']")
    with pytest.raises(DataError, match=r"tests names a column more than once \('mri'\)"):
        _input.column_names(["mri", "ct", "mri"], "tests", example="['mri', 'ct']")
    with pytest.raises(OptionError, match="markers=3 must be a list of column names"):
        _input.column_names(3, "markers", example="['nlr']")


@pytest.mark.parametrize("call, old, new", [
    (lambda df: __import__("diagstats").decision_curve(df, outcome="y", predictors=["p"]), "outcome", "reference"),
    (lambda df: __import__("diagstats").markers.discriminate(df, target="y"), "target", "reference"),
    (lambda df: __import__("diagstats").markers.predict_origin(df, ["p"], origin="y"), "origin", "reference"),
])
def test_renamed_arguments_name_their_new_name(call, old, new):
    df = pd.DataFrame({"y": [0, 1] * 10, "p": np.linspace(0.1, 0.9, 20)})
    with pytest.raises(OptionError, match=rf"\({old}=\.\.\.\) is now .*\({new}=\.\.\.\)"):
        call(df)


def test_check_alternative_names_the_direction():
    assert [_input.check_alternative(a) for a in _input.ALTERNATIVES] == ["two-sided", "less", "greater"]
    with pytest.raises(OptionError, match="alternative='one-sided' does not say which side; use alternative='greater'"):
        _input.check_alternative("one-sided")
    with pytest.raises(OptionError, match="Did you mean 'greater'"):
        _input.check_alternative("greate")


def test_one_sided_plans_name_the_direction_they_test():
    import diagstats as ds
    greater = ds.sample_size_auc(0.73, alternative="greater")
    assert greater.n_diseased < ds.sample_size_auc(0.73).n_diseased
    # one-sided at alpha is two-sided at 2 alpha, whichever the direction
    assert ds.sample_size_two_aucs(0.9, 0.8, alternative="greater").exact == \
        pytest.approx(ds.sample_size_two_aucs(0.9, 0.8, alpha=0.1).exact, rel=1e-12)
    assert ds.sample_size_two_aucs(0.8, 0.9, alternative="less").exact == \
        pytest.approx(ds.sample_size_two_aucs(0.8, 0.9, alpha=0.1).exact, rel=1e-12)
    with pytest.raises(OptionError, match="alternative='less' tests auc < null_auc, but the expected auc > null_auc"):
        ds.sample_size_auc(0.73, alternative="less")
    with pytest.raises(OptionError, match="use alternative='greater' or alternative='less'"):
        ds.power_auc(0.73, n_diseased=40, n_non_diseased=40, alternative="one-sided")


# ------------------------------------------------------------------ consistent arguments across the public API

def _public_callables():
    """(qualified name, function) of every public function and public method of a public class."""
    import importlib
    import inspect

    import diagstats as ds

    modules = [ds, ds.markers, ds.meta, ds.planning, ds.pathway, ds.simulate, ds.plot, ds.datasets, ds.report,
               importlib.import_module("diagstats.studies.bias_validation")]
    seen, out = set(), []
    for module in modules:
        names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
        for name in names:
            obj = getattr(module, name, None)
            members = [(name, obj)] if inspect.isfunction(obj) else []
            if inspect.isclass(obj) and obj.__module__.startswith("diagstats"):
                members = [(f"{name}.{m}", f) for m, f in vars(obj).items()
                           if not m.startswith("_") and inspect.isfunction(f)]
            for qualname, fn in members:
                if getattr(fn, "__module__", "").startswith("diagstats") and id(fn) not in seen:
                    seen.add(id(fn))
                    out.append((f"{module.__name__}.{qualname}", fn))
    return out


PUBLIC = _public_callables()
#: Disease-column names that `reference=` replaced. `y_true` stays in the array API of roc, roc_multiclass and
#: calibration (as in scikit-learn: ds.roc(y_true, y_score), ds.calibration(y_true, y_prob)); stard_counts'
#: `target` is the name of the target condition (STARD's term), not a column.
NOT_REFERENCE = {"outcome", "target", "y_true", "origin", "disease", "gold_standard", "label"}
DOCUMENTED = {("diagstats.roc", "y_true"), ("diagstats.roc_multiclass", "y_true"), ("diagstats.calibration", "y_true"),
              ("diagstats.stard_counts", "target")}


def test_the_walk_finds_the_public_api():
    names = {name for name, _ in PUBLIC}
    assert {"diagstats.roc", "diagstats.ROCResult.auc_ci", "diagstats.compare_roc", "diagstats.decision_curve",
            "diagstats.markers.discriminate", "diagstats.markers.predict_origin", "diagstats.latent_class",
            "diagstats.simulate.study", "diagstats.sample_size_auc", "diagstats.meta.bivariate"} <= names
    assert len(PUBLIC) > 60


@pytest.mark.parametrize("name, fn", PUBLIC, ids=[n for n, _ in PUBLIC])
def test_public_arguments_follow_the_conventions(name, fn):
    import inspect

    params = inspect.signature(fn).parameters
    # randomness only through seed=, with a fixed default: same call, same numbers
    if "seed" in params:
        default = params["seed"].default
        assert isinstance(default, int) and not isinstance(default, bool), f"{name}: seed default {default!r}"
    # long work (bootstrap, permutations, replicates, imputations) shows a progress bar that progress=False hides
    long_work = {"n_boot", "n_perm", "n_replicates", "n_imputations"} & set(params)
    worker = "rng" in params  # one replicate of a study: the study's progress bar counts it
    worker |= name.endswith("chance_in_coverage_band")  # a binomial band from the number of replicates
    figure = name.endswith(".plot") or name.startswith("diagstats.plot") or name == "diagstats.plot_roc"
    if long_work and not worker and not figure:
        assert "progress" in params and params["progress"].default is True, f"{name}: no progress="
    # one spelling of the alternative hypothesis
    if "alternative" in params:
        assert params["alternative"].default == "two-sided"
    # reference= is the reference standard; the old disease-column names are gone
    for arg in NOT_REFERENCE & set(params):
        assert (name, arg) in DOCUMENTED, f"{name}({arg}=): call it reference= (the reference standard)"


def test_no_module_spells_alternatives_or_n_boot_checks_itself():
    # every alternative goes through check_alternative, every n_boot through check_n_boot
    from pathlib import Path

    import diagstats

    root = Path(diagstats.__file__).parent
    for path in root.rglob("*.py"):
        if path.name == "_input.py":
            continue
        text = path.read_text()
        assert '"one-sided"' not in text, path
        assert 'check_option(alternative' not in text, path
        assert "isinstance(n_boot, bool)" not in text and "isinstance(value, bool) or not isinstance(value, (int" \
            not in text, path
        assert "raise DataError(f\"data must be a pandas DataFrame" not in text, path


def test_same_call_same_numbers_without_a_seed():
    import diagstats as ds
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 80)
    s = y + rng.normal(size=80)
    r1, r2 = ds.roc(y, s), ds.roc(y, s + rng.normal(size=80))
    first = r1.auc_ci("bootstrap", n_boot=50, progress=False)
    assert first == r1.auc_ci("bootstrap", n_boot=50, progress=False) and "seed 0" in first.method
    assert ds.compare_roc(r1, r2, method="bootstrap", n_boot=50, progress=False).p_value == \
        ds.compare_roc(r1, r2, method="bootstrap", n_boot=50, progress=False).p_value


def test_progress_bars_of_the_bias_corrections(capsys):
    import diagstats as ds
    rng = np.random.default_rng(2)
    n = 300
    d = rng.random(n) < 0.4
    t = np.where(d, rng.random(n) < 0.8, rng.random(n) < 0.2)
    df = pd.DataFrame({"t": t.astype(int), "d": np.where(rng.random(n) < np.where(t, 0.9, 0.4), d.astype(float),
                                                           np.nan)})
    ds.correct_verification(df, test="t", reference="d", method="ipw", n_boot=20, progress=True)
    assert "bootstrap" in capsys.readouterr().err
    ds.correct_verification(df, test="t", reference="d", method="ipw", n_boot=20, progress=False)
    assert capsys.readouterr().err == ""
    tests = pd.DataFrame({k: np.where(d, rng.random(n) < 0.85, rng.random(n) > 0.9).astype(int) for k in "abc"})
    ds.latent_class(tests, tests=["a", "b", "c"], n_boot=20, progress=True)
    assert "bootstrap fits" in capsys.readouterr().err
    ds.latent_class(tests, tests=["a", "b", "c"], n_boot=20, progress=False)
    assert capsys.readouterr().err == ""
    with pytest.raises(OptionError, match="progress='no' must be True"):
        ds.latent_class(tests, tests=["a", "b", "c"], progress="no")


def test_roc_verbs_that_can_skip_the_bootstrap_say_so():
    import diagstats as ds
    r = ds.roc([0, 0, 0, 1, 1, 1, 0, 1], [1, 2, 3, 4, 5, 6, 2.5, 3.5])
    for call in (lambda: r.sensitivity_at(0.8, n_boot=0), lambda: r.threshold(n_boot=0)):
        with pytest.raises(OptionError, match="n_boot=0 .*; n_boot=None skips the bootstrap"):
            call()
    assert np.isnan(r.sensitivity_at(0.8, n_boot=None).lower)


def test_check_number():
    assert _input.check_number(np.float64(0.5), "x", low=0, high=1) == 0.5
    assert _input.check_number(0, "harm", low=0) == 0.0
    for bad, pattern in ((1.0, "strictly between -1 and 1"), ("0.3", "strictly between"), (True, "finite number"),
                         (np.nan, "finite number")):
        with pytest.raises(OptionError, match=pattern):
            _input.check_number(bad, "correlation", low=-1, high=1, strict=True)
    with pytest.raises(OptionError, match=r"harm\['ct'\]=-0.1 must be a finite number >= 0 \(net benefit units\)"):
        _input.check_number(-0.1, "harm['ct']", low=0, what="net benefit units")


def test_planning_refuses_text_where_it_needs_numbers():
    # before: TypeError from numpy or from the comparison
    import diagstats as ds
    with pytest.raises(OptionError, match="a1='1.2' must be a finite number"):
        ds.planning.sample_size_binormal_aucs("1.2", 1, 0.8, 1)
    with pytest.raises(OptionError, match="correlation='0.5' must be a finite number strictly between -1 and 1"):
        ds.sample_size_two_aucs(0.75, 0.85, correlation="0.5")


def test_wrong_types_get_a_diagstats_error_not_a_numpy_one():
    import diagstats as ds
    rng = np.random.default_rng(0)
    tests = pd.DataFrame({k: rng.integers(0, 2, 60) for k in "abc"})
    with pytest.raises(OptionError, match="tol='x' must be a finite number greater than 0"):
        ds.latent_class(tests, tests=["a", "b", "c"], tol="x", progress=False)
    y, scores = np.array(["a", "b", "c"] * 20), rng.random((60, 3))
    with pytest.raises(OptionError, match="classes=3 must be a list of column names"):
        ds.roc_multiclass(y, scores, classes=3, progress=False)
    with pytest.raises(DataError, match=r"classes names a column more than once \('a'\)"):
        ds.roc_multiclass(y, scores, classes=["a", "b", "a"], progress=False)
    with pytest.raises(DataError, match="pretest_odds='x' must be finite and >= 0"):
        ds.post_test_odds("x", 2.0)
    with pytest.raises(OptionError, match="fpr_range='ab' must be"):
        ds.sample_size_binormal_aucs(1, 1, 1.5, 1, fpr_range="ab")


def test_scalar_probabilities_refuse_arrays_naming_the_argument():
    # before: numpy's "only 0-dimensional arrays can be converted" TypeError
    import diagstats as ds
    with pytest.raises(OptionError, match=r"auc=\[0.8, 0.9\] must be a single number"):
        ds.planning.sample_size_auc([0.8, 0.9])
    with pytest.raises(OptionError, match="alpha=.* must be a single number"):
        ds.planning.sample_size_two_aucs(0.8, 0.9, alpha=[0.05])
    with pytest.raises(OptionError, match="prevalence=.* must be a single number"):
        ds.accuracy(tp=9, fp=1, fn=1, tn=9).at_prevalence(np.array([0.1, 0.2]))
    lr = ds.accuracy(tp=9, fp=1, fn=1, tn=9).lr_positive
    with pytest.raises(OptionError, match="pretest=.* must be a single number"):
        ds.post_test_probability(np.array([0.2, 0.3]), lr)
    assert ds.post_test_probability(np.array([0.2, 0.3]), 2.0) == pytest.approx([1 / 3, 6 / 13])


def test_json_safe_names_seed_objects():
    from diagstats.results import json_safe
    assert json_safe(np.random.SeedSequence(5)) == "SeedSequence(entropy 5)"
    assert json_safe({"seed": np.random.default_rng(1)}) == {"seed": "a numpy Generator"}


# --- issue #14 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [2 ** 63, np.uint64(2 ** 63), 1e19, 2 ** 64, [1, 2 ** 64], 2 ** 53 + 2])
def test_as_counts_refuses_counts_that_are_not_exact_and_never_wraps(value):
    with pytest.raises(DataError, match=r"fp=.* is too large: counts must be at most 2\*\*53"):
        _input.as_counts(value, "fp")
    assert int(_input.as_counts(2 ** 53, "fp")) == 2 ** 53
    assert int(_input.as_counts(np.uint64(7), "fp")) == 7


def test_as_counts_scalar_refuses_arrays_naming_the_argument():
    with pytest.raises(DataError, match=r"tp=\[1, 2\] must be a single count"):
        _input.as_counts([1, 2], "tp", scalar=True)


def test_broadcast_named_names_the_mismatched_arrays():
    x, n = _input.broadcast_named(x=np.array([1, 2]), n=np.array(5))
    assert n.tolist() == [5, 5]
    with pytest.raises(DataError, match=r"x has shape \(2,\), n has shape \(3,\)"):
        _input.broadcast_named(x=np.array([1, 2]), n=np.array([3, 4, 5]))


def test_check_flag_takes_booleans_only():
    assert _input.check_flag(np.True_, "paired") is True
    assert _input.check_flag(False, "paired") is False
    for bad in ("yes", None, 1, 0.0):
        with pytest.raises(OptionError, match=r"paired=.* must be True or False"):
            _input.check_flag(bad, "paired")


def test_as_binary_reads_zero_one_stored_as_objects():
    # before: "takes the values 0, 1; ... or recode it as 0/1" -- a message that contradicts itself
    column = pd.Series([0, 1, None, 1], dtype=object).dropna()
    assert _input.as_binary(column, "reference").values.tolist() == [False, True, True]
    assert _input.as_binary(np.array([True, 0, 1], dtype=object), "reference").values.tolist() == [True, False, True]


def test_as_binary_names_the_positive_argument_the_user_typed():
    with pytest.raises(DataError, match=r"test_positive='POS' is not a value of test"):
        _input.as_binary(["a", "b"], "test", "POS", positive_name="test_positive")
    with pytest.raises(DataError, match=r"e.g. test_positive='b'"):
        _input.as_binary(["a", "b"], "test", positive_name="test_positive")


def test_number_checks_take_python_ints_beyond_the_float_range():
    assert _input.check_positive_number(2 ** 70, "n") == float(2 ** 70)
    with pytest.raises(OptionError, match=r"n=.* must be a finite number greater than 0"):
        _input.check_positive_number(10 ** 400, "n")
    with pytest.raises(OptionError, match=r"n=.* must be a finite number >= 0"):
        _input.check_number(10 ** 400, "n", low=0)
