"""The cohort-summary/1 document on the demo cohort: every poster number, both layouts."""
from __future__ import annotations

import json
from functools import reduce

import pandas as pd
import pytest

from core.cohort import cohort_from_frames
from core.demo import load_demo
from core.summary import SCHEMA, build_summary
from tests.helpers import STATUS_CHANGE, STATUS_VISITS, small_cohort


@pytest.fixture(scope="module")
def demo_cohort():
    return load_demo("fr").cohort


@pytest.fixture(scope="module")
def summary(demo_cohort):
    return build_summary(demo_cohort)


def _at(document: dict, path: str):
    return reduce(lambda node, key: node[key], path.split("."), document)


POSTER_NUMBERS = [
    ("populations.treated", 23),
    ("populations.analysed", 22),
    ("populations.excluded", [{"patient_id": "P23", "reason": "ACR/EULAR 2019 criteria not met"}]),
    ("followup.M0", 22),
    ("followup.M3", 19),
    ("followup.M6", 16),
    ("baseline.female", {"n": 21, "N": 22, "pct": 95.5}),
    ("baseline.age", {"N": 22, "mean": 45.0, "sd": 10.4}),
    ("baseline.disease_duration_years", {"N": 22, "median": 13.5, "q1": 6.8, "q3": 21.0}),
    ("baseline.cutaneous", {"n": 19, "N": 21, "pct": 90.5}),
    ("baseline.articular", {"n": 12, "N": 21, "pct": 57.1}),
    ("baseline.ifn_positive", {"n": 21, "N": 21, "pct": 100.0}),
    ("baseline.first_line", {"n": 1, "N": 22, "pct": 4.5}),
    ("baseline.prior_lines_2plus", {"n": 17, "N": 22, "pct": 77.3}),
    ("baseline.prior_lines_4plus", {"n": 9, "N": 22, "pct": 40.9}),
    ("baseline.corticosteroids", {"n": 16, "N": 22, "pct": 72.7}),
    ("baseline.cs_dose_mg", {"N": 16, "median": 7.3, "q1": 5.0, "q3": 10.0}),
    ("baseline.hcq", {"n": 15, "N": 22, "pct": 68.2}),
    ("ifn_shift_M6", {"down": 15, "up": 1, "stable": 0, "unknown": 6}),
    ("anti_dsdna.elevated_M0", {"n": 14, "N": 19, "pct": 73.7}),
    ("anti_dsdna.shift_M6", {"down": 6, "up": 3, "stable": 5, "unknown": 0}),
    ("complement.activated_M0", 3),
    ("complement.normalised_M6", 3),
    ("status_change.complement.M6", {"paired": 16, "positive_M0": 3, "resolved": {"n": 3, "N": 3},
                                     "appeared": {"n": 0, "N": 13}}),
    ("discordant_responses", [{"patient_id": "P7", "domain": "cutaneous", "month": 3, "recorded": "PR",
                               "scored": "CR"}]),
    ("steroids.M0", {"on_cs": {"n": 16, "N": 22, "pct": 72.7}, "N": 16, "median": 7.3, "q1": 5.0, "q3": 10.0}),
    ("safety.N", 23),
    ("safety.infection", {"n": 9, "N": 23, "pct": 39.1}),
    ("safety.severe_infection", {"n": 0, "N": 23, "pct": 0.0}),
    ("safety.vzv", {"n": 0, "N": 23, "pct": 0.0}),
    ("safety.visceral_events", [{"patient_id": "P3", "month": 2, "description": "GN IV + V"},
                                {"patient_id": "P10", "month": 3, "description": "Péricardite"}]),
]


@pytest.mark.parametrize(("path", "expected"), POSTER_NUMBERS, ids=[p for p, _ in POSTER_NUMBERS])
def test_demo_reproduces_poster_number(summary, path, expected):
    assert _at(summary, path) == expected


@pytest.mark.parametrize("domain", ["cutaneous", "articular"])
@pytest.mark.parametrize("month", ["M3", "M6"])
def test_response_n_is_the_sum_of_its_categories(summary, domain, month):
    counts = summary["response"][domain][month]
    assert counts["N"] == counts["CR"] + counts["PR"] + counts["NR"] > 0


def test_cutaneous_response_is_quicker_than_articular(summary):
    # The poster's conclusion: marked and rapid cutaneous efficacy, more modest articular.
    cut, art = summary["response"]["cutaneous"]["M3"], summary["response"]["articular"]["M3"]
    assert (cut["CR"] + cut["PR"]) / cut["N"] > (art["CR"] + art["PR"]) / art["N"]


@pytest.mark.parametrize("month", ["M3", "M6"])
def test_steroid_entries_have_the_summary_shape(summary, month):
    entry = summary["steroids"][month]
    assert set(entry) == {"on_cs", "N", "median", "q1", "q3"} and entry["N"] == entry["on_cs"]["n"]


def test_document_has_every_required_key(summary):
    assert {"schema", "populations", "followup", "baseline", "response", "ifn_shift_M6", "anti_dsdna",
            "complement", "status_change", "discordant_responses", "steroids", "safety"} <= set(summary)
    assert summary["schema"] == SCHEMA


def test_document_is_json_serialisable(summary):
    assert json.loads(json.dumps(summary, ensure_ascii=False)) == summary


def test_both_demo_layouts_give_the_same_document(summary):
    assert build_summary(load_demo("en").cohort) == summary


def test_row_order_of_the_demo_tables_changes_nothing(demo_cohort, summary):
    frames = {t: demo_cohort.con.table(t).df().sample(frac=1, random_state=7) for t in ("patients", "visits", "events")}
    assert build_summary(cohort_from_frames(frames)) == summary


def test_cohort_without_visits_or_events_gives_no_data_not_an_error(demo_cohort):
    patients = demo_cohort.con.table("patients").df()
    document = build_summary(cohort_from_frames({"patients": patients, "visits": None, "events": None}))
    assert (document["followup"], document["steroids"]["M0"]["on_cs"]["N"], document["safety"]["N"]) == (
        {"M0": 0, "M3": 0, "M6": 0}, 0, 23)


def test_status_change_denominators_leave_out_patients_unknown_at_either_visit():
    # Patients positive at M0 with no status at the month (IFN and anti-dsDNA at M3).
    assert build_summary(small_cohort(STATUS_VISITS))["status_change"] == STATUS_CHANGE


def test_status_change_has_every_marker_and_month_with_zeros_when_nobody_is_paired(demo_cohort):
    patients = demo_cohort.con.table("patients").df()
    document = build_summary(cohort_from_frames({"patients": patients, "visits": None, "events": None}))
    zero = {"paired": 0, "positive_M0": 0, "resolved": {"n": 0, "N": 0}, "appeared": {"n": 0, "N": 0}}
    assert document["status_change"] == {m: {"M3": zero, "M6": zero} for m in ("ifn", "anti_dsdna", "complement")}


def test_visceral_event_months_are_written_as_entered_and_missing_descriptions_as_null():
    patients = pd.DataFrame({"patient_id": ["A", "B"], "sex": "F", "age": 40.0, "cutaneous": True})
    events = pd.DataFrame({"patient_id": ["A", "B"], "month": [2.0, 2.5], "type": "visceral",
                           "description": ["GN IV + V", None]})
    document = build_summary(cohort_from_frames({"patients": patients, "visits": None, "events": events}))
    assert json.dumps(document["safety"]["visceral_events"]) == (
        '[{"patient_id": "A", "month": 2, "description": "GN IV + V"}, '
        '{"patient_id": "B", "month": 2.5, "description": null}]')
