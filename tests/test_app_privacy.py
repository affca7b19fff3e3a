"""Privacy in the app (AppTest): dropping the columns flagged as direct identifiers, the
"Forget my data" button, and forgetting after an idle time."""
from __future__ import annotations

import sys

import duckdb
import pytest

from core.i18n import t
from core.identifier_columns import identifier_issues

# "Nom": two patients per name (it would pass the filter rule were it not an identifier);
# "Commentaire": e-mails; "Groupe": an ordinary extra column, offered as a filter.
_CSV = (
    "patient_id,sex,age,Nom,Commentaire,Groupe\n"
    "P1,F,40,Dupont,jean@chu-lille.fr,A\n"
    "P2,M,50,Dupont,m.dupont@gmail.com,A\n"
    "P3,F,30,Martin,rappel: paul@example.org,B\n"
    "P4,F,33,Martin,anne.martin@hopital.fr,B\n"
).encode()
_UPLOAD = "_cohort_upload"


def _upload(app) -> object:
    return app.session_state[_UPLOAD]


def _filter_labels(app) -> list[str]:
    return [w.label for w in app.sidebar.multiselect]


def _table_columns(cohort, table: str = "patients") -> list[str]:
    return cohort.con.execute(f"SELECT * FROM {table} LIMIT 0").df().columns.tolist()


def test_flagged_columns_are_listed_and_never_offered_as_filters(app, upload_page):
    upload_page([("cohort.csv", _CSV)])
    assert not app.exception
    assert [w.value for w in app.main.warning] == [t("identifiers.found", "en")]
    listed = app.dataframe[0].value
    assert listed[t("identifiers.col.column", "en")].tolist() == ["Nom", "Commentaire"]
    assert listed[t("identifiers.col.kind", "en")].tolist() == [
        t("identifier.kind.name", "en"), t("identifier.kind.email", "en")]
    assert "groupe" in _filter_labels(app)
    assert not {"nom", "commentaire"} & set(_filter_labels(app))


def test_drop_button_reloads_the_cohort_without_the_flagged_columns(app, upload_page):
    upload_page([("cohort.csv", _CSV)])
    assert len(identifier_issues(_upload(app).report)) == 2
    app.button(key="drop_identifiers").click().run()
    assert not app.exception
    active = _upload(app)
    assert identifier_issues(active.report) == []
    assert not app.main.warning
    assert not {"nom", "commentaire"} & set(_table_columns(active.cohort))
    assert "groupe" in _table_columns(active.cohort)
    assert not {"nom", "commentaire"} & set(_filter_labels(app))
    assert "groupe" in _filter_labels(app)
    assert [x.value for x in app.text if "Nom" in x.value] == ["Commentaire, Nom"]


def test_dropped_columns_stay_dropped_when_the_same_files_come_back(app, upload_page):
    upload_page([("cohort.csv", _CSV)])
    app.button(key="drop_identifiers").click().run()
    app.switch_page("pages/cohort.py").run()  # the uploader lets its files go
    app.switch_page("pages/upload.py").run()
    app.file_uploader[0].set_value([("cohort.csv", _CSV, "text/csv")]).run()
    assert identifier_issues(_upload(app).report) == []


def test_drop_works_after_the_uploader_let_the_files_go(app, upload_page):
    upload_page([("cohort.csv", _CSV)])
    app.switch_page("pages/cohort.py").run()
    app.switch_page("pages/upload.py").run()
    app.button(key="drop_identifiers").click().run()
    assert identifier_issues(_upload(app).report) == []


def test_forget_button_closes_the_cohort_and_returns_to_the_demo(app, upload_page):
    upload_page([("cohort.csv", _CSV)])
    app.sidebar.multiselect(key=next(w.key for w in app.sidebar.multiselect if w.label == "groupe")).set_value(
        ["A"]).run()
    cohort = _upload(app).cohort
    app.button(key="forget").click().run()
    assert not app.exception
    assert _UPLOAD not in app.session_state
    assert [i.value for i in app.main.info] == [t("upload.demo_active", "en")]
    assert any(t("badge.demo", "en") in m.value for m in app.sidebar.markdown)
    assert [u.value for u in app.file_uploader] in ([None], [[]])
    with pytest.raises(duckdb.ConnectionException):
        cohort.con.execute("SELECT 1")
    assert not [k for k in app.session_state if str(k).startswith("flt_") and "demo" not in str(k)]
    # The values the session keeps for the filter widgets (ui.kept) go too: "A" is a value
    # of the upload.
    kept = app.session_state["_kept_widget_values"]
    assert not [k for k in kept if k.startswith("flt_") and "demo" not in k]
    assert "groupe" not in _filter_labels(app)


def test_forget_button_is_offered_only_for_an_upload(app, upload_page):
    app.run()
    assert not [b for b in app.sidebar.button if b.key == "forget"]
    upload_page([("cohort.csv", _CSV)])
    assert [b.label for b in app.sidebar.button if b.key == "forget"] == [t("forget.button", "en")]


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves by hand (``clock.now`` seconds)."""
    import ui.state

    class _Clock:
        now = 1_000.0

        def __call__(self) -> float:
            return self.now

    fake = _Clock()
    monkeypatch.setattr(ui.state, "clock", fake)
    return fake


@pytest.mark.parametrize(("minutes", "forgotten"), [(29, False), (31, True)])
def test_idle_session_forgets_its_upload_at_the_next_interaction(app, upload_page, clock, minutes, forgotten):
    upload_page([("cohort.csv", _CSV)])
    assert _UPLOAD in app.session_state
    clock.now += minutes * 60
    app.run()
    assert (_UPLOAD not in app.session_state) == forgotten
    note = t("forget.idle_note", "en", minutes="30 minutes")
    assert ([i.value for i in app.sidebar.info] == [note]) == forgotten


@pytest.mark.parametrize(("setting", "minutes"), [("5", "5 minutes"), ("1", "1 minute")])
def test_idle_time_is_a_setting(app, upload_page, clock, monkeypatch, setting, minutes):
    monkeypatch.setenv("POSTER_IDLE_MINUTES", setting)
    upload_page([("cohort.csv", _CSV)])
    clock.now += (int(setting) + 1) * 60
    app.run()
    assert _UPLOAD not in app.session_state
    assert [i.value for i in app.sidebar.info] == [t("forget.idle_note", "en", minutes=minutes)]


def test_activity_keeps_the_session(app, upload_page, clock):
    upload_page([("cohort.csv", _CSV)])
    for _ in range(3):
        clock.now += 20 * 60
        app.run()
    assert _UPLOAD in app.session_state


@pytest.mark.parametrize(("value", "minutes"), [("5", 5), ("", 30), ("0", 30), ("abc", 30), ("-3", 30), ("1.5", 30)])
def test_idle_minutes_setting_falls_back_to_the_default(monkeypatch, value, minutes):
    from ui.forget import idle_minutes

    monkeypatch.setenv("POSTER_IDLE_MINUTES", value)
    assert idle_minutes() == minutes


def test_the_poster_is_stamped_with_the_files_as_its_exports_are_after_a_drop(app, upload_page):
    """Dropping flagged columns makes another cohort of the same files (its digest covers
    the drop), but a snapshot names the uploaded files: the poster page's stamp is the
    one its exports write."""
    from core.cohort import files_digest

    upload_page([("cohort.csv", _CSV)])
    app.button(key="drop_identifiers").click().run()
    app.switch_page("pages/poster.py").run()
    assert not app.exception
    stamps = [x.value for x in app.text if x.value.startswith("Snapshot ")]
    assert stamps and all(files_digest([("cohort.csv", _CSV)])[:12] in s for s in stamps)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(2) is Linux's")
def test_the_server_process_can_never_dump_its_memory_to_disk(app):
    # Where core dumps are on, a crash of the server wrote every session's cohort to a core
    # file (or a crash collector's store): the app's script forbids its process any.
    import ctypes
    import resource

    from core.coredump import forbid_core_dumps

    libc = ctypes.CDLL(None)
    _, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
    libc.prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE: this test process dumps, as a server would
    forbid_core_dumps.cache_clear()
    app.run()
    assert not app.exception
    assert resource.getrlimit(resource.RLIMIT_CORE)[0] == 0
    assert libc.prctl(3, 0, 0, 0, 0) == 0  # PR_GET_DUMPABLE
