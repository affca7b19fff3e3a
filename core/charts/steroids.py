"""Steroid panel chart: the dose per month (the tiles as text are in
``core.display.steroids``).

Doses are prednisone equivalents in mg/day (``core.steroids``).
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from core.charts.theme import ACCENT, DOSE_HEIGHT, OKABE_ITO, TWO_LINE_MONTH, WIDTH, layer_data, themed
from core.display.common import month_label
from core.i18n import fmt_int, t
from core.steroids import Steroids

# Above this many patients, or this many doses to join (patients x visits: monthly visits
# multiply them), the chart draws no per-patient lines (they would send every patient's
# doses to the browser, past Altair's 5,000 rows and the exports' 3,000): the boxes alone
# show the distribution.
LINES_LIMIT = 500
LINE_POINTS_LIMIT = 2_500
_SUMMARY_COLUMNS = ["month", "N", "median", "q1", "q3", "min", "max"]


def dose_summary_frame(result: Steroids) -> pd.DataFrame:
    """Per month, the dose distribution among patients on corticosteroids (unrounded)."""
    rows = [{"month": m.month, "N": m.dose.N, "median": m.dose.median, "q1": m.dose.q1, "q3": m.dose.q3,
             "min": m.dose.min, "max": m.dose.max} for m in result.by_month]
    return pd.DataFrame(rows, columns=_SUMMARY_COLUMNS)


def steroid_dose_chart(result: Steroids, lang: str) -> alt.LayerChart:
    """``dose_chart`` of a ``Steroids`` result: its per-patient doses are read from the
    cohort only when their lines are drawn (up to ``LINES_LIMIT`` patients and
    ``LINE_POINTS_LIMIT`` doses)."""
    lines = result.patients_with_doses <= LINES_LIMIT and result.known_doses <= LINE_POINTS_LIMIT
    return dose_chart(dose_summary_frame(result), result.doses if lines else None, lang)


def dose_chart(summary: pd.DataFrame, doses: pd.DataFrame | None, lang: str) -> alt.LayerChart:
    """Boxes (quartiles, median, range) of the dose among patients on corticosteroids per
    month, over one grey line per patient (every known dose, 0 included).

    ``summary``: ``dose_summary_frame``; ``doses``: ``Steroids.doses``. Over
    ``LINES_LIMIT`` patients or ``LINE_POINTS_LIMIT`` known doses the lines are left
    out, and the subtitle says so; ``doses`` is None when it was not read for that
    reason (no lines).
    """
    labels = {m: f"{month_label(m)} (n = {fmt_int(int(n), lang)})" for m, n in zip(summary["month"], summary["N"])}
    order = [labels[m] for m in sorted(labels)]
    x = alt.X("time:N", title=t("steroids.axis.month", lang), sort=order,
              axis=alt.Axis(labelAngle=0, labelExpr=TWO_LINE_MONTH))
    y_title = t("steroids.axis.dose", lang)
    boxes = summary.dropna(subset=["median"]).assign(time=lambda f: f["month"].map(labels))
    base = alt.Chart(layer_data(boxes)).encode(x=x, tooltip=[
        alt.Tooltip("time:N", title=t("steroids.axis.month", lang)),
        alt.Tooltip("median:Q", title=t("steroids.axis.median", lang), format=".1f"),
        alt.Tooltip("q1:Q", title="Q1", format=".1f"), alt.Tooltip("q3:Q", title="Q3", format=".1f"),
        alt.Tooltip("min:Q", title=t("steroids.axis.min", lang), format=".1f"),
        alt.Tooltip("max:Q", title=t("steroids.axis.max", lang), format=".1f"),
    ])
    # A screen reader reads each month's box once, as its tooltip (``core.charts.aria``):
    # its whisker and median, which the tooltip also gives, are not read.
    layers = [
        base.mark_rule(color=ACCENT, aria=False).encode(y=alt.Y("min:Q", title=y_title), y2=alt.Y2("max:Q")),
        base.mark_bar(size=36, color=ACCENT, opacity=0.35).encode(y=alt.Y("q1:Q"), y2=alt.Y2("q3:Q")),
        base.mark_tick(size=36, thickness=3, color=ACCENT, aria=False).encode(y=alt.Y("median:Q")),
    ]
    known = None if doses is None else doses[doses["dose_mg"].notna()]
    lines_drawn = (known is not None and known["patient_id"].nunique() <= LINES_LIMIT
                   and len(known) <= LINE_POINTS_LIMIT)
    if lines_drawn:
        lines = pd.DataFrame({"patient_id": known["patient_id"].astype(str), "dose": known["dose_mg"].astype(float),
                              "time": known["month"].map(labels)}).dropna(subset=["time"])
        layers.insert(0, alt.Chart(lines).mark_line(color=OKABE_ITO["grey"], opacity=0.5, strokeWidth=1,
                                                     point=alt.OverlayMarkDef(size=14, color=OKABE_ITO["grey"])
                                                     ).encode(
            x=x, y=alt.Y("dose:Q", title=y_title), detail=alt.Detail("patient_id:N"),
            tooltip=[alt.Tooltip("patient_id:N", title=t("steroids.axis.patient", lang)),
                     alt.Tooltip("time:N", title=t("steroids.axis.month", lang)),
                     alt.Tooltip("dose:Q", title=y_title, format=".1f")],
        ))
    subtitle = t("steroids.chart.subtitle" if lines_drawn else "steroids.chart.subtitle_boxes", lang)
    title = alt.TitleParams(t("steroids.chart.title", lang), subtitle=subtitle)
    return themed(alt.layer(*layers), lang, title=title, width=WIDTH, height=DOSE_HEIGHT)
