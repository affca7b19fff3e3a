"""The validation report as data: every problem found while reading a cohort."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.readings import ColumnReading

ERROR = "error"  # the cohort cannot be analysed until the file is fixed
REJECTED = "rejected"  # the row is left out and listed
WARNING = "warning"  # the row is kept; the value is set missing, or a note
SEVERITIES = (ERROR, REJECTED, WARNING)

# Every issue code, with the variants of its sentence (a variant is another wording of
# the same problem, e.g. a sheet rather than a file). Each (code, variant) has a message
# and a hint in every catalogue: ``issue.<code>[.<variant>].message`` / ``.hint``.
CODES: dict[str, tuple[str, ...]] = {
    # core.formats, core.raw_table, core.parquet_reader
    "empty_file": ("sheet", "workbook", "parquet"),
    "header_only": ("sheet", "kept", "sheet_kept"),
    "unreadable_file": ("csv", "workbook", "protected", "no_sheet", "parquet"),
    "unreadable_sheet": (),
    "title_row_skipped": ("months",),
    "too_many_cells": ("all",),
    "mixed_encoding": (),
    "column_not_utf8": (),
    # core.limits, core.workbook_scan, core.workbooks: reading within limits
    "file_too_large": ("uncompressed", "entry", "ratio", "entries", "strings"),
    "too_many_rows": ("sheet",),
    "too_many_columns": ("sheet",),
    "table_too_large": ("sheet",),
    "too_many_sheets": (),
    "reader_failed": ("time",),
    "cell_too_long": (),
    "formula_not_computed": (),
    "spreadsheet_error_value": (),
    "hidden_sheet": ("read",),
    "merged_cells": ("kept",),
    # core.layout
    "unknown_column": ("unnamed",),
    "bad_month_header": (),
    "duplicate_column": (),
    "unrecognised_table": ("file", "no_id", "file_no_id"),
    "no_table": ("file", "upload"),
    "duplicate_table": (),
    # core.validate
    "missing_table": ("empty",),
    "missing_column": (),
    "invalid_value": (),
    "implausible_value": ("low", "high"),
    "missing_key": ("blank",),
    "not_a_data_row": ("header", "summary", "note"),
    "unknown_patient": (),
    "duplicate_visit": (),
    "duplicate_patient": (),
    "conflicting_patient_values": (),
    "unknown_drug": (),
    # core.lookalike_ids
    "lookalike_id": ("more", "unknown"),
    # core.identifier_columns: a column that looks like a direct identifier (by its header, or its content)
    "identifier_column": ("content",),
    # ui.state: the loader itself failed
    "load_failed": (),
}
# Parameters naming a code (a canonical table or column, a kind of identifier): shown
# translated, from the catalogue key ``<prefix>.<value>``, not as the code.
_LABEL_PARAMS = {"table": "issue.table", "col": "column", "identifier": "identifier.kind"}


def issue_key(code: str, variant: str, part: str) -> str:
    """The catalogue key of an issue's ``part`` ("message" or "hint")."""
    return f"issue.{code}.{variant}.{part}" if variant else f"issue.{code}.{part}"


@dataclass(frozen=True)
class Issue:
    """One problem, located as the user sees it in their spreadsheet.

    ``row`` is the spreadsheet row number (header = row 1, first data row = 2), or
    None for a problem with a whole file, sheet or column. ``column`` is the header as
    the user wrote it. ``message`` and ``hint`` are the English text; ``params`` (sorted
    (name, value) pairs) and ``variant`` rebuild them in any language from the
    catalogues (see ``Issue.of`` and ``text``). ``params`` is None for an issue whose
    text was written directly; ``text`` then returns ``message`` as is.
    """

    severity: str
    code: str
    message: str
    hint: str = ""
    file: str = ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    table: str | None = None
    params: tuple[tuple[str, object], ...] | None = None
    variant: str = ""

    def __post_init__(self) -> None:
        # An undeclared code would have no translation: a programming error.
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
        _check_code(self.code, self.variant)

    @classmethod
    def of(cls, severity: str, code: str, params: Mapping[str, object] | None = None, *, variant: str = "",
           file: str = "", sheet: str | None = None, row: int | None = None, column: str | None = None,
           value: str | None = None, table: str | None = None) -> Issue:
        """An issue whose English message and hint come from the catalogue."""
        _check_code(code, variant)
        frozen = tuple(sorted((params or {}).items()))
        message, hint = (_render(code, variant, part, frozen, "en") for part in ("message", "hint"))
        return cls(severity, code, message, hint, file, sheet, row, column, value, table, frozen, variant)

    def text(self, lang: str) -> str:
        """The message in ``lang`` ("fr" or "en")."""
        return self.message if self.params is None else _render(self.code, self.variant, "message", self.params, lang)

    def hint_text(self, lang: str) -> str:
        """The hint in ``lang`` ("fr" or "en")."""
        return self.hint if self.params is None else _render(self.code, self.variant, "hint", self.params, lang)

    def to_dict(self, lang: str = "en") -> dict:
        out = asdict(self)
        out["message"], out["hint"] = self.text(lang), self.hint_text(lang)
        out["params"] = None if self.params is None else dict(self.params)
        return out


def file_issue(code: str, file: str, sheet: str | None, variant: str = "", severity: str = ERROR,
               **params: object) -> Issue:
    """An issue with a whole file or sheet; a sheet's wording names it (variant "sheet")."""
    if sheet is not None:
        params["sheet"] = sheet
    return Issue.of(severity, code, params, variant=variant, file=file, sheet=sheet)


def value_text(value: object) -> str:
    """A cell's value as an issue quotes it: a whole number without ``.0`` (29, not 29.0)."""
    if isinstance(value, float) and value.is_integer():  # numpy's float64 is a float
        return str(int(value))
    return str(value)


def _check_code(code: str, variant: str) -> None:
    if code not in CODES or (variant and variant not in CODES[code]):
        raise ValueError(f"undeclared issue code {code!r} (variant {variant!r}): add it to CODES")


def _render(code: str, variant: str, part: str, params: tuple[tuple[str, object], ...], lang: str) -> str:
    from core.i18n import fmt_num, semicolon, t

    def shown(name: str, value: object) -> str:
        if isinstance(value, tuple):  # a list of items, in the language's punctuation
            return semicolon(lang).join(str(v) for v in value)
        if name in _LABEL_PARAMS:
            return t(f"{_LABEL_PARAMS[name]}.{value}", lang)
        if isinstance(value, float):
            # Bounds such as 0.5: the locale's decimal mark, no trailing zeros.
            return fmt_num(value, lang, 0) if value.is_integer() else fmt_num(value, lang, 2).rstrip("0")
        return str(value)

    return t(issue_key(code, variant, part), lang, **{name: shown(name, v) for name, v in params})


@dataclass(frozen=True)
class TableCount:
    """Rows read, kept and rejected for one canonical table: read = kept + rejected."""

    read: int
    kept: int
    rejected: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    """Every issue of one load, plus per-table row counts and how each uploaded column
    was read (``core.readings.ColumnReading``, in upload order)."""

    issues: list[Issue] = field(default_factory=list)
    counts: dict[str, TableCount] = field(default_factory=dict)
    columns: list[ColumnReading] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return not any(i.severity == ERROR for i in self.issues)

    def by_severity(self, severity: str) -> list[Issue]:
        return [i for i in self.issues if i.severity == severity]

    def sorted_issues(self) -> list[Issue]:
        """Errors first, then rejected rows, then warnings; each by file, sheet, row."""
        rank = {s: k for k, s in enumerate(SEVERITIES)}
        return sorted(
            self.issues,
            key=lambda i: (rank[i.severity], i.file, i.sheet or "", i.row or 0, i.column or ""),
        )

    def to_dict(self, lang: str = "en") -> dict:
        """The report as JSON-ready data, issue sentences in ``lang``."""
        return {
            "usable": self.usable,
            "counts": {t: c.to_dict() for t, c in self.counts.items()},
            "issues": [i.to_dict(lang) for i in self.sorted_issues()],
            "columns": [c.to_dict(lang) for c in self.columns],
        }
