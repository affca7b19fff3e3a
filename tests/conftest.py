"""Shared fixtures: in-memory workbook and Parquet bytes, and reading loaded tables."""
from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
import pytest

from tests.helpers import xlsx_bytes


@pytest.fixture
def make_xlsx() -> Callable[[dict[str, list[list]]], bytes]:
    """Workbook bytes from {sheet name: rows (first row = headers)}; written in memory."""
    return xlsx_bytes


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


class _NavigationOnlyMixin:
    # AppTest resets PagesManager.uses_pages_directory before every run; with a pages/
    # folder next to the entry point, every rerun after the first would then execute
    # the page alone (Streamlit's pages/-folder mode), skipping streamlit_app.py and its
    # sidebar. A real server clears the flag for good once st.navigation has run.
    uses_pages_directory = False


@pytest.fixture
def app(monkeypatch):
    """An AppTest of the whole app (streamlit_app.py and its navigation), English locale.

    Switch to a page with ``app.run(); app.switch_page("pages/x.py").run()``.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    navigation_only = type("_NavigationOnly", (_NavigationOnlyMixin, PagesManager), {})
    monkeypatch.setattr(script_runner, "PagesManager", navigation_only)
    at = AppTest.from_file("../streamlit_app.py", default_timeout=60)
    at.context["locale"] = "en-GB"
    return at


@pytest.fixture
def open_page(app) -> Callable[..., object]:
    """Open a page of the whole app on the demo: ``open_page("pages/x.py", lang="fr")``.

    Returns the ``app`` AppTest after the run. Another language is chosen with the
    sidebar's selector (key "lang"), as a user would, before switching page.
    """

    def _open(path: str, lang: str = "en"):
        app.run()
        if lang != "en":
            app.selectbox(key="lang").set_value(lang).run()
        app.switch_page(path).run()
        return app

    return _open


@pytest.fixture
def upload_page(app) -> Callable[..., object]:
    """Upload CSV files on the data page, then open a page: ``upload_page(files, "pages/x.py")``.

    ``files`` are (name, bytes) pairs; without a page, the app stays on the data page.
    Returns the ``app`` AppTest after the run.
    """

    def _upload(files, path: str | None = None):
        app.run()
        app.switch_page("pages/upload.py").run()
        app.file_uploader(key="upload").set_value([(name, data, "text/csv") for name, data in files])
        app.run()
        if path is not None:
            app.switch_page(path).run()
        return app

    return _upload
