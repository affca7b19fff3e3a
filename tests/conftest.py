"""Shared fixtures: in-memory workbook and Parquet bytes, and reading loaded tables."""
from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
import pytest


@pytest.fixture
def make_xlsx() -> Callable[[dict[str, list[list]]], bytes]:
    """Workbook bytes from {sheet name: rows (first row = headers)}; written in memory."""

    def _make(sheets: dict[str, list[list]]) -> bytes:
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for name, rows in sheets.items():
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    return _make


@pytest.fixture
def make_parquet() -> Callable[[pd.DataFrame], bytes]:
    """Parquet bytes of a frame; written in memory."""

    def _make(frame: pd.DataFrame) -> bytes:
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue()

    return _make


@pytest.fixture
def table_of() -> Callable:
    """A loaded cohort's table as a frame, ordered by patient_id then month."""

    def _table(cohort, name: str) -> pd.DataFrame:
        keys = {"patients": ["patient_id"], "visits": ["patient_id", "month"],
                "events": ["patient_id", "month", "type"]}
        frame = cohort.con.table(name).df()
        return frame.sort_values(keys[name], kind="stable").reset_index(drop=True)

    return _table


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """Each test starts with empty st.cache_data / st.cache_resource (AppTests share a process)."""
    import sys

    # Only when a test has loaded streamlit: core tests never pay for importing it.
    if "streamlit" in sys.modules:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
    yield
