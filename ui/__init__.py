"""Streamlit glue: session state, language, navigation, filters, shared widgets.

Dependencies point one way: pages -> ui -> core. Apart from pages/, this is the only
package that imports streamlit.

A panel page is one file in ``pages/`` plus one line in ``ui.nav.PAGES``, and reads::

    lang = current_lang()                      # ui.lang
    cohort = require_cohort(lang)              # ui.widgets: stops on an unusable upload
    flt = current_filter()                     # ui.filters: the sidebar's subgroup
    result = session_memo(("response", flt), lambda: response(cohort, flt))  # ui.state
    st.title(t("nav.response", lang))
    ...                                        # core.charts builders, formatted numbers
    show_notes(result.notes, lang)             # ui.widgets
"""
