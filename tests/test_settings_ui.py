"""Sidebar "Definitions": the settings a user changes reach every page, run with AppTest."""
from __future__ import annotations

import pytest

from core.i18n import t
from core.settings import Settings

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
    shown = {key: app.number_input(key=f"setting_{key}").value
             for key in ("min_age", "shift_tolerance", "anti_dsdna_threshold", "c3_low", "c4_low")}
    assert shown == {"min_age": d.min_age, "shift_tolerance": 100 * d.shift_tolerance,
                     "anti_dsdna_threshold": d.anti_dsdna_threshold, "c3_low": d.c3_low, "c4_low": d.c4_low}


def test_defaults_show_the_poster_shift_counts(open_page):
    assert _FARR_M6_DEFAULT in _texts(open_page(_BIOLOGY))


def test_a_wider_stable_band_changes_the_biology_shift_counts(open_page):
    app = open_page(_BIOLOGY)
    app.number_input(key="setting_shift_tolerance").set_value(90).run()
    text = _texts(app)
    assert (_FARR_M6_DEFAULT in text, "→ 5/14" in text) == (False, False)


def test_the_stable_band_caption_follows_the_setting(open_page):
    app = open_page(_BIOLOGY)
    app.number_input(key="setting_shift_tolerance").set_value(25).run()
    assert any("25%" in c.value for c in app.caption)


def test_a_higher_anti_dsdna_threshold_lowers_the_elevated_count(open_page):
    app = open_page(_BIOLOGY)
    app.number_input(key="setting_anti_dsdna_threshold").set_value(1000.0).run()
    assert "Elevated at M0: 0/19" in _texts(app)


def test_a_higher_minimum_age_shrinks_the_live_n(open_page):
    app = open_page(_BIOLOGY)
    before = _sidebar_n(app)
    app.number_input(key="setting_min_age").set_value(50.0).run()
    assert 0 < _sidebar_n(app) < before


def test_a_changed_definition_is_announced(open_page):
    app = open_page(_BIOLOGY)
    app.number_input(key="setting_c3_low").set_value(0.5).run()
    assert t("settings.changed", "en") in [c.value for c in app.sidebar.caption]


def test_reset_restores_the_defaults_and_the_poster_counts(open_page):
    app = open_page(_BIOLOGY)
    app.number_input(key="setting_shift_tolerance").set_value(90).run()
    app.button(key="setting_reset").click().run()
    assert (app.number_input(key="setting_shift_tolerance").value, _FARR_M6_DEFAULT in _texts(app)) == (10, True)
    assert t("settings.changed", "en") not in [c.value for c in app.sidebar.caption]


@pytest.mark.parametrize("page", ["pages/cohort.py", "pages/response.py", "pages/steroids.py",
                                  "pages/safety.py", "pages/conclusion.py"])
def test_every_page_runs_with_changed_definitions(open_page, page):
    app = open_page(page)
    app.number_input(key="setting_min_age").set_value(40.0).run()
    app.number_input(key="setting_cs_threshold_1").set_value(10.0).run()
    assert not app.exception


def test_steroid_threshold_tiles_follow_the_setting(open_page):
    app = open_page("pages/steroids.py")
    app.number_input(key="setting_cs_threshold_1").set_value(10.0).run()
    labels = [m.label for m in app.metric]
    assert t("steroids.at_or_under", "en", threshold="10.0") in labels


def test_french_labels(open_page):
    app = open_page(_BIOLOGY, lang="fr")
    assert app.number_input(key="setting_min_age").label == t("settings.min_age", "fr")
