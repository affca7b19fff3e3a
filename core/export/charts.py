"""The poster's charts, built by ``core.charts`` and rendered offline by vl-convert:
PNG (slides), SVG (print, the HTML poster) and PDF (print).

Numbers on the axes follow the language (d3's ``fr-FR`` locale writes decimal
commas). A chart's data travel inside its Vega-Lite spec, so ``chart_spec`` refuses
a spec holding more than ``MAX_SPEC_ROWS`` rows over all its datasets (Altair's own
limit is 5,000 per dataset): the builders aggregate large cohorts (the dose chart
draws per-patient lines up to 500 patients), and a spec past the limit is a
programming error, not a slow export.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.charts.aria import described
from core.export.panels import Panels
from core.i18n import t

MAX_SPEC_ROWS = 3000
# Twice the screen resolution: sharp on a projector.
PNG_SCALE = 2
_LOCALES = {"fr": "fr-FR", "en": "en-US"}


@dataclass(frozen=True, eq=False)
class PosterChart:
    """One chart of the poster: file stem ``name``, the panel it belongs to, its title
    and its Vega-Lite spec (a dict)."""

    name: str
    panel: str
    title: str
    spec: dict


def poster_charts(panels: Panels, lang: str) -> tuple[PosterChart, ...]:
    """The poster's charts in its order: patient flow, response per visit, IFN and
    anti-dsDNA shifts, corticosteroid doses, events by type (when events are recorded)."""
    from core.charts import biology, cohort, response, safety, steroids

    charts = [
        ("patient_flow", "cohort", t("cohort.flow.title", lang), cohort.flow_chart(panels.populations.flow, lang)),
        ("response_by_visit", "response", t("response.bars", lang), response.result_chart(panels.response, lang)),
    ]
    if panels.biology.months:
        for name in ("ifn", "anti_dsdna"):
            marker = getattr(panels.biology, name)
            title = t("biology.chart.shift", lang, marker=t(f"biology.marker.{name}", lang))
            charts.append((f"{name}_shifts", "biology", title,
                           biology.shift_chart(biology.shift_frame(marker), lang, name)))
    charts.append(("steroid_doses", "steroids", t("steroids.chart.title", lang),
                   steroids.steroid_dose_chart(panels.steroids, lang)))
    if panels.events_recorded:
        charts.append(("events_by_type", "safety", t("safety.by_type_title", lang),
                       safety.events_by_type_chart(panels.safety.events_by_type, lang, panels.safety.N)))
    return tuple(PosterChart(name, panel, title, chart_spec(chart, lang)) for name, panel, title, chart in charts)


def chart_spec(chart, lang: str) -> dict:
    """The Vega-Lite spec of an Altair chart, checked to hold at most ``MAX_SPEC_ROWS``
    rows, and read aloud in ``lang`` (``core.charts.aria.described``)."""
    spec = described(chart.to_dict(), lang)
    rows = sum(len(values) for values in spec.get("datasets", {}).values())
    if rows > MAX_SPEC_ROWS:
        raise ValueError(f"a chart spec holds {rows} rows (limit {MAX_SPEC_ROWS}): aggregate before charting")
    return spec


def chart_svg(spec: dict, lang: str) -> str:
    """The chart as an SVG document."""
    import vl_convert

    return vl_convert.vegalite_to_svg(spec, format_locale=_LOCALES[lang])


def chart_png(spec: dict, lang: str, scale: float = PNG_SCALE) -> bytes:
    """The chart as PNG bytes at ``scale`` times its size."""
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=scale, format_locale=_LOCALES[lang])


def chart_pdf(spec: dict, lang: str) -> bytes:
    """The chart as a one-page vector PDF."""
    import vl_convert

    return vl_convert.vegalite_to_pdf(spec, format_locale=_LOCALES[lang])
