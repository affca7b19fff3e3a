"""Safety chart builders: events by type and the swimmer plot (core.charts.safety)."""
from __future__ import annotations

import pandas as pd
import pytest

from core.charts.safety import EVENT_SHAPES, events_by_type_chart, swimmer_chart, swimmer_scope
from core.charts.theme import EVENT_COLOURS, EVENT_ORDER
from tests.helpers import safety_events, title_text

SWIMMER = pd.DataFrame({"patient_id": ["P1", "P10", "P2", "P3"], "start": 0.0, "end": [6.0, 6.0, 3.0, 0.0]})
EVENTS = safety_events()
BY_TYPE = pd.DataFrame({"type": ["infection", "visceral"], "events": [10, 2], "patients": [9, 2]})


def _layers(chart) -> tuple[dict, list[dict]]:
    """The spec and each layer with its data rows as ``values`` (a layer's own data, else the chart's)."""
    spec = chart.to_dict()
    return spec, [{**layer, "values": spec["datasets"][layer.get("data", spec.get("data"))["name"]]}
                  for layer in spec["layer"]]


def _empty_events() -> pd.DataFrame:
    return EVENTS.iloc[0:0]


def test_events_by_type_shows_every_type_with_zero_for_absent_ones():
    _, layers = _layers(events_by_type_chart(BY_TYPE, "en", 23))
    assert [(r["type"], r["events"], r["patients"]) for r in layers[0]["values"]] == [
        ("infection", 10, 9), ("visceral", 2, 2), ("other", 0, 0)]


def test_events_by_type_colours_are_fixed_per_type():
    _, layers = _layers(events_by_type_chart(BY_TYPE, "en", 23))
    scale = layers[0]["encoding"]["color"]["scale"]
    assert scale == {"domain": ["Infection", "Visceral involvement", "Other"],
                     "range": [EVENT_COLOURS[k] for k in EVENT_ORDER]}


def test_events_by_type_title_carries_n_in_french():
    spec, _ = _layers(events_by_type_chart(BY_TYPE, "fr", 23))
    assert title_text(spec["title"]) == "Événements par type (N = 23 patients traités)"


def test_events_by_type_works_on_empty_input():
    _, layers = _layers(events_by_type_chart(BY_TYPE.iloc[0:0], "en", 0))
    assert [r["events"] for r in layers[0]["values"]] == [0, 0, 0]


def test_swimmer_has_one_bar_per_patient_longest_follow_up_first_in_natural_order():
    _, (bars, _) = _layers(swimmer_chart(SWIMMER, EVENTS, "en"))
    assert [(r["patient_id"], r["end"]) for r in bars["values"]] == [("P1", 6.0), ("P10", 6.0), ("P2", 3.0),
                                                                     ("P3", 0.0)]


def test_swimmer_marks_events_at_their_month_with_type_and_description():
    _, (_, marks) = _layers(swimmer_chart(SWIMMER, EVENTS, "en"))
    assert [(r["patient_id"], r["month"], r["label"], r["description"]) for r in marks["values"]] == [
        ("P2", 1.0, "Infection", "Bronchite"), ("P10", 3.0, "Visceral involvement", "Péricardite"),
        ("P3", 1.5, "Other", "")]


def test_swimmer_colour_and_shape_are_fixed_per_type():
    _, (_, marks) = _layers(swimmer_chart(SWIMMER, EVENTS, "en"))
    encoding = marks["encoding"]
    assert encoding["color"]["scale"]["range"] == [EVENT_COLOURS[k] for k in EVENT_ORDER]
    assert encoding["shape"]["scale"]["range"] == [EVENT_SHAPES[k] for k in EVENT_ORDER]


def test_swimmer_tooltip_says_severe_yes_no_or_unknown_in_french():
    _, (_, marks) = _layers(swimmer_chart(SWIMMER, EVENTS, "fr"))
    assert [(r["severe"], r["vzv"]) for r in marks["values"]] == [("Oui", "Non"), ("—", "—"), ("—", "—")]
    assert {t["title"] for t in marks["encoding"]["tooltip"]} >= {"Description", "Sévère", "Mois"}


def test_swimmer_title_and_axis_in_french():
    spec, (bars, _) = _layers(swimmer_chart(SWIMMER, EVENTS, "fr"))
    assert title_text(spec["title"]) == "Suivi et événements (n = 4 patients, 3 événements)"
    assert bars["encoding"]["x"]["title"] == "Mois depuis la première dose"


@pytest.mark.parametrize(("lang", "title"), [("en", "Follow-up and events (n = 1 patient, 1 event)"),
                                             ("fr", "Suivi et événements (n = 1 patient, 1 événement)")])
def test_swimmer_title_takes_the_singular_for_one_patient_and_event(lang, title):
    one = EVENTS[EVENTS["patient_id"] == "P2"]
    spec, _ = _layers(swimmer_chart(SWIMMER[SWIMMER["patient_id"] == "P2"], one, lang))
    assert (len(one), title_text(spec["title"])) == (1, title)


def test_swimmer_works_on_empty_input():
    _, (bars, marks) = _layers(swimmer_chart(SWIMMER.iloc[0:0], _empty_events(), "en"))
    assert (bars["values"], marks["values"]) == ([], [])


def test_swimmer_over_the_limit_keeps_only_patients_with_events():
    _, (bars, _) = _layers(swimmer_chart(SWIMMER, EVENTS, "en", limit=3))
    assert [r["patient_id"] for r in bars["values"]] == ["P10", "P2", "P3"]


def test_swimmer_caps_patients_with_events_at_the_limit_by_patient_id():
    _, (bars, marks) = _layers(swimmer_chart(SWIMMER, EVENTS, "en", limit=2))
    assert sorted(r["patient_id"] for r in bars["values"]) == ["P2", "P3"]
    assert {r["patient_id"] for r in marks["values"]} == {"P2", "P3"}


@pytest.mark.parametrize(
    "limit, mode, shown",
    [(4, "all", 4), (3, "with_events", 3), (2, "first_with_events", 2)],
)
def test_swimmer_scope_at_the_limit(limit, mode, shown):
    scope = swimmer_scope(SWIMMER, EVENTS, limit)
    assert (scope.mode, scope.shown, scope.total, scope.with_events) == (mode, shown, 4, 3)


def test_swimmer_axis_spans_follow_up_and_events_and_at_least_a_month():
    _, (bars, _) = _layers(swimmer_chart(SWIMMER, EVENTS, "en"))
    no_follow_up = SWIMMER.assign(end=0.0)
    _, (flat, _) = _layers(swimmer_chart(no_follow_up, _empty_events(), "en"))
    assert (bars["encoding"]["x"]["scale"]["domain"], flat["encoding"]["x"]["scale"]["domain"]) == ([0, 6.0], [0, 1.0])


@pytest.mark.parametrize(("treated", "lang", "title"), [(1, "en", "Events by type (N = 1 treated patient)"),
                                                        (1, "fr", "Événements par type (N = 1 patient traité)"),
                                                        (23, "en", "Events by type (N = 23 treated patients)")])
def test_events_by_type_title_takes_the_number_of_its_count(treated, lang, title):
    spec = events_by_type_chart(BY_TYPE, lang, treated).to_dict()
    assert title_text(spec["title"]) == title
