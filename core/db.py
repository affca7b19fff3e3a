"""The canonical cohort in DuckDB: one in-memory connection per loaded cohort.

A connection is never shared between cohorts or users and is never written to disk:
it has no temporary directory (DuckDB would otherwise spill large operations to
``./.tmp``; without one it fails with an out-of-memory error instead), and once the
tables are loaded it can neither read nor write files (``enable_external_access``)
and its configuration is locked.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from core.schema import TABLES, quote_identifier


def create_cohort_db(frames: dict[str, pd.DataFrame | None]) -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB connection holding ``patients``, ``visits`` and ``events``.

    Parameters
    ----------
    frames: canonical frames by table name; a missing or None table is created empty.
        Every canonical column exists in the result (NULL where the frame lacks it),
        with the schema's SQL type. Columns that are not canonical (extras) are kept
        as VARCHAR.

    Returns
    -------
    The connection; the caller owns it (``Cohort.close``). It cannot spill to disk,
    access files or change its configuration.
    """
    # An empty temp_directory disables spilling: patient rows never reach the disk.
    con = duckdb.connect(":memory:", config={"temp_directory": ""})
    for table, columns in TABLES.items():
        frame = frames.get(table)
        canonical = {c.name for c in columns}
        defs = [f"{quote_identifier(c.name)} {c.sql_type}" for c in columns]
        extras = [] if frame is None else [c for c in frame.columns if c not in canonical]
        defs += [f"{quote_identifier(c)} VARCHAR" for c in extras]
        con.execute(f"CREATE TABLE {quote_identifier(table)} ({', '.join(defs)})")
        if frame is None or frame.empty:
            continue
        present = [c.name for c in columns if c.name in frame.columns] + extras
        cols_sql = ", ".join(quote_identifier(c) for c in present)
        # Extras go in as text, whatever pandas inferred, so filters see what the user wrote.
        staged = frame[present].copy()
        for c in extras:
            staged[c] = staged[c].astype("string")
        con.register("_staged", staged)
        con.execute(f"INSERT INTO {quote_identifier(table)} ({cols_sql}) SELECT {cols_sql} FROM _staged")
        con.unregister("_staged")
    # Once loaded, the cohort needs no file: refuse COPY, read_csv, ATTACH, extensions and
    # scans of Python variables; the lock stops a later SET from turning any of it back on.
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con
