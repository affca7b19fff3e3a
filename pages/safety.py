"""Safety page: infections, severe and VZV infections, events by type, exposure, swimmer plot."""
import streamlit as st

from core.analysis import populations, safety
from core.charts import safety as charts
from core.display import safety as display
from core.i18n import fmt_num, fmt_pct, t
from core.suppression import hide_treated
from ui.charts import show_chart
from core.display.common import Tile
from ui import suppression
from ui.panel import open_panel
from ui.widgets import show_notes, small_n_note

view = open_panel()
lang = view.lang
result = view.result(safety)
pops = view.result(populations)
# Fewer than min_cell patients excluded: the treated count, every N here, is hidden.
hide_N = hide_treated(pops.treated, pops.analysed, view.settings.min_cell)
events_recorded = result.events_recorded

st.title(t("nav.safety", lang))
st.write(t("safety.intro", lang))
st.markdown(f"**{display.population_line(result, lang, view.settings.min_cell, hide_N)}**")
small_n_note(result.N, lang, view.settings.min_cell, hide_N)

if not events_recorded:
    st.info(t("safety.no_events_table", lang), icon=":material/info:")
else:
    st.subheader(display.safety_headline(result, lang, view.settings.min_cell, hide_N))
    tiles = (("infection", result.infection), ("severe", result.severe_infection), ("vzv", result.vzv))
    for column, (name, proportion) in zip(st.columns(len(tiles)), tiles):
        tile = suppression.tile(Tile(t(f"safety.tile.{name}", lang), fmt_pct(proportion.pct, lang),
                                     display.tile_caption(proportion, lang)), view, hide_N)
        column.metric(tile.label, tile.value, border=True)
        column.caption(tile.detail)

st.subheader(t("safety.exposure_title", lang))
exposure = st.columns(3)
exposure[0].metric(t("safety.metric.patient_months", lang), fmt_num(result.patient_months, lang))
if events_recorded:
    events = display.events_text(result, lang, view.settings.min_cell)
    exposure[1].metric(t("safety.metric.infection_events", lang), events)
    exposure[2].metric(t("safety.metric.rate", lang), display.rate_text(result, lang, view.settings.min_cell))
st.caption(t("safety.exposure_help", lang))

if events_recorded:
    st.subheader(t("safety.by_type_title", lang))
    by_type = view.chart("events_by_type", lambda: charts.events_by_type_chart(result.events_by_type, lang, result.N))
    show_chart(by_type, "events_by_type", lang)

st.subheader(t("safety.swimmer_title", lang))
# The chart's subtitle says which patients it shows when there are too many to draw.
show_chart(view.chart("swimmer", lambda: charts.safety_swimmer_chart(result, lang)), "swimmer", lang)

if events_recorded:
    # Descriptions are typed by users: shown only inside dataframes, as plain text.
    st.subheader(t("safety.visceral_title", lang))
    if result.visceral_events.empty:
        st.write(t("safety.no_visceral", lang))
    elif not suppression.withheld(view):  # withheld: a caption says so, never "no visceral event"
        visceral, note = view.memo("visceral_table", lambda: display.listed_events(result, lang, ("visceral",)))
        st.dataframe(visceral, hide_index=True)
        if note:
            st.caption(note)
    st.subheader(t("safety.events_title", lang))
    events, note = view.memo("events_table", lambda: display.listed_events(result, lang))
    if events.empty:
        st.write(t("safety.no_events", lang))
    elif not suppression.withheld(view):
        st.dataframe(events, hide_index=True)
        if note:
            st.caption(note)

show_notes(result.notes, lang)
