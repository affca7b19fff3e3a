"""The app shell and the upload page, run headless with Streamlit's AppTest."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import t
from core.cohort import files_digest

# Two patients; P2's age cannot be read (spreadsheet row 3), "Age (ans)" as written.
_CSV = "N° patient,Sexe,Age (ans)\nP1,F,40\nP2,M,abc\n".encode()
# No sex column: a required column is missing, so the cohort is not usable.
_BROKEN_CSV = b"patient_id,age\nP1,40\n"


def _issue_rows(at: AppTest) -> list[dict]:
    return at.dataframe[-1].value.to_dict("records")  # the issues table comes last


def test_demo_runs_without_exception(app):
    app.run()
    assert not app.exception


def test_demo_is_labelled_synthetic_in_sidebar_and_page(app):
    app.run()
    assert any(t("badge.demo", "en") in m.value for m in app.sidebar.markdown)
    assert [i.value for i in app.info] == [t("upload.demo_active", "en")]


def test_demo_report_shows_row_counts(app):
    app.run()
    counts = app.dataframe[0].value.set_index("Table")
    assert counts.loc["Patients", "Read"] == counts.loc["Patients", "Kept"] > 0


def test_upload_shows_counts_read_kept_rejected(app, upload_page):
    upload_page([("cohort.csv", _CSV)])
    assert not app.exception
    assert app.dataframe[0].value.to_dict("records") == [
        {"Table": "Patients", "Read": 2, "Kept": 2, "Rejected": 0}
    ]


def test_upload_counts_are_shown_with_thousands_separators(app, upload_page):
    import pyarrow as pa

    rows = "".join(f"P{k},F,40\n" for k in range(1, 1201))
    upload_page([("cohort.csv", f"patient_id,sex,age\n{rows}".encode())])
    table = app.dataframe[0]
    assert table.value.to_dict("records") == [{"Table": "Patients", "Read": 1200, "Kept": 1200, "Rejected": 0}]
    shown = pa.ipc.open_stream(table.proto.arrow_data.styler.display_values).read_all().to_pylist()
    assert shown == [{"Table": "Patients", "Read": "1,200", "Kept": "1,200", "Rejected": "0"}]


def test_upload_lists_unreadable_value_with_its_row_and_column(app, upload_page):
    upload_page([("cohort.csv", _CSV)])
    warnings = [r for r in _issue_rows(app) if r["Value"] == "abc"]
    assert len(warnings) == 1
    assert (warnings[0]["Severity"], warnings[0]["File"], warnings[0]["Row"], warnings[0]["Column"]) == (
        "Warning", "cohort.csv", 3, "Age (ans)"
    )


def test_the_issues_can_be_downloaded_as_a_safe_csv_file(app, upload_page):
    """Tables have no download or copy of their own (client.disableDataExport): the
    issues to work through in a spreadsheet come as the app's own CSV, built on click."""
    upload_page([("cohort.csv", _CSV)])
    [button] = [b for b in app.get("download_button") if "list_issues_csv" in b.proto.id]
    assert button.proto.label == t("report.csv", "en")
    assert button.proto.deferred_file_id and not button.proto.url


def test_usable_upload_replaces_demo_badge(app, upload_page):
    upload_page([("cohort.csv", _CSV)])
    assert [s.value for s in app.success] == [t("report.usable", "en")]
    assert any(t("badge.upload", "en") in m.value for m in app.sidebar.markdown)
    assert not app.info


def test_two_files_report_a_rejected_row_in_the_counts(app, upload_page):
    patients = b"patient_id,sex,age\nP1,F,40\n"
    visits = b"patient_id,month,cs_dose_mg\nP1,0,5\nP9,0,5\nP1,3,2\n"
    upload_page([("patients.csv", patients), ("visits.csv", visits)])
    counts = app.dataframe[0].value.set_index("Table")
    assert counts.loc["Visits"].tolist() == [3, 2, 1]
    rejected = _issue_rows(app)[0]
    assert (rejected["Severity"], rejected["File"], rejected["Row"], rejected["Column"], rejected["Value"]) == (
        "Row rejected", "visits.csv", 3, "patient_id", "P9"
    )


def test_uploader_accepts_every_supported_format(app):
    # Every file core.formats reads: a legacy .xls workbook was refused by the uploader,
    # with Streamlit's English "application/vnd.ms-excel files are not allowed."
    from core.formats import CSV_EXTENSIONS, PARQUET_EXTENSIONS, WORKBOOK_EXTENSIONS

    app.run()
    allowed = {x.lstrip(".") for x in app.file_uploader(key="upload").allowed_type}
    assert allowed == CSV_EXTENSIONS | WORKBOOK_EXTENSIONS | PARQUET_EXTENSIONS


def test_upload_with_error_is_reported_not_usable(app, upload_page):
    upload_page([("broken.csv", _BROKEN_CSV)])
    assert not app.exception
    assert [e.value for e in app.error] == [t("report.unusable", "en")]
    assert _issue_rows(app)[0]["Severity"] == "Error"
    assert any(t("badge.unusable", "en") in m.value for m in app.sidebar.markdown)


def test_file_names_are_shown_as_plain_text(app, upload_page):
    name = "<b>*x*</b>.csv"
    upload_page([(name, _CSV)])
    assert t("upload.current", "en", names=name) in [x.value for x in app.text]


def test_return_to_demo_button_restores_demo(app, upload_page):
    upload_page([("cohort.csv", _CSV)])
    app.button[0].click().run()
    assert [i.value for i in app.info] == [t("upload.demo_active", "en")]
    assert any(t("badge.demo", "en") in m.value for m in app.sidebar.markdown)


@pytest.mark.parametrize(
    "locale, query, lang",
    [("fr-FR", None, "fr"), ("en-US", None, "en"), (None, None, "en"), ("fr-FR", "en", "en"), ("en-US", "fr", "fr")],
)
def test_page_language_follows_query_then_browser_locale(app, locale, query, lang):
    app.context["locale"] = locale
    if query:
        app.query_params["lang"] = query
    app.run()
    assert app.main.title[0].value == t("upload.title", lang)
    assert app.query_params["lang"] == lang


def test_language_selector_switches_page_to_english(app):
    app.context["locale"] = "fr-FR"
    app.run()
    app.selectbox(key="lang").set_value("en").run()
    assert app.main.title[0].value == t("upload.title", "en")
    assert app.dataframe[0].value.columns.tolist() == ["Table", "Read", "Kept", "Rejected"]


def test_french_report_headers(app, upload_page):
    app.context["locale"] = "fr-FR"
    upload_page([("cohort.csv", _CSV)])
    assert app.dataframe[-1].value.columns.tolist()[:4] == ["Gravité", "Fichier", "Feuille", "Ligne"]


def test_digest_ignores_upload_order():
    a, b = ("a.csv", b"1"), ("b.csv", b"2")
    assert files_digest([a, b]) == files_digest([b, a])


@pytest.mark.parametrize("other", [[("a.csv", b"2")], [("b.csv", b"1")], [("a.cs", b"v1")]])
def test_digest_changes_with_name_or_bytes(other):
    assert files_digest([("a.csv", b"1")]) != files_digest(other)


def test_removing_the_uploaded_files_returns_to_demo(app, upload_page):
    upload_page([("cohort.csv", _CSV)])
    app.file_uploader(key="upload").set_value(None).run()
    assert [i.value for i in app.info] == [t("upload.demo_active", "en")]


def _sidebar_widget(widgets, name: str):
    return next(w for w in widgets if w.key.endswith(f"_{name}"))


def test_sidebar_filter_choices_become_the_current_filter(app):
    from core.filters import Band, Filter

    app.run()
    _sidebar_widget(app.sidebar.multiselect, "sex").set_value(["F"]).run()
    _sidebar_widget(app.sidebar.slider, "age").set_value((30, 62)).run()
    _sidebar_widget(app.sidebar.button_group, "hcq").set_value("yes").run()
    assert app.session_state["_filter"] == Filter(sex=("F",), age=Band(low=30.0), hcq=True)
    described = "Sex: Female; Age (years): 30–…; Hydroxychloroquine at M0: Yes"
    assert [x.value for x in app.sidebar.text] == [t("filters.active", "en", filter=described)]


def test_clear_all_empties_the_filter(app):
    from core.filters import Filter

    app.run()
    _sidebar_widget(app.sidebar.multiselect, "sex").set_value(["M"]).run()
    _sidebar_widget(app.sidebar.button, "reset").click().run()
    assert app.session_state["_filter"] == Filter()
    assert _sidebar_widget(app.sidebar.multiselect, "sex").value == []


def test_unusable_cohort_gets_no_filters(app, upload_page):
    upload_page([("broken.csv", _BROKEN_CSV)])
    assert not app.sidebar.multiselect


def test_loader_failure_is_reported_with_its_type_only(app, upload_page, monkeypatch):
    import core.loader

    def _crash(*args, **kwargs):
        raise RuntimeError("cell P2 = secret")

    app.run()  # the demo is loaded before the loader breaks
    monkeypatch.setattr(core.loader, "load_cohort", _crash)
    upload_page([("cohort.csv", _CSV)])
    assert not app.exception
    row = _issue_rows(app)[0]
    assert row["Problem"] == t("issue.load_failed.message", "en", kind="RuntimeError")
    assert "secret" not in str(_issue_rows(app))


# A French wide export: a visit column named with its month, an extra column each value
# of which two patients hold (offered as a filter); and a file that is no cohort table.
_WIDE_FR = "N° patient;Sexe;Âge;Réponse cutanée M6;Groupe\nP1;F;40;RC;A\nP2;M;50;NR;A\nP3;F;30;RP;B\nP4;F;33;;B\n"


def _readings_table(at: AppTest, lang: str):
    header = t("reading.col.header", lang)
    tables = [d.value for d in at.dataframe if header in d.value.columns]
    assert len(tables) == 1
    return tables[0].set_index(header)


def test_upload_shows_how_each_column_was_read(app, upload_page):
    upload_page([("cohort.csv", _WIDE_FR.encode()), ("notes.csv", b"foo\n1\n")])
    assert not app.exception
    table = _readings_table(app, "en")
    assert table.index.tolist() == ["N° patient", "Sexe", "Âge", "Réponse cutanée M6", "Groupe", "foo"]
    assert table.loc["Réponse cutanée M6", ["File", "Read as", "Table"]].tolist() == [
        "cohort.csv", "Cutaneous response, M6", "Visits"]
    assert table.loc["Groupe", "Read as"] == t("reading.status.filter", "en")
    assert (table.loc["foo", "Read as"], table.loc["foo", "File"]) == (t("reading.status.unused", "en"), "notes.csv")
    assert table.loc["foo", "Why"] == t("reading.reason.unrecognised_table", "en")


def test_column_readings_are_shown_in_french(app, upload_page):
    app.context["locale"] = "fr-FR"
    upload_page([("cohort.csv", _WIDE_FR.encode())])
    table = _readings_table(app, "fr")
    assert table.loc["Réponse cutanée M6", "Lue comme"] == "Réponse cutanée, M6"
    assert table.loc["Groupe", "Lue comme"] == "Colonne supplémentaire, proposée comme filtre"
    assert t("reading.title", "fr") in [h.value for h in app.subheader]
