"""Steroid panel: the tiles of each month as text, and the dose chart.

Doses are prednisone equivalents in mg/day (``core.steroids``). Text composition lives
here (not in the page) so that it is testable without Streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from core.charts.biology import month_label, p_text
from core.charts.theme import ACCENT, HEIGHT, OKABE_ITO, WIDTH, themed
from core.i18n import fmt_count, fmt_median_iqr, fmt_num, fmt_pct, note_text, t
from core.schema import CS_DRUG_FACTORS
from core.stats import NOTE_ZEROS_DROPPED, Continuous, Proportion, TestResult
from core.steroids import SteroidMonth, Steroids

# Above this many patients the chart draws no per-patient lines (they would send every
# patient's doses to the browser): the boxes alone show the distribution.
LINES_LIMIT = 500
_SUMMARY_COLUMNS = ["month", "N", "median", "q1", "q3", "min", "max"]


@dataclass(frozen=True)
class Tile:
    """One number of a month's column: label, value, and a smaller line under it."""

    label: str
    value: str
    detail: str = ""


def ci_text(p: Proportion, lang: str) -> str:
    """The Wilson 95 % CI of a proportion, ``95% CI 51.8%–86.8%``; empty without one."""
    if p.ci_low is None:
        return ""
    return t("steroids.ci", lang, low=fmt_pct(p.ci_low, lang), high=fmt_pct(p.ci_high, lang))


def median_iqr(c: Continuous, lang: str) -> str:
    """``7.3 (5.0; 10.0)``: median and quartiles to one decimal, an em dash without data."""
    return fmt_median_iqr(c, lang)


def wilcoxon_text(test: TestResult, zeros: int, lang: str) -> str:
    """``Wilcoxon p = 0.007 (N = 16 pairs, 7 unchanged)``, ``zeros`` being the unchanged
    pairs (``SteroidMonth.zero_differences``); other notes in the reader's words."""
    text = t("steroids.wilcoxon", lang, p=p_text(test.p_value, lang), N=test.N, zeros=zeros)
    # The zeros are in the sentence already; the note saying so would repeat it.
    others = [note_text(n, lang) for n in dict.fromkeys(test.notes) if n != NOTE_ZEROS_DROPPED]
    return "; ".join([text, *others])


def _count(p: Proportion, lang: str) -> str:
    return fmt_count(p.n, p.N, p.pct, lang)


def month_tiles(month: SteroidMonth, lang: str) -> tuple[Tile, ...]:
    """The month's tiles: on corticosteroids, median dose, at or under each threshold,
    and after M0 the stops and the paired change with its Wilcoxon test."""
    tiles = [
        Tile(t("steroids.on_cs", lang), _count(month.on_cs, lang), ci_text(month.on_cs, lang)),
        Tile(t("steroids.dose", lang), median_iqr(month.dose, lang), t("steroids.dose_n", lang, n=month.dose.N)),
    ]
    for threshold, share in month.at_or_under:
        label = t("steroids.at_or_under", lang, threshold=fmt_num(threshold, lang))
        tiles.append(Tile(label, _count(share, lang), ci_text(share, lang)))
    if month.stopped is not None:
        tiles.append(Tile(t("steroids.stopped", lang), _count(month.stopped, lang), ci_text(month.stopped, lang)))
    if month.change is not None and month.test is not None:
        tiles.append(Tile(t("steroids.change", lang), median_iqr(month.change, lang),
                          wilcoxon_text(month.test, month.zero_differences or 0, lang)))
    return tuple(tiles)


def factors_frame(lang: str) -> pd.DataFrame:
    """The prednisone-equivalent factor of every known drug name, most potent first."""
    frame = pd.DataFrame(list(CS_DRUG_FACTORS.items()), columns=["drug", "factor"])
    frame = frame.sort_values(["factor", "drug"], ascending=[False, True], kind="stable")
    frame["factor"] = [fmt_num(f, lang, 2) for f in frame["factor"]]
    return frame.rename(columns={c: t(f"steroids.col.{c}", lang) for c in ("drug", "factor")})


def dose_summary_frame(result: Steroids) -> pd.DataFrame:
    """Per month, the dose distribution among patients on corticosteroids (unrounded)."""
    rows = [{"month": m.month, "N": m.dose.N, "median": m.dose.median, "q1": m.dose.q1, "q3": m.dose.q3,
             "min": m.dose.min, "max": m.dose.max} for m in result.by_month]
    return pd.DataFrame(rows, columns=_SUMMARY_COLUMNS)


def dose_chart(summary: pd.DataFrame, doses: pd.DataFrame, lang: str) -> alt.LayerChart:
    """Boxes (quartiles, median, range) of the dose among patients on corticosteroids per
    month, over one grey line per patient (every known dose, 0 included).

    ``summary``: ``dose_summary_frame``; ``doses``: ``Steroids.doses``. Over
    ``LINES_LIMIT`` patients the lines are left out.
    """
    labels = {m: f"{month_label(m)} (n = {n})" for m, n in zip(summary["month"], summary["N"])}
    order = [labels[m] for m in sorted(labels)]
    x = alt.X("time:N", title=t("steroids.axis.month", lang), sort=order, axis=alt.Axis(labelAngle=0))
    y_title = t("steroids.axis.dose", lang)
    boxes = summary.dropna(subset=["median"]).assign(time=lambda f: f["month"].map(labels))
    base = alt.Chart(boxes).encode(x=x, tooltip=[
        alt.Tooltip("time:N", title=t("steroids.axis.month", lang)),
        alt.Tooltip("median:Q", title=t("steroids.axis.median", lang), format=".1f"),
        alt.Tooltip("q1:Q", title="Q1", format=".1f"), alt.Tooltip("q3:Q", title="Q3", format=".1f"),
    ])
    layers = [
        base.mark_rule(color=ACCENT).encode(y=alt.Y("min:Q", title=y_title, axis=alt.Axis(format="~g")), y2="max:Q"),
        base.mark_bar(size=36, color=ACCENT, opacity=0.35).encode(y="q1:Q", y2="q3:Q"),
        base.mark_tick(size=36, thickness=3, color=ACCENT).encode(y="median:Q"),
    ]
    known = doses[doses["dose_mg"].notna()]
    patients = known["patient_id"].nunique()
    if patients <= LINES_LIMIT:
        lines = pd.DataFrame({"patient_id": known["patient_id"].astype(str), "dose": known["dose_mg"].astype(float),
                              "time": known["month"].map(labels)}).dropna(subset=["time"])
        layers.insert(0, alt.Chart(lines).mark_line(color=OKABE_ITO["grey"], opacity=0.5, strokeWidth=1,
                                                     point=alt.OverlayMarkDef(size=14, color=OKABE_ITO["grey"])
                                                     ).encode(
            x=x, y=alt.Y("dose:Q", title=y_title), detail="patient_id:N",
            tooltip=[alt.Tooltip("patient_id:N", title=t("steroids.axis.patient", lang)),
                     alt.Tooltip("dose:Q", title=y_title, format=".1f")],
        ))
    subtitle = t("steroids.chart.subtitle" if patients <= LINES_LIMIT else "steroids.chart.subtitle_boxes", lang)
    title = alt.TitleParams(t("steroids.chart.title", lang), subtitle=subtitle)
    return themed(alt.layer(*layers).properties(title=title, width=WIDTH, height=HEIGHT + 120))
