"""Response panel: CR / PR / NR stacked bars with CR + PR and its 95 % CI, M3 -> M6
transition matrices, and the patients-by-months grid."""
from __future__ import annotations

import altair as alt
import pandas as pd

from core.charts.theme import (AXIS_ROOM, DOMAIN_WIDTH, FIT_WIDTH, OKABE_ITO, RESPONSE_COLOURS, RESPONSE_ORDER,
                                TWO_LINE_MONTH, colour_scale, layer_data, month_order, themed)
from core.db import natural_sorted
from core.i18n import fmt_ci, fmt_count, fmt_int, fmt_pct, t
from core.display.response import category_label, overall_frame
from core.schema import RESPONSE_DOMAINS as DOMAINS

CATEGORIES = ("CR", "PR", "NR")
# Above this many patients, or this many cells (patients x domains x months: monthly
# visits multiply them), the grid would be unreadable (and past Altair's 5,000 rows): the
# grid builder shows counts per month and response instead.
GRID_LIMIT = 500
GRID_CELLS_LIMIT = 3_000
_BAR_HEIGHT = 300


def _labels(lang: str, order=RESPONSE_ORDER) -> dict[str, str]:
    return {c: category_label(c, lang) for c in order}


def _month(frame: pd.DataFrame, column: str = "month") -> pd.Series:
    return "M" + frame[column].astype(int).astype(str)


def _month_n(frame: pd.DataFrame, lang: str) -> pd.Series:
    """``M3 (N = 17)``: each bar carries its denominator (``N = 7,271`` in a registry)."""
    sizes = [fmt_int(int(n), lang) for n in frame["N"]]
    return _month(frame) + pd.Series([f" (N = {n})" for n in sizes], index=frame.index, dtype=object)


# A segment's label is white on its bar: ``n/N`` when every label of the chart fits
# the bar's width, else ``n`` alone, N being under the bar; a label wider than its bar
# would run onto the white background and lose its first and last digits. The bars
# share ``DOMAIN_WIDTH`` by month: a band, less Vega-Lite's inner padding (0.1 of it),
# of which the bar takes 0.6. A character is counted as a bold 13 px digit of the
# widest font a chart is drawn in: DejaVu Sans, where the exports' renderer (vl-convert)
# finds none of the theme's fonts (9.05 px; the browser's Source Sans Pro is narrower).
_SEGMENT_BAND_PX, _SEGMENT_CHAR_PX = DOMAIN_WIDTH * 0.9 * 0.6, 9.2
# Above each bar, CR + PR's 95 % CI in words, 11 px: on one line when every month's
# fits its share of ``DOMAIN_WIDTH`` with a gap, counted at 6.6 px a character (DejaVu
# Sans, as above), else on two lines, its label over its bounds (three months of a
# registry: "IC 95 % 79,2 à 82,7" ran into its neighbours).
_CI_CHAR_PX, _CI_GAP_PX = 6.6, 8
# CR + PR above each bar, bold 13 px letters and digits (DejaVu Sans, about 8.5 px on
# average); a month's N under the axis, 14 px.
_TOP_CHAR_PX, _AXIS_CHAR_PX = 8.5, 8.0


def _fitting(choices: list[list[str]], char_px: float, room: float) -> list[str]:
    """The first of ``choices`` (labels of one layer, the longest first) whose every
    label fits ``room`` px at ``char_px`` a character; else no label (the tooltip and a
    screen reader still give each value): a label wider than its room runs into its
    neighbour or off its bar."""
    for labels in choices:
        if max((max(map(len, line.split("\n")), default=0) for line in labels), default=0) * char_px <= room:
            return labels
    return [""] * len(choices[0])


def _segment_texts(counts: pd.DataFrame, lang: str) -> list[str]:
    full = [f"{n}/{N}" if n else "" for n, N in zip(counts["n"], counts["N"])]
    alone = [fmt_int(int(n), lang) if n else "" for n in counts["n"]]
    return _fitting([full, alone], _SEGMENT_CHAR_PX, _SEGMENT_BAND_PX / max(counts["month"].nunique(), 1))


def response_chart(counts: pd.DataFrame, overall: pd.DataFrame, lang: str) -> alt.HConcatChart:
    """One panel per domain: stacked bars of CR / PR / NR in percent of N at each month,
    each segment labelled n/N, and above each bar CR + PR with its Wilson 95 % CI (also
    drawn as an error bar at the CR + PR boundary).

    ``counts`` is ``ResponseResult.counts``; ``overall`` is ``core.display.response.overall_frame``.
    """
    panels = [_domain_bars(counts, overall, d, lang) for d in DOMAINS]
    shared = alt.Resolve(scale=alt.ScaleResolveMap(color="shared"))
    return themed(alt.HConcatChart(hconcat=panels, spacing=40, resolve=shared), lang)


def result_chart(result, lang: str) -> alt.HConcatChart:
    """``response_chart`` of a ``ResponseResult``: the figure the exports draw (the
    bundle's charts, the poster PDF, the slides)."""
    return response_chart(result.counts, overall_frame(result.results), lang)


def domain_chart(result, domain: str, lang: str) -> alt.LayerChart:
    """One domain's panel of ``result_chart`` on its own, with its legend, as wide as the
    page draws it: the Response page and the poster set the domains side by side where
    each has its plot and ``AXIS_ROOM``, one under the other on a narrower page (the two
    in one chart, 820 px wide, were cut by their column on a 1,024 px screen)."""
    panel = _domain_bars(result.counts, overall_frame(result.results), domain, lang)
    return themed(panel, lang, width=DOMAIN_WIDTH + AXIS_ROOM, autosize=FIT_WIDTH)


def _domain_bars(counts: pd.DataFrame, overall: pd.DataFrame, domain: str, lang: str) -> alt.LayerChart:
    """The panel of ``domain``, out of every domain's ``counts`` and ``overall``."""
    labels = _labels(lang, CATEGORIES)
    # Percentages are None where N is 0: as floats (NaN) so that they stack.
    counts = counts[counts["domain"] == domain].astype({"pct": float, "ci_low": float, "ci_high": float})
    overall = overall[overall["domain"] == domain].astype({"pct": float, "ci_low": float, "ci_high": float})
    bars = counts.assign(
        month_label=_month_n(counts, lang),
        category_label=counts["category"].map(labels),
        rank=counts["category"].map({c: k for k, c in enumerate(CATEGORIES)}),
        text=_segment_texts(counts, lang),
        pct_text=counts["pct"].map(lambda p: fmt_pct(p, lang)),
        # What a screen reader says of a segment (its label may be n alone).
        aria=[t("response.aria.bar", lang, month=m, response=labels[c],
                count=fmt_count(n, N, None if pd.isna(p) else p, lang))
              for m, c, n, N, p in zip(_month(counts), counts["category"], counts["n"], counts["N"], counts["pct"])],
    )
    tops = overall.assign(
        month_label=_month_n(overall, lang),
        text=[f"{t('response.overall_short', lang)} {fmt_pct(p, lang)}" if N else t("response.no_data", lang)
              for p, N in zip(overall["pct"], overall["N"])],
        ci=[fmt_ci(lo, hi, lang) for lo, hi in zip(overall["ci_low"], overall["ci_high"])],
    )
    # Above each bar, as much as its share of the width holds (``_fitting``): CR + PR
    # with its name, else its percentage; its CI on one line, else on two.
    step = DOMAIN_WIDTH / max(overall["month"].nunique(), 1)
    room = step - _CI_GAP_PX
    # A month without patients keeps saying so ("aucune donnée") when its neighbours shorten.
    pct_only = [fmt_pct(p, lang) if N else text for p, N, text in zip(overall["pct"], overall["N"], tops["text"])]
    # Bold labels centred on their bands: each may take its band's whole width.
    tops["top_text"] = _fitting([list(tops["text"]), pct_only], _TOP_CHAR_PX, step)
    two = [fmt_ci(lo, hi, lang, sep="\n") for lo, hi in zip(overall["ci_low"], overall["ci_high"])]
    # The label as drawn; the tooltip and a screen reader say it on one line ("ci").
    tops["ci_text"] = _fitting([list(tops["ci"]), two], _CI_CHAR_PX, room)
    two_lines = any("\n" in text for text in tops["ci_text"])
    tops["aria"] = [t("response.aria.overall", lang, month=m, overall=", ".join(filter(None, (text, ci))))
                    for m, text, ci in zip(_month(overall), tops["text"], tops["ci"])]
    # Label heights: the middle of each segment, CR at the bottom of the stack.
    bars = bars.sort_values(["month", "rank"])
    bars["mid"] = bars.groupby("month")["pct"].cumsum() - bars["pct"] / 2
    order = month_order(bars)
    # Each frame feeds several layers: converted once (``layer_data``).
    bars_data, tops_data = layer_data(bars), layer_data(tops)
    # The axes and legend are described with the spec (``core.charts.aria``): the y axis
    # as drawn, by its ticks, not the scale's 122.
    x_title, y_title, legend = (t(key, lang) for key in ("response.axis.month", "response.axis.pct", "response.legend"))
    # A month's N under it where it has room (14 px, about 8 px a character), else the month alone.
    widest_n = max((len(label) - label.index(" (") - 1 for label in bars["month_label"] if " (" in label), default=0)
    month_only = widest_n * _AXIS_CHAR_PX > room
    x = alt.X("month_label:N", title=x_title, sort=order,
              axis=alt.Axis(labelAngle=0, labelFontSize=14,
                            labelExpr="split(datum.label, ' (')[0]" if month_only else TWO_LINE_MONTH))
    stack = alt.Chart(bars_data).mark_bar(width={"band": 0.6}).encode(
        x=x,
        # The scale leaves room above 100 for the labels: the axis is read as drawn.
        y=alt.Y("pct:Q", stack="zero", title=y_title, scale=alt.Scale(domain=[0, 122]),
                axis=alt.Axis(values=[0, 20, 40, 60, 80, 100])),
        color=alt.Color("category_label:N", title=legend,
                        scale=alt.Scale(**colour_scale(RESPONSE_COLOURS, CATEGORIES, labels))),
        order=alt.Order("rank:Q", sort="ascending"), description=alt.Description("aria:N"),
        tooltip=[alt.Tooltip("month_label:N", title=x_title), alt.Tooltip("category_label:N", title=legend),
                 alt.Tooltip("text:N", title="n/N"), alt.Tooltip("pct_text:N", title="%")],
    )
    # The texts and the CI's rule repeat what the bars and the diamond tell a screen reader.
    segment_text = alt.Chart(bars_data).mark_text(color="white", fontSize=13, fontWeight="bold", aria=False).encode(
        x=x, y=alt.Y("mid:Q"), text=alt.Text("text:N"),
    )
    # The CI of CR + PR beside the bar, level with the CR + PR boundary of the stack.
    beside = alt.X("month_label:N", sort=order, bandPosition=0.86)
    error = alt.Chart(tops_data).mark_rule(color=OKABE_ITO["black"], strokeWidth=2, aria=False).encode(
        x=beside, y=alt.Y("ci_low:Q"), y2=alt.Y2("ci_high:Q"),
    )
    point = alt.Chart(tops_data).mark_point(shape="diamond", filled=True, size=60, color=OKABE_ITO["black"]).encode(
        x=beside, y=alt.Y("pct:Q"), description=alt.Description("aria:N"),
        tooltip=[alt.Tooltip("text:N", title=t("response.overall_short", lang)),
                 alt.Tooltip("ci:N", title=t("response.ci", lang))],
    )
    # A CI on two lines is raised by its second line, which Vega draws under the first,
    # and CR + PR above it (the axis ends at 122).
    overall_text = alt.Chart(tops_data).mark_text(fontSize=13, baseline="bottom", fontWeight="bold",
                                                  aria=False).encode(
        x=x, y=alt.YDatum(116 if two_lines else 113), text=alt.Text("top_text:N"),
    )
    # The CI in words is wider than the bar: a smaller font keeps neighbours apart.
    ci_label = alt.Chart(tops_data).mark_text(fontSize=11, baseline="bottom", lineBreak="\n", aria=False).encode(
        x=x, y=alt.YDatum(107.5 if two_lines else 102), text=alt.Text("ci_text:N"),
    )
    title = t(f"response.domain.{domain}", lang)
    layers = (stack, segment_text, error, point, overall_text, ci_label)
    return alt.LayerChart(layer=layers, width=DOMAIN_WIDTH, height=_BAR_HEIGHT, title=title)


def transitions_chart(transitions: pd.DataFrame, lang: str) -> alt.FacetChart:
    """Transition matrices: for each domain and pair of consecutive months, patients by
    response at the first month (rows) and the next (columns), counts in the cells;
    "not assessed" covers patients not seen or without a response."""
    labels = _labels(lang)
    order = [labels[c] for c in RESPONSE_ORDER]
    frame = transitions.assign(
        from_label=transitions["from_response"].map(labels),
        to_label=transitions["to_response"].map(labels),
        domain_label=transitions["domain"].map(lambda d: t(f"response.domain.{d}", lang)),
        pair=_month(transitions, "from_month") + " → " + _month(transitions, "to_month"),
    )
    n = int(frame["patients"].max()) if len(frame) else 1
    base = alt.Chart().encode(
        x=alt.X("to_label:N", sort=order, scale=alt.Scale(domain=order), title=t("response.axis.to", lang),
                axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("from_label:N", sort=order, scale=alt.Scale(domain=order), title=t("response.axis.from", lang)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("patients:Q", title=t("response.axis.patients", lang),
                        scale=alt.Scale(scheme="blues", domain=[0, max(n, 1)])),
        tooltip=[alt.Tooltip("pair:N", title=t("response.axis.pair", lang)),
                 alt.Tooltip("from_label:N", title=t("response.axis.from", lang)),
                 alt.Tooltip("to_label:N", title=t("response.axis.to", lang)),
                 alt.Tooltip("patients:Q", title=t("response.axis.patients", lang))],
    )
    text = base.mark_text(fontSize=16, fontWeight="bold").encode(
        text=alt.Text("patients:Q"),
        color=alt.condition(alt.datum.patients > n / 2, alt.value("white"), alt.value("black")),
    )
    chart = alt.LayerChart(layer=[cells, text], data=frame, width=230, height=200).facet(
        column=alt.Column("domain_label:N", title=None, sort=[t(f"response.domain.{d}", lang) for d in DOMAINS],
                          header=alt.Header(labelFontSize=15, labelFontWeight="bold")),
        row=alt.Row("pair:N", title=None, header=alt.Header(labelFontSize=14)),
    )
    return themed(chart, lang, title=t("response.transitions_title", lang))


def patient_grid_chart(patients: pd.DataFrame, lang: str) -> alt.FacetChart:
    """Each involved analysed patient (rows) at each month (columns), coloured by
    response; a dot marks a response scored from the raw components rather than
    recorded. Above ``GRID_LIMIT`` patients or ``GRID_CELLS_LIMIT`` cells: counts per
    month and response instead."""
    labels = _labels(lang)
    frame = patients.assign(
        response_label=patients["response"].fillna("missing").map(labels),
        month_label=_month(patients),
        domain_label=patients["domain"].map(lambda d: t(f"response.domain.{d}", lang)),
        source_label=patients["source"].map(
            {"scored": t("response.source.scored", lang), "recorded": t("response.source.recorded", lang)}),
    )
    colour = _grid_colour(labels, lang)
    domains = [t(f"response.domain.{d}", lang) for d in DOMAINS]
    if patients["patient_id"].nunique() > GRID_LIMIT or len(patients) > GRID_CELLS_LIMIT:
        counts = frame.groupby(["domain_label", "month", "month_label", "response_label"], as_index=False).size()
        return _grid_aggregate(counts, colour, domains, lang)
    ids = natural_sorted(frame["patient_id"].astype(str).unique())
    base = alt.Chart().encode(
        x=alt.X("month_label:N", title=None, sort=month_order(frame),
                axis=alt.Axis(labelAngle=0, orient="top", labelFontSize=13)),
        y=alt.Y("patient_id:N", sort=ids, title=t("response.axis.patient", lang),
                axis=alt.Axis(labelOverlap=False, labelFontSize=11)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=colour,
        tooltip=[alt.Tooltip("patient_id:N", title=t("response.axis.patient", lang)),
                 alt.Tooltip("month_label:N", title=t("response.axis.month", lang)),
                 alt.Tooltip("response_label:N", title=t("response.legend", lang)),
                 alt.Tooltip("source_label:N", title=t("response.axis.source", lang))],
    )
    dots = base.mark_point(filled=True, size=40, color=OKABE_ITO["black"]).encode(
        shape=alt.Shape("source_label:N", title=None, legend=alt.Legend(labelLimit=320),
                        scale=alt.Scale(domain=[t("response.source.scored", lang)], range=["circle"])),
    ).transform_filter(alt.datum.source == "scored")
    chart = alt.LayerChart(layer=[cells, dots], data=frame, width=120, height=alt.Step(20)).facet(
        column=alt.Column("domain_label:N", title=None, sort=domains,
                          header=alt.Header(labelFontSize=15, labelFontWeight="bold")),
    )
    independent = alt.Resolve(scale=alt.ScaleResolveMap(y="independent"))
    return themed(chart, lang, resolve=independent, title=t("response.grid_title", lang))


def response_grid_chart(result, lang: str) -> alt.FacetChart:
    """The patient grid of a ``ResponseResult``: one cell per patient and month up to
    ``GRID_LIMIT`` involved patients and ``GRID_CELLS_LIMIT`` cells (their rows are read
    from the cohort then), else the counts per month and response, taken from the
    result's own counts (no patient-level row is read or drawn)."""
    cells = sum(r.involved for r in result.results)  # involved patients x month, per domain
    if result.involved <= GRID_LIMIT and cells <= GRID_CELLS_LIMIT:
        return patient_grid_chart(result.patients, lang)
    labels = _labels(lang)
    rows = []
    for r in result.results:
        by_response = {"CR": r.cr.n, "PR": r.pr.n, "NR": r.nr.n, "missing": r.involved - r.N}
        rows += [{"domain": r.domain, "month": r.month, "response": k, "size": n} for k, n in by_response.items() if n]
    counts = pd.DataFrame(rows, columns=["domain", "month", "response", "size"])
    counts = pd.DataFrame({
        "domain_label": counts["domain"].map(lambda d: t(f"response.domain.{d}", lang)),
        "month": counts["month"], "month_label": _month(counts), "response_label": counts["response"].map(labels),
        "size": counts["size"],
    })
    return _grid_aggregate(counts, _grid_colour(labels, lang), [t(f"response.domain.{d}", lang) for d in DOMAINS],
                           lang)


def _grid_colour(labels: dict, lang: str) -> alt.Color:
    return alt.Color("response_label:N", title=t("response.legend", lang),
                     scale=alt.Scale(**colour_scale(RESPONSE_COLOURS, RESPONSE_ORDER, labels)))


def _grid_aggregate(counts: pd.DataFrame, colour: alt.Color, domains: list[str], lang: str) -> alt.FacetChart:
    """Bars of patients per month and response: the grid of a cohort too large to draw
    patient by patient (``counts``: domain_label, month, month_label, response_label, size)."""
    chart = alt.Chart(counts).mark_bar().encode(
        x=alt.X("month_label:N", title=t("response.axis.month", lang), sort=month_order(counts),
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("size:Q", title=t("response.axis.patients", lang)),
        color=colour,
        tooltip=[alt.Tooltip("domain_label:N", title=t("response.axis.domain", lang)),
                 alt.Tooltip("month_label:N", title=t("response.axis.month", lang)),
                 alt.Tooltip("response_label:N", title=t("response.legend", lang)),
                 alt.Tooltip("size:Q", title=t("response.axis.patients", lang))],
    ).properties(width=200, height=_BAR_HEIGHT).facet(
        column=alt.Column("domain_label:N", title=None, sort=domains),
    )
    title = t("response.grid_aggregate_title", lang, limit=fmt_int(GRID_LIMIT, lang),
              cells=fmt_int(GRID_CELLS_LIMIT, lang))
    return themed(chart, lang, title=title)
