"""Safety panel: patients with events, exposure, rate, visceral events, swimmer frame."""
from __future__ import annotations

import pandas as pd
import pytest

from core.cohort import cohort_from_frames
from core.filters import parse_filters
from core.safety import safety
from tests.helpers import RecordingConnection

PATIENTS = pd.DataFrame({
    "patient_id": ["A", "B", "C", "D"], "sex": ["F", "F", "M", "F"], "age": [40.0, 30.0, 16.0, 50.0],
    "cutaneous": True,
})
VISITS = pd.DataFrame({"patient_id": ["A", "A", "B", "C"], "month": [0, 6, 0, 3]})
EVENTS = pd.DataFrame({
    "patient_id": ["A", "A", "B", "C", "C"],
    "month": [1.0, 4.0, 8.0, 2.0, 2.5],
    "type": ["infection", "infection", "infection", "visceral", "other"],
    "description": ["Bronchite", "Zona", "Pneumonie", "GN IV + V", None],
    "severe": [None, False, True, None, None],
    "vzv": [None, True, None, None, None],
})


@pytest.fixture(scope="module")
def result():
    return safety(cohort_from_frames({"patients": PATIENTS, "visits": VISITS, "events": EVENTS}))


def test_every_treated_patient_counts_including_the_excluded(result):
    assert result.N == 4  # C is under 18: excluded from efficacy, not from safety


def test_a_patient_counts_once_however_many_infections(result):
    assert (result.infection.as_count(), result.infection_events) == ({"n": 2, "N": 4, "pct": 50.0}, 3)


def test_severe_infection_needs_an_infection_marked_severe(result):
    assert result.severe_infection.n == 1


def test_vzv_counts_any_event_marked_vzv(result):
    assert result.vzv.n == 1


def test_followup_is_the_later_of_last_visit_and_last_event(result):
    assert list(result.swimmer["end"]) == [6.0, 8.0, 3.0, 0.0]


def test_infection_rate_per_100_patient_years(result):
    # 3 infections over 17 patient-months: 3 / (17 / 12) * 100 = 211.76...
    assert (result.patient_months, result.infection_rate_per_100py) == (17.0, 211.8)


def test_visceral_events_are_listed_with_patient_month_description(result):
    assert result.visceral_events.values.tolist() == [["C", 2.0, "GN IV + V"]]


def test_events_by_type(result):
    assert result.events_by_type.to_dict(orient="list") == {
        "type": ["infection", "other", "visceral"], "events": [3, 1, 1], "patients": [2, 1, 1]}


def test_filter_restricts_the_safety_population():
    cohort = cohort_from_frames({"patients": PATIENTS, "visits": VISITS, "events": EVENTS})
    result = safety(cohort, parse_filters(["sex=M"]))
    assert (result.N, result.infection.n, len(result.visceral_events)) == (1, 0, 1)


def test_no_events_table_gives_no_data_not_zero_percent():
    # No events table: nobody's events are known (cohort-format: "no data" rather than
    # 0 %); the treated N and the exposure stay.
    result = safety(cohort_from_frames({"patients": PATIENTS, "visits": VISITS, "events": None}))
    assert not result.events_recorded
    assert result.N == 4 and result.patient_months > 0
    for count in (result.infection, result.severe_infection, result.vzv):
        assert count.as_count() == {"n": 0, "N": 0, "pct": 0.0}
    assert result.infection_rate_per_100py is None
    assert safety(cohort_from_frames({"patients": PATIENTS, "visits": VISITS, "events": EVENTS})).events_recorded


def test_summary_says_when_events_were_not_recorded():
    from core.summary import build_summary

    document = build_summary(cohort_from_frames({"patients": PATIENTS, "visits": VISITS, "events": None}))
    assert document["safety"]["events_recorded"] is False
    assert document["safety"]["infection"] == {"n": 0, "N": 0, "pct": 0.0} and document["safety"]["N"] == 4
    assert document["details"]["safety"]["infection_rate_per_100py"] is None


@pytest.mark.parametrize("types", [("infection", "visceral", "other"), ("visceral",), ("infection",)])
@pytest.mark.parametrize("limit", [1, 5, 100_000])
def test_first_events_are_read_from_sql_as_events_lists_them(types, limit):
    """``Safety.first_events`` reads the first events of some types and their total in SQL:
    the same as the first rows of ``events`` of those types (by month, then patient), on
    a registry with several events a month."""
    from benchmarks.registry_data import parquet_files, registry_frames
    from core.loader import load_cohort

    cohort = load_cohort(parquet_files(registry_frames(400, seed=3))).cohort
    try:
        panel = safety(cohort)
        first, total = panel.first_events(limit, types)
        assert "events" not in panel.__dict__  # the other events were not read
        rows = panel.events[panel.events["type"].isin(types)]
        assert total == len(rows) and len(first) == min(limit, total)
        keys = ["month", "patient_id", "type", "description"]
        assert first[keys].values.tolist() == rows.iloc[:limit][keys].values.tolist()
        assert list(first.columns) == list(panel.events.columns)
        assert panel.first_events(limit, types)[1] == total  # taken from events once read
    finally:
        cohort.close()


def test_follow_up_is_derived_once_per_cohort_and_joined_to_each_subgroup():
    """Each patient's follow-up and infection flags do not depend on the subgroup: the
    visits and events are summed up once (``patient_followup_table``), and a new
    subgroup reads its patients' rows, with the same numbers."""
    cohort = cohort_from_frames({"patients": PATIENTS, "visits": VISITS, "events": EVENTS})
    recording = RecordingConnection(cohort.con)
    cohort.con = recording
    women = safety(cohort, parse_filters(["sex=F"]))
    everyone = safety(cohort)
    passes = [sql for sql in recording.statements if "FROM _events GROUP BY" in sql]
    assert len(passes) == 1 and passes[0].startswith("CREATE OR REPLACE TABLE")
    assert (women.N, women.patient_months, women.infection_events) == (3, 6 + 8 + 0, 3)  # A, B, D
    assert (everyone.N, everyone.patient_months, everyone.infection_events) == (4, 6 + 8 + 3 + 0, 3)
    assert list(everyone.swimmer["end"]) == [6.0, 8.0, 3.0, 0.0]
