"""Sidebar definitions and filters keep their value whatever the browser held (``ui.kept``).

On a fresh server, the first page-link click could make the browser draw a sidebar
widget again from the element the server sent; that element carried the widget's
default (0 for a definition, nothing for a filter) and not the value the server held,
so the next click sent the default back: every definition at 0, a shared link's filter
gone. Every run now sends each kept value with the element (``set_value``), so a widget
drawn again shows it.
"""
from __future__ import annotations

from core.settings import Settings

_PAGES = ("pages/poster.py", "pages/cohort.py", "pages/biology.py")
_SETTINGS = ("min_age", "shift_tolerance", "anti_dsdna_threshold", "c3_low", "c4_low", "cs_threshold_1",
             "cs_threshold_2", "min_cell")


def _sent(widget) -> tuple[bool, object]:
    """Whether the element sent to the browser sets the widget's value, and the value it sets."""
    proto = widget.proto
    if hasattr(proto, "values"):
        return proto.set_value, list(proto.values)
    return proto.set_value, proto.value


def test_every_run_sends_the_definitions_the_session_keeps(app):
    # The contract's defaults (``Settings()``) as each field writes them.
    expected = {"min_age": "18", "shift_tolerance": "10", "anti_dsdna_threshold": "10.0", "c3_low": "0.90",
                "c4_low": "0.10", "cs_threshold_1": "7.5", "cs_threshold_2": "5.0", "min_cell": "0"}
    app.run()
    for page in _PAGES:
        app.switch_page(page).run()
        sent = {name: _sent(app.text_input(key=f"setting_{name}")) for name in _SETTINGS}
        assert sent == {name: (True, value) for name, value in expected.items()}, page
    # A value the user chose is the one sent from then on, on every page.
    app.text_input(key="setting_min_age").input("16.0").run()
    for page in _PAGES:
        app.switch_page(page).run()
        assert _sent(app.text_input(key="setting_min_age")) == (True, "16"), page
        assert app.text_input(key="setting_min_age").value == "16"
    # The reset button brings the defaults back, and they are sent as well.
    app.button(key="setting_reset").click().run()
    app.switch_page("pages/cohort.py").run()
    assert _sent(app.text_input(key="setting_min_age")) == (True, "18")


def test_every_run_sends_a_shared_links_filters(app):
    app.query_params["sex"] = "F"
    app.query_params["age"] = "30-50"
    app.run()
    for page in _PAGES:
        app.switch_page(page).run()
        sex = app.sidebar.multiselect(key="flt_demo_sex")
        assert sex.value == ["F"] and sex.proto.set_value, page
        age = app.sidebar.slider(key="flt_demo_age")
        assert tuple(age.value) == (30, 50) and age.proto.set_value, page
        assert app.query_params["sex"] == "F"
    # A range the user moves is kept as moved; the filters' reset clears every filter,
    # on the widgets and in the URL.
    app.sidebar.slider(key="flt_demo_age").set_value((35, 45)).run()
    app.switch_page("pages/cohort.py").run()
    assert tuple(app.sidebar.slider(key="flt_demo_age").value) == (35, 45)
    app.button(key="flt_demo_reset").click().run()
    app.switch_page("pages/poster.py").run()
    assert app.sidebar.multiselect(key="flt_demo_sex").value == []
    age = app.sidebar.slider(key="flt_demo_age")
    assert tuple(age.value) == (age.min, age.max)
    assert "sex" not in app.query_params and "age" not in app.query_params
