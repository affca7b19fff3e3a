"""The poster's files, one download button each: everything is built on the server, in
memory, from the same panel results as the pages (``core.export``), only when clicked.

A file is built in a Streamlit worker thread, outside the script run (the button's
deferred data): it reads the session only through what the run bound for it (the
``PanelView`` with its session memo and cohort), never ``st.session_state``,
and nothing once the session has forgotten its upload or has been idle too long.
"""
from __future__ import annotations

import datetime as dt
import os

import streamlit as st

from core.i18n import t
from ui.forget import idle_minutes
from ui.panel import PanelView

# (format of core.export.bundle.FORMATS or "zip", file in that format, catalogue key, icon)
DOWNLOADS = (
    ("zip", "poster.zip", "downloads.zip", ":material/folder_zip:"),
    ("pdf", "poster.pdf", "downloads.pdf", ":material/picture_as_pdf:"),
    ("html", "poster.html", "downloads.html", ":material/web:"),
    ("pptx", "deck.pptx", "downloads.pptx", ":material/slideshow:"),
    ("docx", "tables.docx", "downloads.docx", ":material/description:"),
    ("tables", "tables.xlsx", "downloads.xlsx", ":material/table:"),
    ("texts", "summary.json", "downloads.json", ":material/data_object:"),
    ("texts", "methods.txt", "downloads.methods", ":material/article:"),
)
_MIME = {"zip": "application/zip", "pdf": "application/pdf", "html": "text/html",
         "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "json": "application/json", "txt": "text/plain"}


# The app's public address (e.g. https://poster.example.org): when set, the exported
# poster and the deck's title slide carry a QR code to the live view with its filters.
PUBLIC_URL_ENV = "LIVING_POSTER_PUBLIC_URL"


def public_url() -> str | None:
    """The checked public address from ``PUBLIC_URL_ENV``, or None when unset or invalid."""
    from core.export.live import AddressError, check_address

    value = os.environ.get(PUBLIC_URL_ENV, "").strip()
    try:
        return check_address(value) if value else None
    except AddressError:
        return None


def export_downloads(view: PanelView, meta: dict | None) -> None:
    """A row of download buttons for the view's poster, deck, tables, JSON and methods.

    ``meta``: the poster texts in the view's language, or None for a cohort without them.
    """
    st.subheader(t("downloads.title", view.lang))
    st.caption(t("downloads.caption", view.lang))
    if os.environ.get(PUBLIC_URL_ENV, "").strip() and public_url() is None:
        st.warning(t("downloads.bad_url", view.lang, name=PUBLIC_URL_ENV))
    row = st.container(horizontal=True, gap="small")
    for fmt, name, key, icon in DOWNLOADS:
        row.download_button(
            t(key, view.lang), data=lambda fmt=fmt, name=name: _file(view, meta, fmt, name),
            file_name=name, mime=_MIME[name.rsplit(".", 1)[1]], key=f"download_{name}", on_click="ignore",
            icon=icon, width="content",
        )


def _file(view: PanelView, meta: dict | None, fmt: str, name: str) -> bytes:
    """The bytes of file ``name`` of the view's export (in any thread); refused
    (``ui.state.SessionForgotten``) once the session has forgotten the cohort, or when
    this click comes after too long idle."""
    from core.export.bundle import export_files, full_export

    view.session.check_download(idle_minutes() * 60)
    ctx = _context(view, meta)
    files = full_export(ctx) if fmt == "zip" else export_files(ctx, [fmt])
    return next(f.data for f in files if f.name == name)


def today_date() -> dt.date:
    """The day an export is stamped with (the server's date)."""
    return dt.date.today()


def _context(view: PanelView, meta: dict | None):
    """The export's computed content, once per cohort, subgroup, definitions, language
    and poster texts in this session (the last two of them kept), stamped with the
    session's files (``view.session.active``)."""
    import json

    from core.export.bundle import prepare_export

    meta_key = json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str)
    base_url = public_url()
    # The stamp carries the day: an export kept from yesterday is made again today.
    today = today_date()
    key = ("export", view.lang, view.filter, view.settings, meta_key, base_url, today)

    def build():
        # The panel results the pages have computed (memoised in this session), not new ones.
        return prepare_export(view.cohort, (), view.lang, view.filter, view.settings, meta=meta,
                              digest=view.session.active.stamp_digest(), base_url=base_url, today=today,
                              result=view.result)

    # An export holds tables as long as the cohort (every event): the last two are kept.
    return view.session.get(key, build, latest=2)
