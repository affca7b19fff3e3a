"""How each uploaded column was read: as a canonical field (with its month in a wide
layout), as an extra column (offered as a filter or not, and why), or not used (and why).

One ``ColumnReading`` per column of every table the upload held, in upload order, read
off what ``core.layout`` did with each column position (``Piece.positions`` and
``Piece.dropped``). Loops run over columns, never over rows.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from core.headers import bad_month_header, canonical_header
from core.layout import Piece
from core.raw_table import RawTable
from core.schema import COLUMNS, normalise
from core.validate import KEYS

FIELD = "field"  # read as a canonical column
FILTER = "filter"  # an extra column, offered as a subgroup filter
EXTRA = "extra"  # an extra column, kept but not offered as a filter
UNUSED = "unused"  # not read at all
STATUSES = (FIELD, FILTER, EXTRA, UNUSED)
# Why a column is an extra (or an extra that is not a filter), or is not used. Each has
# a sentence in every catalogue: ``reading.reason.<code>``.
EXTRA_REASONS = ("bad_month_header", "patient_column_elsewhere", "not_patient_table", "too_few_values",
                 "too_many_values", "rare_value", "cohort_unusable")
UNUSED_REASONS = ("unrecognised_table", "duplicate_column", "empty_column", "no_patient_id",
                  "missing_key_column", "identifier", "identifier_dropped")
REASONS = EXTRA_REASONS + UNUSED_REASONS


@dataclass(frozen=True)
class ColumnReading:
    """How one column of one uploaded table was read.

    ``header`` is the header as the user wrote it (rows keep the sheet's column order).
    ``field`` is the canonical column it was read as (for a
    ``duplicate_column``, the one it repeats), ``month`` the visit month a wide header
    names, ``table`` the canonical table it went to. ``reason`` says why an extra column
    is not a filter (or, ``bad_month_header``, why it is an extra at all) and why an
    unused column is not read.
    """

    file: str
    sheet: str | None
    header: str
    status: str
    field: str | None = None
    month: int | None = None
    table: str | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        # An unknown code would have no translation: a programming error.
        if self.status not in STATUSES or (self.reason is not None and self.reason not in REASONS):
            raise ValueError(f"unknown column reading {self.status!r} / {self.reason!r}")

    def status_text(self, lang: str) -> str:
        """What the column was read as: ``Cutaneous response, M6``, or ``Not used``."""
        from core.i18n import t

        if self.status != FIELD:
            return t(f"reading.status.{self.status}", lang)
        label = t(f"column.{self.field}", lang)
        label = label[:1].upper() + label[1:]
        return label if self.month is None else t("reading.field_month", lang, field=label, month=f"M{self.month}")

    def reason_text(self, lang: str) -> str:
        """Why, in ``lang``; "" for a column read as a field or offered as a filter."""
        from core.filters import MAX_LEVELS, MIN_LEVELS, MIN_PATIENTS_PER_LEVEL
        from core.i18n import t

        if self.reason is None:
            return ""
        month = COLUMNS["visits"]["month"]
        field = t(f"column.{self.field}", lang) if self.field else ""
        table = t(f"issue.table.{self.table}", lang) if self.table else ""
        return t(f"reading.reason.{self.reason}", lang, low=month.low, high=month.high, min_levels=MIN_LEVELS,
                 max_levels=MAX_LEVELS, min_patients=MIN_PATIENTS_PER_LEVEL, field=field, table=table)

    def text(self, lang: str) -> str:
        """The whole reading as one sentence in ``lang``."""
        from core.i18n import t

        if self.status == FIELD:
            return t("reading.message.field", lang, field=self.status_text(lang),
                     table=t(f"issue.table.{self.table}", lang))
        reason = self.reason_text(lang)
        status = self.status_text(lang)
        return t("reading.message.with_reason", lang, status=status, reason=reason) if reason else status

    def to_dict(self, lang: str = "en") -> dict:
        """JSON-ready: the codes, and ``message``, the sentence in ``lang``."""
        return {**asdict(self), "message": self.text(lang)}


def read_columns(tables: Sequence[RawTable], pieces: Sequence[Piece],
                 filter_reasons: Mapping[str, str | None] | None) -> list[ColumnReading]:
    """The reading of every column of ``tables`` (as ``core.layout.classify_tables`` got
    them, giving ``pieces``), in upload order.

    ``filter_reasons`` is ``core.filters.extra_filter_reasons`` of the loaded cohort
    (None when the cohort is not usable: no filter is offered then).
    """
    readings = []
    for source, raw in enumerate(tables):
        mine = [p for p in pieces if p.source == source]
        for i, header in enumerate(raw.headers):  # one column at a time
            where = {"file": raw.file, "sheet": raw.sheet, "header": header}
            readings.append(ColumnReading(**where, **_reading(i, header, mine, filter_reasons)))
    return readings


def _reading(i: int, header: str, pieces: list[Piece], filters: Mapping[str, str | None] | None) -> dict:
    """Status, field, month, table and reason of raw column ``i`` among its sheet's pieces."""
    for piece in pieces:  # the first piece reading the column (a wide sheet's id is in each)
        name = piece.positions.get(i)
        if name is None:
            continue
        if name not in COLUMNS[piece.table]:
            return _extra(piece, name, header, filters)
        if not all(key in piece.cells.columns for key in KEYS[piece.table]):
            return {"status": UNUSED, "field": name, "table": piece.table, "reason": "missing_key_column"}
        month = piece.month if name != "patient_id" else None
        return {"status": FIELD, "field": name, "month": month, "table": piece.table}
    for piece in pieces:
        if i in piece.dropped:
            reason, name = piece.dropped[i]
            return {"status": UNUSED, "field": name, "table": piece.table, "reason": reason}
    # A sheet read as no table, or a wide sheet's visit column without a patient id column.
    return {"status": UNUSED, "reason": "no_patient_id" if pieces else "unrecognised_table"}


def _extra(piece: Piece, name: str, header: str, filters: Mapping[str, str | None] | None) -> dict:
    """An extra column: offered as a filter or not, and why (only patient columns can be)."""
    if piece.table != "patients":
        patient_column = canonical_header("patients", normalise(header))
        why = "patient_column_elsewhere" if patient_column else "not_patient_table"
    elif filters is None:
        why = "cohort_unusable"
    else:
        why = filters[name]
    # A month out of range is the first thing to fix, whether or not the column is a filter.
    reason = "bad_month_header" if bad_month_header(header) else why
    return {"status": FILTER if why is None else EXTRA, "table": piece.table, "reason": reason}
