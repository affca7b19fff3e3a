"""The poster's content for this session: panel results, texts, chart specs and stamp,
computed once per cohort, subgroup, definitions, language and texts.

Presentation mode redraws from this memo: a step to the next panel computes nothing
and converts no chart (each chart is converted to its Vega-Lite spec once).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import streamlit as st

from core.analysis import baseline, biology, populations, response, safety, steroids
from core.conclusion import conclude
from core.display.poster import PosterResults, PosterText, poster_text, subgroup_line
from core.display.suppressed import chart_withheld_note
from core.suppression import active
from ui.panel import PanelView
from ui.state import session_memo


@dataclass(frozen=True, eq=False)
class PosterView:
    """What the poster page and presentation mode draw.

    ``charts`` maps a chart's name to its Vega-Lite spec, the one its page draws (for
    ``st.vega_lite_chart``); ``filtered``: a subgroup is chosen; ``stamp``: the snapshot
    stamp's line, as the exports write it. ``subgroup`` and ``stamp`` may quote centre
    names: plain text only.
    """

    text: PosterText
    charts: dict[str, dict]
    subgroup: str
    filtered: bool
    stamp: str
    is_demo: bool


def open_poster(view: PanelView, meta: dict) -> PosterView:
    """The poster of ``view``'s cohort, subgroup and definitions with the texts ``meta``,
    stamped as its exports are (``ActiveCohort.stamp_digest``)."""
    lang, flt, settings = view.lang, view.filter, view.settings
    # The conclusion is read off the panel results the pages share (each computed once).
    base, resp, ster, safe = view.result(baseline), view.result(response), view.result(steroids), view.result(safety)
    results = PosterResults(
        baseline=base, response=resp, biology=view.result(biology), steroids=ster, safety=safe,
        conclusion=conclude(view.result(populations), base, resp, ster, safe, settings),
    )
    # The texts are user input: a digest of them keys the memo, never the dict itself.
    meta_key = hashlib.sha256(json.dumps(meta, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    text = session_memo(("poster_text", flt, settings, lang, meta_key), lambda: poster_text(meta, results, lang, settings.min_cell))
    # Bar heights and marks are counts: no chart under small-cell suppression.
    charts = {} if active(settings.min_cell) else _chart_specs(view, results, lang)
    # The stamp is dated: a new day is a new stamp.
    stamp = session_memo(("poster_stamp", flt, settings, lang, dt.date.today()),
                         lambda: _stamp(view.session.active.stamp_digest(), flt, settings, lang))
    return PosterView(text, charts, subgroup_line(flt, lang), not flt.is_empty, stamp, view.session.active.is_demo)


def _stamp(digest: str, flt, settings, lang: str) -> str:
    from core.export.stamp import make_stamp

    return make_stamp((), flt, settings, digest=digest).line(lang)


def draw_chart(spec: dict | None, lang: str, container=None, height: str = "content") -> None:
    """Draw a spec of ``PosterView.charts`` at the container's width; None (charts
    withheld under small-cell suppression) leaves a note in its place. ``height``:
    Streamlit's, "content" (the spec's own) or "stretch" (the room its parent gives it,
    where CSS sets that room)."""
    if spec is None:
        (container or st).caption(chart_withheld_note(lang))
        return
    if height == "stretch":
        # Room above the title's first line, whose top Vega's "fit" to that height cuts off.
        spec = {**spec, "padding": {"top": 8, "left": 5, "right": 5, "bottom": 5}}
    (container or st).vega_lite_chart(spec, width="stretch", height=height)


def _chart_specs(view: PanelView, results: PosterResults, lang: str) -> dict[str, dict]:
    """The poster's charts, the specs the Response and Corticosteroids pages draw under
    their names (``PanelView.chart``), so that each is built once for both: the bars of
    each response domain (``response_<domain>``) and the doses (``steroids``)."""
    from core.charts.steroids import steroid_dose_chart
    from ui.charts import response_domain_specs

    domains = response_domain_specs(view, results.response, lang)
    charts = {f"response_{domain}": spec for domain, spec in domains.items()}
    charts["steroids"] = view.chart("steroid_doses", lambda: steroid_dose_chart(results.steroids, lang))
    return charts
