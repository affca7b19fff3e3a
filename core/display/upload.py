"""Data page display: how each uploaded column was read, and the columns flagged as
direct identifiers, as tables of plain text."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from core.i18n import t
from core.identifier_columns import identifier_issues
from core.readings import EXTRA, FIELD, FILTER, STATUSES, UNUSED, ColumnReading
from core.report import Report

READING_FIELDS = ("file", "sheet", "header", "read_as", "table", "why")


def readings_frame(readings: Sequence[ColumnReading], lang: str) -> pd.DataFrame:
    """One row per uploaded column, in upload order: file, sheet, the header as written,
    what it was read as (field and month, extra column or not used), its table, and why.

    Cells hold user text (file, sheet, header): show the frame as a table, never as
    Markdown.
    """
    rows = [
        {
            "file": r.file,
            "sheet": r.sheet or "",
            "header": r.header,
            "read_as": r.status_text(lang),
            "table": t(f"table.{r.table}", lang) if r.table else "",
            "why": r.reason_text(lang),
        }
        for r in readings
    ]
    frame = pd.DataFrame(rows, columns=list(READING_FIELDS))
    return frame.rename(columns={f: t(f"reading.col.{f}", lang) for f in READING_FIELDS})


def readings_lines(readings: Sequence[ColumnReading], lang: str) -> list[str]:
    """The readings in short, for the command line: counts per status, then one line per
    column not read as a field (the full list is in ``validate --json``)."""
    if not readings:
        return []
    n = {status: sum(r.status == status for r in readings) for status in STATUSES}
    lines = [t("reading.cli.title", lang, n=len(readings), fields=n[FIELD], filters=n[FILTER], extras=n[EXTRA],
               unused=n[UNUSED])]
    for r in readings:
        if r.status != FIELD:
            where = r.file + (f" [{r.sheet}]" if r.sheet is not None else "")
            lines.append("  " + t("reading.cli.line", lang, where=where, header=r.header, reading=r.text(lang)))
    return lines


IDENTIFIER_FIELDS = ("file", "sheet", "column", "kind", "basis")


def identifiers_frame(report: Report, lang: str) -> pd.DataFrame:
    """One row per column flagged as a direct identifier (``identifier_column``): file,
    sheet, the header as written, what it looks like, and whether its header or its
    values gave it away. Cells hold user text: show the frame as a table."""
    rows = [
        {
            "file": issue.file,
            "sheet": issue.sheet or "",
            "column": issue.column or "",
            "kind": t(f"identifier.kind.{dict(issue.params or ())['identifier']}", lang),
            "basis": t(f"identifiers.basis.{issue.variant or 'header'}", lang),
        }
        for issue in identifier_issues(report)
    ]
    frame = pd.DataFrame(rows, columns=list(IDENTIFIER_FIELDS))
    return frame.rename(columns={f: t(f"identifiers.col.{f}", lang) for f in IDENTIFIER_FIELDS})
