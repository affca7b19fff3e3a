"""Biology panel charts: shift bars per month and paired plots (the poster's arrows as
text are in ``core.display.biology``)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from core.biology import SHIFTS, Marker
from core.charts.theme import (HEIGHT, SHIFT_COLOURS, SHIFT_ORDER, TWO_LINE_MONTH, WIDTH, colour_scale,
                               layer_data, month_order, themed)
from core.display.common import month_label
from core.i18n import fmt_int, t

# Above this many patients a paired plot would send one line per patient to the
# browser: the chart shows the median of each shift bucket instead.
PAIRED_LIMIT = 500
# Markers whose shifts core.biology counts among the patients positive at M0 only
# (anti-dsDNA: elevated at M0); their paired plots show the same patients.
SHIFT_AMONG_POSITIVE = frozenset({"anti_dsdna"})
_SHIFT_COLUMNS = ["month", "shift", "n", "N"]
# Two columns: four labels in one row are wider than a half-width chart and get cut.
_LEGEND = alt.Legend(columns=2)
# Taller than the theme's default: title, axis and legend share the chart's height.
_HEIGHT = HEIGHT + 80


def shift_frame(marker: Marker) -> pd.DataFrame:
    """Tidy shift counts: one row per month and bucket (month, shift, n, N of the month)."""
    rows = [{"month": s.month, "shift": k, "n": v, "N": s.N} for s in marker.shifts for k, v in s.as_dict().items()]
    return pd.DataFrame(rows, columns=_SHIFT_COLUMNS)


def _shift_labels(lang: str) -> dict[str, str]:
    return {k: t(f"biology.shift.{k}", lang) for k in SHIFTS}


def shift_chart(frame: pd.DataFrame, lang: str, marker: str) -> alt.Chart:
    """Stacked bars of patients per shift bucket and month, fixed colours per bucket.

    ``frame``: ``shift_frame`` output. Each month is labelled with its n.
    """
    labels = _shift_labels(lang)
    data = frame.assign(
        label=frame["shift"].map(labels),
        order=frame["shift"].map({k: i for i, k in enumerate(SHIFT_ORDER)}),
        month_label=[f"{month_label(m)} (n = {fmt_int(n, lang)})" for m, n in zip(frame["month"], frame["N"])],
    )
    colour = alt.Color("label:N", title=None, scale=alt.Scale(**colour_scale(SHIFT_COLOURS, SHIFT_ORDER, labels)),
                       legend=_LEGEND)
    chart = alt.Chart(data, title=t("biology.chart.shift", lang, marker=t(f"biology.marker.{marker}", lang))).mark_bar(
    ).encode(
        x=alt.X("month_label:N", title=None, sort=month_order(data),
                axis=alt.Axis(labelAngle=0, labelExpr=TWO_LINE_MONTH)),
        # Whole patients on the axis, also when every count is 0 (no "0.000000").
        y=alt.Y("n:Q", title=t("biology.axis.patients", lang), stack="zero", axis=alt.Axis(format="d", tickMinStep=1)),
        color=colour,
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("month_label:N", title=t("biology.axis.month", lang)),
                 alt.Tooltip("label:N", title=t("biology.axis.shift", lang)),
                 alt.Tooltip("n:Q", title=t("biology.axis.patients", lang))],
    )
    return themed(chart, lang, width=WIDTH // 2, height=_HEIGHT)


def _paired_rows(pairs: pd.DataFrame, month: int, positive_only: bool) -> pd.DataFrame:
    """Patients with a value at M0 and at ``month`` (positive at M0 if ``positive_only``)."""
    at = pairs[pairs["month"] == month]
    if positive_only:
        at = at[at["status_m0"].fillna(False).astype(bool)]
    value_m0 = pd.to_numeric(at["value_m0"], errors="coerce")
    value = pd.to_numeric(at["value"], errors="coerce")
    keep = value_m0.notna() & value.notna()
    return pd.DataFrame({"patient_id": at["patient_id"][keep].astype(str), "value_m0": value_m0[keep],
                         "value": value[keep], "shift": at["shift"][keep].astype(str)})


def _long(rows: pd.DataFrame, month: int) -> pd.DataFrame:
    before = rows.assign(time=month_label(0), t=0, y=rows["value_m0"])
    after = rows.assign(time=month_label(month), t=1, y=rows["value"])
    return pd.concat([before, after], ignore_index=True)[["patient_id", "shift", "time", "t", "y"]]


def _aggregate(rows: pd.DataFrame) -> pd.DataFrame:
    """Median value at M0 and at the month per shift bucket, with the bucket's n."""
    grouped = rows.groupby("shift", observed=True)
    return grouped[["value_m0", "value"]].median().assign(n=grouped.size()).reset_index()


def paired_chart(pairs: pd.DataFrame, month: int, lang: str, marker: str) -> alt.Chart:
    """One line per patient from M0 to ``month`` (slope chart), coloured by shift bucket.

    ``pairs``: ``Marker.pairs``; for anti-dsDNA, the patients elevated at M0 (as its
    shift counts). Over ``PAIRED_LIMIT`` patients, one line per bucket
    joins the bucket's medians instead (no patient-level data reach the browser).
    """
    rows = _paired_rows(pairs, month, marker in SHIFT_AMONG_POSITIVE)
    n = len(rows)
    aggregate = n > PAIRED_LIMIT
    return _paired(_aggregate(rows) if aggregate else rows, n, aggregate, month, lang, marker)


def marker_paired_chart(marker: Marker, month: int, lang: str) -> alt.Chart:
    """``paired_chart`` of ``marker`` at ``month``, its patients' values read only when
    they are drawn: over ``PAIRED_LIMIT`` patients the shift medians come summed up from
    the cohort (``Marker.paired_medians_at``), the same chart without a row per patient."""
    medians = marker.paired_medians_at(month)
    n = int(medians["n"].sum())
    if n <= PAIRED_LIMIT:
        return paired_chart(marker.pairs_at(month), month, lang, marker.name)
    return _paired(medians, n, True, month, lang, marker.name)


def _paired(rows: pd.DataFrame, n: int, aggregate: bool, month: int, lang: str, marker: str) -> alt.Chart:
    """The paired plot of ``rows``: one per patient (patient_id, value_m0, value, shift),
    or with ``aggregate`` one per shift bucket (``_aggregate``); ``n`` patients in all."""
    labels = _shift_labels(lang)
    if aggregate:  # one line per bucket
        rows = rows.assign(patient_id=rows["shift"])
    data = _long(rows, month).assign(label=lambda f: f["shift"].map(labels))
    if aggregate:
        data = data.assign(n=data["shift"].map(rows.set_index("shift")["n"]))
    key = "biology.chart.paired_median" if aggregate else "biology.chart.paired"
    title = t(key, lang, marker=t(f"biology.marker.{marker}", lang), month=month_label(month), n=fmt_int(n, lang))
    colour = alt.Color("label:N", title=None, scale=alt.Scale(**colour_scale(SHIFT_COLOURS, SHIFT_ORDER, labels)),
                       legend=_LEGEND)
    tooltip = [alt.Tooltip("label:N", title=t("biology.axis.shift", lang)),
               alt.Tooltip("time:N", title=t("biology.axis.month", lang)),
               alt.Tooltip("y:Q", title=t(f"biology.axis.value.{marker}", lang), format=".1f")]
    tooltip.insert(0, alt.Tooltip("n:Q", title=t("biology.axis.patients", lang)) if aggregate
                   else alt.Tooltip("patient_id:N", title=t("biology.axis.patient", lang)))
    base = alt.Chart(layer_data(data)).encode(
        x=alt.X("time:N", title=None, sort=[month_label(0), month_label(month)],
                axis=alt.Axis(labelAngle=0), scale=alt.Scale(paddingOuter=0.2)),
        y=alt.Y("y:Q", title=t(f"biology.axis.value.{marker}", lang)),
        color=colour,
        detail=alt.Detail("patient_id:N"),
        tooltip=tooltip,
    )
    width = 3 if aggregate else 1.5
    chart = alt.layer(base.mark_line(strokeWidth=width, opacity=0.8), base.mark_point(filled=True, size=40))
    return themed(chart, lang, title=title, width=WIDTH // 2, height=_HEIGHT)
