"""Data page (AppTest): a workbook's hidden sheets are left out until the user ticks
"Read hidden sheets", which reloads the upload with them."""
from __future__ import annotations

from core.i18n import t
from tests.test_bent import _book


def _hidden_visits(book):
    patients = book.create_sheet("patients")
    for row in (["patient_id", "sex", "age"], ["P1", "F", 40], ["P2", "M", 50]):
        patients.append(row)
    visits = book.create_sheet("visits")
    visits.sheet_state = "hidden"
    for row in (["patient_id", "month", "c3"], ["P1", "M0", 0.9], ["P2", "M0", 1.1]):
        visits.append(row)


def test_checkbox_reads_the_hidden_sheets_and_unticking_leaves_them_out(app, upload_page):
    upload_page([("book.xlsx", _book(_hidden_visits))])
    assert not app.exception
    active = app.session_state["_cohort_upload"]
    assert "visits" not in active.report.counts
    [box] = [c for c in app.checkbox if c.label == t("sheets.hidden_label", "en")]
    assert box.value is False
    box.check().run()
    assert not app.exception
    active = app.session_state["_cohort_upload"]
    assert active.report.counts["visits"].kept == 2
    assert [i.variant for i in active.report.issues if i.code == "hidden_sheet"] == ["read"]
    app.checkbox(key="read_hidden_sheets").uncheck().run()
    assert "visits" not in app.session_state["_cohort_upload"].report.counts


def test_no_checkbox_without_hidden_sheets(app, upload_page):
    upload_page([("p.csv", b"patient_id,sex,age\nP1,F,40\n")])
    assert not [c for c in app.checkbox if c.label == t("sheets.hidden_label", "en")]
