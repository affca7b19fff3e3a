"""The validation report as data: usability, issue order, JSON shape, row counts."""
from __future__ import annotations

import pytest

from core.report import ERROR, REJECTED, WARNING, Issue, Report, TableCount


def _issue(severity: str, file: str = "p.csv", row: int | None = None, column: str | None = None,
           sheet: str | None = None) -> Issue:
    # Written directly (params None): the sentence is the message as given.
    return Issue(severity, "invalid_value", f"{severity} {file} {row}", file=file, sheet=sheet, row=row, column=column)


@pytest.mark.parametrize(("severities", "usable"), [
    ((), True),
    ((WARNING,), True),
    ((REJECTED, WARNING), True),
    ((WARNING, ERROR), False),
    ((ERROR,), False),
])
def test_report_is_usable_unless_it_holds_an_error(severities, usable):
    assert Report(issues=[_issue(s) for s in severities]).usable is usable


def test_sorted_issues_put_errors_then_rejected_rows_then_warnings():
    report = Report(issues=[_issue(WARNING), _issue(REJECTED), _issue(ERROR), _issue(WARNING, row=2)])
    assert [i.severity for i in report.sorted_issues()] == [ERROR, REJECTED, WARNING, WARNING]


def test_sorted_issues_within_a_severity_go_by_file_sheet_row_then_column():
    issues = [_issue(WARNING, "b.csv", 2), _issue(WARNING, "a.xlsx", 3, sheet="visits"),
              _issue(WARNING, "a.xlsx", 9, sheet="patients"), _issue(WARNING, "a.xlsx", 2, "sex", sheet="visits"),
              _issue(WARNING, "a.xlsx", 2, "age", sheet="visits"), _issue(WARNING, "a.xlsx", None, sheet="visits")]
    order = [(i.file, i.sheet, i.row, i.column) for i in Report(issues=issues).sorted_issues()]
    assert order == [("a.xlsx", "patients", 9, None), ("a.xlsx", "visits", None, None),
                     ("a.xlsx", "visits", 2, "age"), ("a.xlsx", "visits", 2, "sex"),
                     ("a.xlsx", "visits", 3, None), ("b.csv", None, 2, None)]


def test_by_severity_keeps_only_that_severity_in_order():
    first, second = _issue(REJECTED, row=5), _issue(REJECTED, row=2)
    report = Report(issues=[first, _issue(WARNING), second])
    assert report.by_severity(REJECTED) == [first, second]


def test_report_dict_has_usable_counts_and_sorted_issues():
    report = Report(issues=[_issue(WARNING), _issue(ERROR)], counts={"patients": TableCount(3, 2, 1)})
    document = report.to_dict()
    assert (document["usable"], document["counts"]) == (False, {"patients": {"read": 3, "kept": 2, "rejected": 1}})
    assert [i["severity"] for i in document["issues"]] == [ERROR, WARNING]


def test_issue_dict_carries_location_and_sentence_fields():
    issue = Issue.of(WARNING, "unknown_column", {"header": "Remarque", "position": 4, "table": "patients"},
                     file="p.csv", column="Remarque", table="patients")
    entry = Report(issues=[issue]).to_dict()["issues"][0]
    assert set(entry) == {"severity", "code", "message", "hint", "file", "sheet", "row", "column", "value",
                          "table", "params", "variant"}
    assert entry["params"] == {"header": "Remarque", "position": 4, "table": "patients"}


def test_report_dict_writes_sentences_in_the_language_asked():
    issue = Issue.of(WARNING, "unknown_column", {"header": "Remarque", "position": 4, "table": "patients"})
    english, french = (Report(issues=[issue]).to_dict(lang)["issues"][0]["message"] for lang in ("en", "fr"))
    assert "Remarque" in english and "Remarque" in french and english != french


def test_table_count_dict_gives_read_kept_rejected():
    assert TableCount(read=5, kept=3, rejected=2).to_dict() == {"read": 5, "kept": 3, "rejected": 2}


@pytest.mark.parametrize(("severity", "code", "variant"), [
    ("fatal", "invalid_value", ""),
    (WARNING, "no_such_code", ""),
    (WARNING, "invalid_value", "no_such_variant"),
])
def test_undeclared_severity_code_or_variant_is_a_programming_error(severity, code, variant):
    with pytest.raises(ValueError):
        Issue(severity, code, "text", variant=variant)
