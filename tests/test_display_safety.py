"""The Safety page's headline, tile captions and events table (core.display.safety)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.display.safety import events_table, safety_headline, tile_caption
from core.i18n import NNBSP
from core.stats import estimate_proportion
from tests.helpers import safety_events

EVENTS = safety_events()


def _safety(N: int, infection: int, severe: int, vzv: int) -> SimpleNamespace:
    return SimpleNamespace(N=N, infection=estimate_proportion(infection, N),
                           severe_infection=estimate_proportion(severe, N), vzv=estimate_proportion(vzv, N))


@pytest.mark.parametrize(
    "counts, lang, line",
    [((23, 9, 0, 0), "en", "Infectious risk: 39.1% of patients / no severe infection / no VZV infection"),
     ((23, 9, 0, 0), "fr",
      f"Risque infectieux\u202f: 39,1{NNBSP}% des patients / aucune infection sévère / aucune infection à VZV"),
     ((4, 2, 1, 1), "en",
      "Infectious risk: 50.0% of patients / severe infection in 1/4 (25.0%) / VZV infection in 1/4 (25.0%)"),
     ((0, 0, 0, 0), "en", "No treated patient in this subgroup.")],
)
def test_headline_is_the_posters_line(counts, lang, line):
    assert safety_headline(_safety(*counts), lang) == line


@pytest.mark.parametrize(
    "counts, lang, line",
    [((23, 9, 0, 0), "en", "Infectious risk: 9 (total masked) of patients / no severe infection / no VZV infection"),
     ((23, 9, 0, 0), "fr",
      "Risque infectieux\u202f: 9 (effectif total masqué) des patients / aucune infection sévère / aucune infection à VZV"),
     ((40, 9, 6, 2), "en",
      "Infectious risk: 9 (total masked) of patients / severe infection in 6 (total masked) / VZV infection in < 5"),
     # Fewer than k treated: their zero is masked as the tiles mask it (rule 2), not said.
     ((4, 2, 1, 0), "en", "Infectious risk: < 5 of patients / severe infection in < 5 / VZV infection in < 5")],
)
def test_headline_under_a_hidden_treated_count_reads_as_a_sentence(counts, lang, line):
    # The treated count is hidden (rule 6): every percentage would give it back.
    assert safety_headline(_safety(*counts), lang, k=5, hide_N=True) == line


@pytest.mark.parametrize(
    "n, N, lang, text",
    [(9, 23, "en", "9/23 · 95% CI 22.2 to 59.2 (Wilson)"),
     (0, 23, "fr", f"0/23 · IC 95{NNBSP}% 0,0 à 14,3 (Wilson)"),
     (0, 0, "en", "0/0")],
)
def test_tile_caption(n, N, lang, text):
    assert tile_caption(estimate_proportion(n, N), lang) == text


def test_events_table_translates_type_and_writes_months_per_locale():
    table = events_table(EVENTS, "fr")
    assert list(table.columns) == ["Patient", "Mois", "Type", "Description", "Sévère", "VZV"]
    assert list(zip(table["Mois"], table["Type"])) == [("1", "Infection"), ("3", "Atteinte viscérale"),
                                                       ("1,5", "Autre")]


def test_events_table_keeps_descriptions_as_typed_and_unknown_flags_as_dash():
    table = events_table(EVENTS, "en")
    assert list(table["Description"]) == ["Bronchite", "Péricardite", ""]
    assert list(table["Severe"]) == ["Yes", "—", "—"]


def test_events_table_of_one_type():
    assert list(events_table(EVENTS, "en", ("visceral",))["Patient"]) == ["P10"]


def test_a_poster_lists_the_first_visceral_events_and_says_how_many_there_are():
    import pandas as pd

    from core.display.safety import visceral_listed

    events = pd.DataFrame({"patient_id": [f"P{k}" for k in range(1500)], "month": [3.0] * 1500,
                           "description": ["Pericarditis"] * 1500})
    few = events.iloc[:4]
    assert visceral_listed(few, "en", limit=4) == (few, "")
    listed, note = visceral_listed(events, "en", limit=4)
    assert list(listed["patient_id"]) == ["P0", "P1", "P2", "P3"]
    assert note == "1,500 visceral events: the first 4 by month are listed; the events table lists every one."
    assert visceral_listed(events, "fr", limit=4)[1].startswith(f"1{NNBSP}500 événements viscéraux\u202f: les 4 premiers")


def test_the_page_lists_the_first_events_of_a_type_and_says_how_many_there_are():
    import pandas as pd

    from core.display.safety import listed_events
    from core.safety import Safety

    n = 1200
    events = pd.DataFrame({"patient_id": [f"P{k}" for k in range(n)], "month": [3.0] * n,
                           "type": ["infection", "visceral"] * (n // 2), "description": ["x"] * n,
                           "severe": [False] * n, "vzv": [False] * n})
    result = Safety(0, *[estimate_proportion(0, 0)] * 3, 0, 0.0, None, pd.DataFrame(), pd.DataFrame(), (),
                    fetch_events=lambda ids=None: events)
    table, note = listed_events(result, "en", limit=1000)
    assert len(table) == 1000 and list(table["Patient"][:2]) == ["P0", "P1"]
    assert note == ("1,200 events: the first 1,000 by month are listed here; the tables download "
                    "(tables.xlsx, on the Poster and Conclusion pages) lists them all.")
    visceral, note = listed_events(result, "fr", ("visceral",), limit=1000)
    assert len(visceral) == 600 and note == ""  # every one of that type is listed
    assert listed_events(result, "fr", limit=4)[1].startswith(f"1{NNBSP}200 événements\u202f: les 4 premiers")
    assert listed_events(result, "en")[0].equals(events_table(events.iloc[:1000], "en"))
