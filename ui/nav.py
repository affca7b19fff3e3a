"""The app's pages, in navigation order.

Adding a poster panel is one file in ``pages/`` and one line in ``PAGES``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.i18n import t


@dataclass(frozen=True)
class PageSpec:
    """One page: its script (relative to streamlit_app.py), i18n title key and icon."""

    path: str
    title_key: str
    icon: str

    @property
    def url_path(self) -> str:
        # Fixed by the file name, so links and bookmarks survive a language change.
        return Path(self.path).stem


# Material Symbols: Streamlit ships the font, so the icons render in every browser (an
# emoji is a box where no emoji font is installed) and nothing is fetched. The tab's
# favicon is FAVICON (streamlit_app.py), never a page icon: Streamlit would fetch a
# Material favicon from a CDN.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/upload.py", "nav.upload", ":material/upload_file:"),
    PageSpec("pages/poster.py", "nav.poster", ":material/dashboard:"),
    PageSpec("pages/cohort.py", "nav.cohort", ":material/groups:"),
    PageSpec("pages/response.py", "nav.response", ":material/trending_up:"),
    PageSpec("pages/biology.py", "nav.biology", ":material/science:"),
    PageSpec("pages/steroids.py", "nav.steroids", ":material/medication:"),
    PageSpec("pages/safety.py", "nav.safety", ":material/health_and_safety:"),
    PageSpec("pages/conclusion.py", "nav.conclusion", ":material/flag:"),
)
FAVICON = Path(__file__).parent / "favicon.png"


def navigation(lang: str, hidden: bool = False) -> StreamlitPage:
    """The ``st.navigation`` menu over ``PAGES`` with titles in ``lang``; call ``.run()``.

    ``hidden``: no menu (presentation mode); the pages stay registered."""
    pages = [
        st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path, default=k == 0)
        for k, p in enumerate(PAGES)
    ]
    return st.navigation(pages, position="hidden" if hidden else "sidebar")


def require_shell() -> None:
    """Rerun through ``streamlit_app.py`` when Streamlit ran this page script alone.

    Every page calls this first. Because a ``pages/`` folder sits next to the entry
    point, ``PagesManager.uses_pages_directory`` starts True in a fresh server process
    (streamlit/runtime/pages_manager.py), and until some run calls ``st.navigation``
    (which sets it False for the whole process) the script runner takes Streamlit's old
    pages/-folder mode (``_mpa_v1`` in streamlit/runtime/scriptrunner/script_runner.py):
    a shared link such as ``/response?lang=fr&sex=F`` opened first on a fresh server
    runs ``pages/response.py`` alone, without the sidebar, language, filters from the
    URL or wide layout. Clearing the flag and rerunning executes ``streamlit_app.py``,
    whose ``st.navigation`` picks the same page (its hash comes from the same URL path)
    with the same query string. In every other run ``st.navigation`` has already
    cleared the flag and registered ``PAGES`` before the page starts: nothing happens.

    These are Streamlit internals of the pinned version (1.67, requirements.txt); the
    browser test that opens a shared link first on a fresh server guards an upgrade.
    """
    if PagesManager.uses_pages_directory or _entry_point_is_a_page():
        PagesManager.uses_pages_directory = False
        st.rerun()


def _entry_point_is_a_page() -> bool:
    # Only that old mode lists streamlit_app.py itself among the pages. This catches a
    # run that started in it while another session's guard was already clearing the
    # flag (two links opened at once on a fresh server).
    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    entry = Path(ctx.pages_manager.main_script_path).resolve()
    return any(
        info.get("script_path") and Path(info["script_path"]).resolve() == entry
        for info in ctx.pages_manager.get_pages().values()
    )
