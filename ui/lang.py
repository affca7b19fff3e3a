"""The language selector: defaults to the browser's locale, kept in the URL (``?lang=``)."""
from __future__ import annotations

import streamlit as st

from core.i18n import LANG_NAMES, LANGS, default_lang, t

# The selectbox's key (tests and the URL use the same name).
_KEY = "lang"
# The language in force, a plain session value that no widget owns. Streamlit can hand
# a keyed widget its default again (a click on a page link may send no widget state):
# the selector's default is always this value, so such a reset changes nothing.
_CHOICE = "_lang_choice"


def browser_lang() -> str:
    """The language the browser asks for (``st.context.locale``), French or English."""
    return default_lang(st.context.locale)


def current_lang() -> str:
    """The language of this run: the one chosen in this session, else ``?lang=``, else
    the browser's."""
    lang = st.session_state.get(_CHOICE) or st.query_params.get(_KEY)
    return lang if lang in LANGS else browser_lang()


def _remember_choice() -> None:
    if st.session_state.get(_KEY) in LANGS:
        st.session_state[_CHOICE] = st.session_state[_KEY]


def language_selector() -> str:
    """Draw the selector in the sidebar and return the chosen language.

    The language changes only when the user picks one here; page links, reruns and the
    shell rerun of a fresh server keep it. It is written to ``st.query_params["lang"]``
    on every run, so the URL can be shared or bookmarked in that language (``?lang=en``).
    """
    lang = current_lang()
    st.session_state[_CHOICE] = lang
    # Set before the widget is drawn (no ``index=``): the selector shows the choice even
    # when Streamlit would hand it its default.
    st.session_state[_KEY] = lang
    st.sidebar.selectbox(
        t("sidebar.lang", lang), LANGS, format_func=LANG_NAMES.__getitem__, key=_KEY, on_change=_remember_choice,
    )
    st.query_params[_KEY] = lang
    return lang


def declare_page_language(lang: str) -> None:
    """Say the page's language to the browser: ``<html lang>``, which Streamlit fixes to
    "en", so that a screen reader reads a French page with a French voice (WCAG 3.1.1,
    language of page). A fixed script built from the language code only, no user text;
    the element takes no room on the page."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {LANGS}")
    # The element's own style hides it: a script's element would take a gap on the page.
    st.html("<style>[data-testid='stElementContainer']:has(> [data-testid='stHtml'] > .page-lang) {display: none;}"
            f"</style><script class='page-lang'>document.documentElement.lang = '{lang}';</script>",
            unsafe_allow_javascript=True)
