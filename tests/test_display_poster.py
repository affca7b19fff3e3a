"""The poster's texts (core.display.poster): metadata blocks and the panels' numbers."""
from __future__ import annotations

import pandas as pd
import pytest

from core.analysis import baseline, biology, response, safety, steroids
from core.conclusion import conclusion
from core.demo import load_demo
from core.display.poster import (PANELS, PosterResults, abbreviations_line, centres_line, counter, definition_lines,
                                 definitions, poster_text, subgroup_line, visceral_lines)
from core.filters import Filter
from core.i18n import NNBSP
from core.poster import load_poster


@pytest.fixture(scope="module")
def demo_results() -> PosterResults:
    cohort = load_demo().cohort
    return PosterResults(baseline(cohort), response(cohort), biology(cohort), steroids(cohort), safety(cohort),
                         conclusion(cohort))


def test_demo_poster_quotes_the_seed_posters_numbers(demo_results):
    text = poster_text(load_poster("fr"), demo_results, "fr")
    tiles = {tile.label: (tile.value, tile.detail) for tile in text.tiles}
    assert tiles["Femmes"] == (f"95,5{NNBSP}%", "21/22")
    assert tiles["Patients"][0] == "22"
    assert text.safety == f"Risque infectieux\u202f: 39,1{NNBSP}% des patients / aucune infection sévère / aucune infection à VZV"
    assert text.visceral == ("P3\u202f: GN IV + V / M2", "P10\u202f: Péricardite / M3")
    ifn = text.markers[0]
    assert dict(ifn.months)["M6"] == ("↓ 15/16", "↑ 1/16", "(?) 6 patients")


def test_steroid_columns_follow_the_months_with_stops_after_m0(demo_results):
    columns = poster_text(load_poster("en"), demo_results, "en").steroids
    assert [c.month for c in columns] == ["M0", "M3", "M6"]
    assert [len(c.tiles) for c in columns] == [2, 3, 3]
    assert columns[0].tiles[1].value == "7.3 (5.0; 10.0)"


def test_empty_metadata_gives_an_untitled_poster_with_the_numbers(demo_results):
    text = poster_text({}, demo_results, "en")
    assert text.title.startswith("Untitled poster")
    assert (text.intro, text.conclusion, text.definitions, text.abbreviations) == ((), (), (), "")
    assert len(text.findings) == 5


def test_response_lines_give_cr_plus_pr_per_domain_and_month(demo_results):
    text = poster_text({}, demo_results, "en")
    assert text.response == (("cutaneous", "Cutaneous, CR+PR: M3 15/17 (88.2%) · M6 13/14 (92.9%)"),
                             ("articular", "Articular, CR+PR: M3 5/10 (50.0%) · M6 6/9 (66.7%)"))


@pytest.mark.parametrize(("meta", "expected"), [
    ({"centres": "Two hospitals", "period": "2022–2025"}, "Two hospitals · 2022–2025"),
    ({"centre_names": ["A", "B"], "period": {"start": 2020, "end": 2021}}, "A, B · 2020–2021"),
    ({"period": {"start": 2020}}, "2020"),
    ({}, ""),
])
def test_centres_line_reads_a_sentence_names_or_a_period_table(meta, expected):
    assert centres_line(meta) == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", "LS\u202f: Lupus systémique, GN"), ("en", "LS: Lupus systémique, GN"),
])
def test_abbreviations_are_one_line_in_the_locales_punctuation(lang, expected):
    assert abbreviations_line([{"abbr": "LS", "meaning": "Lupus systémique"}, {"abbr": "GN"}], lang) == expected


def test_definitions_keep_the_metadatas_domain_and_level_names():
    defs = definitions({"domains": {"cutaneous": "Cutané"}, "levels": {"complete": "Complète"},
                        "cutaneous": {"complete": "A", "partial": "B"}}, "fr")
    assert [(d.domain, d.levels) for d in defs] == [("Cutané", (("Complète", "A"), ("Partielle", "B")))]


@pytest.mark.parametrize(("sex", "lang", "expected"), [
    ("M", "en", "1 patient analysed"), ("M", "fr", "1 patient analysé"), ("F", "en", "21 patients analysed"),
])
def test_the_analysed_count_says_patient_for_one(sex, lang, expected):
    cohort = load_demo().cohort
    flt = Filter(sex=(sex,))
    results = PosterResults(baseline(cohort, flt), response(cohort, flt), biology(cohort, flt), steroids(cohort, flt),
                            safety(cohort, flt), conclusion(cohort, flt))
    assert poster_text(load_poster(lang), results, lang).analysed == expected


@pytest.mark.parametrize(("lang", "expected"), [("fr", "Complète\u202f: A"), ("en", "Complète: A")])
def test_definition_lines_use_the_locales_punctuation(lang, expected):
    (definition,) = definitions({"levels": {"complete": "Complète"}, "cutaneous": {"complete": "A"}}, lang)
    assert definition_lines(definition, lang) == (expected,)


def test_visceral_lines_write_patient_description_and_month():
    from tests.helpers import safety_events

    class _Safety:
        visceral_events = safety_events().query("type == 'visceral'")

    assert visceral_lines(_Safety(), "fr") == ("P10\u202f: Péricardite / M3",)
    events = pd.DataFrame({"patient_id": ["X"], "month": [1.5], "description": [None]})
    _Safety.visceral_events = events
    assert visceral_lines(_Safety(), "en") == ("X: no description / M1.5",)


def test_a_registry_s_visceral_events_are_not_each_a_line_of_the_poster():
    from core.display.safety import VISCERAL_LISTED

    class _Safety:
        visceral_events = pd.DataFrame({"patient_id": [f"P{k}" for k in range(2500)], "month": [2.0] * 2500,
                                        "description": ["GN"] * 2500})

    lines = visceral_lines(_Safety(), "en")
    assert lines[:2] == ("P0: GN / M2", "P1: GN / M2") and len(lines) == VISCERAL_LISTED + 1
    assert lines[-1].startswith(f"2,500 visceral events: the first {VISCERAL_LISTED} by month are listed")


def test_subgroup_line_names_the_filter_or_everyone():
    assert subgroup_line(Filter(), "en") == "All analysed patients"
    assert subgroup_line(Filter(sex=("F",)), "fr") == f"Sous-groupe\u202f: Sexe{NNBSP}: Femme"


def test_counter_counts_the_panels_from_one():
    assert counter(0, "en") == f"1 / {len(PANELS)}"
    assert counter(len(PANELS) - 1, "fr") == f"{len(PANELS)} / {len(PANELS)}"
