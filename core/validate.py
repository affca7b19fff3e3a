"""Validation: raw pieces -> typed canonical frames, with every issue located.

Severities follow the contract: an error blocks the cohort (missing required column,
duplicate patient, conflicting patient values); a rejected row is left out and listed
(unknown patient, second visit at one month, missing key); a warning keeps the row and
sets the value missing (unparseable or implausible value), or keeps it (a corticosteroid
drug the app does not recognise). Issues are built from
boolean masks; Python loops run over columns and flagged cells only.
"""
from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.db import PATIENT_ROW, rows_in_order
from core.distinct import parse_cells
from core.layout import PATIENT_ONLY, Piece
from core.lookalike_ids import lookalike_issues, unknown_lookalike_issues
from core.report import CODES, ERROR, REJECTED, WARNING, Issue, Report, TableCount, value_text
from core.schema import COLUMNS, CS_DRUG_FACTORS, TABLES, TEXT
from core.scoring import drug_factor
from core.values import arrow_text, ascii_alnum_with_digit, is_text_column
from core.workers import map_in_threads

KEYS = {"patients": ("patient_id",), "visits": ("patient_id", "month"), "events": ("patient_id", "month", "type")}


def check_cohort(pieces: list[Piece], report: Report) -> dict[str, pd.DataFrame | None]:
    """Typed canonical frames (None for a table not supplied); issues and counts go to ``report``.

    Each frame has the canonical columns the upload supplied, then its extra columns
    (as text), in upload order. Visits and events also have ``_patient_row`` (``PATIENT_ROW``):
    the row of the patients frame holding each row's patient, matched here once, which
    the cohort's database takes rather than matching the ids again (``core.db``).
    """
    supplied = {p.table for p in pieces}
    if supplied and "patients" not in supplied:
        report.issues.append(Issue.of(ERROR, "missing_table", {"table": "patients"}, table="patients"))
    parsed: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES}
    said: set[tuple[str, str | None, int]] = set()  # a wide sheet's row is in several pieces: said once
    # Patients first: a wide sheet's visit pieces leave out the rows its patients piece found.
    for index in sorted(range(len(pieces)), key=lambda i: pieces[i].table != "patients"):
        piece = pieces[index]
        if _has_required(piece, report):
            # In place: the rows' counts (``_left_out``) and the columns' readings
            # (``core.readings``) read the pieces without their non-data rows.
            piece = pieces[index] = _without_non_data_rows(piece, report, said)
            parsed[piece.table].append(_parse(piece, index, report))
    frames: dict[str, pd.DataFrame | None] = {
        t: _stacked(f) for t, f in parsed.items()}
    # ``known``: the patients' distinct ids, as Arrow text: rows are matched to them in Arrow.
    frames["patients"], known = _check_patients(frames["patients"], pieces, report)
    if frames["patients"] is not None and frames["patients"].empty:
        report.issues.append(_no_patient(pieces))
    linked = {table: _in_upload_order(frames[table]) for table in ("visits", "events")}
    positions = _positions(linked, known)
    for table in ("visits", "events"):
        frames[table] = _check_linked(linked[table], table, known, positions.get(table), pieces, report)
    return {t: None if f is None else f[[c for c in f.columns if not c.startswith("_") or c == PATIENT_ROW]]
            for t, f in frames.items()}


def _no_patient(pieces: list[Piece]) -> Issue:
    """The error of a patients table with no patient row left (headers only, or every
    row rejected): the cohort format requires at least one treated patient, and the
    other tables' rows would all be left out as unknown patients."""
    where = {(p.file, p.sheet) for p in pieces if p.table == "patients"}
    file, sheet = next(iter(where)) if len(where) == 1 else ("", None)
    return Issue.of(ERROR, "missing_table", {"table": "patients"}, variant="empty", file=file, sheet=sheet,
                    table="patients")


# What a spreadsheet holds under its table that is not a row of data, told by the key
# cell (patient id) of the row and the cells beside it: the header row again (two
# exports pasted one under the other: every filled cell is its column's header), a
# summary ("Moyenne", "Total": a word no initials spell, and the row's own key left
# blank: a patient's sex, a visit's month, an event's type), or a note ("* P4 : données
# manquantes", "NB : ...", or four words or more, alone on its row).
_SUMMARY_WORDS = frozenset({
    "total", "totaux", "totals", "sous_total", "subtotal", "somme", "moyenne", "moyennes", "mean", "average",
    "median", "mediane", "ecart_type", "effectif", "effectifs", "nombre", "minimum", "maximum", "moy", "min", "max"})
# Abbreviations that are also initials ("SD", "NB" are patients): a summary's label
# only as the first of several words ("Nb patients", "SD age").
_SUMMARY_FIRST_WORDS = _SUMMARY_WORDS | {"nb", "sd"}
_ROW_KEY = {"patients": "sex", "visits": "month", "events": "type"}
# An id starting with a summary word that no initials spell is asked even with a digit
# ("Total (n=2)", "Moyenne ± ET 40,5"), unless it is that word and a number, an id's
# shape ("Total 2", ``_WORD_AND_NUMBER``); other ids with a digit are ids ("MAX 001").
_SUMMARY_START = (r"^(?:total|totaux|totals|sous.?total|subtotal|somme|moyennes?|mean|average|m[eé]diane?|"
                  r"effectifs?|nombre|minimum|maximum|[eé]cart[\s_-]*types?)\b")
_WORD_AND_NUMBER = r"^[^\s0-9:]+[\s_.-]*[0-9]+$"
_NOTE_START = r"^\s*(?:[*†‡(\[]|n\.?b\s*[.:]|notes?\b|remarques?\b|l[eé]gende\b|sources?\b)"
# A note that starts with no such mark has at least this many words (an id has one).
_NOTE_WORDS = 4


def _without_non_data_rows(piece: Piece, report: Report, said: set) -> Piece:
    """``piece`` without the rows that are not data (see ``_SUMMARY_WORDS``), each
    rejected and reported once (``not_a_data_row``; ``said`` holds the rows found so far
    by (file, sheet, row), so that the other pieces of a wide sheet leave them out too)
    and counted as read and left out (``Piece.rejected``). The ids are read in Arrow;
    only the rows whose id is such a word, note or header are looked at cell by cell."""
    ids = piece.cells["patient_id"]
    # Rows another piece of this sheet found: left out here too, said there.
    keep = ~np.isin(piece.rows, [r for (f, sh, r) in said if (f, sh) == (piece.file, piece.sheet)])
    if is_text_column(ids) or ids.dtype == object:
        for pos in _candidate_rows(ids, piece):
            kind = _non_data_kind(piece, pos) if keep[pos] else None
            if kind:
                keep[pos] = False
                variant, value = kind
                row = int(piece.rows[pos])
                said.add((piece.file, piece.sheet, row))
                report.issues.append(Issue.of(
                    REJECTED, "not_a_data_row", {"row": row, "value": value}, variant=variant, file=piece.file,
                    sheet=piece.sheet, row=row, column=piece.headers.get("patient_id"), value=value,
                    table=piece.table))
    if keep.all():
        return piece
    return replace(piece, cells=piece.cells[keep].reset_index(drop=True), rows=piece.rows[keep],
                   rejected=piece.rejected + int((~keep).sum()))


def _candidate_rows(ids: pd.Series, piece: Piece) -> list[int]:
    """The rows whose id cell is a summary word, the id column's header, or reads as a
    note: a few passes in Arrow over the ids (typed ids, numbers, are none of these).

    An id of ASCII letters and digits with a digit among them (P000123, most ids) is
    none of these either: no space (not four words), no mark or word a note starts with
    (a word needs a boundary after it, and a digit is no boundary), and a summary word
    or a header without a digit needs the id to have no digit or a boundary; such ids
    are set aside with two cheap passes before the regular expressions read the rest.
    A header with a digit leaves every id to them.
    """
    from core.schema import normalise

    text = arrow_text(ids) if is_text_column(ids) else pa.array(
        ids.map(lambda v: v if isinstance(v, str) else None).to_numpy(dtype=object), type=pa.large_string(),
        from_pandas=True)  # a missing cell (None, NaN) is null
    header = normalise(piece.headers.get("patient_id", "patient_id"))
    if re.search("[0-9]", header):
        return _asked_rows(text, np.arange(len(text)), header, piece)
    plain = ascii_alnum_with_digit(text)
    if not plain.any():
        return _asked_rows(text, np.arange(len(text)), header, piece)
    rest = np.flatnonzero(~plain)
    return _asked_rows(text.take(pa.array(rest)), rest, header, piece) if len(rest) else []


def _asked_rows(text: pa.Array, positions: np.ndarray, header: str, piece: Piece) -> list[int]:
    """``_candidate_rows`` over the ids ``text``, those of rows ``positions`` of ``piece``."""
    from core.values import normalise_text

    text = pc.utf8_trim_whitespace(text)
    wordy = pc.or_(pc.match_substring_regex(text, _NOTE_START, ignore_case=True),
                   pc.greater_equal(pc.count_substring_regex(text, r"\s+"), _NOTE_WORDS - 1))
    notes = positions[np.flatnonzero(pc.fill_null(wordy, False).to_numpy(zero_copy_only=False))]
    # A note is alone on its row: ids of several words ("CHU de Lyon 12") beside data are ids.
    candidates = set(notes[~_filled_besides_id(piece, notes)].tolist()) if len(notes) else set()
    # Words and headers have no digit: only such ids are normalised, and those starting
    # with a summary word (``_SUMMARY_START``).
    asked = pc.or_(pc.invert(pc.match_substring_regex(text, "[0-9]")),
                   pc.and_(pc.match_substring_regex(text, _SUMMARY_START, ignore_case=True),
                           pc.invert(pc.match_substring_regex(text, _WORD_AND_NUMBER))))
    plain = np.flatnonzero(pc.fill_null(asked, False).to_numpy(zero_copy_only=False))
    if len(plain):
        words = normalise_text(pd.Series(text.take(pa.array(plain)).to_pandas(types_mapper=pd.ArrowDtype)
                                         .astype("string"))).to_numpy(dtype=object)
        hit = np.fromiter((_summary_name(w) or w == header for w in words), dtype=bool, count=len(words))
        candidates.update(positions[plain[hit]].tolist())
    return sorted(candidates)


def _filled_besides_id(piece: Piece, positions: np.ndarray) -> np.ndarray:
    """Whether each row at ``positions`` has a cell filled besides its id (a wide
    sheet's visit piece's own month aside), column by column."""
    rows = piece.cells.iloc[positions]
    filled = np.zeros(len(positions), dtype=bool)
    for name in rows.columns:
        if name == "patient_id" or (name == "month" and piece.month is not None):
            continue
        column = rows[name]
        here = column.notna().to_numpy(dtype=bool)
        if column.dtype == object or is_text_column(column):
            here = here & column.astype("string").str.strip().ne("").fillna(False).to_numpy(dtype=bool)
        filled |= here
    return filled


def _non_data_kind(piece: Piece, pos: int) -> tuple[str, str] | None:
    """(variant, id as written) when row ``pos`` of ``piece`` is not data, else None.
    A wide sheet's visit piece has a month of its own, not read from the row."""
    from core.schema import normalise

    row = piece.cells.iloc[pos]
    cells = {c: "" if v is None or (np.ndim(v) == 0 and pd.isna(v)) else str(v).strip() for c, v in row.items()
             if not (c == "month" and piece.month is not None)}
    filled = {c: v for c, v in cells.items() if v}
    first = cells["patient_id"]
    if len(filled) >= 2 and all(normalise(v) == normalise(piece.headers.get(c, c)) for c, v in filled.items()):
        return "header", first
    # A wide sheet's visit piece has no key of its own: its patients piece decided.
    # A note first: "NB : doses en mg" starts like "Nb patients" (a summary).
    if len(filled) == 1 and (re.search(_NOTE_START, first, re.IGNORECASE) or len(first.split()) >= _NOTE_WORDS):
        return "note", first
    if piece.month is None and _summary_name(normalise(first)) and not cells.get(_ROW_KEY[piece.table], ""):
        return "summary", first
    return None


def _summary_name(name: str) -> bool:
    """Whether a normalised id reads as a summary's label: a summary word, alone or
    first ("Total général", Excel's under a pivot table; "Moyenne ± ET"; "Médiane (IQR)").
    Only ids without a digit, or starting with a summary word, are asked ("MAX 001" is
    an id; ``_candidate_rows``)."""
    # A word may be two ("ecart_type", "sous_total").
    return name in _SUMMARY_WORDS or any(name.startswith(word + "_") for word in _SUMMARY_FIRST_WORDS)


def _stacked(frames: list[pd.DataFrame]) -> pd.DataFrame | None:
    """The parsed pieces of one table, one under the other (a single piece as it is)."""
    if not frames:
        return None
    return frames[0].reset_index(drop=True) if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _rows(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """The rows of ``frame`` where ``keep``; the frame itself when every row is kept (a
    registry's tables are large: no copy when nothing is left out)."""
    return frame if keep.all() else frame[keep]


def _has_required(piece: Piece, report: Report) -> bool:
    """Report each required column missing; a piece without its keys cannot be read."""
    readable = True
    for col in TABLES[piece.table]:
        if col.required and col.name not in piece.cells.columns:
            accepted = ", ".join((col.name, *col.aliases))
            report.issues.append(Issue.of(
                ERROR, "missing_column", {"table": piece.table, "col": col.name, "accepted": accepted},
                file=piece.file, sheet=piece.sheet, column=col.name, table=piece.table))
            readable = readable and col.name not in KEYS[piece.table]
    return readable


def _parse(piece: Piece, index: int, report: Report) -> pd.DataFrame:
    """Parse every column of one piece; flag invalid and implausible cells (set missing)."""
    out: dict[str, pd.Series] = {}
    names = list(piece.cells.columns)
    columns = [COLUMNS[piece.table].get(name) for name in names]
    # The columns are parsed a few at a time; their issues are then said in column order.
    every = map_in_threads(lambda nc: parse_cells(piece.cells[nc[0]], nc[1].kind if nc[1] else TEXT),
                           zip(names, columns))
    for name, col, parsed in zip(names, columns, every):
        raw = piece.cells[name]
        invalid = parsed.invalid.to_numpy(dtype=bool)
        implausible = _outside(parsed.values, col.low, col.high) if col else np.zeros(len(raw), dtype=bool)
        out[name] = parsed.values.mask(invalid | implausible)
        if name in KEYS[piece.table]:
            out[f"_raw_{name}"] = raw  # a bad key rejects the row (missing_key), reported later
            continue
        header = piece.headers.get(name, name)
        for mask, code in ((invalid, "invalid_value"), (implausible, "implausible_value")):
            if not mask.any():
                continue  # extra columns are text: never flagged, and have no canonical label
            params, variant = ({"col": name}, "") if code == "invalid_value" else _range(col)
            for row, value in zip(piece.rows[mask], raw[mask]):
                report.issues.append(Issue.of(
                    WARNING, code, {**params, "value": str(value)}, variant=variant, file=piece.file,
                    sheet=piece.sheet, row=int(row), column=header, value=str(value), table=piece.table))
    if "cs_drug" in out:
        _check_drugs(out["cs_drug"], piece, report)
    # Copy-on-write: the parsed columns go in as they are, not copied into blocks.
    frame = pd.DataFrame(out, index=piece.cells.index, copy=False)
    frame["_piece"], frame["_source"], frame["_row"] = index, piece.source, piece.rows
    frame["_month"] = -1 if piece.month is None else piece.month
    return frame


def _check_drugs(drugs: pd.Series, piece: Piece, report: Report) -> None:
    """A warning per ``cs_drug`` cell naming no known drug (or two): the value is kept,
    the patient counts as on corticosteroids, and the dose is left out of the
    prednisone-equivalent summaries (``core.scoring.drug_name``)."""
    # A blank cell has factor 1 (no drug): NA is a name that is not a known drug.
    unknown = drug_factor(drugs).isna().to_numpy(dtype=bool)
    if not unknown.any():
        return
    accepted = ", ".join(CS_DRUG_FACTORS)
    header = piece.headers.get("cs_drug", "cs_drug")
    text = drugs[unknown].astype("string").str.strip()  # flagged cells only
    for row, value in zip(piece.rows[unknown], text):
        report.issues.append(Issue.of(
            WARNING, "unknown_drug", {"value": str(value), "accepted": accepted}, file=piece.file,
            sheet=piece.sheet, row=int(row), column=header, value=str(value), table=piece.table))


def _range(col) -> tuple[dict[str, object], str]:
    """The plausible range of ``col`` as sentence parameters, and the wording it needs."""
    bounds = {"col": col.name, "low": col.low, "high": col.high}
    if col.high is None:
        return {k: v for k, v in bounds.items() if k != "high"}, "low"
    if col.low is None:
        return {k: v for k, v in bounds.items() if k != "low"}, "high"
    return bounds, ""


def _outside(values: pd.Series, low: float | None, high: float | None) -> np.ndarray:
    if low is None and high is None:
        return np.zeros(len(values), dtype=bool)
    typed = isinstance(values.dtype, (pd.Float64Dtype, pd.Int64Dtype))
    numbers = values if typed else pd.to_numeric(values, errors="coerce").astype("Float64")
    below = numbers < low if low is not None else False
    above = numbers > high if high is not None else False
    return (below | above).fillna(False).to_numpy(dtype=bool)


def _check_patients(frame: pd.DataFrame | None, pieces: list[Piece],
                    report: Report) -> tuple[pd.DataFrame | None, pa.Array | None]:
    """The patients frame, and its distinct ids in order (as Arrow text)."""
    if frame is None:
        return None, None
    repeated = np.array([p.repeated for p in pieces], dtype=bool)[frame["_piece"].to_numpy(dtype=int)]
    kept, rejected = _reject_missing_keys(_rows(frame, ~repeated), "patients", pieces, report)
    read = int((~repeated).sum()) + _left_out(pieces, "patients")
    rejected += _left_out(pieces, "patients")
    if repeated.any():
        derived = _collapse_repeated(frame[repeated], pieces, report)
        kept, read = pd.concat([kept, derived], ignore_index=True), read + len(derived)
    # The kept rows have an id: its distinct ids are the encoding's dictionary, in order.
    encoded = arrow_text(kept["patient_id"].astype("string")).dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    twice = np.bincount(codes, minlength=1)[codes] > 1
    _list_rows(kept[twice], "patient_id", ERROR, "duplicate_patient", "patients", pieces, report)
    report.issues += lookalike_issues(kept, _locations(pieces), encoded)
    return _finish(kept, "patients", read, rejected, report), encoded.dictionary


def _collapse_repeated(frame: pd.DataFrame, pieces: list[Piece], report: Report) -> pd.DataFrame:
    """One row per patient from a long table's repeated patient columns.

    Non-missing values must agree across a patient's rows (blanks are filled from the
    other rows); each disagreement is an error naming the rows.
    """
    frame = frame[frame["patient_id"].notna()]  # the visits piece rejects rows without an id
    for col in [c for c in frame.columns if c in PATIENT_ONLY]:
        distinct = frame.groupby("patient_id", sort=False)[col].nunique(dropna=True)
        clash = frame[frame["patient_id"].isin(distinct.index[distinct > 1])]
        for patient, rows in clash.groupby("patient_id", sort=False):  # conflicting patients only
            rows = rows[rows[col].notna()]
            piece = pieces[int(rows["_piece"].iloc[0])]
            listed = ", ".join(f"{r} ({value_text(v)})" for r, v in zip(rows["_row"], rows[col]))
            differs = rows[rows[col] != rows[col].iloc[0]]
            report.issues.append(Issue.of(
                ERROR, "conflicting_patient_values", {"patient": str(patient), "col": col, "rows": listed},
                file=piece.file, sheet=piece.sheet, row=int(differs["_row"].iloc[0]),
                column=piece.headers.get(col, col), value=value_text(differs[col].iloc[0]), table="patients"))
    return frame.groupby("patient_id", sort=False, as_index=False).first()


def _in_upload_order(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """Visits or events in upload order: file by file, row by row, then month (a wide
    row gives several visits); rows numbered from 0."""
    if frame is None:
        return None
    order = ["_source", "_row", "_month"]
    if not rows_in_order([frame[c].to_numpy(dtype=np.int64) for c in order]):  # one long table is in order already
        frame = frame.sort_values(order, kind="stable")
    return frame.reset_index(drop=True)


def _positions(frames: dict[str, pd.DataFrame | None], known: pa.Array | None) -> dict[str, pa.Array]:
    """Per table, the position of each row's id among the ``known`` patients' ids (null
    for none): the visits' and events' ids matched together, the patients' ids hashed once."""
    present = {t: f for t, f in frames.items() if f is not None}
    if known is None or not present:
        return {}
    ids = [arrow_text(f["patient_id"].astype("string")) for f in present.values()]
    position = pc.index_in(pa.concat_arrays(ids) if len(ids) > 1 else ids[0], value_set=known)
    starts = np.cumsum([0, *(len(i) for i in ids)])
    return {t: position.slice(start, len(i)) for t, start, i in zip(present, starts, ids)}


def _check_linked(frame: pd.DataFrame | None, table: str, known: pa.Array | None, position: pa.Array | None,
                  pieces: list[Piece], report: Report) -> pd.DataFrame | None:
    """Visits or events (``_in_upload_order``): reject rows without keys, of unknown
    patients, and repeated visits. ``position``: each row's id among the ``known``
    patients' ids (``_positions``)."""
    if frame is None:
        return None
    read = len(frame) + _left_out(pieces, table)
    kept, rejected = _reject_missing_keys(frame, table, pieces, report)
    rejected += _left_out(pieces, table)
    # Each row's patient as a whole number (hashed once, in Arrow): the position of its
    # id among the known patients' ids, else among its own table's ids.
    if known is not None:
        if len(kept) < len(frame):  # the kept rows' labels are their rows in ``frame``
            position = position.take(pa.array(kept.index.to_numpy()))
        unknown = position.is_null().to_numpy(zero_copy_only=False)
        _list_rows(kept[unknown], "patient_id", REJECTED, "unknown_patient", table, pieces, report)
        if unknown.any():
            known_ids = pd.Index(known.to_numpy(zero_copy_only=False), dtype=object)
            report.issues += unknown_lookalike_issues(kept[unknown], known_ids, _locations(pieces))
        kept, rejected = _rows(kept, ~unknown), rejected + int(unknown.sum())
        patient = position.filter(pa.array(~unknown)).to_numpy(zero_copy_only=False)
        # The patients' ids are distinct when the cohort is built (a repeated one is an
        # error): the position of a row's id among them is its patient's row.
        kept = kept.assign(**{PATIENT_ROW: patient})
    else:
        patient = arrow_text(kept["patient_id"].astype("string")).dictionary_encode().indices.to_numpy(
            zero_copy_only=False)
    if table == "visits":
        twice = _repeated_pairs(patient, kept["month"].to_numpy(dtype=np.int64))
        _list_rows(kept[twice], "month", REJECTED, "duplicate_visit", table, pieces, report)
        kept, rejected = _rows(kept, ~twice), rejected + int(twice.sum())
    return _finish(kept, table, read, rejected, report)


def _repeated_pairs(patient: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Where a (patient, month) pair was seen on an earlier row. The pair is one whole
    number, patient x months spanned + month: hashing one column is about three times
    faster than a frame of two. Patients are row positions and months lie within the
    contract's range (0 to 600; others were rejected), so the number cannot overflow."""
    if len(month) == 0:
        return np.zeros(0, dtype=bool)
    low = int(month.min())
    span = int(month.max()) - low + 1
    return pd.Series(patient.astype(np.int64) * span + (month - low)).duplicated(keep="first").to_numpy(dtype=bool)


def _left_out(pieces: list[Piece], table: str) -> int:
    """Rows of ``table`` already rejected while reading the file (e.g. too many cells)."""
    return sum(p.rejected for p in pieces if p.table == table)


def _reject_missing_keys(frame: pd.DataFrame, table: str, pieces: list[Piece],
                         report: Report) -> tuple[pd.DataFrame, int]:
    bad = np.zeros(len(frame), dtype=bool)
    for key in KEYS[table]:
        missing = frame[key].isna().to_numpy(dtype=bool) & ~bad
        _list_rows(frame[missing], key, REJECTED, "missing_key", table, pieces, report, raw=f"_raw_{key}")
        bad |= missing
    return _rows(frame, ~bad), int(bad.sum())


def _list_rows(rows: pd.DataFrame, column: str, severity: str, code: str, table: str,
               pieces: list[Piece], report: Report, raw: str | None = None) -> None:
    """One issue per flagged row (the loop runs over flagged rows only).

    The sentence gets the cell as ``value`` and the key column as ``col``; a blank cell
    takes the code's "blank" wording when it has one.
    """
    for index, row, value in zip(rows["_piece"], rows["_row"], rows[raw or column]):
        piece = pieces[int(index)]
        text = "" if value is None or (np.ndim(value) == 0 and pd.isna(value)) else str(value)
        variant = "blank" if not text.strip() and "blank" in CODES[code] else ""
        report.issues.append(Issue.of(severity, code, {"value": text, "col": column, "table": table},
                                      variant=variant, file=piece.file, sheet=piece.sheet, row=int(row),
                                      column=_header(piece, column), value=text, table=table))


def _locations(pieces: list[Piece]) -> list[tuple[str, str | None, str | None]]:
    """(file, sheet, patient id header) of each piece: where a look-alike id is shown."""
    return [(p.file, p.sheet, _header(p, "patient_id")) for p in pieces]


def _header(piece: Piece, column: str) -> str | None:
    # A wide visit's month comes from its headers' suffix, not a cell: point at the id.
    return piece.headers.get(column, piece.headers.get("patient_id") if piece.month is not None else None)


def _finish(kept: pd.DataFrame, table: str, read: int, rejected: int, report: Report) -> pd.DataFrame:
    count = TableCount(read=read, kept=len(kept), rejected=rejected)
    assert count.read == count.kept + count.rejected, (table, count)  # a bug here, not bad input
    report.counts[table] = count
    canonical = [c.name for c in TABLES[table] if c.name in kept.columns]
    rest = [c for c in kept.columns if c not in canonical]
    return kept[canonical + rest].reset_index(drop=True)
