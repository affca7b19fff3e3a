"""Safety page, run headless with Streamlit's AppTest on the demo cohort."""
from __future__ import annotations

import json

from core.i18n import NNBSP, t
from tests.helpers import title_text

_PAGE = "pages/safety.py"


def _texts(app) -> list[str]:
    # Bold markers dropped: the population line is written in bold.
    return [e.value.strip("*") for kind in ("markdown", "subheader", "caption") for e in app.get(kind)]


def _metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def _specs(app) -> list[dict]:
    return [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]


def test_demo_runs_without_exception(open_page):
    assert not open_page(_PAGE).exception


def test_demo_shows_the_posters_safety_line(app, open_page):
    open_page(_PAGE)
    assert "Infectious risk: 39.1% of patients / no severe infection / no VZV infection" in _texts(app)


def test_demo_tiles_show_percentages_with_wilson_intervals(app, open_page):
    open_page(_PAGE)
    assert _metrics(app)["Patients with an infection"] == "39.1%"
    assert "9/23 · 95% CI 22.2 to 59.2 (Wilson)" in _texts(app)


def test_demo_shows_exposure_and_infection_rate(app, open_page):
    open_page(_PAGE)
    metrics = _metrics(app)
    assert (metrics["Follow-up (patient-months)"], metrics["Infections per 100 patient-years"]) == ("108.0", "111.1")


def test_demo_visceral_events_are_p3_and_p10(app, open_page):
    open_page(_PAGE)
    visceral = app.dataframe[0].value
    assert list(zip(visceral["Patient"], visceral["Month"], visceral["Description"])) == [
        ("P3", "2", "GN IV + V"), ("P10", "3", "Péricardite")]


def test_withheld_visceral_events_are_not_said_to_be_none(app, open_page):
    # Under small-cell suppression the demo's two visceral events are withheld: the
    # page says so, and never that there is no visceral event.
    from core.display.suppressed import withheld_note

    open_page(_PAGE)
    app.text_input(key="setting_min_cell").input("5").run()
    texts = _texts(app)
    assert t("safety.no_visceral", "en") not in texts
    assert withheld_note("en") in texts
    # The charts (events by type: counts, not patients) say why they are withheld.
    from core.display.suppressed import chart_withheld_note

    assert not app.get("vega_lite_chart")
    assert chart_withheld_note("en") in [c.value for c in app.caption]


def test_demo_swimmer_plot_has_a_bar_per_treated_patient(app, open_page):
    open_page(_PAGE)
    swimmer = next(s for s in _specs(app)
                   if "layer" in s and len(s["layer"]) == 2 and "Follow-up" in title_text(s["title"]))
    assert title_text(swimmer["title"]) == "Follow-up and events (n = 23 patients, 12 events)"


def test_sex_filter_changes_the_safety_population(app, open_page):
    open_page(_PAGE)
    assert "Safety population (treated patients): N = 23." in _texts(app)
    sex = next(w for w in app.sidebar.multiselect if w.label == t("filters.sex", "en"))
    sex.set_value(["F"]).run()
    assert not app.exception
    assert "Safety population (treated patients): N = 23." not in _texts(app)
    assert any(s.startswith("Safety population (treated patients): N = 2") for s in _texts(app))


def test_french_labels_and_decimal_commas(app, open_page):
    open_page(_PAGE, "fr")
    assert not app.exception
    assert app.title[0].value == t("nav.safety", "fr")
    assert f"Risque infectieux\u202f: 39,1{NNBSP}% des patients / aucune infection sévère / aucune infection à VZV" in _texts(app)
    assert _metrics(app)["Infections pour 100 patients-années"] == "111,1"
    assert "Atteinte viscérale" in set(app.dataframe[1].value["Type"])


# Two patients, no visits and no events table.
_CSV = b"patient_id,sex,age\nP1,F,40\nP2,M,50\n"


def test_upload_without_events_table_says_events_cannot_be_counted(app, upload_page):
    upload_page([("cohort.csv", _CSV)], _PAGE)
    assert not app.exception
    assert [i.value for i in app.info] == [t("safety.no_events_table", "en")]
    assert "Infections per 100 patient-years" not in _metrics(app)
