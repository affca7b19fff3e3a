"""Cohort panel: patient flow, exclusions, the poster's M0 tiles and the baseline table."""
import streamlit as st

from core.analysis import baseline, filter_options, populations
from core.charts.cohort import flow_chart
from core.display import cohort as display
from core.display.common import count_line
from core.i18n import catalogue, t
from core.suppression import grouping_allowed
from ui.charts import show_chart
from ui.lists import long_list
from ui import suppression
from ui.panel import open_panel
from ui.state import session_memo
from ui.widgets import show_notes, tile_rows

view = open_panel()
lang = view.lang
pops = view.result(populations)
base = view.result(baseline)

st.title(t("nav.cohort", lang))
st.caption(t("cohort.intro", lang))

show_chart(view.chart("patient_flow", lambda: flow_chart(pops.flow, lang)), "patient_flow", lang)
show_notes(pops.notes, lang)

left, right = st.columns(2)
with left:
    st.subheader(t("cohort.exclusions", lang))
    if not pops.exclusions.empty:
        if not suppression.withheld(view):
            st.caption(count_line(len(pops.exclusions), lang))
            long_list(view, "exclusions", pops.exclusions,
                      lambda rows: display.exclusions_table(rows, lang, view.settings.min_age), lang)
    else:
        st.write(t("cohort.no_exclusions", lang))
if not pops.flags.empty:
    with right:
        st.subheader(t("cohort.flags", lang))
        if not suppression.withheld(view):
            st.caption(count_line(pops.flags["patient_id"].nunique(), lang))
            long_list(view, "flags", pops.flags, lambda rows: display.flags_table(rows, lang), lang)

st.subheader(t("cohort.tiles", lang))
tiles = view.memo("m0_tiles", lambda: display.m0_tiles(base.table, lang, view.settings.min_cell))
tile_rows(tiles)

st.subheader(t("cohort.baseline", lang))
# Grouping columns: centre, sex and the categorical extra columns of the upload.
options = session_memo("filter_options", lambda: filter_options(view.cohort))
# Not under small-cell suppression: the groups could give a hidden count back (rule 9).
grouping = grouping_allowed(view.settings.min_cell)
groups = [None, "centre", "sex", *(column for column, _ in options.extra)] if grouping else [None]
if st.session_state.get("cohort_group") not in groups:
    # A column of a previous upload, or grouping no longer offered: start ungrouped.
    st.session_state.pop("cohort_group", None)
group = st.selectbox(
    t("cohort.group_by", lang), groups, key="cohort_group", disabled=not grouping,
    format_func=lambda g: t("cohort.group.none", lang) if g is None else catalogue(lang).get(f"cohort.group.{g}", g),
)
if not grouping:
    st.caption(t("cohort.group_suppressed", lang))
grouped = base if group is None else view.result(baseline, group=group)
level_label = (lambda v: catalogue(lang).get(f"sex.{v}", v)) if group == "sex" else None
baseline_frame = view.memo("baseline_table", lambda: display.baseline_display(
    grouped.table, lang, level_label, view.settings.min_cell), group)
counts = (t("cohort.col.N", lang), t("cohort.col.missing", lang))
st.dataframe(suppression.table(baseline_frame, view, counts), hide_index=True, height="content")
st.caption(t("cohort.baseline_caption", lang))
if grouped.table.group_missing:
    st.caption(t("cohort.group_missing", lang, n=suppression.count(grouped.table.group_missing, view)))
show_notes((*grouped.notes, *grouped.table.notes), lang)
if grouped.unknown_drugs:
    st.caption(t("cohort.unknown_drugs", lang))
    # Plain text: drug names are written by the user (a caption would render Markdown).
    st.text(", ".join(grouped.unknown_drugs))
