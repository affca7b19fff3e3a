"""Steroid panel chart: the dose per month (the tiles as text are in
``core.display.steroids``).

Doses are prednisone equivalents in mg/day (``core.steroids``).
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from core.charts.theme import ACCENT, DOSE_HEIGHT, OKABE_ITO, TWO_LINE_MONTH, WIDTH, layer_data, themed
from core.display.common import month_label
from core.i18n import fmt_int, fmt_num, t
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


def _patient_lines(known: pd.DataFrame, labels: dict, lang: str) -> pd.DataFrame:
    """One row per known dose of a month the chart shows: patient_id, time (the axis
    label), dose, dose_text (written for ``lang``, as the page writes numbers) and, on
    the patient's first month only, doses: the patient's every dose of the chart, month
    by month ("M0 10.0, M3 5.0"). Vega gives a line the first point's tooltip and
    description (the line is drawn in the x axis' order, the months'); the other rows
    do not carry the text (a cohort's lines hold up to ``LINE_POINTS_LIMIT`` doses)."""
    lines = pd.DataFrame({"patient_id": known["patient_id"].astype(str), "month": known["month"].astype(int),
                          "dose": known["dose_mg"].astype(float)})
    lines["time"] = lines["month"].map(labels)
    lines = lines.dropna(subset=["time"]).sort_values(["patient_id", "month"], kind="stable")
    # Each distinct dose written once (a few values repeat: 0, 5, 7.5 mg).
    written = {dose: fmt_num(dose, lang, 1) for dose in lines["dose"].unique()}
    lines["dose_text"] = lines["dose"].map(written).astype(object)
    steps = lines["month"].map(month_label).astype(object) + " " + lines["dose_text"]
    first = ~lines["patient_id"].duplicated()
    lines["doses"] = lines["patient_id"].map(steps.groupby(lines["patient_id"], sort=False).agg(", ".join)).where(first)
    return lines.drop(columns="month").reset_index(drop=True)


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
    # Doses written with the language's digit groups, as a point's (``fmt_num``): 1,250.0.
    base = alt.Chart(layer_data(boxes)).encode(x=x, tooltip=[
        alt.Tooltip("time:N", title=t("steroids.axis.month", lang)),
        alt.Tooltip("median:Q", title=t("steroids.axis.median", lang), format=",.1f"),
        alt.Tooltip("q1:Q", title="Q1", format=",.1f"), alt.Tooltip("q3:Q", title="Q3", format=",.1f"),
        alt.Tooltip("min:Q", title=t("steroids.axis.min", lang), format=",.1f"),
        alt.Tooltip("max:Q", title=t("steroids.axis.max", lang), format=",.1f"),
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
        lines = _patient_lines(known, labels, lang)
        patient = alt.Tooltip("patient_id:N", title=t("steroids.axis.patient", lang))
        data = layer_data(lines)
        # A line's tooltip, and what a screen reader says of it, is the patient's doses
        # month by month (Vega labels a line by its first point: it was read, and shown
        # on hover, as that point); its points show their own dose on hover, and are
        # not read again.
        layers[:0] = [
            alt.Chart(data).mark_line(color=OKABE_ITO["grey"], opacity=0.5, strokeWidth=1).encode(
                x=x, y=alt.Y("dose:Q", title=y_title), detail=alt.Detail("patient_id:N"),
                tooltip=[patient, alt.Tooltip("doses:N", title=y_title)]),
            alt.Chart(data).mark_point(size=14, filled=True, opacity=1, color=OKABE_ITO["grey"], aria=False).encode(
                x=x, y=alt.Y("dose:Q", title=y_title),
                tooltip=[patient, alt.Tooltip("time:N", title=t("steroids.axis.month", lang)),
                         alt.Tooltip("dose_text:N", title=y_title)]),
        ]
    subtitle = t("steroids.chart.subtitle" if lines_drawn else "steroids.chart.subtitle_boxes", lang)
    title = alt.TitleParams(t("steroids.chart.title", lang), subtitle=subtitle)
    return themed(alt.layer(*layers), lang, title=title, width=WIDTH, height=DOSE_HEIGHT)
