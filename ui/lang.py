"""The language selector: defaults to the browser's locale, kept in the URL (``?lang=``)."""
from __future__ import annotations

import streamlit as st

from core.i18n import LANG_NAMES, LANGS, default_lang, t

_KEY = "lang"


def browser_lang() -> str:
    """The language the browser asks for (``st.context.locale``), French or English."""
    return default_lang(st.context.locale)


def current_lang() -> str:
    """The language of this run: the selector's value, else ``?lang=``, else the browser's."""
    lang = st.session_state.get(_KEY) or st.query_params.get(_KEY)
    return lang if lang in LANGS else browser_lang()


def language_selector() -> str:
    """Draw the selector in the sidebar and return the chosen language.

    The choice is written to ``st.query_params["lang"]`` on every run, so the URL can be
    shared or bookmarked in that language (``?lang=en``).
    """
    if _KEY not in st.session_state:
        # Seeded once per session; afterwards the widget owns the value.
        st.session_state[_KEY] = current_lang()
    lang = st.sidebar.selectbox(
        t("sidebar.lang", st.session_state[_KEY]), LANGS, format_func=LANG_NAMES.__getitem__, key=_KEY
    )
    st.query_params[_KEY] = lang
    return lang
