"""Charts read aloud in the page's language (core.charts.aria): every chart's axes,
legends and marks, checked in its spec and in the SVG Vega draws from it."""
from __future__ import annotations

import html
import re

import pytest
import vl_convert

from core.charts.aria import described
from core.export.charts import chart_svg
from core.i18n import t
from tests.test_chart_build import _builders, demo_results  # noqa: F401 (a fixture)

# Vega's own English descriptions: of an axis, a legend, a mark's fields.
_VEGA_WORDS = re.compile(r"X-axis|Y-axis|[Ll]egend|titled|for a (discrete|linear)|\w+: ")


def _guides(spec: dict):
    """Every axis and legend of a spec: (kind, guide, channel)."""
    if isinstance(spec, dict):
        for name, channel in spec.get("encoding", {}).items():
            if isinstance(channel, dict) and "field" in channel:
                for kind in ("axis", "legend"):
                    if isinstance(channel.get(kind), dict) or (kind == "axis" and name in "xy" and kind not in channel):
                        yield kind, channel.get(kind, {}), channel
        for key in ("layer", "hconcat", "vconcat", "concat"):
            for child in spec.get(key, ()):
                yield from _guides(child)
        if isinstance(spec.get("spec"), dict):
            yield from _guides(spec["spec"])


def _mark_labels(svg: str) -> list[str]:
    """The labels a screen reader gets for a chart's marks (not its guides or titles)."""
    labels = []
    for tag in re.findall(r"<[a-z]+\b[^>]*>", svg):
        attributes = dict(re.findall(r'([a-z-]+)="([^"]*)"', tag))
        role, label = attributes.get("aria-roledescription", ""), attributes.get("aria-label")
        if label and role not in ("axis", "legend", "title", "subtitle") and "container" not in role:
            labels.append(html.unescape(label))
    return labels


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_chart_names_its_axes_and_legends_in_the_page_language(demo_results, lang):  # noqa: F811
    for name, build in _builders(demo_results, lang).items():
        spec = described(build().to_dict(), lang)
        guides = list(_guides(spec))
        assert guides, name
        for kind, guide, channel in guides:
            text = guide.get("description")
            assert text, (name, kind, channel.get("field"))
            assert text.startswith((t("chart.aria.x", lang), t("chart.aria.y", lang),
                                    t("chart.aria.legend", lang))), (name, text)
            if lang == "fr":
                assert not _VEGA_WORDS.search(text), (name, text)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_chart_reads_its_marks_as_their_tooltips_in_the_page_language(demo_results, lang):  # noqa: F811
    # Vega read a mark as its fields' names: "month_label: M3; order: 0; ...".
    for name, build in _builders(demo_results, lang).items():
        spec = described(build().to_dict(), lang)
        labels = _mark_labels(chart_svg(spec, lang))
        assert labels, name
        fields = set(re.findall(r"'field': '([^']+)'", str(spec)))
        titles = set(re.findall(r"'title': '([^']+)'", str(spec)))
        for label in labels:
            names = {entry.split(":")[0].strip() for entry in re.split(r" ?; ", label)}
            assert not names & (fields - titles), (name, label)
            if lang == "fr":  # French typography: a space before ":" and ";"
                assert not re.search(r"\S[:;] ", label), (name, label)


def test_a_guide_is_named_by_its_title_with_the_values_the_spec_lists():
    spec = {"mark": "bar", "encoding": {
        "x": {"field": "m", "type": "nominal", "title": "Mois", "sort": ["M0", "M3"]},
        "y": {"field": "n", "type": "quantitative", "title": "Patients", "scale": {"domain": [0, 28.8]}},
        "color": {"field": "c", "type": "quantitative", "scale": {"domain": [0, 7]}, "legend": {"title": "Patients"}},
    }}
    enc = described(spec, "fr")["encoding"]
    assert enc["x"]["axis"]["description"] == "Axe des abscisses « Mois » : M0, M3"
    # An axis's domain may have room added for its labels: only its ticks make a range.
    assert enc["y"]["axis"]["description"] == "Axe des ordonnées « Patients »"
    assert enc["color"]["legend"]["description"] == "Légende « Patients », de 0 à 7"
    spec["encoding"]["y"] = {"field": "n", "type": "quantitative", "title": "Patients",
                             "axis": {"values": [0, 50, 100.5]}}
    assert described(spec, "en")["encoding"]["y"]["axis"]["description"] == "Y-axis titled 'Patients', from 0 to 100.5"


def test_a_long_list_of_values_is_read_as_its_count_first_and_last():
    ids = [f"P{k}" for k in range(1, 31)]
    spec = {"mark": "bar", "encoding": {"y": {"field": "p", "type": "nominal", "title": None, "sort": ids}}}
    assert described(spec, "en")["encoding"]["y"]["axis"]["description"] == "Y-axis: 30 values, from P1 to P30"


def test_what_a_builder_described_or_left_undrawn_stays_as_it_is():
    spec = {"mark": {"type": "bar", "aria": False}, "encoding": {
        "x": {"field": "m", "type": "nominal", "axis": {"description": "Own"}},
        "y": {"field": "n", "type": "quantitative", "axis": None},
        "color": {"field": "c", "type": "nominal", "legend": None},
        "tooltip": [{"field": "n", "type": "quantitative", "title": "N"}],
    }}
    assert described(spec, "fr") == {"mark": {"type": "bar", "aria": False}, "encoding": {
        "x": {"field": "m", "type": "nominal", "axis": {"description": "Own"}},
        "y": {"field": "n", "type": "quantitative", "axis": None},
        "color": {"field": "c", "type": "nominal", "legend": None},
        "tooltip": [{"field": "n", "type": "quantitative", "title": "N"}],
    }}


def _layers(*layers: dict) -> dict:
    return {"data": {"values": [{"m": "M3", "n": 1.25, "k": None}, {"m": "M6", "n": 1000, "k": "a"}]},
            "layer": list(layers)}


_TOOLTIP = [{"field": "m", "type": "nominal", "title": "Mois"},
            {"field": "n", "type": "quantitative", "title": "Dose", "format": ",.1f"},
            {"field": "k", "type": "nominal", "title": "Type"}]
_XY = {"x": {"field": "m", "type": "nominal"}, "y": {"field": "n", "type": "quantitative"}}


@pytest.mark.parametrize("lang, first, second", [
    ("fr", "Mois : M3 ; Dose : 1,3 ; Type : —", "Mois : M6 ; Dose : 1\u202f000,0 ; Type : a"),
    ("en", "Mois: M3; Dose: 1.3; Type: —", "Mois: M6; Dose: 1,000.0; Type: a"),
])
def test_a_mark_is_read_as_its_tooltip_shows_it(lang, first, second):
    from core.i18n import number_locale

    spec = _layers({"mark": "bar", "encoding": {**_XY, "tooltip": _TOOLTIP}},
                   {"mark": "text", "encoding": {**_XY, "text": {"field": "n", "type": "quantitative"}}},
                   {"mark": "rule", "encoding": _XY})
    spec["config"] = {"locale": {"number": number_locale(lang)}}
    described(spec, lang)
    # The texts and the marks without a tooltip repeat the bars: not read.
    assert [layer["mark"] for layer in spec["layer"][1:]] == [{"type": "text", "aria": False},
                                                              {"type": "rule", "aria": False}]
    labels = _mark_labels(vl_convert.vegalite_to_svg(spec))
    assert labels == [first, second]


def test_a_chart_without_tooltips_keeps_vegas_reading_of_its_marks():
    spec = _layers({"mark": "bar", "encoding": _XY}, {"mark": "text", "encoding": {**_XY, "text": {"field": "m"}}})
    described(spec, "fr")
    assert [layer["mark"] for layer in spec["layer"]] == ["bar", "text"]
    assert "description" not in spec["layer"][0]["encoding"]
