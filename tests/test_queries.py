"""Panel queries: scope, ordering, bound values and checked identifiers."""
from __future__ import annotations

import pandas as pd
import pytest

from core import queries
from core.cohort import cohort_from_frames
from core.filters import Filter
from core.settings import Settings

PATIENTS = pd.DataFrame({
    "patient_id": ["B", "A", "C"], "sex": ["F", "M", "F"], "age": [40.0, 30.0, 12.0], "cutaneous": True,
    "note": ["x", "y", "x"],
})
VISITS = pd.DataFrame({"patient_id": ["A", "B", "B", "C"], "month": [0, 3, 0, 0], "hcq": [True, False, True, True]})


@pytest.fixture(scope="module")
def con():
    return cohort_from_frames({"patients": PATIENTS, "visits": VISITS, "events": None}).con


def _treated(con, flt=None, settings=Settings()) -> int:
    return int(queries.population_counts_query(con, flt, settings).loc[0, "treated"])


def test_population_counts_and_exclusions_of_the_treated_patients(con):
    counts = queries.population_counts_query(con, None, Settings())
    excluded = queries.exclusions_query(con, None, Settings(), {"age_under_min": "young", "criteria_not_met": "c",
                                                                 "no_involvement": "i"})
    assert counts.to_dict(orient="list") == {"treated": [3], "analysed": [2]}
    assert excluded.to_dict(orient="list") == {"patient_id": ["C"], "reasons": ["age_under_min"], "reason": ["young"]}


def test_flags_are_ordered_by_patient_id_then_code(con):
    flags = queries.population_flags_query(con, None, Settings())
    assert list(zip(flags["patient_id"], flags["code"])) == [
        ("A", "criteria_missing"), ("B", "criteria_missing"), ("C", "criteria_missing")]


def test_followup_query_counts_analysed_patients_per_month(con):
    frame = queries.followup_query(con, None, Settings())
    assert frame.to_dict(orient="list") == {"month": [0, 3], "patients": [2, 1]}


def test_paired_visit_rows_exist_for_patients_not_seen(con):
    frame = queries.steroid_doses_query(con, None, Settings(), (0, 3))
    assert list(zip(frame["patient_id"], frame["month"], frame["seen"])) == [
        ("A", 0, True), ("A", 3, False), ("B", 0, True), ("B", 3, True)]


def test_m0_filter_reads_the_baseline_visit(con):
    assert _treated(con, Filter(hcq=True)) == 3
    assert _treated(con, Filter(hcq=False)) == 0


def test_filter_on_an_extra_column(con):
    assert _treated(con, Filter(extra=(("note", ("x",)),))) == 2


def test_extra_column_not_in_the_table_is_refused(con):
    with pytest.raises(ValueError, match="no column"):
        _treated(con, Filter(extra=(('note" OR TRUE --', ("x",)),)))


def test_distinct_values_refuses_an_unknown_column(con):
    with pytest.raises(ValueError, match="no column"):
        queries.distinct_values_query(con, "patients", "nope")


def test_extra_levels_query_lists_small_columns(con):
    frame = queries.extra_levels_query(con, ("note",), 20)
    assert frame.to_dict(orient="list") == {"column": ["note", "note"], "value": ["x", "y"]}


def test_min_age_setting_is_bound_into_the_scope(con):
    counts = queries.population_counts_query(con, None, Settings(min_age=10))
    assert counts.to_dict(orient="list") == {"treated": [3], "analysed": [3]}


def test_each_visit_carries_its_response_course_state():
    """``visit_rules_table`` gives each visit its state in a response course once per
    cohort (a subgroup's courses only add states up): 1 + 2 x the index of the response
    (recorded, else scored) in ``COURSE_RESPONSES`` + 1 when it was scored."""
    from core.demo import load_demo
    from core.queries.derived import visit_rules_table

    cohort = load_demo("fr").cohort
    rules = cohort.con.table(visit_rules_table(cohort.con, Settings())).df()
    for domain in ("cutaneous", "articular"):
        recorded, scored = rules[f"{domain}_recorded"], rules[f"{domain}_scored"]
        response = recorded.combine_first(scored)
        code = response.map({r: k for k, r in enumerate(queries.COURSE_RESPONSES) if r}).fillna(0)
        expected = 1 + 2 * code + (recorded.isna() & scored.notna()).astype(int)
        assert rules[f"{domain}_state"].tolist() == expected.astype(int).tolist()
        assert set(response.dropna()) <= {"CR", "PR", "NR"} and scored.notna().any() and recorded.notna().any()
    cohort.close()


def test_a_subgroup_chosen_on_the_baseline_visit_reads_the_visits_once():
    """Every query of every panel starts from the subgroup: one chosen on the baseline
    visit (here hydroxychloroquine at M0) is read from the visits once, then joined."""
    from tests.helpers import RecordingConnection

    recording = RecordingConnection(cohort_from_frames({"patients": PATIENTS, "visits": VISITS, "events": None}).con)
    on_hcq = Filter(hcq=True)
    for _ in range(2):
        assert _treated(recording, on_hcq) == 3
        doses = queries.steroid_doses_query(recording, on_hcq, Settings(), (0, 3))
        assert list(doses["patient_id"].unique()) == ["A", "B"]  # C is under 18: not analysed
    reads = [sql for sql in recording.statements if "v0.hcq" in sql]
    assert len(reads) == 1 and reads[0].startswith('CREATE OR REPLACE TABLE "_baseline_subgroup_')
    assert _treated(recording, Filter(hcq=False)) == 0
    assert len([sql for sql in recording.statements if "v0.hcq" in sql]) == 2


def test_a_patient_with_two_baseline_visits_is_in_the_subgroup_once_if_either_visit_is():
    visits = pd.DataFrame({"patient_id": ["A", "A", "B"], "month": [0, 0, 0], "hcq": [True, False, False]})
    twice = cohort_from_frames({"patients": PATIENTS[PATIENTS["patient_id"] != "C"], "visits": visits,
                                "events": None}).con
    assert (_treated(twice, Filter(hcq=True)), _treated(twice, Filter(hcq=False))) == (1, 2)


def test_a_connection_keeps_its_newest_derived_tables_of_a_family():
    import duckdb

    from core.queries.scope import derived_table
    from tests.helpers import RecordingConnection

    con = RecordingConnection(duckdb.connect(":memory:"))
    names = [derived_table(con, "_numbers", k, "SELECT $k AS k", {"k": k}, keep=2) for k in (1, 2, 3)]
    assert len(set(names)) == 3
    held = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert held == set(names[1:])
    asked = len(con.statements)
    assert derived_table(con, "_numbers", 3, "SELECT $k AS k", {"k": 3}, keep=2) == names[2]
    assert len(con.statements) == asked  # held: nothing runs
    assert con.execute(f'SELECT k FROM "{names[2]}"').fetchall() == [(3,)]

