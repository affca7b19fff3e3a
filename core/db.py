"""The canonical cohort in DuckDB: one in-memory connection per loaded cohort.

A connection is never shared between cohorts or users and is never written to disk:
it has no temporary directory (DuckDB would otherwise spill large operations to
``./.tmp``; without one it fails with an out-of-memory error instead), and once the
tables are loaded it can neither read nor write files (``enable_external_access``)
and its configuration is locked.

Each table is stored as ``_patients``, ``_visits`` and ``_events`` with one more
column, ``_pid``: a whole number per patient, in the natural order of ``patient_id``
(P2 before P10, ``natural_order``), so that every list comes in the order a reader
expects and the analysis joins and sorts on integers (about ten times faster than on text at registry
scale); ``_visits`` also holds ``_cs_factor``, the prednisone factor of the visit's
corticosteroid (``core.scoring.drug_factor``: 1 without a drug, NULL for an unknown
one). The views ``patients``, ``visits`` and ``events`` show the tables as the
contract defines them, without those columns.

A connection is used by one thread at a time (``core.queries.scope.connection_lock``):
a download is built in Streamlit's worker thread while the page's script may run.
"""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.schema import TABLES, quote_identifier
from core.scoring import drug_factor
from core.workers import map_in_threads

# A column of the visits and events frames validation gives (``core.validate.check_cohort``):
# the row of the patients frame holding each row's patient. Not stored.
PATIENT_ROW = "_patient_row"


def create_cohort_db(frames: dict[str, pd.DataFrame | None]) -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB connection holding ``patients``, ``visits`` and ``events``.

    Parameters
    ----------
    frames: canonical frames by table name; a missing or None table is created empty.
        Every canonical column exists in the result (NULL where the frame lacks it),
        with the schema's SQL type. Columns that are not canonical (extras) are kept
        as VARCHAR. A visits or events frame may give each row's patient as a row of
        the patients frame (``PATIENT_ROW``, as validation does); else its ids are
        matched to the patients' ids here.

    Returns
    -------
    The connection; the caller owns it (``Cohort.close``). It cannot spill to disk,
    access files or change its configuration.
    """
    # An empty temp_directory disables spilling: patient rows never reach the disk.
    con = duckdb.connect(":memory:", config={"temp_directory": ""})
    # Patients are numbered in the natural order of ``patient_id`` (``natural_order``); a
    # visit or event takes its patient's number (NULL for an id with no patient row,
    # which no join then matches).
    patient_ids, patient_pid = pa.array([], pa.large_string()), pa.array([], pa.int32())
    staged_tables = []
    for table, columns in TABLES.items():
        frame = frames.get(table)
        canonical = {c.name for c in columns}
        extras = [] if frame is None else [c for c in frame.columns if c not in canonical and c != PATIENT_ROW]
        names = [c.name for c in columns] + extras
        defs = ["_pid INTEGER"] + [f"{quote_identifier(c.name)} {c.sql_type}" for c in columns]
        defs += [f"{quote_identifier(c)} VARCHAR" for c in extras]
        if table == "visits":
            defs.append("_cs_factor DOUBLE")
        stored = quote_identifier(f"_{table}")
        con.execute(f"CREATE TABLE {stored} ({', '.join(defs)})")
        con.execute(f"CREATE VIEW {quote_identifier(table)} AS SELECT "
                    f"{', '.join(quote_identifier(c) for c in names)} FROM {stored}")
        if frame is None or frame.empty:
            continue
        present = [c.name for c in columns if c.name in frame.columns] + extras
        cols_sql = ", ".join(quote_identifier(c) for c in present)
        # Extras go in as text, whatever pandas inferred, so filters see what the user wrote.
        # (Copy-on-write: changing ``staged`` leaves ``frame`` as it was, without a copy.)
        staged = frame[present]
        for c in extras:
            staged[c] = staged[c].astype("string")
        if table == "visits":
            # Each visit's prednisone factor, read once here (drug names are text to match).
            drugs = frame["cs_drug"] if "cs_drug" in frame.columns else pd.Series(pd.NA, index=frame.index)
            staged["_cs_factor"] = drug_factor(drugs).to_numpy(dtype=float, na_value=np.nan)
            present = [*present, "_cs_factor"]
            cols_sql += ", _cs_factor"
        # As Arrow: DuckDB scans Arrow columns directly, pandas' nullable ones far slower.
        arrow = pa.Table.from_pandas(staged, preserve_index=False)
        ids = _text(arrow.column("patient_id"))
        if table == "patients":
            patient_ids = ids
            pid = natural_order(ids)
        elif PATIENT_ROW in frame.columns:
            pid = pc.take(patient_pid, pa.array(frame[PATIENT_ROW].to_numpy(dtype=np.int64)))
        else:
            pid = pc.take(patient_pid, pc.index_in(ids, value_set=patient_ids))
        arrow = arrow.append_column("_pid", pid)
        # Rows in (_pid, month) order, sorted in Arrow: DuckDB keeps the insertion order.
        keys = [k for k in ("_pid", "month") if k in arrow.column_names]
        # A file exported in patient and month order skips the sort and its copy of every
        # column; a missing key (NaN here) that decides the order leaves it to the sort.
        if not rows_in_order([arrow.column(k).to_numpy() for k in keys]):
            arrow = arrow.take(pc.sort_indices(arrow, sort_keys=[(k, "ascending") for k in keys]))
        staged_tables.append((stored, cols_sql, arrow))
        if table == "patients":
            patient_pid = pid
    # The tables' rows go in at once, each table by its own cursor: DuckDB inserts a
    # table's rows in order, on one core (a registry's three tables: 0.14 s, not 0.18 s).
    map_in_threads(lambda staged: _insert(con, *staged), staged_tables)
    # Once loaded, the cohort needs no file: refuse COPY, read_csv, ATTACH, extensions and
    # scans of Python variables; the lock stops a later SET from turning any of it back on.
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _insert(con: duckdb.DuckDBPyConnection, stored: str, cols_sql: str, arrow: pa.Table) -> None:
    """Insert ``arrow``'s rows (with ``_pid``) into the table ``stored`` through a cursor
    of ``con`` (a connection of its own to the same database, closed after)."""
    with con.cursor() as cursor:
        cursor.register("_staged", arrow)
        cursor.execute(f"INSERT INTO {stored} (_pid, {cols_sql}) SELECT _pid, {cols_sql} FROM _staged")
        cursor.unregister("_staged")


# An id as text, number, text, number, rest (each part possibly empty); digits are 0-9.
_ID_PARTS = r"(?s)^(?P<h1>[^0-9]*)(?P<n1>[0-9]*)(?P<h2>[^0-9]*)(?P<n2>[0-9]*)(?P<rest>.*)$"
_INT64_DIGITS = 18


def natural_order(ids: pa.Array) -> pa.Array:
    """The rank (1, 2, ...) of each id in natural order: P2 before P10, LIL-9 before
    LIL-10, 2023-7 before 2023-12.

    An id reads as text, a number, text, a number and the rest; the parts compare in
    that order, texts by their bytes (as DuckDB sorts text) and numbers by value
    (leading zeros aside: P007 and P7 tie there); ids still tied compare whole, by
    their bytes. Vectorised in Arrow; a key the same for every id is left out of the sort.
    """
    if len(ids) == 0:
        return pa.array([], pa.int32())
    parts = _id_parts(ids)
    keys = []
    for name in ("h1", "n1", "h2", "n2", "rest"):
        part = parts[name]
        if name.startswith("n"):
            digits = pc.utf8_ltrim(part, characters="0")
            length = pc.binary_length(digits)
            if (pc.max(length).as_py() or 0) <= _INT64_DIGITS:
                candidates = [pc.cast(pc.if_else(pc.equal(length, 0), "0", digits), pa.int64())]
            else:  # a longer number: by its count of digits, then its digits
                candidates = [length, digits]
        else:
            candidates = [part]
        for key in candidates:
            bounds = pc.min_max(key)
            if bounds["min"] != bounds["max"]:
                keys.append(key)
    keys.append(ids)
    order = pc.sort_indices(pa.table({str(i): key for i, key in enumerate(keys)}),
                            sort_keys=[(str(i), "ascending") for i in range(len(keys))]).to_numpy()
    rank = np.empty(len(ids), dtype=np.int32)
    rank[order] = np.arange(1, len(ids) + 1, dtype=np.int32)
    return pa.array(rank)


# ASCII but digits, and digits: what an ASCII id's text and number parts are made of.
_NON_DIGITS = "".join(chr(code) for code in range(128) if not "0" <= chr(code) <= "9")
_DIGITS = "0123456789"


def _id_parts(ids: pa.Array) -> dict[str, pa.Array]:
    """The parts of each id (``_ID_PARTS``). Ids of ASCII text then a number (P000123,
    LIL-12, 2023; most registries) are cut by trimming, a few times faster than the
    regular expression, which reads any other ids."""
    if pc.all(pc.string_is_ascii(ids)).as_py() is not False:
        number = pc.ascii_ltrim(ids, characters=_NON_DIGITS)  # from the first digit on
        if not pc.max(pc.binary_length(pc.ascii_ltrim(number, characters=_DIGITS))).as_py():
            empty = pc.if_else(pc.is_null(ids), pa.scalar(None, ids.type), pa.scalar("", ids.type))
            return {"h1": pc.ascii_rtrim(ids, characters=_DIGITS), "n1": number, "h2": empty, "n2": empty,
                    "rest": empty}
    parts = pc.extract_regex(ids, _ID_PARTS)
    return {name: pc.struct_field(parts, name) for name in ("h1", "n1", "h2", "n2", "rest")}


def natural_ranks(ids) -> np.ndarray:
    """``natural_order`` of ids given as text (any sequence), as a numpy array."""
    return natural_order(pa.array(list(ids), pa.large_string())).to_numpy()


def natural_sorted(ids) -> list[str]:
    """Ids given as text in natural order (``natural_order``)."""
    ids = list(ids)
    return [ids[i] for i in np.argsort(natural_ranks(ids), kind="stable")]


def rows_in_order(keys) -> bool:
    """Whether the rows of ``keys`` (one column per sort key: a 2-D array, or a sequence
    of 1-D arrays) are sorted: in each pair of consecutive rows, the first key that
    differs increases (equal rows stay as they are, as in a stable sort). A NaN where it
    decides a pair's order (the keys before it equal) is not in order: the sort places it.

    Key by key, over the pairs the keys before it left tied: most pairs are decided by
    the first key that changes (a file's row, a patient), so the later keys are seldom read.
    """
    columns = list(keys.T) if isinstance(keys, np.ndarray) else list(keys)
    tied = None  # the pairs whose keys so far are equal (None: every pair)
    for column in columns:
        column = np.asarray(column)
        if column.dtype.kind in "iub":
            column = column.astype(np.int64, copy=False)  # a difference never wraps around
        if len(column) < 2:
            return True
        step = np.diff(column)
        decides = step != 0 if tied is None else tied & (step != 0)
        if (decides & ~(step > 0)).any():
            return False
        tied = step == 0 if tied is None else tied & (step == 0)
        if not tied.any():
            return True
    return True


def _text(column: pa.ChunkedArray) -> pa.Array:
    """A text column as one Arrow array of large strings."""
    return column.combine_chunks().cast(pa.large_string())
