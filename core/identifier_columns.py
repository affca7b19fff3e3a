"""The columns of an upload that look like direct identifiers (``core.identifiers``):
reported as ``identifier_column`` and kept out of the cohort.

The contract's own columns (read as a canonical field, or any header the schema reads,
``core.headers.canonical_header``) are never examined; the others are tried by header,
then by content. ``core.loader`` reports what ``find_identifiers`` finds and loads the
pieces ``hold_back`` leaves, so a flagged column never reaches DuckDB: never an extra
column, a filter, a chart or an export.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from core.headers import bad_month_header, canonical_header
from core.identifiers import content_kinds, header_kind
from core.layout import Piece
from core.raw_table import RawTable
from core.report import WARNING, Issue, Report
from core.schema import COLUMNS, TABLES, normalise

HEADER, CONTENT = "header", "content"
CODE = "identifier_column"


@dataclass(frozen=True)
class IdentifierColumn:
    """One flagged column: where it is (``source`` indexes the upload's raw tables,
    ``position`` its column there), its header as written, the kind of identifier and
    whether its ``HEADER`` or its ``CONTENT`` gave it away."""

    file: str
    sheet: str | None
    header: str
    kind: str
    basis: str
    source: int
    position: int
    header_row: int = 1
    table: str | None = None

    def issue(self) -> Issue:
        """The located warning ``identifier_column`` for this column."""
        return Issue.of(WARNING, "identifier_column", {"header": self.header, "identifier": self.kind},
                        variant="content" if self.basis == CONTENT else "", file=self.file, sheet=self.sheet,
                        row=self.header_row, column=self.header, table=self.table)


def find_identifiers(tables: Sequence[RawTable], pieces: Sequence[Piece]) -> list[IdentifierColumn]:
    """Every column of ``tables`` (as ``core.layout.classify_tables`` read them into
    ``pieces``) that is not the contract's and looks like a direct identifier, in
    upload order; the header is tried first, then the content."""
    found = []
    for source, raw in enumerate(tables):
        mine = [p for p in pieces if p.source == source]
        contract = {i for p in mine for i, n in p.positions.items() if n in COLUMNS[p.table]}
        contract |= {i for p in mine for i, (_, n) in p.dropped.items() if n is not None}
        others = [i for i, h in enumerate(raw.headers) if i not in contract and not _contract_header(h)]
        kinds = {i: (header_kind(raw.headers[i]), HEADER) for i in others}
        unnamed = [i for i in others if kinds[i][0] is None]
        by_content = content_kinds([raw.headers[i] for i in unnamed], [raw.data[i] for i in unnamed])
        kinds.update({i: (kind, CONTENT) for i, kind in zip(unnamed, by_content)})
        for i in others:  # upload order
            kind, basis = kinds[i]
            if kind is not None:
                table = next((p.table for p in mine if i in p.positions), None)
                found.append(IdentifierColumn(raw.file, raw.sheet, raw.headers[i], kind, basis, source, i,
                                              raw.header_row, table))
    return found


def _contract_header(header: str) -> bool:
    name = normalise(header)
    return any(canonical_header(table, name) for table in TABLES) or bad_month_header(header)


def hold_back(pieces: Sequence[Piece], found: Sequence[IdentifierColumn]) -> list[Piece]:
    """``pieces`` without the flagged columns: they never reach the cohort (nor its extra
    columns, so never a filter, a chart or an export); each is recorded as not used,
    ``identifier``, for ``core.readings``."""
    flagged = {(c.source, c.position) for c in found}
    out = []
    for piece in pieces:
        drop = [i for i, n in piece.positions.items()
                if (piece.source, i) in flagged and n not in COLUMNS[piece.table]]
        if drop:
            names = {piece.positions[i] for i in drop}
            piece = replace(piece, cells=piece.cells.drop(columns=list(names)),
                            headers={n: h for n, h in piece.headers.items() if n not in names},
                            positions={i: n for i, n in piece.positions.items() if n not in names},
                            dropped={**piece.dropped, **{i: ("identifier", None) for i in drop}})
        out.append(piece)
    return out


def identifier_issues(report: Report) -> list[Issue]:
    """The report's ``identifier_column`` warnings, in upload order."""
    return [i for i in report.issues if i.code == CODE]


def identifier_keys(report: Report) -> frozenset[tuple[str, str | None, str]]:
    """(file, sheet, header as written) of every flagged column of ``report``."""
    return frozenset((i.file, i.sheet, i.column) for i in identifier_issues(report))
