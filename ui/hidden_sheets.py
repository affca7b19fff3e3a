"""Data page: the choice to read a workbook's hidden sheets, shown when the upload has some."""
from __future__ import annotations

import streamlit as st

from core.i18n import t
from ui import state

KEY = "read_hidden_sheets"


def hidden_sheets_option(active: state.ActiveCohort, lang: str) -> None:
    """A checkbox that reloads the upload with (or without) its hidden sheets."""
    if active.is_demo or not any(i.code == "hidden_sheet" for i in active.report.issues):
        return
    if KEY not in st.session_state:
        st.session_state[KEY] = state.reads_hidden_sheets()
    st.checkbox(t("sheets.hidden_label", lang), key=KEY, help=t("sheets.hidden_help", lang),
                on_change=lambda: state.set_read_hidden_sheets(bool(st.session_state[KEY])),
                disabled=not active.files)
