"""Uploaded files -> a validated cohort: the one path every upload (and the demo) takes.

bytes -> ``formats.read_files`` -> ``layout.classify_tables`` -> ``validate.check_cohort``
-> ``cohort.cohort_from_frames``; ``readings.read_columns`` then records how each
uploaded column was read. Nothing is written to disk.
"""
from __future__ import annotations

from collections.abc import Sequence

from core.cohort import LoadResult, cohort_from_frames
from core.filters import extra_filter_reasons
from core.formats import read_files
from core.layout import classify_tables
from core.limits import ReadLimits
from core.readings import read_columns
from core.report import ERROR, Issue, Report
from core.validate import check_cohort


def load_cohort(files: Sequence[tuple[str, bytes]], limits: ReadLimits | None = None) -> LoadResult:
    """Read, recognise and validate uploaded files.

    Parameters
    ----------
    files: (file name as uploaded, content) pairs; one workbook, or several CSV/Parquet
        files, in any layout of the cohort format.
    limits: how much the files may hold (``core.limits``; default: the defaults, changed
        by any ``LIVING_POSTER_*`` environment variable).

    Returns
    -------
    The report (with ``columns``, the reading of each uploaded column), and the cohort
    when the report has no error (else None).
    """
    tables, issues = read_files(files, limits)
    report = Report(issues=list(issues))
    pieces, found = classify_tables(tables)
    report.issues += found
    if not tables and report.usable:
        report.issues.append(Issue.of(ERROR, "no_table", variant="upload"))
    frames = check_cohort(pieces, report)
    if not report.usable:
        report.columns = read_columns(tables, pieces, None)
        return LoadResult(report, None)
    source = ", ".join(name for name, _ in files)
    cohort = cohort_from_frames(frames, report, source)
    report.columns = read_columns(tables, pieces, extra_filter_reasons(cohort))
    return LoadResult(report, cohort)
