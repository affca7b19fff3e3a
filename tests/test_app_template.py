"""The Data page offers the cohort template in the page's language (AppTest)."""
from __future__ import annotations

import pytest

from core.i18n import t


@pytest.mark.parametrize("locale, lang", [("en-US", "en"), ("fr-FR", "fr")])
def test_data_page_has_the_template_download_button_in_its_language(app, locale, lang):
    app.context["locale"] = locale
    app.run()
    app.switch_page("pages/upload.py").run()
    assert not app.exception
    button = app.download_button(key="template_download")
    assert (button.label, button.help) == (t("upload.template_button", lang), t("upload.template_help", lang))


def test_template_button_follows_the_language_selector(app):
    app.context["locale"] = "fr-FR"
    app.run()
    app.selectbox(key="lang").set_value("en").run()
    assert app.download_button(key="template_download").label == t("upload.template_button", "en")


def test_template_is_built_once_per_language_and_for_the_pages_language(app, monkeypatch):
    import core.template

    calls = []
    real = core.template.template_workbook

    def spy(lang, example=True):
        calls.append((lang, example))
        return real(lang, example)

    monkeypatch.setattr(core.template, "template_workbook", spy)
    app.context["locale"] = "fr-FR"
    app.run()
    app.switch_page("pages/upload.py").run()
    app.run()
    assert calls == [("fr", True)]
