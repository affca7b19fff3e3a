"""The poster's files as download buttons: present in the page's language, and the bytes
behind them are the export of the view the page shows.

Streamlit builds a button's file on click in a worker thread, without the session's
context (where ``st.session_state`` is one state shared by the whole process): the
tests run the buttons' callables in such a thread.
"""
from __future__ import annotations

import json
import threading

import pytest

from core.i18n import t
from ui.exports import DOWNLOADS


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_conclusion_page_offers_every_poster_file(open_page, lang):
    app = open_page("pages/conclusion.py", lang=lang)
    assert not app.exception
    buttons = {b.proto.label: b for b in app.get("download_button")}
    for _, name, key, _ in DOWNLOADS:
        assert t(key, lang) in buttons, name


def test_download_bytes_are_the_export_of_the_filtered_view(app):
    from core.filters import parse_filters
    from core.settings import Settings
    from ui import exports
    from ui.panel import PanelView
    from ui.state import active_cohort, this_session

    app.run()  # a session with the demo cohort
    view = PanelView("fr", active_cohort().cohort, parse_filters(["sex=F"]), Settings(), this_session())
    summary = json.loads(exports._file(view, None, "texts", "summary.json"))
    assert summary["baseline"]["female"] == {"n": 21, "N": 21, "pct": 100.0}
    methods = exports._file(view, None, "texts", "methods.txt").decode("utf-8")
    assert "Sexe" in methods or "sexe" in methods
    archive = exports._file(view, None, "zip", "poster.zip")
    assert archive[:2] == b"PK"


def test_public_address_setting_puts_the_live_link_in_the_exports(app, monkeypatch):
    from core.filters import parse_filters
    from core.settings import Settings
    from ui import exports
    from ui.panel import PanelView
    from ui.state import active_cohort, this_session

    monkeypatch.setenv(exports.PUBLIC_URL_ENV, "https://poster.example.org/app")
    app.run()
    view = PanelView("en", active_cohort().cohort, parse_filters(["sex=F"]), Settings(), this_session())
    html = exports._file(view, None, "html", "poster.html").decode("utf-8")
    assert "https://poster.example.org/app" in html and "sex=F" in html
    monkeypatch.setenv(exports.PUBLIC_URL_ENV, "ftp://nowhere")
    assert exports.public_url() is None
    monkeypatch.delenv(exports.PUBLIC_URL_ENV)
    assert exports.public_url() is None


def test_the_export_reuses_the_panel_results_the_pages_computed(app):
    from core.analysis import baseline, response, safety
    from core.filters import parse_filters
    from core.settings import Settings
    from ui import exports
    from ui.panel import PanelView
    from ui.state import active_cohort, this_session

    app.run()
    view = PanelView("en", active_cohort().cohort, parse_filters(["sex=F"]), Settings(), this_session())
    pages = {name: view.result(panel) for name, panel in (("baseline", baseline), ("response", response),
                                                          ("safety", safety))}
    panels = exports._context(view, None).panels
    assert panels.baseline is pages["baseline"] and panels.response is pages["response"]
    assert panels.safety is pages["safety"]


def test_only_the_last_two_exports_stay_in_the_session(app):
    from ui.state import session_memo

    app.run()  # a session with the demo cohort
    calls = []
    for k in range(4):
        session_memo(("export", k), lambda k=k: calls.append(k) or k, latest=2)
    session_memo(("page", 0), lambda: "page")
    # The two latest exports are kept (not computed again), the older two were dropped.
    assert [session_memo(("export", k), lambda k=k: calls.append(k) or k, latest=2) for k in (3, 2)] == [3, 2]
    assert calls == [0, 1, 2, 3]
    session_memo(("export", 0), lambda: calls.append(0) or 0, latest=2)
    assert calls == [0, 1, 2, 3, 0]
    assert session_memo(("page", 0), lambda: "again") == "page"  # other kinds untouched


def test_each_panel_keeps_the_results_of_its_last_subgroups_only(app):
    from core.filters import Band, Filter
    from core.settings import Settings
    from ui import state

    app.run()  # a session with the demo cohort
    cohort = state.active_cohort().cohort
    calls = []

    def populations(cohort, flt, settings):
        calls.append(flt)
        return flt

    subgroups = [Filter(age=Band(low=20 + k, high=70)) for k in range(state._PANEL_RESULTS_KEPT + 2)]
    for flt in subgroups:
        state.panel_result(populations, cohort, flt, Settings())
    kept = [k for k in _memo() if k[1][0] == "populations"]
    assert len(kept) == state._PANEL_RESULTS_KEPT
    state.panel_result(populations, cohort, subgroups[-1], Settings())  # kept: not computed again
    state.panel_result(populations, cohort, subgroups[0], Settings())  # dropped: computed again
    assert calls == [*subgroups, subgroups[0]]


def _memo() -> dict:
    """The session's memo of computed results (``ui.state``)."""
    import streamlit as st

    from ui import state

    return st.session_state[state._MEMO].entries


def _recording_downloads(monkeypatch) -> dict[str, list]:
    """Record every download button's deferred data (callable), by file name, as the
    app's runs create them."""
    from streamlit.elements.widgets.button import ButtonMixin

    recorded: dict[str, list] = {}
    original = ButtonMixin.download_button

    def download_button(self, label, data=None, *args, **kwargs):
        if callable(data):
            recorded.setdefault(kwargs.get("file_name"), []).append(data)
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", download_button)
    return recorded


def _on_click(build):
    """``build()`` as Streamlit runs a download's data: in a thread of its own, without
    the session's script run context."""
    out: dict = {}

    def run():
        try:
            out["value"] = build()
        except BaseException as exc:  # re-raised in the test's thread
            out["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def test_each_session_downloads_its_own_cohort(app, monkeypatch):
    """Two sessions with their own cohorts, the same language, subgroup and definitions:
    each button builds its own session's export, stamped with its own files, and keeps
    it in its own session (the page's panel results reused)."""
    from streamlit.testing.v1 import AppTest

    from core.cohort import files_digest
    from tests.helpers import small_cohort_files

    recorded = _recording_downloads(monkeypatch)
    visits = [{"patient_id": p, "month": m, "active_skin_lesions": 2} for p in "ABCDEF" for m in (0, 3)]
    sessions = []
    for ids, at in ((tuple("ABCD"), app), (tuple("ABCDEF"), AppTest.from_file("../streamlit_app.py",
                                                                                 default_timeout=60))):
        files = small_cohort_files([v for v in visits if v["patient_id"] in ids], ids=ids)
        at.context["locale"] = "en-GB"
        at.run()
        at.switch_page("pages/upload.py").run()
        at.file_uploader(key="upload").set_value([(name, data, "text/csv") for name, data in files])
        at.run()
        at.switch_page("pages/conclusion.py").run()
        assert not at.exception
        sessions.append((at, len(ids), files_digest(files), recorded["summary.json"][-1],
                         recorded["methods.txt"][-1]))
    for at, patients, digest, summary, methods in reversed(sessions):  # the second session first
        assert json.loads(_on_click(summary))["populations"]["treated"] == patients
        assert digest[:12] in _on_click(methods).decode("utf-8")
        memo = at.session_state["_cohort_memo"].entries
        export = next(value for (_, key), value in memo.items() if isinstance(key, tuple) and key[0] == "export")
        page_baseline = next(value for (_, key), value in memo.items() if key[:1] == ("baseline",))
        assert export.panels.baseline is page_baseline



def _uploaded_conclusion(at, ids=tuple("ABCD")):
    """``at`` with a small upload, on the conclusion page (its downloads recorded)."""
    from tests.helpers import small_cohort_files

    visits = [{"patient_id": p, "month": m, "active_skin_lesions": 2} for p in ids for m in (0, 3)]
    at.run()
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="upload").set_value([(n, d, "text/csv") for n, d in small_cohort_files(visits, ids=ids)])
    at.run()
    at.switch_page("pages/conclusion.py").run()
    assert not at.exception
    return at


def test_a_download_drawn_before_the_session_forgot_its_upload_is_refused(app, monkeypatch):
    """"Forget my data" drops the results computed from the upload: a button drawn
    before (its click comes outside any run) neither serves them nor computes anew."""
    from ui.state import SessionForgotten

    recorded = _recording_downloads(monkeypatch)
    _uploaded_conclusion(app)
    summary, methods = recorded["summary.json"][-1], recorded["methods.txt"][-1]
    assert json.loads(_on_click(summary))["populations"]["treated"] == 4  # computed, kept in the session
    app.sidebar.button(key="forget").click().run()
    for build in (summary, methods):
        with pytest.raises(SessionForgotten):
            _on_click(build)


def test_a_chart_download_drawn_before_the_session_forgot_its_upload_is_refused(app, monkeypatch):
    from ui.state import SessionForgotten

    recorded = _recording_downloads(monkeypatch)
    _uploaded_conclusion(app)
    app.switch_page("pages/response.py").run()
    charts = [builds[-1] for name, builds in recorded.items() if name.endswith(".svg")]
    assert charts and _on_click(charts[0]).startswith("<svg")
    app.sidebar.button(key="forget").click().run()
    with pytest.raises(SessionForgotten):
        _on_click(charts[0])


def test_a_download_after_too_long_idle_is_refused_for_an_upload_only(app, monkeypatch):
    """The idle limit (``ui.forget``) holds for a click on a download too: the page
    shown since, its next run forgets; the demo's downloads hold no upload."""
    from ui import state
    from ui.forget import idle_minutes
    from ui.state import SessionForgotten

    recorded = _recording_downloads(monkeypatch)
    app.run()
    app.switch_page("pages/conclusion.py").run()
    demo = recorded["summary.json"][-1]
    now = state.clock()
    monkeypatch.setattr(state, "clock", lambda: now + idle_minutes() * 60 + 1)
    assert json.loads(_on_click(demo))["populations"]["treated"] == 23
    monkeypatch.setattr(state, "clock", lambda: now)
    _uploaded_conclusion(app)
    upload = recorded["summary.json"][-1]
    assert json.loads(_on_click(upload))["populations"]["treated"] == 4
    monkeypatch.setattr(state, "clock", lambda: now + idle_minutes() * 60 + 1)
    with pytest.raises(SessionForgotten):
        _on_click(upload)


def test_the_memo_makes_room_before_computing(app):
    """With ``latest``, the oldest results of a kind go before the new one is computed:
    at most ``latest`` exports (as large as the cohort) are ever held at once."""
    from ui.state import session_memo

    app.run()
    held = []

    def export(k):
        held.append(sum(1 for key in _memo() if isinstance(key[1], tuple) and key[1][:1] == ("room",)))
        return k

    for k in range(4):
        session_memo(("room", k), lambda k=k: export(k), latest=2)
    assert held == [0, 1, 1, 1]


def test_the_conclusion_pages_files_have_the_poster_texts_of_the_poster_pages(open_page, monkeypatch):
    """Both pages offer the same files of the same view: an edited title (or an uploaded
    TOML) is the poster's on the Conclusion page's downloads too, not the demo's."""
    from ui import exports

    metas = []
    real = exports.export_downloads

    def recording(view, meta):
        metas.append(meta)
        return real(view, meta)

    monkeypatch.setattr(exports, "export_downloads", recording)
    app = open_page("pages/poster.py")
    app.text_area(key="poster_edit_en_title").set_value("Edited title").run()
    poster_meta = metas[-1]
    assert poster_meta["title"] == "Edited title"
    metas.clear()
    app.switch_page("pages/conclusion.py").run()
    assert not app.exception
    assert metas == [poster_meta]


def test_an_export_kept_from_yesterday_is_stamped_again_today(app, monkeypatch):
    # The session keeps an export; its stamp carries the day it was made, and a download
    # after midnight gave yesterday's date.
    import datetime as dt

    from core.filters import Filter
    from core.settings import Settings
    from ui import exports
    from ui.panel import PanelView
    from ui.state import active_cohort, this_session

    app.run()
    view = PanelView("en", active_cohort().cohort, Filter(), Settings(), this_session())
    dates = []
    for day in (dt.date(2026, 12, 4), dt.date(2026, 12, 5)):
        monkeypatch.setattr(exports, "today_date", lambda day=day: day)
        dates.append(exports._context(view, None).stamp.date)
    assert dates == ["2026-12-04", "2026-12-05"]
