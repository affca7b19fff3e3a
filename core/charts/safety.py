"""Safety panel charts: events by type and the swimmer plot (the headline and tables
are in ``core.display.safety``). Event colours and shapes are fixed per type
(``EVENT_COLOURS``).
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from core.charts.theme import (EVENT_COLOURS, EVENT_ORDER, FIT_WIDTH, HEIGHT, OKABE_ITO, WIDTH, colour_scale,
                                layer_data, themed)
from core.db import natural_ranks, natural_sorted
from core.display.safety import event_labels
from core.i18n import MISSING, counted, fmt_int, t
from core.safety import SwimmerScope, scope_of

# Above this many treated patients the swimmer plot keeps only patients with an event,
# and at most this many of them (one bar per patient would not be readable, and
# patient-level rows must stay few in the browser).
SWIMMER_LIMIT = 300
# At most this many events are marked (patients followed for years can have dozens each,
# past Altair's 5,000 rows): beyond, the first patients by id whose events fit are shown.
MARKS_LIMIT = 2_500
EVENT_SHAPES = {"infection": "circle", "visceral": "diamond", "other": "square"}
_ROW_PX = 20


def events_by_type_chart(frame: pd.DataFrame, lang: str, n_patients: int) -> alt.Chart:
    """Horizontal bars of events per type (every type shown, 0 included), fixed colours.

    ``frame``: ``Safety.events_by_type`` (type, events, patients); ``n_patients``: the
    treated patients they come from, written in the title.
    """
    labels = event_labels(lang)
    counts = frame.set_index("type")[["events", "patients"]].reindex(list(EVENT_ORDER), fill_value=0)
    data = counts.reset_index().assign(label=lambda f: f["type"].map(labels))
    colour = alt.Color("label:N", title=None, legend=None,
                       scale=alt.Scale(**colour_scale(EVENT_COLOURS, EVENT_ORDER, labels)))
    base = alt.Chart(layer_data(data)).encode(
        y=alt.Y("label:N", title=None, sort=[labels[k] for k in EVENT_ORDER], axis=alt.Axis(labelLimit=220)),
        x=alt.X("events:Q", title=t("safety.axis.events", lang), axis=alt.Axis(tickMinStep=1)),
        tooltip=[alt.Tooltip("label:N", title=t("safety.col.type", lang)),
                 alt.Tooltip("events:Q", title=t("safety.axis.events", lang)),
                 alt.Tooltip("patients:Q", title=t("safety.axis.patients", lang))],
    )
    chart = alt.layer(base.mark_bar().encode(color=colour),
                      base.mark_text(align="left", dx=4).encode(text=alt.Text("events:Q")))
    title = t("safety.chart.by_type", lang, patients=counted(n_patients, "treated_patients", lang))
    return themed(chart, lang, title=title, width=WIDTH, height=HEIGHT // 2, autosize=FIT_WIDTH)


def swimmer_scope(swimmer: pd.DataFrame, events: pd.DataFrame, limit: int = SWIMMER_LIMIT) -> SwimmerScope:
    """How many of the ``swimmer`` patients the plot shows, and why."""
    with_events = int(swimmer["patient_id"].isin(events["patient_id"]).sum())
    return scope_of(len(swimmer), with_events, limit)


def swimmer_chart(swimmer: pd.DataFrame, events: pd.DataFrame, lang: str, limit: int = SWIMMER_LIMIT,
                  note: str | None = None) -> alt.LayerChart:
    """One bar per patient from month 0 to the end of follow-up, events marked at their
    month with colour and shape by type, descriptions in the tooltips.

    ``swimmer``: ``Safety.swimmer`` (patient_id, start, end); ``events``:
    ``Safety.events``. Over ``limit`` patients, see ``swimmer_scope``; ``note`` (which
    patients are shown, ``swimmer_note``) goes under the title, so that exports carry it.
    Over ``MARKS_LIMIT`` events, only the first patients by id whose events fit are
    shown, and a second line under the title says so (each note starts a line of the
    subtitle; ``themed`` breaks a longer one to fit the chart's width).
    """
    bars, marks = _swimmer_rows(swimmer, events, limit)
    subtitle = [note] if note else []
    if len(marks) > MARKS_LIMIT:
        bars, marks = _first_events(bars, marks, MARKS_LIMIT)
        subtitle.append(t("safety.swimmer.events_cap", lang, limit=fmt_int(MARKS_LIMIT, lang),
                          shown=fmt_int(len(bars), lang), drawn=fmt_int(len(marks), lang)))
    labels = event_labels(lang)
    yes_no = {True: t("safety.yes", lang), False: t("safety.no", lang)}
    marks = marks.assign(
        label=marks["type"].map(labels),
        description=marks["description"].astype("string").fillna(""),
        severe=marks["severe"].astype("boolean").map(yes_no, na_action="ignore").fillna(MISSING).astype(str),
        vzv=marks["vzv"].astype("boolean").map(yes_no, na_action="ignore").fillna(MISSING).astype(str),
    )
    order = list(bars["patient_id"])
    patient = t("safety.col.patient_id", lang)
    y = alt.Y("patient_id:N", title=patient, sort=order, axis=alt.Axis(labelLimit=120, labelOverlap=False))
    x_title = t("safety.axis.months", lang)
    # At least one month wide, so that a cohort without follow-up still gets an axis.
    x_max = max(1.0, float(bars["end"].max() if len(bars) else 0), float(marks["month"].max() if len(marks) else 0))
    x_scale = alt.Scale(domain=[0, x_max], nice=True)
    bar = alt.Chart(bars).mark_bar(size=8, color=OKABE_ITO["light_grey"]).encode(
        x=alt.X("start:Q", title=x_title, scale=x_scale, axis=alt.Axis(tickMinStep=1)), x2=alt.X2("end:Q"), y=y,
        tooltip=[alt.Tooltip("patient_id:N", title=patient),
                 alt.Tooltip("end:Q", title=t("safety.axis.followup", lang), format=".1f")],
    )
    point = alt.Chart(marks).mark_point(filled=True, size=90, opacity=1).encode(
        x=alt.X("month:Q", title=x_title, scale=x_scale), y=y,
        color=alt.Color("label:N", title=None, scale=alt.Scale(**colour_scale(EVENT_COLOURS, EVENT_ORDER, labels))),
        shape=alt.Shape("label:N", title=None, scale=alt.Scale(
            domain=[labels[k] for k in EVENT_ORDER], range=[EVENT_SHAPES[k] for k in EVENT_ORDER])),
        tooltip=[alt.Tooltip("patient_id:N", title=patient),
                 alt.Tooltip("month:Q", title=t("safety.col.month", lang), format=".1f"),
                 alt.Tooltip("label:N", title=t("safety.col.type", lang)),
                 alt.Tooltip("description:N", title=t("safety.col.description", lang)),
                 alt.Tooltip("severe:N", title=t("safety.col.severe", lang)),
                 alt.Tooltip("vzv:N", title=t("safety.col.vzv", lang))],
    )
    title = t("safety.chart.swimmer", lang, patients=counted(len(bars), "patients", lang),
              events=counted(len(marks), "events", lang))
    if subtitle:  # each note starts a line
        title = alt.TitleParams(title, subtitle=subtitle[0] if len(subtitle) == 1 else subtitle)
    height = max(HEIGHT // 2, _ROW_PX * len(bars))
    return themed(alt.layer(bar, point), lang, title=title, width=WIDTH, height=height, autosize=FIT_WIDTH)


def swimmer_note(scope: SwimmerScope, lang: str) -> str | None:
    """Which patients a swimmer plot shows when not all of them (None when all)."""
    if scope.mode == "all":
        return None
    return t(f"safety.swimmer.{scope.mode}", lang, total=fmt_int(scope.total, lang), shown=fmt_int(scope.shown, lang),
             with_events=fmt_int(scope.with_events, lang))


def safety_swimmer_chart(result, lang: str, limit: int = SWIMMER_LIMIT) -> alt.LayerChart:
    """The swimmer plot of a ``Safety`` result: only the patients it shows (at most
    ``limit``) and their events are read from the cohort; the subtitle says which."""
    bars, marks = result.swimmer_rows(limit)
    return swimmer_chart(bars, marks, lang, limit, note=swimmer_note(result.swimmer_scope(limit), lang))


def _first_events(bars: pd.DataFrame, marks: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first patients of ``bars`` by id (natural order) whose events together are at
    most ``limit``, and those events; the first patient alone, with his first ``limit``
    events by month, if his own are more. Bars keep their order."""
    per_patient = marks["patient_id"].value_counts()
    ids = natural_sorted(bars["patient_id"])
    fits = per_patient.reindex(ids, fill_value=0).cumsum() <= limit
    kept = set(fits.index[fits]) or {ids[0]}
    marks = marks[marks["patient_id"].isin(kept)].sort_values("month", kind="stable").head(limit)
    return (bars[bars["patient_id"].isin(kept)].reset_index(drop=True),
            marks.sort_index(kind="stable").reset_index(drop=True))


def _swimmer_rows(swimmer: pd.DataFrame, events: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The patients shown (longest follow-up first, ids in natural order) and their events."""
    scope = swimmer_scope(swimmer, events, limit)
    bars = swimmer[["patient_id", "start", "end"]].astype({"patient_id": str})
    if scope.mode != "all":
        bars = bars[bars["patient_id"].isin(events["patient_id"].astype(str))]
    bars = bars.assign(_rank=natural_ranks(bars["patient_id"]))  # P2 before P10
    if scope.mode == "first_with_events":
        bars = bars.sort_values("_rank").head(limit)
    bars = bars.sort_values(["end", "_rank"], ascending=[False, True]).drop(columns="_rank")
    marks = events[events["patient_id"].astype(str).isin(bars["patient_id"])]
    marks = marks.assign(patient_id=marks["patient_id"].astype(str), month=marks["month"].astype(float))
    return bars.reset_index(drop=True), marks.reset_index(drop=True)
