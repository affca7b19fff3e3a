"""Streamlit glue: session state, language, navigation, filters, shared widgets.

Dependencies point one way: pages -> ui -> core. Apart from pages/, this is the only
package that imports streamlit.

A panel page is one file in ``pages/`` plus one line in ``ui.nav.PAGES``, and reads::

    view = open_panel()                        # ui.panel: shell guard, language, cohort,
    lang = view.lang                           #   subgroup filter and definitions
    result = view.result(response)             # the core panel function, memoised per session
    st.title(t("nav.response", lang))
    ...                                        # core.charts builders via ui.charts.show_chart
    show_notes(result.notes, lang)             # ui.widgets
"""
