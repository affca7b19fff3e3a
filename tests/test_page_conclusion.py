"""Conclusion page, run headless with Streamlit's AppTest on the demo cohort."""
from __future__ import annotations

from core.i18n import NNBSP, t
from core.poster import load_poster
from ui.markdown import escape_markdown

_PAGE = "pages/conclusion.py"


def _text(app) -> str:
    return "\n".join(e.value for kind in ("markdown", "subheader", "caption", "text") for e in app.get(kind))


def test_demo_runs_without_exception(open_page):
    assert not open_page(_PAGE).exception


def test_demo_shows_the_study_title_labelled_as_the_demo_posters(app, open_page):
    open_page(_PAGE)
    assert app.subheader[0].value == escape_markdown(load_poster("en")["title"])
    assert t("conclusion.ui.demo_label", "en") in _text(app)


def test_demo_findings_quote_the_posters_numbers(open_page):
    text = _text(open_page(_PAGE))
    assert "(n = 17)" in text
    assert "Marked and rapid efficacy in cutaneous involvement" in text
    assert "Satisfactory tolerability profile: infection in 9/23 (39.1%) of patients" in text


def test_demo_shows_the_posters_perspectives(open_page):
    assert load_poster("en")["perspectives"][0] in _text(open_page(_PAGE))


def test_sex_filter_changes_the_analysed_population(app, open_page):
    open_page(_PAGE)
    assert "Patients analysed (efficacy): N = 22;" in _text(app)
    sex = next(w for w in app.sidebar.multiselect if w.label == t("filters.sex", "en"))
    sex.set_value(["M"]).run()
    assert not app.exception
    assert "Patients analysed (efficacy): N = 22;" not in _text(app)
    assert "Patients analysed (efficacy): N = 1;" in _text(app)


def test_french_labels_and_decimal_commas(app, open_page):
    text = _text(open_page(_PAGE, "fr"))
    assert not app.exception
    assert app.subheader[0].value == escape_markdown(load_poster("fr")["title"])
    assert "Population souvent multi réfractaire sur le plan thérapeutique (n = 17)" in text
    assert f"9/23 (39,1{NNBSP}%)" in text


# Two patients, no visits and no events table.
_CSV = b"patient_id,sex,age\nP1,F,40\nP2,M,50\n"


def test_upload_gets_a_generic_title_and_no_demo_perspectives(app, upload_page):
    text = _text(upload_page([("cohort.csv", _CSV)], _PAGE))
    assert not app.exception
    assert app.subheader[0].value == t("conclusion.ui.generic_title", "en")
    assert load_poster("en")["title"] not in text and load_poster("en")["perspectives"][0] not in text


def test_upload_without_follow_up_says_no_data_per_domain(app, upload_page):
    text = _text(upload_page([("cohort.csv", _CSV)], _PAGE))
    assert "Cutaneous response: no data." in text and "Corticosteroids: no data." in text


def test_links_to_the_pages_the_findings_come_from(app, open_page):
    open_page(_PAGE)
    assert [link.label for link in app.get("page_link")] == [
        "Details: Cohort", "Details: Response", "Details: Corticosteroids", "Details: Safety"]


def test_the_page_shows_the_poster_texts_the_poster_page_has(app, open_page):
    # Edited on the Poster page, the title and perspectives stayed the demo's here (the
    # page's downloads carried the edits).
    open_page("pages/poster.py")
    app.text_area(key="poster_edit_en_title").input("Anifrolumab *at* [CHU]").run()
    app.text_area(key="poster_edit_en_perspectives").input("Extend to 50 patients").run()
    app.switch_page(_PAGE).run()
    assert not app.exception
    # As written: not read as Markdown.
    assert app.subheader[0].value == escape_markdown("Anifrolumab *at* [CHU]")
    assert "• Extend to 50 patients" in _text(app)
    assert load_poster("en")["perspectives"][0] not in _text(app)


def test_the_page_writes_an_uploaded_files_shared_centres_and_period(app, open_page):
    # A poster-texts file with the shared centre list and period table (as data/poster.toml
    # has them) made the page fail: it joined the period's table as text.
    open_page("pages/poster.py")
    toml = (b'schema = "poster-metadata/1"\ncentres = ["CHU A", "CH B"]\nperiod = { start = 2022, end = 2025 }\n'
            b'[en]\ntitle = "My study"\n')
    app.file_uploader(key="poster_meta_upload").set_value([("poster.toml", toml, "application/toml")]).run()
    app.switch_page(_PAGE).run()
    assert not app.exception
    assert app.subheader[0].value == "My study"
    assert "CHU A, CH B · 2022–2025" in _text(app)
