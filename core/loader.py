"""Uploaded files -> a validated cohort: the one path every upload (and the demo) takes.

bytes -> ``formats.read_files`` -> (columns the user dropped are removed) ->
``layout.classify_tables`` -> ``identifier_columns.find_identifiers`` (flagged columns are
reported and held back) -> ``validate.check_cohort`` -> ``cohort.cohort_from_frames``;
``readings.read_columns`` then records how each uploaded column was read. Nothing is
written to disk. ``validate_files`` takes the same path for the report alone, without
storing visits and events.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from core.cohort import LoadResult, cohort_from_frames
from core.filters import extra_filter_reasons
from core.formats import read_files
from core.identifier_columns import find_identifiers, hold_back
from core.layout import Piece, classify_tables, headers_below_group_row
from core.limits import ReadLimits
from core.raw_table import RawTable
from core.readings import UNUSED, ColumnReading, read_columns
from core.report import ERROR, Issue, Report
from core.schema import COLUMNS
from core.validate import check_cohort

# A column as the user sees it: (file, sheet or None, header as written).
ColumnKey = tuple[str, str | None, str]


def load_cohort(files: Sequence[tuple[str, bytes]], *, drop_columns: Collection[ColumnKey] = frozenset(),
                limits: ReadLimits | None = None, read_hidden_sheets: bool = False) -> LoadResult:
    """Read, recognise and validate uploaded files.

    Parameters
    ----------
    files: (file name as uploaded, content) pairs; one workbook, or several CSV/Parquet
        files, in any layout of the cohort format.
    drop_columns: columns to leave out as if the files did not have them, e.g. the
        direct identifiers the user chose to drop; each is read as not used,
        ``identifier_dropped``.
    limits: how much the files may hold (``core.limits``; default: the defaults, changed
        by any ``LIVING_POSTER_*`` environment variable).
    read_hidden_sheets: read a workbook's hidden and very hidden sheets like the visible
        ones (default: left out); each hidden sheet is noted (``hidden_sheet``) either way.

    Returns
    -------
    The report (with ``columns``, the reading of each uploaded column), and the cohort
    when the report has no error (else None). A column that looks like a direct
    identifier is reported (``identifier_column``) and never enters the cohort.
    """
    checked = _check(files, drop_columns, limits, read_hidden_sheets)
    if not checked.report.usable:
        return LoadResult(checked.readings(None), None)
    cohort = cohort_from_frames(checked.frames, checked.report, checked.source)
    checked.readings(extra_filter_reasons(cohort))
    return LoadResult(checked.report, cohort)


def validate_files(files: Sequence[tuple[str, bytes]], *, drop_columns: Collection[ColumnKey] = frozenset(),
                   limits: ReadLimits | None = None, read_hidden_sheets: bool = False) -> Report:
    """The report ``load_cohort`` gives for the same arguments, without building the cohort.

    Only the patients table goes into a database, and only when it has extra columns,
    for their readings (whether each may be a filter,
    ``core.filters.extra_filter_reasons``); visits and events, the bulk of a registry,
    are checked but not stored.
    """
    checked = _check(files, drop_columns, limits, read_hidden_sheets)
    if not checked.report.usable:
        return checked.readings(None)
    frame = checked.frames.get("patients")
    if frame is None or all(column in COLUMNS["patients"] for column in frame.columns):
        return checked.readings({})  # no extra column to read
    patients = cohort_from_frames({"patients": frame}, checked.report, checked.source)
    try:
        return checked.readings(extra_filter_reasons(patients))
    finally:
        patients.close()


@dataclass
class _Checked:
    """The files read, recognised and validated: what ``load_cohort`` and
    ``validate_files`` share."""

    read: list[RawTable]
    tables: list[RawTable]
    pieces: list[Piece]
    drop: frozenset[ColumnKey]
    report: Report
    frames: dict[str, pd.DataFrame | None]
    source: str

    def readings(self, extra_reasons: dict[str, str | None] | None) -> Report:
        """The report with the reading of each uploaded column (``extra_reasons``: see
        ``readings.read_columns``)."""
        self.report.columns = _with_dropped(self.read, read_columns(self.tables, self.pieces, extra_reasons),
                                            self.drop)
        return self.report


def _check(files: Sequence[tuple[str, bytes]], drop_columns: Collection[ColumnKey], limits: ReadLimits | None,
           read_hidden_sheets: bool) -> _Checked:
    """Read, recognise and validate ``files`` (see ``load_cohort``)."""
    read, issues = read_files(files, limits, read_hidden_sheets=read_hidden_sheets)
    read, below = headers_below_group_row(read)
    issues = [*issues, *below]
    drop = frozenset(drop_columns)
    tables = _without(read, drop)
    report = Report(issues=list(issues))
    pieces, found = classify_tables(tables)
    identifiers = find_identifiers(tables, pieces)
    # A flagged column is not "kept as is": its identifier warning replaces that note.
    flagged = {(column.file, column.sheet, column.header) for column in identifiers}
    report.issues += [i for i in found if i.code != "unknown_column" or (i.file, i.sheet, i.column) not in flagged]
    report.issues += [column.issue() for column in identifiers]
    pieces = hold_back(pieces, identifiers)
    if not tables and report.usable:
        report.issues.append(Issue.of(ERROR, "no_table", variant="upload"))
    frames = check_cohort(pieces, report)
    return _Checked(read, tables, pieces, drop, report, frames, ", ".join(name for name, _ in files))


def _without(tables: Sequence[RawTable], drop: frozenset[ColumnKey]) -> list[RawTable]:
    """``tables`` without the ``drop`` columns; a table left with no column is left out."""
    kept = []
    for raw in tables:
        keep = [i for i, header in enumerate(raw.headers) if (raw.file, raw.sheet, header) not in drop]
        if len(keep) < len(raw.headers):
            if not keep:
                continue
            data = raw.data[keep].set_axis(range(len(keep)), axis=1)
            raw = replace(raw, headers=tuple(raw.headers[i] for i in keep), data=data,
                          columns=tuple(raw.column_number(i) for i in keep))
        kept.append(raw)
    return kept


def _with_dropped(read: Sequence[RawTable], readings: Sequence[ColumnReading],
                  drop: frozenset[ColumnKey]) -> list[ColumnReading]:
    """The readings of the kept columns with the dropped ones back in their place (upload order)."""
    rest = iter(readings)
    out = []
    for raw in read:
        for header in raw.headers:
            if (raw.file, raw.sheet, header) in drop:
                out.append(ColumnReading(raw.file, raw.sheet, header, UNUSED, reason="identifier_dropped"))
            else:
                out.append(next(rest))
    return out
