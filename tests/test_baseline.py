"""core.baseline: Table 1 by hand, against tableone, on the demo cohort, and its properties.

Known differences from tableone 0.9 (each pinned by a test below):
- Rounding: we round half up on the decimal value (7.25 -> 7.3); tableone formats the
  binary float (7.25 -> "7.2").
- 2 x 2 tables: we always use Fisher's exact test; tableone uses Yates-corrected
  chi-squared unless an expected count or a group is below 5, then Fisher.
- Two groups, continuous: we use Mann-Whitney U (scipy defaults: exact for small samples
  without ties, else continuity-corrected); tableone uses Kruskal-Wallis for non-normal
  variables (same as Mann-Whitney without continuity correction) and Welch's t-test for
  variables it treats as normal. Three or more groups agree (Kruskal-Wallis, chi-squared).
"""
from __future__ import annotations

import importlib.util
import warnings
from dataclasses import asdict, is_dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from core.baseline import (
    BASELINE_VARIABLES,
    CATEGORICAL,
    CONTINUOUS,
    DISPLAY,
    KINDS,
    MEAN_SD,
    baseline_table,
)
from core.significance import NOTE_EMPTY_GROUP, NOTE_ONE_GROUP
from core.stats import NOTE_NO_DATA, Continuous, Proportion


def _tiny() -> pd.DataFrame:
    """Six patients, checkable by hand."""
    return pd.DataFrame({
        "patient_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
        "centre": ["Lille", "Lille", "Lille", "Boulogne", "Boulogne", None],
        "sex": ["F", "F", "M", "F", "F", None],
        "age": [30.0, 40.0, 50.0, 60.0, 45.0, None],
        "disease_duration_years": [2.0, 4.0, 6.0, 8.0, 10.0, 12.0],
        "prior_lines": pd.array([0, 2, 4, 5, 1, None], dtype="Int64"),
        "cutaneous": pd.array([True, False, None, True, True, True], dtype="boolean"),
        "articular": pd.array([False, True, True, None, False, True], dtype="boolean"),
        "ifn_signature_m0": ["positive", "negative", None, "positive", "positive", "positive"],
        "cs_dose_mg_m0": [0.0, 5.0, 7.5, None, 10.0, 20.0],
        "hcq_m0": pd.array([True, True, False, False, None, True], dtype="boolean"),
    })


def _synthetic(n: int = 60, seed: int = 11) -> pd.DataFrame:
    """A seeded cohort; numbers are multiples of 0.5 so sums are exact in any order."""
    rng = np.random.default_rng(seed)

    def holes(values, share=0.1):
        values = pd.Series(values, dtype=object)
        values[rng.random(n) < share] = None
        return values

    return pd.DataFrame({
        "patient_id": [f"P{i}" for i in range(1, n + 1)],
        "centre": rng.choice(["Lille", "Boulogne"], n, p=[0.6, 0.4]),
        "site": rng.choice(["A", "B", "C"], n),
        "sex": holes(rng.choice(["F", "M"], n, p=[0.85, 0.15]), 0.05).astype("string"),
        "age": holes((rng.normal(45, 10, n) * 2).round() / 2).astype("Float64"),
        "disease_duration_years": holes(rng.integers(1, 60, n) / 2).astype("Float64"),
        "prior_lines": holes(rng.integers(0, 7, n)).astype("Int64"),
        "cutaneous": holes(rng.random(n) < 0.8).astype("boolean"),
        "articular": holes(rng.random(n) < 0.5).astype("boolean"),
        "ifn_signature_m0": holes(rng.choice(["positive", "negative"], n, p=[0.8, 0.2])).astype("string"),
        "cs_dose_mg_m0": holes(rng.choice([0, 0, 2.5, 5, 7.5, 10, 15, 20], n)).astype("Float64"),
        "hcq_m0": holes(rng.random(n) < 0.7).astype("boolean"),
    })


def _tableone_input(frame: pd.DataFrame) -> pd.DataFrame:
    """The variables derived independently of core.baseline, as tableone takes them."""
    def yes_no(mask, known):
        return pd.Series(np.where(known, mask.fillna(False).astype(str), None), index=frame.index)

    lines = frame["prior_lines"].astype("Float64")
    dose = frame["cs_dose_mg_m0"].astype("Float64")
    out = pd.DataFrame({
        "female": yes_no(frame["sex"] == "F", frame["sex"].notna()),
        "ifn_positive": yes_no(frame["ifn_signature_m0"] == "positive", frame["ifn_signature_m0"].notna()),
        "first_line": yes_no(lines == 0, lines.notna()),
        "prior_lines_2plus": yes_no(lines >= 2, lines.notna()),
        "prior_lines_4plus": yes_no(lines >= 4, lines.notna()),
        "corticosteroids": yes_no(dose > 0, dose.notna()),
        "cs_dose_mg": dose.where(dose > 0).astype(float),
    })
    for col in ("cutaneous", "articular", "hcq"):
        source = frame[col if col != "hcq" else "hcq_m0"]
        out[col] = yes_no(source, source.notna())
    for col in ("age", "disease_duration_years"):
        out[col] = frame[col].astype(float)
    out["prior_lines"] = lines.astype(float)
    out["centre"], out["site"] = frame["centre"], frame["site"]
    return out


def _tableone(frame: pd.DataFrame, groupby: str | None = None):
    from tableone import TableOne

    categorical = [v for v in BASELINE_VARIABLES if KINDS[v] == CATEGORICAL]
    continuous = [v for v in BASELINE_VARIABLES if KINDS[v] == CONTINUOUS]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TableOne(_tableone_input(frame), columns=list(BASELINE_VARIABLES), categorical=categorical,
                        continuous=continuous, nonnormal=continuous, groupby=groupby, pval=groupby is not None,
                        include_null=False, htest_name=True)


# --- by hand --------------------------------------------------------------------------

@pytest.mark.parametrize("variable, n, N, missing", [
    ("female", 4, 5, 1),
    ("cutaneous", 4, 5, 1),
    ("articular", 3, 5, 1),
    ("ifn_positive", 4, 5, 1),
    ("first_line", 1, 5, 1),
    ("prior_lines_2plus", 3, 5, 1),
    ("prior_lines_4plus", 2, 5, 1),
    ("corticosteroids", 4, 5, 1),
    ("hcq", 3, 5, 1),
])
def test_categorical_rows_count_yes_among_known(variable, n, N, missing):
    row = baseline_table(_tiny()).row(variable)
    assert (row.overall.n, row.overall.N, row.missing) == (n, N, missing)


def test_dose_is_summarised_among_patients_on_corticosteroids():
    dose = baseline_table(_tiny()).row("cs_dose_mg").overall
    assert (dose.N, dose.missing, dose.median, dose.q1, dose.q3) == (4, 1, 8.75, 6.875, 12.5)


def test_continuous_rows_carry_mean_and_median():
    age = baseline_table(_tiny()).row("age").overall
    assert (age.N, age.missing, age.mean, age.median) == (5, 1, 45.0, 45.0)


def test_rows_follow_the_poster_order_with_their_kind_and_display():
    table = baseline_table(_tiny())
    assert tuple(r.variable for r in table.rows) == BASELINE_VARIABLES
    assert table.row("age").display == MEAN_SD and DISPLAY["cs_dose_mg"] == "median_iqr"
    assert {r.kind for r in table.rows if isinstance(r.overall, Continuous)} == {CONTINUOUS}


def test_absent_optional_column_gives_a_no_data_row():
    row = baseline_table(_tiny().drop(columns=["disease_duration_years"])).row("disease_duration_years")
    assert (row.overall.N, row.missing) == (0, 6) and NOTE_NO_DATA in row.overall.notes


def test_ungrouped_table_has_no_tests_or_group_columns():
    table = baseline_table(_tiny())
    assert table.groups == () and all(r.test is None and r.by_group == {} for r in table.rows)


def test_patients_with_missing_group_are_left_out_of_groups_only():
    table = baseline_table(_tiny(), group="centre")
    row = table.row("female")
    assert table.group_missing == 1 and table.groups == ("Boulogne", "Lille")
    assert (row.by_group["Boulogne"].n, row.by_group["Lille"].N, row.overall.N) == (2, 3, 5)


def test_numeric_group_levels_are_in_numeric_order():
    frame = _tiny().assign(prior_lines=pd.array([10, 2, 2, 10, 1, None], dtype="Int64"))
    table = baseline_table(frame, group="prior_lines")
    assert table.groups == ("1", "2", "10") and table.row("female").by_group["10"].N == 2


def test_group_with_no_value_for_a_variable_is_not_tested():
    frame = _tiny()
    frame.loc[frame["centre"] == "Boulogne", "articular"] = pd.NA
    test = baseline_table(frame, group="centre").row("articular").test
    assert test.p_value is None and NOTE_EMPTY_GROUP in test.notes


def test_single_group_level_is_not_tested():
    test = baseline_table(_tiny().assign(centre="Lille"), group="centre").row("age").test
    assert test.p_value is None and NOTE_ONE_GROUP in test.notes


def test_unknown_group_column_is_a_programming_error():
    with pytest.raises(ValueError):
        baseline_table(_tiny(), group="hospital")


def test_display_frame_writes_poster_formats_per_language():
    frame = baseline_table(_tiny()).to_frame({"female": "Women"}, lang="fr").set_index("variable")
    assert frame.loc["Women", "overall"] == "4/5 (80,0\u202f%)"
    assert frame.loc["age", "overall"] == "45,0 (11,2)"
    assert frame.loc["disease_duration_years", "overall"] == "7,0 (4,5\u202f; 9,5)"


def test_display_frame_writes_median_and_quartiles_the_english_way():
    frame = baseline_table(_tiny()).to_frame(lang="en").set_index("variable")
    assert frame.loc["disease_duration_years", "overall"] == "7.0 (4.5; 9.5)"


def test_grouped_display_frame_has_a_column_per_group_and_p_values():
    frame = baseline_table(_tiny(), group="centre").to_frame()
    assert {"Boulogne", "Lille", "p_value", "test"} <= set(frame.columns)


# --- against tableone -----------------------------------------------------------------

def _categorical_rows(table):
    return [r for r in table.rows if r.kind == CATEGORICAL]


def test_categorical_counts_match_tableone():
    frame = _synthetic()
    ref, ours = _tableone(frame).cat_describe, baseline_table(frame)
    for row in _categorical_rows(ours):
        yes = ref.loc[(row.variable, "True")]
        assert (row.overall.n, row.overall.N) == (yes[("freq", "Overall")], yes[("n", "Overall")]), row.variable
        assert row.overall.pct == pytest.approx(yes[("percent", "Overall")], abs=0.05)
        assert row.missing == ref.loc[(row.variable, "False"), ("Missing", "Overall")]


@pytest.mark.parametrize("stat, ref_col", [("N", "count"), ("mean", "mean"), ("sd", "std"), ("median", "median"),
                                           ("q1", "q25"), ("q3", "q75"), ("min", "min"), ("max", "max")])
def test_continuous_summaries_match_tableone(stat, ref_col):
    frame = _synthetic()
    ref, ours = _tableone(frame).cont_describe, baseline_table(frame)
    for row in ours.rows:
        if row.kind == CONTINUOUS:
            assert getattr(row.overall, stat) == pytest.approx(ref.loc[row.variable, (ref_col, "Overall")],
                                                               rel=1e-12), row.variable


def test_three_group_p_values_match_tableone():
    frame = _synthetic()
    ref, ours = _tableone(frame, "site").htest_table, baseline_table(frame, "site")
    assert set(ref.index) == set(BASELINE_VARIABLES)
    for row in ours.rows:
        assert row.test.p_value == pytest.approx(ref.loc[row.variable, "P-Value"], rel=1e-9), row.variable


def test_three_group_tests_are_kruskal_wallis_and_chi_squared_like_tableone():
    frame = _synthetic()
    ref, ours = _tableone(frame, "site").htest_table, baseline_table(frame, "site")
    for row in ours.rows:
        name = ref.loc[row.variable, "Test"]
        assert name.startswith("Kruskal" if row.kind == CONTINUOUS else "Chi-squared"), row.variable
        assert ("Kruskal" in row.test.method) if row.kind == CONTINUOUS else ("chi-squared" in row.test.method)


def test_two_group_fisher_p_values_match_tableone_where_it_uses_fisher():
    frame = _synthetic()
    ref, ours = _tableone(frame, "centre").htest_table, baseline_table(frame, "centre")
    fisher = ref.index[ref["Test"] == "Fisher's exact"]
    assert len(fisher) >= 3
    for variable in fisher:
        assert ours.row(variable).test.p_value == pytest.approx(ref.loc[variable, "P-Value"], rel=1e-9), variable


def test_difference_two_group_2x2_with_large_counts_is_fisher_not_yates_chi_squared():
    table = np.array([[30, 20], [15, 35]])
    frame = pd.DataFrame({
        "centre": ["A"] * 50 + ["B"] * 50,
        "sex": ["F"] * 30 + ["M"] * 20 + ["F"] * 15 + ["M"] * 35,
    })
    ours = baseline_table(frame, "centre").row("female").test
    assert ours.p_value == pytest.approx(sps.fisher_exact(table).pvalue)
    tableone_p = sps.chi2_contingency(table, correction=True).pvalue
    assert ours.p_value != pytest.approx(tableone_p)


def test_difference_two_group_continuous_is_mann_whitney_where_tableone_uses_kruskal():
    x, y = [1.0, 2.0, 2.0, 4.0, 7.0, 9.0], [3.0, 5.0, 6.0, 8.0, 10.0, 11.0, 12.0]
    frame = pd.DataFrame({"centre": ["A"] * 6 + ["B"] * 7, "age": x + y})
    ours = baseline_table(frame, "centre").row("age").test
    kruskal = sps.kruskal(x, y).pvalue
    # tableone's Kruskal-Wallis is the Mann-Whitney test without continuity correction.
    assert kruskal == pytest.approx(sps.mannwhitneyu(x, y, use_continuity=False, method="asymptotic").pvalue)
    assert ours.p_value == pytest.approx(sps.mannwhitneyu(x, y).pvalue)
    assert ours.p_value != pytest.approx(kruskal)


def test_difference_halves_round_up_where_tableone_rounds_to_even():
    from tableone import TableOne

    dose = [7.0, 7.5, 7.25, 7.25]
    ours = baseline_table(pd.DataFrame({"cs_dose_mg_m0": dose})).to_frame().set_index("variable")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = TableOne(pd.DataFrame({"cs_dose_mg": dose}), nonnormal=["cs_dose_mg"]).tableone
    assert ours.loc["cs_dose_mg", "overall"].startswith("7.3 (")
    assert theirs.iloc[-1, -1].startswith("7.2 [")


# --- demo cohort ----------------------------------------------------------------------

_MAKE_DEMO = Path(__file__).resolve().parents[1] / "data" / "make_demo.py"


def _demo_baseline_frame() -> pd.DataFrame:
    from core.schema import CS_DRUG_FACTORS

    spec = importlib.util.spec_from_file_location("make_demo", _MAKE_DEMO)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    frames = module.build_demo_frames()
    patients = frames["patients"]
    patients = patients[patients["acr_eular_2019"].eq(True) & (patients["age"] >= 18)]
    m0 = frames["visits"].query("month == 0").set_index("patient_id")
    factor = m0["cs_drug"].map(CS_DRUG_FACTORS).fillna(1.0)
    m0 = pd.DataFrame({"ifn_signature_m0": m0["ifn_signature"], "cs_dose_mg_m0": m0["cs_dose_mg"] * factor,
                       "hcq_m0": m0["hcq"]})
    return patients.join(m0, on="patient_id")


def test_demo_cohort_gives_the_poster_numbers():
    table = baseline_table(_demo_baseline_frame())
    counts = {r.variable: r.overall.as_count() for r in table.rows if isinstance(r.overall, Proportion)}
    assert table.N == 22
    assert counts["female"] == {"n": 21, "N": 22, "pct": 95.5}
    assert counts["cutaneous"] == {"n": 19, "N": 21, "pct": 90.5}
    assert counts["articular"] == {"n": 12, "N": 21, "pct": 57.1}
    assert counts["ifn_positive"] == {"n": 21, "N": 21, "pct": 100.0}
    assert counts["first_line"] == {"n": 1, "N": 22, "pct": 4.5}
    assert counts["prior_lines_4plus"] == {"n": 9, "N": 22, "pct": 40.9}
    assert counts["corticosteroids"] == {"n": 16, "N": 22, "pct": 72.7}
    assert counts["hcq"] == {"n": 15, "N": 22, "pct": 68.2}
    age = table.row("age").overall.rounded()
    duration = table.row("disease_duration_years").overall.rounded()
    dose = table.row("cs_dose_mg").overall.rounded()
    assert (age["N"], age["mean"], age["sd"]) == (22, 45.0, 10.4)
    assert (duration["N"], duration["median"], duration["q1"], duration["q3"]) == (22, 13.5, 6.8, 21.0)
    assert (dose["N"], dose["median"], dose["q1"], dose["q3"]) == (16, 7.3, 5.0, 10.0)


# --- properties -----------------------------------------------------------------------

def _leaves(obj) -> list:
    """Every value of a nested result as a flat list (keys and text as str, numbers as float)."""
    if is_dataclass(obj):
        obj = asdict(obj)
    if isinstance(obj, dict):
        return [x for key in obj for x in [str(key), *_leaves(obj[key])]]
    if isinstance(obj, (list, tuple)):
        return [x for item in obj for x in _leaves(item)]
    if obj is None:
        return [float("nan")]
    return [obj if isinstance(obj, str) else float(obj)]


@pytest.mark.parametrize("group", [None, "centre", "site"])
def test_row_order_does_not_change_the_table(group):
    frame = _synthetic()
    shuffled = frame.sample(frac=1.0, random_state=3)
    ours, reference = _leaves(baseline_table(shuffled, group)), _leaves(baseline_table(frame, group))
    assert [x for x in ours if isinstance(x, str)] == [x for x in reference if isinstance(x, str)]
    # Floating sums may differ in the last bit with the order: compare to 1e-12.
    assert [x for x in ours if isinstance(x, float)] == pytest.approx(
        [x for x in reference if isinstance(x, float)], rel=1e-12, nan_ok=True)


@pytest.mark.parametrize("group", ["centre", "site"])
def test_group_counts_add_up_to_the_overall_count(group):
    table = baseline_table(_synthetic(), group)
    assert table.group_missing == 0
    for row in table.rows:
        assert sum(est.N for est in row.by_group.values()) == row.overall.N, row.variable


def test_repeated_index_labels_do_not_duplicate_patients():
    frame = _tiny()
    frame.index = [0, 0, 1, 1, 2, 2]
    assert baseline_table(frame, "centre").row("female").by_group["Lille"].N == 3


def test_empty_frame_gives_no_data_rows_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = baseline_table(_tiny().head(0), group="centre")
    assert table.N == 0 and all(NOTE_NO_DATA in r.overall.notes for r in table.rows)


@pytest.mark.parametrize("dtype", ["string", "object"])
def test_a_text_indicator_is_missing_where_its_cell_is(dtype):
    """``female`` and ``ifn_positive`` are read from numpy (Arrow booleans convert cell
    by cell): the same values as pandas' comparison, missing where the cell is."""
    from core.baseline import _equals

    cells = pd.Series(["F", "M", None, "F", "f", ""], dtype=dtype)
    assert _equals(cells, "F").equals((cells.astype("string") == "F").astype("boolean"))
    assert _equals(cells, "F").tolist() == [True, False, pd.NA, True, False, False]
