"""Forgetting the session's data: the sidebar's "Forget my data" button, and the same
once the session has been idle longer than ``idle_minutes()``.

Forgetting closes the uploaded cohort's DuckDB connection and drops the cohort, every
result computed from it (``ui.state.session_memo``), the filter choices, the columns
dropped as identifiers, and the uploader's files: the demo is shown again.

Streamlit runs a session's script only when its user acts, so an idle session is checked
at its next interaction (``forget_if_idle`` is the first thing each run does) and
forgets before anything is shown. A session whose browser tab is closed is freed by
Streamlit itself, with everything it holds, once its connection has been gone for
``server.disconnectedSessionTTL`` seconds (120 by default).
"""
from __future__ import annotations

import os

import streamlit as st

from core.i18n import counted, t
from ui import filters, state

IDLE_ENV = "POSTER_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 30


def idle_minutes() -> int:
    """Minutes of inactivity after which a session forgets its upload:
    ``$POSTER_IDLE_MINUTES`` when it is a positive whole number, else 30."""
    text = os.environ.get(IDLE_ENV, "").strip()
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else DEFAULT_IDLE_MINUTES


def forget_my_data() -> None:
    """Button callback: forget the upload and everything derived from it; back to the demo."""
    state.return_to_demo()  # closes the connection, drops the results, empties the uploader
    state.forget_dropped_columns()
    filters.forget_choices()


def forget_if_idle(lang: str) -> bool:
    """At the start of a run: forget the upload when the user has been idle too long, and
    say so in the sidebar. Returns whether it forgot."""
    idle = state.idle_seconds()
    state.mark_active()
    if not state.has_upload() or idle <= idle_minutes() * 60:
        return False
    forget_my_data()
    minutes = counted(idle_minutes(), "minutes", lang)
    st.sidebar.info(t("forget.idle_note", lang, minutes=minutes), icon=":material/timer_off:")
    return True


def forget_button(lang: str) -> None:
    """The sidebar's "Forget my data" button (shown while files are uploaded)."""
    minutes = counted(idle_minutes(), "minutes", lang)
    st.sidebar.button(t("forget.button", lang), key="forget", on_click=forget_my_data,
                      icon=":material/delete_forever:", help=t("forget.help", lang, minutes=minutes))
