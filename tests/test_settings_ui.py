"""Sidebar "Definitions": the settings a user changes reach every page, run with AppTest."""
from __future__ import annotations

import pytest

from core.i18n import t
from core.settings import Settings, read_number
from ui.markdown import escape_markdown

_BIOLOGY = "pages/biology.py"
# The demo's Farr test at M6 with the contract's +-10 % stable band (the poster's arrows).
_FARR_M6_DEFAULT = "**M6**  \n↓ 6/14  \n↑ 3/14  \n→ 5/14"


def _texts(app) -> str:
    return "\n".join(m.value for m in app.markdown)


def _sidebar_n(app) -> int:
    metric = next(m for m in app.sidebar.metric if m.label == t("sidebar.n_analysed", "en"))
    return int(metric.value)


def test_inputs_start_at_the_contract_defaults(open_page):
    app = open_page(_BIOLOGY)
    d = Settings()
    shown = {key: read_number(app.text_input(key=f"setting_{key}").value, "en")
             for key in ("min_age", "shift_tolerance", "anti_dsdna_threshold", "c3_low", "c4_low")}
    assert shown == {"min_age": d.min_age, "shift_tolerance": 100 * d.shift_tolerance,
                     "anti_dsdna_threshold": d.anti_dsdna_threshold, "c3_low": d.c3_low, "c4_low": d.c4_low}


def test_defaults_show_the_poster_shift_counts(open_page):
    assert _FARR_M6_DEFAULT in _texts(open_page(_BIOLOGY))


def test_a_wider_stable_band_changes_the_biology_shift_counts(open_page):
    app = open_page(_BIOLOGY)
    app.text_input(key="setting_shift_tolerance").input("90").run()
    text = _texts(app)
    assert (_FARR_M6_DEFAULT in text, "→ 5/14" in text) == (False, False)


def test_the_stable_band_caption_follows_the_setting(open_page):
    app = open_page(_BIOLOGY)
    app.text_input(key="setting_shift_tolerance").input("25").run()
    assert any("25%" in c.value for c in app.caption)


def test_a_higher_anti_dsdna_threshold_lowers_the_elevated_count(open_page):
    app = open_page(_BIOLOGY)
    app.text_input(key="setting_anti_dsdna_threshold").input("1000.0").run()
    assert "Elevated at M0: 0/19" in _texts(app)


def test_a_higher_minimum_age_shrinks_the_live_n(open_page):
    app = open_page(_BIOLOGY)
    before = _sidebar_n(app)
    app.text_input(key="setting_min_age").input("50.0").run()
    assert 0 < _sidebar_n(app) < before


def test_a_changed_definition_is_announced(open_page):
    app = open_page(_BIOLOGY)
    app.text_input(key="setting_c3_low").input("0.5").run()
    assert t("settings.changed", "en") in [c.value for c in app.sidebar.caption]


def test_reset_restores_the_defaults_and_the_poster_counts(open_page):
    app = open_page(_BIOLOGY)
    app.text_input(key="setting_shift_tolerance").input("90").run()
    app.button(key="setting_reset").click().run()
    assert (app.text_input(key="setting_shift_tolerance").value, _FARR_M6_DEFAULT in _texts(app)) == ("10", True)
    assert t("settings.changed", "en") not in [c.value for c in app.sidebar.caption]


@pytest.mark.parametrize("page", ["pages/cohort.py", "pages/response.py", "pages/steroids.py",
                                  "pages/safety.py", "pages/conclusion.py"])
def test_every_page_runs_with_changed_definitions(open_page, page):
    app = open_page(page)
    app.text_input(key="setting_min_age").input("40.0").run()
    app.text_input(key="setting_cs_threshold_1").input("10.0").run()
    assert not app.exception


def test_steroid_threshold_tiles_follow_the_setting(open_page):
    app = open_page("pages/steroids.py")
    app.text_input(key="setting_cs_threshold_1").input("10.0").run()
    labels = [m.label for m in app.metric]
    assert t("steroids.at_or_under", "en", threshold="10.0") in labels


def test_french_labels(open_page):
    app = open_page(_BIOLOGY, lang="fr")
    assert app.text_input(key="setting_min_age").label == t("settings.min_age", "fr")


def _kept(app, name: str) -> float:
    return app.session_state["_kept_widget_values"].get(f"setting_{name}")


def _errors(app) -> list[str]:
    return [e.value for e in app.sidebar.error]


def test_a_french_decimal_comma_is_the_decimal_the_user_means(open_page):
    # A browser's number field dropped the comma: 0,85 g/L became 85 g/L, unsaid.
    app = open_page(_BIOLOGY, lang="fr")
    assert app.text_input(key="setting_c3_low").value == "0,90"
    app.text_input(key="setting_c3_low").input("0,85").run()
    assert (_kept(app, "c3_low"), app.text_input(key="setting_c3_low").value, _errors(app)) == (0.85, "0,85", [])
    french = _texts(app)
    # The same definition typed with a point, in English, gives the same page numbers.
    app.selectbox(key="lang").set_value("en").run()
    assert app.text_input(key="setting_c3_low").value == "0.85"
    app.text_input(key="setting_c3_low").input("0.9").run()
    app.text_input(key="setting_c3_low").input("0.85").run()
    app.selectbox(key="lang").set_value("fr").run()
    assert _texts(app) == french


@pytest.mark.parametrize(("name", "typed", "lang", "says"), [
    ("c3_low", "0,8,5", "fr", t("settings.refused.not_a_number", "fr", text=escape_markdown("0,8,5"), value="0,90")),
    ("c3_low", "0.9 g/L", "en",
     t("settings.refused.not_a_number", "en", text=escape_markdown("0.9 g/L"), value="0.90")),
    ("anti_dsdna_threshold", "1,000", "en",
     t("settings.refused.ambiguous_comma", "en", text=escape_markdown("1,000"), value="10.0")),
    ("c3_low", "1.000", "fr", t("settings.refused.ambiguous_point", "fr", text=escape_markdown("1.000"), value="0,90")),
    ("min_age", "130", "fr",
     t("settings.refused.range", "fr", text=escape_markdown("130"), low="0", high="120", value="18")),
    ("c4_low", "-0,1", "fr",
     t("settings.refused.range", "fr", text=escape_markdown("-0,1"), low="0,00", high="100,00", value="0,10")),
    # 28 digits: a number no field could write back (every page failed, the reset button too).
    ("anti_dsdna_threshold", "1" + "0" * 27, "en",
     t("settings.refused.range", "en", text=escape_markdown("1" + "0" * 27), low="0.0", high="100000.0", value="10.0")),
    ("min_cell", "2,5", "fr", t("settings.refused.whole", "fr", text=escape_markdown("2,5"), value="0")),
])
def test_a_text_that_cannot_be_used_is_said_and_the_definition_stays(open_page, name, typed, lang, says):
    app = open_page(_BIOLOGY, lang=lang)
    before = _texts(app)
    app.text_input(key=f"setting_{name}").input(typed).run()
    # Said under the field, which keeps what was typed; the pages keep their numbers.
    assert (_errors(app), app.text_input(key=f"setting_{name}").value) == ([says], typed)
    assert (_kept(app, name), _texts(app)) == (None, before)
    assert t("settings.changed", lang) not in [c.value for c in app.sidebar.caption]


def test_a_refused_text_goes_once_the_field_is_emptied_corrected_or_reset(open_page):
    app = open_page(_BIOLOGY)
    app.text_input(key="setting_c3_low").input("abc").run()
    app.text_input(key="setting_c3_low").input("").run()
    assert (_errors(app), app.text_input(key="setting_c3_low").value) == ([], "0.90")
    app.text_input(key="setting_c3_low").input("abc").run()
    app.text_input(key="setting_c3_low").input("0.8").run()
    assert (_errors(app), _kept(app, "c3_low")) == ([], 0.8)
    app.text_input(key="setting_c4_low").input("x").run()
    app.button(key="setting_reset").click().run()
    assert (_errors(app), app.text_input(key="setting_c4_low").value, _kept(app, "c3_low")) == ([], "0.10", 0.9)


def test_a_typed_text_is_shown_as_text_not_markdown(open_page):
    app = open_page(_BIOLOGY)
    app.text_input(key="setting_c3_low").input("**[0.9](x)**").run()
    assert _errors(app) == [t("settings.refused.not_a_number", "en", text=r"\*\*\[0.9\]\(x\)\*\*", value="0.90")]


def test_a_refusal_is_worded_for_its_text_after_a_language_switch(open_page):
    app = open_page(_BIOLOGY)
    app.text_input(key="setting_anti_dsdna_threshold").input("1,000").run()
    app.selectbox(key="lang").set_value("fr").run()
    # Its comma is still what is ambiguous: the French sentence names it, not the point.
    assert _errors(app) == [t("settings.refused.ambiguous_comma", "fr", text="1,000", value="10,0")]
    assert app.text_input(key="setting_anti_dsdna_threshold").value == "1,000"


def test_a_refused_text_starting_like_a_list_is_quoted_whole(open_page):
    # "- 0,1" at the start of a message was read as a Markdown list: the minus went.
    app = open_page(_BIOLOGY, lang="fr")
    app.text_input(key="setting_c4_low").input("- 0,1").run()
    [said] = _errors(app)
    assert said.startswith("«\u202f\\- 0,1\u202f»"), said  # the minus kept, escaped


def test_every_page_still_runs_after_a_huge_number_is_typed(open_page):
    app = open_page(_BIOLOGY)
    app.text_input(key="setting_c3_low").input("9" * 40).run()
    for page in ("pages/poster.py", "pages/cohort.py"):
        app.switch_page(page).run()
        assert not app.exception, page
    assert app.button(key="setting_reset") is not None
