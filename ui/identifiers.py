"""Data page: the uploaded columns that look like direct identifiers, and the button that
drops them from the session's cohort."""
from __future__ import annotations

import streamlit as st

from core.display.upload import identifiers_frame
from core.i18n import t
from core.identifier_columns import identifier_issues
from ui import state


def identifier_panel(active: state.ActiveCohort, lang: str) -> None:
    """The flagged columns as a table with the drop button, then the columns already
    dropped (headers are user text: a table and plain text, never Markdown)."""
    if active.is_demo:
        return
    flagged = identifier_issues(active.report)
    if not flagged and not active.dropped:
        return
    st.subheader(t("identifiers.title", lang))
    if flagged:
        st.warning(t("identifiers.found", lang), icon=":material/badge:")
        st.dataframe(identifiers_frame(active.report, lang), hide_index=True)
        if active.files:
            st.button(t("identifiers.drop_button", lang), key="drop_identifiers",
                      on_click=state.drop_identifier_columns, icon=":material/remove_selection:",
                      help=t("identifiers.drop_help", lang))
    if active.dropped:
        st.caption(t("identifiers.dropped", lang))
        st.text(", ".join(header for _, _, header in sorted(active.dropped, key=str)))
