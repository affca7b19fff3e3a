"""Layouts: which canonical table each uploaded sheet or file holds, and its raw cells
renamed to canonical columns.

A sheet is recognised by its name (sheet name, or file name for CSV/Parquet), else by
its headers (contract, "Layouts"; what each header names: ``core.headers``). A wide
sheet (one row per patient, visit columns suffixed with the month) becomes a patients
piece plus one visits piece per month; a long visits sheet that repeats patient
columns also yields a patients piece, whose rows the validator collapses to one per
patient. Cells stay raw here: parsing (once per distinct cell, ``core.distinct``),
range checks and row rejections belong to ``core.validate``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Sequence

import numpy as np
import pandas as pd

from core.distinct import parse_cells, per_distinct
from core.headers import bad_month_header, canonical_header, month_marked, names_a_month, wide_reading
from core.raw_table import RawTable, header_text
from core.report import ERROR, WARNING, Issue
from core.schema import COLUMNS, PATIENTS, TABLE_NAMES, normalise
from core.values import is_missing

PATIENT_ONLY = frozenset(c.name for c in PATIENTS if c.name != "patient_id")
# Every required patient column but the id: a sheet holding them is a patients table.
_PATIENT_REQUIRED = frozenset(c.name for c in PATIENTS if c.required and c.name != "patient_id")
_MONTH = COLUMNS["visits"]["month"]


@dataclass
class Piece:
    """Raw cells of one canonical table taken from one sheet or file.

    ``cells`` has canonical column names (plus extra columns under their normalised
    header) and a RangeIndex; ``rows`` the spreadsheet row of each cells row;
    ``headers`` the header as the user wrote it for each column of ``cells``.
    ``repeated`` marks patient columns read from a long visits table (several rows per
    patient); ``month`` the visit month of a wide piece (its ``month`` column is
    synthesised). ``source`` orders pieces by upload (a later row loses duplicates).
    ``rejected`` counts rows of the sheet left out while reading it (``RawTable.rejected``),
    on the one piece whose rows are the sheet's rows, so that table counts them.
    ``positions`` gives the column of ``cells`` read from each position of the raw table;
    ``dropped`` the positions this piece left out, as (reason, canonical column or None):
    ``duplicate_column`` or ``empty_column``, or ``identifier`` (``core.identifier_columns.hold_back``);
    ``core.readings`` reports each.
    """

    table: str
    file: str
    sheet: str | None
    cells: pd.DataFrame
    rows: np.ndarray
    headers: dict[str, str] = field(default_factory=dict)
    source: int = 0
    repeated: bool = False
    month: int | None = None
    rejected: int = 0
    positions: dict[int, str] = field(default_factory=dict)
    dropped: dict[int, tuple[str, str | None]] = field(default_factory=dict)


# A month as a group label above a wide sheet's visit columns: "M3", "Mois 3", "3 mois".
_MONTH_LABEL = re.compile(r"^(?:m|mois|month)_?(\d{1,3})$|^(\d{1,3})_?(?:mois|months?)$")


def headers_below_group_row(tables: Sequence[RawTable]) -> tuple[list[RawTable], list[Issue]]:
    """``tables`` with the headers read one row lower where the header row names no
    patient id and the row under it does: a row of group labels above the headers
    ("Biologie" merged over the lab columns) is skipped and said (``title_row_skipped``).
    A group label that is a month ("M3", "Mois 3") marks the headers under it, up to
    the next label, as a wide sheet's visit columns of that month ("Dose CT" -> "Dose CT M3")."""
    out, issues = [], []
    for raw in tables:
        if len(raw.data) == 0 or _names_id(raw.headers):
            out.append(raw)
            continue
        below = tuple(header_text(cell) for cell in raw.data.iloc[0])
        if not _names_id(below):
            out.append(raw)
            continue
        label, marked = "", []
        for group, header in zip(raw.headers, below):
            label = group or label
            month = _MONTH_LABEL.match(normalise(label))
            # A header naming its own month ("Dose CT M0", "Atteinte cutanée M0") keeps it.
            own = bool(header) and names_a_month(normalise(header))
            marked.append(f"{header} M{int(month[1] or month[2])}" if month and header and not own else header)
        title = next((h for h in raw.headers if h), "")
        out.append(replace(raw, headers=tuple(marked), data=raw.data.iloc[1:].reset_index(drop=True),
                           row_numbers=raw.row_numbers[1:], header_row=int(raw.row_numbers[0])))
        issues.append(Issue.of(WARNING, "title_row_skipped",
                               {"row": raw.header_row, "title": title, "header_row": int(raw.row_numbers[0])},
                               variant="months" if tuple(marked) != below else "",
                               file=raw.file, sheet=raw.sheet, row=raw.header_row, value=title))
    return out, issues


def _names_id(headers: Sequence[str]) -> bool:
    return any(canonical_header("patients", normalise(h)) == "patient_id" for h in headers)


def classify_tables(tables: Sequence[RawTable]) -> tuple[list[Piece], list[Issue]]:
    """The canonical pieces of every raw table, and the issues met classifying them."""
    pieces: list[Piece] = []
    issues: list[Issue] = []
    unrecognised: list[RawTable] = []
    kinds = [_table_kind(raw) for raw in tables]
    summaries = _summaries(tables, kinds)
    kinds = [None if id(raw) in summaries else kind for raw, kind in zip(tables, kinds)]
    # With patients given elsewhere, a visits table's repeated patient columns are extras
    # (else the patients table would be given twice).
    own_patients = any(k in ("patients", "wide") for k in kinds)
    for source, (raw, kind) in enumerate(zip(tables, kinds)):
        if kind is None:
            unrecognised.append(raw)
            continue
        new, found = _pieces_of(raw, "visits" if kind == "long" and own_patients else kind, source)
        pieces += new
        issues += found
    severity = WARNING if pieces else ERROR
    for raw in unrecognised:
        issues.append(_unrecognised(raw, severity, summaries.get(id(raw))))
    issues += _duplicate_tables(pieces)
    return pieces, issues


# The canonical tables each kind of sheet gives.
_GIVES = {"patients": {"patients"}, "visits": {"visits"}, "events": {"events"},
          "long": {"patients", "visits"}, "wide": {"patients", "visits"}}


def _summaries(tables: Sequence[RawTable], kinds: list[str | None]) -> dict[int, str]:
    """The sheets recognised by their columns alone that have no patient id column while
    another sheet, with one, gives their table: a summary beside the data (a pivot table
    of patients per centre), not the table given twice. {id(raw): the table}."""
    keyed = [_names_id(raw.headers) for raw in tables]
    found = {}
    for i, (raw, kind) in enumerate(zip(tables, kinds)):
        if kind is None or keyed[i] or _named_table(raw)[0] is not None:
            continue
        given = [t for j, k in enumerate(kinds) if j != i and keyed[j] and k for t in _GIVES[k] & _GIVES[kind]]
        if given:
            found[id(raw)] = min(given, key=("patients", "visits", "events").index)
    return found


def _header_names(raw: RawTable) -> list[str]:
    return [normalise(h) for h in raw.headers]


def _named_table(raw: RawTable) -> tuple[str | None, bool]:
    """The table a sheet name (or a file name, for a single-table file) names, and
    whether the whole name is a table's name (else a word of it is)."""
    name = raw.sheet if raw.sheet is not None else PurePath(raw.file).stem
    norm = normalise(name)
    # Whole name first ("evenements_indesirables"), then any word of it
    # ("cohort_visits", "demo_events_fr"); two different tables named: undecided.
    hits = {t for t, names in TABLE_NAMES.items() if norm in names}
    if hits:
        return (hits.pop() if len(hits) == 1 else None), True
    words = set(norm.split("_"))
    hits = {t for t, names in TABLE_NAMES.items() if words & set(names)}
    return (hits.pop() if len(hits) == 1 else None), False


def _table_kind(raw: RawTable) -> str | None:
    """patients, visits, events, "long" (visits with patient columns) or "wide"."""
    names = _header_names(raw)
    patient = {canonical_header("patients", n) for n in names} - {None}
    visit = {canonical_header("visits", n) for n in names} - {None}
    event = {canonical_header("events", n) for n in names} - {None}
    # An exact alias wins over a month reading: "age_m0" is the age.
    wide = any(not canonical_header("patients", n) and wide_reading(n) for n in names)
    has_month = "month" in visit
    long_kind = "long" if patient & PATIENT_ONLY else "visits"
    by_columns = _kind_by_columns(wide, has_month, event, patient, long_kind)
    named, whole_name = _named_table(raw)
    if named is None:
        return by_columns
    # A table's own name decides. A word of the name ("cohort_visits") decides unless the
    # columns make the sheet another table: "visite_inclusion" with every patient column
    # and no month is the patients table, "effets_indesirables_patients" with month and
    # type the events. Otherwise the named table's own check reports what is missing.
    whole_patients = by_columns == "patients" and _PATIENT_REQUIRED <= patient
    impossible = {"events": "month" not in event and whole_patients, "visits": not has_month and whole_patients,
                  "patients": by_columns == "events"}[named]
    if not whole_name and impossible and by_columns is not None:
        return by_columns
    if named == "events":
        return "events"
    if named in ("patients", "visits") and wide and not has_month:
        return "wide"
    if named == "visits":
        return long_kind
    return long_kind if has_month else "patients"  # named "patients"


def _kind_by_columns(wide: bool, has_month: bool, event: set[str], patient: set[str], long_kind: str) -> str | None:
    """The table a sheet's columns make it, whatever its name (see ``_table_kind``)."""
    if wide and not has_month:
        return "wide"
    if "month" in event and "type" in event:
        return "events"
    if has_month:
        return long_kind
    if patient & PATIENT_ONLY:
        return "patients"
    return None


def _pieces_of(raw: RawTable, kind: str, source: int) -> tuple[list[Piece], list[Issue]]:
    names = _header_names(raw)
    if kind in ("patients", "visits", "events"):
        mapping = {i: canonical_header(kind, n) for i, n in enumerate(names)}
        piece, issues = _build(raw, kind, mapping, source, extras=True)
        piece.rejected = raw.rejected
        return [piece], issues
    if kind == "long":
        visit_map = {i: canonical_header("visits", n) for i, n in enumerate(names)}
        patient_map = {i: canonical_header("patients", n) for i, n in enumerate(names)}
        patient_map = {i: c for i, c in patient_map.items() if c in PATIENT_ONLY or c == "patient_id"}
        # Patient columns go to the patients piece only; the id and all else stay on visits.
        only_patient = {i for i, c in patient_map.items() if c != "patient_id"}
        visits, issues = _build(raw, "visits", visit_map, source, extras=True, skip=only_patient)
        patients, more = _build(raw, "patients", patient_map, source, extras=False)
        patients.repeated = True
        visits.rejected = raw.rejected
        return [patients, visits], issues + more
    return _wide_pieces(raw, names, source)


def _wide_pieces(raw: RawTable, names: list[str], source: int) -> tuple[list[Piece], list[Issue]]:
    """A patients piece and one visits piece per month (the unpivot, column group by group)."""
    patient_map = {i: canonical_header("patients", n) for i, n in enumerate(names)}
    by_month: dict[int, dict[int, str]] = {}
    for i, n in enumerate(names):
        reading = None if patient_map[i] else wide_reading(n)
        if reading:
            by_month.setdefault(reading[1], {})[i] = reading[0]
    taken = {i for cols in by_month.values() for i in cols}
    patients, issues = _build(raw, "patients", patient_map, source, extras=True, skip=taken)
    patients.rejected = raw.rejected  # a wide row is a patient row
    pieces = [patients]
    id_pos = [i for i, c in patient_map.items() if c == "patient_id"]
    if not id_pos:
        return pieces, issues  # the patients piece reports the missing id column
    has_id = ~per_distinct(is_missing, raw.data[id_pos[0]]).to_numpy(dtype=bool)
    for month in sorted(by_month):
        mapping = {id_pos[0]: "patient_id", **by_month[month]}
        present = np.zeros(len(raw.data), dtype=bool)
        marked: dict[int, np.ndarray] = {}
        for i, col in by_month[month].items():
            kind = COLUMNS["visits"][col].kind
            holds = _holds_value(raw.data[i], kind)
            # A cell of marks that reads as no value ("-" for a dose, "/" anywhere: not a
            # missing marker of the contract) is reported, but makes no visit on its own:
            # a "-" written for a visit not done must not add the visit, nor its
            # follow-up. An IFN sign ("-": negative) is a value.
            marks = holds & per_distinct(is_missing, raw.data[i]).to_numpy(dtype=bool)
            if marks.any():
                marked[i] = marks & parse_cells(raw.data[i], kind).invalid.to_numpy(dtype=bool)
                holds &= ~marked[i]
            present |= holds
        # A visit exists when any of its cells holds a value; visits of a row without a
        # patient id are not read (the patients piece rejects and lists that row).
        visits, found = _build(raw, "visits", mapping, source, extras=False, keep=present & has_id)
        visits.month = month
        visits.cells["month"] = month
        pieces.append(visits)
        issues += found
        # Marks in a row with no visit that month: reported here, as the visits' own
        # unreadable cells are when they are parsed (``core.validate``).
        for i, marks in marked.items():
            col = by_month[month][i]
            for pos in np.flatnonzero(marks & has_id & ~present):
                value = str(raw.data[i].iloc[pos])
                issues.append(Issue.of(WARNING, "invalid_value", {"col": col, "value": value}, file=raw.file,
                                       sheet=raw.sheet, row=int(raw.row_numbers[pos]), column=raw.headers[i],
                                       value=value, table="visits"))
    return pieces, issues


def _holds_value(series: pd.Series, kind: str) -> np.ndarray:
    # Per kind: an IFN "-" (negative) normalises to nothing like a blank, yet is a value.
    return ~per_distinct(lambda cells: is_missing(cells, kind), series).to_numpy(dtype=bool)


def _build(
    raw: RawTable,
    table: str,
    mapping: dict[int, str | None],
    source: int,
    extras: bool,
    skip: set[int] | frozenset[int] = frozenset(),
    keep: np.ndarray | None = None,
) -> tuple[Piece, list[Issue]]:
    """One piece from the mapped positions of ``raw`` (extras named by normalised header)."""
    issues: list[Issue] = []
    columns: dict[str, pd.Series] = {}
    headers: dict[str, str] = {}
    positions: dict[int, str] = {}
    dropped: dict[int, tuple[str, str | None]] = {}
    for i, header in enumerate(raw.headers):
        if i in skip:
            continue
        name = mapping.get(i)
        if name is None:
            if not extras:
                continue  # another piece of the sheet reads this column
            if not header and per_distinct(is_missing, raw.data[i]).all():
                dropped[i] = ("empty_column", None)  # spreadsheet padding, not data
                continue
            name = _extra_name(normalise(header) or f"column_{i + 1}", columns, table)
            issues.append(_unknown(raw, table, header, i))
        elif name in columns:
            issues.append(_at(raw, ERROR, "duplicate_column", table, header, "",
                              {"first": headers[name], "second": header, "table": table, "col": name}))
            dropped[i] = ("duplicate_column", name)
            continue
        columns[name] = raw.data[i]
        headers[name] = header
        positions[i] = name
    # The raw columns go in as they are (copy-on-write): a registry's columns are large.
    cells = pd.DataFrame(columns, index=raw.data.index, copy=False)
    rows = np.asarray(raw.row_numbers)
    if keep is not None:
        cells, rows = cells[keep], rows[keep]
    piece = Piece(table, raw.file, raw.sheet, cells.reset_index(drop=True), rows, headers, source)
    piece.positions, piece.dropped = positions, dropped
    return piece, issues


def _unknown(raw: RawTable, table: str, header: str, position: int) -> Issue:
    """The note for a header kept as an extra column: a visit column whose month is out
    of range is a header problem (one issue at the header row, not one per patient)."""
    marked = month_marked(normalise(header))
    if bad_month_header(header):
        params = {"header": header, "month": marked[1], "low": _MONTH.low, "high": _MONTH.high}
        return Issue.of(WARNING, "bad_month_header", params, file=raw.file, sheet=raw.sheet, row=raw.header_row,
                        column=header, table=table)
    return _at(raw, WARNING, "unknown_column", table, header, "" if header else "unnamed",
               {"header": header, "position": raw.column_number(position), "table": table})


def _extra_name(name: str, taken: dict[str, pd.Series], table: str) -> str:
    candidate, k = name, 2
    while candidate in taken or candidate in COLUMNS[table]:
        candidate, k = f"{name}_{k}", k + 1
    return candidate


def _at(raw: RawTable, severity: str, code: str, table: str | None, column: str | None,
        variant: str, params: dict[str, object]) -> Issue:
    return Issue.of(severity, code, params, variant=variant, file=raw.file, sheet=raw.sheet, column=column,
                    table=table)


def _unrecognised(raw: RawTable, severity: str, given: str | None = None) -> Issue:
    """``given``: the table another sheet gives, this one having its columns but no id."""
    code = "unrecognised_table" if severity == WARNING else "no_table"
    if given is not None:
        if raw.sheet is not None:
            return _at(raw, WARNING, "unrecognised_table", given, None, "no_id", {"sheet": raw.sheet, "table": given})
        return _at(raw, WARNING, "unrecognised_table", given, None, "file_no_id", {"file": raw.file, "table": given})
    if raw.sheet is not None:
        return _at(raw, severity, code, None, None, "", {"sheet": raw.sheet})
    return _at(raw, severity, code, None, None, "file", {"file": raw.file})


def _duplicate_tables(pieces: list[Piece]) -> list[Issue]:
    """Two sheets or files giving the same table: error naming both."""
    issues = []
    for table in ("patients", "visits", "events"):
        origins = list(dict.fromkeys((p.source, p.file, p.sheet) for p in pieces if p.table == table))
        if len(origins) > 1:
            where = ", ".join(f"{f} [{s}]" if s is not None else f for _, f, s in origins)
            _, file, sheet = origins[1]  # located at the second one: the first is the table
            issues.append(Issue.of(ERROR, "duplicate_table", {"table": table, "where": where},
                                   file=file, sheet=sheet, table=table))
    return issues
