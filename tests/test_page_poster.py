"""The Poster page and its presentation mode on the demo cohort, run headless with AppTest."""
from __future__ import annotations

import pytest

from core.display.poster import PANELS
from core.i18n import NNBSP, t
from core.poster import load_poster
from tests.helpers import as_read, small_cohort_files

_PAGE = "pages/poster.py"
_SEX = "flt_demo_sex"  # the demo cohort's digest is "demo"
_META = "poster_meta_upload"


def _texts(app) -> str:
    """Every plain text and Markdown element of the run, one per line."""
    return "\n".join([*(x.value for x in app.text), *(m.value for m in app.markdown)])


def _plain_texts(app) -> list[str]:
    """The ``st.text`` elements: where the page writes user text."""
    return [x.value for x in app.text]


def _metric(app, label: str):
    return next(m for m in app.metric if as_read(m.label) == label)


def _counter(app) -> str:
    """The presentation counter (``3 / 8``)."""
    return next(x.value for x in app.text if x.value.endswith(f" / {len(PANELS)}"))


def _upload_meta(app, data: bytes, name: str = "poster.toml"):
    app.file_uploader(key=_META).set_value([(name, data, "application/toml")])
    return app.run()


def test_demo_runs_without_exception(open_page):
    app = open_page(_PAGE)
    assert not app.exception
    assert app.main.title[0].value == t("nav.poster", "en")


def test_poster_shows_the_seed_posters_m0_numbers(open_page):
    app = open_page(_PAGE)
    women = _metric(app, t("cohort.tile.female", "en"))
    assert (women.value, as_read(women.delta)) == ("95.5%", "21/22")
    assert _metric(app, t("cohort.tile.n", "en")).value == "22"
    assert _metric(app, t("cohort.tile.lines_4plus", "en")).value == "40.9%"
    assert "All analysed patients · 22 patients analysed" in _texts(app)


def test_french_response_definitions_have_a_space_before_the_colon(open_page):
    text = _texts(open_page(_PAGE, lang="fr"))
    assert "• Complète\u202f: Disparition des lésions cutanées actives antérieures" in text
    assert "Complète:" not in text


def test_poster_shows_every_results_panel(open_page):
    text = _texts(open_page(_PAGE))
    assert "Cutaneous, CR+PR: M3 15/17 (88.2%) · M6 13/14 (92.9%)" in text
    assert "**M6**  \n↓ 15/16  \n↑ 1/16  \n(?) 6 patients" in text
    assert "Elevated at M0: 14/19 (73.7%)" in text
    assert "Infectious risk: 39.1% of patients / no severe infection / no VZV infection" in text
    assert "P3: GN IV + V / M2\nP10: Péricardite / M3" in text
    assert "10/16 (62.5%)" in [as_read(m.value) for m in open_page(_PAGE).metric]


def test_poster_shows_the_demo_studys_text_blocks(open_page):
    text = _texts(open_page(_PAGE))
    poster = load_poster("en")
    for block in (poster["title"], poster["introduction"]["bullets"][0], poster["study_design"],
                  poster["conclusion"][1], poster["perspectives"][2], "HCQ: Hydroxychloroquine"):
        assert block in text


def test_french_poster_has_french_labels_and_decimal_commas(open_page):
    app = open_page(_PAGE, lang="fr")
    text = _texts(app)
    assert app.main.title[0].value == t("nav.poster", "fr")
    assert load_poster("fr")["title"] in text
    assert _metric(app, "Femmes").value == f"95,5{NNBSP}%"
    assert _metric(app, "Dose de CT médiane (mg/j)").value == "7,3"
    assert f"Cutanée, RC+RP\u202f: M3 15/17 (88,2{NNBSP}%)" in text
    assert "P3\u202f: GN IV + V / M2" in text
    assert "Tous les patients analysés · 22 patients analysés" in text


def test_filter_changes_n_and_the_header_names_the_subgroup(open_page):
    app = open_page(_PAGE)
    app.multiselect(key=_SEX).set_value(["F"]).run()
    assert _metric(app, t("cohort.tile.n", "en")).value == "21"
    assert "Subgroup: Sex: Female · 21 patients analysed" in _texts(app)
    # A subgroup: the findings recomputed for it are shown beside the authors' text.
    assert t("poster.section.findings", "en") in _texts(app)


def test_uploaded_toml_changes_the_title_and_authors(open_page):
    app = _upload_meta(open_page(_PAGE), '[en]\ntitle = "A study of *lupus*"\nauthors = ["A. Martin", "B. Durand"]\n'
                       .encode("utf-8"))
    text = _texts(app)
    assert not app.exception and not app.error
    # Plain text, as written: the asterisks are not Markdown.
    assert "A study of *lupus*" in _plain_texts(app)
    assert "poster.toml" in _plain_texts(app)
    assert "A. Martin, B. Durand" in text
    assert load_poster("en")["title"] not in text


def test_bad_toml_gives_a_clear_error_and_keeps_the_texts(open_page):
    app = _upload_meta(open_page(_PAGE), b'[en]\ntitle = "unterminated\n')
    assert not app.exception
    assert app.error[0].value == t("poster.meta.invalid", "en")
    assert "line 2" in _texts(app)
    assert load_poster("en")["title"] in _texts(app)


def test_toml_with_an_unknown_field_names_it(open_page):
    app = _upload_meta(open_page(_PAGE), b'[en]\ntitel = "x"\ntitle = "y"\n')
    assert app.error and "'en.titel' is not a metadata field" in _texts(app)


def test_edited_title_replaces_the_files_and_survives_presentation(open_page):
    app = open_page(_PAGE)
    app.text_area(key="poster_edit_en_title").set_value("Edited title").run()
    assert "Edited title" in _plain_texts(app)
    assert load_poster("en")["title"] not in _plain_texts(app)
    app.button(key="present_start").click().run()
    app.button(key="present_leave").click().run()
    assert "Edited title" in _plain_texts(app)
    app.button(key="poster_edit_reset").click().run()
    assert load_poster("en")["title"] in _plain_texts(app)


def test_french_abbreviations_field_reads_as_its_label_asks_and_edits_back(open_page):
    app = open_page(_PAGE, lang="fr")
    field = app.text_area(key="poster_edit_fr_abbreviations")
    assert field.value.splitlines()[0] == "LS : Lupus systémique"
    field.set_value(field.value.replace("LS : Lupus systémique", "LS : Lupus érythémateux systémique")).run()
    assert not app.button(key="poster_edit_reset").disabled
    assert any(text.startswith("LS\u202f: Lupus érythémateux systémique, IFN-I\u202f: Interféron de type I")
               for text in _plain_texts(app))


def test_uploaded_cohort_does_not_borrow_the_demo_studys_texts(upload_page):
    from tests.helpers import STEROID_VISITS

    app = upload_page(small_cohort_files(STEROID_VISITS), _PAGE)
    text = _texts(app)
    assert not app.exception
    assert t("poster.untitled", "en") in text
    assert load_poster("en")["title"] not in text and load_poster("en")["perspectives"][0] not in text
    # No events table: infections are not counted, and no visceral event is claimed.
    assert t("poster.no_events", "en") in text and t("poster.no_visceral", "en") not in text
    assert app.info[0].value == t("poster.no_methods", "en")


def test_presentation_of_an_upload_names_its_data_by_digest(upload_page):
    from tests.helpers import STEROID_VISITS
    from ui.state import files_digest

    files = small_cohort_files(STEROID_VISITS)
    app = upload_page(files, _PAGE)
    app.button(key="present_start").click().run()
    for _ in PANELS[1:]:
        app.button(key="present_next").click().run()
        assert not app.exception
    assert any(x.startswith(f"Snapshot {files_digest(files)[:12]} · Subgroup: all patients · Definitions: defaults")
               for x in _plain_texts(app))


def test_presentation_walks_from_first_to_last_panel_and_back(open_page):
    app = open_page(_PAGE)
    app.button(key="present_start").click().run()
    assert _counter(app) == f"1 / {len(PANELS)}"
    assert app.button(key="present_previous").disabled
    for k in range(2, len(PANELS) + 1):
        app.button(key="present_next").click().run()
        assert not app.exception
        assert _counter(app) == f"{k} / {len(PANELS)}"
    assert app.button(key="present_next").disabled
    for k in range(len(PANELS) - 1, 0, -1):
        app.button(key="present_previous").click().run()
        assert _counter(app) == f"{k} / {len(PANELS)}"


def test_clicker_buttons_step_like_the_arrows(open_page):
    app = open_page(_PAGE)
    app.button(key="present_start").click().run()
    app.button(key="present_page_down").click().run()
    app.button(key="present_page_down").click().run()
    assert _counter(app) == f"3 / {len(PANELS)}"
    app.button(key="present_page_up").click().run()
    assert _counter(app) == f"2 / {len(PANELS)}"


@pytest.mark.parametrize(("key", "shortcut"), [
    ("present_next", "right"), ("present_previous", "left"), ("present_page_down", "pagedown"),
    ("present_page_up", "pageup"), ("present_leave", "escape"),
])
def test_presentation_buttons_carry_the_keyboard_shortcuts(open_page, key, shortcut):
    app = open_page(_PAGE)
    app.button(key="present_start").click().run()
    assert app.button(key=key).proto.shortcut == shortcut


def test_every_panel_carries_the_subgroup_and_the_stamp(open_page):
    from core.demo import demo_digest
    from core.export.stamp import make_stamp
    from core.filters import Filter

    app = open_page(_PAGE)
    app.multiselect(key=_SEX).set_value(["F"]).run()
    app.button(key="present_start").click().run()
    stamp = make_stamp((), Filter(sex=("F",)), digest=demo_digest()).line("en")
    for _ in PANELS:
        assert [x for x in _plain_texts(app) if x.startswith("Snapshot ")] == [stamp]
        assert "Subgroup: Sex: Female" in stamp
        if not app.button(key="present_next").disabled:
            app.button(key="present_next").click().run()


def test_leave_returns_to_the_poster(open_page):
    app = open_page(_PAGE)
    app.button(key="present_start").click().run()
    app.button(key="present_next").click().run()
    assert not app.main.title
    app.button(key="present_leave").click().run()
    assert app.main.title[0].value == t("nav.poster", "en")
    assert not any(x.value.endswith(f" / {len(PANELS)}") for x in app.text)
    assert app.button(key="present_start")


def test_an_idle_upload_is_forgotten_and_presentation_ends(monkeypatch, upload_page):
    import ui.state
    from tests.helpers import STEROID_VISITS

    now = [1_000.0]
    monkeypatch.setattr(ui.state, "clock", lambda: now[0])
    app = upload_page(small_cohort_files(STEROID_VISITS), _PAGE)
    app.button(key="present_start").click().run()
    now[0] += 10 * 60
    app.button(key="present_next").click().run()
    assert _counter(app) == f"2 / {len(PANELS)}"
    now[0] += 31 * 60
    app.button(key="present_next").click().run()
    assert app.main.title[0].value == t("nav.poster", "en")
    assert [i.value for i in app.sidebar.info] == [t("forget.idle_note", "en", minutes="30 minutes")]
    assert t("poster.demo_label", "en") in [c.value for c in app.caption]


def test_poster_page_computes_each_panel_once(open_page, monkeypatch):
    # The conclusion is read off the results the other panels give the page, not
    # recomputed through ``core.conclusion.conclusion`` (which calls each panel again).
    import core.conclusion
    import ui.poster

    calls = []
    for name in ("baseline", "response", "steroids", "safety"):
        panel = getattr(ui.poster, name)

        def counted(*args, _panel=panel, **kwargs):
            calls.append(_panel.__name__)
            return _panel(*args, **kwargs)

        counted.__name__ = name  # panel results are memoised under the panel's name
        monkeypatch.setattr(ui.poster, name, counted)
        monkeypatch.setattr(core.conclusion, name, counted)
    app = open_page(_PAGE)
    assert not app.exception
    assert sorted(calls) == ["baseline", "response", "safety", "steroids"]


def test_poster_and_pages_draw_one_spec_of_each_chart(open_page, monkeypatch):
    """The poster's charts (the bars of each response domain, the doses) are the Response
    and Corticosteroids pages' charts, under their names: each is built once for the
    poster and its page, and drawn alike."""
    import json

    import core.charts.response
    import core.charts.steroids

    built = []
    for module, name in ((core.charts.response, "domain_chart"), (core.charts.steroids, "steroid_dose_chart")):
        builder = getattr(module, name)

        def counted(*args, _builder=builder, **kwargs):
            built.append(_builder.__name__)
            return _builder(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    app = open_page(_PAGE)
    assert not app.exception
    poster_specs = [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]
    for page in ("pages/response.py", "pages/steroids.py"):
        app.switch_page(page).run()
        assert not app.exception
        page_specs = [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]
        assert any(spec in poster_specs for spec in page_specs), page
    assert sorted(built) == ["domain_chart", "domain_chart", "steroid_dose_chart"]
