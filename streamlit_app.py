"""The living poster: upload a cohort spreadsheet, get the poster's panels back.

Entry point for ``streamlit run``: page config, the shared sidebar (language, active
cohort, live N, subgroup filters kept in the URL, the changeable definitions) and the
navigation over ``ui.nav.PAGES``.
"""
import streamlit as st

from core.coredump import forbid_core_dumps
from core.i18n import t
from ui import filters, nav, prefetch, present, state, widgets
from ui.charts import scroll_wide_charts
from ui.forget import forget_if_idle
from ui.lang import declare_page_language, language_selector
from ui.logs import keep_messages_out_of_logs
from ui.settings import sidebar_settings

keep_messages_out_of_logs()  # an error's message may quote the cohort: the log gets its type
forbid_core_dumps()  # a crash would write every session's cohort to disk

# The title heads the sidebar, but its text depends on the language chosen below it.
header = st.sidebar.container()
lang = language_selector()
if forget_if_idle(lang):  # before anything reads the cohort
    present.leave()  # the sidebar says why the data are gone
# A favicon served by this server: without one, the page's Material icon would become the
# favicon, fetched from a CDN, and the app loads nothing from outside its own server.
# Presentation mode (poster page) hides the sidebar and the navigation menu.
presenting = present.presenting()
st.set_page_config(page_title=t("app.title", lang), page_icon=str(nav.FAVICON), layout="wide",
                   initial_sidebar_state="collapsed" if presenting else "auto")
page = nav.navigation(lang, hidden=presenting)
if presenting and page.url_path != present.PAGE:
    # Another page (the browser's Back button): presentation mode ends there.
    present.leave()
    st.rerun()
header.title(t("app.title", lang))
widgets.cohort_badge(state.active_cohort(), lang)
# The live N sits above the filters but counts the subgroup they choose.
counts = st.sidebar.container()
filters.sidebar_filters(lang)
# Before the live N: the minimum age decides who is analysed.
sidebar_settings(lang)
# A registry's panels computed ahead follow this run's subgroup from now on.
prefetch.aim()
filters.sidebar_populations(counts, lang)
widgets.wrap_tiles()
declare_page_language(lang)
scroll_wide_charts()
page.run()
# While the browser draws the page: the other pages' panels of this subgroup (a registry).
prefetch.prefetch()
