"""Steroids page: corticosteroid use and prednisone-equivalent dose at each month."""
import streamlit as st

from core.analysis import steroids
from core.charts import steroids as charts
from core.display import steroids as display
from core.display.common import month_label
from core.i18n import t
from ui.charts import show_chart
from ui import suppression
from ui.panel import open_panel
from ui.widgets import show_notes, small_n_note, tile_label, tile_text

view = open_panel()
lang = view.lang
result = view.result(steroids)

st.title(t("nav.steroids", lang))
st.write(t("steroids.intro", lang))
st.markdown(f"**{t('steroids.analysed', lang, N=suppression.count(result.N, view))}**")
small_n_note(result.N, lang, view.settings.min_cell)

if result.unknown_drugs:
    st.warning(t("steroids.unknown_drugs", lang), icon=":material/warning:")
    # Plain text: drug names are written by the user.
    st.text(", ".join(result.unknown_drugs))

# At most four months side by side: a cohort seen every month gets rows of them (13
# columns would leave each tile a few letters wide).
months, per_row = result.by_month, max(1, min(4, len(result.by_month)))
for first in range(0, len(months), per_row):
    for column, month in zip(st.columns(per_row), months[first:first + per_row]):
        with column.container(border=True):
            st.subheader(month_label(month.month))
            tiles = display.month_tiles(month, lang, view.settings.min_cell, display.baseline_total(result, month))
            for tile in map(lambda x: suppression.tile(x, view), tiles):
                st.metric(tile_label(tile.label), tile_text(tile.value))
                st.caption(tile.detail)
            show_notes(month.notes, lang)
            if month.unknown_drug_doses:
                st.caption(t("steroids.unknown_drug_doses", lang, n=suppression.count(month.unknown_drug_doses, view)))
st.caption(t("steroids.tiles_help", lang))

show_chart(view.chart("steroid_doses", lambda: charts.steroid_dose_chart(result, lang)), "steroid_doses", lang)

with st.expander(t("steroids.method_title", lang)):
    st.write(t("steroids.method", lang))
    st.dataframe(display.factors_frame(lang), hide_index=True, width="content", height="content")

# Notes are fixed codes; the drug names as typed are shown above as plain text.
show_notes(result.notes, lang)
