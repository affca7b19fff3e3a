"""Cohort panel: the patient flow as a horizontal funnel of labelled bars."""
from __future__ import annotations

import altair as alt
import pandas as pd

from core.charts.theme import ACCENT, OKABE_ITO, WIDTH, layer_data, themed
from core.i18n import fmt_int, fmt_pct, t

# Bar colour per kind of step: populations, the excluded patients, follow-up visits.
FLOW_COLOURS = {"population": ACCENT, "excluded": OKABE_ITO["vermillion"], "visit": OKABE_ITO["sky_blue"]}
FLOW_ORDER = ("population", "excluded", "visit")


def flow_frame(flow: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``Populations.flow`` as display rows in flow order: treated, excluded, analysed,
    then the analysed patients seen at each visit month (with the share of analysed).

    Columns: order, step, kind, patients, label.
    """
    patients = dict(zip(flow["step"], flow["patients"]))
    treated, analysed = int(patients.get("treated", 0)), int(patients.get("analysed", 0))
    rows = [
        ("treated", "population", treated, fmt_int(treated, lang)),
        ("excluded", "excluded", treated - analysed, fmt_int(treated - analysed, lang)),
        ("analysed", "population", analysed, fmt_int(analysed, lang)),
    ]
    visits = flow[flow["step"] == "visit"]
    for month, n in zip(visits["month"].astype(int), visits["patients"].astype(int)):
        share = fmt_pct(100 * n / analysed, lang, 0) if analysed else ""
        rows.append((f"visit_{month}", "visit", n, f"{n}/{analysed} ({share})" if share else fmt_int(n, lang)))
    frame = pd.DataFrame(rows, columns=["key", "kind", "patients", "label"])
    frame["step"] = [_step_label(key, lang) for key in frame["key"]]
    frame["order"] = range(len(frame))
    return frame[["order", "step", "kind", "patients", "label"]]


def _step_label(key: str, lang: str) -> str:
    if key.startswith("visit_"):
        return t("cohort.flow.seen", lang, month=key.removeprefix("visit_"))
    return t(f"cohort.flow.{key}", lang)


def flow_chart(flow: pd.DataFrame, lang: str) -> alt.Chart:
    """Horizontal bars, one per flow step, each labelled with its count (and the share
    of analysed patients seen at each visit); colours tell populations, exclusions and
    visits apart."""
    frame = flow_frame(flow, lang)
    labels = {k: t(f"cohort.flow.kind.{k}", lang) for k in FLOW_ORDER}
    frame["kind_label"] = frame["kind"].map(labels)
    top = max(int(frame["patients"].max()) if len(frame) else 0, 1)
    # An explicit order: a sort by field is dropped when layers share the axis.
    base = alt.Chart(layer_data(frame)).encode(
        y=alt.Y("step:N", sort=list(frame["step"]), title=None,
                scale=alt.Scale(paddingInner=0.35), axis=alt.Axis(labelFontSize=15, labelLimit=260)),
    )
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        x=alt.X("patients:Q", title=t("cohort.flow.axis", lang), scale=alt.Scale(domain=[0, top * 1.25]),
                  axis=alt.Axis(tickCount=5, tickMinStep=1, format="d")),
        color=alt.Color("kind_label:N", title=None,
                        scale=alt.Scale(domain=[labels[k] for k in FLOW_ORDER],
                                        range=[FLOW_COLOURS[k] for k in FLOW_ORDER])),
        tooltip=[alt.Tooltip("step:N", title=t("cohort.flow.step", lang)),
                 alt.Tooltip("label:N", title=t("cohort.flow.axis", lang))],
    )
    text = base.mark_text(align="left", dx=6, fontSize=16, fontWeight="bold").encode(
        x=alt.X("patients:Q"), text=alt.Text("label:N"),
    )
    # Height as a step per bar: Streamlit keeps a step, a fixed height is squeezed.
    return themed(bars + text, lang, width=WIDTH, height=alt.Step(46), title=t("cohort.flow.title", lang))
