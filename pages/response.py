"""Response panel: CR / PR / NR per domain and visit, transitions, each patient, and the
recorded-versus-scored disagreements."""
import streamlit as st

from core.analysis import response
from core.charts.response import response_grid_chart, transitions_chart
from core.display import response as display
from core.display.common import count_line
from core.i18n import t
from ui.charts import show_chart, show_response_domains
from ui.lists import long_list
from ui import suppression
from ui.panel import open_panel
from ui.widgets import show_notes

view = open_panel()
lang = view.lang
result = view.result(response)

st.title(t("nav.response", lang))
st.caption(t("response.intro", lang))

st.subheader(t("response.bars", lang))
show_response_domains(view, result, lang)
st.caption(t("response.bars_caption", lang))
categories = tuple(t(f"response.cat.{c}", lang) for c in ("CR", "PR", "NR"))
counts = (t("response.col.scored", lang), t("response.col.unknown", lang), "N")
responses = view.memo("response_table", lambda: display.response_table(result.results, lang, view.settings.min_cell))
st.dataframe(suppression.table(responses, view, counts, (categories,)), hide_index=True)
show_notes((*result.notes, *(note for r in result.results for note in r.notes)), lang)

st.subheader(t("response.transitions", lang))
show_chart(view.chart("response_transitions", lambda: transitions_chart(result.transitions, lang)),
           "response_transitions", lang, width="content")

st.subheader(t("response.grid", lang))
show_chart(view.chart("response_per_patient", lambda: response_grid_chart(result, lang)),
           "response_per_patient", lang, width="content")
st.caption(t("response.grid_caption", lang))

st.subheader(t("response.discordant", lang))
if not result.discordant.empty:
    st.caption(t("response.discordant_caption", lang))
    if not suppression.withheld(view):
        st.caption(count_line(result.discordant["patient_id"].nunique(), lang))
        long_list(view, "discordances", result.discordant, lambda rows: display.discordance_table(rows, lang), lang)
else:
    st.write(t("response.no_discordant", lang))
