"""A page's list of patients or visits, whatever the cohort's size.

A registry's subgroup can exclude tens of thousands of patients: the whole list, sent
to the browser on every click, weighed 1.4 MB for 200,000 patients. ``long_list``
shows the first ``LIST_ROWS`` rows, as the Safety page does with its events, says how
many there are, and offers the whole list, however short, as a CSV file (``csv_button``,
which any table may use): built on click, each text cell safe for a spreadsheet
(``core.export.safe``), and refused once the session has forgotten its cohort or after
too long idle, as the chart files are.
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from core.display.safety import PAGE_ROWS
from core.i18n import fmt_int, t
from ui.forget import idle_minutes
from ui.state import SessionMemo, this_session

# The rows a page shows of a list, as many as the Safety page's events.
LIST_ROWS = PAGE_ROWS


def long_list(view, name: str, rows: pd.DataFrame, display: Callable[[pd.DataFrame], pd.DataFrame],
              lang: str) -> None:
    """``display(rows)`` as a table of at most ``LIST_ROWS`` rows (the first of ``rows``,
    memoised with the view: ``PanelView.memo``), a line saying how many rows there are
    when there are more, and a button downloading ``name``.csv with every row (tables
    have no download of Streamlit's own: ``client.disableDataExport``). ``name`` must hold
    no patient data: it keys the memo and the button, names the file, and picks the
    list's sentences (``lists.first.<name>``, ``lists.csv.<name>``: what a row is, in
    which order, so that a screen reader tells one file from another)."""
    limit = LIST_ROWS
    st.dataframe(view.memo(f"{name}_table", lambda: display(rows.iloc[:limit])), hide_index=True)
    if len(rows) > limit:
        st.caption(t(f"lists.first.{name}", lang, shown=fmt_int(limit, lang), total=fmt_int(len(rows), lang)))
    csv_button(name, t(f"lists.csv.{name}", lang), lambda: display(rows), lang)


def csv_button(name: str, label: str, frame: Callable[[], pd.DataFrame], lang: str) -> None:
    """A button downloading ``name``.csv, the table ``frame()`` built on click (each text
    cell safe for a spreadsheet) and refused once the session has forgotten its cohort
    or after too long idle. ``name`` must hold no patient data: it keys the button and
    names the file."""
    session = this_session()  # bound here: the file is built on click, outside this run
    st.download_button(
        label, data=lambda: _csv(session, name, frame, lang), file_name=f"{name}.csv", mime="text/csv",
        key=f"list_{name}_csv", on_click="ignore", icon=":material/download:", type="tertiary", width="content",
    )


def _csv(session: SessionMemo, name: str, frame: Callable[[], pd.DataFrame], lang: str) -> bytes:
    """The table as CSV bytes (``core.export.csv_xlsx.table_csv``), in a download's thread."""
    from core.export.csv_xlsx import table_csv
    from core.export.tables import ExportTable

    session.check_download(idle_minutes() * 60)
    return table_csv(ExportTable(name, name, frame()), lang)
