"""A page's long lists (``ui.lists``): the first rows shown, how many there are, and the
whole list as a CSV file built on click."""
from __future__ import annotations

import pandas as pd
import pytest

from core.demo import load_demo
from core.i18n import t
from ui import lists
from ui.state import ActiveCohort, SessionForgotten, SessionMemo, _MemoStore, clock

# Six patients, four of them under 18 (excluded), with an M0 visit each.
_PATIENTS = "patient_id,sex,age,cutaneous\n" + "".join(
    f"P{k},F,{16 if k <= 4 else 40},yes\n" for k in range(1, 7))
_VISITS = "patient_id,month,active_skin_lesions\n" + "".join(f"P{k},0,3\n" for k in range(1, 7))


def _cohort_page(app, monkeypatch, rows: int):
    monkeypatch.setattr(lists, "LIST_ROWS", rows)
    app.run()
    app.switch_page("pages/upload.py").run()
    app.file_uploader(key="upload").set_value([("patients.csv", _PATIENTS.encode(), "text/csv"),
                                              ("visits.csv", _VISITS.encode(), "text/csv")])
    app.run()
    app.switch_page("pages/cohort.py").run()
    assert not app.exception
    return app


def test_a_long_list_shows_its_first_rows_and_says_how_many_there_are(app, monkeypatch):
    page = _cohort_page(app, monkeypatch, 2)
    shown = page.dataframe[0].value
    assert shown[t("cohort.col.patient", "en")].tolist() == ["P1", "P2"]  # the first, in natural order
    captions = [c.value for c in page.caption]
    assert t("lists.first.exclusions", "en", shown="2", total="4") in captions
    assert t("lists.first.flags", "en", shown="2", total="6") in captions  # criteria missing: every patient
    buttons = [b for b in page.get("download_button") if "list_" in b.proto.id]
    assert sorted(b.proto.label for b in buttons) == sorted([t("lists.csv.exclusions", "en"), t("lists.csv.flags", "en")])
    # Built on click, not with the page (a deferred file), and named for its list.
    assert all(b.proto.deferred_file_id and not b.proto.url for b in buttons)


def test_a_list_within_the_page_is_shown_whole_and_still_has_its_file(app, monkeypatch):
    """Tables have no download or copy of Streamlit's own (``client.disableDataExport``):
    a short list keeps its safe CSV file."""
    page = _cohort_page(app, monkeypatch, 6)  # 4 exclusions, and 6 patients flagged (criteria missing)
    assert page.dataframe[0].value[t("cohort.col.patient", "en")].tolist() == ["P1", "P2", "P3", "P4"]
    captions = [c.value for c in page.caption]
    assert t("lists.first.exclusions", "en", shown="6", total="4") not in captions
    assert not any(c.endswith(t("lists.first.flags", "en", shown="", total="").split(";")[-1]) for c in captions)
    buttons = [b for b in page.get("download_button") if "list_" in b.proto.id]
    assert sorted(b.proto.label for b in buttons) == sorted([t("lists.csv.exclusions", "en"), t("lists.csv.flags", "en")])


def test_the_response_pages_disagreements_are_a_long_list(app, monkeypatch, open_page):
    monkeypatch.setattr(lists, "LIST_ROWS", 0)
    page = open_page("pages/response.py", "fr")
    assert not page.exception
    assert t("lists.first.discordances", "fr", shown="0", total="1") in [c.value for c in page.caption]
    assert [b.proto.label for b in page.get("download_button") if "list_" in b.proto.id] == [
        t("lists.csv.discordances", "fr")]


def test_no_list_nor_file_under_small_cell_suppression(app, monkeypatch):
    page = _cohort_page(app, monkeypatch, 2)
    page.text_input(key="setting_min_cell").input("5").run()
    assert not page.exception
    assert not [b for b in page.get("download_button") if "list_" in b.proto.id]
    assert not any(t("lists.first.exclusions", "en", shown="2", total="4") == c.value for c in page.caption)


@pytest.fixture
def session():
    result = load_demo()
    yield SessionMemo(_MemoStore(), ActiveCohort(result, False, ("f.csv",), "digest"), clock())
    result.cohort.close()


def test_the_file_lists_every_row_as_the_page_writes_it_with_safe_cells(session):
    rows = pd.DataFrame({"patient_id": ["P1", "=HYPERLINK(\"x\")", "P3"], "n": [1, 2, 3]})

    def display(frame):
        return frame.rename(columns={"patient_id": "Patient", "n": "N"})

    data = lists._csv(session, "exclusions", lambda: display(rows), "fr")
    # Excel's byte-order mark, French ";", and the id that could run as a formula quoted.
    assert data == '\ufeffPatient;N\r\nP1;1\r\n"\'=HYPERLINK(""x"")";2\r\nP3;3\r\n'.encode()


def test_the_file_is_refused_after_too_long_idle(session, monkeypatch):
    from ui import state

    monkeypatch.setattr(state, "clock", lambda: session.bound_at + 24 * 3600)
    with pytest.raises(SessionForgotten):
        lists._csv(session, "exclusions", lambda: pd.DataFrame({"a": [1]}), "en")


def test_the_file_is_refused_once_the_session_has_forgotten_its_cohort(session):
    session.store.forget()
    with pytest.raises(SessionForgotten):
        lists._csv(session, "exclusions", lambda: pd.DataFrame({"a": [1]}), "en")
