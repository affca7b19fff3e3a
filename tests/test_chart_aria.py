"""Charts read aloud in the page's language (core.charts.aria): every chart's axes,
legends and marks, checked in its spec and in the SVG Vega draws from it."""
from __future__ import annotations

import copy
import html
import re

import pytest
import vl_convert

from core.charts.aria import described
from core.charts.steroids import dose_summary_frame
from core.export.charts import chart_svg
from core.i18n import t
from tests.test_chart_build import _builders, demo_results  # noqa: F401 (a fixture)


@pytest.fixture(scope="module")
def registry_results():
    """The panels of a 3,000-patient registry: the charts' large-cohort forms (the
    response grid aggregated, the dose chart without per-patient lines)."""
    from benchmarks.registry_data import parquet_files, registry_frames
    from core.analysis import biology, populations, response, safety, steroids
    from core.loader import load_cohort

    cohort = load_cohort(parquet_files(registry_frames(3_000))).cohort
    yield {panel.__name__: panel(cohort) for panel in (populations, response, biology, steroids, safety)}
    cohort.close()

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


@pytest.mark.parametrize("cohort", ["demo_results", "registry_results"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_chart_reads_its_marks_as_their_tooltips_in_the_page_language(request, cohort, lang):
    # Vega read a mark as its fields' names: "month_label: M3; order: 0; ...".
    for name, build in _builders(request.getfixturevalue(cohort), lang).items():
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
    assert enc["x"]["axis"]["description"] == "Axe des abscisses «\u202fMois\u202f»\u202f: M0, M3"
    # An axis's domain may have room added for its labels: only its ticks make a range.
    assert enc["y"]["axis"]["description"] == "Axe des ordonnées «\u202fPatients\u202f»"
    assert enc["color"]["legend"]["description"] == "Légende «\u202fPatients\u202f», de 0 à 7"
    spec["encoding"]["y"] = {"field": "n", "type": "quantitative", "title": "Patients",
                             "axis": {"values": [0, 50, 100.5]}}
    assert described(spec, "en")["encoding"]["y"]["axis"]["description"] == "Y-axis titled 'Patients', from 0 to 100.5"


def test_a_long_list_of_values_is_read_as_its_count_first_and_last():
    ids = [f"P{k}" for k in range(1, 1201)]
    spec = {"mark": "bar", "encoding": {"y": {"field": "p", "type": "nominal", "title": None, "sort": ids}}}
    assert described(spec, "en")["encoding"]["y"]["axis"]["description"] == "Y-axis: 1,200 values, from P1 to P1200"


def test_a_range_that_is_not_finite_is_not_read():
    spec = {"mark": "rect", "encoding": {"color": {"field": "c", "type": "quantitative", "title": "Part",
                                                   "scale": {"domain": [0, float("nan")]}}}}
    assert described(spec, "en")["encoding"]["color"]["legend"]["description"] == "Legend titled 'Part'"


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
    """A layered spec of ``layers`` (copied: ``described`` changes the spec it is given)."""
    return {"data": {"values": [{"m": "M3", "n": 1.25, "k": None}, {"m": "M6", "n": 1000, "k": "a"}]},
            "layer": copy.deepcopy(list(layers))}


_TOOLTIP = [{"field": "m", "type": "nominal", "title": "Mois"},
            {"field": "n", "type": "quantitative", "title": "Dose", "format": ",.1f"},
            {"field": "k", "type": "nominal", "title": "Type"}]
_XY = {"x": {"field": "m", "type": "nominal"}, "y": {"field": "n", "type": "quantitative"}}


@pytest.mark.parametrize("lang, first, second", [
    ("fr", "Mois\u202f: M3\u202f; Dose\u202f: 1,3\u202f; Type\u202f: —", "Mois\u202f: M6\u202f; Dose\u202f: 1\u202f000,0\u202f; Type\u202f: a"),
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


def test_the_layers_of_a_view_say_the_same_of_the_guides_they_share(demo_results):  # noqa: F811
    # The flow's bars name the x axis and its texts do not: Vega-Lite keeps one layer's
    # description of a shared axis (the first) and warns of the others.
    for name, build in _builders(demo_results, "fr").items():
        spec = described(build().to_dict(), "fr")
        for view in [spec, *spec.get("hconcat", ())]:
            for channel, kind in (("x", "axis"), ("y", "axis"), ("color", "legend")):
                said = {layer["encoding"][channel][kind]["description"] for layer in view.get("layer", ())
                        if isinstance(layer["encoding"].get(channel, {}).get(kind), dict)}
                assert len(said) <= 1, (name, channel, said)


@pytest.mark.parametrize("entry", [
    {"field": "m", "type": "nominal"},  # no title: a name of the data
    {"field": "n", "type": "quantitative", "aggregate": "sum", "title": "N"},
    {"field": "n", "type": "quantitative", "bin": {"step": 500}, "title": "N"},
    {"field": "n", "type": "quantitative", "title": "N", "formatType": "time", "format": "%Y"},
    {"field": "d", "type": "temporal", "title": "Date"},
    {"field": "n", "type": "quantitative", "timeUnit": "year", "title": "N"},
    {"field": "a.b", "type": "nominal", "title": "AB"},  # nested fields, as Vega-Lite reads them
    {"field": "a[0]", "type": "nominal", "title": "AB"},
    {"field": "a\\b", "type": "nominal", "title": "AB"},
])
def test_a_tooltip_it_cannot_say_leaves_the_mark_to_vega(entry):
    # Said from the raw field, a binned entry became a grouping key (a histogram of
    # two bars drew five); a time format broke the chart; a date read as milliseconds.
    spec = _layers({"mark": "bar", "encoding": {**_XY, "tooltip": [_TOOLTIP[0], entry]}},
                   {"mark": "text", "encoding": {**_XY, "text": {"field": "m", "type": "nominal"}}})
    described(spec, "fr")
    assert spec["layer"][0]["mark"] == "bar" and "transform" not in spec["layer"][0]
    assert "description" not in spec["layer"][0]["encoding"]
    assert spec["layer"][1]["mark"] == "text"  # no mark is read from its tooltip: none is left out


def test_a_text_its_builder_described_is_read():
    spec = _layers({"mark": "bar", "encoding": {**_XY, "tooltip": _TOOLTIP}},
                   {"mark": "text", "encoding": {**_XY, "text": {"field": "m", "type": "nominal"},
                                                 "description": {"field": "m", "type": "nominal"}}})
    described(spec, "fr")
    assert spec["layer"][1]["mark"] == "text"


def test_a_range_keeps_the_decimals_of_its_bounds():
    spec = {"mark": "rect", "encoding": {"color": {"field": "c", "type": "quantitative", "title": "Part",
                                                   "scale": {"domain": [0, 0.25]}}}}
    assert described(spec, "fr")["encoding"]["color"]["legend"]["description"] == "Légende «\u202fPart\u202f», de 0 à 0,25"


def test_a_patients_doses_are_read_once_month_by_month_and_each_months_box_once_with_its_range(
        demo_results):  # noqa: F811
    # A patient's doses were read as "Patient : P19 ; Dose : 0,0" three times, and each
    # month's box three times (whisker, box, median) without its range; then each line
    # as its first point, and each point again.
    spec = described(_builders(demo_results, "fr")["steroids"]().to_dict(), "fr")
    labels = _mark_labels(chart_svg(spec, "fr"))
    doses = [label for label in labels if label.startswith("Patient")]
    boxes = [label for label in labels if label.startswith("Mois")]
    patients = demo_results["steroids"].doses
    drawn_patients = patients[patients["dose_mg"].notna()]["patient_id"].nunique()
    assert len(doses) == len(set(doses)) == drawn_patients
    assert all(re.fullmatch(r"Patient\u202f: P\d+\u202f; Dose \(mg/j\)\u202f: M0 \d+,\d(, M\d+ \d+,\d)*", label)
               for label in doses), doses[:3]
    drawn = int(dose_summary_frame(demo_results["steroids"])["median"].notna().sum())
    assert len(boxes) == len(set(boxes)) == drawn == 3
    assert all("Minimum\u202f: " in label and "Maximum\u202f: " in label for label in boxes)


def test_marks_its_builder_left_unread_do_not_silence_the_others():
    spec = _layers({"mark": {"type": "rule", "aria": False}, "encoding": _XY}, {"mark": "bar", "encoding": _XY})
    described(spec, "fr")
    assert spec["layer"][1]["mark"] == "bar"


def test_layers_share_the_titled_description_of_an_axis_and_keep_a_builders_own():
    spec = _layers({"mark": "bar", "encoding": {"x": _XY["x"], "y": {**_XY["y"], "title": "Dose"}}},
                   {"mark": "rule", "encoding": {"x": {**_XY["x"], "axis": {"description": "Own"}},
                                                 "y": {**_XY["y"], "title": None, "axis": {"values": [0, 1000]}}}})
    described(spec, "fr")
    y = [layer["encoding"]["y"]["axis"]["description"] for layer in spec["layer"]]
    assert y == ["Axe des ordonnées «\u202fDose\u202f»"] * 2  # not the longer, untitled "…, de 0 à 1 000"
    assert spec["layer"][1]["encoding"]["x"]["axis"]["description"] == "Own"
