"""A loaded cohort: its DuckDB connection, what the upload supplied, and its report."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import duckdb
import pandas as pd

from core.db import PATIENT_ROW, create_cohort_db
from core.queries.scope import connection_lock
from core.report import Report
from core.schema import TABLES

T = TypeVar("T")


@dataclass
class Cohort:
    """One loaded cohort, owned by one session.

    ``tables_present`` names the tables the upload supplied (an analysis needing a
    missing one shows "no data"); ``columns_present`` the canonical columns supplied per
    table (all canonical columns exist in DuckDB, NULL where not supplied);
    ``extra_columns`` the kept non-canonical columns per table.
    """

    con: duckdb.DuckDBPyConnection
    report: Report = field(default_factory=Report)
    tables_present: frozenset[str] = frozenset()
    columns_present: dict[str, frozenset[str]] = field(default_factory=dict)
    extra_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""
    # Facts about the whole cohort that analyses reuse (its tables never change once
    # loaded), e.g. the months to report under given settings; lives as long as ``con``.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def remember(self, key: tuple, compute: Callable[[], T]) -> T:
        """``compute()`` the first time ``key`` is asked for, then as remembered (``memo``):
        a fact about the whole cohort, the same for every subgroup."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def close(self) -> None:
        # A download's thread may be querying: the connection closes after its query.
        with connection_lock(self.con):
            self.con.close()


@dataclass
class LoadResult:
    """The outcome of reading uploaded files: the report, and the cohort when usable."""

    report: Report
    cohort: Cohort | None


def cohort_from_frames(
    frames: dict[str, pd.DataFrame | None], report: Report | None = None, source: str = ""
) -> Cohort:
    """Build a Cohort from canonical frames (already parsed and validated)."""
    canonical = {t: {c.name for c in cols} for t, cols in TABLES.items()}
    present = {t for t, f in frames.items() if f is not None}
    return Cohort(
        con=create_cohort_db(frames),
        report=report or Report(),
        tables_present=frozenset(present),
        columns_present={t: frozenset(c for c in frames[t].columns if c in canonical[t]) for t in present},
        extra_columns={t: tuple(c for c in frames[t].columns if c not in canonical[t] and c != PATIENT_ROW)
                       for t in present},
        source=source,
    )


def files_digest(files: Sequence[tuple[str, bytes]]) -> str:
    """SHA-256 over every file's name and bytes, independent of upload order: what keys
    a session's cohort and what an export's stamp names."""
    h = hashlib.sha256()
    for name, data in sorted(files):
        for part in (name.encode("utf-8"), data):
            # Length prefixes keep ("ab", "c") and ("a", "bc") apart.
            h.update(len(part).to_bytes(8, "big"))
            h.update(part)
    return h.hexdigest()
