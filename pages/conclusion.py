"""Conclusion page: the study's title, key findings recomputed for the subgroup, perspectives."""
import streamlit as st

from core.analysis import baseline, populations, response, safety, steroids
from core.conclusion import THRESHOLDS, conclude
from core.display.poster import centres_line
from core.display.suppressed import masked_findings, population_texts
from core.i18n import fmt_num, fmt_pct, t
from ui.exports import export_downloads
from ui.panel import open_panel
from ui.poster_meta import poster_meta
from ui.markdown import escape_markdown
from ui.state import active_cohort
from ui.widgets import show_notes, small_n_note

view = open_panel()
lang = view.lang
# From the same panel results as the other pages (computed once per session).
result = conclude(view.result(populations), view.result(baseline), view.result(response), view.result(steroids),
                  view.result(safety), view.settings)
# The poster's texts as the Poster page has them (an uploaded file, edits): the demo
# study's only with the demo cohort, never an upload's unless given for it.
is_demo = active_cohort().is_demo
poster = poster_meta(lang, is_demo)

st.title(t("nav.conclusion", lang))
# Texts a user may have written: shown as written, not read as Markdown.
st.subheader(escape_markdown(poster.get("title") or t("conclusion.ui.generic_title", lang)))
where = centres_line(poster)  # as the Poster page writes it (centre names, a period's years)
if where:
    st.caption(escape_markdown(where))
st.caption(t("conclusion.ui.demo_label" if is_demo else "conclusion.ui.upload_label", lang))

treated, analysed = population_texts(result.treated, result.analysed, view.settings.min_cell, lang)
populations_line = t("conclusion.ui.populations", lang, analysed=analysed, treated=treated)
st.markdown(f"**{populations_line}**")
small_n_note(result.analysed, lang, view.settings.min_cell)

st.subheader(t("conclusion.ui.findings", lang))
# The sentences hold catalogue text and numbers only, no user text.
st.markdown("\n".join(f"- {line}" for line in masked_findings(result, view.settings.min_cell, lang)))
st.caption(t("conclusion.ui.filter_note", lang))
# Each finding comes from one panel: link to the pages that show the details.
bases = list(dict.fromkeys(finding.basis for finding in result.findings))
for column, basis in zip(st.columns(len(bases)), bases):
    column.page_link(f"pages/{basis}.py", label=t("conclusion.ui.details", lang, page=t(f"nav.{basis}", lang)))
st.caption(t("conclusion.ui.thresholds", lang, rapid=fmt_pct(THRESHOLDS["rapid_marked_pct"], lang, 0),
             often=fmt_pct(THRESHOLDS["multirefractory_pct"], lang, 0), small_n=view.settings.small_n,
             gap=fmt_num(THRESHOLDS["articular_gap_pts"], lang, 0), rise=fmt_num(THRESHOLDS["later_rise_pts"], lang, 0)))

perspectives = [line for line in poster.get("perspectives") or () if line]
if perspectives:
    st.subheader(t("conclusion.ui.perspectives", lang))
    st.text("\n".join(f"• {line}" for line in perspectives))

show_notes(result.notes, lang)

# The files of the Poster page's view: its texts (an uploaded file, edits) included.
export_downloads(view, poster or None)
