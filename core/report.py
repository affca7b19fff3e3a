"""The validation report as data: every problem found while reading a cohort."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERROR = "error"  # the cohort cannot be analysed until the file is fixed
REJECTED = "rejected"  # the row is left out and listed
WARNING = "warning"  # the row is kept; the value is set missing, or a note
SEVERITIES = (ERROR, REJECTED, WARNING)


@dataclass(frozen=True)
class Issue:
    """One problem, located as the user sees it in their spreadsheet.

    ``row`` is the spreadsheet row number (header = row 1, first data row = 2), or
    None for a problem with a whole file, sheet or column. ``column`` is the header as
    the user wrote it.
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

    def to_dict(self) -> dict:
        return asdict(self)


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
    """Every issue of one load, plus per-table row counts."""

    issues: list[Issue] = field(default_factory=list)
    counts: dict[str, TableCount] = field(default_factory=dict)

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

    def to_dict(self) -> dict:
        return {
            "usable": self.usable,
            "counts": {t: c.to_dict() for t, c in self.counts.items()},
            "issues": [i.to_dict() for i in self.sorted_issues()],
        }
