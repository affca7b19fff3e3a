"""Biology page: IFN signature, Farr test and complement at M0 and their course."""
import streamlit as st

from core.analysis import biology
from core.charts import biology as charts
from core.display import biology as display
from core.display.common import month_label
from core.i18n import t
from ui.charts import chart_columns, show_chart
from ui import suppression
from ui.panel import open_panel
from ui.widgets import box_columns, show_notes, small_n_note

view = open_panel()
lang = view.lang
result = view.result(biology)

st.title(t("nav.biology", lang))
st.write(t("biology.intro", lang))
st.markdown(f"**{t('biology.analysed', lang, N=suppression.count(result.N, view))}**")
small_n_note(result.N, lang, view.settings.min_cell)

# The poster's three boxes: status at M0, then each follow-up month's arrows.
for column, name in zip(box_columns(len(display.MARKERS), "biology_boxes"), display.MARKERS):
    marker = getattr(result, name)
    with column.container(border=True):
        st.subheader(t(f"biology.marker.{name}", lang))
        st.write(display.status_m0_line(marker, lang, view.settings.min_cell, result.N))
        for month in result.months:
            lines = display.month_lines(marker, month, lang, view.settings.min_cell)
            st.markdown(f"**{month_label(month)}**  \n" + "  \n".join(lines))
        show_notes(marker.notes, lang)
st.caption(t("biology.legend", lang, tolerance=display.tolerance_text(view.settings.shift_tolerance, lang)))

st.subheader(t("biology.changes_title", lang))
st.caption(t("biology.changes_help", lang))
counts = tuple(t(f"biology.col.{c}", lang) for c in ("paired", "positive_m0", "positive_mk"))
changes = view.memo("changes_table", lambda: display.changes_frame(result, lang, view.settings.min_cell))
st.dataframe(suppression.table(changes, view, counts), hide_index=True)

st.subheader(t("biology.charts_title", lang))
if not result.months:
    st.info(t("biology.no_followup", lang))
else:
    shifting = [name for name in display.MARKERS if getattr(result, name).shifts]
    for column, name in zip(chart_columns(len(shifting), "biology_shifts"), shifting):
        marker = getattr(result, name)
        spec = view.chart(f"{name}_shifts", lambda: charts.shift_chart(charts.shift_frame(marker), lang, name))
        show_chart(spec, f"{name}_shifts", lang, container=column)
    month = st.segmented_control(
        t("biology.month_select", lang), result.months, default=result.months[-1], required=True,
        format_func=month_label, key="biology_month",
    )
    for column, name in zip(chart_columns(len(shifting), "biology_paired"), shifting):
        marker = getattr(result, name)
        # Only the chosen month's pairs are read; over PAIRED_LIMIT the chart draws medians.
        spec = view.chart(f"{name}_paired", lambda: charts.marker_paired_chart(marker, month, lang), month)
        show_chart(spec, f"{name}_paired_m{month}", lang, container=column)

show_notes(result.notes, lang)
