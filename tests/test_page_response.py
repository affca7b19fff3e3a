"""Response page (pages/response.py) on the demo cohort, run headless with AppTest."""
from __future__ import annotations

import json

from core.i18n import t
from tests.helpers import title_text

_PAGE = "pages/response.py"
_DEMO_CENTRE = "flt_demo_centre"


def _counts(app):
    return app.dataframe[0].value


def test_demo_response_page_runs_without_exception(app, open_page):
    open_page(_PAGE)
    assert not app.exception


def test_counts_table_shows_the_poster_response_numbers(open_page):
    table = _counts(open_page(_PAGE)).set_index(["Involvement", "Visit"])
    assert table.loc[("Cutaneous", "M3"), "CR"] == "8/17 (47.1%)"
    assert table.loc[("Cutaneous", "M6"), "CR+PR (95% CI)"] == "13/14 (92.9%) 95% CI 68.5 to 98.7"
    assert table.loc[("Articular", "M3"), "NR"] == "5/10 (50.0%)"
    assert table.loc[("Articular", "M6"), "N"] == 9


def test_page_draws_bars_transitions_and_patient_grid(open_page):
    charts = [json.loads(c.proto.spec) for c in open_page(_PAGE).get("vega_lite_chart")]
    assert len(charts) == 4
    assert [title_text(chart["title"]) for chart in charts[:2]] == ["Cutaneous", "Articular"]
    assert title_text(charts[2]["title"]) == t("response.transitions_title", "en")
    assert title_text(charts[3]["title"]) == t("response.grid_title", "en")


def test_recorded_versus_scored_disagreement_is_listed(open_page):
    table = open_page(_PAGE).dataframe[-1].value
    assert table.values.tolist() == [["P7", "Cutaneous", "M3", "PR", "CR"]]


def test_changing_the_centre_filter_changes_n(app, open_page):
    open_page(_PAGE)
    app.multiselect(key=_DEMO_CENTRE).set_value(["CHU Lille"]).run()
    assert not app.exception
    assert _counts(app)["N"].tolist() == [10, 7, 8, 7]  # cutaneous M3, M6, articular M3, M6


def test_french_page_has_french_labels_and_decimal_commas(app, open_page):
    open_page(_PAGE, "fr")
    assert not app.exception
    assert app.title[0].value == t("nav.response", "fr")
    table = _counts(app).set_index(["Atteinte", "Visite"])
    assert table.loc[("Cutanée", "M3"), "RC"] == "8/17 (47,1\u202f%)"
    assert table.loc[("Cutanée", "M3"), "RC+RP (IC 95\u202f%)"] == "15/17 (88,2\u202f%) IC 95\u202f% 65,7 à 96,7"
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["RC", "RP", "NR"]


def test_disagreements_table_has_a_count_line(open_page):
    assert "1 patient" in [c.value for c in open_page(_PAGE).caption]
