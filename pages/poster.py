"""Poster page: the whole poster on one screen, its files, and presentation mode one
panel at a time."""
import streamlit as st

from core.i18n import t
from ui import present
from ui.exports import export_downloads
from ui.panel import open_panel
from ui.poster import open_poster
from ui.poster_meta import meta_controls, poster_meta
from ui.poster_sections import draw_poster
from ui.state import active_cohort

view = open_panel()
lang = view.lang
active = active_cohort()
meta = poster_meta(lang, active.is_demo)
poster = open_poster(view, meta)

if present.presenting():
    present.show(poster, lang)
else:
    st.title(t("nav.poster", lang))
    st.caption(t("poster.demo_label" if active.is_demo else "poster.upload_label", lang))
    present.present_button(lang)
    meta_controls(lang, active.is_demo)
    draw_poster(poster, lang)
    # The files carry the texts shown here (uploaded or edited).
    export_downloads(view, meta or None)
